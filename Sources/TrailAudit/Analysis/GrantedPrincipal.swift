import Foundation

/// One role or user of the IAM inputs, with what it is granted and how it is trusted.
package struct GrantedPrincipal: Sendable {
    package var arn: String
    /// `role` or `user`.
    package var kind: String
    package var isServiceLinked: Bool
    package var created: EpochSeconds?
    package var permissions: EffectivePermissions
    /// The trust policy's Allow entries (roles); nil when the input has no trust policy.
    package var trust: [TrustEntry]?
    /// Whether that trust policy also has Deny statements (not in `trust`).
    package var trustHasDeny = false
    /// Whether the input has a trust policy for it that could not be read (`trust` is nil).
    package var trustUnreadable = false
    /// What a suggestion may edit: AWS-managed policies only detach, shared ones affect others.
    package var editingNotes: [String] = []

    /// A role of an export.
    package init(role: IAMRole, in details: AuthorizationDetails) {
        arn = role.arn
        kind = "role"
        isServiceLinked = role.isServiceLinked
        created = role.createDate
        permissions = details.effectivePermissions(for: role)
        trust = role.trustPolicy.map { $0.trustedPrincipals() }
        trustHasDeny = role.trustPolicy?.hasDenyStatements ?? false
        trustUnreadable = role.trustPolicyUnreadable
        editingNotes = GrantedPrincipal.editingNotes(permissions, details)
        if role.path.hasPrefix("/aws-reserved/sso.amazonaws.com/") {
            editingNotes.append(
                "IAM Identity Center owns this role: apply the suggestion to its permission set")
        }
    }

    /// A user of an export.
    package init(user: IAMUser, in details: AuthorizationDetails) {
        arn = user.arn
        kind = "user"
        isServiceLinked = false
        created = user.createDate
        permissions = details.effectivePermissions(for: user)
        trust = nil
        editingNotes = GrantedPrincipal.editingNotes(permissions, details)
    }

    /// Whether `arn` names an IAM role or user (`arn:P:iam::ACCOUNT:role/path/name`), the only
    /// principals a policy can be granted to here.
    package static func isRoleOrUser(_ arn: String) -> Bool { PrincipalName(arn) != nil }

    /// A principal given one policy document with `--policy ARN=FILE`.
    package init(arn: String, permissions: EffectivePermissions) {
        self.arn = arn
        kind = arn.contains(":user/") ? "user" : "role"
        isServiceLinked = arn.contains(":role/aws-service-role/")
        created = nil
        self.permissions = permissions
        trust = nil
    }

    private static func editingNotes(
        _ permissions: EffectivePermissions, _ details: AuthorizationDetails
    ) -> [String] {
        var notes: [String] = []
        for source in permissions.sources where !source.isBoundary {
            if let group = source.group {
                notes.append(
                    "\(source.label) comes from group \(group): editing it changes every member")
                continue
            }
            switch source.kind {
            case .awsManaged:
                notes.append(
                    "\(source.label) is AWS-managed: it cannot be edited; detach it and attach "
                        + "the suggestion")
            case .customerManaged:
                let shared = source.arn.flatMap { details.managedPolicies[$0]?.attachmentCount }
                if let shared, shared > 1 {
                    notes.append(
                        "\(source.label) is attached to \(shared) principals: editing it changes "
                            + "them all; attach the suggestion as a policy of its own instead")
                }
            case .inline, .file:
                continue
            }
        }
        // Unreadable policies are among the principal's warnings (UnusedAnalysis).
        return notes
    }

    /// Warnings from comparing the current trust policy with who assumed the role: trust never
    /// used, anyone trusted, other accounts trusted without `sts:ExternalId`.
    func trustReview(_ suggestion: TrustSuggestion) -> [String] {
        guard let trust else { return [] }
        var warnings: [String] = []
        if trustHasDeny {
            warnings.append(
                "the current trust policy has Deny statements, which the suggestion does not "
                    + "carry: add them back")
        }
        for entry in trust {
            let label = "\(entry.principal.kind.rawValue) \(entry.principal.value)"
            if entry.principal.kind == .anyone {
                warnings.append("the trust policy allows any principal (\"*\")")
                continue
            }
            // `{"AWS": "*"}` is every principal of every account, as `"*"` is (IAM's Principal
            // element reference lists both for anonymous access).
            if entry.principal.kind == .aws, entry.principal.value == "*" {
                warnings.append(
                    "the trust policy allows any AWS principal of any account ({\"AWS\": \"*\"})")
                continue
            }
            if !suggestion.assumers.contains(where: { entry.covers($0) }) {
                warnings.append("trust never used in the window: \(label)")
            }
        }
        let roleAccount = ARN.account(of: arn).map(String.init)
        var warned: Set<String> = []
        for assumer in suggestion.assumers where assumer.principalType == "AWS" {
            guard let account = ARN.account(of: assumer.principal).map(String.init),
                account != roleAccount, !warned.contains(account)
            else { continue }
            let entries = trust.filter { $0.covers(assumer) }
            let hasExternalId = entries.contains {
                !$0.values(ofConditionKey: "sts:ExternalId").isEmpty
            }
            if !entries.isEmpty, !hasExternalId {
                warned.insert(account)
                warnings.append(
                    "account \(account) assumes the role with no sts:ExternalId condition in the "
                        + "trust policy: if it is a third party, require one (confused deputy)")
            }
        }
        return warnings
    }
}

