#!/usr/bin/env bash
# Benchmarks `trailaudit report` against a single-core zlib inflate of the same files,
# and against jq and DuckDB where they are installed.
#
#   bash Benchmarks/run.sh DATA_DIR [--single FILE] [--repeat N]
#
# DATA_DIR  an export tree, e.g. from `python3 Benchmarks/generate.py --out DIR --size 1G`
# --single  also time one big gzip file (generate.py --single-file jsonl|records)
# --repeat  run every command N times and keep the fastest run (default 1)
#
# Environment:
#   TRAILAUDIT_BIN_DIR  use the binaries in this folder instead of building them
#   DUCKDB_PYTHON       a python3 with the duckdb module, used when there is no duckdb CLI
#                       (default: python3)
#
# Prints a markdown table and writes it, with the raw numbers, to
# Benchmarks/results/<UTC timestamp>.md. Needs GNU time at /usr/bin/time (Debian package `time`)
# and python3.

set -euo pipefail

USAGE_LINES=18
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# --- arguments ---------------------------------------------------------------

DATA=""
SINGLE=""
REPEAT=1
while [[ $# -gt 0 ]]; do
    case "$1" in
        --single) SINGLE="${2:?--single needs a FILE}"; shift 2 ;;
        --repeat) REPEAT="${2:?--repeat needs a number}"; shift 2 ;;
        -h | --help) usage 0 ;;
        -*) echo "run.sh: unknown option $1" >&2; usage 2 ;;
        *)
            [[ -z "$DATA" ]] || fail "only one DATA_DIR, got '$DATA' and '$1'"
            DATA="$1"; shift ;;
    esac
done
[[ -n "$DATA" ]] || usage 2
[[ -d "$DATA" ]] || fail "DATA_DIR '$DATA' is not a folder"
[[ -z "$SINGLE" || -f "$SINGLE" ]] || fail "--single '$SINGLE' is not a file"
[[ "$REPEAT" =~ ^[1-9][0-9]*$ ]] || fail "--repeat must be a positive number, got '$REPEAT'"

require_tools "read the report and print the table"
DATA="$(cd "$DATA" && pwd)"
[[ -z "$SINGLE" ]] || SINGLE="$(cd "$(dirname "$SINGLE")" && pwd)/$(basename "$SINGLE")"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/trailaudit-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
ROWS="$WORK/rows.tsv"     # best run per command: name, wall, cpu, rss_kb, command
RUNS="$WORK/runs.tsv"     # every run: name, run, wall, user+sys, rss_kb
: > "$ROWS"
: > "$RUNS"

# --- build ---------------------------------------------------------------------

find_binaries
TRAILAUDIT="$BIN/trailaudit"
INFLATE="$BIN/inflate-baseline"
[[ -x "$TRAILAUDIT" ]] || fail "no trailaudit binary at $TRAILAUDIT"
[[ -x "$INFLATE" ]] || fail "no inflate-baseline binary at $INFLATE"

# --- measuring -------------------------------------------------------------------

# Reads a `/usr/bin/time -v` report; prints "wall_seconds cpu_seconds max_rss_kb exit_status".
# Wall time comes as m:ss.ss, or h:mm:ss for runs over an hour.
parse_time() {
    awk '
        /Elapsed \(wall clock\) time/ {
            n = split($NF, part, ":")
            wall = (n == 3) ? part[1] * 3600 + part[2] * 60 + part[3] : part[1] * 60 + part[2]
        }
        /User time \(seconds\)/ { user = $NF }
        /System time \(seconds\)/ { sys = $NF }
        /Maximum resident set size \(kbytes\)/ { rss = $NF }
        /Exit status/ { status = $NF }
        END { printf "%.2f %.2f %d %d\n", wall, user + sys, rss, status }
    ' "$1"
}

