extension IAMCatalog {
    /// The actions an IAM action pattern covers, sorted by name.
    ///
    /// Matched as IAM matches the Action element: ignoring case, `*` stands for any run of
    /// characters (also none, also across the `:`), `?` for exactly one, and everything else,
    /// `[` included, for itself. "*" is every action; "s3:Get*" the S3 actions starting with
    /// Get; "*:List*" every List action. A pattern naming an unknown action gives nothing.
    package func actions(matching pattern: String) -> [CatalogAction] {
        let pattern = CatalogActionPattern(pattern)
        guard pattern.hasWildcards else { return action(named: pattern.text).map { [$0] } ?? [] }

        var range = actions.indices
        if let prefix = pattern.literalServicePrefix {
            guard let service = serviceIndex[CaseInsensitiveName(prefix)] else { return [] }
            range = services[service].actionRange
        }
        if pattern.matchesEverything { return Array(actions[range]) }

        return actions[range].filter { action in
            var name = action.name
            return name.withUTF8 { pattern.matches($0) }
        }
    }

    /// Which of the action's resource types the concrete `arn` is, by the ARN templates.
    ///
    /// The ARN is first placed among all resource types of the action's service: it is of the
    /// type(s) whose template it fits with the most literal characters (see `ARNTemplate`).
    /// Of those, the ones the action lists are returned, with the action's `required` flags.
    /// So `arn:aws:s3:::bucket/a/b.txt` is an `object` for s3:GetObject and nothing for
    /// s3:ListBucket (whose `bucket` template it would fit only loosely); empty also when the
    /// action takes no resource types or the ARN fits no template of its service. Likewise a
    /// qualified Lambda ARN (`function:f:prod`) is a `function alias` or `function version`,
    /// and lambda:InvokeFunction lists only `function`: callers scoping such a call decide
    /// whether to use the qualified ARN itself or `function:f:*`.
    package func resourceTypes(of action: CatalogAction, matching arn: String)
        -> [CatalogResourceType]
    {
        guard action.supportsResourceLevelPermissions, let service = service(of: action) else {
            return []
        }

        var arn = arn
        let fits = arn.withUTF8 { bytes in service.resourceTypes.map { $0.fit(bytes) } }
        guard let best = fits.compactMap({ $0 }).max() else { return [] }

        let types = zip(service.resourceTypes, fits).filter { $0.1 == best }.map(\.0.optional.name)
        return action.resourceTypes.filter { types.contains($0.name) }
    }
}

/// An IAM action pattern, lower-cased once for matching.
struct CatalogActionPattern {
    /// The pattern as given.
    let text: String
    /// The pattern with A-Z lower-cased.
    private let bytes: [UInt8]

    init(_ text: String) {
        self.text = text
        self.bytes = text.utf8.map(asciiLowercased)
    }

    /// Whether the pattern holds `*` or `?`.
    var hasWildcards: Bool {
        bytes.contains { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") }
    }

    /// Whether the pattern is only `*`s, or "prefix:" followed only by `*`s.
    var matchesEverything: Bool {
        var afterPrefix = bytes[...]
        if literalServicePrefix != nil {
            afterPrefix = afterPrefix.drop { $0 != UInt8(ascii: ":") }.dropFirst()
        }
        return !afterPrefix.isEmpty && afterPrefix.allSatisfy { $0 == UInt8(ascii: "*") }
    }

    /// The service prefix, when the part before the first `:` has no wildcard: "s3" in "s3:Get*".
    var literalServicePrefix: String? {
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        let prefix = bytes[..<colon]
        guard !prefix.contains(UInt8(ascii: "*")), !prefix.contains(UInt8(ascii: "?")) else {
            return nil
        }
        return String(decoding: prefix, as: UTF8.self)
    }

    /// Whether `name` matches, ignoring ASCII case.
    ///
    /// The classic two-cursor glob match: on a mismatch after a `*`, that `*` takes one more
    /// character and matching resumes; linear in practice, quadratic at worst.
    func matches(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        var nameIndex = 0
        var patternIndex = 0
        var star: (pattern: Int, name: Int)?

        while nameIndex < name.count {
            if patternIndex < bytes.count {
                let wanted = bytes[patternIndex]
                if wanted == UInt8(ascii: "*") {
                    star = (patternIndex, nameIndex)
                    patternIndex += 1
                    continue
                }
                if wanted == UInt8(ascii: "?") || wanted == asciiLowercased(name[nameIndex]) {
                    patternIndex += 1
                    nameIndex += 1
                    continue
                }
            }
            guard let resume = star else { return false }
            star = (resume.pattern, resume.name + 1)
            patternIndex = resume.pattern + 1
            nameIndex = resume.name + 1
        }
        return bytes[patternIndex...].allSatisfy { $0 == UInt8(ascii: "*") }
    }
}
