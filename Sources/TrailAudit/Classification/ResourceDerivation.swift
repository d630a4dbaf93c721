import Foundation

/// The resource ARNs an event touched: `resources[]` where CloudTrail lists them, else
/// derived from request parameters for the services whose names map to ARNs (facts §5.3).
enum ResourceDerivation {
    /// The resources the event names, and for an S3 copy (CopyObject, UploadPartCopy) the
    /// source objects it reads: nil for any other event, so a copy is told in one place.
    static func resources(
        of event: ScannedEvent, scanner: JSONScanner, strings: inout StringTable, facts: EventFacts
    ) -> (resources: [String], copySources: [String]?) {
        let isCopy = facts.eventName == "CopyObject" || facts.eventName == "UploadPartCopy"
        var copySources: [String] = []
        let resources = resources(
            of: event, scanner: scanner, strings: &strings, facts: facts, isCopy: isCopy,
            copySources: &copySources)
        return (resources, isCopy ? copySources : nil)
    }

    /// Whether the S3 object ARN `arn` names `bucket`/`key` byte for byte, the key as the
    /// record holds it (false for a key with escapes: the slower path decodes it).
    private static func names(
        _ arn: String, bucket: String, key: JSONStringRange, in scanner: JSONScanner
    ) -> Bool {
        guard !key.hasEscapes, let offset = arn.utf8Offset(of: ":::") else { return false }
        let keyBytes = UnsafeRawBufferPointer(start: scanner.base + key.start, count: key.count)
        var (arn, bucket) = (arn, bucket)
        return arn.withUTF8 { arn in
            bucket.withUTF8 { bucket in
                // arn:PARTITION:s3:::BUCKET/KEY
                let name = offset + 3
                let arn = UnsafeRawBufferPointer(arn)
                guard arn.count - name == bucket.count + 1 + keyBytes.count,
                    arn[name + bucket.count] == UInt8(ascii: "/")
                else { return false }
                return arn.holds(UnsafeRawBufferPointer(bucket), at: name)
                    && arn.holds(keyBytes, at: name + bucket.count + 1)
            }
        }
    }

    /// Calls `body` with every `resources[].ARN` of the event: the ones the scanner kept, or,
    /// past `ScannedEvent.maxResources`, all of them read again from the array (not
    /// interned: such lists are rare and mostly distinct). The aggregate bounds what it keeps,
    /// and says so.
    @inline(__always)
    private static func forEachListedARN(
        of event: ScannedEvent, scanner: JSONScanner, strings: inout StringTable,
        _ body: (String) -> Void
    ) {
        guard let array = event.resourcesArray else {
            for index in 0..<min(event.resourceCount, ScannedEvent.maxResources) {
                if let arn = strings.string(event.resourceARN(at: index), in: scanner) {
                    body(arn)
                }
            }
            return
        }
        var reader = scanner
        reader.position = array.lowerBound
        // The array was read whole once already: it cannot fail now.
        try? EventScanner.forEachResourceARN(&reader) { body(scanner.string($0)) }
    }

    private static func resources(
        of event: ScannedEvent, scanner: JSONScanner, strings: inout StringTable,
        facts: EventFacts, isCopy: Bool, copySources: inout [String]
    ) -> [String] {
        let isS3 = facts.eventSource?.hasPrefix("s3.") ?? false
        let objectLevel = event.request.key.isNonEmpty

        var listed: [String] = []
        forEachListedARN(of: event, scanner: scanner, strings: &strings) { arn in
            // S3 data events list both the object and its bucket; keep the one the call is on.
            if isS3 && isS3ObjectARN(arn) != objectLevel { return }
            listed.append(arn)
        }
        // CopyObject and UploadPartCopy list the copy's source object too, which the call
        // reads (s3:GetObject), not writes: keep the object the request names, and the others
        // as the sources. The object is named as the request spells its key: IAM matches the
        // key itself, which a percent-encoded listing (`q1%202024.csv`) would not.
        if isS3, objectLevel, !listed.isEmpty,
            let bucket = strings.string(event.request.bucketName, in: scanner)
        {
            // Most events list the one object the request names, spelled as the request spells
            // it: keep the listed (interned) ARN, and intern no key (keys rarely repeat; the
            // table would hold a copy of each beside the aggregate's).
            if listed.count == 1,
                names(listed[0], bucket: bucket, key: event.request.key, in: scanner)
            {
                return listed
            }
            let destination = "\(bucket)/\(scanner.string(event.request.key))"
            let isDestination = { (arn: String) in
                guard let offset = arn.utf8Offset(of: ":::"),
                    let name = String(arn.utf8.dropFirst(offset + 3))
                else { return false }
                // The listed ARN may spell the key percent-encoded.
                return name == destination || name.removingPercentEncoding == destination
            }
            let named = listed.filter(isDestination)
            if !named.isEmpty {
                copySources = Array(Set(listed.filter { !isDestination($0) })).sorted()
                return Array(
                    Set(
                        named.map { arn in
                            arn.utf8Offset(of: ":::").map {
                                String(arn.utf8.prefix($0 + 3))! + destination
                            } ?? arn
                        }))
            }
            // A copy whose destination cannot be told from its source: neither, rather than
            // write on the source (suggest then keeps the current grant).
            if isCopy { return [] }
        }
        if !listed.isEmpty { return listed }

        var partition: String { partitionHint(facts) }
        let request = event.request
        if isS3 {
            guard let bucket = strings.string(request.bucketName, in: scanner) else { return [] }
            if objectLevel, let key = strings.string(request.key, in: scanner) {
                return ["arn:\(partition):s3:::\(bucket)/\(key)"]
            }
            return ["arn:\(partition):s3:::\(bucket)"]
        }
        // Each request parameter names a resource of its own service only: Glue and
        // Timestream requests have a `tableName` too, AppSync a `functionName`.
        switch facts.eventSource.map({ service(of: $0, strings: &strings) }) {
        case "dynamodb":
            guard let table = strings.string(request.tableName, in: scanner) else { return [] }
            if table.hasPrefix("arn:") { return [table] }
            guard let region = facts.region, let account = facts.recipientAccount else { return [] }
            return ["arn:\(partition):dynamodb:\(region):\(account):table/\(table)"]
        case "sns":
            guard let topic = strings.string(request.topicArn, in: scanner), topic.hasPrefix("arn:")
            else { return [] }
            return [topic]
        case "sqs":
            guard let url = strings.string(request.queueUrl, in: scanner),
                let arn = sqsARN(url, partition, region: facts.region)
            else { return [] }
            return [arn]
        case "lambda":
            guard let function = strings.string(request.functionName, in: scanner) else {
                return []
            }
            let arn =
                if let region = facts.region, let account = facts.recipientAccount {
                    lambdaFunctionARN(function, partition, region, account)
                } else {
                    function.hasPrefix("arn:") ? lambdaFunctionARN(function) : nil
                }
            return arn.map { [$0] } ?? []
        case "sts":
            guard let role = facts.roleArn, role.hasPrefix("arn:") else { return [] }
            return [role]
        default:
            return []
        }
    }

