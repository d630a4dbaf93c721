#!/usr/bin/env bash
# Builds the three fuzz targets and runs each in turn with its seed corpus.
#   Fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]     (default 600 s; targets gzip framer decoder)
# FUZZ_NO_BUILD=1 skips the build. One fuzzer at a time, one worker: the machine has 2 cores.
# Corpus growth goes to Fuzz/corpus/<target>/, crashes to Fuzz/crashes/, logs to Fuzz/logs/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(gzip framer decoder)

[ "${FUZZ_NO_BUILD:-0}" = 1 ] || Fuzz/build.sh "${targets[@]}"
[ -d Fuzz/corpus/decoder ] || python3 Fuzz/make_corpus.py
mkdir -p Fuzz/crashes Fuzz/logs
# Swift's own crash backtracer runs under ASan on a trap and trips a false heap-buffer-overflow
# report in its memory server (CrashHandlerLinux.cpp); let libFuzzer and ASan report traps.
export SWIFT_BACKTRACE=enable=no

status=0
for target in "${targets[@]}"; do
    case "$target" in
        gzip) max_len=65536; dict=() ;;
        framer) max_len=32768; dict=(-dict=Fuzz/json.dict) ;;
        decoder) max_len=24576; dict=(-dict=Fuzz/json.dict) ;;
    esac
    log="Fuzz/logs/$target.log"
    echo "fuzz: $target for ${seconds}s, log $log" >&2
    # -jobs=1 runs the fuzzer in a child process whose output libFuzzer writes to fuzz-0.log
    # in the current directory; run it inside Fuzz/logs/<target>/ and keep that log.
    mkdir -p "Fuzz/logs/$target"
    (cd "Fuzz/logs/$target" && rm -f fuzz-0.log && "../../../.build/fuzz/fuzz-$target" \
        -workers=1 -jobs=1 -max_total_time="$seconds" -max_len="$max_len" -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 -use_value_profile=1 "${dict[@]/#-dict=/-dict=../../../}" \
        -artifact_prefix="../../crashes/$target-" "../../corpus/$target" >/dev/null 2>&1) || status=1
    cp "Fuzz/logs/$target/fuzz-0.log" "$log"
    grep -E '^#[0-9]+ *DONE|^stat::|ERROR|SUMMARY|Test unit written' "$log" >&2 || true
done
exit "$status"
