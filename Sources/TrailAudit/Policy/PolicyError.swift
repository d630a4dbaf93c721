/// Why a policy document could not be read; names the policy so the user can find it.
package struct PolicyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What was wrong.
    package enum Problem: Equatable, Sendable {
        /// The file could not be read (the system's reason).
        case unreadableFile(String)
        /// The text is not JSON (the parser's reason).
        case notJSON(String)
        /// A `%` not followed by two hex digits in a URL-encoded document, at this byte offset.
        case invalidPercentEscape(offset: Int)
        /// The percent-decoded bytes are not UTF-8.
        case notUTF8
        /// The document (or its encoding) is not a JSON object, a JSON string or URL-encoded text.
        case notADocument(found: String)
        /// The document has no `Statement`.
        case missingStatement
        /// Statement `index` is not a JSON object.
        case statementNotAnObject(index: Int)
        /// Statement `index` has an `Effect` other than `Allow`/`Deny` (nil: none at all).
        case invalidEffect(index: Int, found: String?)
        /// Statement `index` has both elements of a pair (`Action` and `NotAction`...).
        case conflictingElements(index: Int, String, String)
        /// Statement `index` has neither `Action` nor `NotAction`.
        case missingAction(index: Int)
        /// An element of statement `index` holds something other than a string or strings.
        case invalidValue(index: Int, element: String, found: String)
        /// Statement `index` has a `Condition` that is not an object of operators, each an
        /// object of keys to a value or a list of values (`found` says what was there).
        case invalidCondition(index: Int, found: String)
        /// A `Principal` key other than `AWS`, `Service`, `Federated`, `CanonicalUser`.
        case unknownPrincipalKind(index: Int, String)
    }

    /// The policy: its name, ARN, file, or `role ARN / policy name`.
    package var policy: String
    /// What was wrong.
    package var problem: Problem

    /// An error for `policy`.
    package init(policy: String, _ problem: Problem) {
        self.policy = policy
        self.problem = problem
    }

    package var description: String {
        "policy \(policy): \(problemText)"
    }

    /// The problem in words; statements are numbered from 1, as a reader counts them.
    private var problemText: String {
        switch problem {
        case .unreadableFile(let reason):
            return "the file cannot be read (\(reason))"
        case .notJSON(let reason):
            return "the document is not valid JSON (\(reason))"
        case .invalidPercentEscape(let offset):
            return "URL-encoded document has a bad percent-escape at byte \(offset)"
        case .notUTF8:
            return "URL-encoded document does not decode to UTF-8 text"
        case .notADocument(let found):
            return "expected a policy document (a JSON object, a JSON string or URL-encoded "
                + "text), found \(found)"
        case .missingStatement:
            return "the document has no Statement"
        case .statementNotAnObject(let index):
            return "statement \(index + 1) is not a JSON object"
        case .invalidEffect(let index, let found?):
            return
                "statement \(index + 1): Effect must be \"Allow\" or \"Deny\", found \"\(found)\""
        case .invalidEffect(let index, nil):
            return "statement \(index + 1) has no Effect (it must be \"Allow\" or \"Deny\")"
        case .conflictingElements(let index, let first, let second):
            return "statement \(index + 1) has both \(first) and \(second); IAM allows only one"
        case .missingAction(let index):
            return "statement \(index + 1) has neither Action nor NotAction"
        case .invalidValue(let index, let element, let found):
            return "statement \(index + 1): \(element) must be a string or a list of strings, "
                + "found \(found)"
        case .invalidCondition(let index, let found):
            return "statement \(index + 1): Condition must be an object of condition operators, "
                + "each an object of condition keys to a value or a list of values; "
                + "found \(found)"
        case .unknownPrincipalKind(let index, let kind):
            return "statement \(index + 1): unknown principal type \"\(kind)\" (expected AWS, "
                + "Service, Federated or CanonicalUser)"
        }
    }
}
