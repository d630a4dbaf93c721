extension EntryReader {
    /// A `RoleDetailList` entry.
    mutating func role(_ entry: [String: Any], index: Int) -> IAMRole? {
        let list = "RoleDetailList"
        guard let arn = required(entry, "Arn", list: list, index: index),
            let name = required(entry, "RoleName", list: list, index: index)
        else { return nil }
        let (inline, unreadable) = inlinePolicies(entry["RolePolicyList"], owner: arn)
        return IAMRole(
            arn: arn, name: name, path: entry["Path"] as? String ?? "/",
            roleId: entry["RoleId"] as? String ?? "", createDate: date(entry["CreateDate"]),
            trustPolicy: document(entry["AssumeRolePolicyDocument"], policy: "\(arn) trust policy"),
            inlinePolicies: inline, unreadableInlinePolicies: unreadable,
            attachedPolicyArns: attachedArns(entry["AttachedManagedPolicies"]),
            permissionsBoundaryArn: boundaryArn(entry["PermissionsBoundary"]),
            tags: tags(entry["Tags"]))
    }

    /// A `UserDetailList` entry.
    mutating func user(_ entry: [String: Any], index: Int) -> IAMUser? {
        let list = "UserDetailList"
        guard let arn = required(entry, "Arn", list: list, index: index),
            let name = required(entry, "UserName", list: list, index: index)
        else { return nil }
        let (inline, unreadable) = inlinePolicies(entry["UserPolicyList"], owner: arn)
        return IAMUser(
            arn: arn, name: name, path: entry["Path"] as? String ?? "/",
            userId: entry["UserId"] as? String ?? "", createDate: date(entry["CreateDate"]),
            inlinePolicies: inline, unreadableInlinePolicies: unreadable,
            attachedPolicyArns: attachedArns(entry["AttachedManagedPolicies"]),
            permissionsBoundaryArn: boundaryArn(entry["PermissionsBoundary"]),
            groups: (entry["GroupList"] as? [Any] ?? []).compactMap { $0 as? String },
            tags: tags(entry["Tags"]))
    }

    /// A `GroupDetailList` entry.
    mutating func group(_ entry: [String: Any], index: Int) -> IAMGroup? {
        let list = "GroupDetailList"
        guard let arn = required(entry, "Arn", list: list, index: index),
            let name = required(entry, "GroupName", list: list, index: index)
        else { return nil }
        let (inline, unreadable) = inlinePolicies(entry["GroupPolicyList"], owner: arn)
        return IAMGroup(
            arn: arn, name: name, path: entry["Path"] as? String ?? "/",
            groupId: entry["GroupId"] as? String ?? "", createDate: date(entry["CreateDate"]),
            inlinePolicies: inline, unreadableInlinePolicies: unreadable,
            attachedPolicyArns: attachedArns(entry["AttachedManagedPolicies"]))
    }

    /// A `Policies` entry with the document of its default version (and only that one:
    /// older versions are kept by IAM but grant nothing).
    mutating func managedPolicy(_ entry: [String: Any], index: Int) -> ManagedPolicy? {
        let list = "Policies"
        guard let arn = required(entry, "Arn", list: list, index: index),
            let name = required(entry, "PolicyName", list: list, index: index)
        else { return nil }

        let versions = (entry["PolicyVersionList"] as? [Any] ?? []).compactMap {
            $0 as? [String: Any]
        }
        guard let current = versions.first(where: { $0["IsDefaultVersion"] as? Bool == true })
        else {
            problems.append(.noDefaultVersion(policyArn: arn))
            unreadableManagedPolicies.insert(arn)
            return nil
        }
        guard let document = document(current["Document"], policy: arn) else {
            if current["Document"] == nil {
                let error = PolicyError(policy: arn, .notADocument(found: "no Document"))
                problems.append(.invalidPolicy(error))
            }
            unreadableManagedPolicies.insert(arn)
            return nil
        }

        let versionId = current["VersionId"] as? String
        return ManagedPolicy(
            arn: arn, name: name, path: entry["Path"] as? String ?? "/",
            policyId: entry["PolicyId"] as? String ?? "",
            defaultVersionId: entry["DefaultVersionId"] as? String ?? versionId ?? "",
            document: document, attachmentCount: entry["AttachmentCount"] as? Int ?? 0,
            permissionsBoundaryUsageCount: entry["PermissionsBoundaryUsageCount"] as? Int ?? 0)
    }
}
