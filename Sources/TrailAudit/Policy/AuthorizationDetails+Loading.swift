import Foundation

/// Why an `--iam` file could not be used at all.
package struct AuthorizationDetailsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file.
    package var file: String
    /// What was wrong with it.
    package var reason: String

    package var description: String { "\(file): \(reason)" }
}

extension AuthorizationDetails {
    /// Reads and merges the exports in `files` (one per account).
    package static func load(files: [String]) throws(AuthorizationDetailsError)
        -> AuthorizationDetails
    {
        var details = AuthorizationDetails()
        for file in files { try details.add(file: file) }
        return details
    }

    /// Reads one export file and adds it.
    package mutating func add(file: String) throws(AuthorizationDetailsError) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw AuthorizationDetailsError(
                file: file, reason: "cannot be read (\(error.localizedDescription))")
        }
        try add(contentsOf: data, file: file)
    }

    /// Adds one export's roles, users, groups and managed policies.
    package mutating func add(contentsOf data: Data, file: String)
        throws(AuthorizationDetailsError)
    {
        let value: Any
        do {
            value = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw AuthorizationDetailsError(file: file, reason: "not JSON (\(jsonReason(error)))")
        }
        let lists = ["RoleDetailList", "UserDetailList", "GroupDetailList", "Policies"]
        guard let export = value as? [String: Any], lists.contains(where: { export[$0] != nil })
        else {
            throw AuthorizationDetailsError(
                file: file,
                reason: "not the output of `aws iam get-account-authorization-details` "
                    + "(no RoleDetailList, UserDetailList, GroupDetailList or Policies)")
        }
        if export["IsTruncated"] as? Bool == true {
            loadProblems.append(.truncatedExport(file: file))
        }

        var reader = EntryReader(file: file)
        for (index, entry) in reader.entries(export, "Policies") {
            guard let policy = reader.managedPolicy(entry, index: index) else { continue }
            if managedPolicies[policy.arn] == nil { managedPolicies[policy.arn] = policy }
            unreadableManagedPolicies.remove(policy.arn)
        }
        unreadableManagedPolicies.formUnion(
            reader.unreadableManagedPolicies.filter { managedPolicies[$0] == nil })

        var known = Set(roles.map(\.arn) + users.map(\.arn) + groups.map(\.arn))
        func isNew(_ arn: String) -> Bool {
            if known.insert(arn).inserted { return true }
            loadProblems.append(.duplicatePrincipal(arn: arn, file: file))
            return false
        }
        for (index, entry) in reader.entries(export, "RoleDetailList") {
            if let role = reader.role(entry, index: index), isNew(role.arn) { roles.append(role) }
        }
        for (index, entry) in reader.entries(export, "UserDetailList") {
            if let user = reader.user(entry, index: index), isNew(user.arn) { users.append(user) }
        }
        for (index, entry) in reader.entries(export, "GroupDetailList") {
            if let group = reader.group(entry, index: index), isNew(group.arn) {
                groups.append(group)
            }
        }
        loadProblems += reader.problems
    }

}

/// Reads the entries of one export file, collecting what it could not read.
struct EntryReader {
    /// The file, for problem messages.
    let file: String
    /// Problems met so far.
    var problems: [AuthorizationDetails.Problem] = []
    /// Managed policies whose default version could not be read.
    var unreadableManagedPolicies: Set<String> = []

    /// A document, or nil with the error recorded.
    mutating func document(_ value: Any?, policy: String) -> PolicyDocument? {
        guard let value else { return nil }
        do {
            return try PolicyDocument(jsonValue: value, policy: policy)
        } catch {
            problems.append(.invalidPolicy(error))
            return nil
        }
    }

    /// A required string field, or nil with the entry reported.
    mutating func required(_ entry: [String: Any], _ key: String, list: String, index: Int)
        -> String?
    {
        guard let value = entry[key] else {
            problems.append(.invalidEntry(file: file, list: list, index: index, missing: key))
            return nil
        }
        if let text = value as? String, !text.isEmpty { return text }
        let found = value is String ? "an empty string" : describe(value)
        problems.append(
            .invalidField(file: file, list: list, index: index, field: key, found: found))
        return nil
    }

    /// The objects of one list of the export, numbered; a list or entry of another type is
    /// reported.
    mutating func entries(_ export: [String: Any], _ list: String) -> [(Int, [String: Any])] {
        let items = self.list(export[list], list, owner: nil)
        return items.enumerated().compactMap { index, item in
            guard let entry = item as? [String: Any] else {
                problems.append(
                    .invalidItem(file: file, list: list, index: index, found: describe(item)))
                return nil
            }
            return (index, entry)
        }
    }

    /// The array `value` of the list `name` (of `owner`, nil for the export); empty when
    /// absent, and reported when it is something else.
    mutating func list(_ value: Any?, _ name: String, owner: String?) -> [Any] {
        guard let value, !(value is NSNull) else { return [] }
        if let items = value as? [Any] { return items }
        problems.append(.invalidList(file: file, list: name, owner: owner, found: describe(value)))
        return []
    }

    /// `{PolicyName, PolicyDocument}` entries of the list `name`; documents that cannot be
    /// read are named apart.
    mutating func inlinePolicies(_ value: Any?, _ name: String, owner: String)
        -> ([InlinePolicy], [String])
    {
        var policies: [InlinePolicy] = []
        var unreadable: [String] = []
        for item in list(value, name, owner: owner) {
            guard let fields = item as? [String: Any] else { continue }
            let name = fields["PolicyName"] as? String ?? "(unnamed)"
            if let document = document(fields["PolicyDocument"], policy: "\(owner) inline \(name)")
            {
                policies.append(InlinePolicy(name: name, document: document))
            } else {
                unreadable.append(name)
            }
        }
        return (policies, unreadable)
    }

    /// `AttachedManagedPolicies[].PolicyArn`.
    mutating func attachedArns(_ value: Any?, owner: String) -> [String] {
        list(value, "AttachedManagedPolicies", owner: owner).compactMap {
            ($0 as? [String: Any])?["PolicyArn"] as? String
        }
    }

    /// `PermissionsBoundary.PermissionsBoundaryArn`.
    func boundaryArn(_ value: Any?) -> String? {
        (value as? [String: Any])?["PermissionsBoundaryArn"] as? String
    }

    /// `Tags: [{Key, Value}]` as a dictionary.
    func tags(_ value: Any?) -> [String: String] {
        var tags: [String: String] = [:]
        for item in value as? [Any] ?? [] {
            guard let fields = item as? [String: Any], let key = fields["Key"] as? String else {
                continue
            }
            tags[key] = fields["Value"] as? String ?? ""
        }
        return tags
    }

    /// `CreateDate`: ISO 8601 text (AWS CLI) or epoch seconds (some SDK dumps).
    func date(_ value: Any?) -> EpochSeconds? {
        if let number = value as? NSNumber, !isJSONBoolean(number) {
            return EpochSeconds(number.doubleValue.rounded(.down))
        }
        guard var text = value as? String else { return nil }
        return text.withUTF8 { EventTime.parse(UnsafeRawBufferPointer($0)) }
    }
}
