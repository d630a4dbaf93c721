extension EffectivePermissions {
    /// The conditions under which the principal's own Allow statements grant `action`: nil
    /// when an unconditional Allow does (nothing to carry over), else each conditional Allow's
    /// condition set, so a suggestion keeps them instead of granting more than today.
    package func conditions(granting action: String) -> [[PolicyCondition]]? {
        var sets: [[PolicyCondition]] = []
        for (_, statement) in identityStatements where statement.effect == .allow {
            guard statement.actions.covers(action) else { continue }
            if statement.conditions.isEmpty { return nil }
            if !sets.contains(statement.conditions) { sets.append(statement.conditions) }
        }
        return sets
    }
}

extension ElementMatch {
    /// Whether an Action/NotAction element names `action` (IAM wildcards, any case).
    func covers(_ action: String) -> Bool {
        let listed = patterns.contains { IAMGlob.action($0).matches(action) }
        return listed != isExclusion
    }
}

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
