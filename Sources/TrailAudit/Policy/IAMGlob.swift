/// An IAM wildcard pattern, compiled once: `*` any run (also empty), `?` exactly one character,
/// everything else literal (IAM has no `[...]` classes, facts §6.1).
///
/// Policy variables (`${aws:username}`, `${aws:PrincipalTag/team}`) cannot be resolved offline,
/// so each stands for `*`; `${*}`, `${?}` and `${$}` are IAM's escapes for the literal characters.
/// Variables exist only in documents of `"Version": "2012-10-17"` and only in resources;
/// elsewhere `${...}` is text.
/// Action patterns compare case-insensitively (ASCII), resource patterns case-sensitively.
package struct IAMGlob: Hashable, Sendable, CustomStringConvertible {
    /// One element of a compiled pattern.
    enum Token: Hashable, Sendable {
        /// One Unicode scalar value, lower-cased (ASCII) when the pattern ignores case.
        case unit(UInt32)
        case anyOne
        case anyRun
    }

    /// The pattern as written.
    package let pattern: String
    /// Whether letters must match in case (resources) or not (actions).
    package let isCaseSensitive: Bool
    /// The tokens, consecutive stars collapsed into one.
    let tokens: [Token]
    /// The star-free pieces between the stars, in order.
    let pieces: [[Token]]
    /// Whether the pattern starts or ends with a star (the first or last piece floats).
    let startsWithStar: Bool
    let endsWithStar: Bool
    /// Whether the pattern is written as stars only, so it matches every text.
    package let matchesEverything: Bool
    /// Whether the pattern holds a policy variable that was read as `*`.
    package let hasPolicyVariable: Bool

    /// Compiles `pattern`; `caseSensitive` is false for actions, true for resources;
    /// `readsVariables` is false for documents older than version `2012-10-17`.
    package init(_ pattern: String, caseSensitive: Bool, readsVariables: Bool = true) {
        self.pattern = pattern
        self.isCaseSensitive = caseSensitive
        let (tokens, hasVariable) = Self.tokenize(
            pattern, caseSensitive: caseSensitive, readsVariables: readsVariables)
        self.tokens = tokens
        self.hasPolicyVariable = hasVariable
        self.startsWithStar = tokens.first == .anyRun
        self.endsWithStar = tokens.last == .anyRun
        self.pieces = tokens.split(separator: .anyRun, omittingEmptySubsequences: true).map(
            Array.init)
        self.matchesEverything =
            !pattern.isEmpty && pattern.utf8.allSatisfy { $0 == UInt8(ascii: "*") }
    }

    /// An action pattern (case-insensitive). IAM substitutes policy variables only in
    /// `Resource` and `Condition`, so `${...}` in an action is literal text.
    package static func action(_ pattern: String) -> IAMGlob {
        IAMGlob(pattern, caseSensitive: false, readsVariables: false)
    }

    /// A resource pattern (case-sensitive).
    package static func resource(_ pattern: String, readsVariables: Bool = true) -> IAMGlob {
        IAMGlob(pattern, caseSensitive: true, readsVariables: readsVariables)
    }

    package var description: String { pattern }

    /// Splits the pattern into tokens, reading policy variables and their escapes.
    private static func tokenize(_ pattern: String, caseSensitive: Bool, readsVariables: Bool)
        -> ([Token], Bool)
    {
        let scalars = pattern.unicodeScalars.map(\.value)
        let (dollar, open, close) = (UInt32(0x24), UInt32(0x7B), UInt32(0x7D))
        let (star, question) = (UInt32(0x2A), UInt32(0x3F))
        var tokens: [Token] = []
        var hasVariable = false
        func append(_ token: Token) {
            if token == .anyRun, tokens.last == .anyRun { return }
            tokens.append(token)
        }

        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if readsVariables, scalar == dollar, index + 1 < scalars.count,
                scalars[index + 1] == open,
                let end = scalars[(index + 2)...].firstIndex(of: close)
            {
                let name = scalars[(index + 2)..<end]
                if name.count == 1, let only = name.first, [star, question, dollar].contains(only) {
                    append(.unit(only))
                } else {
                    hasVariable = true
                    append(.anyRun)
                }
                index = end + 1
                continue
            }
            switch scalar {
            case star: append(.anyRun)
            case question: append(.anyOne)
            case ..<0x80 where !caseSensitive: append(.unit(UInt32(lowercased(UInt8(scalar)))))
            default: append(.unit(scalar))
            }
            index += 1
        }
        return (tokens, hasVariable)
    }
}

/// ASCII lower-case of one byte; IAM names are ASCII, other bytes pass through.
@inline(__always)
func lowercased(_ byte: UInt8) -> UInt8 {
    byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
}
