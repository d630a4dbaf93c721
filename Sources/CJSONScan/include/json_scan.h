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

#endif