# measure NAME REQUIRED COMMAND...: runs COMMAND under /usr/bin/time -v REPEAT times and records
# the fastest run. Its stdout is kept in $WORK/NAME.out. A failing required command stops the
# benchmark; a failing optional one (jq, duckdb) is reported and left out of the table.
measure() {
    local name="$1" required="$2"
    shift 2
    local best_wall="" best_line="" run status wall cpu rss command
    command="$*"
    command="${command//$'\n'/ }"
    command="${command//$'\t'/ }"
    command="$(tr -s ' ' <<< "$command")"
    for ((run = 1; run <= REPEAT; run++)); do
        echo "running $name ($run/$REPEAT) ..." >&2
        status=0
        /usr/bin/time -v -o "$WORK/$name.time" "$@" > "$WORK/$name.out" 2> "$WORK/$name.err" \
            || status=$?
        read -r wall cpu rss _ < <(parse_time "$WORK/$name.time")
        if [[ $status -ne 0 ]]; then
            echo "run.sh: $name failed with exit status $status:" >&2
            tail -n 20 "$WORK/$name.err" >&2
            [[ "$required" == required ]] && exit 1
            return 0
        fi
        printf '%s\t%d\t%s\t%s\t%s\n' "$name" "$run" "$wall" "$cpu" "$rss" >> "$RUNS"
        if [[ -z "$best_wall" ]] \
            || awk -v a="$wall" -v b="$best_wall" 'BEGIN { exit !(a < b) }'; then
            best_wall="$wall"
            best_line="$(printf '%s\t%s\t%s\t%s\t%s' "$name" "$wall" "$cpu" "$rss" "$command")"
        fi
    done
    printf '%s\n' "$best_line" >> "$ROWS"
}

# Reads every file once so that all commands start from a warm page cache.
warm_cache() {
    echo "warming the page cache for $1 ..." >&2
    find "$1" -type f -exec cat {} + > /dev/null
}

# Prints `inflated_bytes` from inflate-baseline's output line `files=N inflated_bytes=B`.
inflated_bytes() {
    sed -n 's/.*inflated_bytes=\([0-9][0-9]*\).*/\1/p' "$WORK/$1.out" | tail -n 1
}

# Prints `input.events` from a JSON report.
report_events() {
    python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["input"]["events"])' "$1"
}

# --- the runs ----------------------------------------------------------------------

warm_cache "$DATA"
[[ -z "$SINGLE" ]] || warm_cache "$SINGLE"

measure inflate required "$INFLATE" "$DATA"
# ISA-L's floor, where the build has it (inflate-baseline exits 2 without it).
measure inflate-isal optional "$INFLATE" --isal "$DATA"
REPORT=("$TRAILAUDIT" report --quiet --format json --output /dev/null)
measure report-jobs1 required "${REPORT[@]}" --jobs 1 "$DATA"
# The report with zlib's inflate, for what ISA-L's saves (the same as report-jobs1 without it).
measure report-jobs1-zlib optional "${REPORT[@]}" --jobs 1 --inflate zlib "$DATA"
measure report-jobs2 required "${REPORT[@]}" --jobs 2 "$DATA"
measure report-default required "${REPORT[@]}" "$DATA"

echo "reading the event count from one more report run ..." >&2
"$TRAILAUDIT" report --quiet --format json --output "$WORK/report.json" "$DATA" \
    || fail "trailaudit report --output $WORK/report.json failed"
EVENTS="$(report_events "$WORK/report.json")" || fail "the report has no input.events"
INFLATED="$(inflated_bytes inflate)"
[[ -n "$INFLATED" ]] \
    || fail "inflate-baseline printed no inflated_bytes=: $(cat "$WORK/inflate.out")"

# The question both tools answer: events per principal and action, with the error code.
if command -v jq > /dev/null; then
    # shellcheck disable=SC2016  # $1 is expanded by the inner bash
    measure jq optional bash -c 'set -o pipefail
        find "$1" -path "*/CloudTrail/*" -name "*.json.gz" -print0 \
            | xargs -0 zcat \
            | jq -c ".Records[] | [.userIdentity.arn, .eventSource, .eventName, .errorCode]" \
            | LC_ALL=C sort | uniq -c > /dev/null' jq-pipeline "$DATA"