    /// The service of an eventSource, as the action mapping reads it: up to `.amazonaws`
    /// (`.com`, or `.eu` in the European Sovereign Cloud). Interned: most events ask.
    private static func service(of source: String, strings: inout StringTable) -> String {
        guard let end = source.utf8Offset(of: ".amazonaws") else { return source }
        var source = source
        return source.withUTF8 { utf8 in
            strings.intern(UnsafeRawBufferPointer(start: utf8.baseAddress, count: end))
        }
    }

    /// The function ARN of a Lambda `functionName`, which may be a name, `name:qualifier`,
    /// `account:function:name[:qualifier]` or a full ARN (Lambda API reference); the qualifier
    /// (version or alias) is dropped: the function's permissions cover it.
    /// Nil for a value that is none of these (an ARN of something else, an empty name).
    static func lambdaFunctionARN(
        _ value: String, _ partition: String = "", _ region: String = "", _ account: String = ""
    ) -> String? {
        let parts = value.utf8.split(
            separator: UInt8(ascii: ":"), maxSplits: 7, omittingEmptySubsequences: false
        ).map { Substring($0) }
        if parts[0] == "arn" {
            guard parts.count >= 7, parts[5] == "function", !parts[6].isEmpty else { return nil }
            return String(value[..<parts[6].endIndex])
        }
        if parts.count >= 3, parts[1] == "function" {
            guard !parts[0].isEmpty, !parts[2].isEmpty else { return nil }
            return "arn:\(partition):lambda:\(region):\(parts[0]):function:\(parts[2])"
        }
        guard !parts[0].isEmpty else { return nil }
        return "arn:\(partition):lambda:\(region):\(account):function:\(parts[0])"
    }

    /// `arn:aws:s3:::bucket/key` is an object; `arn:aws:s3:::bucket` a bucket.
    private static func isS3ObjectARN(_ arn: String) -> Bool {
        guard let offset = arn.utf8Offset(of: ":::") else { return false }
        return arn.containsByte(UInt8(ascii: "/"), fromOffset: offset + 3)
    }

    /// `https://sqs.REGION.amazonaws.com/ACCOUNT/NAME` -> `arn:P:sqs:REGION:ACCOUNT:NAME`;
    /// also the legacy `REGION.queue.amazonaws.com` and VPC endpoint hosts: the account and
    /// name come from the path, the region from the event (a queue is called in its region),
    /// else from an `sqs.REGION.` host.
    private static func sqsARN(_ url: String, _ partition: String, region: String?) -> String? {
        let parts = url.utf8.split(separator: UInt8(ascii: "/"), maxSplits: 4)
            .map { Substring($0) }
        guard parts.count >= 4, parts[0].utf8.starts(with: "http".utf8) else { return nil }
        let account = parts[2]
        guard ARN.isAccountID(account), !parts[3].isEmpty else { return nil }
        let host = parts[1].utf8.split(separator: UInt8(ascii: "."), maxSplits: 2)
            .map { Substring($0) }
        let hostRegion = host.count >= 3 && host[0] == "sqs" ? String(host[1]) : nil
        guard let region = region ?? hostRegion else { return nil }
        return "arn:\(partition):sqs:\(region):\(account):\(parts[3])"
    }

    /// The partition the event's own ARNs use, else the one its region belongs to.
    private static func partitionHint(_ facts: EventFacts) -> String {
        for arn in [facts.identity.arn, facts.identity.issuerArn, facts.roleArn] {
            if let arn, let partition = ARN.partition(of: arn) { return String(partition) }
        }
        return ARN.partition(forRegion: facts.region)
    }
}
