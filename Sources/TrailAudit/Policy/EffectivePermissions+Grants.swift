extension EffectivePermissions {
    /// Every action of `universe` the principal is granted (for some resource), by name.
    ///
    /// Builds the index of `universe` once and reuses it while callers pass the same list.
    /// Hashing every granted name into a dictionary is most of the cost; callers going over
    /// many principals should use `grants(in:)` with an `ActionUniverse` instead.
    package func grantedActions(in universe: [String]) -> [String: Grant] {
        grants(in: ActionUniverse.of(universe)).dictionary
    }

    /// Every action of `universe` the principal is granted (for some resource).
    ///
    /// Each statement's actions are expanded once (memoised in the universe); actions matched
    /// by the same set of statements share one evaluation, so `Action: "*"` costs one pass over
    /// the universe.
    package func grants(in universe: ActionUniverse) -> GrantedActions {
        // The set of statements matching each action, as an id in a trie of statement sets
        // built in statement order: set 0 is empty; `parent`/`last` give a set's members.
        var setOfAction = [Int32](repeating: 0, count: universe.count)
        var parent: [Int32] = [-1]
        var last: [Int32] = [-1]
        for (index, statement) in statements.enumerated() {
            var extended = [Int32](repeating: -1, count: parent.count)
            for action in universe.indices(matching: statement.statement.actions) {
                let previous = Int(setOfAction[Int(action)])
                if extended[previous] < 0 {
                    extended[previous] = Int32(parent.count)
                    parent.append(Int32(previous))
                    last.append(Int32(index))
                }
                setOfAction[Int(action)] = extended[previous]
            }
        }

        // Only the final sets of actions are evaluated: the trie also holds every prefix of
        // them (3,000 statements naming `*` make 3,000 nested sets, of which one is used).
        var isUsed = [Bool](repeating: false, count: parent.count)
        for set in setOfAction { isUsed[Int(set)] = true }

        var overlaps = ResourceOverlaps()
        var grantOfSet: [Grant?] = [nil]
        var catalogDenies: [Int: [Int]] = [:]
        for set in 1..<parent.count {
            guard isUsed[set] else {
                grantOfSet.append(nil)
                continue
            }
            var members: [Int] = []
            var cursor = set
            while cursor > 0 {
                members.append(Int(last[cursor]))
                cursor = Int(parent[cursor])
            }
            let outcome = actionLevelOutcome(of: Array(members.reversed()), overlaps: &overlaps)
            let grant = grant(from: outcome)
            grantOfSet.append(grant)
            let candidates = catalogCandidates(among: members)
            if grant != nil, !candidates.isEmpty { catalogDenies[set] = candidates }
        }

        removeCoveredActions(
            from: &setOfAction, grantOfSet: &grantOfSet, candidates: catalogDenies,
            universe: universe)
        return GrantedActions(universe: universe, setOfAction: setOfAction, grantOfSet: grantOfSet)
    }

    /// Moves every granted action that the Denies of its set cover by the catalog (see
    /// `catalogRemoves`) to a set of its own that grants nothing.
    private func removeCoveredActions(
        from setOfAction: inout [Int32], grantOfSet: inout [Grant?], candidates: [Int: [Int]],
        universe: ActionUniverse
    ) {
        guard !candidates.isEmpty else { return }
        let removed = Int32(grantOfSet.count)
        grantOfSet.append(nil)
        var coveredBySet: [Int: [String: Bool]] = [:]
        for position in setOfAction.indices {
            let set = Int(setOfAction[position])
            guard let denies = candidates[set] else { continue }
            let action = universe.names[position]
            if catalogRemoves(
                action: action, denies: denies, covered: &coveredBySet[set, default: [:]])
            {
                setOfAction[position] = removed
            }
        }
    }

    /// The conditions under which the identity Allows grant `action` (for some resource).
    ///
    /// Nil when an unconditional identity Allow grants it: no condition is needed. Otherwise
    /// the `Condition` of each conditional identity Allow that matches it, in statement order,
    /// as a `2012-10-17` document writes it (`CompiledStatement.writtenConditions`),
    /// empty when none does. Boundary statements and Denies are not considered (see
    /// `decision(action:resource:)` for the verdict).
    package func grantingConditions(action: String) -> [[PolicyCondition]]? {
        let allows = statements.filter {
            $0.isAllow && !$0.isBoundary && $0.canMatchSomeResource && $0.matches(action: action)
        }
        if allows.contains(where: { !$0.isConditional }) { return nil }
        return allows.map(\.writtenConditions)
    }

    /// Whether a conditional identity Allow of `action` whose `Condition` is `conditions`
    /// reaches every ARN `pattern` matches: a `Resource` pattern covers it, or no `NotResource`
    /// pattern may reach it (a pattern without wildcards is matched as the ARN it is). What a
    /// suggestion may write under that condition; boundaries and Denies stay as they are.
    package func conditionallyAllows(
        action: String, under conditions: [PolicyCondition], on pattern: String
    ) -> Bool {
        statements.contains { statement in
            guard statement.isAllow, !statement.isBoundary, statement.isConditional,
                statement.writtenConditions == conditions, statement.matches(action: action)
            else { return false }
            guard statement.statement.resources != nil else { return true }
            guard statement.resourcesExcluded else {
                return statement.listedResources.contains { Self.covers($0, pattern) }
            }
            if let arn = Self.literalText(of: pattern) { return statement.matches(resource: arn) }
            return !statement.excludedResources.contains { Self.mayOverlap($0, pattern) }
        }
    }

    /// Whether a Deny of `action` (of any kind: conditional, NotResource, on some resources)
    /// may reach a resource `pattern` matches: what `unconditionallyAllows` refuses a pattern
    /// for, asked of a pattern kept under a condition.
    package func mayBeDenied(action: String, on pattern: String) -> Bool {
        statements.contains { statement in
            !statement.isAllow && statement.matches(action: action)
                && Self.reaches(statement, somethingOf: pattern)
        }
    }

    /// Whether `statement`'s resources may take in an ARN `pattern` matches: a statement
    /// without resources or with `NotResource` always may (telling is not attempted).
    private static func reaches(_ statement: CompiledStatement, somethingOf pattern: String)
        -> Bool
    {
        statement.statement.resources == nil || statement.resourcesExcluded
            || statement.listedResources.contains { mayOverlap($0, pattern) }
    }

    /// The one ARN a pattern without wildcards matches (its `${*}`, `${?}`, `${$}` read as
    /// the characters); nil when it has a wildcard or another variable.
    static func literalText(of pattern: String) -> String? {
        guard let tokens = GlobToken.parse(pattern) else { return nil }
        var text = String.UnicodeScalarView()
        for token in tokens {
            guard case .literal(let scalar) = token else { return nil }
            text.append(scalar)
        }
        return String(text)
    }

    /// The grant an action-level outcome amounts to; nil unless it is allowed.
    private func grant(from outcome: ActionLevelOutcome) -> Grant? {
        guard outcome.decision.isAllowed else { return nil }
        return Grant(
            isConditional: outcome.decision.verdict == .allowedConditionally,
            isPartiallyDenied: outcome.decision.isPartiallyDenied,
            resourcePatterns: uniqued(outcome.allows.flatMap { statements[$0].listedResources }),
            excludedResourcePatterns: uniqued(
                outcome.allows.flatMap { statements[$0].excludedResources }),
            boundaryResourcePatterns: uniqued(
                outcome.boundaryAllows.flatMap { statements[$0].listedResources }),
            sources: outcome.decision.sources)
    }
}

