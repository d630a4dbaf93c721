import Testing

@testable import TrailAudit

@Suite struct EventScannerTests {
    /// Scans `json` and returns the decoded value of one field.
    func field(_ json: String, _ pick: (ScannedEvent) -> JSONStringRange) throws -> String? {
        let bytes = Array(json.utf8)
        return try bytes.withUnsafeBytes { raw in
            let event = try EventScanner.scan(raw)
            let range = pick(event)
            return range.isPresent ? JSONScanner(raw).string(range) : nil
        }
    }

    @Test(arguments: [
        (#"{"eventName":"Get\"Object\\"}"#, #"Get"Object\"#),
        (#"{"eventName":"a\/b\n\t"}"#, "a/b\n\t"),
        (#"{"eventName":"caf\u00e9"}"#, "café"),
        (#"{"eventName":"\ud83d\ude00"}"#, "😀"),
        (#"{"eventName":"lone \ud83d end"}"#, "lone \u{FFFD} end"),
        (#"{"eventName":"low \ude00 first"}"#, "low \u{FFFD} first"),
        (#"{"eventName":"bad \uZZZZ"}"#, "bad \u{FFFD}ZZZZ"),
    ])
    func decodesEscapes(json: String, expected: String) throws {
        #expect(try field(json) { $0.eventName } == expected)
    }

    /// A string's end is found past escaped quotes and backslashes at every offset of the
    /// scanner's 16-byte blocks, and whether it holds escapes is told right.
    @Test func stringsEndAtTheirClosingQuoteWhereverTheEscapesFall() throws {
        for prefix in 0..<40 {
            for escape in ["", #"\\"#, #"\""#, #"\\\""#, #"\/"#] {
                for suffix in [0, 1, 17] {
                    let content =
                        String(repeating: "a", count: prefix) + escape
                        + String(repeating: "}", count: suffix)
                    let bytes = Array(("\"" + content + "\",\"b\"").utf8)
                    try bytes.withUnsafeBytes { raw in
                        var scanner = JSONScanner(raw)
                        let range = try scanner.readString()
                        #expect(range.start == 1)
                        #expect(range.end == 1 + content.utf8.count, "\(content)")
                        #expect(range.hasEscapes == !escape.isEmpty, "\(content)")
                        #expect(scanner.peekByte() == UInt8(ascii: ","))
                    }
                }
            }
        }
        let unterminated = Array(#""abcdefghijklmnopqrstuvwxyz\""#.utf8)
        #expect(throws: (any Error).self) {
            try unterminated.withUnsafeBytes { raw in
                var scanner = JSONScanner(raw)
                _ = try scanner.readString()
            }
        }
    }

    @Test func fieldOrderDoesNotMatter() throws {
        let json =
            #"{"userIdentity":{"sessionContext":{"sessionIssuer":{"arn":"arn:aws:iam"#
            + #"::1:role/a/b"}},"type":"AssumedRole"},"eventSource":"s3.amazonaws.com""#
            + #","eventName":"X"}"#
        #expect(try field(json) { $0.identity.issuerArn } == "arn:aws:iam::1:role/a/b")
        #expect(try field(json) { $0.identity.type } == "AssumedRole")
        #expect(try field(json) { $0.eventSource } == "s3.amazonaws.com")
    }

    @Test func nullsAndWrongTypesReadAsAbsent() throws {
        let json =
            #"{"errorCode":null,"eventName":5,"requestParameters":"roleArn=x","userI"#
            + #"dentity":null,"eventSource":["a"]}"#
        #expect(try field(json) { $0.errorCode } == nil)
        #expect(try field(json) { $0.eventName } == nil)
        #expect(try field(json) { $0.request.roleArn } == nil)
        #expect(try field(json) { $0.eventSource } == nil)
    }

    /// CloudTrail writes errorCode as a string; any other value but null is still an error
    /// code, read as its JSON text, so the call counts as failed, not as succeeded.
    @Test(arguments: [
        (#"{"errorCode":403}"#, "403"),
        (#"{"errorCode": {"code":"Throttled"} ,"eventName":"X"}"#, #"{"code":"Throttled"}"#),
        (#"{"errorCode":[1, 2]}"#, "[1, 2]"),
        (#"{"errorCode":true}"#, "true"),
    ])
    func errorCodesThatAreNotStringsReadAsTheirText(json: String, code: String) throws {
        #expect(try field(json) { $0.errorCode } == code)
        let outcome = EventOutcome(errorCode: try field(json) { $0.errorCode })
        #expect(outcome == .failed)
    }

    @Test func lowerCaseKeysAreRead() throws {
        let json =
            #"{"eventname":"GetObject","useridentity":{"type":"IAMUser","ARN":"arn:aws:iam::1:user/u"}}"#
        #expect(try field(json) { $0.eventName } == "GetObject")
        #expect(try field(json) { $0.identity.arn } == "arn:aws:iam::1:user/u")
    }

    /// A key given twice (a forged record) counts as its last value, whole: the fields of two
    /// identities, requests or resource lists never mix.
    @Test func aRepeatedKeyCountsAsItsLastValueWhole() throws {
        let json =
            #"{"userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/r/s","#
            + #""accessKeyId":"ASIAFIRST"},"requestParameters":{"bucketName":"first","#
            + #""key":"k"},"resources":[{"ARN":"arn:aws:s3:::first"}],"#
            + #""userIdentity":{"type":"Root","arn":"arn:aws:iam::1:root"},"#
            + #""requestParameters":{"bucketName":"second"},"resources":[]}"#
        #expect(try field(json) { $0.identity.arn } == "arn:aws:iam::1:root")
        #expect(try field(json) { $0.identity.accessKeyId } == nil)
        #expect(try field(json) { $0.request.bucketName } == "second")
        #expect(try field(json) { $0.request.key } == nil)
        let resources = try Array(json.utf8).withUnsafeBytes { try EventScanner.scan($0) }
            .resourceCount
        #expect(resources == 0)
        let nulled = #"{"requestParameters":{"bucketName":"b"},"requestParameters":null}"#
        #expect(try field(nulled) { $0.request.bucketName } == nil)
        // Inside the identity too: a second sessionContext or sessionIssuer replaces the first.
        let contexts =
            #"{"userIdentity":{"arn":"arn:aws:sts::1:assumed-role/roleB/s","sessionContext":"#
            + #"{"sessionIssuer":{"arn":"arn:aws:iam::1:role/roleA"},"sourceIdentity":"x"},"#
            + #""sessionContext":{"attributes":{}}}}"#
        #expect(try field(contexts) { $0.identity.issuerArn } == nil)
        #expect(try field(contexts) { $0.identity.sourceIdentity } == nil)
        let issuers =
            #"{"userIdentity":{"sessionContext":{"sessionIssuer":{"arn":"arn:aws:iam::1:role/"#
            + #"roleA"},"sessionIssuer":{"type":"Role"}}}}"#
        #expect(try field(issuers) { $0.identity.issuerArn } == nil)
        let credentials =
            #"{"responseElements":{"credentials":{"accessKeyId":"ASIAFIRST"},"credentials":null,"#
            + #""federatedUser":{"arn":"arn:aws:sts::1:federated-user/a"},"federatedUser":{}}}"#
        #expect(try field(credentials) { $0.response.issuedAccessKeyId } == nil)
        #expect(try field(credentials) { $0.response.federatedUserArn } == nil)
    }

    @Test func nestedValuesAreSkippedWhole() throws {
        let json =
            #"{"requestParameters":{"filter":{"eventName":"inner","deep":[[[{"x":"]}"#
            + #""}]]]},"bucketName":"b"},"eventName":"outer"}"#
        #expect(try field(json) { $0.eventName } == "outer")
        #expect(try field(json) { $0.request.bucketName } == "b")
    }

    @Test func nestingDeeperThanTheLimitFails() throws {
        let depth = JSONScanner.maxDepth + 1
        let json =
            "{\"x\":" + String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
            + "}"
        #expect(throws: InputError.self) { try field(json) { $0.eventName } }
    }

    @Test(arguments: [
        #"{"eventName":"x",}"#, #"{"eventName" "x"}"#, #"{"a":tru}"#, #"{"a":[1,]}"#,
        #"{"a":{"b":1]}"#, #"{"a":1}}"#, #"{"a":-}"#, #"{"a":TRUE}"#, #"{"a":Null}"#,
    ])
    func malformedRecordsFail(json: String) throws {
        #expect(throws: InputError.self) { try field(json) { $0.eventName } }
    }

    @Test func resourcesKeepARNsAndDropPrefixOnlyEntries() throws {
        let json =
            #"{"resources":[{"type":"AWS::S3::Object","ARNPrefix":"arn:aws:s3:::b/"}"#
            + #",{"ARN":"arn:aws:s3:::b","type":"AWS::S3::Bucket"}]}"#
        let bytes = Array(json.utf8)
        let arns = try bytes.withUnsafeBytes { raw in
            let event = try EventScanner.scan(raw)
            return (0..<event.resourceCount).map {
                JSONScanner(raw).string(event.resourceARN(at: $0))
            }
        }
        #expect(arns == ["arn:aws:s3:::b"])
    }

    @Test func recognisesEnvelopes() throws {
        let bridge = Array(
            #"{"detail-type":"AWS API Call via CloudTrail","detail":{"eventName":"X"}}"#.utf8)
        let detail = try bridge.withUnsafeBytes { try EventScanner.scan($0).envelopeDetail }
        #expect(detail.map { String(decoding: bridge[$0], as: UTF8.self) } == #"{"eventName":"X"}"#)

        let digest = Array(#"{"awsAccountId":"1","logFiles":[],"digestS3Object":"k"}"#.utf8)
        #expect(try digest.withUnsafeBytes { try EventScanner.scan($0).isDigest })
    }

    @Test(
        arguments: [
            ("2024-03-05T10:00:00Z", 1_709_632_800),
            ("2024-03-05T10:00:00.123Z", 1_709_632_800),
            ("1970-01-01T00:00:00Z", 0),
            ("2000-02-29T23:59:59Z", 951_868_799),
            ("2024-03-05 10:00:00", 1_709_632_800),
            ("2024-11-25 10:00:00.000000000", 1_709_632_800 + 265 * 86_400),
            ("2024-03-05T12:00:00+02:00", 1_709_632_800),
            // RFC 3339 allows lower case (a breaking pass: re-exported logs read as untimed).
            ("2024-03-05t10:00:00z", 1_709_632_800),
        ] as [(String, Int64)])
    func parsesEventTimes(text: String, seconds: Int64) {
        #expect(EventTime.parse(text) == seconds)
    }

    /// Found by the fuzzer: times and key dates far outside any log must not trap.
    @Test func timesOutsideFourDigitYearsDoNotTrap() {
        #expect(EventTime.format(.max) == "\(Int64.max)s since 1970")
        #expect(EventTime.format(.min) == "\(Int64.min)s since 1970")
        #expect(EventTime.format(-62_167_219_200) == "0000-01-01T00:00:00Z")
        let key = ExportKey(
            path: "AWSLogs/111122223333/CloudTrail/us-east-1/99999999999999999999/01/01/f.json")
        #expect(key.day == nil)
        #expect(key.account == "111122223333")
    }

    @Test func formatsUTC() {
        #expect(EventTime.format(1_709_632_800) == "2024-03-05T10:00:00Z")
        #expect(EventTime.format(0) == "1970-01-01T00:00:00Z")
        #expect(EventTime.format(951_868_799) == "2000-02-29T23:59:59Z")
    }

    @Test(arguments: [
        "2024-03-05", "2024-03-05T10:00:00Zjunk", "2024-13-05T10:00:00Z", "yesterday",
        "2024-03-05T10:00:00+2", "2024-03-05X10:00:00Z", "2024-03-05T10:00:00y",
    ])
    func rejectsOtherTimeForms(text: String) {
        #expect(EventTime.parse(text) == nil)
    }
}

@Suite struct StringTableTests {
    /// Found while writing the decoder fuzzer: repaired invalid UTF-8 never matched its own
    /// entry, so every event added one and every lookup walked them all (quadratic).
    @Test func bytesThatAreNotUTF8AreNotInterned() {
        var table = StringTable()
        let bad: [UInt8] = Array("agent".utf8) + [0xFF]
        for _ in 0..<1000 {
            let string = bad.withUnsafeBytes { table.intern($0) }
            #expect(string == "agent\u{FFFD}")
        }
        #expect(table.count == 0)
        for _ in 0..<10 { _ = Array("aws-cli/2".utf8).withUnsafeBytes { table.intern($0) } }
        #expect(table.count == 1)
    }

    /// Strings made to share their slot under the hash with a known seed: 200 user agents
    /// whose hashes end in the same 10 bits, all in one run of slots of the 1,024-slot table
    /// that holds them, where each lookup walks a hundred slots on average. Under the
    /// process's random seed they spread like any other strings.
    @Test func stringsCraftedForAKnownSeedDoNotPileUp() {
        var crafted: [[UInt8]] = []
        var counter = 0
        while crafted.count < 200 {
            let bytes = Array("Mozilla/5.0 (crafted \(counter))".utf8)
            counter += 1
            if bytes.withUnsafeBytes({ StringTable.hash($0, seed: 0) }) & 1023 == 0 {
                crafted.append(bytes)
            }
        }
        func probes(seed: UInt64?) -> Int {
            var table = StringTable(seed: seed)
            for bytes in crafted { _ = bytes.withUnsafeBytes { table.intern($0) } }
            return crafted.reduce(0) { sum, bytes in sum + bytes.withUnsafeBytes(table.probes) }
        }

        #expect(probes(seed: 0) > 50 * crafted.count)
        #expect(probes(seed: nil) < 2 * crafted.count)
    }

    @Test(arguments: ["0000-01-01T00:00:00+00:01", "9999-12-31T23:59:59-00:01"])
    func timesThatLeaveFourDigitYearsAreNotParsed(text: String) {
        #expect(EventTime.parse(text) == nil)
    }

    /// Days a month does not have are no time (2026-02-30 was read as March 2nd).
    @Test(arguments: [
        ("2026-02-30T00:00:00Z", false), ("2026-02-29T00:00:00Z", false),
        ("2024-02-29T00:00:00Z", true), ("2000-02-29T00:00:00Z", true),
        ("1900-02-29T00:00:00Z", false), ("2024-04-31T00:00:00Z", false),
        ("2024-12-31T23:59:59Z", true),
    ])
    func daysAMonthDoesNotHaveAreNotParsed(text: String, valid: Bool) {
        #expect((EventTime.parse(text) != nil) == valid)
    }

    /// Long values that never repeat start the table again by their bytes, long before its
    /// count limit, and each still comes back as itself.
    @Test func holdsAtMostMaxBytes() {
        var table = StringTable()
        let total = 2 * StringTable.maxBytes / 500
        for index in 0..<total {
            let text = String(index) + String(repeating: "x", count: 500 - String(index).count)
            let string = Array(text.utf8).withUnsafeBytes { table.intern($0) }
            #expect(string == text)
            #expect(table.count * 500 <= StringTable.maxBytes)
        }
        #expect(table.count > 0)
        #expect(table.count < total / 2 + 1)
    }

    /// The table stays bounded over a long run, and gives the right string before and
    /// after it starts again.
    @Test func holdsAtMostMaxCountAndStaysCorrect() {
        var table = StringTable()
        func intern(_ text: String) -> String {
            var bytes = Array(text.utf8)
            return bytes.withUnsafeMutableBytes { table.intern(UnsafeRawBufferPointer($0)) }
        }
        let total = StringTable.maxCount + StringTable.maxCount / 2
        for index in 0..<total {
            #expect(intern("session-\(index)") == "session-\(index)")
            #expect(table.count <= StringTable.maxCount)
        }
        #expect(table.count == total - StringTable.maxCount)
        #expect(intern("session-0") == "session-0")
        #expect(intern("session-\(total - 1)") == "session-\(total - 1)")
        #expect(table.count == total - StringTable.maxCount + 1)
    }
}