extension TrustEntry {
    /// Whether this trust entry lets `assumer` in.
    func covers(_ assumer: TrustSuggestion.Assumer) -> Bool {
        let value = principal.value
        switch principal.kind {
        case .anyone: return true
        case .service, .federated:
            return principal.kind.rawValue == assumer.principalType
                && value.lowercased() == assumer.principal.lowercased()
        case .aws:
            guard assumer.principalType == "AWS" else { return false }
            if value == "*" { return true }
            let account = ARN.account(of: assumer.principal).map(String.init)
            if value.allSatisfy(\.isNumber) { return value == account }
            if value.hasSuffix(":root") {
                return ARN.account(of: value).map(String.init) == account
            }
            return value.lowercased() == assumer.principal.lowercased()
        case .canonicalUser:
            return false
        }
    }
}

/// Everything `--iam` and `--policy` give: the principals and the problems of the inputs.
package struct IAMInputs: Sendable {
    package var principals: [GrantedPrincipal] = []
    package var problems: [String] = []

    package init() {}

    /// Loads exports (files, or directories of `*.json` exports) and single policy files;
    /// throws for a named file that cannot be used at all.
    package init(authorizationDetails paths: [String], policies: [(String, String)]) throws {
        if !paths.isEmpty {
            var details = AuthorizationDetails()
            for path in paths {
                for (file, named) in IAMInputs.files(at: path) {
                    if let error = IAMInputs.add(file, to: &details) {
                        // A directory may hold other JSON (a single policy, notes): say so.
                        guard !named else { throw error }
                        problems.append("skipped \(error.description)")
                    }
                }
            }
            principals += details.roles.map { GrantedPrincipal(role: $0, in: details) }
            principals += details.users.map { GrantedPrincipal(user: $0, in: details) }
            problems += details.problems.map(\.description)
        }
        for (arn, path) in policies {
            let input = PolicyFileInput(principalArn: arn, path: path)
            let permissions = try input.effectivePermissions()
            if let index = principals.firstIndex(where: { $0.arn == arn }) {
                problems.append("\(arn): --policy \(path) replaces its policies from the export")
                principals[index].permissions = permissions
            } else {
                principals.append(GrantedPrincipal(arn: arn, permissions: permissions))
            }
        }
        principals.sort { $0.arn < $1.arn }
    }

    /// Adds one export; the error, if it is not one.
    private static func add(_ file: String, to details: inout AuthorizationDetails)
        -> AuthorizationDetailsError?
    {
        do {
            try details.add(file: file)
            return nil
        } catch {
            return error
        }
    }

    /// The export files at `path`, each marked whether it was named (a file) or found in a
    /// directory (its `*.json` files, sorted).
    static func files(at path: String) -> [(String, Bool)] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory),
            isDirectory.boolValue,
            let names = try? FileManager.default.contentsOfDirectory(atPath: path)
        else { return [(path, true)] }
        // Only regular files: a FIFO named x.json would block, a directory cannot be read.
        return names.filter { $0.lowercased().hasSuffix(".json") && !$0.hasPrefix(".") }.sorted()
            .map { (path as NSString).appendingPathComponent($0) }
            .filter {
                let type = try? FileManager.default.attributesOfItem(atPath: $0)[.type]
                return (type as? FileAttributeType) == .typeRegular
            }
            .map { ($0, false) }
    }
}
