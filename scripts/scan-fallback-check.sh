#!/usr/bin/env bash
# Checks that Sources/CJSONScan's byte-at-a-time build (what CPUs other than x86-64 compile)
# gives the same results as the SSE2 build, on random input: it compiles the kernel twice,
# once with -mno-sse2 under other names, and runs scripts/scan-fallback-check.c. Needs cc.
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
include=Sources/CJSONScan/include
cc -O2 -I "$include" -c Sources/CJSONScan/json_scan.c -o "$work/fast.o"
cc -O2 -mno-sse2 -I "$include" -Dtrailaudit_scan_nesting=fallback_scan_nesting \
    -Dtrailaudit_string_end=fallback_string_end -Dtrailaudit_skip_value=fallback_skip_value \
    -c Sources/CJSONScan/json_scan.c \
    -o "$work/slow.o"
cc -O2 -I "$include" scripts/scan-fallback-check.c "$work/fast.o" "$work/slow.o" \
    -o "$work/check"
"$work/check"
