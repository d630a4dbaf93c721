/// How one action is granted to a principal.
///
/// The values live in one shared, immutable box: a principal's grants run to tens of thousands
/// of entries that mostly share one value, so copying a grant costs one reference count.
package struct Grant: Equatable, Sendable {
    /// Only conditional Allows grant it, or a conditional Deny may take it away.
    package var isConditional: Bool { storage.isConditional }
    /// An unconditional Deny removes it on some of the allowed resources.
    package var isPartiallyDenied: Bool { storage.isPartiallyDenied }
    /// The `Resource` values of the granting statements (`*` included), each once.
    package var resourcePatterns: [String] { storage.resourcePatterns }
    /// The `NotResource` values of granting statements that use that form, each once.
    package var excludedResourcePatterns: [String] { storage.excludedResourcePatterns }
    /// The boundary's `Resource` values that let it through; empty without a boundary.
    package var boundaryResourcePatterns: [String] { storage.boundaryResourcePatterns }
    /// The labels of the policies that grant it (`PolicySource.label`), each once.
    package var sources: [String] { storage.sources }

    private let storage: Storage

    /// A grant from its parts.
    package init(
        isConditional: Bool, isPartiallyDenied: Bool, resourcePatterns: [String],
        excludedResourcePatterns: [String] = [], boundaryResourcePatterns: [String] = [],
        sources: [String]
    ) {
        storage = Storage(
            isConditional: isConditional, isPartiallyDenied: isPartiallyDenied,
            resourcePatterns: resourcePatterns, excludedResourcePatterns: excludedResourcePatterns,
            boundaryResourcePatterns: boundaryResourcePatterns, sources: sources)
    }

    package static func == (left: Grant, right: Grant) -> Bool {
        left.storage === right.storage || left.storage.isEqual(to: right.storage)
    }

    /// The values, never changed after creation.
    private final class Storage: Sendable {
        let isConditional: Bool
        let isPartiallyDenied: Bool
        let resourcePatterns: [String]
        let excludedResourcePatterns: [String]
        let boundaryResourcePatterns: [String]
        let sources: [String]

        init(
            isConditional: Bool, isPartiallyDenied: Bool, resourcePatterns: [String],
            excludedResourcePatterns: [String], boundaryResourcePatterns: [String],
            sources: [String]
        ) {
            self.isConditional = isConditional
            self.isPartiallyDenied = isPartiallyDenied
            self.resourcePatterns = resourcePatterns
            self.excludedResourcePatterns = excludedResourcePatterns
            self.boundaryResourcePatterns = boundaryResourcePatterns
            self.sources = sources
        }

        func isEqual(to other: Storage) -> Bool {
            isConditional == other.isConditional && isPartiallyDenied == other.isPartiallyDenied
                && resourcePatterns == other.resourcePatterns
                && excludedResourcePatterns == other.excludedResourcePatterns
                && boundaryResourcePatterns == other.boundaryResourcePatterns
                && sources == other.sources
        }
    }
}
