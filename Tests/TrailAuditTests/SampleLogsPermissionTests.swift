import Foundation
import Testing

@testable import TrailAudit

/// `unused` and `suggest` on SampleLogs/ with the exports in SampleLogs/iam/, against the
/// answers worked out by hand in SampleLogs/iam/EXPECTED.md; and the JSON names scripts use.
@Suite struct SampleLogsPermissionTests {
    static let inputs: IAMInputs? = try? IAMInputs(
        authorizationDetails: [repositoryRoot.appendingPathComponent("SampleLogs/iam").path],
        policies: [])
    static let aggregate = AuditRun.run(
        ExportTree(paths: [repositoryRoot.appendingPathComponent("SampleLogs").path]),
        options: RunOptions()
    ).aggregate

    static func findings(_ arn: String) throws -> PrincipalFindings {
        let inputs = try #require(Self.inputs)
        let principal = try #require(inputs.principals.first { $0.arn == arn })
        let analysis = UnusedAnalysis(
            granted: [principal], aggregate: aggregate, window: TimeWindow())
        return try #require(analysis.principals.first)
    }

    static func actions(_ findings: PrincipalFindings, _ permissionClass: PermissionClass)
        -> [String]
    {
        findings.actions.filter { $0.permissionClass == permissionClass }.map(\.action).sorted()
    }

    @Test func theExportsLoadWithEveryPrincipal() throws {
        let inputs = try #require(Self.inputs)
        #expect(inputs.principals.count == 8)
        #expect(inputs.problems.count == 1)  // single-policy-example.json is not an export
    }

    @Test func administratorAccessUsesThirtyOneOfAllActions() throws {
        let tester = try Self.findings("arn:aws:iam::123456789012:role/tester")
        #expect(tester.count(.used) == 31)
        #expect(tester.count(.unused) + tester.count(.notObservable) == 22_321 - 31)
        #expect(tester.count(.usedNotGranted) == 0)
        #expect(tester.warnings.contains { $0.contains("have no logs of account 123456789012") })
    }

    @Test func theDeveloperIsDeniedNineActionsAndGrantedTwoConditionally() throws {
        let developer = try Self.findings("arn:aws:iam::123456789012:user/developer")
        #expect(
            Self.actions(developer, .denied) == [
                "rds:AuthorizeDBSecurityGroupIngress", "rds:CopyDBSnapshot",
                "rds:DeleteDBInstance", "rds:DeleteDBInstanceAutomatedBackup",
                "rds:DescribeDBSnapshots", "rds:DownloadDBLogFilePortion",
                "rds:FailoverDBCluster", "rds:ModifyDBInstance", "rds:StopActivityStream",
            ])
        let succeeded = developer.actions.filter { $0.counts.succeeded > 0 }
        #expect(
            succeeded.map(\.action).sorted() == ["rds:AddRoleToDBCluster", "rds:StartExportTask"])
        #expect(succeeded.allSatisfy { $0.conditional && $0.permissionClass == .used })
        // Authorized, then failed: never called unused.
        for action in ["rds:RebootDBInstance", "rds:DeleteDBSnapshot"] {
            #expect(developer.permissionClass(action) == .used)
        }
    }

    @Test func aCallAllowedOnlyByAnOlderPolicyVersionIsUsedNotGranted() throws {
        let role =
            "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/us-west-2/SampleRole"
        let findings = try Self.findings(role)
        #expect(
            Self.actions(findings, .usedNotGranted) == ["ec2-instance-connect:SendSSHPublicKey"])
        #expect(Self.actions(findings, .denied) == ["organizations:LeaveOrganization"])
    }

    @Test func jsonOutputsCarryTheNamesScriptsRelyOn() throws {
        let inputs = try #require(Self.inputs)
        var unusedText = ""
        var unused = UnusedAnalysis(
            granted: inputs.principals, aggregate: Self.aggregate, window: TimeWindow())
        unused.problems = inputs.problems
        unused.json { unusedText += $0 }
        let unusedJSON = try #require(
            try JSONSerialization.jsonObject(with: Data(unusedText.utf8)) as? [String: Any])
        #expect(unusedJSON["schemaVersion"] as? Int == 1)
        let principals = try #require(unusedJSON["principals"] as? [[String: Any]])
        #expect(principals.count == 8)
        let classes = Set(PermissionClass.allCases.map(\.rawValue))
        for principal in principals {
            #expect(principal["principal"] is String)
            for action in try #require(principal["actions"] as? [[String: Any]]) {
                #expect(classes.contains(action["class"] as? String ?? ""))
                #expect(action["action"] is String && action["accessLevel"] is String)
            }
        }

        var suggestText = ""
        SuggestAnalysis(granted: inputs.principals, aggregate: Self.aggregate, window: TimeWindow())
            .json { suggestText += $0 }
        let suggestJSON = try #require(
            try JSONSerialization.jsonObject(with: Data(suggestText.utf8)) as? [String: Any])
        let suggestions = try #require(suggestJSON["principals"] as? [[String: Any]])
        #expect(suggestions.count == 8)
        for suggestion in suggestions {
            for key in ["principal", "policy", "trustPolicy", "removedActions", "warnings"] {
                #expect(suggestion[key] != nil, "missing \(key)")
            }
        }
        let someRole = try #require(
            suggestions.first {
                $0["principal"] as? String == "arn:aws:iam::111111111111:role/someRole"
            })
        let trust = try #require(someRole["trustPolicy"] as? [String: Any])
        let statements = try #require(trust["Statement"] as? [[String: Any]])
        #expect(
            (statements.first?["Principal"] as? [String: Any])?["Service"] as? String
                == "config.amazonaws.com")
    }
}

@Suite struct StatePermissionTests {
    /// `unused` and `suggest` over a state give what they give over the logs it was built from.
    @Test func theStateGivesTheSameClassesAndPolicies() throws {
        let inputs = try #require(SampleLogsPermissionTests.inputs)
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let state = root.appendingPathComponent("state.db").path
        let logs = repositoryRoot.appendingPathComponent("SampleLogs").path
        try StateRun.ingest([logs], into: state)
        let stored = try StateStore(path: state, create: false).auditResult(window: TimeWindow())

        let direct = UnusedAnalysis(
            granted: inputs.principals, aggregate: SampleLogsPermissionTests.aggregate,
            window: TimeWindow())
        let fromState = UnusedAnalysis(
            granted: inputs.principals, aggregate: stored.aggregate, window: TimeWindow())
        func classes(_ analysis: UnusedAnalysis) -> [[String]] {
            analysis.principals.flatMap { principal in
                principal.actions.map {
                    [
                        principal.principal, $0.action, $0.permissionClass.rawValue,
                        "\($0.counts.succeeded)/\($0.counts.denied)/\($0.counts.failed)",
                    ]
                }
            }
        }
        #expect(classes(fromState) == classes(direct))

        func policies(_ aggregate: Aggregate) -> [String] {
            SuggestAnalysis(granted: inputs.principals, aggregate: aggregate, window: TimeWindow())
                .principals.map {
                    ($0.policy?.document.compactText ?? "-")
                        + ($0.trust?.document?.compactText ?? "-")
                }
        }
        #expect(policies(stored.aggregate) == policies(SampleLogsPermissionTests.aggregate))
    }
}
