#include "json_scan.h"

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
