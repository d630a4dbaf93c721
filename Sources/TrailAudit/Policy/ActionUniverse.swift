import Foundation

/// Every real action name, indexed for expanding `Action`/`NotAction` patterns quickly.
///
/// Names are kept lower-cased in one byte buffer, sorted so each service prefix is one range;
/// a pattern whose prefix has no wildcard (`s3:Get*`) is matched only against its service.
/// Expansions are memoised per pattern list, since the same managed policies are attached to
/// many principals.
package final class ActionUniverse: @unchecked Sendable {
    // Unchecked: `expansions` (and the static `lastBuilt`) only under their NSLock, which
    // ThreadSanitizer sees; it does not see Synchronization's Mutex on Linux (futex-based) and
    // reported two tests' expansions, each made under that Mutex, as a race.
    /// The action names as given, sorted case-insensitively, each once.
    package let names: [String]
    /// The list this universe was built from (to recognise it again).
    let source: [String]
    /// Lower-cased names back to back; name `i` is `bytes[offsets[i]..<offsets[i + 1]]`.
    private let bytes: [UInt8]
    private let offsets: [Int]
    /// The range of names of each lower-cased service prefix.
    private let services: [String: Range<Int>]
    /// Expansions already made, by pattern list.
    private var expansions: [ElementMatch: [Int32]] = [:]
    private let expansionsLock = NSLock()

    /// Indexes `actions` (`service:Action` names; case variants of one name count once).
    package init(_ actions: [String]) {
        // ASCII folding, as the action globs fold: catalog names are ASCII.
        var firstByLowercased: [String: String] = [:]
        for action in actions {
            let lowered = String(decoding: action.utf8.map(lowercased), as: UTF8.self)
            if firstByLowercased[lowered] == nil { firstByLowercased[lowered] = action }
        }
        let sorted = firstByLowercased.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }

        var bytes: [UInt8] = []
        var offsets = [0]
        var services: [String: Range<Int>] = [:]
        for (index, (lowered, _)) in sorted.enumerated() {
            bytes += lowered.utf8
            offsets.append(bytes.count)
            let prefix = String(lowered.prefix { $0 != ":" })
            services[prefix] = (services[prefix]?.lowerBound ?? index)..<(index + 1)
        }
        self.names = sorted.map(\.value)
        self.source = actions
        self.bytes = bytes
        self.offsets = offsets
        self.services = services
    }

    /// The universe for `actions`, reusing the last one built when it is the same list (the
    /// comparison is immediate when the caller passes the same array again).
    package static func of(_ actions: [String]) -> ActionUniverse {
        if let recent = lastBuiltLock.withLock({ lastBuilt }), recent.source == actions {
            return recent
        }
        let universe = ActionUniverse(actions)
        lastBuiltLock.withLock { lastBuilt = universe }
        return universe
    }

    nonisolated(unsafe) private static var lastBuilt: ActionUniverse? = nil
    private static let lastBuiltLock = NSLock()

    /// How many actions there are.
    package var count: Int { names.count }

    /// The position of `action` in `names` (compared case-insensitively), nil if absent.
    package func index(of action: String) -> Int? {
        let wanted = action.utf8.map(lowercased)
        return bytes.withUnsafeBufferPointer { buffer -> Int? in
            var low = 0
            var high = names.count
            while low < high {
                let middle = (low + high) / 2
                let name = buffer[offsets[middle]..<offsets[middle + 1]]
                if name.elementsEqual(wanted) { return middle }
                if name.lexicographicallyPrecedes(wanted) {
                    low = middle + 1
                } else {
                    high = middle
                }
            }
            return nil
        }
    }

    /// The indices (into `names`, ascending) of the actions an `Action` or `NotAction` element
    /// matches.
    func indices(matching actions: ElementMatch) -> [Int32] {
        if let known = expansionsLock.withLock({ expansions[actions] }) { return known }
        var selected = [Bool](repeating: false, count: names.count)
        for pattern in actions.patterns {
            mark(IAMGlob.action(pattern), in: &selected)
        }
        let wanted = !actions.isExclusion
        let result = selected.indices.compactMap { selected[$0] == wanted ? Int32($0) : nil }
        expansionsLock.withLock { expansions[actions] = result }
        return result
    }

    /// Sets `selected[i]` for every action `glob` matches.
    private func mark(_ glob: IAMGlob, in selected: inout [Bool]) {
        if glob.matchesEverything {
            selected = [Bool](repeating: true, count: names.count)
            return
        }
        let range = candidates(for: glob)
        if isWholeService(glob) {
            for index in range { selected[index] = true }
            return
        }
        var steps = 0
        bytes.withUnsafeBufferPointer { buffer in
            for index in range where !selected[index] {
                let name = UnsafeBufferPointer(
                    rebasing: buffer[offsets[index]..<offsets[index + 1]])
                if glob.matches(units: name, steps: &steps) { selected[index] = true }
            }
        }
    }

    /// The names a pattern can match: its service's range when the prefix is written out.
    private func candidates(for glob: IAMGlob) -> Range<Int> {
        guard let colon = glob.tokens.firstIndex(of: Self.colon) else { return 0..<names.count }
        let prefix = glob.tokens[..<colon]
        guard prefix.allSatisfy(\.isLiteral) else { return 0..<names.count }
        let ascii = prefix.compactMap(\.literalByte)
        guard ascii.count == prefix.count else { return 0..<0 }  // names are ASCII
        return services[String(decoding: ascii, as: UTF8.self)] ?? 0..<0
    }

    /// Whether the glob is `service:*` with the service written out.
    private func isWholeService(_ glob: IAMGlob) -> Bool {
        guard let colon = glob.tokens.firstIndex(of: Self.colon) else { return false }
        return glob.tokens.count == colon + 2 && glob.tokens.last == .anyRun
            && glob.tokens[..<colon].allSatisfy(\.isLiteral)
    }

    private static let colon = IAMGlob.Token.unit(UInt32(UInt8(ascii: ":")))
}

extension IAMGlob.Token {
    /// Whether the token is one literal character.
    var isLiteral: Bool {
        if case .unit = self { return true }
        return false
    }

    /// The literal as a byte when it is ASCII.
    var literalByte: UInt8? {
        if case .unit(let value) = self, value < 0x80 { return UInt8(value) }
        return nil
    }
}
