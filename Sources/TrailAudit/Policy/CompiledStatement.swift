/// A statement with its patterns compiled, ready to be matched many times.
struct CompiledStatement: Sendable {
    /// The statement as written.
    let statement: PolicyStatement
    /// Index of its policy in the owner's `sources`.
    let sourceIndex: Int
    /// Whether it belongs to the permissions boundary.
    let isBoundary: Bool
    /// `Allow` (true) or `Deny`.
    let isAllow: Bool
    /// Whether it has a `Condition`.
    let isConditional: Bool
    /// `Action` / `NotAction` patterns (case-insensitive).
    let actionPatterns: [IAMGlob]
    /// Whether the action patterns are `NotAction`.
    let actionsExcluded: Bool
    /// `Resource` / `NotResource` patterns (case-sensitive); nil when the statement has neither.
    let resourcePatterns: [IAMGlob]?
    /// Whether the resource patterns are `NotResource`.
    let resourcesExcluded: Bool
    /// Whether the document gives `${...}` a meaning (version `2012-10-17`).
    let readsVariables: Bool
    /// The literal text of the `Resource` patterns of the form `text*` (see
    /// `coveringPrefixes(of:excluded:)`).
    let coveringPrefixes: [[UInt8]]

    /// Compiles `statement` of the policy at `sourceIndex`; `readsVariables` is whether its
    /// document has the version (`2012-10-17`) that gives `${...}` a meaning.
    init(_ statement: PolicyStatement, sourceIndex: Int, isBoundary: Bool, readsVariables: Bool) {
        self.statement = statement
        self.sourceIndex = sourceIndex
        self.isBoundary = isBoundary
        self.isAllow = statement.effect == .allow
        self.isConditional = statement.isConditional
        self.actionPatterns = statement.actions.patterns.map(IAMGlob.action)
        self.actionsExcluded = statement.actions.isExclusion
        self.readsVariables = readsVariables
        self.resourcePatterns = statement.resources?.patterns.map {
            IAMGlob.resource($0, readsVariables: readsVariables)
        }
        self.resourcesExcluded = statement.resources?.isExclusion ?? false
        self.coveringPrefixes = Self.coveringPrefixes(
            of: resourcePatterns, excluded: resourcesExcluded)
    }

    /// Whether the statement applies to `action`.
    func matches(action: String) -> Bool {
        actionPatterns.contains { $0.matches(action) } != actionsExcluded
    }

    /// Whether the statement applies to `resource`.
    func matches(resource: String) -> Bool {
        guard let resourcePatterns else { return true }
        return resourcePatterns.contains { $0.matches(resource) } != resourcesExcluded
    }

    /// Whether some resource at all falls under the statement (`NotResource: "*"` and
    /// `Resource: []` leave none).
    var canMatchSomeResource: Bool {
        guard let resourcePatterns else { return true }
        if resourcesExcluded { return !resourcePatterns.contains(where: \.matchesEverything) }
        return !resourcePatterns.isEmpty
    }

    /// Whether the statement applies to every resource of any action it names.
    ///
    /// `Resource: "*"` does. `NotResource` never does (unless empty): the resources it lists
    /// stay outside, and we do not tell whether the action can reach them, so a `NotResource`
    /// Deny only ever denies part of an action. Patterns that cover every ARN of one action
    /// (`arn:aws:s3:::*`) need the catalog: `EffectivePermissions.catalogRemoves`.
    var coversEveryResource: Bool {
        guard let resourcePatterns else { return true }
        if resourcesExcluded { return resourcePatterns.isEmpty }
        return resourcePatterns.contains(where: \.matchesEverything)
    }

    /// Whether some resource falls under both statements, spending at most about `budget`
    /// glob steps (see `IAMGlob.overlaps(_:budget:)`; yes once it runs out).
    ///
    /// Exact for two `Resource` lists within the budget. When either side is `NotResource` the
    /// answer is yes (unless a side matches nothing): telling whether listed patterns all fall
    /// inside the excluded ones needs glob containment, which this does not attempt.
    func sharesSomeResource(with other: CompiledStatement, budget: inout Int) -> Bool {
        guard canMatchSomeResource, other.canMatchSomeResource else { return false }
        guard let mine = resourcePatterns, let theirs = other.resourcePatterns else { return true }
        guard !resourcesExcluded, !other.resourcesExcluded else { return true }
        return mine.contains { pattern in
            theirs.contains { pattern.overlaps($0, budget: &budget) }
        }
    }

    /// The `Resource` values (`*` when the statement has no resource element), empty for
    /// `NotResource`; as a `2012-10-17` document reads them (see `written`).
    var listedResources: [String] {
        guard let resources = statement.resources else { return ["*"] }
        return resourcesExcluded ? [] : resources.patterns.map(written)
    }

    /// The `Condition`, as a `2012-10-17` document must write it (see `written`).
    var writtenConditions: [PolicyCondition] {
        statement.conditions.map { $0.written(readsVariables: readsVariables) }
    }

    /// The `NotResource` values, empty for `Resource`; as `listedResources`.
    var excludedResources: [String] {
        resourcesExcluded ? (statement.resources?.patterns ?? []).map(written) : []
    }

    /// `pattern` as a `2012-10-17` document must write it to mean what this statement means:
    /// in an older document `${aws:username}` is literal text, which the newer reads as a
    /// variable, so its `$` are written `${$}`.
    private func written(_ pattern: String) -> String {
        readsVariables ? pattern : PolicyDocument.asText(pattern)
    }
}