else
    echo "jq is not installed; skipping the jq comparison (Debian package: jq)" >&2
fi

DUCKDB_SQL="SELECT r->>'\$.userIdentity.arn' AS principal, r->>'\$.eventSource' AS source,
       r->>'\$.eventName' AS action, r->>'\$.errorCode' AS error, count(*) AS events
FROM (SELECT unnest(Records) AS r
      FROM read_json('$DATA/**/*.json.gz', columns = {Records: 'JSON[]'}, format = 'auto',
                     maximum_object_size = 1073741824, filename = true)
      WHERE filename LIKE '%/CloudTrail/%')
GROUP BY ALL"
DUCKDB_PY="${DUCKDB_PYTHON:-python3}"
if command -v duckdb > /dev/null; then
    measure duckdb optional duckdb -csv -c "$DUCKDB_SQL"
elif "$DUCKDB_PY" -c 'import duckdb' > /dev/null 2>&1; then
    measure duckdb optional "$DUCKDB_PY" -c \
        'import duckdb, sys; duckdb.sql("SET enable_progress_bar = false"); print(len(duckdb.sql(sys.argv[1]).fetchall()))' \
        "$DUCKDB_SQL"
else
    echo "duckdb is not installed (no CLI, no python module); skipping the duckdb comparison" >&2
fi

SINGLE_INFLATED=""
SINGLE_EVENTS=""
if [[ -n "$SINGLE" ]]; then
    measure single-inflate required "$INFLATE" "$SINGLE"
    measure single-report-jobs1 required "${REPORT[@]}" --jobs 1 "$SINGLE"
    measure single-report-default required "${REPORT[@]}" "$SINGLE"
    "$TRAILAUDIT" report --quiet --format json --output "$WORK/single-report.json" "$SINGLE" \
        || fail "trailaudit report on $SINGLE failed"
    SINGLE_EVENTS="$(report_events "$WORK/single-report.json")"
    SINGLE_INFLATED="$(inflated_bytes single-inflate)"
fi

# --- the table ----------------------------------------------------------------------

STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
RESULTS="$REPO/Benchmarks/results/$STAMP.md"
mkdir -p "$(dirname "$RESULTS")"

python3 - "$ROWS" "$RUNS" "$DATA" "$INFLATED" "$EVENTS" "$SINGLE" "$SINGLE_INFLATED" \
    "$SINGLE_EVENTS" "$REPEAT" "$STAMP" "$(cat "$WORK/inflate.out")" > "$WORK/table.md" <<'PY'
import os
import platform
import sys

(rows_path, runs_path, data, inflated, events, single, single_inflated, single_events,
 repeat, stamp, inflate_line) = sys.argv[1:]
MIB = 1024 * 1024

rows = {}
commands = {}
for line in open(rows_path):
    name, wall, cpu, rss, command = line.rstrip("\n").split("\t")
    rows[name] = (float(wall), float(cpu), int(rss))
    commands[name] = command

LABELS = [
    ("inflate", "inflate-baseline (zlib, 1 core)"),
    ("inflate-isal", "inflate-baseline --isal (ISA-L, 1 core)"),
    ("report-jobs1", "trailaudit report --jobs 1"),
    ("report-jobs1-zlib", "trailaudit report --jobs 1 --inflate zlib"),
    ("report-jobs2", "trailaudit report --jobs 2"),
    ("report-default", "trailaudit report (default jobs)"),
    ("jq", "jq pipeline (zcat, jq, sort, uniq -c)"),
    ("duckdb", "duckdb read_json GROUP BY"),
    ("single-inflate", "inflate-baseline, single file"),
    ("single-report-jobs1", "trailaudit report --jobs 1, single file"),
    ("single-report-default", "trailaudit report (default jobs), single file"),
]


def fmt(value, digits=2):
    return "–" if value is None else f"{value:.{digits}f}"


def cpu_model():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


