import Testing

@testable import TrailAudit

@Suite struct RecordFramerTests {
    static let records =
        #"{"Records":[{"eventName":"A","x":"}]\"{"},{"eventName":"B","n":[1,{"c":[]}]}]}"#

    @Test(arguments: [1, 2, 3, 5, 8, 13, 1000])
    func streamsRecordsElementsInAnyPieceSize(pieceSize: Int) throws {
        let records = try frame(Self.records, pieceSize: pieceSize)
        #expect(
            records.map(\.0) == [
                #"{"eventName":"A","x":"}]\"{"}"#,
                #"{"eventName":"B","n":[1,{"c":[]}]}"#,
            ])
        #expect(records.allSatisfy { if case .recordsElement = $0.1 { true } else { false } })
    }

    /// Backslash runs of every parity right before a quote, split at every position.
    @Test func escapesSplitAtEveryByte() throws {
        let record = #"{"a":"x\\","b":"\\\"]","c":"\\\\","d":"}\"{"}"#
        let text = "{\"Records\":[" + record + "," + record + "]}"
        for pieceSize in 1...12 {
            let records = try frame(text, pieceSize: pieceSize)
            #expect(records.map(\.0) == [record, record], "piece size \(pieceSize)")
        }
        for pieceSize in 1...12 {
            let records = try frame(record + "\n" + record, pieceSize: pieceSize)
            #expect(records.map(\.0) == [record, record], "JSONL, piece size \(pieceSize)")
        }
    }

    /// Records of hundreds of bytes, so the framer's 64-byte blocks meet brackets inside
    /// strings, escaped quotes and backslash runs at every offset, a record's end in the
    /// middle of a block and pieces that cut blocks short: each record comes back whole.
    @Test(arguments: [1, 7, 63, 64, 65, 200, 4096, Int.max])
    func longRecordsAreFramedWhole(pieceSize: Int) throws {
        var random = SeededRandom(seed: UInt64(truncatingIfNeeded: pieceSize))
        let records = (0..<60).map { _ in Self.randomObject(&random, depth: 0) }
        let text = "{\"Records\":[" + records.joined(separator: ",\n ") + "]}"
        #expect(try frame(text, pieceSize: pieceSize).map(\.0) == records)
    }

    /// A JSON object of strings full of brackets, quotes and escapes, and nested values.
    static func randomObject(_ random: inout SeededRandom, depth: Int) -> String {
        let pieces = [
            "{", "}", "[", "]", #"\""#, #"\\"#, #"\\\""#, "a", "bcdefgh", " ", ":", ",",
            String(repeating: "x", count: 70), #"\u007b"#,
        ]
        func string() -> String {
            let count = Int(random.next() % 12)
            return "\"" + (0..<count).map { _ in pieces[Int(random.next() % 14)] }.joined() + "\""
        }
        let members = (0..<(1 + Int(random.next() % 8))).map { index in
            let value: String
            switch random.next() % 5 {
            case 0 where depth < 3: value = randomObject(&random, depth: depth + 1)
            case 1 where depth < 3:
                let elements = [string(), randomObject(&random, depth: depth + 1), "7"]
                value = "[" + elements.joined(separator: ",") + "]"
            case 2: value = "12.5"
            default: value = string()
            }
            return "\"k\(index)\":" + value
        }
        return "{" + members.joined(separator: ",") + "}"
    }

    @Test func recordsKeyAfterOtherKeysIsStillStreamed() throws {
        let records = try frame(#"{"meta":{"Records":1},"Records":[{"a":1}],"tail":[{}]}"#)
        #expect(records.map(\.0) == [#"{"a":1}"#])
    }

    /// The `Records` key is found whether it lies in one piece or across pieces, and keys
    /// that only begin or end like it are not taken for it.
    @Test func recordsKeyIsFoundAcrossPieces() throws {
        let text =
            #"{"Record":[{"x":1}],"Records2":[{"y":2}],"xRecords":[],"Records":[{"a":1},{"b":2}]}"#
        for pieceSize in 1...24 {
            let records = try frame(text, pieceSize: pieceSize)
            #expect(records.map(\.0) == [#"{"a":1}"#, #"{"b":2}"#], "piece size \(pieceSize)")
        }
        let line = #"{"Recordz":[{"x":1}],"eventName":"A"}"#
        for pieceSize in 1...24 {
            let records = try frame(line + "\n" + line, pieceSize: pieceSize)
            #expect(records.map(\.0) == [line, line], "JSONL, piece size \(pieceSize)")
        }
    }

    @Test func jsonLinesAreTopLevelObjects() throws {
        let records = try frame("{\"a\":1}\n{\"b\":\"x\\n\"}\r\n\n{\"c\":{}}\n", pieceSize: 4)
        #expect(records.map(\.0) == [#"{"a":1}"#, #"{"b":"x\n"}"#, #"{"c":{}}"#])
        #expect(records.allSatisfy { if case .topLevelObject = $0.1 { true } else { false } })
    }

    @Test func bareArrayElementsAreTopLevelObjects() throws {
        let records = try frame("[ {\"a\":1} , {\"b\":2} ]\n", pieceSize: 3)
        #expect(records.map(\.0) == [#"{"a":1}"#, #"{"b":2}"#])
    }

    @Test func byteOrderMarkAtTheStartIsSkipped() throws {
        let records = try frame("\u{FEFF}{\"a\":1}")
        #expect(records.map(\.0) == [#"{"a":1}"#])
    }

    @Test func emptyRecordsArrayYieldsNothing() throws {
        #expect(try frame(#"{"Records":[]}"#).isEmpty)
    }

    @Test(arguments: [#"{"Records":[{"a":1}"#, #"{"a":"#, #"["#, #"{"Records":[{"a":"x}]}"#])
    func truncatedJSONFails(text: String) throws {
        #expect(throws: InputError.truncatedJSON) { try frame(text) }
    }

    @Test func textThatIsNotJSONFailsWithItsOffset() throws {
        #expect(
            throws: InputError.invalidJSON(
                offset: 2, reason: "expected an object or array, found 'h'")
        ) {
            try frame("  hello")
        }
    }

    @Test func oversizedRecordFails() throws {
        let big = "{\"Records\":[{\"a\":\"" + String(repeating: "x", count: 200) + "\"}]}"
        #expect(throws: InputError.recordTooLarge(limit: 100)) {
            try frame(big, pieceSize: 7, maxRecord: 100)
        }
    }
}

