extension PolicyJSON {
    /// A `Condition` element: operator -> key -> values.
    static func condition(_ conditions: [PolicyCondition]) -> PolicyJSON {
        var operators: [String] = []
        var byOperator: [String: [(String, PolicyJSON)]] = [:]
        for condition in conditions {
            if byOperator[condition.operator] == nil { operators.append(condition.operator) }
            byOperator[condition.operator, default: []].append(
                (condition.key, .strings(condition.values)))
        }
        return .object(operators.map { ($0, .object(byOperator[$0] ?? [])) })
    }
}

extension PolicyCondition: Hashable {
    package func hash(into hasher: inout Hasher) {
        hasher.combine(`operator`)
        hasher.combine(key)
        hasher.combine(values)
    }
}
