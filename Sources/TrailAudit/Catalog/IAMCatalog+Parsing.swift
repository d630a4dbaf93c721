import Foundation

/// Catalog text that does not follow the format of scripts/build-iam-catalog.py.
package struct CatalogFormatError: Error, CustomStringConvertible, Sendable {
    /// 1-based line of the text where the problem is; 0 for the text as a whole.
    package let line: Int
    /// What is wrong.
    package let reason: String

    package var description: String {
        line == 0 ? "IAM catalog: \(reason)" : "IAM catalog line \(line): \(reason)"
    }
}

extension IAMCatalog {
    /// Parses catalog text in the format scripts/build-iam-catalog.py documents and writes.
    package convenience init(catalogText text: UnsafeBufferPointer<UInt8>) throws {
        self.init(try CatalogParser.catalog(from: text))
    }

    /// Parses catalog text held in a string (tests, or a catalog read from a file).
    package convenience init(catalogText text: String) throws {
        var text = text
        self.init(try text.withUTF8 { try CatalogParser.catalog(from: $0) })
    }

    convenience init(_ parsed: CatalogParser.Catalog) {
        self.init(
            version: parsed.header.version, updatedAt: parsed.header.updatedAt,
            services: parsed.services, actions: parsed.actions)
    }
}

/// Reads catalog text line by line into services and actions.
struct CatalogParser {
    /// The C record's values.
    struct Header {
        let version: String
        let updatedAt: String
        let serviceCount: Int
        let actionCount: Int
    }

    /// Everything a parse yields.
    struct Catalog {
        let header: Header
        let services: [CatalogService]
        let actions: [CatalogAction]
    }

    /// The service whose R and A records are being read.
    private struct OpenService {
        let prefix: Range<Int>
        let name: String
        var resourceTypes: [ServiceResourceType] = []
        var resourceTypeNames: [Range<Int>] = []
        let firstAction: Int
    }

    let text: UnsafeBufferPointer<UInt8>
    private(set) var header: Header?
    private(set) var services: [CatalogService] = []
    private(set) var actions: [CatalogAction] = []

    private var lineNumber = 0
    private var fields: [Range<Int>] = []
    private var open: OpenService?
    private var previousKey: [UInt8] = []
    private var key: [UInt8] = []

    init(text: UnsafeBufferPointer<UInt8>, expectedActions: Int? = nil) {
        self.text = text
        actions.reserveCapacity(expectedActions ?? text.count / 64)
    }

    /// Parses the C record and the records of the service `prefix` alone (its S line and the
    /// R and A lines after it, up to the next S line); nil when the text has no such service.
    /// The other lines are passed over, not read: a service is a few hundred of the text's
    /// 27,000 lines.
    static func catalog(ofService prefix: String, from text: UnsafeBufferPointer<UInt8>) throws
        -> Catalog?
    {
        var parser = CatalogParser(text: text, expectedActions: 0)
        let wanted = Array(prefix.utf8.map(asciiLowercased))
        var start = 0
        var reading = false
        while start < text.count {
            let end = parser.lineEnd(from: start)
            parser.lineNumber += 1
            let letter = start < end ? text[start] : 0
            if letter == UInt8(ascii: "S") {
                if reading { break }
                reading = parser.serviceLine(start..<end, names: wanted)
            }
            if reading || (letter == UInt8(ascii: "C") && parser.header == nil) {
                try parser.readRecord(start..<end)
            }
            start = end + 1
        }
        parser.closeService()
        guard let header = parser.header, !parser.services.isEmpty else { return nil }
        return Catalog(header: header, services: parser.services, actions: parser.actions)
    }

    /// Whether the S record `line` is the service `names` (lower-cased bytes) names.
    private func serviceLine(_ line: Range<Int>, names wanted: [UInt8]) -> Bool {
        let first = line.lowerBound + 2
        guard first + wanted.count < line.upperBound,
            text[first + wanted.count] == UInt8(ascii: "\t")
        else { return false }
        return wanted.indices.allSatisfy { asciiLowercased(text[first + $0]) == wanted[$0] }
    }

    /// Where the line that starts at `start` ends (its newline, or the end of the text).
    private func lineEnd(from start: Int) -> Int {
        guard let base = text.baseAddress,
            let found = memchr(base + start, Int32(UInt8(ascii: "\n")), text.count - start)
        else { return text.count }
        return UnsafeRawPointer(found) - UnsafeRawPointer(base)
    }

    /// Parses all of `text` and checks the counts against the C record.
    static func catalog(from text: UnsafeBufferPointer<UInt8>) throws -> Catalog {
        var parser = CatalogParser(text: text)
        try parser.parse()
        guard let header = parser.header else {
            throw CatalogFormatError(line: 0, reason: "no C (catalog) record")
        }
        guard parser.services.count == header.serviceCount,
            parser.actions.count == header.actionCount
        else {
            throw CatalogFormatError(
                line: 0,
                reason: "\(parser.services.count) services and \(parser.actions.count) actions, "
                    + "the C record says \(header.serviceCount) and \(header.actionCount)")
        }
        return Catalog(header: header, services: parser.services, actions: parser.actions)
    }

    /// Reads every record.
    mutating func parse() throws {
        var start = 0
        while start < text.count {
            let end = lineEnd(from: start)
            lineNumber += 1
            try readRecord(start..<end)
            start = end + 1
        }
        closeService()
    }

