/// What a request asks for beyond its own action, from the top-level keys of its
/// `requestParameters`: each needs a permission of its own, which no event names.
package struct RequestTraits: OptionSet, Hashable, Sendable {
    package let rawValue: UInt8

    package init(rawValue: UInt8) { self.rawValue = rawValue }

    /// An S3 object version (`versionId`): the `…Version…` action instead.
    package static let versionId = RequestTraits(rawValue: 1 << 0)
    /// Tags on the resource the call creates (`tags`, `tagList`, EC2's
    /// `tagSpecificationSet`), or session tags on an STS call.
    package static let tags = RequestTraits(rawValue: 1 << 1)
    /// An ACL set by an S3 object or bucket write (`x-amz-acl`, `x-amz-grant-…`).
    package static let acl = RequestTraits(rawValue: 1 << 2)
    /// Object tags set by an S3 object write (`x-amz-tagging`).
    package static let objectTagging = RequestTraits(rawValue: 1 << 3)
    /// A bucket created with its object ownership set (`x-amz-object-ownership`).
    package static let objectOwnership = RequestTraits(rawValue: 1 << 4)
    /// A bucket created with Object Lock on (`x-amz-bucket-object-lock-enabled`).
    package static let objectLock = RequestTraits(rawValue: 1 << 5)
    /// A source identity set by an STS call (`sourceIdentity`, a non-empty string).
    package static let sourceIdentity = RequestTraits(rawValue: 1 << 6)

    /// The trait a `requestParameters` key stands for (letter case aside); nil for other keys
    /// (`versionId` is read by the scanner itself: its value decides).
    static func named(by key: JSONStringRange, in scanner: JSONScanner) -> RequestTraits? {
        switch key.count {
        case 4: return scanner.bytes(key, equal: "tags") ? .tags : nil
        case 7: return scanner.bytes(key, equal: "tagList") ? .tags : nil
        case 9: return scanner.bytes(key, equal: "x-amz-acl") ? .acl : nil
        case 13: return scanner.bytes(key, equal: "x-amz-tagging") ? .objectTagging : nil
        case 16: return scanner.bytes(key, equal: "x-amz-grant-read") ? .acl : nil
        case 17:
            if scanner.bytes(key, equal: "x-amz-grant-write") { return .acl }
            return scanner.bytes(key, equal: "tagSpecifications") ? .tags : nil
        case 19: return scanner.bytes(key, equal: "tagSpecificationSet") ? .tags : nil
        case 20: return scanner.bytes(key, equal: "x-amz-grant-read-acp") ? .acl : nil
        case 21: return scanner.bytes(key, equal: "x-amz-grant-write-acp") ? .acl : nil
        case 22:
            return scanner.bytes(key, equal: "x-amz-object-ownership") ? .objectOwnership : nil
        case 24: return scanner.bytes(key, equal: "x-amz-grant-full-control") ? .acl : nil
        case 32:
            return scanner.bytes(key, equal: "x-amz-bucket-object-lock-enabled")
                ? .objectLock : nil
        default: return nil
        }
    }
}
