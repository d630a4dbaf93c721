/// The IAM export (`aws iam get-account-authorization-details`), several accounts merged.
package struct AuthorizationDetails: Sendable {
    /// `RoleDetailList` of every file, in file order.
    package internal(set) var roles: [IAMRole] = []
    /// `UserDetailList` of every file.
    package internal(set) var users: [IAMUser] = []
    /// `GroupDetailList` of every file.
    package internal(set) var groups: [IAMGroup] = []
    /// `Policies` by ARN (AWS-managed ones appear once, whichever account listed them).
    package internal(set) var managedPolicies: [String: ManagedPolicy] = [:]
    /// Problems met while reading (unreadable documents, duplicates, truncated exports).
    var loadProblems: [Problem] = []
    /// Managed policies listed but with no readable default version.
    var unreadableManagedPolicies: Set<String> = []

    /// An empty export; add files with `add(contentsOf:file:)`.
    package init() {}

    /// Something in the export that leaves the picture incomplete; the rest is still usable.
    package enum Problem: Equatable, Sendable, CustomStringConvertible {
        /// A policy document could not be read.
        case invalidPolicy(PolicyError)
        /// A principal names a managed policy (attached, or as its boundary) that `Policies`
        /// does not contain.
        case missingManagedPolicy(arn: String, referencedBy: String, asBoundary: Bool)
        /// A managed policy has no version with `IsDefaultVersion` true.
        case noDefaultVersion(policyArn: String)
        /// A user names a group the export does not contain.
        case missingGroup(name: String, user: String)
        /// The same principal appears twice (two files for one account?); the first is kept.
        case duplicatePrincipal(arn: String, file: String)
        /// An entry lacks a field it cannot do without (`Arn`, a name), so it is skipped.
        case invalidEntry(file: String, list: String, index: Int, missing: String)
        /// An entry has such a field, but not as a non-empty string, so it is skipped.
        case invalidField(file: String, list: String, index: Int, field: String, found: String)
        /// An entry of a list is not a JSON object, so it is skipped.
        case invalidItem(file: String, list: String, index: Int, found: String)
        /// A list of the export (`RoleDetailList`) or of an entry (`owner`'s `RolePolicyList`)
        /// is not a JSON array, so nothing in it was read.
        case invalidList(file: String, list: String, owner: String?, found: String)
        /// A managed policy's `DefaultVersionId` and `IsDefaultVersion` flags do not name one
        /// version; `used` is the version read.
        case ambiguousDefaultVersion(
            policyArn: String, defaultVersionId: String?, marked: [String], used: String)
        /// The file says `IsTruncated: true`: a page of a paginated call, not the whole export.
        case truncatedExport(file: String)

        package var description: String {
            switch self {
            case .invalidPolicy(let error):
                return error.description
            case .missingManagedPolicy(let arn, let principal, let asBoundary):
                return "\(principal) has \(asBoundary ? "permissions boundary" : "managed policy") "
                    + "\(arn), which is not in the export's Policies; its permissions are unknown"
            case .noDefaultVersion(let arn):
                return "managed policy \(arn) has no version marked IsDefaultVersion"
            case .missingGroup(let name, let user):
                return "\(user) is in group \(name), which is not in the export"
            case .duplicatePrincipal(let arn, let file):
                return "\(arn) appears again in \(file); the first occurrence is used"
            case .invalidEntry(let file, let list, let index, let missing):
                return "\(file): \(list) entry \(index + 1) has no \(missing); skipped"
            case .invalidField(let file, let list, let index, let field, let found):
                return "\(file): \(list) entry \(index + 1): \(field) must be a non-empty "
                    + "string, found \(found); skipped"
            case .invalidItem(let file, let list, let index, let found):
                return "\(file): \(list) entry \(index + 1) is \(found), not an object; skipped"
            case .invalidList(let file, let list, let owner, let found):
                let whose = owner.map { " of \($0)" } ?? ""
                return "\(file): \(list)\(whose) must be a list, found \(found); "
                    + "nothing in it was read"
            case .ambiguousDefaultVersion(let arn, let named, let marked, let used):
                return "managed policy \(arn): "
                    + Self.defaultVersionConflict(named: named, marked: marked, used: used)
            case .truncatedExport(let file):
                return "\(file) is one page of a truncated export (IsTruncated is true); "
                    + "export again letting the AWS CLI fetch every page"
            }
        }
    }

    /// Every problem: those met while reading, then references that do not resolve.
    package var problems: [Problem] { loadProblems + referenceProblems }

    /// Attached policies, boundaries and groups that the export does not contain.
    private var referenceProblems: [Problem] {
        var problems: [Problem] = []
        func check(_ arns: [String], boundary: String?, of principal: String) {
            for arn in arns where isMissing(arn) {
                problems.append(
                    .missingManagedPolicy(arn: arn, referencedBy: principal, asBoundary: false))
            }
            if let boundary, isMissing(boundary) {
                problems.append(
                    .missingManagedPolicy(arn: boundary, referencedBy: principal, asBoundary: true))
            }
        }
        for role in roles {
            check(role.attachedPolicyArns, boundary: role.permissionsBoundaryArn, of: role.arn)
        }
        for user in users {
            check(user.attachedPolicyArns, boundary: user.permissionsBoundaryArn, of: user.arn)
            for name in user.groups where group(named: name, accountOf: user.arn) == nil {
                problems.append(.missingGroup(name: name, user: user.arn))
            }
        }
        for group in groups {
            check(group.attachedPolicyArns, boundary: nil, of: group.arn)
        }
        return problems
    }

    /// Whether a referenced managed policy is absent (unreadable ones are reported already).
    private func isMissing(_ arn: String) -> Bool {
        managedPolicies[arn] == nil && !unreadableManagedPolicies.contains(arn)
    }

    /// The role with this ARN (path included).
    package func role(arn: String) -> IAMRole? {
        roles.first { $0.arn == arn }
    }

    /// The user with this ARN (path included).
    package func user(arn: String) -> IAMUser? {
        users.first { $0.arn == arn }
    }

    /// The group called `name` in the account of `principalArn` (names are unique
    /// case-insensitively within an account).
    package func group(named name: String, accountOf principalArn: String) -> IAMGroup? {
        let account = ARN.account(of: principalArn)
        return groups.first {
            ARN.account(of: $0.arn) == account && $0.name.lowercased() == name.lowercased()
        }
    }
}

extension AuthorizationDetails.Problem {
    /// Which version was read when `DefaultVersionId` (`named`) and the versions marked
    /// `IsDefaultVersion` (`marked`) disagree, and why.
    static func defaultVersionConflict(named: String?, marked: [String], used: String)
        -> String
    {
        let flags: String
        switch marked.count {
        case 0: flags = "no version is marked IsDefaultVersion"
        case 1: flags = "version \(marked[0]) is marked IsDefaultVersion"
        default:
            flags =
                "\(marked.count) versions are marked IsDefaultVersion "
                + "(\(marked.joined(separator: ", ")))"
        }
        let record = named.map { "DefaultVersionId is \($0)" } ?? "there is no DefaultVersionId"
        let reason =
            used == named
            ? "the version DefaultVersionId names, the policy's own record of its default"
            : "the first version marked IsDefaultVersion, as DefaultVersionId names none"
        return "\(record) but \(flags); read \(used), \(reason); check which version is the "
            + "default with `aws iam get-policy`"
    }
}
