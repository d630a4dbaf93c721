/// A least-privilege permission policy for one principal: only what succeeded, scoped to what
/// it touched, with every widening explained.
package struct PolicySuggestion: Sendable {
    /// IAM's quota for a role's inline policies, whitespace not counted (IAM quotas).
    package static let inlinePolicyLimit = 10_240
    /// IAM's quota for one managed policy, whitespace not counted.
    package static let managedPolicyLimit = 6_144

    /// One statement: actions of one service sharing one resource list and condition.
    package struct Statement: Sendable, Equatable {
        package var service: String
        package var actions: [String]
        package var resources: [String]
        /// The condition the current grant holds the actions under, kept.
        package var condition: [PolicyCondition] = []
    }

    /// One action to grant, with its evidence and what it is granted today.
    package struct Entry: Sendable {
        package var action: CatalogAction
        /// ARNs its succeeded calls touched within the grant, sorted.
        package var evidence: [String]
        package var truncated: Bool
        /// The Resource patterns that grant it today.
        package var grantResources: [String]
        /// nil: granted unconditionally today; else the condition sets it is granted under.
        package var conditions: [[PolicyCondition]]?
        /// An action a used call may need without an event of its own (`iam:PassRole`,
        /// `ec2:CreateTags` to tag on create), kept without events.
        package var isSilentDependency = false
        /// Whether granting the action on a pattern, unconditionally, allows nothing today's
        /// policies do not (no condition dropped, no Deny or NotResource lost): what a scope
        /// wider than the evidence is held to.
        package var allowsToday: @Sendable (String) -> Bool = { _ in false }
        /// Whether today's Allows with a condition set reach a pattern whole under it: each
        /// set is written with the resources its own statements allow (a resource granted
        /// under one condition only is never written under another).
        package var allowedUnder: @Sendable ([PolicyCondition], String) -> Bool = { _, _ in true }
    }

    package var statements: [Statement]
    /// The document, ready for `aws iam put-role-policy`.
    package var document: PolicyJSON
    /// Characters IAM counts (no whitespace).
    package var size: Int
    /// Actions kept, lower-cased, for the diff.
    package var actionKeys: Set<String>
    package var warnings: [String]

    /// The policy for `entries`: the actions that succeeded, with their evidence.
    package init(_ entries: [Entry], catalog: IAMCatalog) {
        var warnings: [String] = []
        var statements = PolicySuggestion.statements(
            entries, catalog: catalog, coarse: false,
            warnings: &warnings)
        var document = PolicySuggestion.document(statements)
        var size = document.compactText.utf8.count
        if size > PolicySuggestion.inlinePolicyLimit {
            var coarseWarnings: [String] = []
            statements = PolicySuggestion.statements(
                entries, catalog: catalog, coarse: true,
                warnings: &coarseWarnings)
            document = PolicySuggestion.document(statements)
            let coarseSize = document.compactText.utf8.count
            warnings = coarseWarnings
            warnings.append(
                "the exact policy has \(size) characters, over the \(Self.inlinePolicyLimit) "
                    + "of a role's inline policies: resources rolled up to buckets and prefixes")
            size = coarseSize
        }
        if size > PolicySuggestion.inlinePolicyLimit {
            warnings.append(
                "the policy has \(size) characters and does not fit the "
                    + "\(Self.inlinePolicyLimit)-character inline quota: split it across managed "
                    + "policies (\(Self.managedPolicyLimit) characters each)")
        } else if size > PolicySuggestion.managedPolicyLimit {
            warnings.append(
                "the policy has \(size) characters: it fits inline (put-role-policy) but not "
                    + "one managed policy (\(Self.managedPolicyLimit))")
        }
        self.statements = statements
        self.document = document
        self.size = size
        self.actionKeys = Set(statements.flatMap { $0.actions.map { $0.lowercased() } })
        self.warnings = warnings
    }

    private static func statements(
        _ entries: [Entry], catalog: IAMCatalog, coarse: Bool, warnings: inout [String]
    ) -> [Statement] {
        struct Key: Hashable {
            var service: String
            var resources: [String]
            var condition: [PolicyCondition]
        }
        var grouped: [Key: [String]] = [:]
        // Actions per reason their scope is wider than the evidence, one warning per reason.
        var widened: [String: [String]] = [:]
        // Conditional grants no single statement of which allows a scoped resource whole.
        var unproven: [String] = []
        for entry in entries {
            // Kept conditions go with the grant as it is; a wider scope is only written bare.
            var allowsToday: ((String) -> Bool)? = nil
            if entry.conditions == nil { allowsToday = entry.allowsToday }
            let scope = ResourceScope(
                for: entry.action, evidence: entry.evidence, truncated: entry.truncated,
                grant: entry.grantResources, catalog: catalog, coarse: coarse,
                allowsToday: allowsToday)
            let name = entry.action.name
            if entry.isSilentDependency {
                widened[
                    "kept without events (may be needed by a used action)", default: []
                ].append(name)
            } else if let widening = scope.widening {
                let target = scope.resources == ["*"] ? "Resource \"*\"" : "resources widened"
                widened["\(target): \(widening)", default: []].append(name)
            }
            let service = String(name.prefix { $0 != ":" })
            let conditions = entry.conditions ?? [[]]
            // Each resource goes under the conditions whose statements allow it whole; one
            // that none does (NotResource, a pattern wider than each statement's) under all of
            // them, said: leaving it out would break the calls that need it.
            var resourcesUnder = [[String]](repeating: [], count: conditions.count)
            for resource in scope.resources {
                var allowing = conditions.indices.filter {
                    entry.conditions == nil || entry.allowedUnder(conditions[$0], resource)
                }
                if allowing.isEmpty {
                    unproven.append("\(name) on \(resource)")
                    allowing = Array(conditions.indices)
                }
                for index in allowing { resourcesUnder[index].append(resource) }
            }
            for (condition, resources) in zip(conditions, resourcesUnder) where !resources.isEmpty {
                let key = Key(service: service, resources: resources, condition: condition)
                if grouped[key]?.contains(name) != true { grouped[key, default: []].append(name) }
            }
            if let conditions = entry.conditions {
                widened["kept under the conditions it is granted with today", default: []]
                    .append(name + (conditions.count > 1 ? " (\(conditions.count) ways)" : ""))
            }
        }
        for (reason, actions) in widened.sorted(by: { $0.key < $1.key }) {
            warnings.append("\(reason): \(actions.sorted().joined(separator: ", "))")
        }
        if !unproven.isEmpty {
            warnings.append(
                "no one of today's conditional statements allows all of "
                    + unproven.prefix(3).joined(separator: "; ")
                    + (unproven.count > 3 ? "; ..." : "")
                    + ": written under each of its conditions, which may reach resources today's"
                    + " statements allow only under another or exclude: check them by hand")
        }

        let statements = grouped.map { key, actions in
            Statement(
                service: key.service, actions: actions.sorted(), resources: key.resources,
                condition: key.condition)
        }
        return statements.sorted {
            ($0.service, $0.resources.joined(separator: "\n"), "\($0.condition)")
                < ($1.service, $1.resources.joined(separator: "\n"), "\($1.condition)")
        }
    }

    /// The IAM document, with a Sid per statement from its service (`S3`, `S3N2`, ...).
    static func document(_ statements: [Statement]) -> PolicyJSON {
        var seen: [String: Int] = [:]
        let rendered: [PolicyJSON] = statements.map { statement in
            let base = sidBase(statement.service)
            seen[base, default: 0] += 1
            let sid = seen[base]! == 1 ? base : "\(base)N\(seen[base]!)"
            var members: [(String, PolicyJSON)] = [
                ("Sid", .string(sid)), ("Effect", .string("Allow")),
                ("Action", .strings(statement.actions)),
                ("Resource", .strings(statement.resources)),
            ]
            if !statement.condition.isEmpty {
                members.append(("Condition", .condition(statement.condition)))
            }
            return .object(members)
        }
        return .object([("Version", .string("2012-10-17")), ("Statement", .array(rendered))])
    }

    /// `s3-object-lambda` -> `S3ObjectLambda`: Sids are alphanumeric.
    private static func sidBase(_ service: String) -> String {
        service.split { !$0.isLetter && !$0.isNumber }
            .map { $0.prefix(1).uppercased() + $0.dropFirst() }
            .joined()
    }
}
