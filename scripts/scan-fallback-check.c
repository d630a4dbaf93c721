// Differential check of Sources/CJSONScan: the SSE2 build against the byte-at-a-time build
// that other CPUs get (compiled here with -mno-sse2 and its functions renamed), on random
// JSON-ish bytes cut into random pieces. Run by scripts/scan-fallback-check.sh.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_scan.h"

size_t fallback_scan_nesting(
    const uint8_t *bytes, size_t start, size_t end, trailaudit_nesting *state);
ptrdiff_t fallback_string_end(
    const uint8_t *bytes, size_t start, size_t end, bool *has_escapes);
trailaudit_skip_result fallback_skip_value(
    const uint8_t *bytes, size_t end, size_t *position, int64_t max_depth);

static uint64_t seed = 0x9E3779B97F4A7C15ULL;
static uint64_t next(void) {
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return seed;
}

int main(void) {
    // Mostly the bytes that matter, so blocks hold strings, escapes and brackets.
    static const char alphabet[] = "\"\\{}[]aaaaaaaaaaaaaaaa:, ";
    // JSON-ish values for the skipper: literals, numbers and separators too.
    static const char values[] = "\"\\{}[]aaaaaaaa:, ,:1-.e0truefalsenull";
    enum { size = 600 };
    uint8_t bytes[size];
    long failures = 0;
    for (int round = 0; round < 200000; round++) {
        size_t count = 1 + next() % size;
        for (size_t index = 0; index < count; index++) {
            bytes[index] = (uint8_t)alphabet[next() % (sizeof alphabet - 1)];
        }
        // The nesting scan from a random state, through random pieces.
        trailaudit_nesting fast = {1 + (int64_t)(next() % 3), next() % 2, false};
        trailaudit_nesting slow = fast;
        size_t at = 0;
        while (at < count) {
            size_t end = at + 1 + next() % 200;
            if (end > count) end = count;
            size_t a = trailaudit_scan_nesting(bytes, at, end, &fast);
            size_t b = fallback_scan_nesting(bytes, at, end, &slow);
            if (a != b || fast.depth != slow.depth || fast.in_string != slow.in_string
                || fast.escape_pending != slow.escape_pending) {
                failures += 1;
                break;
            }
            if (fast.depth == 0) break;
            at = a;
        }
        // The string end from a random start.
        size_t start = next() % count;
        bool fastEscapes = false, slowEscapes = false;
        ptrdiff_t x = trailaudit_string_end(bytes, start, count, &fastEscapes);
        ptrdiff_t y = fallback_string_end(bytes, start, count, &slowEscapes);
        if (x != y || (x >= 0 && fastEscapes != slowEscapes)) failures += 1;

        // The value skipper from a random start, over the same bytes and over JSON-ish ones.
        for (int pass = 0; pass < 2; pass++) {
            if (pass == 1) {
                for (size_t index = 0; index < count; index++) {
                    bytes[index] = (uint8_t)values[next() % (sizeof values - 1)];
                }
            }
            size_t from = next() % count, fastAt = from, slowAt = from;
            trailaudit_skip_result r = trailaudit_skip_value(bytes, count, &fastAt, 4);
            trailaudit_skip_result s = fallback_skip_value(bytes, count, &slowAt, 4);
            if (r != s || fastAt != slowAt) failures += 1;
        }
    }
    printf("scan fallback check: 200000 rounds, %ld differences\n", failures);
    return failures == 0 ? 0 : 1;
}
