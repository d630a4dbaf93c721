import Foundation
import Testing

@testable import TrailAudit

/// A document from JSON text; fails the test when it does not parse.
func policy(_ json: String, name: String = "test") throws -> PolicyDocument {
    try PolicyDocument(text: json, policy: name)
}

/// A one-statement document: `effect`, an action element and a resource element, each given
/// as its JSON (`"Action": "s3:*"`), plus an optional condition JSON object.
func statement(
    _ effect: String, _ action: String, _ resource: String = #""Resource": "*""#,
    condition: String? = nil
) -> String {
    let conditionPart = condition.map { #", "Condition": \#($0)"# } ?? ""
    return #"{"Version": "2012-10-17", "Statement": [{"Effect": "\#(effect)", \#(action), "#
        + #"\#(resource)\#(conditionPart)}]}"#
}
