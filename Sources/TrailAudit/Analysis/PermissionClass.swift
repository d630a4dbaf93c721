extension AccessLevel {
    /// List and Read: the half of data events a trail may record alone.
    package var isReading: Bool { self == .list || self == .read }
}

/// What the logs say about one action of one principal.
package enum PermissionClass: String, Sendable, CaseIterable, Comparable {
    /// Granted and succeeded in the window.
    case used
    /// Granted, observable, never called in the window.
    case unused
    /// Granted, but CloudTrail cannot show its use: a data event the trail does not record,
    /// a permission-only action, or an account with no logs in the input.
    case notObservable = "not-observable"
    /// Called, and every call was denied: a missing permission, or someone probing.
    case denied
    /// Succeeded without a grant from the principal's own policies: a resource policy,
    /// another account, or a policy that changed during the window.
    case usedNotGranted = "used-not-granted"

    /// Order in reports: what to act on first.
    private var rank: Int {
        switch self {
        case .unused: 0
        case .denied: 1
        case .usedNotGranted: 2
        case .notObservable: 3
        case .used: 4
        }
    }

    package static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }
}

/// One action of one principal, classified, with its evidence.
package struct ActionFinding: Sendable {
    package var action: String
    package var accessLevel: AccessLevel
    package var permissionClass: PermissionClass
    package var granted: Bool
    /// Granted only through statements with a Condition (never treated as unconditional).
    package var conditional = false
    /// A Deny covers some resources of the grant.
    package var partiallyDenied = false
    package var counts = UsageCounts()
    /// Of the counted calls, those other actions' requests implied (`ObservedUsage`).
    package var implied = 0
    /// Why the class was given, where it needs saying.
    package var reason: String? = nil
    /// The policies that grant it.
    package var grantedBy: [String] = []
    /// ARNs its succeeded calls touched that its own policies do not allow.
    package var resourcesOutsideGrant: [String] = []

    /// Report order: class, then risk (permissions management and write first), then name.
    package static func reportOrder(_ lhs: Self, _ rhs: Self) -> Bool {
        (lhs.permissionClass, lhs.accessLevel, lhs.action)
            < (rhs.permissionClass, rhs.accessLevel, rhs.action)
    }
}
