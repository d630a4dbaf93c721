#if canImport(Glibc)
    import Glibc
#endif

/// One option a subcommand accepts.
public struct OptionSpec: Sendable {
    public var name: String
    /// Name of the value (`FILE`, `N`), or nil for a flag.
    public var valueName: String?
    public var help: String
    /// The value may be left out (`--error` or `--error=CODE`); it is then only given with `=`.
    public var valueIsOptional: Bool

    public init(_ name: String, value: String? = nil, optional: Bool = false, help: String) {
        self.name = name
        valueName = value
        valueIsOptional = optional
        self.help = help
    }
}

/// A command-line mistake, shown with the usage line and exit status 2.
public struct UsageError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Options and positional arguments of one invocation.
public struct ParsedArguments: Equatable, Sendable {
    /// The last value of each option.
    public var values: [String: String] = [:]
    /// Every value of each option, in order, for options that may repeat (`--iam A --iam B`).
    public var repeatedValues: [String: [String]] = [:]
    public var flags: Set<String> = []
    public var positionals: [String] = []

    public init() {}

    /// The value of `--name`, if given.
    public func value(_ name: String) -> String? { values[name] }
    /// Every value given for `--name`, in order.
    public func allValues(_ name: String) -> [String] { repeatedValues[name] ?? [] }

    mutating func set(_ name: String, _ value: String) {
        values[name] = value
        repeatedValues[name, default: []].append(value)
    }
    /// Whether the flag `--name` was given.
    public func flag(_ name: String) -> Bool { flags.contains(name) }
}

/// The project's own argument parser: `--name value`, `--name=value`, flags, `--` and `-`.
///
/// Small on purpose (swift-argument-parser cannot be fetched here); mistakes name the
/// nearest valid option.
public enum ArgumentParser {
    /// Parses `arguments` against `specs`.
    public static func parse(_ arguments: [String], specs: [OptionSpec]) throws -> ParsedArguments {
        var parsed = ParsedArguments()
        var index = 0
        var onlyPositionals = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if onlyPositionals || argument == "-" || !argument.hasPrefix("-") {
                parsed.positionals.append(argument)
                continue
            }
            if argument == "--" {
                onlyPositionals = true
                continue
            }

            var name = String(argument.drop { $0 == "-" })
            var inlineValue: String?
            if let equals = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            guard let spec = specs.first(where: { $0.name == name }) else {
                throw UsageError(unknownOptionMessage(argument, name: name, specs: specs))
            }
            guard let valueName = spec.valueName else {
                guard inlineValue == nil else {
                    throw UsageError("option --\(name) takes no value")
                }
                parsed.flags.insert(name)
                continue
            }
            if let inlineValue {
                parsed.set(name, inlineValue)
            } else if spec.valueIsOptional {
                // `--error AccessDenied` reads as the flag and a path; when no such path
                // exists, the value was meant (it is given with `=`).
                if index < arguments.count, !arguments[index].hasPrefix("-"),
                    access(arguments[index], F_OK) != 0
                {
                    throw UsageError(
                        "--\(name) takes its \(valueName) with '=': --\(name)=\(arguments[index])"
                            + " ('\(arguments[index])' is no file or folder to read)")
                }
                parsed.flags.insert(name)
            } else if index < arguments.count {
                parsed.set(name, arguments[index])
                index += 1
            } else {
                throw UsageError("option --\(name) needs a value (\(valueName))")
            }
        }
        return parsed
    }

    private static func unknownOptionMessage(
        _ argument: String, name: String, specs: [OptionSpec]
    ) -> String {
        let nearest = specs.min {
            editDistance($0.name, name) < editDistance($1.name, name)
        }
        guard let nearest, editDistance(nearest.name, name) <= max(2, name.count / 3) else {
            return "unknown option '\(argument)'"
        }
        return "unknown option '\(argument)'; did you mean '--\(nearest.name)'?"
    }

    /// Levenshtein distance between two strings.
    public static func editDistance(_ lhs: String, _ rhs: String) -> Int {
        let left = Array(lhs.utf8)
        let right = Array(rhs.utf8)
        guard !left.isEmpty else { return right.count }
        guard !right.isEmpty else { return left.count }
        var previous = Array(0...right.count)
        var current = previous
        for i in 1...left.count {
            current[0] = i
            for j in 1...right.count {
                let substitution = previous[j - 1] + (left[i - 1] == right[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[right.count]
    }

    /// Help lines for `specs`, aligned.
    public static func helpLines(_ specs: [OptionSpec]) -> String {
        let labels = specs.map { spec in
            "--\(spec.name)"
                + (spec.valueName.map { spec.valueIsOptional ? "[=\($0)]" : " \($0)" } ?? "")
        }
        let width = (labels.map(\.count).max() ?? 0) + 2
        return zip(labels, specs).map { label, spec in
            "  " + label + String(repeating: " ", count: width - label.count) + spec.help
        }.joined(separator: "\n")
    }
}
