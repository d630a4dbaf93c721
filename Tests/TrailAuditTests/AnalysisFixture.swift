import Foundation

@testable import TrailAudit

/// Builds small logs and grants for the `unused` and `suggest` tests.
enum AnalysisFixture {
    static let account = "111122223333"
    static let role = "arn:aws:iam::111122223333:role/team/app"

    /// The `userIdentity` of a session of `roleARN`.
    static func session(of roleARN: String = role) -> String {
        let name = roleARN.split(separator: "/").last ?? ""
        let account = roleARN.split(separator: ":")[4]
        return #"{"type":"AssumedRole","arn":"arn:aws:sts::\#(account):assumed-role/\#(name)/s","#
            + #""accountId":"\#(account)","sessionContext":{"sessionIssuer":{"type":"Role","#
            + #""arn":"\#(roleARN)"}}}"#
    }

    /// One event; `request`/`response` are JSON objects or null.
    static func event(
        _ id: Int, source: String, name: String, identity: String = session(),
        error: String? = nil, request: String = "null", response: String = "null",
        time: String = "2024-03-05T10:00:00Z", account: String = account
    ) -> String {
        let failure = error.map { #","errorCode":"\#($0)","errorMessage":"no""# } ?? ""
        return #"{"eventVersion":"1.09","userIdentity":\#(identity),"eventTime":"\#(time)","#
            + #""eventSource":"\#(source).amazonaws.com","eventName":"\#(name)","#
            + #""awsRegion":"us-east-1","sourceIPAddress":"198.51.100.1","#
            + #""requestParameters":\#(request),"responseElements":\#(response),"#
            + #""eventID":"\#(String(format: "%08x-0000-4000-8000-000000000000", id))","#
            + #""recipientAccountId":"\#(account)"\#(failure)}"#
    }

    /// The aggregate of a run over `events`.
    static func aggregate(_ events: [String]) throws -> Aggregate {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent("events.json")
        try Data(("{\"Records\":[" + events.joined(separator: ",") + "]}").utf8).write(to: file)
        let result = AuditRun.run(ExportTree(paths: [file.path]), options: RunOptions())
        precondition(result.input.failed.isEmpty, "\(result.input.failed)")
        return result.aggregate
    }

    /// A principal granted one policy document.
    static func principal(_ arn: String = role, policy: String) throws -> GrantedPrincipal {
        let document = try PolicyDocument(text: policy, policy: "test")
        return GrantedPrincipal(
            arn: arn,
            permissions: EffectivePermissions(
                principalArn: arn, policies: [(PolicySource(name: "test", kind: .inline), document)]
            ))
    }

    /// `{"Version":...,"Statement":[{"Effect":"Allow","Action":[...],"Resource":"*"}]}`.
    static func allow(_ actions: [String], extra: String = "") -> String {
        let list = actions.map { "\"\($0)\"" }.joined(separator: ",")
        return #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":[\#(list)],"#
            + #""Resource":"*"}\#(extra)]}"#
    }
}

extension PrincipalFindings {
    /// The class of `action`, nil when the principal has no finding for it.
    func permissionClass(_ action: String) -> PermissionClass? {
        actions.first { $0.action == action }?.permissionClass
    }
}
