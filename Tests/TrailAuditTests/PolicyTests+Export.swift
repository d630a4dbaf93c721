import Foundation
import Testing

@testable import TrailAudit

@Suite struct AuthorizationDetailsTests {
    static let etlRunner = "arn:aws:iam::111122223333:role/service-role/app/etl-runner"
    static let githubDeploy = "arn:aws:iam::111122223333:role/github-deploy"
    static let ecsRole =
        "arn:aws:iam::111122223333:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS"
    static let worker = "arn:aws:iam::444455556666:role/batch/worker"
    static let alice = "arn:aws:iam::111122223333:user/ops/alice"

    @Test func bothAccountsAreMerged() throws {
        let export = try fixtureExport()
        #expect(
            export.roles.map(\.arn)
                == [
                    Self.etlRunner, Self.githubDeploy, Self.ecsRole,
                    "arn:aws:iam::111122223333:role/okta-admins", Self.worker,
                ])
        #expect(export.users.map(\.arn) == [Self.alice])
        #expect(export.groups.map(\.name) == ["developers"])
        #expect(export.managedPolicies.count == 4)
    }

    @Test func rolePathsDatesAndTagsAreKept() throws {
        let export = try fixtureExport()
        let etl = try #require(export.role(arn: Self.etlRunner))
        #expect(etl.name == "etl-runner")
        #expect(etl.path == "/service-role/app/")
        #expect(etl.roleId == "AROAEXAMPLEETLRUN001")
        #expect(etl.createDate == 1_705_305_600)
        #expect(etl.tags == ["owner": "data"])
        #expect(!etl.isServiceLinked)
        #expect(try #require(export.role(arn: Self.ecsRole)).isServiceLinked)
        // The raw-API export writes epoch seconds.
        #expect(export.role(arn: Self.worker)?.createDate == 1_709_287_200)
    }

    @Test func onlyTheDefaultVersionOfAManagedPolicyCounts() throws {
        let export = try fixtureExport()
        let grants = export.effectivePermissions(
            for: try #require(export.role(arn: Self.etlRunner))
        )
        .grantedActions(in: smallUniverse)
        // Version v1 of AmazonS3ReadOnlyAccess (not default) allowed s3:*.
        #expect(grants.keys.sorted() == ["s3:GetBucketPolicy", "s3:GetObject", "s3:ListBucket"])
        #expect(grants["s3:GetObject"]?.sources == ["etl-s3", "AmazonS3ReadOnlyAccess"])
        #expect(
            grants["s3:GetObject"]?.resourcePatterns
                == ["arn:aws:s3:::example-etl-input", "arn:aws:s3:::example-etl-input/*", "*"])

        let logs = try #require(
            export.managedPolicies["arn:aws:iam::444455556666:policy/batch-logs"])
        #expect(logs.defaultVersionId == "v2")
        #expect(
            logs.document.statements.first?.actions
                == .listed(["logs:CreateLogStream", "logs:PutLogEvents"]))
        #expect(!logs.isAWSManaged)
        #expect(logs.attachmentCount == 1)
        let admin = try #require(
            export.managedPolicies["arn:aws:iam::aws:policy/AdministratorAccess"])
        #expect(admin.isAWSManaged)
        #expect(admin.attachmentCount == 2)
    }

    @Test func missingManagedPoliciesAreReportedNotTreatedAsEmpty() throws {
        let export = try fixtureExport()
        #expect(
            export.problems == [
                .missingManagedPolicy(
                    arn: "arn:aws:iam::111122223333:policy/legacy-ops",
                    referencedBy: Self.etlRunner,
                    asBoundary: false),
                .missingManagedPolicy(
                    arn: "arn:aws:iam::aws:policy/aws-service-role/AmazonECSServiceRolePolicy",
                    referencedBy: Self.ecsRole, asBoundary: false),
            ])
        let etl = export.effectivePermissions(for: try #require(export.role(arn: Self.etlRunner)))
        #expect(
            etl.unresolvedPolicies == [
                "arn:aws:iam::111122223333:policy/legacy-ops (not in the export)"
            ])
    }

    @Test func userGetsItsGroupsPolicies() throws {
        let export = try fixtureExport()
        let alice = try #require(export.user(arn: Self.alice))
        #expect(alice.groups == ["developers"])
        #expect(alice.tags == ["team": "platform"])
        let grants = export.effectivePermissions(for: alice).grantedActions(in: smallUniverse)
        #expect(grants["kms:Decrypt"]?.sources == ["alice-kms"])
        #expect(grants["iam:PassRole"]?.sources == ["group:developers/developers-pass-role"])
        #expect(grants["iam:PassRole"]?.isConditional == true)
        #expect(grants["s3:GetObject"]?.sources == ["group:developers/AmazonS3ReadOnlyAccess"])
        #expect(grants["s3:PutObject"] == nil)
    }

    @Test func boundaryFromTheExportLimitsTheRole() throws {
        let export = try fixtureExport()
        let deploy = export.effectivePermissions(
            for: try #require(export.role(arn: Self.githubDeploy)))
        #expect(deploy.hasBoundary)
        #expect(
            deploy.decision(action: "iam:CreateUser", resource: nil)
                == PolicyDecision(verdict: .explicitlyDenied, sources: ["boundary:DeployBoundary"]))
        #expect(deploy.decision(action: "ec2:RunInstances", resource: nil).isOutsideBoundary)
        #expect(
            deploy.grantedActions(in: smallUniverse).keys.sorted()
                == [
                    "cloudformation:CreateStack", "s3:DeleteObject", "s3:GetBucketPolicy",
                    "s3:GetObject",
                    "s3:ListBucket", "s3:PutObject",
                ])
    }

    @Test func urlEncodedAndStringDocumentsFromTheRawAPI() throws {
        let export = try fixtureExport()
        let worker = export.effectivePermissions(for: try #require(export.role(arn: Self.worker)))
        #expect(
            worker.sources.map(\.label) == [
                "worker-queues", "worker-notes", "AdministratorAccess", "batch-logs",
            ])
        #expect(worker.sources.map(\.kind) == [.inline, .inline, .awsManaged, .customerManaged])
        let publish = worker.decision(
            action: "sns:Publish", resource: "arn:aws:sns:eu-west-1:444455556666:done+failed")
        #expect(
            publish
                == PolicyDecision(
                    verdict: .allowed, sources: ["worker-notes", "AdministratorAccess"]))
        #expect(
            worker.grantedActions(in: smallUniverse)["s3:DeleteObject"]?.isPartiallyDenied == true)
    }

    @Test func aFileThatIsNotAnExportIsRefused() throws {
        var details = AuthorizationDetails()
        #expect(throws: AuthorizationDetailsError.self) {
            try details.add(contentsOf: Data(#"{"Records": []}"#.utf8), file: "trail.json")
        }
        #expect(throws: AuthorizationDetailsError.self) {
            try AuthorizationDetails.load(files: ["/nonexistent/iam.json"])
        }
    }

    @Test func truncatedExportsDuplicatesAndBadDocumentsAreProblems() throws {
        let page = """
            {"RoleDetailList": [
              {"Arn": "arn:aws:iam::1:role/a", "RoleName": "a", "Path": "/",
               "RolePolicyList": [{"PolicyName": "bad", "PolicyDocument": {"Statement": {
                 "Effect": "Maybe", "Action": "*", "Resource": "*"}}}]},
              {"RoleName": "no-arn"}],
             "Policies": [{"Arn": "arn:aws:iam::1:policy/p", "PolicyName": "p",
               "PolicyVersionList": [
                 {"VersionId": "v1", "IsDefaultVersion": false, "Document": {}}]}],
             "IsTruncated": true, "Marker": "abc"}
            """
        var details = AuthorizationDetails()
        try details.add(contentsOf: Data(page.utf8), file: "page1.json")
        try details.add(contentsOf: Data(page.utf8), file: "page1-again.json")
        let role = try #require(details.role(arn: "arn:aws:iam::1:role/a"))
        #expect(role.unreadableInlinePolicies == ["bad"])
        #expect(
            details.effectivePermissions(for: role).unresolvedPolicies == [
                "inline policy bad (unreadable)"
            ])

        let badEffect = PolicyError(
            policy: "arn:aws:iam::1:role/a inline bad", .invalidEffect(index: 0, found: "Maybe"))
        let onePass: [AuthorizationDetails.Problem] = [
            .noDefaultVersion(policyArn: "arn:aws:iam::1:policy/p"),
            .invalidPolicy(badEffect),
            .invalidEntry(file: "page1.json", list: "RoleDetailList", index: 1, missing: "Arn"),
        ]
        #expect(
            details.problems
                == [.truncatedExport(file: "page1.json")] + onePass
                + [.truncatedExport(file: "page1-again.json")]
                + [.duplicatePrincipal(arn: "arn:aws:iam::1:role/a", file: "page1-again.json")]
                + onePass.dropLast()
                + [
                    .invalidEntry(
                        file: "page1-again.json", list: "RoleDetailList", index: 1, missing: "Arn")
                ])
    }

    /// The problems of one export given as JSON text, read as `iam.json`.
    static func problems(of json: String) throws -> [AuthorizationDetails.Problem] {
        var details = AuthorizationDetails()
        try details.add(contentsOf: Data(json.utf8), file: "iam.json")
        return details.problems
    }

    @Test func fieldsOfTheWrongTypeSaySo() throws {
        let problems = try Self.problems(
            of: #"{"RoleDetailList": [{"Arn": 12345, "RoleName": "a"}, "#
                + #"{"Arn": "", "RoleName": "b"}, 7]}"#)
        #expect(
            problems == [
                .invalidItem(file: "iam.json", list: "RoleDetailList", index: 2, found: "a number"),
                .invalidField(
                    file: "iam.json", list: "RoleDetailList", index: 0, field: "Arn",
                    found: "a number"),
                .invalidField(
                    file: "iam.json", list: "RoleDetailList", index: 1, field: "Arn",
                    found: "an empty string"),
            ])
        #expect(
            problems.dropFirst().first?.description
                == "iam.json: RoleDetailList entry 1: Arn must be a non-empty string, "
                + "found a number; skipped")
    }

    @Test func listsThatAreNotArraysAreReported() throws {
        let problems = try Self.problems(
            of: #"""
                {"RoleDetailList": {"0": {"Arn": "arn:aws:iam::1:role/a", "RoleName": "a"}},
                 "UserDetailList": [{"Arn": "arn:aws:iam::1:user/u", "UserName": "u",
                   "UserPolicyList": {"PolicyName": "p"}, "GroupList": "admins"}]}
                """#)
        #expect(
            problems == [
                .invalidList(
                    file: "iam.json", list: "RoleDetailList", owner: nil, found: "an object"),
                .invalidList(
                    file: "iam.json", list: "UserPolicyList", owner: "arn:aws:iam::1:user/u",
                    found: "an object"),
                .invalidList(
                    file: "iam.json", list: "GroupList", owner: "arn:aws:iam::1:user/u",
                    found: "a string"),
            ])
        #expect(
            problems.first?.description
                == "iam.json: RoleDetailList must be a list, found an object; "
                + "nothing in it was read")
    }

    /// A managed policy with versions v1 and v2 (each allowing one action), `DefaultVersionId`
    /// and the versions marked `IsDefaultVersion`.
    static func managedPolicy(defaultVersionId: String?, marked: Set<String>) -> String {
        let versions = [("v1", "s3:GetObject"), ("v2", "s3:PutObject")].map { id, action in
            #"{"VersionId": "\#(id)", "IsDefaultVersion": \#(marked.contains(id)), "Document": "#
                + #"{"Statement": {"Effect": "Allow", "Action": "\#(action)", "Resource": "*"}}}"#
        }
        let named = defaultVersionId.map { #""DefaultVersionId": "\#($0)", "# } ?? ""
        return #"{"Policies": [{"Arn": "arn:aws:iam::1:policy/m", "PolicyName": "m", \#(named)"#
            + #""PolicyVersionList": [\#(versions.joined(separator: ", "))]}]}"#
    }

    /// (DefaultVersionId, versions marked default, version read, whether it is a problem).
    @Test(
        arguments: [
            ("v2", ["v2"], "v2", false),
            (nil, ["v2"], "v2", false),
            ("v1", ["v2"], "v1", true),
            ("v1", ["v1", "v2"], "v1", true),
            (nil, ["v1", "v2"], "v1", true),
            ("v9", ["v2"], "v2", true),
            ("v2", [], "v2", true),
        ] as [(String?, Set<String>, String, Bool)])
    func defaultVersionConflictsAreReported(
        named: String?, marked: Set<String>, used: String, isProblem: Bool
    ) throws {
        var details = AuthorizationDetails()
        let json = Self.managedPolicy(defaultVersionId: named, marked: marked)
        try details.add(contentsOf: Data(json.utf8), file: "iam.json")
        let policy = try #require(details.managedPolicies["arn:aws:iam::1:policy/m"])
        #expect(policy.defaultVersionId == used)
        let expected = AuthorizationDetails.Problem.ambiguousDefaultVersion(
            policyArn: "arn:aws:iam::1:policy/m", defaultVersionId: named,
            marked: marked.sorted(), used: used)
        #expect(details.problems == (isProblem ? [expected] : []))
    }

    @Test func defaultVersionConflictSaysWhichVersionIsReadAndWhy() {
        let problem = AuthorizationDetails.Problem.ambiguousDefaultVersion(
            policyArn: "arn:aws:iam::1:policy/m", defaultVersionId: "v1", marked: ["v1", "v2"],
            used: "v1")
        #expect(
            problem.description
                == "managed policy arn:aws:iam::1:policy/m: DefaultVersionId is v1 but 2 versions "
                + "are marked IsDefaultVersion (v1, v2); read v1, the version DefaultVersionId "
                + "names, the policy's own record of its default; check which version is the "
                + "default with `aws iam get-policy`")
    }
}
