/// A least-privilege permission policy for one principal: only what succeeded, scoped to what
/// it touched, with every widening explained.
package struct PolicySuggestion: Sendable {
    /// IAM's quota for a role's inline policies, whitespace not counted (IAM quotas).
    package static let inlinePolicyLimit = 10_240
    /// IAM's quota for one managed policy, whitespace not counted.
    package static let managedPolicyLimit = 6_144

    /// One statement: actions of one service sharing one resource list.
    package struct Statement: Sendable, Equatable {
        package var service: String
        package var actions: [String]
        package var resources: [String]
    }

    package var statements: [Statement]
    /// The document, ready for `aws iam put-role-policy`.
    package var document: PolicyJSON
    /// Characters IAM counts (no whitespace).
    package var size: Int
    /// Actions kept, lower-cased, for the diff.
    package var actionKeys: Set<String>
    package var warnings: [String]

    /// The policy for `used` actions (succeeded ones) with their evidence; `dependencies`
    /// are permission-only actions a used action needs, kept without events.
    package init(
        used: [ObservedUsage.ActionUse], dependencies: [CatalogAction], catalog: IAMCatalog
    ) {
        var warnings: [String] = []
        var statements = PolicySuggestion.statements(
            used: used, dependencies: dependencies, catalog: catalog, coarse: false,
            warnings: &warnings)
        var document = PolicySuggestion.document(statements)
        var size = document.compactText.utf8.count
        if size > PolicySuggestion.inlinePolicyLimit {
            var coarseWarnings: [String] = []
            statements = PolicySuggestion.statements(
                used: used, dependencies: dependencies, catalog: catalog, coarse: true,
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
        used: [ObservedUsage.ActionUse], dependencies: [CatalogAction], catalog: IAMCatalog,
        coarse: Bool, warnings: inout [String]
    ) -> [Statement] {
        var grouped: [[String]: [String]] = [:]
        // Actions per reason their scope is wider than the evidence, one warning per reason.
        var widened: [String: [String]] = [:]
        for use in used {
            let scope = ResourceScope(
                for: use.action, evidence: use.succeededResources, catalog: catalog, coarse: coarse)
            if let widening = scope.widening {
                let target = scope.resources == ["*"] ? "Resource \"*\"" : "resources rolled up"
                widened["\(target): \(widening)", default: []].append(use.action.name)
            }
            grouped[scope.resources, default: []].append(use.action.name)
        }
        for action in dependencies {
            widened["kept without events (permission-only, needed by a used action)", default: []]
                .append(action.name)
            grouped[["*"], default: []].append(action.name)
        }
        for (reason, actions) in widened.sorted(by: { $0.key < $1.key }) {
            warnings.append("\(reason): \(actions.sorted().joined(separator: ", "))")
        }

        var statements: [Statement] = []
        for (resources, actions) in grouped {
            var byService: [String: [String]] = [:]
            for action in actions {
                byService[String(action.prefix { $0 != ":" }), default: []].append(action)
            }
            for (service, actions) in byService {
                statements.append(
                    Statement(service: service, actions: actions.sorted(), resources: resources))
            }
        }
        return statements.sorted {
            ($0.service, $0.resources.joined(separator: "\n"))
                < ($1.service, $1.resources.joined(separator: "\n"))
        }
    }

    /// The IAM document, with a Sid per statement from its service (`S3`, `S3N2`, ...).
    static func document(_ statements: [Statement]) -> PolicyJSON {
        var seen: [String: Int] = [:]
        let rendered: [PolicyJSON] = statements.map { statement in
            let base = sidBase(statement.service)
            seen[base, default: 0] += 1
            let sid = seen[base]! == 1 ? base : "\(base)N\(seen[base]!)"
            return .object([
                ("Sid", .string(sid)), ("Effect", .string("Allow")),
                ("Action", .strings(statement.actions)),
                ("Resource", .strings(statement.resources)),
            ])
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