/// `values` without repeats, first occurrences kept in order.
func uniqued(_ values: [String]) -> [String] {
    var seen: Set<String> = []
    return values.filter { seen.insert($0).inserted }
}

extension EffectivePermissions {
    /// Whether granting `action` on `pattern`, unconditionally, allows nothing the policies do
    /// not allow today: an unconditional Allow (and, with a boundary, an unconditional boundary
    /// Allow) lists a pattern that covers `pattern` whole, and no Deny of the action (of any
    /// kind, with or without a condition) may reach a resource `pattern` matches. Conservative:
    /// a pattern it cannot prove covered (wildcards inside, `?`, NotResource) is not.
    package func unconditionallyAllows(action: String, on pattern: String) -> Bool {
        unconditionallyAllows(
            action: action,
            covers: { statement in
                guard statement.statement.resources != nil, !statement.resourcesExcluded else {
                    return false  // NotResource (or none): never provably a whole pattern
                }
                return statement.listedResources.contains { Self.covers($0, pattern) }
            },
            deniedBy: { Self.reaches($0, somethingOf: pattern) })
    }

    /// Whether the one resource `arn` is allowed `action` by an unconditional Allow (and
    /// boundary Allow), as the policy evaluation matches it (`Resource` or `NotResource`, any
    /// wildcards); with `ignoringDenies`, whatever the Deny statements say.
    package func unconditionallyAllows(action: String, arn: String, ignoringDenies: Bool = false)
        -> Bool
    {
        unconditionallyAllows(
            action: action, covers: { $0.matches(resource: arn) },
            deniedBy: { ignoringDenies ? false : $0.matches(resource: arn) })
    }

