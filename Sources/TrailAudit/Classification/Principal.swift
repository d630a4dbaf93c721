/// What kind of actor made a call.
package enum PrincipalType: String, Sendable, Hashable, Comparable, CaseIterable {
    case role
    case serviceLinkedRole
    case identityCenterRole
    /// A role a product provider's account used through temporary delegated access
    /// (`userIdentity.invokedByDelegate`): the role's permissions, another party's calls.
    case delegatedRole
    case user
    case root
    case federatedUser
    case service
    case account
    case webIdentity
    case saml
    case identityCenterUser
    case anonymous
    case unknown

    package static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The identity an event's usage is attributed to: a role (not its sessions), a user, a service.
package struct Principal: Sendable, Hashable, Comparable {
    /// The role or user ARN (with its path), the service or provider name, or the account id.
    package var id: String
    package var type: PrincipalType

    package init(id: String, type: PrincipalType) {
        self.id = id
        self.type = type
    }

    package static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.id, lhs.type) < (rhs.id, rhs.type)
    }

    /// The principal recorded for events with no usable identity at all.
    package static let unknown = Principal(id: "unknown", type: .unknown)
    /// Unauthenticated callers (S3 public access): `ANONYMOUS_PRINCIPAL` in CloudTrail.
    package static let anonymous = Principal(id: "anonymous", type: .anonymous)
}

/// The `userIdentity` fields that decide who the principal is, as decoded strings.
package struct IdentityFields: Sendable {
    package var type: String?
    package var arn: String?
    package var accountId: String?
    package var principalId: String?
    package var userName: String?
    package var invokedBy: String?
    package var identityProvider: String?
    package var issuerArn: String?
    package var onBehalfOfUserId: String?
    /// `invokedByDelegate.accountId`: the product provider that made the call.
    package var delegateAccountId: String?
    /// `requestParameters.principalArn`: the SAML provider of an AssumeRoleWithSAML call.
    package var samlProviderArn: String?
    /// `awsRegion`, for the partition of an ARN the record left out.
    package var region: String?

    package init() {}
}

extension Principal {
    /// Folds an event's `userIdentity` into the principal its usage belongs to.
    ///
    /// Role sessions fold to the role ARN from `sessionContext.sessionIssuer.arn`, which keeps
    /// the role's path; the session ARN drops it (CT-UID; facts §1.3). A role session that a
    /// product provider made through delegated access (`invokedByDelegate`) is told apart as
    /// a `delegatedRole` of the same ARN (facts §1.2, §1.4: another actor): listed on its own,
    /// while `unused` and `suggest`, which match principals by ARN, still count its calls as
    /// use of the role's permissions, which they are.
    package init(identity: IdentityFields) {
        self.init(ownIdentity: identity)
        if let delegate = identity.delegateAccountId, !delegate.isEmpty,
            type == .role || type == .identityCenterRole
        {
            type = .delegatedRole
        }
    }

    private init(ownIdentity identity: IdentityFields) {
        if identity.accountId == "ANONYMOUS_PRINCIPAL"
            || identity.principalId == "ANONYMOUS_PRINCIPAL"
        {
            self = .anonymous
            return
        }
        switch identity.type {
        case "AssumedRole", "Role":
            if let issuer = identity.issuerArn, issuer.containsBytes(":role/") {
                self = Principal(roleARN: issuer)
            } else if let arn = identity.arn, let role = ARN.roleARN(fromSessionARN: arn) {
                self = Principal(roleARN: role)
            } else if let arn = identity.arn, arn.containsBytes(":role/") {
                self = Principal(roleARN: arn)
            } else {
                self = Principal.fallback(identity)
            }
        case "IAMUser":
            self = Principal(
                id: identity.arn ?? ARN.build(identity, resource: "user/", name: identity.userName),
                type: .user)
        case "Root":
            self = Principal(
                id: identity.arn ?? ARN.build(identity, resource: "root", name: ""), type: .root)
        case "FederatedUser":
            self = Principal(
                id: identity.arn
                    ?? ARN.build(
                        identity, resource: "federated-user/",
                        name: identity.userName, service: "sts"),
                type: .federatedUser)
        case "AWSService":
            self = Principal(id: identity.invokedBy ?? "unknown service", type: .service)
        case "AWSAccount":
            self = Principal(
                id: identity.accountId ?? identity.principalId ?? "unknown account",
                type: .account)
        case "WebIdentityUser":
            self = Principal(
                id: identity.identityProvider ?? "unknown provider", type: .webIdentity)
        case "SAMLUser":
            self = Principal(
                id: identity.samlProviderArn ?? identity.identityProvider
                    ?? "unknown SAML provider",
                type: .saml)
        case "IdentityCenterUser":
            self = Principal(
                id: identity.onBehalfOfUserId ?? identity.principalId
                    ?? "unknown Identity Center user",
                type: .identityCenterUser)
        default:
            self = Principal.fallback(identity)
        }
    }

    /// A role principal, marked service-linked or Identity Center by its reserved path.
    package init(roleARN: String) {
        let type: PrincipalType
        if roleARN.containsBytes(":role/aws-service-role/") {
            type = .serviceLinkedRole
        } else if roleARN.containsBytes(":role/aws-reserved/") {
            type = .identityCenterRole
        } else {
            type = .role
        }
        self.init(id: roleARN, type: type)
    }

    /// `Unknown`, `Directory` or a missing type: keep whatever identifies the caller.
    private static func fallback(_ identity: IdentityFields) -> Principal {
        if let arn = identity.arn { return Principal(id: arn, type: .unknown) }
        // AwsServiceEvent records may carry only invokedBy.
        if let service = identity.invokedBy { return Principal(id: service, type: .service) }
        if let id = identity.principalId ?? identity.accountId {
            return Principal(id: id, type: .unknown)
        }
        return .unknown
    }
}
