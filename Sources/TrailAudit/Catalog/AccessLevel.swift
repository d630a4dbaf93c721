/// The access level the Service Authorization Reference gives an IAM action.
///
/// Cases are declared, and compare, in risk order: `permissionsManagement < write < tagging <
/// read < list`, so sorting puts the riskiest first.
package enum AccessLevel: String, Sendable, CaseIterable, Comparable {
    case permissionsManagement = "Permissions management"
    case write = "Write"
    case tagging = "Tagging"
    case read = "Read"
    case list = "List"

    /// Position in the risk order; 0 is the riskiest.
    package var riskRank: Int {
        switch self {
        case .permissionsManagement: 0
        case .write: 1
        case .tagging: 2
        case .read: 3
        case .list: 4
        }
    }

    /// Riskier levels come first: `.permissionsManagement < .list`.
    package static func < (lhs: AccessLevel, rhs: AccessLevel) -> Bool {
        lhs.riskRank < rhs.riskRank
    }

    /// The level for its one-letter code in the catalog text (P, W, T, R, L).
    init?(catalogCode: UInt8) {
        switch catalogCode {
        case UInt8(ascii: "P"): self = .permissionsManagement
        case UInt8(ascii: "W"): self = .write
        case UInt8(ascii: "T"): self = .tagging
        case UInt8(ascii: "R"): self = .read
        case UInt8(ascii: "L"): self = .list
        default: return nil
        }
    }
}
