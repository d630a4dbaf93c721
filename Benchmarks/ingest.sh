#!/usr/bin/env bash
# Benchmarks `trailaudit ingest` (the nightly state) against `report` on the same tree:
# the first ingest into an empty state, and a second ingest over the unchanged tree.
#
#   bash Benchmarks/ingest.sh DATA_DIR [--repeat N]
#
# DATA_DIR  an export tree, e.g. from `python3 Benchmarks/generate.py --out DIR --size 1G`
# --repeat  rounds (default 5); each round runs report, a first ingest (state deleted before)
#           and an ingest again, one after the other, so a busy minute slows all three alike
#
# Environment:
#   TRAILAUDIT_BIN_DIR  use the trailaudit in this folder instead of building it
#
# Prints a markdown table of medians (and the fastest run) and the ratios of issue 6: ingest
# within 10% of report, the unchanged re-run under 2% of the first. Needs GNU time at
# /usr/bin/time (Debian package `time`) and python3.

set -euo pipefail

USAGE_LINES=16
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

DATA=""
REPEAT=5
while [[ $# -gt 0 ]]; do
    case "$1" in
        --repeat) REPEAT="${2:?--repeat needs a number}"; shift 2 ;;
        -h | --help) usage 0 ;;
        -*) echo "$SCRIPT: unknown option $1" >&2; usage 2 ;;
        *)
            [[ -z "$DATA" ]] || fail "only one DATA_DIR, got '$DATA' and '$1'"
            DATA="$1"; shift ;;
    esac
done
[[ -n "$DATA" ]] || usage 2
[[ -d "$DATA" ]] || fail "DATA_DIR '$DATA' is not a folder"
[[ "$REPEAT" =~ ^[1-9][0-9]*$ ]] || fail "--repeat must be a positive number, got '$REPEAT'"
require_tools "print the table"
find_binaries
TRAILAUDIT="$BIN/trailaudit"
[[ -x "$TRAILAUDIT" ]] || fail "no trailaudit at $TRAILAUDIT"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
STATE="$WORK/state.db"
RUNS="$WORK/runs.tsv"

# Runs one command under GNU time; appends "name wall cpu rss_kb" to RUNS.
timed() {
    local name="$1"
    shift
    /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" "$@" > /dev/null 2> "$WORK/stderr" \
        || fail "$name failed: $(tail -3 "$WORK/stderr")"
    read -r wall user sys rss < "$WORK/time"
    echo "$name $wall $(python3 -c "print(round($user + $sys, 2))") $rss" >> "$RUNS"
}

# ingest caches a folder only once its change time is a minute old (a file added in the same
# tick of the file system's clock would leave it unchanged), so on a tree generated moments ago
# the unchanged re-run would list every folder: wait until the newest folder has settled.
newest="$(find "$DATA" -type d -printf '%C@\n' | sort -n | tail -1)"
wait_s="$(python3 -c "import time; print(max(0, int($newest + 62 - time.time())))")"
if [[ "$wait_s" -gt 0 ]]; then
    echo "$SCRIPT: a folder of $DATA changed in the last minute; waiting ${wait_s} s" >&2
    sleep "$wait_s"
fi

for round in $(seq "$REPEAT"); do
    timed report "$TRAILAUDIT" report --quiet --format json --output /dev/null "$DATA"
    rm -f "$STATE" "$STATE-wal" "$STATE-shm" "$STATE.lock"
    timed ingest "$TRAILAUDIT" ingest --quiet --state "$STATE" "$DATA"
    timed again "$TRAILAUDIT" ingest --quiet --state "$STATE" "$DATA"
    echo "round $round of $REPEAT done" >&2
done

STATE_BYTES="$(stat -c %s "$STATE")"
python3 - "$RUNS" "$DATA" "$REPEAT" "$STATE_BYTES" <<'EOF'
import statistics
import sys

runs, data, repeat, state_bytes = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
rows = {}
for line in open(runs):
    name, wall, cpu, rss = line.split()
    rows.setdefault(name, []).append((float(wall), float(cpu), int(rss)))

def median(name, field):
    return statistics.median(run[field] for run in rows[name])

print(f"data: {data}; {repeat} rounds; medians (fastest wall in brackets); state {state_bytes / 2**20:.1f} MB")
print()
print("| command | wall s | CPU s | peak RSS MB |")
print("|---|---:|---:|---:|")
labels = {"report": "report", "ingest": "ingest (first, empty state)", "again": "ingest again (unchanged)"}
for name, label in labels.items():
    fastest = min(run[0] for run in rows[name])
    rss = max(run[2] for run in rows[name]) / 1024
    print(f"| {label} | {median(name, 0):.2f} ({fastest:.2f}) | {median(name, 1):.2f} | {rss:.1f} |")
print()
wall = median("ingest", 0) / median("report", 0)
cpu = median("ingest", 1) / median("report", 1)
again = median("again", 0) / median("ingest", 0)
print("| ratio | value | target | met |")
print("|---|---:|---:|---|")
print(f"| ingest wall / report wall | {wall:.3f} | <= 1.10 | {'yes' if wall <= 1.10 else '**no**'} |")
print(f"| ingest CPU / report CPU | {cpu:.3f} | - | - |")
print(f"| again wall / first ingest wall | {again:.3f} | < 0.02 | {'yes' if again < 0.02 else '**no**'} |")
EOF