extension RecordFramerTests {
    @Test(arguments: [
        #"[{"a":1},]"#, #"[,{"a":1}]"#, #"[{"a":1}{"b":2}]"#, #"{"Records":[{"a":1},,{"b":2}]}"#,
    ])
    func arraysWithMisplacedCommasFail(text: String) {
        #expect(throws: InputError.self) { try frame(text) }
    }
}

extension GzipReaderTests {
    @Test func zeroPaddingAfterTheLastMemberIsIgnored() throws {
        let bytes = gzip("{\"a\":1}") + [UInt8](repeating: 0, count: 1000)
        #expect(try inflateAll(bytes, chunkSize: 64) == Array("{\"a\":1}".utf8))
        #expect(throws: InputError.trailingGarbage(afterMembers: 1)) {
            try inflateAll(gzip("{}") + [0, 0, 7])
        }
    }
}

extension RecordFramerTests {
    /// Found by the fuzzing pass: a second Records array was skipped unread.
    @Test(arguments: [1, 3, 1000])
    func everyRecordsArrayOfAnEnvelopeIsStreamed(pieceSize: Int) throws {
        let text = #"{"Records":[{"a":1}],"x":{"y":[1,2]},"Records":[{"b":2}],"z":"}"}"#
        #expect(try frame(text, pieceSize: pieceSize).map(\.0) == [#"{"a":1}"#, #"{"b":2}"#])
    }

    @Test func aBrokenEnvelopeTailFails() {
        #expect(throws: InputError.self) { try frame(#"{"Records":[{"a":1}], "x":[1,{"y": }]}"#) }
    }
}
