#ifndef TRAILAUDIT_JSON_SCAN_H
#define TRAILAUDIT_JSON_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/// Where a scan through a JSON value stands between two pieces of its bytes.
typedef struct {
    /// Open brackets (`{` and `[`) not yet closed.
    int64_t depth;
    /// Inside a string.
    bool in_string;
    /// The piece ended inside a string right after a backslash: the next byte is escaped.
    bool escape_pending;
} trailaudit_nesting;

/// Advances through the strings and brackets of `bytes[start..<end]` until `state->depth`
/// falls to 0, and returns the index just past that closing bracket; returns `end` when the
/// piece ends first. Only strings, escapes and brackets are tracked: nothing is validated.
///
/// On x86-64 it reads 64 bytes at a time (SSE2 masks of quotes and brackets; which brackets
/// are inside strings is a prefix XOR of the quote mask); blocks holding a backslash, and the
/// last bytes of the piece, are read a byte at a time.
size_t trailaudit_scan_nesting(
    const uint8_t *bytes, size_t start, size_t end, trailaudit_nesting *state);

/// The index of the quote that closes the string whose contents begin at `start` (a quote
/// after an even run of backslashes), or -1 when `bytes[start..<end]` holds none; sets
/// `*has_escapes` when a backslash comes before it. Reads 16 bytes at a time on x86-64: one
/// call where two `memchr`s (a quote, then a backslash) took more than the short strings of
/// an event cost to read.
ptrdiff_t trailaudit_string_end(
    const uint8_t *bytes, size_t start, size_t end, bool *has_escapes);

/// Why `trailaudit_skip_value` stopped; 0 when it skipped a whole value.
typedef enum {
    TRAILAUDIT_SKIP_OK = 0,
    /// The bytes end before the value does.
    TRAILAUDIT_SKIP_ENDS_EARLY,
    /// In an object, neither a key nor its closing brace.
    TRAILAUDIT_SKIP_EXPECTED_KEY,
    /// A key not followed by `:`.
    TRAILAUDIT_SKIP_EXPECTED_COLON,
    /// Deeper than `max_depth` brackets.
    TRAILAUDIT_SKIP_TOO_DEEP,
    /// A string with no closing quote.
    TRAILAUDIT_SKIP_UNTERMINATED_STRING,
    /// A `t`, `f` or `n` that does not start `true`, `false` or `null`.
    TRAILAUDIT_SKIP_INVALID_LITERAL,
    /// A number without digits where JSON needs some.
    TRAILAUDIT_SKIP_INVALID_NUMBER,
    /// A byte that starts no JSON value.
    TRAILAUDIT_SKIP_UNEXPECTED_BYTE,
    /// In an object, after a member, neither `,` nor `}`.
    TRAILAUDIT_SKIP_EXPECTED_COMMA_OR_BRACE,
    /// In an array, after an element, neither `,` nor `]`.
    TRAILAUDIT_SKIP_EXPECTED_COMMA_OR_BRACKET,
} trailaudit_skip_result;

/// Skips the JSON value at `*position` (after any whitespace) in `bytes[0..<end]`, checking
/// its structure (brackets, separators, literals, numbers; string contents are not checked)
/// without building anything, and sets `*position` just past it. On failure `*position` is
/// the offset of the byte at fault (`end` when the bytes ran out). Nesting deeper than
/// `max_depth` brackets is refused.
trailaudit_skip_result trailaudit_skip_value(
    const uint8_t *bytes, size_t end, size_t *position, int64_t max_depth);

#endif
