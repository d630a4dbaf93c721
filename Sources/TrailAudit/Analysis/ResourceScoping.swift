/// The `Resource` of one action in a suggested policy: the ARNs its succeeded calls touched,
/// rolled up when there are many, and `*` only where the action or the evidence leaves no
/// choice — each `*` with the reason.
package struct ResourceScope: Sendable, Equatable {
    package var resources: [String]
    /// Why the scope is wider than the evidence (`*`, or a roll-up), for the warnings.
    package var widening: String?

    /// Listed S3 objects of one bucket before they roll up to a prefix.
    static let objectsPerBucket = 5
    /// Listed ARNs of one kind before they roll up to a prefix.
    static let arnsPerKind = 10

    /// The scope of `action` from the ARNs of its succeeded calls (`evidence`, sorted, within
    /// the grant); where they cannot decide it, the current grant's resources, never more.
    ///
    /// `allowsToday` says whether granting the action on a pattern unconditionally allows
    /// nothing today's policies do not; nil when the suggestion keeps today's conditions. The
    /// scopes wider than the evidence this session's rules add (the grant instead of created
    /// or partly named resources, a function's versions, a table's indexes) are held to it.
    package init(
        for action: CatalogAction, evidence: [String], truncated: Bool, grant: [String],
        catalog: IAMCatalog, coarse: Bool = false, allowsToday: ((String) -> Bool)? = nil
    ) {
        guard action.supportsResourceLevelPermissions else {
            self.init(["*"], "does not support resource-level permissions (catalog)")
            return
        }
        guard !evidence.isEmpty else {
            self.init(
                held: grant, "no resource named in its events", scoped: [],
                allowsToday: allowsToday)
            return
        }
        // A multi-object delete logs its bucket, never its keys (S3-CT; facts §5.2): for an
        // action on objects that bucket stands for all of its objects, `bucket/*`, the
        // narrowest scope the logs can tell.
        let (evidence, wholeBuckets) = ResourceScope.bucketsOfObjects(evidence, action: action)
        if !wholeBuckets.isEmpty {
            guard
                wholeBuckets.allSatisfy({
                    ResourceScope.allows($0, grant: grant, allowsToday: allowsToday)
                })
            else {
                self.init(
                    held: grant,
                    "its events name a bucket, not the objects (keys not logged), and the "
                        + "grant does not allow all of that bucket's objects today",
                    scoped: ResourceScope.rollUp(
                        evidence, coarse: coarse, grant: grant, allowsToday: allowsToday
                    ).patterns + wholeBuckets,
                    allowsToday: allowsToday)
                return
            }
            guard !evidence.isEmpty else {
                self.init(wholeBuckets, ResourceScope.keysNotLogged)
                return
            }
        }
        let types = evidence.map {
            ResourceScope.resourceTypes(of: $0, action: action, catalog: catalog)
        }
        let misfits = types.count { $0.isEmpty }
        guard misfits == 0 else {
            self.init(
                held: grant,
                "\(misfits) resource(s) its events name fit none of its resource types",
                scoped: [], allowsToday: allowsToday)
            return
        }
        // A call is authorized on every resource type it always acts on: scoped to some of
        // them only (ec2:RunInstances to instances, not its image, subnet, security group),
        // the policy would deny it.
        let named = Set(types.joined().map(\.name))
        let unnamed = action.resourceTypes.filter { $0.required && !named.contains($0.name) }
        // Resources the calls created (RunInstances' instances, CreateTable's table): the
        // next call creates others, which a scope to these would deny.
        let created = ResourceScope.createdType(by: action, among: named)
        if !unnamed.isEmpty || created != nil {
            let reason =
                unnamed.isEmpty
                ? "creates the \(created!)s its events name: later calls name new ones"
                : "its calls also act on " + unnamed.map(\.name).joined(separator: ", ")
                    + ", which its events do not name"
            // Today's grant, where it can be written as it is; else what the events name.
            self.init(
                held: grant, reason,
                scoped: ResourceScope.rollUp(
                    evidence, coarse: coarse, grant: grant, allowsToday: allowsToday
                ).patterns,
                allowsToday: allowsToday)
            return
        }
        guard !truncated else {
            self.init(
                held: grant, "more than \(BoundedSet.defaultLimit) resources touched",
                scoped: [], allowsToday: allowsToday)
            return
        }
        let (rolled, didRollUp) = ResourceScope.rollUp(
            evidence, coarse: coarse, grant: grant, allowsToday: allowsToday)
        // What the same calls are authorized on besides the ARN their events name, where the
        // current grant allows it (never broader than today).
        let companions = rolled.flatMap { ResourceScope.companions(of: $0, action: action) }
            .filter { allowsToday?($0) ?? false }
        let widening = [
            didRollUp ? "many resources touched: rolled up to prefixes" : nil,
            wholeBuckets.isEmpty ? nil : ResourceScope.keysNotLogged,
            companions.isEmpty
                ? nil
                : "also its functions' versions and aliases, its tables' indexes (events name "
                    + "only the function or table)",
        ].compactMap { $0 }
        self.init(
            ExactString.uniqueSorted(rolled + companions + wholeBuckets),
            widening.isEmpty ? nil : widening.joined(separator: "; "))
    }

    /// The resource types of `action` that `arn` is, as the catalog places it; a qualified
    /// Lambda function ARN (`function:name:alias` or `:version`) counts as the `function` the
    /// action takes. The catalog lists only `function` for the actions Lambda documents as
    /// restrictable "by function, version, or alias ARN" (lambda:InvokeFunction among them),
    /// and a call with a qualifier is authorized on the qualified ARN, which the function's own
    /// ARN does not match (see `companions`): the qualified ARN is the scope such a call needs.
    static func resourceTypes(of arn: String, action: CatalogAction, catalog: IAMCatalog)
        -> [CatalogResourceType]
    {
        let types = catalog.resourceTypes(of: action, matching: arn)
        let fields = arn.split(separator: ":", maxSplits: 6, omittingEmptySubsequences: false)
        guard types.isEmpty, fields.count == 7, fields[0] == "arn", fields[2] == "lambda",
            fields[5] == "function", let colon = fields[6].firstIndex(of: ":"),
            colon != fields[6].startIndex,
            case let qualifier = fields[6][fields[6].index(after: colon)...],
            !qualifier.isEmpty, qualifier.utf8.allSatisfy(Self.isQualifierByte)
        else { return types }
        let function = arn[..<colon]
        return catalog.resourceTypes(of: action, matching: String(function))
            .filter { $0.name == "function" }
    }

    /// A byte of a Lambda version or alias name (the API's `Qualifier`: letters, digits, `$`,
    /// `_`, `-`).
    private static func isQualifierByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "$"), UInt8(ascii: "_"),
            UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }

    /// Patterns a call named by `arn` may also be authorized on: a Lambda function's versions
    /// and aliases (a qualified invoke is authorized on `function:name:alias`, which the
    /// function's own ARN does not match: Lambda Developer Guide, "Working with Lambda function
    /// ARNs"), and a DynamoDB table's indexes for Query and Scan (authorized on
    /// `table/name/index/index`), which the events name only as the function or the table.
    static func companions(of arn: String, action: CatalogAction) -> [String] {
        let fields = arn.split(separator: ":", maxSplits: 6, omittingEmptySubsequences: false)
        guard fields.count >= 6, fields[0] == "arn" else { return [] }
        switch (fields[2], action.name.lowercased()) {
        case ("lambda", _)
        where fields.count == 7 && fields[5] == "function"
            && !fields[6].contains(":") && !arn.hasSuffix("*"):
            return [arn + ":*"]
        case ("dynamodb", "dynamodb:query"), ("dynamodb", "dynamodb:scan"):
            guard fields[5].hasPrefix("table/"), !fields[5].dropFirst(6).contains("/"),
                !arn.hasSuffix("*")
            else { return [] }
            return [arn + "/index/*"]
        default:
            return []
        }
    }

    /// The resource type among `types` that `action` creates, judged by its name: a verb that
    /// makes something (`CatalogAction.creatingVerbs`) followed by the type's name
    /// (`RunInstances` and `instance`; not `CreateLogStream` and `log-group`).
    static func createdType(by action: CatalogAction, among types: Set<String>) -> String? {
        guard let verb = action.creatingVerb else { return nil }
        let noun = action.lowercasedOperation.dropFirst(verb.count)
        return types.sorted().first { type in
            let word = type.lowercased().filter { $0 != "-" && $0 != "_" }
            return !word.isEmpty && noun.hasPrefix(word)
        }
    }

    /// The current grant when the evidence cannot scope the action, held to what today's
    /// policies allow without conditions (`allowsToday`; nil when the statement keeps today's
    /// conditions, which then hold the grant's patterns as they are): the grant's patterns
    /// that hold alone (a NotResource, Deny, boundary or condition on the rest would be lost);
    /// if none does, or the action is granted only through NotResource (no pattern to keep),
    /// the resources the events name (`scoped`); if they name none that fit, the grant, saying
    /// what it loses.
    init(
        held grant: [String], _ reason: String, scoped: [String],
        allowsToday: ((String) -> Bool)?
    ) {
        let patterns = Set(grant)
        let safe = allowsToday.map { patterns.filter($0) } ?? patterns
        if !patterns.isEmpty, safe.count == patterns.count {
            self.init(fallback: grant, reason)
        } else if !safe.isEmpty {
            self.init(
                fallback: Array(safe),
                reason + "; the rest of its grant holds only under a condition, NotResource, "
                    + "Deny or boundary this policy would lose: left out, add it back with them")
        } else if !scoped.isEmpty {
            self.init(
                ExactString.uniqueSorted(scoped),
                reason + "; its grant has a condition, NotResource, Deny or boundary that a "
                    + "policy without them would lose: scoped to what its events name (all of "
                    + "a bucket's objects where they name only the bucket), which may reach "
                    + "what today's grant does not: check it against today's by hand")
        } else {
            self.init(
                fallback: grant,
                reason + "; its grant has a condition, NotResource, Deny or boundary that this "
                    + "policy does not carry: add them back by hand")
        }
    }

    /// The current grant's resources when the evidence cannot scope the action.
    init(fallback grant: [String], _ reason: String) {
        let patterns = Array(Set(grant)).sorted()
        if patterns.isEmpty || patterns.contains(where: { IAMGlob.resource($0).matchesEverything })
        {
            self.init(["*"], reason)
        } else {
            self.init(patterns, reason + "; kept as its current grant")
        }
    }

    init(_ resources: [String], _ widening: String?) {
        self.resources = resources
        self.widening = widening
    }

    /// `rollUp(_:coarse:)` held to today's grant: a prefix rolled up from many names may reach
    /// names the grant does not (eleven tables granted one by one are not `table/orders-*`):
    /// then the names themselves.
    static func rollUp(
        _ evidence: [String], coarse: Bool, grant: [String], allowsToday: ((String) -> Bool)?
    ) -> (patterns: [String], rolled: Bool) {
        let (rolled, didRollUp) = rollUp(evidence, coarse: coarse)
        let reachesFurther = rolled.contains { pattern in
            pattern.hasSuffix("*") && !allows(pattern, grant: grant, allowsToday: allowsToday)
        }
        guard didRollUp, reachesFurther else { return (rolled, didRollUp) }
        return (ExactString.uniqueSorted(evidence.map(literal)), false)
    }

    /// Whether today's policies allow `pattern` as a suggestion would write it: unconditionally
    /// (`allowsToday`), or, where the suggestion keeps today's conditions, within the grant.
    static func allows(_ pattern: String, grant: [String], allowsToday: ((String) -> Bool)?)
        -> Bool
    {
        allowsToday?(pattern) ?? grant.contains { EffectivePermissions.covers($0, pattern) }
    }

    /// Groups ARNs into at most a few patterns: S3 objects per bucket to their common key
    /// prefix (`bucket/logs/*`, else `bucket/*`), other kinds to their common prefix.
    static func rollUp(_ arns: [String], coarse: Bool) -> ([String], Bool) {
        var objectsByBucket: [String: [String]] = [:]
        var others: [String: [String]] = [:]
        for arn in arns {
            if let (bucket, key) = s3Object(arn) {
                objectsByBucket[bucket, default: []].append(key)
            } else {
                others[kind(of: arn), default: []].append(arn)
            }
        }

        // Two spellings of one key are two objects (`ExactString`): told apart by their bytes.
        var result: [String] = []
        var rolled = false
        for (bucket, keys) in objectsByBucket {
            if !coarse && keys.count <= objectsPerBucket {
                for key in keys { result.append(literal(bucket + "/" + key)) }
                continue
            }
            rolled = true
            let prefix = coarse ? "" : commonPrefix(keys, cutAfter: "/")
            result.append(literal(bucket + "/" + prefix) + "*")
        }
        for (_, group) in others {
            if !coarse && group.count <= arnsPerKind || group.count == 1 {
                result += group.map(literal)
                continue
            }
            rolled = true
            // Names of one kind often share a stem (`orders-2024-*`); never cut into the kind.
            let kindPrefix = kind(of: group[0])
            let stem = commonPrefix(group, cutAfter: nil)
            let pattern = coarse || stem.count < kindPrefix.count ? kindPrefix : stem
            result.append(literal(pattern) + "*")
        }
        return (ExactString.uniqueSorted(result), rolled)
    }

    /// `text` as a Resource matching only itself: IAM reads `*`, `?` and `$` in a Resource as a
    /// wildcard or a variable, and an object may be named `*` by whoever can write it.
    static func literal(_ text: String) -> String {
        // Scalar by scalar, as IAM matches: a `*` followed by a combining mark is one
        // Character, and still a wildcard.
        let wildcards: Set<Unicode.Scalar> = ["*", "?", "$"]
        guard text.unicodeScalars.contains(where: wildcards.contains) else { return text }
        var output = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if wildcards.contains(scalar) {
                output.append(contentsOf: "${\(scalar)}".unicodeScalars)
            } else {
                output.append(scalar)
            }
        }
        return String(output)
    }

    static let keysNotLogged = "a multi-object delete names only its bucket: all of its objects"

    /// The evidence without the S3 bucket ARNs that stand for their objects (an `action` on
    /// objects and not on buckets, named by a bucket), and those buckets as `bucket/*`.
    static func bucketsOfObjects(_ evidence: [String], action: CatalogAction)
        -> (evidence: [String], buckets: [String])
    {
        let types = action.resourceTypes.map(\.name)
        guard action.name.lowercased().hasPrefix("s3:"), types.contains("object"),
            !types.contains("bucket")
        else { return (evidence, []) }
        var kept: [String] = []
        var buckets: [String] = []
        for arn in evidence {
            if arn.hasPrefix("arn:"), let range = arn.firstRange(of: ":s3:::"),
                !arn[range.upperBound...].isEmpty, !arn[range.upperBound...].contains("/")
            {
                buckets.append(literal(arn) + "/*")
            } else {
                kept.append(arn)
            }
        }
        return (kept, buckets)
    }

    /// `arn:aws:s3:::bucket/key` -> (`arn:aws:s3:::bucket`, `key`).
    private static func s3Object(_ arn: String) -> (String, String)? {
        guard arn.hasPrefix("arn:"), let range = arn.firstRange(of: ":s3:::") else { return nil }
        let rest = arn[range.upperBound...]
        guard let slash = rest.firstIndex(of: "/") else { return nil }
        return (String(arn[..<slash]), String(rest[rest.index(after: slash)...]))
    }

    /// The part of an ARN before its resource name: `arn:aws:sqs:us-east-1:1234:`,
    /// `arn:aws:dynamodb:us-east-1:1234:table/`.
    private static func kind(of arn: String) -> String {
        if let slash = arn.firstIndex(of: "/") { return String(arn[...slash]) }
        if let colon = arn.lastIndex(of: ":") { return String(arn[...colon]) }
        return arn
    }

    /// The longest common prefix of `values`, cut just after the last `separator` in it (when
    /// one is given).
    private static func commonPrefix(_ values: [String], cutAfter separator: Character?) -> String {
        guard var prefix = values.first else { return "" }
        for value in values.dropFirst() {
            prefix = String(prefix.commonPrefix(with: value))
            if prefix.isEmpty { return "" }
        }
        guard let separator else { return prefix }
        guard let cut = prefix.lastIndex(of: separator) else { return "" }
        return String(prefix[...cut])
    }
}

extension String {
    fileprivate func commonPrefix(with other: String) -> Substring {
        var end = startIndex
        var otherIndex = other.startIndex
        while end < endIndex, otherIndex < other.endIndex, self[end] == other[otherIndex] {
            end = index(after: end)
            otherIndex = other.index(after: otherIndex)
        }
        return self[..<end]
    }
}
