/// Where a statement of a principal's effective permissions came from.
package struct PolicySource: Hashable, Sendable, CustomStringConvertible {
    /// How the policy is attached; decides what a tightening suggestion may edit (facts §6.4).
    package enum Kind: String, Hashable, Sendable {
        /// Embedded in the principal (or in its group): dies with it, editable in place.
        case inline
        /// A customer-managed policy: editable, but maybe shared (`AttachmentCount` > 1).
        case customerManaged = "customer-managed"
        /// An AWS-managed policy (`arn:<partition>:iam::aws:policy/...`): only detachable.
        case awsManaged = "AWS-managed"
        /// A policy document file given on the command line (`--policy ARN=FILE`).
        case file
    }

    /// The policy name (the file name for `.file`).
    package var name: String
    /// The managed policy's ARN; nil for inline policies and files.
    package var arn: String?
    /// How it is attached.
    package var kind: Kind
    /// The group the user inherits it from, nil when attached to the principal itself.
    package var group: String?
    /// Whether it is the permissions boundary (which limits, never grants).
    package var isBoundary: Bool

    /// A source from its parts.
    package init(
        name: String, arn: String? = nil, kind: Kind, group: String? = nil,
        isBoundary: Bool = false
    ) {
        self.name = name
        self.arn = arn
        self.kind = kind
        self.group = group
        self.isBoundary = isBoundary
    }

    /// The short name reports print: `ReadOnlyAccess`, `group:devs/ReadOnlyAccess`,
    /// `boundary:DeveloperBoundary`.
    package var label: String {
        if isBoundary { return "boundary:\(name)" }
        if let group { return "group:\(group)/\(name)" }
        return name
    }

    /// The label with the kind: `ReadOnlyAccess (AWS-managed)`.
    package var description: String { "\(label) (\(kind.rawValue))" }
}

extension PolicySource.Kind {
    /// The kind of a managed policy from its ARN: account field `aws` means AWS-managed.
    package init(managedPolicyARN arn: String) {
        self = ARN.account(of: arn) == "aws" ? .awsManaged : .customerManaged
    }
}
