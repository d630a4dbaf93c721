import Foundation
import Testing

@testable import TrailAudit

@Suite struct UnusedAnalysisTests {
    typealias F = AnalysisFixture

    static let grants = [
        "sqs:ListQueues", "ec2:DescribeInstances", "iam:PassRole", "s3:GetObject",
        "s3:GetBucketPolicy", "iam:CreateUser",
    ]

    static func findings(_ events: [String], policy: String = F.allow(grants)) throws
        -> PrincipalFindings
    {
        let analysis = UnusedAnalysis(
            granted: [try F.principal(policy: policy)], aggregate: try F.aggregate(events),
            window: TimeWindow())
        return try #require(analysis.principals.first)
    }

    @Test func eachActionGetsTheClassItsEvidenceSupports() throws {
        let findings = try Self.findings([
            F.event(1, source: "sqs", name: "ListQueues"),
            F.event(
                2, source: "ec2", name: "DescribeInstances", error: "Client.UnauthorizedOperation"),
            F.event(3, source: "dynamodb", name: "ListTables"),
            F.event(4, source: "iam", name: "CreateUser", error: "AccessDenied"),
            F.event(5, source: "iam", name: "CreateUser"),
        ])
        #expect(findings.permissionClass("sqs:ListQueues") == .used)
        // Denied calls never count as use.
        #expect(findings.permissionClass("ec2:DescribeInstances") == .denied)
        #expect(findings.permissionClass("dynamodb:ListTables") == .usedNotGranted)
        #expect(findings.permissionClass("iam:CreateUser") == .used)
        #expect(findings.permissionClass("iam:PassRole") == .notObservable)
        // No S3 data events in the input: GetObject cannot be called unused.
        #expect(findings.permissionClass("s3:GetObject") == .notObservable)
        #expect(findings.permissionClass("s3:GetBucketPolicy") == .unused)
        #expect(findings.count(.unused) == 1)
        #expect(findings.count(.unused, .read) == 1)
        #expect(findings.actions.first?.action == "s3:GetBucketPolicy")  // act on unused first
        let denied = try #require(findings.actions.first { $0.action == "ec2:DescribeInstances" })
        #expect(denied.granted && denied.counts.denied == 1 && denied.counts.succeeded == 0)
    }

    /// A call that failed authentication (expired, unknown or mis-signed credentials) had no
    /// policy evaluated: it is no use of the action (it made iam:CreateUser used; breaking
    /// pass). The principal still shows the failed call.
    @Test func callsThatFailedAuthenticationAreNoUse() throws {
        let events = ["ExpiredToken", "InvalidClientTokenId", "SignatureDoesNotMatch"].enumerated()
            .map { F.event($0.offset + 1, source: "iam", name: "CreateUser", error: $0.element) }
        let findings = try Self.findings(events)
        #expect(findings.permissionClass("iam:CreateUser") == .unused)
        let aggregate = try F.aggregate(events)
        let usage = try #require(aggregate.principals.values.first)
        #expect(usage.counts.failed == 3)
        #expect(usage.eventsWithoutAction == 3)
        #expect(usage.actions["iam:CreateUser"] == nil)
        // Any other error still counts as use (authorization passed).
        let throttled = try Self.findings([
            F.event(1, source: "iam", name: "CreateUser", error: "Throttling")
        ])
        #expect(throttled.permissionClass("iam:CreateUser") == .used)
    }

