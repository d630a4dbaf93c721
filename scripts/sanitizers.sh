#!/usr/bin/env bash
# The test suite under AddressSanitizer (with LeakSanitizer) and ThreadSanitizer.
# Each build goes to its own scratch path so the normal build is not disturbed.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
scratch="${SANITIZER_SCRATCH:-/tmp/trailaudit-sanitizers}"

echo "== AddressSanitizer"
LSAN_OPTIONS="suppressions=$PWD/scripts/lsan.supp" \
    swift test --sanitize=address --scratch-path "$scratch/address"

echo "== ThreadSanitizer"
TSAN_OPTIONS="halt_on_error=1" \
    swift test --sanitize=thread --scratch-path "$scratch/thread"
