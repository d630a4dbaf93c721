#!/usr/bin/env bash
# Builds a state in shards with local processes, as N machines would (docs/shards.md): N
# `trailaudit ingest --shard I/N` at once, each into its own part, then one `trailaudit merge`;
# then checks that the merged state reports exactly what one ingest over everything reports.
#
# usage: scripts/shards-local.sh TREE [N] [WORKDIR]
#   TREE     a CloudTrail export tree (e.g. from Benchmarks/generate.py)
#   N        number of shards (default 4)
#   WORKDIR  where the parts, the merged state and the reports go (default: a temporary dir)
# TRAILAUDIT=path/to/trailaudit picks the binary (default: .build/release/trailaudit).
set -euo pipefail
cd "$(dirname "$0")/.."

tree=${1:?usage: scripts/shards-local.sh TREE [N] [WORKDIR]}
shards=${2:-4}
work=${3:-$(mktemp -d -t trailaudit-shards-XXXXXX)}
bin=${TRAILAUDIT:-.build/release/trailaudit}
if [ ! -x "$bin" ]; then
    swift build -c release --product trailaudit
fi
mkdir -p "$work"
rm -f "$work"/part-*.db "$work"/merged.db "$work"/single.db

# The "machines": one process per shard, one worker thread each.
pids=()
for ((index = 0; index < shards; index++)); do
    "$bin" ingest --quiet --jobs 1 --shard "$index/$shards" --state "$work/part-$index.db" \
        "$tree" > "$work/part-$index.log" &
    pids+=($!)
done
status=0
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
cat "$work"/part-*.log
[ "$status" -eq 0 ] || { echo "shards-local: a shard failed" >&2; exit 1; }

# The merge step, then the same state built in one run, for comparison.
"$bin" merge "$work/merged.db" "$work"/part-*.db
"$bin" ingest --quiet --state "$work/single.db" "$tree"
"$bin" report --state "$work/merged.db" --format json > "$work/merged.json"
"$bin" report --state "$work/single.db" --format json > "$work/single.json"
if cmp -s "$work/merged.json" "$work/single.json"; then
    echo "shards-local: $shards shards merged report the same as one run ($work)"
else
    echo "shards-local: the merged report differs from one run:" >&2
    diff "$work/single.json" "$work/merged.json" | head -40 >&2
    exit 1
fi