    /// A federated user (GetFederationToken) acts with its issuing user's permissions, cut
    /// down by its session policy: its calls are the user's use. They were its own principal
    /// only, so the user's grants for them were unused, and `suggest` dropped them (breaking
    /// pass). Another user's federated users are no use of this one.
    @Test func aFederatedUsersCallsAreUseOfTheUserThatIssuedIt() throws {
        let broker = "arn:aws:iam::111122223333:user/ci/federation-broker"
        func federated(_ name: String, issuer: String) -> String {
            #"{"type":"FederatedUser","principalId":"111122223333:\#(name)","#
                + #""arn":"arn:aws:sts::111122223333:federated-user/\#(name)","#
                + #""accountId":"111122223333","sessionContext":{"sessionIssuer":{"#
                + #""type":"IAMUser","arn":"\#(issuer)","userName":"x"}}}"#
        }
        let user = #"{"type":"IAMUser","arn":"\#(broker)","accountId":"111122223333"}"#
        let events = [
            F.event(1, source: "sts", name: "GetFederationToken", identity: user),
            F.event(
                2, source: "ec2", name: "DescribeInstances",
                identity: federated("build-bot", issuer: broker)),
            F.event(
                3, source: "sqs", name: "ListQueues",
                identity: federated("other-bot", issuer: "arn:aws:iam::111122223333:user/else")),
        ]
        let aggregate = try F.aggregate(events)
        let principal = try F.principal(
            broker,
            policy: F.allow([
                "sts:GetFederationToken", "ec2:DescribeInstances", "sqs:ListQueues",
                "iam:ListUsers",
            ]))
        let analysis = UnusedAnalysis(
            granted: [principal], aggregate: aggregate, window: TimeWindow())
        let findings = try #require(analysis.principals.first)
        #expect(findings.permissionClass("ec2:DescribeInstances") == .used)
        #expect(findings.permissionClass("sts:GetFederationToken") == .used)
        #expect(findings.permissionClass("sqs:ListQueues") == .unused)
        #expect(findings.permissionClass("iam:ListUsers") == .unused)
        #expect(
            findings.loggedAs == [
                broker, "arn:aws:sts::111122223333:federated-user/build-bot",
            ])
        let suggestion = try #require(
            SuggestAnalysis(granted: [principal], aggregate: aggregate, window: TimeWindow())
                .principals.first?.policy)
        #expect(
            Set(suggestion.statements.flatMap(\.actions)) == [
                "ec2:DescribeInstances", "sts:GetFederationToken",
            ])
        #expect(findings.warnings.allSatisfy { !$0.contains("more than one principal") })

        // One name issued by two users is one federated user in the events, whose calls
        // cannot be told apart: each issuer is credited with all of them, and told so.
        let shared = try F.aggregate(
            events + [
                F.event(
                    4, source: "ec2", name: "TerminateInstances",
                    identity: federated("build-bot", issuer: "arn:aws:iam::111122223333:user/b"))
            ])
        let both = try #require(
            UnusedAnalysis(granted: [principal], aggregate: shared, window: TimeWindow())
                .principals.first)
        #expect(
            both.warnings.contains {
                $0.hasPrefix(
                    "arn:aws:sts::111122223333:federated-user/build-bot was issued by more than")
            })
    }

    /// An Allow with `NotResource` reaches actions without resource-level permissions (they
    /// are authorized against `*`, which it does not exclude): calls of them are used, not
    /// used-not-granted, so `suggest` keeps them (found by a breaking pass).
    @Test func anAllowWithNotResourceGrantsActionsOnStar() throws {
        let policy =
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","#
            + #""Action":["sqs:*","sns:ListTopics"],"#
            + #""NotResource":"arn:aws:sqs:us-east-1:111122223333:secret"}]}"#
        let findings = try Self.findings(
            [
                F.event(1, source: "sqs", name: "ListQueues"),
                F.event(2, source: "sns", name: "ListTopics"),
            ], policy: policy)
        #expect(findings.permissionClass("sqs:ListQueues") == .used)
        #expect(findings.permissionClass("sns:ListTopics") == .used)
        // NotResource "*" leaves nothing: the same calls are used but not granted.
        let nothing = try Self.findings(
            [F.event(2, source: "sns", name: "ListTopics")],
            policy: policy.replacingOccurrences(
                of: "arn:aws:sqs:us-east-1:111122223333:secret", with: "*"))
        #expect(nothing.permissionClass("sns:ListTopics") == .usedNotGranted)
        // Each statement decides for itself: one whose NotResource `?` matches `*` does not
        // take away what another grants.
        let mixed =
            #"{"Version":"2012-10-17","Statement":["#
            + #"{"Effect":"Allow","Action":"sqs:*","NotResource":"?"},"#
            + #"{"Effect":"Allow","Action":"sqs:ListQueues","#
            + #""NotResource":"arn:aws:sqs:us-east-1:111122223333:secret"}]}"#
        let both = try Self.findings([F.event(1, source: "sqs", name: "ListQueues")], policy: mixed)
        #expect(both.permissionClass("sqs:ListQueues") == .used)
    }

    @Test func dataEventActionsBecomeObservableWhenTheAccountsTrailRecordsThem() throws {
        let other = F.session(of: "arn:aws:iam::111122223333:role/reader")
        let findings = try Self.findings([
            F.event(1, source: "sqs", name: "ListQueues"),
            F.event(
                2, source: "s3", name: "GetObject", identity: other,
                request: #"{"bucketName":"b","key":"k"}"#),
        ])
        #expect(findings.permissionClass("s3:GetObject") == .unused)

        let elsewhere = F.session(of: "arn:aws:iam::444455556666:role/reader")
        let unrelated = try Self.findings([
            F.event(1, source: "sqs", name: "ListQueues"),
            F.event(
                2, source: "s3", name: "GetObject", identity: elsewhere,
                request: #"{"bucketName":"b","key":"k"}"#, account: "444455556666"),
        ])
        #expect(unrelated.permissionClass("s3:GetObject") == .notObservable)
    }

    /// Services beyond the first seven record their data planes only as data events too (the
    /// CloudTrail User Guide's data-event table and the services' own pages): without such
    /// events in the input, their data calls are not-observable, never unused.
    @Test func dataCallsOfOtherServicesAreNotObservableWithoutDataEvents() throws {
        let data = [
            "sagemaker:InvokeEndpoint", "appconfig:GetLatestConfiguration",
            "cloudtrail-data:PutAuditEvents", "s3-outposts:GetObject",
            "ssmmessages:OpenControlChannel", "swf:PollForActivityTask",
            "sms-voice:SendTextMessage", "cognito-identity:GetCredentialsForIdentity",
            "timestream:Select", "cloudwatch:PutMetricData", "events:PutEvents",
            "xray:PutTraceSegments", "rds-data:ExecuteStatement", "bedrock:InvokeAgent",
            "verifiedpermissions:IsAuthorized", "servicediscovery:DiscoverInstances",
            "geo-places:Geocode", "firehose:PutRecord", "ses:SendEmail", "cassandra:Modify",
            "logs:CallWithBearerToken", "iotsitewise:GetAssetPropertyValue",
            "iotsitewise:InvokeAssistant", "iottwinmaker:GetPropertyValue",
            "neptune-graph:ReadDataViaQuery", "agent-registry:InvokeRegistryMcp",
            "ses:SendCustomVerificationEmail",
        ]
        let management = [
            "sagemaker:CreateEndpoint", "appconfig:CreateApplication", "bedrock:InvokeModel",
            "events:PutRule", "states:StartExecution", "logs:GetLogEvents",
            "logs:FilterLogEvents", "iotsitewise:CreateAsset", "neptune-graph:CreateGraph",
        ]
        let quiet = try Self.findings(
            [F.event(1, source: "sqs", name: "ListQueues")],
            policy: F.allow(data + management + ["sqs:ListQueues"]))
        for action in data {
            let finding = try #require(quiet.actions.first { $0.action == action })
            #expect(finding.permissionClass == .notObservable, "\(action)")
            #expect(finding.reason?.hasPrefix("data event: the input has no ") == true)
        }
        for action in management { #expect(quiet.permissionClass(action) == .unused) }
        // One logged invocation shows the endpoint's data events are recorded: the async call
        // of the same family, granted on the same endpoints and never seen, is unused.
        let invoked = try Self.findings(
            [
                F.event(1, source: "sqs", name: "ListQueues"),
                F.event(2, source: "sagemaker", name: "InvokeEndpoint"),
            ],
            policy: F.allow(["sagemaker:InvokeEndpoint", "sagemaker:InvokeEndpointAsync"]))
        #expect(invoked.permissionClass("sagemaker:InvokeEndpoint") == .used)
        #expect(invoked.permissionClass("sagemaker:InvokeEndpointAsync") == .unused)
        // Selectors pick resource types one by one: map tiles logged say nothing of places.
        let tiles = try Self.findings(
            [F.event(1, source: "geo-maps", name: "GetTile")],
            policy: F.allow(["geo-maps:GetTile", "geo-maps:GetStaticMap", "geo-places:Geocode"]))
        #expect(tiles.permissionClass("geo-maps:GetStaticMap") == .unused)
        #expect(tiles.permissionClass("geo-places:Geocode") == .notObservable)
        // A table's selector logs its streams too, a stream's selector only the stream.
        let items = try Self.findings(
            [F.event(1, source: "dynamodb", name: "GetItem")],
            policy: F.allow(["dynamodb:GetItem", "dynamodb:GetRecords"]))
        #expect(items.permissionClass("dynamodb:GetRecords") == .unused)
        for (source, name, other) in [
            ("streams.dynamodb", "GetRecords", "dynamodb:GetItem"),
            ("bedrock-agentcore", "InvokeGateway", "bedrock-agentcore:InvokeCodeInterpreter"),
            ("kinesis", "GetRecords", "kinesis:SubscribeToShard"),
            ("states", "StartSyncExecution", "states:GetActivityTask"),
            ("deadline", "SearchJobs", "deadline:GetWorker"),
            ("iotsitewise", "GetAssetPropertyValue", "iotsitewise:InvokeAssistant"),
        ] {
            let seen = try Self.findings(
                [F.event(1, source: source, name: name)],
                policy: F.allow(["\(source):\(name)", other]))
            #expect(seen.permissionClass(other) == .notObservable, "\(other)")
        }
        // Data events name their calls as the data plane's hosts and statements do: they
        // still reach the IAM actions granted (appconfigdata, Keyspaces' Insert, Timestream's
        // Query).
        let named = try Self.findings(
            [
                F.event(1, source: "appconfigdata", name: "GetLatestConfiguration"),
                F.event(2, source: "cassandra", name: "Insert"),
                F.event(3, source: "timestream", name: "Query"),
                F.event(4, source: "edgekeyvaluestore", name: "GetKey"),
                F.event(5, source: "neptune-graph", name: "ExecuteQuery"),
                F.event(6, source: "verifiedpermissions", name: "BatchIsAuthorized"),
            ],
            policy: F.allow([
                "appconfig:GetLatestConfiguration", "cassandra:Modify", "timestream:Select",
                "cloudfront-keyvaluestore:GetKey", "neptune-graph:ReadDataViaQuery",
                "verifiedpermissions:IsAuthorized", "neptune-graph:GetQueryStatus",
            ]))
        for action in [
            "appconfig:GetLatestConfiguration", "cassandra:Modify", "timestream:Select",
            "cloudfront-keyvaluestore:GetKey", "neptune-graph:ReadDataViaQuery",
            "verifiedpermissions:IsAuthorized",
        ] {
            #expect(named.permissionClass(action) == .used, "\(action)")
        }
        #expect(named.unmapped.isEmpty)
        // A call counted for actions of both sides (a graph query, a PartiQL statement, a
        // write transaction's condition checks) does not show which side the trail records:
        // a read-only query says nothing of CancelQuery, a TransactWriteItems nothing of reads.
        #expect(named.permissionClass("neptune-graph:GetQueryStatus") == .notObservable)
        let transaction = try Self.findings(
            [F.event(1, source: "dynamodb", name: "TransactWriteItems")],
            policy: F.allow([
                "dynamodb:PutItem", "dynamodb:ConditionCheckItem", "dynamodb:GetItem",
                "dynamodb:DeleteItem", "dynamodb:BatchWriteItem",
            ]))
        #expect(transaction.permissionClass("dynamodb:PutItem") == .used)
        #expect(transaction.permissionClass("dynamodb:GetItem") == .notObservable)
        #expect(transaction.permissionClass("dynamodb:DeleteItem") == .used)
        // A write transaction is a write event: its item writes show writes are logged.
        #expect(transaction.permissionClass("dynamodb:BatchWriteItem") == .unused)
        let written = try Self.findings(
            [F.event(1, source: "dynamodb", name: "PutItem")],
            policy: F.allow(["dynamodb:PutItem", "dynamodb:DeleteItem"]))
        #expect(written.permissionClass("dynamodb:DeleteItem") == .unused)
        // A copy is a write event that counts s3:GetObject on its source: used, but no sign
        // that the trail records reads (a write-only selector logs the copy alone).
        let s3Reads = ["s3:GetObject", "s3:PutObject", "s3:GetObjectTagging", "s3:GetObjectAcl"]
        let copied = try Self.findings(
            [
                F.event(
                    1, source: "s3", name: "CopyObject",
                    request: #"{"bucketName":"dst","key":"b","copySource":"src/a"}"#)
            ], policy: F.allow(s3Reads))
        #expect(copied.permissionClass("s3:GetObject") == .used)
        #expect(copied.permissionClass("s3:GetObjectTagging") == .notObservable)
        let read = try Self.findings(
            [
                F.event(
                    1, source: "s3", name: "GetObject",
                    request: #"{"bucketName":"src","key":"a"}"#)
            ], policy: F.allow(s3Reads))
        #expect(read.permissionClass("s3:GetObjectTagging") == .unused)
    }

    /// A product provider's calls through delegated access (`invokedByDelegate`, facts §1.2,
    /// §1.4) are another actor's: the report lists them apart, as a `delegatedRole`, while
    /// `unused` still counts them as use of the role's permissions, which they are.
    @Test func callsThroughDelegatedAccessAreListedApartYetUseTheRolesPermissions() throws {
        let delegated =
            F.session().dropLast() + #","invokedByDelegate":{"accountId":"444455556666"}}"#
        let events = [
            F.event(1, source: "sqs", name: "ListQueues"),
            F.event(2, source: "iam", name: "CreateUser", identity: String(delegated)),
            F.event(3, source: "iam", name: "CreateUser", identity: String(delegated)),
        ]
        let aggregate = try F.aggregate(events)
        let principals = aggregate.principals.keys.sorted()
        #expect(
            principals == [
                Principal(id: F.role, type: .delegatedRole), Principal(id: F.role, type: .role),
            ])
        let delegate = aggregate.principals[Principal(id: F.role, type: .delegatedRole)]
        #expect(delegate?.counts.total == 2)
        let findings = try Self.findings(events)
        #expect(findings.permissionClass("iam:CreateUser") == .used)
        #expect(findings.permissionClass("sqs:ListQueues") == .used)
        // `events` shows who made each call.
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent("events.json")
        try Data(("{\"Records\":[" + events.joined(separator: ",") + "]}").utf8).write(to: file)
        var options = RunOptions()
        options.filter = EventFilter()
        let listing = EventListing.table(
            AuditRun.run(ExportTree(paths: [file.path]), options: options).matches)
        let names = listing.split(separator: "\n").dropFirst().map { $0.dropFirst(20).prefix(17) }
        #expect(
            names.map { $0.trimmingCharacters(in: .whitespaces) } == [
                "app", "delegated:app", "delegated:app",
            ])
    }

    /// Data-event selectors pick buckets: events on one bucket say nothing of another, so a
    /// grant on a bucket no data event names is not-observable, not unused.
    @Test func dataEventsOnOneBucketSayNothingOfAnother() throws {
        let auditor = F.session(of: "arn:aws:iam::111122223333:role/auditor")
        let events = [
            F.event(1, source: "sqs", name: "ListQueues"),
            F.event(
                2, source: "s3", name: "GetObject", identity: auditor,
                request: #"{"bucketName":"audit-bucket","key":"k"}"#),
        ]
        func grant(_ resources: String...) -> String {
            let listed = resources.map { #""\#($0)""# }.joined(separator: ",")
            return #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","#
                + #""Action":["s3:GetObject","sqs:ListQueues"],"Resource":[\#(listed)]}}"#
        }
        let other = try Self.findings(events, policy: grant("arn:aws:s3:::reports-bucket/*"))
        let finding = try #require(other.actions.first { $0.action == "s3:GetObject" })
        #expect(finding.permissionClass == .notObservable)
        #expect(finding.reason?.hasSuffix("on the resources it is granted on") == true)
        let logged = try Self.findings(events, policy: grant("arn:aws:s3:::audit-*/reports/*"))
        #expect(logged.permissionClass("s3:GetObject") == .unused)
        // A grant on two buckets, events on one: the other's calls may all go unlogged (a
        // breaking pass: unused). Another service's ARN in the same Resource list names none.
        let both = try Self.findings(
            events, policy: grant("arn:aws:s3:::audit-bucket/*", "arn:aws:s3:::reports-bucket/*"))
        #expect(both.permissionClass("s3:GetObject") == .notObservable)
        let mixed = try Self.findings(
            events,
            policy: grant("arn:aws:s3:::audit-bucket/*", "arn:aws:sqs:us-east-1:111122223333:q"))
        #expect(mixed.permissionClass("s3:GetObject") == .unused)
        // Reads of more objects than a list keeps still name their bucket only (a breaking
        // pass: past the bound every bucket counted as logged).
        let many = (0...BoundedSet.defaultLimit).map { index in
            F.event(
                10 + index, source: "s3", name: "GetObject", identity: auditor,
                request: #"{"bucketName":"audit-bucket","key":"k\#(index)"}"#)
        }
        let past = try Self.findings(
            [events[0]] + many,
            policy: grant("arn:aws:s3:::audit-bucket/*", "arn:aws:s3:::reports-bucket/*"))
        #expect(past.permissionClass("s3:GetObject") == .notObservable)
        #expect(
            DataEventEvidence.container(of: "arn:aws:dynamodb:us-east-1:1:table/t/index/i")
                == "arn:aws:dynamodb:us-east-1:1:table/t")
        #expect(
            DataEventEvidence.container(of: "arn:aws:lambda:us-east-1:1:function:f:live")
                == "arn:aws:lambda:us-east-1:1:function:f")
    }

    @Test func aSessionThatLostTheRolePathStillCountsForTheRole() throws {
        let pathless =
            #"{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/APP/s","#
            + #""accountId":"111122223333"}"#
        let findings = try Self.findings([
            F.event(1, source: "sqs", name: "ListQueues", identity: pathless)
        ])
        #expect(findings.permissionClass("sqs:ListQueues") == .used)
        #expect(findings.loggedAs == ["arn:aws:iam::111122223333:role/APP"])
    }

    /// Markdown lists what text and JSON list: the unmapped calls and the unused actions per
    /// access level (a breaking pass: Markdown had neither).
    @Test func markdownListsUnmappedCallsAndUnusedByAccessLevel() throws {
        let analysis = UnusedAnalysis(
            granted: [try F.principal(policy: F.allow(["sqs:ListQueues", "sqs:DeleteQueue"]))],
            aggregate: try F.aggregate([
                F.event(1, source: "made-up", name: "DoThing"),
                F.event(2, source: "made-up", name: "DoThing"),
                F.event(3, source: "sqs", name: "ListQueues"),
            ]),
            window: TimeWindow())
        let markdown = analysis.markdown(top: 20)
        #expect(markdown.contains("| call | calls |\n|---|---:|\n| made-up:DoThing | 2 |\n"))
        // Cut at --top, a list says so (a breaking pass: one call went missing silently).
        let cut = UnusedAnalysis(
            granted: [try F.principal(policy: F.allow(["sqs:ListQueues"]))],
            aggregate: try F.aggregate([
                F.event(1, source: "made-up", name: "DoThing"),
                F.event(2, source: "made-up", name: "DoOther"),
            ]),
            window: TimeWindow())
        #expect(cut.markdown(top: 1).contains("not guessed) (1 of 2):\n"))
        #expect(cut.text(top: 1).contains("not guessed) (1 of 2):\n"))
        #expect(cut.text(top: 2).contains("not guessed):\n"))
        #expect(
            markdown.contains(
                "Unused by access level: Permissions management 0, Write 1, Tagging 0, Read 0, "
                    + "List 0.\n"))
    }

    @Test func namesTheCatalogDoesNotHoldAreUnmappedNotGuessed() throws {
        let findings = try Self.findings([
            F.event(1, source: "made-up", name: "DoThing"),
            F.event(2, source: "sqs", name: "ListQueues"),
        ])
        #expect(findings.unmapped.map(\.action) == ["made-up:DoThing"])
        #expect(findings.unmapped.first?.counts.succeeded == 1)
        #expect(!findings.actions.contains { $0.action.lowercased().hasPrefix("made-up") })
        let catalog = IAMCatalog.shared
        #expect(findings.actions.allSatisfy { catalog.action(named: $0.action) != nil })
        // A forged name is listed clipped in the text, whole in JSON.
        let name = "Do" + String(repeating: "z", count: 5_000)
        let analysis = UnusedAnalysis(
            granted: [try F.principal(policy: F.allow(Self.grants))],
            aggregate: try F.aggregate([F.event(1, source: "made-up", name: name)]),
            window: TimeWindow())
        let text = analysis.text(top: 20)
        #expect(text.contains("made-up:" + String(name.prefix(Report.nameWidth - 11)) + "..."))
        #expect(!text.contains(name))
        var json = ""
        analysis.json { json += $0 }
        #expect(json.contains("made-up:" + name))
    }

    /// Batch, conversation, PartiQL and transaction calls have no actions of their own: each
    /// counts for the action(s) that authorize it, and the data-event evidence of its family.
    @Test func callsAuthorizedByAnotherActionCountForIt() throws {
        let policy = F.allow([
            "sqs:SendMessage", "sns:Publish", "bedrock:InvokeModel", "dynamodb:PartiQLSelect",
            "dynamodb:ConditionCheckItem", "dynamodb:GetItem",
        ])
        let findings = try Self.findings(
            [
                F.event(1, source: "sqs", name: "SendMessageBatch"),
                F.event(2, source: "sns", name: "PublishBatch"),
                F.event(3, source: "bedrock", name: "Converse"),
                F.event(4, source: "dynamodb", name: "ExecuteStatement"),
                F.event(5, source: "dynamodb", name: "TransactWriteItems"),
            ], policy: policy)
        for action in [
            "sqs:SendMessage", "sns:Publish", "bedrock:InvokeModel", "dynamodb:PartiQLSelect",
            "dynamodb:ConditionCheckItem",
        ] {
            #expect(findings.permissionClass(action) == .used, "\(action)")
        }
        // Neither a PartiQL statement nor a write transaction shows that the trail records
        // reads: GetItem, never called, cannot be judged from them.
        #expect(findings.permissionClass("dynamodb:GetItem") == .notObservable)
        #expect(findings.unmapped.isEmpty)
    }

    /// A PartiQL statement needs the action of its verb only: a role granted PartiQLSelect whose
    /// ExecuteStatement succeeded did not use the other three without a grant.
    @Test func alternativesNotGrantedAreNoUseWithoutAGrant() throws {
        let findings = try Self.findings(
            [F.event(1, source: "dynamodb", name: "ExecuteStatement")],
            policy: F.allow(["dynamodb:PartiQLSelect"]))
        #expect(findings.permissionClass("dynamodb:PartiQLSelect") == .used)
        for action in [
            "dynamodb:PartiQLInsert", "dynamodb:PartiQLUpdate", "dynamodb:PartiQLDelete",
        ] {
            #expect(findings.permissionClass(action) == nil, "\(action)")
        }
        // With none of the group granted, each is still a call that succeeded without a grant.
        let ungranted = try Self.findings(
            [F.event(1, source: "dynamodb", name: "ExecuteStatement")],
            policy: F.allow(["sqs:ListQueues"]))
        #expect(ungranted.permissionClass("dynamodb:PartiQLInsert") == .usedNotGranted)
    }

    /// A call the catalog cannot name may need any action of its service: none of them is
    /// called unused on that evidence; other services' actions still are.
    @Test func unnamedCallsOfAServiceMakeItsActionsNotObservable() throws {
        let findings = try Self.findings([
            F.event(1, source: "sqs", name: "PeekAtMessages"),
            F.event(2, source: "ec2", name: "DescribeInstances"),
            F.event(3, source: "sqs", name: "PurgeEverything", error: "AccessDenied"),
        ])
        let listQueues = try #require(findings.actions.first { $0.action == "sqs:ListQueues" })
        #expect(listQueues.permissionClass == .notObservable)
        #expect(
            listQueues.reason
                == "its calls of sqs:PeekAtMessages map to no action in the catalog: "
                + "they may need this one")
        #expect(findings.permissionClass("iam:CreateUser") == .unused)
    }

    /// OpenSearch's and CloudSearch's own HTTP APIs, Pinpoint's endpoint and send calls (their
    /// guides) and CloudWatch Logs' PutLogEvents never reach CloudTrail: granted and never seen
    /// is not-observable, not unused. Pinpoint's events (pinpoint.amazonaws.com) are its
    /// mobiletargeting actions: they were unmapped, and every granted one was unused
    /// (breaking pass).
    @Test func callsCloudTrailNeverLogsAreNotObservable() throws {
        let findings = try Self.findings(
            [
                F.event(1, source: "es", name: "DescribeDomain"),
                F.event(2, source: "pinpoint", name: "GetCampaigns"),
            ],
            policy: F.allow([
                "es:ESHttpGet", "es:ESHttpPost", "cloudsearch:search", "es:DeleteDomain",
                "mobiletargeting:GetCampaigns", "mobiletargeting:SendMessages",
                "mobiletargeting:DeleteCampaign", "logs:PutLogEvents", "logs:DeleteLogGroup",
            ]))
        for action in [
            "es:ESHttpGet", "es:ESHttpPost", "cloudsearch:search", "mobiletargeting:SendMessages",
            "logs:PutLogEvents",
        ] {
            let finding = try #require(findings.actions.first { $0.action == action })
            #expect(finding.permissionClass == .notObservable, "\(action)")
            #expect(finding.reason == "CloudTrail does not log these calls")
        }
        #expect(findings.permissionClass("es:DeleteDomain") == .unused)
        #expect(findings.permissionClass("mobiletargeting:GetCampaigns") == .used)
        #expect(findings.permissionClass("mobiletargeting:DeleteCampaign") == .unused)
        #expect(findings.permissionClass("logs:DeleteLogGroup") == .unused)
        #expect(findings.unmapped.isEmpty)
    }

    /// A trail can record write events only, or leave out KMS events: an account whose input
    /// has no read-only call, or no KMS call, cannot show a read or a KMS action unused (all
    /// three were unused; breaking pass). One such call of the account lifts it.
    @Test func writeOnlyOrKMSFreeTrailsShowNoReadOrKMSActionUnused() throws {
        let grants = ["ec2:DescribeInstances", "kms:Decrypt", "iam:DeleteUser", "iam:CreateUser"]
        let writesOnly = try Self.findings(
            [F.event(1, source: "iam", name: "CreateUser")], policy: F.allow(grants))
        let describe = try #require(
            writesOnly.actions.first { $0.action == "ec2:DescribeInstances" })
        #expect(describe.permissionClass == .notObservable)
        #expect(
            describe.reason
                == "the input has no read-only calls of account 111122223333: its trail may"
                + " record write events only")
        let decrypt = try #require(writesOnly.actions.first { $0.action == "kms:Decrypt" })
        #expect(decrypt.permissionClass == .notObservable)
        #expect(decrypt.reason?.hasPrefix("the input has no KMS calls of account") == true)
        #expect(writesOnly.permissionClass("iam:DeleteUser") == .unused)

        let other = F.session(of: "arn:aws:iam::111122223333:role/other")
        let both = try Self.findings(
            [
                F.event(1, source: "iam", name: "CreateUser"),
                F.event(2, source: "sqs", name: "ListQueues", identity: other),
                F.event(3, source: "kms", name: "Encrypt", identity: other),
            ], policy: F.allow(grants))
        #expect(both.permissionClass("ec2:DescribeInstances") == .unused)
        #expect(both.permissionClass("kms:Decrypt") == .unused)
    }

    /// `suggest` keeps ec2:CreateTags for a used EC2 call that creates (tag on create logs no
    /// CreateTags event); `unused` called the same grant unused (breaking pass): both now
    /// agree that the logs cannot tell.
    @Test func unusedAgreesWithSuggestOnSilentDependencies() throws {
        let principal = try F.principal(
            policy: F.allow(["ec2:RunInstances", "ec2:CreateTags", "ec2:DeleteTags"]))
        let aggregate = try F.aggregate([F.event(1, source: "ec2", name: "RunInstances")])
        let findings = try #require(
            UnusedAnalysis(granted: [principal], aggregate: aggregate, window: TimeWindow())
                .principals.first)
        let createTags = try #require(findings.actions.first { $0.action == "ec2:CreateTags" })
        #expect(createTags.permissionClass == .notObservable)
        #expect(createTags.reason?.hasPrefix("ec2:RunInstances succeeded") == true)
        #expect(findings.permissionClass("ec2:DeleteTags") == .unused)
        let suggestion = try #require(
            SuggestAnalysis(granted: [principal], aggregate: aggregate, window: TimeWindow())
                .principals.first?.policy)
        #expect(suggestion.statements.flatMap(\.actions).contains("ec2:CreateTags"))
    }

    /// A call needs more than its own action for what its request carries: tags on what it
    /// creates, an ACL or tags on an S3 object, a version's attributes. Those grants were
    /// unused and `suggest` dropped them, so the calls would fail under the suggestion
    /// (breaking pass). A denied call shows no such use; a request with empty tags needs none.
    @Test func permissionsARequestImpliesAreUsed() throws {
        let tagged = #"{"tags":[{"key":"team","value":"a"}],"roleName":"r"}"#
        let events = [
            F.event(
                1, source: "ec2", name: "RunInstances",
                request: #"{"tagSpecificationSet":{"items":[{"resourceType":"instance"}]}}"#),
            F.event(2, source: "iam", name: "CreateRole", request: tagged),
            F.event(3, source: "kms", name: "CreateKey", request: #"{"Tags":[{"TagKey":"a"}]}"#),
            F.event(4, source: "iam", name: "CreateUser", request: #"{"tags":[]}"#),
            F.event(
                5, source: "iam", name: "CreatePolicy", error: "AccessDenied",
                request: #"{"tags":[{"key":"a"}]}"#),
            F.event(
                6, source: "s3", name: "PutObject",
                request: #"{"bucketName":"b","key":"k","x-amz-acl":"bucket-owner-full-control","#
                    + #""x-amz-tagging":"a=b"}"#),
            F.event(
                7, source: "s3", name: "GetObjectAttributes",
                request: #"{"bucketName":"b","key":"k2"}"#),
            F.event(
                8, source: "sts", name: "AssumeRole",
                request: #"{"roleArn":"arn:aws:iam::111122223333:role/x","#
                    + #""roleSessionName":"s","tags":[{"key":"a","value":"b"}]}"#),
        ]
        let grants = [
            "ec2:RunInstances", "ec2:CreateTags", "iam:CreateRole", "iam:TagRole",
            "kms:CreateKey", "kms:TagResource", "iam:CreateUser", "iam:TagUser",
            "iam:CreatePolicy", "iam:TagPolicy", "s3:PutObject", "s3:PutObjectAcl",
            "s3:PutObjectTagging", "s3:GetObjectAttributes", "s3:GetObject", "sts:AssumeRole",
            "sts:TagSession",
        ]
        let findings = try Self.findings(events, policy: F.allow(grants))
        for action in [
            "ec2:CreateTags", "iam:TagRole", "kms:TagResource", "s3:PutObjectAcl",
            "s3:PutObjectTagging", "s3:GetObject", "sts:TagSession",
        ] {
            #expect(findings.permissionClass(action) == .used, "\(action)")
        }
        #expect(findings.permissionClass("iam:TagUser") == .unused)
        #expect(findings.permissionClass("iam:TagPolicy") == .unused)
        #expect(findings.permissionClass("iam:CreatePolicy") == .denied)

        // The tagging action is the one that takes what the call makes or starts (second
        // breaking pass): ACM's certificates are tagged by AddTagsToCertificate (its
        // TagResource tags ACME resources), IAM's MFA devices by TagMFADevice, ECS's tasks
        // by TagResource though StartTask creates nothing by name, CloudWatch Logs' groups by
        // either of two actions (both kept). A read's `tags` is a filter: nothing implied.
        let more = [
            F.event(1, source: "acm", name: "RequestCertificate", request: tagged),
            F.event(2, source: "iam", name: "CreateVirtualMFADevice", request: tagged),
            F.event(3, source: "ecs", name: "StartTask", request: tagged),
            F.event(4, source: "logs", name: "CreateLogGroup", request: tagged),
            F.event(5, source: "ec2", name: "DescribeInstances", request: tagged),
        ]
        let taggers = [
            "acm:RequestCertificate", "acm:AddTagsToCertificate", "acm:TagResource",
            "iam:CreateVirtualMFADevice", "iam:TagMFADevice", "ecs:StartTask", "ecs:TagResource",
            "logs:CreateLogGroup", "logs:TagLogGroup", "logs:TagResource",
            "ec2:DescribeInstances", "ec2:CreateTags", "iam:ListRoles",
        ]
        let chosen = try Self.findings(more, policy: F.allow(taggers))
        for action in [
            "acm:AddTagsToCertificate", "iam:TagMFADevice", "ecs:TagResource",
            "logs:TagLogGroup", "logs:TagResource",
        ] {
            #expect(chosen.permissionClass(action) == .used, "\(action)")
        }
        #expect(chosen.permissionClass("acm:TagResource") == .unused)
        #expect(chosen.permissionClass("ec2:CreateTags") == .unused)
    }

    /// A grant on every resource of the service reaches an action without resource types (the
    /// IAM User Guide grants s3:ListAllMyBuckets on arn:aws:s3:::*); one bucket's ARN does not.
    @Test func aServiceWideResourcePatternReachesActionsWithoutResourceTypes() throws {
        let wide =
            #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","#
            + #""Action":["s3:ListAllMyBuckets","s3:GetObject"],"Resource":"arn:aws:s3:::*"}}"#
        let listing = [F.event(1, source: "s3", name: "ListBuckets")]
        let findings = try Self.findings(listing, policy: wide)
        #expect(findings.permissionClass("s3:ListAllMyBuckets") == .used)
        let narrow = wide.replacingOccurrences(of: "arn:aws:s3:::*", with: "arn:aws:s3:::b")
        let other = try Self.findings(listing, policy: narrow)
        #expect(other.permissionClass("s3:ListAllMyBuckets") == .usedNotGranted)
        // Another account's or region's pattern grants nothing here.
        let elsewhere = try Self.findings(
            [F.event(1, source: "ec2", name: "DescribeInstances")],
            policy: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","#
                + #""Action":"ec2:DescribeInstances","#
                + #""Resource":"arn:aws:ec2:eu-west-1:999999999999:*"}}"#)
        #expect(elsewhere.permissionClass("ec2:DescribeInstances") == .usedNotGranted)
    }

    /// `F.role` granted the policy `grants`, within the permissions boundary `boundary`.
    static func principal(_ grants: String, boundary: PolicyDocument) throws -> GrantedPrincipal {
        GrantedPrincipal(
            arn: F.role,
            permissions: EffectivePermissions(
                principalArn: F.role,
                policies: [
                    (
                        PolicySource(name: "test", kind: .inline),
                        try PolicyDocument(text: grants, policy: "test")
                    )
                ],
                boundary: (PolicySource(name: "boundary", kind: .customerManaged), boundary)))
    }

    /// What limits such a pattern limits the action: a boundary naming one bucket's objects
    /// and some instances, or a Deny on every resource of the service, leaves no grant of
    /// s3:ListAllMyBuckets or ec2:DescribeInstances (they were granted and unused, or partly
    /// denied; breaking pass).
    @Test func boundariesAndServiceWideDeniesLimitActionsWithoutResourceTypes() throws {
        let grants = F.allow(["s3:ListAllMyBuckets", "ec2:DescribeInstances", "s3:GetObject"])
        let boundary = try PolicyDocument(
            text: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","#
                + #""Action":["s3:*","ec2:DescribeInstances"],"Resource":["arn:aws:s3:::b/*","#
                + #""arn:aws:ec2:us-east-1:111122223333:instance/*"]}}"#, policy: "boundary")
        let bounded = try Self.principal(grants, boundary: boundary)
        let aggregate = try F.aggregate([F.event(1, source: "sqs", name: "ListQueues")])
        let findings = try #require(
            UnusedAnalysis(granted: [bounded], aggregate: aggregate, window: TimeWindow())
                .principals.first)
        #expect(findings.permissionClass("s3:ListAllMyBuckets") == nil)
        #expect(findings.permissionClass("ec2:DescribeInstances") == nil)
        #expect(findings.actions.first { $0.action == "s3:GetObject" }?.granted == true)

        // A boundary on every resource of the service lets them through (the first fix
        // took it for none; second breaking pass).
        let wideBoundary = try PolicyDocument(
            text: #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","#
                + #""Resource":"arn:aws:s3:::*"},{"Effect":"Allow","Action":"ec2:*","#
                + #""Resource":"arn:aws:ec2:*:*:*"}]}"#, policy: "boundary")
        let wide = try Self.principal(grants, boundary: wideBoundary)
        let within = try #require(
            UnusedAnalysis(
                granted: [wide],
                aggregate: try F.aggregate([
                    F.event(1, source: "s3", name: "ListBuckets"),
                    F.event(2, source: "sqs", name: "ListQueues"),
                ]), window: TimeWindow()
            ).principals.first)
        #expect(within.permissionClass("s3:ListAllMyBuckets") == .used)
        #expect(within.permissionClass("ec2:DescribeInstances") == .unused)

        let denied = try Self.findings(
            [F.event(1, source: "sqs", name: "ListQueues")],
            policy: #"{"Version":"2012-10-17","Statement":["#
                + #"{"Effect":"Allow","Action":["s3:ListAllMyBuckets","sqs:ListQueues"],"#
                + #""Resource":"*"},"#
                + #"{"Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::*"}]}"#)
        #expect(denied.permissionClass("s3:ListAllMyBuckets") == nil)
        #expect(denied.permissionClass("sqs:ListQueues") == .used)
    }

    @Test func conditionalAndNotActionGrantsAreMarkedNotAssumed() throws {
        let policy =
            #"{"Version":"2012-10-17","Statement":["#
            + #"{"Effect":"Allow","Action":"sqs:ListQueues","Resource":"*","#
            + #""Condition":{"IpAddress":{"aws:SourceIp":"198.51.100.0/24"}}},"#
            + #"{"Effect":"Allow","NotAction":"iam:*","Resource":"*"},"#
            + #"{"Effect":"Deny","Action":"s3:*","Resource":"*"}]}"#
        let findings = try Self.findings(
            [
                F.event(1, source: "sqs", name: "ListQueues"),
                F.event(2, source: "ec2", name: "DescribeVpcs"),
            ],
            policy: policy)
        // NotAction "iam:*" grants sqs unconditionally too, so ListQueues is not only conditional.
        #expect(findings.permissionClass("sqs:ListQueues") == .used)
        #expect(findings.permissionClass("ec2:DescribeVpcs") == .used)
        #expect(findings.permissionClass("iam:CreateUser") == nil)  // not granted, not seen
        #expect(findings.permissionClass("s3:GetBucketPolicy") == nil)  // denied by the Deny
        #expect(findings.permissionClass("ec2:CreateVpc") == .unused)

        let conditional = try Self.findings(
            [F.event(1, source: "sqs", name: "ListQueues")],
            policy: #"{"Statement":{"Effect":"Allow","Action":"sqs:*","Resource":"*","#
                + #""Condition":{"Bool":{"aws:SecureTransport":"true"}}}}"#)
        let finding = try #require(conditional.actions.first { $0.action == "sqs:ListQueues" })
        #expect(finding.conditional && finding.permissionClass == .used)
    }

    @Test func shortOrGappyWindowsAndYoungRolesAreSaid() throws {
        var principal = try F.principal(policy: F.allow(["sqs:ListQueues", "sqs:DeleteQueue"]))
        principal.created = 1_709_683_200  // 2024-03-06, after the first event
        let events = [
            F.event(1, source: "sqs", name: "ListQueues", time: "2024-03-05T10:00:00Z"),
            F.event(2, source: "sqs", name: "ListQueues", time: "2024-03-09T10:00:00Z"),
        ]
        let analysis = UnusedAnalysis(
            granted: [principal], aggregate: try F.aggregate(events), window: TimeWindow())
        let warnings = try #require(analysis.principals.first).warnings
        #expect(analysis.window.dayCount == 5)
        #expect(warnings.contains { $0.hasPrefix("the window is 5 day(s)") })
        #expect(
            warnings.contains {
                $0.hasPrefix("created 2024-03-06T00:00:00Z, after the window starts")
            })
        #expect(
            warnings.contains {
                $0
                    == "3 day(s) of the window have no logs of account 111122223333: 2024-03-06..2024-03-08"
            })
    }

    /// Logs of one region only: a single-region trail would miss every other region's calls.
    @Test func logsOfOneRegionOnlyAreSaid() throws {
        let principal = try F.principal(policy: F.allow(["sqs:ListQueues"]))
        let oneRegion = [F.event(1, source: "sqs", name: "ListQueues")]
        let warning =
            "the events of account 111122223333 come from one region (us-east-1): if its trail "
            + "is not multi-region, calls in other regions are missing and look unused"
        let single = UnusedAnalysis(
            granted: [principal], aggregate: try F.aggregate(oneRegion), window: TimeWindow())
        #expect(try #require(single.principals.first).warnings.contains(warning))
        let other = F.event(2, source: "sqs", name: "ListQueues")
            .replacingOccurrences(
                of: #""awsRegion":"us-east-1""#, with: #""awsRegion":"eu-west-1""#)
        let both = UnusedAnalysis(
            granted: [principal], aggregate: try F.aggregate(oneRegion + [other]),
            window: TimeWindow())
        #expect(!(try #require(both.principals.first).warnings.contains(warning)))
    }

    @Test func anAccountWithoutLogsMakesGrantsNotObservable() throws {
        let other = "arn:aws:iam::444455556666:role/idle"
        let analysis = UnusedAnalysis(
            granted: [try F.principal(other, policy: F.allow(["sqs:DeleteQueue"]))],
            aggregate: try F.aggregate([F.event(1, source: "sqs", name: "ListQueues")]),
            window: TimeWindow())
        let findings = try #require(analysis.principals.first)
        #expect(findings.permissionClass("sqs:DeleteQueue") == .notObservable)
        #expect(findings.warnings.first?.hasPrefix("no events of account 444455556666") == true)
    }
}
