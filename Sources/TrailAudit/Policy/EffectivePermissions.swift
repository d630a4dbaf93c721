/// What a role or user may do: its identity policies intersected with its permissions boundary
/// (facts §6.3), with every statement's origin kept.
///
/// Session policies, SCPs, RCPs and resource policies are outside this view: they can only
/// narrow what is computed here (or, for resource policies, grant through another path).
package struct EffectivePermissions: Sendable {
    /// The role or user ARN (path included).
    package let principalArn: String
    /// The policies the statements came from; `CompiledStatement.sourceIndex` points here.
    package let sources: [PolicySource]
    /// Identity statements first, then the boundary's.
    let statements: [CompiledStatement]
    /// Whether a permissions boundary applies.
    package let hasBoundary: Bool
    /// Policies referenced but unreadable or absent from the input: the view is incomplete.
    package let unresolvedPolicies: [String]
    /// The catalog whose ARN templates tell when a Deny covers every resource of an action;
    /// without it such a Deny only partially denies.
    let catalog: IAMCatalog?

    /// Permissions from identity `policies` and an optional `boundary`.
    ///
    /// `unresolved` names policies the principal has but that could not be read; a boundary
    /// that could not be read is passed as nil and named there, so the view errs towards more
    /// access, never less. `catalog` (nil in tests that want the plain statements) lets a Deny
    /// on every ARN an action can take (`arn:aws:s3:::*`) remove the action.
    package init(
        principalArn: String, policies: [(PolicySource, PolicyDocument)],
        boundary: (PolicySource, PolicyDocument)? = nil, unresolved: [String] = [],
        catalog: IAMCatalog? = .shared
    ) {
        var sources: [PolicySource] = []
        var statements: [CompiledStatement] = []
        for (source, document) in policies {
            for statement in document.statements {
                statements.append(
                    CompiledStatement(
                        statement, sourceIndex: sources.count, isBoundary: false,
                        readsVariables: document.readsPolicyVariables))
            }
            sources.append(source)
        }
        if let (source, document) = boundary {
            var source = source
            source.isBoundary = true
            for statement in document.statements {
                statements.append(
                    CompiledStatement(
                        statement, sourceIndex: sources.count, isBoundary: true,
                        readsVariables: document.readsPolicyVariables))
            }
            sources.append(source)
        }
        self.principalArn = principalArn
        self.sources = sources
        self.statements = statements
        self.hasBoundary = boundary != nil
        self.unresolvedPolicies = unresolved
        self.catalog = catalog
    }

    /// The identity statements (boundary excluded) with where each came from.
    package var identityStatements: [(source: PolicySource, statement: PolicyStatement)] {
        statements.filter { !$0.isBoundary }.map { (sources[$0.sourceIndex], $0.statement) }
    }

    /// The boundary's statements; empty without a boundary.
    package var boundaryStatements: [PolicyStatement] {
        statements.filter(\.isBoundary).map(\.statement)
    }

    /// The labels of the policies behind `indices`, each once, in statement order.
    func labels(of indices: [Int]) -> [String] {
        var seen: Set<Int> = []
        return indices.compactMap { index in
            let source = statements[index].sourceIndex
            return seen.insert(source).inserted ? sources[source].label : nil
        }
    }
}

/// Whether a principal may perform an action, and how sure that is.
package struct PolicyDecision: Equatable, Sendable {
    /// The outcome.
    package enum Verdict: String, Equatable, Sendable {
        /// An unconditional Allow applies and no Deny removes it.
        case allowed
        /// Only conditional Allows apply, or a conditional Deny may remove it.
        case allowedConditionally = "allowed-conditionally"
        /// An unconditional Deny applies (to every resource, at the action level).
        case explicitlyDenied = "explicitly-denied"
        /// No Allow applies, or the permissions boundary allows none of it.
        case implicitlyDenied = "implicitly-denied"
    }

    /// The outcome.
    package var verdict: Verdict
    /// At the action level: an unconditional Deny covers some of the allowed resources.
    package var isPartiallyDenied: Bool = false
    /// Identity policies allow it, but the permissions boundary does not.
    package var isOutsideBoundary: Bool = false
    /// The policies behind the verdict: the denying ones for a Deny, the allowing identity
    /// policies for an Allow, none for an implicit deny.
    package var sources: [String] = []

    /// Whether the action is allowed, with or without conditions.
    package var isAllowed: Bool { verdict == .allowed || verdict == .allowedConditionally }
}
