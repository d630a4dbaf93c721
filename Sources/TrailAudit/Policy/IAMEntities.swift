/// A policy embedded in a role, user or group (`RolePolicyList` and the like).
package struct InlinePolicy: Equatable, Sendable {
    /// `PolicyName`.
    package var name: String
    /// `PolicyDocument`, decoded.
    package var document: PolicyDocument

    /// An inline policy from its parts.
    package init(name: String, document: PolicyDocument) {
        self.name = name
        self.document = document
    }
}

/// A role from `RoleDetailList`.
package struct IAMRole: Equatable, Sendable {
    /// `Arn`, with the role's path (`arn:aws:iam::111122223333:role/service/app`).
    package var arn: String
    /// `RoleName`.
    package var name: String
    /// `Path` (`/` when absent).
    package var path: String
    /// `RoleId` (`AROA...`).
    package var roleId: String
    /// `CreateDate`, in epoch seconds.
    package var createDate: EpochSeconds?
    /// `AssumeRolePolicyDocument`; nil when absent or unreadable (see the problems).
    package var trustPolicy: PolicyDocument?
    /// `RolePolicyList`.
    package var inlinePolicies: [InlinePolicy]
    /// Names of inline policies whose documents could not be read.
    package var unreadableInlinePolicies: [String]
    /// `AttachedManagedPolicies[].PolicyArn`.
    package var attachedPolicyArns: [String]
    /// `PermissionsBoundary.PermissionsBoundaryArn`.
    package var permissionsBoundaryArn: String?
    /// `Tags`, key to value.
    package var tags: [String: String]
    /// Whether the export has an `AssumeRolePolicyDocument` that could not be read.
    package var trustPolicyUnreadable = false

    /// Whether AWS created and owns the role (path `/aws-service-role/`); such roles are
    /// reported but never get a tightening suggestion.
    package var isServiceLinked: Bool { path.hasPrefix("/aws-service-role/") }

    /// The principals the trust policy lets assume the role.
    package func trustedPrincipals() -> [TrustEntry] {
        trustPolicy?.trustedPrincipals() ?? []
    }
}

/// A user from `UserDetailList`.
package struct IAMUser: Equatable, Sendable {
    /// `Arn`, with the path.
    package var arn: String
    /// `UserName`.
    package var name: String
    /// `Path`.
    package var path: String
    /// `UserId` (`AIDA...`).
    package var userId: String
    /// `CreateDate`, in epoch seconds.
    package var createDate: EpochSeconds?
    /// `UserPolicyList`.
    package var inlinePolicies: [InlinePolicy]
    /// Names of inline policies whose documents could not be read.
    package var unreadableInlinePolicies: [String]
    /// `AttachedManagedPolicies[].PolicyArn`.
    package var attachedPolicyArns: [String]
    /// `PermissionsBoundary.PermissionsBoundaryArn`.
    package var permissionsBoundaryArn: String?
    /// `GroupList`: the names of the user's groups (same account).
    package var groups: [String]
    /// `Tags`, key to value.
    package var tags: [String: String]
}

/// A group from `GroupDetailList`.
package struct IAMGroup: Equatable, Sendable {
    /// `Arn`, with the path.
    package var arn: String
    /// `GroupName`.
    package var name: String
    /// `Path`.
    package var path: String
    /// `GroupId` (`AGPA...`).
    package var groupId: String
    /// `CreateDate`, in epoch seconds.
    package var createDate: EpochSeconds?
    /// `GroupPolicyList`.
    package var inlinePolicies: [InlinePolicy]
    /// Names of inline policies whose documents could not be read.
    package var unreadableInlinePolicies: [String]
    /// `AttachedManagedPolicies[].PolicyArn`.
    package var attachedPolicyArns: [String]
}

/// A managed policy from `Policies`, with its default version's document.
package struct ManagedPolicy: Equatable, Sendable {
    /// `Arn`.
    package var arn: String
    /// `PolicyName`.
    package var name: String
    /// `Path`.
    package var path: String
    /// `PolicyId` (`ANPA...`).
    package var policyId: String
    /// `DefaultVersionId` (`v3`).
    package var defaultVersionId: String
    /// The document of the version with `IsDefaultVersion == true`.
    package var document: PolicyDocument
    /// `AttachmentCount`: more than 1 means editing it changes other principals too.
    package var attachmentCount: Int
    /// `PermissionsBoundaryUsageCount`.
    package var permissionsBoundaryUsageCount: Int

    /// Whether AWS owns it (account field `aws`): it can be detached, not edited.
    package var isAWSManaged: Bool { ARN.account(of: arn) == "aws" }
}
