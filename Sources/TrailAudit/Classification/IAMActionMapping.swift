/// IAM meaning of CloudTrail eventSource/eventName pairs.
///
/// The default rule is the one every tool uses (facts §5.1): the prefix is the eventSource host
/// label and the action is the eventName. AWS never published the full translation, so the
/// exceptions are a curated table in `IAMActionMapping+Tables.swift`; this file holds the rules.
package enum IAMActionMapping {
    /// IAM service prefix for an event source: "monitoring.amazonaws.com" -> "cloudwatch".
    /// Strips from the first ".amazonaws" (other partitions use other DNS suffixes), then applies
    /// the exception table (Appendix A of the facts file).
    package static func servicePrefix(forEventSource eventSource: String) -> String {
        let host = hostLabel(of: eventSource)
        return prefixExceptions[host] ?? host
    }

    /// eventName without a known API-version suffix, only for services that use them (Lambda
    /// `20150331`, `20150331v2`, `20170331v2`...; CloudFront `2017_10_30`, `2015_07_27`...):
    /// "ListFunctions20150331" -> "ListFunctions"; never "ListFindingsV2" -> "ListFindingsV",
    /// never "CreateEnvironmentEC2" -> "CreateEnvironmentEC", "RestoreDBInstanceFromS3" unchanged.
    package static func operationName(eventName: String, servicePrefix: String) -> String {
        guard servicesWithVersionedEventNames.contains(servicePrefix) else { return eventName }
        let bytes = Array(eventName.utf8)
        guard let cut = versionSuffixStart(in: bytes) else { return eventName }
        return String(decoding: bytes[..<cut], as: UTF8.self)
    }

    /// The IAM actions ("prefix:Action") an event exercised, in a stable order; empty when the
    /// call needs no IAM permission (sts:GetCallerIdentity, signin ConsoleLogin/CheckMfa/
    /// SwitchRole/ExitRole/RenewRole, ...). A request that names an object version
    /// (`RequestTraits.versionId`) needs the version's action (S3 GetObject ->
    /// s3:GetObjectVersion, DeleteObject -> s3:DeleteObjectVersion); the permissions its other
    /// traits need are `impliedActions`.
    package static func actions(
        eventSource: String, eventName: String, request: RequestTraits = []
    ) -> [String] {
        guard !eventSource.isEmpty, !eventName.isEmpty else { return [] }
        let prefix = servicePrefix(forEventSource: eventSource)
        let operation = operationName(eventName: eventName, servicePrefix: prefix)
        let action = prefix + ":" + operation

        if permissionFreeActions.contains(action) { return [] }
        if prefix == "apigateway" { return [apiGatewayAction(forOperation: operation)] }
        if request.contains(.versionId), let versioned = versionIdActions[action] {
            return versioned
        }
        return renamedActions[action] ?? [action]
    }

    /// The permissions a call of `actions` needs besides them for what its request carries,
    /// which no event names: tags on what it creates (the service's tagging action: the
    /// services' API references, e.g. KMS CreateKey "Tags": "you must have kms:TagResource
    /// permission"; EC2 User Guide, "Grant permission to tag resources during creation"),
    /// session tags (sts:TagSession), a source identity (sts:SetSourceIdentity: IAM User Guide,
    /// "Monitor and control actions taken with assumed roles"), an ACL or object tags on an S3
    /// write (S3 API reference,
    /// PutObject, "Permissions": s3:PutObjectAcl, s3:PutObjectTagging), a bucket's ACL, object
    /// ownership or Object Lock at creation (CreateBucket, "Permissions"). Counted as used
    /// only by calls that were not denied: a denied call does not show which was missing.
    /// The tagging actions come from `catalog`, or by default from the catalog of each
    /// action's service alone (`IAMCatalog.service`).
    package static func impliedActions(
        of actions: [String], request: RequestTraits, catalog: IAMCatalog? = nil
    ) -> [String] {
        guard !request.subtracting(.versionId).isEmpty else { return [] }
        var implied: [String] = []
        for action in actions {
            let name = action.lowercased()
            if request.contains(.tags) {
                if sessionTaggingActions.contains(name) {
                    implied.append("sts:TagSession")
                } else {
                    let catalog =
                        catalog ?? IAMCatalog.service(String(name.prefix { $0 != ":" }))
                    if let created = catalog.action(named: action) {
                        implied += tagOnCreateActions(for: created, catalog: catalog)
                    }
                }
            }
            if request.contains(.sourceIdentity), sourceIdentityActions.contains(name) {
                implied.append("sts:SetSourceIdentity")
            }
            if name == "s3:putobject" {
                if request.contains(.acl) { implied.append("s3:PutObjectAcl") }
                if request.contains(.objectTagging) { implied.append("s3:PutObjectTagging") }
            } else if name == "s3:createbucket" {
                if request.contains(.acl) { implied.append("s3:PutBucketAcl") }
                if request.contains(.objectOwnership) {
                    implied.append("s3:PutBucketOwnershipControls")
                }
                if request.contains(.objectLock) {
                    implied += ["s3:PutBucketObjectLockConfiguration", "s3:PutBucketVersioning"]
                }
            }
        }
        var seen = Set(actions.map { $0.lowercased() })
        return implied.filter { seen.insert($0.lowercased()).inserted }
    }

    /// STS calls that take session tags, which need sts:TagSession (IAM User Guide, "Passing
    /// session tags in AWS STS").
    private static let sessionTaggingActions: Set<String> = [
        "sts:assumerole", "sts:assumerolewithsaml", "sts:assumerolewithwebidentity",
        "sts:getfederationtoken",
    ]

    /// STS calls that take a source identity, which needs sts:SetSourceIdentity.
    private static let sourceIdentityActions: Set<String> = [
        "sts:assumerole", "sts:assumerolewithsaml", "sts:assumerolewithwebidentity",
    ]

    /// The actions that tag what a call of `action` with tags in its request makes or
    /// starts: its service's tagging actions (the catalog's Tagging level, adding tags) that
    /// take one of its resource types (acm:AddTagsToCertificate for RequestCertificate, not
    /// acm:TagResource, which tags ACME resources only; iam:TagMFADevice for
    /// CreateVirtualMFADevice; logs:TagLogGroup and logs:TagResource both, as either may be
    /// the one checked); else the service's one general tagging call (`TagResource`,
    /// `AddTagsToResource`, `AddTags`, EC2's `CreateTags`). Never for reads, whose `tags`
    /// would be a filter.
    private static func tagOnCreateActions(for action: CatalogAction, catalog: IAMCatalog)
        -> [String]
    {
        guard !action.accessLevel.isReading, action.accessLevel != .tagging else { return [] }
        let prefix = String(action.servicePrefix)
        // The level first: a name is split and lower-cased only for the few tagging actions
        // (EC2 has hundreds of actions; doing it for each cost 0.2 ms per call mapped).
        let tagging = catalog.actions(ofService: prefix).filter { candidate in
            guard candidate.accessLevel == .tagging else { return false }
            let operation = candidate.lowercasedOperation
            return operation.hasPrefix("tag") || operation.hasPrefix("addtags")
                || operation == "createtags"
        }
        // What it makes: its resource types, or for a call on `*` the noun after its verb
        // (RequestCertificate makes a `certificate`), compared without hyphens.
        func key(_ name: some StringProtocol) -> String { String(name.filter { $0 != "-" }) }
        var made = Set(action.resourceTypes.map { key($0.name) })
        if made.isEmpty, let verb = action.creatingVerb {
            let noun = action.lowercasedOperation.dropFirst(verb.count)
            made = [key(noun), key(noun.hasSuffix("s") ? noun.dropLast() : noun)]
        }
        let sharing = tagging.filter { candidate in
            candidate.resourceTypes.contains { made.contains(key($0.name)) }
        }
        if !sharing.isEmpty { return sharing.map(\.name).sorted() }
        for general in [
            "tagresource", "addtagstoresource", "addtags", "createtags", "tagresources",
        ] {
            if let found = tagging.first(where: { $0.lowercasedOperation == general }) {
                return [found.name]
            }
        }
        return []
    }

    /// The host label of an event source: everything before the partition's DNS suffix.
    private static func hostLabel(of eventSource: String) -> String {
        // `.amazonaws.com`, `.amazonaws.com.cn` and `.amazonaws.eu` all start with `.amazonaws`;
        // a literal `.amazonaws.com` match would miss aws-eusc (facts §1.3 [verify]).
        if let range = eventSource.firstRange(of: ".amazonaws") {
            return String(eventSource[..<range.lowerBound])
        }
        for suffix in isolatedPartitionDNSSuffixes where eventSource.hasSuffix(suffix) {
            return String(eventSource.dropLast(suffix.count))
        }
        return eventSource
    }

    /// Where a trailing API-version date (`20150331`, `2017_10_30`, then optionally `v2`) begins.
    ///
    /// Only a full date is a version: a bare digit run belongs to the name (`EC2`, `FromS3`,
    /// `V2`), which is where trailscraper's `[0-9v_]+$` and cloudtracker's `split("20")` go
    /// wrong (facts Appendix B).
    private static func versionSuffixStart(in bytes: [UInt8]) -> Int? {
        var end = bytes.count
        let digitsStart = startOfDigitRun(in: bytes, endingAt: end)
        if digitsStart < end, digitsStart > 0, bytes[digitsStart - 1] == UInt8(ascii: "v") {
            end = digitsStart - 1
        }

        let start: Int
        if startOfDigitRun(in: bytes, endingAt: end) == end - 8 {
            start = end - 8
        } else if end >= 10, isUnderscoredDate(bytes[(end - 10)..<end]) {
            start = end - 10
        } else {
            return nil
        }

        // The name itself must survive: something before the date, and not a digit or '_'.
        guard start > 0, isASCIILetter(bytes[start - 1]) else { return nil }
        return start
    }

    /// The index where the run of ASCII digits that ends at `end` starts.
    private static func startOfDigitRun(in bytes: [UInt8], endingAt end: Int) -> Int {
        var index = end
        while index > 0, isASCIIDigit(bytes[index - 1]) { index -= 1 }
        return index
    }

    /// Whether ten bytes read `dddd_dd_dd`, CloudFront's version spelling.
    private static func isUnderscoredDate(_ bytes: ArraySlice<UInt8>) -> Bool {
        for (offset, byte) in bytes.enumerated() {
            let wanted = offset == 4 || offset == 7
            if wanted ? byte != UInt8(ascii: "_") : !isASCIIDigit(byte) { return false }
        }
        return true
    }

    private static func isASCIIDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private static func isASCIILetter(_ byte: UInt8) -> Bool {
        let lower = byte | 0x20
        return lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z")
    }
}

