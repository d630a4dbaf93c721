#!/usr/bin/env bash
# Builds the libFuzzer targets into .build/fuzz/: the library sources and one harness per binary,
# in one swiftc invocation each (the library's types are `package`/internal).
#   Fuzz/build.sh [gzip framer decoder]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(gzip framer decoder)
mkdir -p .build/fuzz
mapfile -t sources < <(find Sources/TrailAudit -name '*.swift' | LC_ALL=C sort)
# The embedded IAM catalog is C data; compile it once and link it into every target.
clang -c -O1 -I Sources/CIAMCatalog/include Sources/CIAMCatalog/iam_catalog.c \
    -o .build/fuzz/iam_catalog.o
# The framer's and scanner's C kernels take hostile bytes: instrumented like the Swift code.
clang -c -O1 -g -fsanitize=fuzzer-no-link,address -I Sources/CJSONScan/include \
    Sources/CJSONScan/json_scan.c -o .build/fuzz/json_scan.o

for target in "${targets[@]}"; do
    case "$target" in
        gzip) harness=(Fuzz/FuzzGzip.swift Fuzz/Check.swift) ;;
        framer) harness=(Fuzz/FuzzFramer.swift Fuzz/Check.swift) ;;
        decoder) harness=(Fuzz/FuzzDecoder.swift Fuzz/StrictJSON.swift Fuzz/Check.swift) ;;
        *) echo "unknown target: $target" >&2; exit 2 ;;
    esac
    echo "build: fuzz-$target" >&2
    # -package-name: the library's `package` declarations are only visible inside a package.
    # The module maps of CZlib and CSQLite link -lz and -lsqlite3 themselves. lld avoids gold's
    # warning flood.
    swiftc -parse-as-library -sanitize=fuzzer,address -O -g \
        -module-name TrailAuditFuzz -package-name trailaudit -use-ld=lld \
        -I Sources/CZlib -I Sources/CSQLite -I Sources/CIAMCatalog/include \
        -I Sources/CJSONScan/include -I Sources/CSystem \
        .build/fuzz/iam_catalog.o .build/fuzz/json_scan.o "${sources[@]}" "${harness[@]}" \
        -o ".build/fuzz/fuzz-$target" 2> ".build/fuzz/build-$target.log" || {
        grep -E 'error' ".build/fuzz/build-$target.log" >&2 || cat ".build/fuzz/build-$target.log" >&2
        exit 1
    }
done
