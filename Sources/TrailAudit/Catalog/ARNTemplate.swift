/// One ARN template of the catalog, compiled for matching concrete ARNs against it.
///
/// The rule, chosen so that a resource's most specific template wins (see
/// `IAMCatalog.resourceTypes(of:matching:)`):
/// - text outside `${...}` is literal and matches itself exactly (ARNs are case-sensitive);
/// - a placeholder (`${Partition}`, `${Region}`, `${BucketName}`...) matches one or more
///   characters, `*` zero or more; neither crosses a `:` unless it ends the template, so the
///   partition, service, region and account fields stay apart, while the last placeholder
///   takes the rest of the ARN (`role/${RoleNameWithPath}` takes `service/app/MyRole`; an S3
///   key may hold `:` and `/`);
/// - an empty field in the template (S3's region and account) matches only an empty field.
///
/// Placeholders may hold `/`, so `arn:aws:s3:::bucket/a/b.txt` fits the `bucket` template
/// (`${BucketName}` = `bucket/a/b.txt`) as well as `object`; `object` wins because it matched
/// more literal characters: `specificity` counts them.
struct ARNTemplate: Sendable {
    /// A piece of a template.
    enum Part: Sendable, Equatable {
        case literal([UInt8])
        /// `${Name}`: one or more characters.
        case placeholder
        /// `*`: zero or more characters.
        case wildcard
    }

    /// The template's pieces in order.
    let parts: [Part]
    /// How many literal bytes the template has: the larger, the more specific a fit.
    let specificity: Int

    /// Compiles one template (no ", " alternatives): "arn:${Partition}:sqs:${Region}:...".
    init(_ template: some Collection<UInt8>) {
        var parts: [Part] = []
        var literal: [UInt8] = []
        var bytes = Array(template)[...]

        while let byte = bytes.first {
            if byte == UInt8(ascii: "$"), bytes.dropFirst().first == UInt8(ascii: "{"),
                let close = bytes.firstIndex(of: UInt8(ascii: "}"))
            {
                if !literal.isEmpty { parts.append(.literal(literal)) }
                literal = []
                parts.append(.placeholder)
                bytes = bytes[(close + 1)...]
            } else if byte == UInt8(ascii: "*") {
                if !literal.isEmpty { parts.append(.literal(literal)) }
                literal = []
                parts.append(.wildcard)
                bytes = bytes.dropFirst()
            } else {
                literal.append(byte)
                bytes = bytes.dropFirst()
            }
        }
        if !literal.isEmpty { parts.append(.literal(literal)) }

        self.parts = parts
        self.specificity = parts.reduce(0) { total, part in
            if case .literal(let bytes) = part { total + bytes.count } else { total }
        }
    }

    /// Whether `arn` fits the template.
    func matches(_ arn: UnsafeBufferPointer<UInt8>) -> Bool {
        matches(arn, from: 0, part: 0)
    }

    /// Whether `arn[position...]` fits `parts[part...]`; backtracks over variable parts.
    private func matches(_ arn: UnsafeBufferPointer<UInt8>, from position: Int, part: Int) -> Bool {
        guard part < parts.count else { return position == arn.count }

        switch parts[part] {
        case .literal(let literal):
            guard arn.count - position >= literal.count else { return false }
            for offset in 0..<literal.count where arn[position + offset] != literal[offset] {
                return false
            }
            return matches(arn, from: position + literal.count, part: part + 1)

        case .placeholder, .wildcard:
            let minimum = parts[part] == .placeholder ? 1 : 0
            if part == parts.count - 1 { return arn.count - position >= minimum }

            // Grow the run one byte at a time, never over a ':', trying the rest after each.
            var end = position
            if minimum == 1 {
                guard end < arn.count, arn[end] != UInt8(ascii: ":") else { return false }
                end += 1
            }
            while true {
                if matches(arn, from: end, part: part + 1) { return true }
                guard end < arn.count, arn[end] != UInt8(ascii: ":") else { return false }
                end += 1
            }
        }
    }
}

/// A resource type of a service with its compiled templates.
struct ServiceResourceType: Sendable {
    /// The type with `required` false, as actions that may use it list it.
    let optional: CatalogResourceType
    /// The compiled alternatives of its ARN template.
    let templates: [ARNTemplate]

    /// Compiles `arnTemplate`, splitting it at ", ".
    init(name: String, arnTemplate: String) {
        optional = CatalogResourceType(name: name, arnTemplate: arnTemplate, required: false)
        templates = arnTemplate.utf8.split(separator: UInt8(ascii: ","))
            .map { ARNTemplate($0.drop { $0 == UInt8(ascii: " ") }) }
    }

    /// The specificity of the best template `arn` fits, or nil when it fits none.
    func fit(_ arn: UnsafeBufferPointer<UInt8>) -> Int? {
        templates.filter { $0.matches(arn) }.map(\.specificity).max()
    }
}
