/// Whether a Deny on some resources still covers every ARN an action can take, by the
/// catalog's ARN templates (`arn:aws:s3:::*` covers every ARN `s3:GetObject` can take).
///
/// The test is deliberately simple and only ever says yes when it is sure: a pattern covers a
/// template when it is literal text then one trailing `*` (no `?`, no policy variable) and its
/// text is a prefix of the template's literal text before the first placeholder. A pattern
/// naming a partition (`arn:aws:...`) counts for `${Partition}` when it is the principal's own:
/// a principal reaches only the resources of its partition. Anything else, including actions
/// the catalog does not know or that take no resource type, stays "partially denied".
extension EffectivePermissions {
    /// Whether the unconditional Denies `denies` (statement indices), together, cover every ARN
    /// `action` can take; `covered` memoises the answer per ARN template for this set of Denies.
    func catalogRemoves(action: String, denies: [Int], covered: inout [String: Bool]) -> Bool {
        guard let catalog, !denies.isEmpty, let entry = catalog.action(named: action) else {
            return false
        }
        let templates = entry.resourceTypes.flatMap(\.arnTemplates)
        guard !templates.isEmpty else { return false }
        return templates.allSatisfy { template in
            if let known = covered[template] { return known }
            let answer = denies.contains { isTemplateCovered(template, by: $0) }
            covered[template] = answer
            return answer
        }
    }

    /// The Denies among `denies` that may cover whole templates: unconditional, on a `Resource`
    /// list with at least one pattern of the form `literal*`.
    func catalogCandidates(among denies: [Int]) -> [Int] {
        guard catalog != nil else { return [] }
        return denies.filter {
            !statements[$0].isAllow && !statements[$0].isConditional
                && !statements[$0].coveringPrefixes.isEmpty
        }
    }

    /// The labels of the Denies among `denies` that cover some template of `action`.
    func labels(ofDeniesCovering action: String, among denies: [Int]) -> [String] {
        guard let entry = catalog?.action(named: action) else { return [] }
        let templates = entry.resourceTypes.flatMap(\.arnTemplates)
        return labels(
            of: denies.filter { deny in templates.contains { isTemplateCovered($0, by: deny) } })
    }

    /// Whether some `literal*` pattern of statement `deny` matches every ARN of `template`.
    private func isTemplateCovered(_ template: String, by deny: Int) -> Bool {
        statements[deny].coveringPrefixes.contains {
            Self.prefix($0, covers: Array(template.utf8), partition: principalPartition)
        }
    }

    /// The partition of the principal's ARN (`aws` in `arn:aws:iam::...`), nil if unparsable.
    private var principalPartition: [UInt8]? {
        let fields = principalArn.utf8.split(separator: UInt8(ascii: ":"), maxSplits: 2)
        guard fields.count == 3, Array(fields[0]) == Array("arn".utf8), !fields[1].isEmpty
        else { return nil }
        return Array(fields[1])
    }

    /// Whether `prefix` followed by `*` matches every ARN of `template`, `partition` standing
    /// in for `${Partition}` when the prefix names it.
    static func prefix(_ prefix: [UInt8], covers template: [UInt8], partition: [UInt8]?) -> Bool {
        if literalHead(of: template).starts(with: prefix) { return true }

        let partitioned = Array("arn:${Partition}:".utf8)
        guard let partition, template.starts(with: partitioned) else { return false }
        let named = Array("arn:".utf8) + partition + [UInt8(ascii: ":")]
        guard prefix.starts(with: named) else { return false }
        let rest = template[partitioned.count...]
        return literalHead(of: rest).starts(with: prefix[named.count...])
    }

    /// The template's text before its first `${` placeholder or `*`.
    private static func literalHead(of template: some Collection<UInt8>) -> [UInt8] {
        var head: [UInt8] = []
        var previous: UInt8 = 0
        for byte in template {
            if byte == UInt8(ascii: "*") { break }
            if previous == UInt8(ascii: "$"), byte == UInt8(ascii: "{") {
                head.removeLast()
                break
            }
            head.append(byte)
            previous = byte
        }
        return head
    }
}

extension CompiledStatement {
    /// The literal text of each `Resource` pattern written as text then one trailing `*` (no
    /// `?`, no policy variable): the patterns that can cover a whole ARN template. Empty for
    /// `NotResource`.
    static func coveringPrefixes(of patterns: [IAMGlob]?, excluded: Bool) -> [[UInt8]] {
        guard let patterns, !excluded else { return [] }
        return patterns.compactMap { glob in
            guard !glob.hasPolicyVariable, glob.tokens.count >= 2,
                glob.tokens.last == .anyRun
            else { return nil }
            let head = glob.tokens.dropLast()
            guard head.allSatisfy(\.isLiteral) else { return nil }
            var text = ""
            for case .unit(let value) in head {
                guard let scalar = Unicode.Scalar(value) else { return nil }
                text.unicodeScalars.append(scalar)
            }
            return Array(text.utf8)
        }
    }
}