    /// Dispatches one line on its record letter.
    private mutating func readRecord(_ line: Range<Int>) throws {
        guard let letter = line.first.map({ text[$0] }), letter != UInt8(ascii: "#") else {
            return
        }
        splitFields(line)
        guard fields[0].count == 1 else { throw failure("unknown record \(string(fields[0]))") }

        switch letter {
        case UInt8(ascii: "C"): try readHeader()
        case UInt8(ascii: "S"): try readService()
        case UInt8(ascii: "R"): try readResourceType()
        case UInt8(ascii: "A"): try readAction()
        default: throw failure("unknown record \(string(fields[0]))")
        }
    }

    private mutating func readHeader() throws {
        try expectFields(6, "C package version updatedAt services actions")
        guard header == nil else { throw failure("a second C record") }
        guard let services = Int(string(fields[4])), let actions = Int(string(fields[5])) else {
            throw failure("service and action counts must be numbers")
        }
        let updatedAt = string(fields[3])
        header = Header(
            version: string(fields[2]), updatedAt: String(updatedAt.prefix { $0 != "T" }),
            serviceCount: services, actionCount: actions)
    }

    private mutating func readService() throws {
        try expectFields(3, "S prefix name")
        guard header != nil else { throw failure("S record before the C record") }
        guard !fields[1].isEmpty, !fields[1].contains(where: { text[$0] == UInt8(ascii: ":") })
        else { throw failure("bad service prefix '\(string(fields[1]))'") }
        closeService()
        open = OpenService(prefix: fields[1], name: string(fields[2]), firstAction: actions.count)
    }

    private mutating func readResourceType() throws {
        try expectFields(3, "R name template")
        guard open != nil else { throw failure("R record outside a service") }
        let type = ServiceResourceType(name: string(fields[1]), arnTemplate: string(fields[2]))
        open?.resourceTypes.append(type)
        open?.resourceTypeNames.append(fields[1])
    }

    private mutating func readAction() throws {
        try expectFields(6, "A name level resources dependent-actions condition-keys")
        guard let service = open else { throw failure("A record outside a service") }
        guard fields[2].count == 1, let level = AccessLevel(catalogCode: text[fields[2].lowerBound])
        else { throw failure("unknown access level '\(string(fields[2]))'") }

        let name = try actionName(prefix: service.prefix, name: fields[1])
        let resourceTypes = try list(fields[3]).map { try resourceType($0, of: service) }
        actions.append(
            CatalogAction(
                name: name, accessLevel: level, resourceTypes: resourceTypes,
                dependentActions: list(fields[4]).map(string),
                conditionKeys: list(fields[5]).map(string)))
    }

    /// "prefix:Name", after checking it sorts after the previous action, ignoring case.
    private mutating func actionName(prefix: Range<Int>, name: Range<Int>) throws -> String {
        guard !name.isEmpty else { throw failure("empty action name") }
        key.removeAll(keepingCapacity: true)
        for index in prefix { key.append(asciiLowercased(text[index])) }
        key.append(UInt8(ascii: ":"))
        for index in name { key.append(asciiLowercased(text[index])) }
        guard previousKey.lexicographicallyPrecedes(key) else {
            throw failure("action \(string(name)) is out of order or repeated")
        }
        swap(&key, &previousKey)

        return String(unsafeUninitializedCapacity: prefix.count + 1 + name.count) { buffer in
            var written = 0
            for index in prefix {
                buffer[written] = text[index]
                written += 1
            }
            buffer[written] = UInt8(ascii: ":")
            written += 1
            for index in name {
                buffer[written] = text[index]
                written += 1
            }
            return written
        }
    }

    /// The resource type a reference ("object", "table*") names, with its required flag.
    private func resourceType(_ reference: Range<Int>, of service: OpenService) throws
        -> CatalogResourceType
    {
        let required = reference.last.map { text[$0] == UInt8(ascii: "*") } ?? false
        let name = required ? reference.dropLast() : reference
        let index = service.resourceTypeNames.firstIndex { candidate in
            candidate.count == name.count && candidate.elementsEqual(name) { text[$0] == text[$1] }
        }
        guard let index else { throw failure("unknown resource type '\(string(name))'") }

        let type = service.resourceTypes[index].optional
        guard required else { return type }
        return CatalogResourceType(name: type.name, arnTemplate: type.arnTemplate, required: true)
    }

    /// Ends the open service, recording its range of actions.
    private mutating func closeService() {
        guard let service = open else { return }
        services.append(
            CatalogService(
                prefix: string(service.prefix), name: service.name,
                resourceTypes: service.resourceTypes,
                actionRange: service.firstAction..<actions.count))
        open = nil
    }

    /// Splits `line` at tabs into `fields`.
    private mutating func splitFields(_ line: Range<Int>) {
        fields.removeAll(keepingCapacity: true)
        var start = line.lowerBound
        for index in line where text[index] == UInt8(ascii: "\t") {
            fields.append(start..<index)
            start = index + 1
        }
        fields.append(start..<line.upperBound)
    }

    /// The comma-separated items of a field; none for an empty field.
    private func list(_ field: Range<Int>) -> [Range<Int>] {
        guard !field.isEmpty else { return [] }
        var items: [Range<Int>] = []
        var start = field.lowerBound
        for index in field where text[index] == UInt8(ascii: ",") {
            items.append(start..<index)
            start = index + 1
        }
        items.append(start..<field.upperBound)
        return items
    }

    private func expectFields(_ count: Int, _ layout: String) throws {
        guard fields.count == count else {
            throw failure("\(fields.count) fields where \(count) are expected (\(layout))")
        }
    }

    private func string(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: text[range]), as: UTF8.self)
    }

    private func failure(_ reason: String) -> CatalogFormatError {
        CatalogFormatError(line: lineNumber, reason: reason)
    }
}
