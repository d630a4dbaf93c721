extension EffectivePermissions {
    /// Whether the principal may call `action` on `resource`.
    ///
    /// With `resource` nil the question is "for some resource" (the action level): an Allow
    /// counts if its resources can match anything, a Deny removes the action only when it is
    /// unconditional and covers every resource, and a Deny on some resources marks the result
    /// partially denied.
    package func decision(action: String, resource: String?) -> PolicyDecision {
        let matched = statements.indices.filter { statements[$0].matches(action: action) }
        guard let resource else {
            var overlaps = ResourceOverlaps()
            return actionLevelOutcome(of: matched, overlaps: &overlaps, action: action).decision
        }
        return resourceDecision(matched.filter { statements[$0].matches(resource: resource) })
    }

    /// The decision from the statements that match both the action and the resource.
    private func resourceDecision(_ applicable: [Int]) -> PolicyDecision {
        let denies = applicable.filter { !statements[$0].isAllow }
        let unconditionalDenies = denies.filter { !statements[$0].isConditional }
        if !unconditionalDenies.isEmpty {
            return PolicyDecision(
                verdict: .explicitlyDenied, sources: labels(of: unconditionalDenies))
        }

        let allows = applicable.filter { statements[$0].isAllow && !statements[$0].isBoundary }
        let boundaryAllows = applicable.filter {
            statements[$0].isAllow && statements[$0].isBoundary
        }
        guard !allows.isEmpty else { return PolicyDecision(verdict: .implicitlyDenied) }
        if hasBoundary, boundaryAllows.isEmpty {
            return PolicyDecision(verdict: .implicitlyDenied, isOutsideBoundary: true)
        }

        let isConditional =
            allows.allSatisfy { statements[$0].isConditional }
            || (hasBoundary && boundaryAllows.allSatisfy { statements[$0].isConditional })
            || !denies.isEmpty
        return PolicyDecision(
            verdict: isConditional ? .allowedConditionally : .allowed, sources: labels(of: allows))
    }

    /// The action-level evaluation of the statements whose actions match (their indices, in
    /// order); shared by `decision(action:resource: nil)` and `grantedActions`. With `action`,
    /// Denies that cover every ARN of it by the catalog remove it too (`grants(in:)` checks
    /// those per action itself, as one outcome serves many actions there).
    func actionLevelOutcome(
        of matched: [Int], overlaps: inout ResourceOverlaps, action: String? = nil
    ) -> ActionLevelOutcome {
        let usable = matched.filter { statements[$0].canMatchSomeResource }
        let denies = usable.filter { !statements[$0].isAllow }
        let removing = denies.filter {
            !statements[$0].isConditional && statements[$0].coversEveryResource
        }
        if !removing.isEmpty {
            let decision = PolicyDecision(verdict: .explicitlyDenied, sources: labels(of: removing))
            return ActionLevelOutcome(decision: decision)
        }
        if let action {
            let candidates = catalogCandidates(among: denies)
            var covered: [String: Bool] = [:]
            if catalogRemoves(action: action, denies: candidates, covered: &covered) {
                let sources = labels(ofDeniesCovering: action, among: candidates)
                let decision = PolicyDecision(verdict: .explicitlyDenied, sources: sources)
                return ActionLevelOutcome(decision: decision)
            }
        }

        // With a boundary, an identity Allow counts only where a boundary Allow shares some
        // resource with it; the pair is unconditional only if both statements are.
        var allows = usable.filter { statements[$0].isAllow && !statements[$0].isBoundary }
        var boundaryAllows: [Int] = []
        var hasUnconditionalPath = allows.contains { !statements[$0].isConditional }
        if hasBoundary {
            let candidates = usable.filter { statements[$0].isAllow && statements[$0].isBoundary }
            var pairs: [(Int, Int)] = []
            for allow in allows {
                for limit in candidates where overlaps.shared(allow, limit, in: statements) {
                    pairs.append((allow, limit))
                }
            }
            let identityCount = allows.count
            allows = allows.filter { allow in pairs.contains { $0.0 == allow } }
            boundaryAllows = candidates.filter { limit in pairs.contains { $0.1 == limit } }
            hasUnconditionalPath = pairs.contains {
                !statements[$0.0].isConditional && !statements[$0.1].isConditional
            }
            if allows.isEmpty, identityCount > 0 {
                let decision = PolicyDecision(verdict: .implicitlyDenied, isOutsideBoundary: true)
                return ActionLevelOutcome(decision: decision)
            }
        }
        guard !allows.isEmpty else {
            return ActionLevelOutcome(decision: PolicyDecision(verdict: .implicitlyDenied))
        }

        // The remaining Denies matter only where they share resources with what is allowed.
        var isConditional = !hasUnconditionalPath
        var isPartiallyDenied = false
        for deny in denies
        where allows.contains(where: { overlaps.shared($0, deny, in: statements) }) {
            if statements[deny].isConditional {
                isConditional = true
            } else {
                isPartiallyDenied = true
            }
        }
        let decision = PolicyDecision(
            verdict: isConditional ? .allowedConditionally : .allowed,
            isPartiallyDenied: isPartiallyDenied, sources: labels(of: allows))
        return ActionLevelOutcome(
            decision: decision, allows: allows, boundaryAllows: boundaryAllows)
    }
}

/// The action-level result with the statements that made it.
struct ActionLevelOutcome {
    /// The decision.
    var decision: PolicyDecision
    /// The identity Allows that grant it (within the boundary).
    var allows: [Int] = []
    /// The boundary Allows that let it through.
    var boundaryAllows: [Int] = []
}

/// Memo of whether two statements share some resource, with a step budget for the whole
/// evaluation (glob products are not free, and a policy can hold thousands of statements).
///
/// Each pair may spend `IAMGlob.pairStepBudget` steps, all pairs together `budget`; a pair
/// costs at least one step. Once the budget is spent every further pair is assumed to share a
/// resource: a Deny then only partially denies and a boundary lets the Allow through, so the
/// view errs towards more access, never less. One evaluation thus costs at most the budget
/// plus constant work per pair visited.
struct ResourceOverlaps {
    /// Steps one evaluation may spend on glob products (about a tenth of a second).
    static let defaultBudget = 20_000_000

    private var known: [Int: Bool] = [:]
    /// Steps left.
    private(set) var budget: Int

    /// A memo allowed `budget` steps in all.
    init(budget: Int = Self.defaultBudget) {
        self.budget = budget
    }

    /// Whether statements `first` and `second` share some resource.
    mutating func shared(_ first: Int, _ second: Int, in statements: [CompiledStatement]) -> Bool {
        let key = min(first, second) << 32 | max(first, second)
        if let answer = known[key] { return answer }
        guard budget > 0 else { return true }

        var allowance = min(budget, IAMGlob.pairStepBudget)
        let start = allowance
        let answer = statements[first].sharesSomeResource(
            with: statements[second], budget: &allowance)
        budget -= max(1, start - allowance)
        known[key] = answer
        return answer
    }
}
