extension AuthorizationDetails {
    /// The role's inline and attached managed policies, limited by its permissions boundary.
    package func effectivePermissions(for role: IAMRole) -> EffectivePermissions {
        var builder = PermissionsBuilder(details: self)
        builder.addInline(
            role.inlinePolicies, unreadable: role.unreadableInlinePolicies, group: nil)
        builder.addManaged(role.attachedPolicyArns, group: nil)
        return builder.finish(principalArn: role.arn, boundaryArn: role.permissionsBoundaryArn)
    }

    /// The user's own inline and managed policies and those of every group it is in, limited
    /// by its permissions boundary (groups have no boundaries).
    package func effectivePermissions(for user: IAMUser) -> EffectivePermissions {
        var builder = PermissionsBuilder(details: self)
        builder.addInline(
            user.inlinePolicies, unreadable: user.unreadableInlinePolicies, group: nil)
        builder.addManaged(user.attachedPolicyArns, group: nil)
        for name in user.groups {
            guard let group = group(named: name, accountOf: user.arn) else {
                builder.unresolved.append("group \(name) (not in the export)")
                continue
            }
            builder.addInline(
                group.inlinePolicies, unreadable: group.unreadableInlinePolicies, group: group.name)
            builder.addManaged(group.attachedPolicyArns, group: group.name)
        }
        return builder.finish(principalArn: user.arn, boundaryArn: user.permissionsBoundaryArn)
    }

    /// The permissions of the role or user with this ARN; nil when the export has neither.
    package func effectivePermissions(forPrincipal arn: String) -> EffectivePermissions? {
        if let role = role(arn: arn) { return effectivePermissions(for: role) }
        if let user = user(arn: arn) { return effectivePermissions(for: user) }
        return nil
    }
}

/// Collects one principal's policies with their sources.
private struct PermissionsBuilder {
    let details: AuthorizationDetails
    var policies: [(PolicySource, PolicyDocument)] = []
    var unresolved: [String] = []

    mutating func addInline(_ inline: [InlinePolicy], unreadable: [String], group: String?) {
        for policy in inline {
            let source = PolicySource(name: policy.name, kind: .inline, group: group)
            policies.append((source, policy.document))
        }
        let owner = group.map { " of group \($0)" } ?? ""
        unresolved += unreadable.map { "inline policy \($0)\(owner) (unreadable)" }
    }

    mutating func addManaged(_ arns: [String], group: String?) {
        for arn in arns {
            guard let (source, document) = managed(arn, group: group) else { continue }
            policies.append((source, document))
        }
    }

    /// The source and document of a managed policy, or nil with the gap recorded.
    mutating func managed(_ arn: String, group: String?) -> (PolicySource, PolicyDocument)? {
        guard let policy = details.managedPolicies[arn] else {
            let why =
                details.unreadableManagedPolicies.contains(arn) ? "unreadable" : "not in the export"
            unresolved.append("\(arn) (\(why))")
            return nil
        }
        let source = PolicySource(
            name: policy.name, arn: arn, kind: PolicySource.Kind(managedPolicyARN: arn),
            group: group)
        return (source, policy.document)
    }

    /// The permissions; a boundary that cannot be resolved is left out and named.
    mutating func finish(principalArn: String, boundaryArn: String?) -> EffectivePermissions {
        var boundary: (PolicySource, PolicyDocument)?
        if let boundaryArn, let (source, document) = managed(boundaryArn, group: nil) {
            var source = source
            source.isBoundary = true
            boundary = (source, document)
        }
        if boundaryArn != nil, boundary == nil, let last = unresolved.popLast() {
            unresolved.append("permissions boundary \(last)")
        }
        return EffectivePermissions(
            principalArn: principalArn, policies: policies, boundary: boundary,
            unresolved: unresolved)
    }
}