out = []
out.append(f"## Benchmark {stamp}")
out.append("")
out.append(f"- data: `{data}`; inflate-baseline says `{inflate_line.strip()}`; "
           f"report says {events} events")
if single:
    out.append(f"- single file: `{single}`; {single_inflated} inflated bytes, "
               f"{single_events} events")
out.append(f"- machine: {os.cpu_count()} CPUs, {cpu_model()}, {platform.system()} "
           f"{platform.release()}")
out.append(f"- each command run {repeat} time(s), fastest run shown; page cache warm")
out.append("- MB = 2^20 bytes; MB/s = inflated bytes / wall; events/s = report input.events / wall")
out.append("")
out.append("| command | wall s | CPU s | peak RSS MB | MB/s | events/s |")
out.append("|---|---:|---:|---:|---:|---:|")
for name, label in LABELS:
    if name not in rows:
        continue
    wall, cpu, rss = rows[name]
    single_row = name.startswith("single-")
    size = int(single_inflated or 0) if single_row else int(inflated)
    count = int(single_events or 0) if single_row else int(events)
    speed = size / MIB / wall if wall > 0 else None
    rate = count / wall if wall > 0 else None
    out.append(f"| {label} | {fmt(wall)} | {fmt(cpu)} | {fmt(rss / 1024, 1)} | "
               f"{fmt(speed, 1)} | {fmt(rate, 0)} |")


def ratio(a, b, field):
    if a not in rows or b not in rows or rows[b][field] <= 0:
        return None
    return rows[a][field] / rows[b][field]


WALL, CPU = 0, 1
checks = [
    ("report CPU (jobs 1) / inflate CPU", ratio("report-jobs1", "inflate", CPU), "<= 2.0",
     lambda v: v <= 2.0),
    ("report CPU (default) / inflate CPU", ratio("report-default", "inflate", CPU), "<= 2.0",
     lambda v: v <= 2.0),
    ("report wall (default) / inflate wall", ratio("report-default", "inflate", WALL), "<= 1.0",
     lambda v: v <= 1.0),
    ("report CPU (jobs 1) / ISA-L inflate CPU", ratio("report-jobs1", "inflate-isal", CPU), "–",
     None),
    ("report CPU (jobs 1, zlib) / inflate CPU", ratio("report-jobs1-zlib", "inflate", CPU), "–",
     None),
    ("report wall (jobs 1) / report wall (jobs 2)", ratio("report-jobs1", "report-jobs2", WALL),
     ">= 1.8", lambda v: v >= 1.8),
    ("jq wall / report wall (default)", ratio("jq", "report-default", WALL), "–", None),
    ("duckdb wall / report wall (default)", ratio("duckdb", "report-default", WALL), "–", None),
    ("single: report wall (default) / inflate wall",
     ratio("single-report-default", "single-inflate", WALL), "–", None),
]
out.append("")
out.append("| ratio | value | target | met |")
out.append("|---|---:|---|---|")
for label, value, target, test in checks:
    if value is None:
        continue
    met = "–" if test is None else ("yes" if test(value) else "**no**")
    out.append(f"| {label} | {fmt(value)} | {target} | {met} |")
for name, label in LABELS:
    if name.startswith(("report", "single-report")) and name in rows:
        rss = rows[name][2] / 1024
        out.append(f"| peak RSS, {label} | {rss:.1f} MB | < 100 MB | "
                   f"{'yes' if rss < 100 else '**no**'} |")

out.append("")
out.append("<details><summary>commands and every run</summary>")
out.append("")
out.append("```")
for name, _ in LABELS:
    if name in commands:
        out.append(f"{name}: {commands[name]}")
out.append("")
out.append("name\trun\twall_s\tcpu_s\tmax_rss_kb")
out.extend(line.rstrip("\n") for line in open(runs_path))
out.append("```")
out.append("")
out.append("</details>")
print("\n".join(out))
PY

cp "$WORK/table.md" "$RESULTS"
cat "$WORK/table.md"
echo >&2
echo "written to $RESULTS" >&2
