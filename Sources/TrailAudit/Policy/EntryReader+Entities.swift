extension EntryReader {
    /// A `RoleDetailList` entry.
    mutating func role(_ entry: [String: Any], index: Int) -> IAMRole? {
        let list = "RoleDetailList"
        guard let arn = required(entry, "Arn", list: list, index: index),
            let name = required(entry, "RoleName", list: list, index: index)
        else { return nil }
        let (inline, unreadable) = inlinePolicies(
            entry["RolePolicyList"], "RolePolicyList", owner: arn)
        let written = entry["AssumeRolePolicyDocument"]
        let trust = document(written, policy: "\(arn) trust policy")
        return IAMRole(
            arn: arn, name: name, path: entry["Path"] as? String ?? "/",
            roleId: entry["RoleId"] as? String ?? "", createDate: date(entry["CreateDate"]),
            trustPolicy: trust,
            inlinePolicies: inline, unreadableInlinePolicies: unreadable,
            attachedPolicyArns: attachedArns(entry["AttachedManagedPolicies"], owner: arn),
            permissionsBoundaryArn: boundaryArn(entry["PermissionsBoundary"]),
            tags: tags(entry["Tags"]), trustPolicyUnreadable: written != nil && trust == nil)
    }

    /// A `UserDetailList` entry.
    mutating func user(_ entry: [String: Any], index: Int) -> IAMUser? {
        let list = "UserDetailList"
        guard let arn = required(entry, "Arn", list: list, index: index),
            let name = required(entry, "UserName", list: list, index: index)
        else { return nil }
        let (inline, unreadable) = inlinePolicies(
            entry["UserPolicyList"], "UserPolicyList", owner: arn)
        return IAMUser(
            arn: arn, name: name, path: entry["Path"] as? String ?? "/",
            userId: entry["UserId"] as? String ?? "", createDate: date(entry["CreateDate"]),
            inlinePolicies: inline, unreadableInlinePolicies: unreadable,
            attachedPolicyArns: attachedArns(entry["AttachedManagedPolicies"], owner: arn),
            permissionsBoundaryArn: boundaryArn(entry["PermissionsBoundary"]),
            groups: self.list(entry["GroupList"], "GroupList", owner: arn).compactMap {
                $0 as? String
            },
            tags: tags(entry["Tags"]))
    }

    /// A `GroupDetailList` entry.
    mutating func group(_ entry: [String: Any], index: Int) -> IAMGroup? {
        let list = "GroupDetailList"
        guard let arn = required(entry, "Arn", list: list, index: index),
            let name = required(entry, "GroupName", list: list, index: index)
        else { return nil }
        let (inline, unreadable) = inlinePolicies(
            entry["GroupPolicyList"], "GroupPolicyList", owner: arn)
        return IAMGroup(
            arn: arn, name: name, path: entry["Path"] as? String ?? "/",
            groupId: entry["GroupId"] as? String ?? "", createDate: date(entry["CreateDate"]),
            inlinePolicies: inline, unreadableInlinePolicies: unreadable,
            attachedPolicyArns: attachedArns(entry["AttachedManagedPolicies"], owner: arn))
    }

    /// A `Policies` entry with the document of its default version (and only that one:
    /// older versions are kept by IAM but grant nothing).
    mutating func managedPolicy(_ entry: [String: Any], index: Int) -> ManagedPolicy? {
        let list = "Policies"
        guard let arn = required(entry, "Arn", list: list, index: index),
            let name = required(entry, "PolicyName", list: list, index: index)
        else { return nil }

        let versions = self.list(entry["PolicyVersionList"], "PolicyVersionList", owner: arn)
            .compactMap { $0 as? [String: Any] }
        guard let current = defaultVersion(of: versions, named: entry["DefaultVersionId"], arn: arn)
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
            defaultVersionId: versionId ?? entry["DefaultVersionId"] as? String ?? "",
            document: document, attachmentCount: entry["AttachmentCount"] as? Int ?? 0,
            permissionsBoundaryUsageCount: entry["PermissionsBoundaryUsageCount"] as? Int ?? 0)
    }

    /// The version IAM applies: the one both `DefaultVersionId` and `IsDefaultVersion` name.
    /// When they disagree, the one `DefaultVersionId` names (the policy's own record), else the
    /// first marked, with the conflict reported; nil when neither names an existing version.
    private mutating func defaultVersion(of versions: [[String: Any]], named: Any?, arn: String)
        -> [String: Any]?
    {
        let named = named as? String
        let marked = versions.filter { $0["IsDefaultVersion"] as? Bool == true }
        let chosen =
            versions.first { named != nil && $0["VersionId"] as? String == named } ?? marked.first
        guard let chosen else { return nil }

        let markedIds = marked.map { $0["VersionId"] as? String ?? "(no VersionId)" }
        let chosenId = chosen["VersionId"] as? String ?? "(no VersionId)"
        let agrees = markedIds == [chosenId] && (named == nil || named == chosenId)
        if !agrees {
            problems.append(
                .ambiguousDefaultVersion(
                    policyArn: arn, defaultVersionId: named, marked: markedIds, used: chosenId))
        }
        return chosen
    }
}