extension IAMActionMapping {
    /// The IAM action of an API Gateway management call: `apigateway:<HTTP verb>`.
    ///
    /// API Gateway authorizes its control plane by the HTTP method of the REST call, not by the
    /// operation name (trailscraper issue #17; `apigateway:GET` etc. in the Service Authorization
    /// Reference). CloudTrail records only the operation name, so the verb is read from the
    /// name's leading word, with the SDK models' exceptions in a table. The portal and
    /// routing-rule APIs are the exception: they have named actions of their own.
    static func apiGatewayAction(forOperation operation: String) -> String {
        if apiGatewayNamedActionNouns.contains(nounAfterLeadingVerb(of: operation)) {
            return "apigateway:" + operation
        }
        if let verb = apiGatewayVerbExceptions[operation] { return "apigateway:" + verb }

        let verb: String
        if operation.hasPrefix("Get") || operation.hasPrefix("List") {
            verb = "GET"
        } else if operation.hasPrefix("Create") {
            verb = "POST"
        } else if operation.hasPrefix("Update") {
            verb = "PATCH"
        } else if operation.hasPrefix("Delete") {
            verb = "DELETE"
        } else if operation.hasPrefix("Put") || operation.hasPrefix("Import") {
            verb = "PUT"
        } else {
            verb = "POST"
        }
        return "apigateway:" + verb
    }

    /// "ListPortalProducts" -> "PortalProducts": the name after its first capitalised word.
    private static func nounAfterLeadingVerb(of operation: String) -> Substring {
        let afterFirst = operation.dropFirst()
        guard let next = afterFirst.firstIndex(where: { $0.isUppercase }) else { return "" }
        return operation[next...]
    }
}

extension IAMActionMapping {
    /// The lower-cased group `action` (lower-cased) belongs to in `alternativeGroups`, if any.
    package static func alternatives(of action: String) -> [String]? {
        alternativesByAction[action]
    }

    private static let alternativesByAction: [String: [String]] = {
        var table: [String: [String]] = [:]
        for group in alternativeGroups {
            let lowered = group.map { $0.lowercased() }
            for action in lowered { table[action] = lowered }
        }
        return table
    }()
}
