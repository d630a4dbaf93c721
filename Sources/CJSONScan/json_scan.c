#include "json_scan.h"

#include <string.h>

#if defined(__x86_64__) && defined(__SSE2__)
#include <emmintrin.h>
#define TRAILAUDIT_SCAN_BLOCKS 1
#endif

/// A byte at a time from `index` to `end`, as the blocks do (the reference for them).
static size_t scan_bytes(
    const uint8_t *bytes, size_t index, size_t end, trailaudit_nesting *state) {
    if (state->escape_pending && index < end) {
        state->escape_pending = false;
        index += 1;
    }
    while (index < end) {
        uint8_t byte = bytes[index++];
        if (state->in_string) {
            if (byte == '\\') {
                if (index == end) {
                    state->escape_pending = true;
                    return end;
                }
                index += 1;
            } else if (byte == '"') {
                state->in_string = false;
            }
            continue;
        }
        switch (byte) {
        case '"':
            state->in_string = true;
            break;
        case '{':
        case '[':
            state->depth += 1;
            break;
        case '}':
        case ']':
            state->depth -= 1;
            if (state->depth == 0) return index;
            break;
        default:
            break;
        }
    }
    return index;
}

#ifdef TRAILAUDIT_SCAN_BLOCKS

/// Bit i set where byte i of the 64 equals `value`.
static inline uint64_t equal_mask(const __m128i lanes[4], __m128i value) {
    uint64_t mask = 0;
    for (int lane = 0; lane < 4; lane++) {
        uint64_t bits = (uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(lanes[lane], value));
        mask |= bits << (16 * lane);
    }
    return mask;
}

/// Bit i set where an odd number of bits 0...i of `mask` are set.
static inline uint64_t prefix_xor(uint64_t mask) {
    mask ^= mask << 1;
    mask ^= mask << 2;
    mask ^= mask << 4;
    mask ^= mask << 8;
    mask ^= mask << 16;
    mask ^= mask << 32;
    return mask;
}

size_t trailaudit_scan_nesting(
    const uint8_t *bytes, size_t start, size_t end, trailaudit_nesting *state) {
    size_t index = start;
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    // `{` and `[` differ in the 0x20 bit only, as do `}` and `]`.
    const __m128i caseBit = _mm_set1_epi8(0x20);
    const __m128i open = _mm_set1_epi8('{');
    const __m128i close = _mm_set1_epi8('}');
    while (end - index >= 64 || (state->escape_pending && index < end)) {
        if (state->escape_pending) {
            state->escape_pending = false;
            index += 1;
            continue;
        }
        __m128i lanes[4], folded[4];
        for (int lane = 0; lane < 4; lane++) {
            lanes[lane] = _mm_loadu_si128((const __m128i *)(bytes + index + 16 * lane));
            folded[lane] = _mm_or_si128(lanes[lane], caseBit);
        }
        if (equal_mask(lanes, backslash) != 0) {
            // Escapes are rare outside policy documents: this block a byte at a time.
            size_t stop = scan_bytes(bytes, index, index + 64, state);
            if (state->depth == 0) return stop;
            index = stop;
            continue;
        }
        // Bit i of `quoted`: an odd number of quotes at 0...i, so byte i is inside a string
        // (or is the opening quote) unless the block began inside one; bit 63 is the parity.
        uint64_t quoted = prefix_xor(equal_mask(lanes, quote));
        uint64_t inString = state->in_string ? ~quoted : quoted;
        uint64_t opens = equal_mask(folded, open) & ~inString;
        uint64_t closes = equal_mask(folded, close) & ~inString;
        // A block holds a few brackets at most: follow them in order (no popcount on
        // baseline x86-64).
        for (uint64_t brackets = opens | closes; brackets != 0; brackets &= brackets - 1) {
            int position = __builtin_ctzll(brackets);
            if (opens & (1ULL << position)) {
                state->depth += 1;
            } else if (--state->depth == 0) {
                state->in_string = false;
                return index + (size_t)position + 1;
            }
        }
        state->in_string ^= (bool)(quoted >> 63);
        index += 64;
    }
    return scan_bytes(bytes, index, end, state);
}

ptrdiff_t trailaudit_string_end(
    const uint8_t *bytes, size_t start, size_t end, bool *has_escapes) {
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    size_t index = start;
    bool escapes = false;
    while (index < end && end - index >= 16) {
        __m128i block = _mm_loadu_si128((const __m128i *)(bytes + index));
        unsigned quotes = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(block, quote));
        unsigned backslashes = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(block, backslash));
        unsigned special = quotes | backslashes;
        if (special == 0) {
            index += 16;
            continue;
        }
        int first = __builtin_ctz(special);
        if (quotes & (1u << first)) {
            *has_escapes = escapes;
            return (ptrdiff_t)(index + (size_t)first);
        }
        // A backslash: it and the byte it escapes.
        escapes = true;
        index += (size_t)first + 2;
    }
    while (index < end) {
        uint8_t byte = bytes[index];
        if (byte == '"') {
            *has_escapes = escapes;
            return (ptrdiff_t)index;
        }
        if (byte == '\\') {
            escapes = true;
            index += 2;
        } else {
            index += 1;
        }
    }
    *has_escapes = escapes;
    return -1;
}

#else

ptrdiff_t trailaudit_string_end(
    const uint8_t *bytes, size_t start, size_t end, bool *has_escapes) {
    bool escapes = false;
    for (size_t index = start; index < end; index++) {
        if (bytes[index] == '"') {
            *has_escapes = escapes;
            return (ptrdiff_t)index;
        }
        if (bytes[index] == '\\') {
            escapes = true;
            index += 1;
        }
    }
    *has_escapes = escapes;
    return -1;
}