    /// The Allows of `action` that `covers` accepts include an unconditional one (and one in
    /// the boundary, when there is a boundary), and no Deny of the action is `deniedBy`.
    private func unconditionallyAllows(
        action: String, covers: (CompiledStatement) -> Bool,
        deniedBy: (CompiledStatement) -> Bool
    ) -> Bool {
        let relevant = statements.filter { $0.matches(action: action) }
        func covered(boundary: Bool) -> Bool {
            relevant.contains {
                $0.isAllow && $0.isBoundary == boundary && !$0.isConditional && covers($0)
            }
        }
        guard covered(boundary: false) else { return false }
        // With a permissions boundary, the boundary must allow it as well.
        if statements.contains(where: \.isBoundary), !covered(boundary: true) { return false }
        return !relevant.contains { !$0.isAllow && deniedBy($0) }
    }

    /// Whether Resource pattern `outer` matches every ARN `inner` matches. Sure when true,
    /// not always when false: each `*` of `inner` must fall within a `*` of `outer`, each `?`
    /// within a `*` or `?`, each literal character meet the same character or a wildcard,
    /// Unicode scalar by scalar as IAM compares (never by canonical equivalence). `${*}`,
    /// `${?}` and `${$}` are the literal characters; other policy variables match only an
    /// equal pattern.
    static func covers(_ outer: String, _ inner: String) -> Bool {
        if outer == "*" || outer.utf8.elementsEqual(inner.utf8) { return true }
        guard let outer = GlobToken.parse(outer), let inner = GlobToken.parse(inner) else {
            return false
        }
        // The literal start and end of `outer` must be `inner`'s own: most pairs differ there.
        let head = outer.prefix { $0 != .anything && $0 != .anyOne }
        let tail = outer.reversed().prefix { $0 != .anything && $0 != .anyOne }
        guard inner.starts(with: head), inner.reversed().starts(with: tail) else { return false }
        // covered[j]: outer's tokens from the current one on cover inner's from j; `next` for
        // the token after it.
        var next = [Bool](repeating: false, count: inner.count + 1)
        var covered = next
        next[inner.count] = true
        for token in outer.reversed() {
            for j in stride(from: inner.count, through: 0, by: -1) {
                switch token {
                case .anything:
                    covered[j] = next[j] || (j < inner.count && covered[j + 1])
                case .anyOne:
                    covered[j] = j < inner.count && inner[j] != .anything && next[j + 1]
                case .literal:
                    covered[j] = j < inner.count && inner[j] == token && next[j + 1]
                }
            }
            swap(&next, &covered)
        }
        return next[0]
    }

    /// A Resource pattern's parts: `*`, `?`, or one literal Unicode scalar.
    private enum GlobToken: Equatable {
        case anything
        case anyOne
        case literal(Unicode.Scalar)

        /// nil for a pattern with a policy variable other than the three escapes.
        static func parse(_ pattern: String) -> [GlobToken]? {
            let scalars = Array(pattern.unicodeScalars)
            var tokens: [GlobToken] = []
            var index = 0
            while index < scalars.count {
                switch scalars[index] {
                case "*": tokens.append(.anything)
                case "?": tokens.append(.anyOne)
                case "$":
                    guard index + 3 < scalars.count, scalars[index + 1] == "{",
                        scalars[index + 3] == "}", ["*", "?", "$"].contains(scalars[index + 2])
                    else { return nil }
                    tokens.append(.literal(scalars[index + 2]))
                    index += 3
                default: tokens.append(.literal(scalars[index]))
                }
                index += 1
            }
            return tokens
        }
    }

    /// Whether patterns `a` and `b` may match a common ARN: their literal parts up to the first
    /// wildcard agree (one starts with the other), or, without wildcards, they are equal.
    static func mayOverlap(_ a: String, _ b: String) -> Bool {
        let wildcard: (Character) -> Bool = { $0 == "*" || $0 == "?" || $0 == "$" }
        let aPrefix = a.prefix { !wildcard($0) }
        let bPrefix = b.prefix { !wildcard($0) }
        if aPrefix.count == a.count && bPrefix.count == b.count { return a == b }
        if aPrefix.count == a.count { return b.count > bPrefix.count && a.hasPrefix(bPrefix) }
        if bPrefix.count == b.count { return b.hasPrefix(aPrefix) }
        return aPrefix.hasPrefix(bPrefix) || bPrefix.hasPrefix(aPrefix)
    }
}

extension EffectivePermissions {
    /// Whether an identity-policy Deny (of any form: with a condition, NotAction, NotResource or
    /// on some resources) may apply to `action`: a suggestion written as Allows only does not
    /// carry it.
    package func hasDeny(action: String) -> Bool {
        statements.contains { !$0.isAllow && !$0.isBoundary && $0.matches(action: action) }
    }
}
