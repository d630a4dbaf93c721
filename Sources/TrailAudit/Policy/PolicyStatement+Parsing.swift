import Foundation

extension PolicyStatement {
    /// Reads statement `index` of `policy` from its decoded JSON fields.
    init(fields: [String: Any], index: Int, policy: String) throws(PolicyError) {
        func fail(_ problem: PolicyError.Problem) -> PolicyError {
            PolicyError(policy: policy, problem)
        }

        let effectText = fields["Effect"] as? String
        guard let effectText, let effect = Effect(rawValue: effectText) else {
            throw fail(.invalidEffect(index: index, found: fields["Effect"].map(Self.text(of:))))
        }

        guard
            let actions = try Self.elementMatch(
                fields, "Action", "NotAction", index: index, policy: policy)
        else { throw fail(.missingAction(index: index)) }
        let resources = try Self.elementMatch(
            fields, "Resource", "NotResource", index: index, policy: policy)

        var principals: PrincipalMatch?
        switch (fields["Principal"], fields["NotPrincipal"]) {
        case (.some, .some):
            throw fail(.conflictingElements(index: index, "Principal", "NotPrincipal"))
        case (let value?, nil):
            principals = .listed(try Self.principalValues(value, index: index, policy: policy))
        case (nil, let value?):
            principals = .allExcept(try Self.principalValues(value, index: index, policy: policy))
        case (nil, nil):
            principals = nil
        }

        let conditions = try Self.conditions(fields["Condition"], index: index, policy: policy)
        self.init(
            sid: fields["Sid"] as? String, effect: effect, actions: actions, resources: resources,
            principals: principals, conditions: conditions)
    }

    /// `Action`/`NotAction` or `Resource`/`NotResource`; nil when the statement has neither.
    private static func elementMatch(
        _ fields: [String: Any], _ listed: String, _ excepted: String, index: Int, policy: String
    ) throws(PolicyError) -> ElementMatch? {
        switch (fields[listed], fields[excepted]) {
        case (.some, .some):
            throw PolicyError(policy: policy, .conflictingElements(index: index, listed, excepted))
        case (let value?, nil):
            return .listed(try strings(value, element: listed, index: index, policy: policy))
        case (nil, let value?):
            return .allExcept(try strings(value, element: excepted, index: index, policy: policy))
        case (nil, nil):
            return nil
        }
    }

    /// A string or an array of strings, as a list.
    private static func strings(_ value: Any, element: String, index: Int, policy: String)
        throws(PolicyError) -> [String]
    {
        if let text = value as? String { return [text] }
        if let array = value as? [Any] {
            var result: [String] = []
            for item in array {
                guard let text = item as? String else {
                    throw PolicyError(
                        policy: policy,
                        .invalidValue(index: index, element: element, found: describe(item)))
                }
                result.append(text)
            }
            return result
        }
        throw PolicyError(
            policy: policy, .invalidValue(index: index, element: element, found: describe(value)))
    }

    /// `"*"` or `{"AWS": ..., "Service": ..., "Federated": ..., "CanonicalUser": ...}`, in that
    /// order of kinds (JSON objects carry no order).
    private static func principalValues(_ value: Any, index: Int, policy: String)
        throws(PolicyError) -> [PrincipalValue]
    {
        if let text = value as? String, text == "*" { return [PrincipalValue(.anyone, "*")] }
        guard let object = value as? [String: Any] else {
            throw PolicyError(
                policy: policy,
                .invalidValue(index: index, element: "Principal", found: describe(value)))
        }
        for key in object.keys where PrincipalKind(rawValue: key) == nil || key == "*" {
            throw PolicyError(policy: policy, .unknownPrincipalKind(index: index, key))
        }
        var result: [PrincipalValue] = []
        for kind in PrincipalKind.allCases where kind != .anyone {
            guard let listed = object[kind.rawValue] else { continue }
            let values = try strings(listed, element: "Principal", index: index, policy: policy)
            result += values.map { PrincipalValue(kind, $0) }
        }
        return result
    }

    /// `Condition`: operator -> key -> value(s), sorted by operator then key.
    private static func conditions(_ value: Any?, index: Int, policy: String)
        throws(PolicyError) -> [PolicyCondition]
    {
        guard let value else { return [] }
        func invalid(_ found: String) -> PolicyError {
            PolicyError(policy: policy, .invalidCondition(index: index, found: found))
        }
        guard let operators = value as? [String: Any] else { throw invalid(describe(value)) }

        var result: [PolicyCondition] = []
        for (name, tests) in operators.sorted(by: { $0.key < $1.key }) {
            guard let keys = tests as? [String: Any] else {
                throw invalid("\(describe(tests)) under \(name)")
            }
            for (key, listed) in keys.sorted(by: { $0.key < $1.key }) {
                let items = listed as? [Any] ?? [listed]
                var values: [String] = []
                for item in items {
                    guard item is String || item is NSNumber else {
                        throw invalid("\(describe(item)) as a value of \(key) under \(name)")
                    }
                    values.append(text(of: item))
                }
                result.append(PolicyCondition(operator: name, key: key, values: values))
            }
        }
        return result
    }

    /// A scalar JSON value as text: strings as they are, `true`/`false`, numbers in decimal.
    static func text(of value: Any) -> String {
        if let text = value as? String { return text }
        if let number = value as? NSNumber {
            if isJSONBoolean(number) { return number.boolValue ? "true" : "false" }
            return number.stringValue
        }
        return describe(value)
    }
}