size_t trailaudit_scan_nesting(
    const uint8_t *bytes, size_t start, size_t end, trailaudit_nesting *state) {
    return scan_bytes(bytes, start, end, state);
}

#endif

static inline bool is_json_space(uint8_t byte) {
    return byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09;
}

static inline size_t skip_space(const uint8_t *bytes, size_t index, size_t end) {
    while (index < end && is_json_space(bytes[index])) index += 1;
    return index;
}

/// Past a run of digits from `*index`; false if there was none.
static inline bool skip_digits(const uint8_t *bytes, size_t *index, size_t end) {
    size_t start = *index;
    while (*index < end && (uint8_t)(bytes[*index] - '0') < 10) *index += 1;
    return *index > start;
}

/// Past the string whose opening quote is at `*index`; false, with `*index` at `end`, when it
/// has no closing quote.
static inline bool skip_string(const uint8_t *bytes, size_t *index, size_t end) {
    bool escapes = false;
    ptrdiff_t close = trailaudit_string_end(bytes, *index + 1, end, &escapes);
    if (close < 0) {
        *index = end;
        return false;
    }
    *index = (size_t)close + 1;
    return true;
}

trailaudit_skip_result trailaudit_skip_value(
    const uint8_t *bytes, size_t end, size_t *position, int64_t max_depth) {
    // One bit per open bracket: 1 = object, 0 = array.
    uint64_t kinds[4] = {0, 0, 0, 0};
    int64_t depth = 0;
    bool expecting_key = false;
    size_t index = *position;
    trailaudit_skip_result result = TRAILAUDIT_SKIP_OK;

    for (;;) {
        index = skip_space(bytes, index, end);
        if (index >= end) {
            result = TRAILAUDIT_SKIP_ENDS_EARLY;
            goto done;
        }
        uint8_t byte = bytes[index];

        if (expecting_key) {
            // Inside an object: a key, or the end of an empty object.
            if (byte == '}') {
                index += 1;
                depth -= 1;
            } else {
                if (byte != '"') {
                    result = TRAILAUDIT_SKIP_EXPECTED_KEY;
                    goto done;
                }
                if (!skip_string(bytes, &index, end)) {
                    result = TRAILAUDIT_SKIP_UNTERMINATED_STRING;
                    goto done;
                }
                index = skip_space(bytes, index, end);
                if (index >= end || bytes[index] != ':') {
                    result = TRAILAUDIT_SKIP_EXPECTED_COLON;
                    goto done;
                }
                index += 1;
                expecting_key = false;
                continue;
            }
        } else {
            switch (byte) {
            case '{':
            case '[': {
                if (depth >= max_depth) {
                    result = TRAILAUDIT_SKIP_TOO_DEEP;
                    goto done;
                }
                uint64_t bit = (uint64_t)1 << (depth & 63);
                if (byte == '{') {
                    kinds[depth >> 6] |= bit;
                } else {
                    kinds[depth >> 6] &= ~bit;
                }
                depth += 1;
                index += 1;
                if (byte == '{') {
                    expecting_key = true;
                    continue;
                }
                index = skip_space(bytes, index, end);
                if (index < end && bytes[index] == ']') {
                    index += 1;
                    depth -= 1;
                    break;
                }
                continue;
            }
            case '"':
                if (!skip_string(bytes, &index, end)) {
                    result = TRAILAUDIT_SKIP_UNTERMINATED_STRING;
                    goto done;
                }
                break;
            case 't':
            case 'f':
            case 'n': {
                const char *literal = byte == 't' ? "true" : byte == 'f' ? "false" : "null";
                size_t count = byte == 'f' ? 5 : 4;
                if (end - index < count || memcmp(bytes + index, literal, count) != 0) {
                    result = TRAILAUDIT_SKIP_INVALID_LITERAL;
                    goto done;
                }
                index += count;
                break;
            }
            case '-':
            case '0': case '1': case '2': case '3': case '4':
            case '5': case '6': case '7': case '8': case '9':
                // -? digits (. digits)? ([eE] [+-]? digits)?
                if (byte == '-') index += 1;
                if (!skip_digits(bytes, &index, end)) {
                    result = TRAILAUDIT_SKIP_INVALID_NUMBER;
                    goto done;
                }
                if (index < end && bytes[index] == '.') {
                    index += 1;
                    if (!skip_digits(bytes, &index, end)) {
                        result = TRAILAUDIT_SKIP_INVALID_NUMBER;
                        goto done;
                    }
                }
                if (index < end && (bytes[index] | 0x20) == 'e') {
                    index += 1;
                    if (index < end && (bytes[index] == '+' || bytes[index] == '-')) index += 1;
                    if (!skip_digits(bytes, &index, end)) {
                        result = TRAILAUDIT_SKIP_INVALID_NUMBER;
                        goto done;
                    }
                }
                break;
            default:
                result = TRAILAUDIT_SKIP_UNEXPECTED_BYTE;
                goto done;
            }
        }

        // A value ended: close brackets, or move to the next member.
        while (depth > 0) {
            bool in_object = (kinds[(depth - 1) >> 6] >> ((depth - 1) & 63)) & 1;
            index = skip_space(bytes, index, end);
            uint8_t next = index < end ? bytes[index] : 0;
            if (index < end && next == ',') {
                index += 1;
                expecting_key = in_object;
                break;
            }
            if (index < end && next == (in_object ? '}' : ']')) {
                index += 1;
                depth -= 1;
                continue;
            }
            result = in_object ? TRAILAUDIT_SKIP_EXPECTED_COMMA_OR_BRACE
                               : TRAILAUDIT_SKIP_EXPECTED_COMMA_OR_BRACKET;
            goto done;
        }
        if (depth == 0) goto done;
    }
done:
    *position = index;
    return result;
}
