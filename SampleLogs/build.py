#!/usr/bin/env python3
"""Build the SampleLogs/ export tree from the real public CloudTrail events.

Run from the repository root:

    python3 SampleLogs/build.py [REALDATA_DIR]

REALDATA_DIR defaults to ../shared/realdata relative to the repository root.
The script rewrites SampleLogs/AWSLogs/ and SampleLogs/other-shapes/ from
scratch. Its output is deterministic: file names come from hashes of the file
contents and gzip headers carry mtime 0, so two runs give byte-identical files.

Event content is never changed. Records are re-serialised as compact JSON, with
every key and value as in the source. Only the place a record lands (account,
region and delivery-time folder) is derived, and SampleLogs/README.md explains
how.

Python 3.11 standard library only.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import gzip
import hashlib
import json
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = REPO_ROOT / "SampleLogs"
DEFAULT_REALDATA = REPO_ROOT / ".." / "shared" / "realdata"

DELIVERY_BUCKET = dt.timedelta(minutes=5)
ACCOUNT_ID = re.compile(r"^[0-9]{12}$")
REGION_NAME = re.compile(r"^[a-z0-9-]+$")
ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

# CloudTrail writes `2024-07-30T21:31:10Z`. Test-case sources also use a space
# instead of `T`, no `Z`, or nanosecond fractions; those are read as UTC.
EVENT_TIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?Z?$"
)

# Where a source gives no usable account or region, its records go here.
PLACEHOLDER_ACCOUNT = {
    "stratus-red-team": "123456789012",
    "panther-analysis": "123456789012",
    "awsdocs": "123456789012",
}
PLACEHOLDER_REGION = "us-east-1"

CANONICAL_KEYS = ("eventVersion", "eventSource", "eventName")
LOWERCASE_KEYS = ("eventversion", "eventsource", "eventname")


@dataclass
class SourceEvent:
    """One record read from a source file, with where it came from."""

    dataset: str
    source_file: str
    record: dict


@dataclass
class Tally:
    """Counts printed at the end and copied into SampleLogs/README.md."""

    events: collections.Counter = field(default_factory=collections.Counter)
    files: collections.Counter = field(default_factory=collections.Counter)
    skipped: collections.Counter = field(default_factory=collections.Counter)
    notes: collections.Counter = field(default_factory=collections.Counter)
    undated_files: list = field(default_factory=list)


# ---------------------------------------------------------------------------
# Reading the sources


def read_stratus(realdata: Path, tally: Tally) -> list[SourceEvent]:
    """Every record of every Stratus Red Team detonation log (bare JSON arrays)."""
    events = []
    for path in sorted((realdata / "stratus-red-team").glob("*.json")):
        records = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(records, list):
            raise SystemExit(f"{path}: expected a JSON array of records")
        for record in records:
            events.append(SourceEvent("stratus-red-team", path.name, record))
    return events


def read_panther(realdata: Path, tally: Tally) -> list[SourceEvent]:
    """Panther test-case lines that are CloudTrail records with canonical keys.

    The index names each line's rule file. A line counts as a CloudTrail test
    case when its rule lives under rules/aws_cloudtrail_rules/ or the line says
    `p_log_type: AWS.CloudTrail`; it is kept only when it carries all of
    eventVersion, eventSource and eventName in camelCase.
    """
    folder = realdata / "panther-analysis"
    data_path = folder / "panther_cloudtrail_test_events.jsonl"
    index_path = folder / "panther_cloudtrail_test_events.index.jsonl"
    lines = data_path.read_text(encoding="utf-8").splitlines()
    index = {}
    for raw in index_path.read_text(encoding="utf-8").splitlines():
        entry = json.loads(raw)
        index[entry["line"]] = entry

    events = []
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        record = json.loads(raw)
        entry = index.get(number)
        if entry is None:
            raise SystemExit(f"{index_path}: no entry for line {number}")
        reason = panther_skip_reason(record, entry)
        if reason:
            tally.skipped[f"panther-analysis: {reason}"] += 1
            continue
        events.append(SourceEvent("panther-analysis", data_path.name, record))
    return events


def panther_skip_reason(record: object, entry: dict) -> str | None:
    """Why a Panther line is left out, or None when it is kept."""
    if not isinstance(record, dict):
        return "not a JSON object"
    in_cloudtrail_rules = entry["file"].startswith("rules/aws_cloudtrail_rules/")
    if not in_cloudtrail_rules and record.get("p_log_type") != "AWS.CloudTrail":
        return "not a CloudTrail record (other log type)"
    if all(key in record for key in CANONICAL_KEYS):
        return None
    if any(key in record for key in LOWERCASE_KEYS):
        return "CloudTrail test case with all-lowercase keys"
    return "CloudTrail test case missing eventVersion, eventSource or eventName"


def read_awsdocs(realdata: Path, tally: Tally) -> list[SourceEvent]:
    """The records quoted in the CloudTrail and IAM user guides (JSONL)."""
    events = []
    for name in ("cloudtrail-user-guide_events.jsonl", "iam-user-guide_events.jsonl"):
        path = realdata / "awsdocs" / name
        for raw in path.read_text(encoding="utf-8").splitlines():
            if raw.strip():
                events.append(SourceEvent("awsdocs", name, json.loads(raw)))
    return events


# ---------------------------------------------------------------------------
# Placing records


def parse_event_time(value: object) -> dt.datetime | None:
    """The eventTime as UTC, or None when it is missing or unreadable."""
    if not isinstance(value, str):
        return None
    match = EVENT_TIME.match(value)
    if not match:
        return None
    try:
        return dt.datetime(*map(int, match.groups()), tzinfo=dt.timezone.utc)
    except ValueError:
        return None


def delivery_time(event_time: dt.datetime) -> dt.datetime:
    """The next 5-minute boundary strictly after the event (delivery follows the call)."""
    epoch = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
    buckets = (event_time - epoch) // DELIVERY_BUCKET
    return epoch + (buckets + 1) * DELIVERY_BUCKET


def account_for(event: SourceEvent, tally: Tally) -> str:
    """recipientAccountId, else userIdentity.accountId, else the source's placeholder.

    A value that is not a 12-digit id (test cases hold `xxx`, `redacted`,
    `<organization master account ID>`) cannot name an S3 folder and falls
    through to the next choice.
    """
    record = event.record
    identity = record.get("userIdentity")
    candidates = [record.get("recipientAccountId")]
    if isinstance(identity, dict):
        candidates.append(identity.get("accountId"))
    for candidate in candidates:
        if isinstance(candidate, str) and ACCOUNT_ID.match(candidate):
            return candidate
    tally.notes[f"{event.dataset}: placed under placeholder account"] += 1
    return PLACEHOLDER_ACCOUNT[event.dataset]


def region_for(event: SourceEvent, tally: Tally) -> str:
    """awsRegion as written (anonymised names included), else the placeholder region."""
    region = event.record.get("awsRegion")
    if isinstance(region, str) and REGION_NAME.match(region):
        return region
    tally.notes[f"{event.dataset}: placed under placeholder region"] += 1
    return PLACEHOLDER_REGION


def is_insight(record: dict) -> bool:
    """Insights records go to CloudTrail-Insight/, never to CloudTrail/."""
    return record.get("eventType") == "AwsCloudTrailInsight"


@dataclass(frozen=True, order=True)
class FileKey:
    """Everything that decides which output file a record lands in."""

    dataset: str
    folder: str  # "CloudTrail" or "CloudTrail-Insight"
    account: str
    region: str
    delivered: dt.datetime
    undated: bool  # records whose own eventTime could not be read


def group_events(events: list[SourceEvent], tally: Tally) -> dict[FileKey, list[dict]]:
    """Group records by dataset, folder, account, region and delivery bucket.

    Records without a readable eventTime are dated by their source file: they
    go into a separate file delivered with the newest readable record of the
    same source file.
    """
    newest_in_source: dict[tuple[str, str], dt.datetime] = {}
    for event in events:
        when = parse_event_time(event.record.get("eventTime"))
        if when is not None:
            key = (event.dataset, event.source_file)
            newest_in_source[key] = max(when, newest_in_source.get(key, when))

    groups: dict[FileKey, list[dict]] = collections.defaultdict(list)
    for event in events:
        raw_time = event.record.get("eventTime")
        when = parse_event_time(raw_time)
        undated = when is None
        if undated:
            tally.notes[f"{event.dataset}: eventTime missing or unreadable"] += 1
            when = newest_in_source[(event.dataset, event.source_file)]
        elif not (isinstance(raw_time, str) and raw_time.endswith("Z") and "T" in raw_time):
            tally.notes[f"{event.dataset}: eventTime not in CloudTrail form, read as UTC"] += 1

        folder = "CloudTrail-Insight" if is_insight(event.record) else "CloudTrail"
        key = FileKey(
            dataset=event.dataset,
            folder=folder,
            account=account_for(event, tally),
            region=region_for(event, tally),
            delivered=delivery_time(when),
            undated=undated,
        )
        groups[key].append(event.record)
    return groups


# ---------------------------------------------------------------------------
# Writing


def unique_string(seed: bytes) -> str:
    """16 alphanumeric characters taken from a SHA-256 of `seed`."""
    number = int.from_bytes(hashlib.sha256(seed).digest(), "big")
    chars = []
    for _ in range(16):
        number, digit = divmod(number, len(ALNUM))
        chars.append(ALNUM[digit])
    return "".join(chars)


def gzip_bytes(data: bytes) -> bytes:
    """gzip with mtime 0 and no file name, so equal input gives equal output."""
    return gzip.compress(data, compresslevel=6, mtime=0)


def records_document(records: list[dict]) -> bytes:
    """`{"Records":[...]}` on one line, as CloudTrail writes it."""
    text = json.dumps({"Records": records}, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8")


def log_file_path(key: FileKey, document: bytes) -> Path:
    """The S3-style key of one log or Insights file."""
    stamp = key.delivered.strftime("%Y%m%dT%H%MZ")
    kind = key.folder
    prefix = f"{key.dataset}/{key.account}/{kind}/{key.region}/{stamp}/{key.undated}".encode()
    name = f"{key.account}_{kind}_{key.region}_{stamp}_{unique_string(prefix + document)}"
    day = key.delivered.strftime("%Y/%m/%d")
    return Path("AWSLogs", key.account, kind, key.region, day, f"{name}.json.gz")


def write_file(relative: Path, data: bytes, written: list[Path]) -> None:
    """Write one output file under SampleLogs/, refusing to overwrite one of this run."""
    target = OUT_DIR / relative
    if target.exists():
        raise SystemExit(f"{target}: two outputs map to the same path")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    written.append(relative)


def write_log_files(groups: dict[FileKey, list[dict]], tally: Tally, written: list[Path]) -> None:
    """One gzip `Records` file per group."""
    for key in sorted(groups):
        records = groups[key]
        document = records_document(records)
        relative = log_file_path(key, document)
        write_file(relative, gzip_bytes(document), written)
        if key.undated:
            tally.undated_files.append(f"{relative} ({len(records)} records)")
        tally.files[f"{key.dataset} ({key.folder})"] += 1
        tally.events[f"{key.dataset} ({key.folder})"] += len(records)


DIGEST_KEY = re.compile(
    r"^AWSLogs/(?P<account>[0-9]{12})/CloudTrail-Digest/(?P<region>[a-z0-9-]+)/"
    r"(?P<y>\d{4})/(?P<m>\d{2})/(?P<d>\d{2})/"
    r"(?P=account)_CloudTrail-Digest_(?P=region)_[A-Za-z0-9._-]+_[a-z0-9-]+_"
    r"(?P<stamp>\d{8}T\d{6}Z)\.json\.gz$"
)


def write_digests(realdata: Path, tally: Tally, written: list[Path]) -> None:
    """The two user-guide digest examples, gzipped unchanged at their own S3 key.

    Each example names its own key in `digestS3Object`; it already follows the
    documented digest layout, so it is used as is after checking it.
    """
    for name in ("cloudtrail-user-guide_digest_example_1.json",
                 "cloudtrail-user-guide_digest_example_2.json"):
        path = realdata / "awsdocs" / name
        raw = path.read_bytes()
        digest = json.loads(raw)
        key = digest["digestS3Object"]
        match = DIGEST_KEY.match(key)
        if not match or match["stamp"][:8] != match["y"] + match["m"] + match["d"]:
            raise SystemExit(f"{path}: digestS3Object {key!r} is not a digest key")
        write_file(Path(key), gzip_bytes(raw), written)
        tally.files["awsdocs (CloudTrail-Digest)"] += 1


TRAILSCRAPER_NAME = re.compile(
    r"^(?P<account>[0-9]{12})_CloudTrail_(?P<region>[a-z0-9-]+)_"
    r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})T\d{4}Z_[A-Za-z0-9]{16}\.json\.gz$"
)


def copy_trailscraper(realdata: Path, tally: Tally, written: list[Path]) -> None:
    """trailscraper's gzip log file, byte for byte, at the key its name implies."""
    for path in sorted((realdata / "trailscraper").glob("*.json.gz")):
        match = TRAILSCRAPER_NAME.match(path.name)
        if not match:
            raise SystemExit(f"{path}: name is not a CloudTrail log file name")
        relative = Path(
            "AWSLogs", match["account"], "CloudTrail", match["region"],
            match["y"], match["m"], match["d"], path.name,
        )
        data = path.read_bytes()
        write_file(relative, data, written)
        records = json.loads(gzip.decompress(data))["Records"]
        tally.files["trailscraper (CloudTrail, copied)"] += 1
        tally.events["trailscraper (CloudTrail, copied)"] += len(records)
    tally.skipped["trailscraper: events-for-smoke-test.json (not in export form)"] += 1


def copy_other_shapes(realdata: Path, tally: Tally, written: list[Path]) -> None:
    """The CloudWatch Logs subscription envelope, unchanged, outside AWSLogs/."""
    path = realdata / "otel-collector-contrib" / "cloudtrail_log_cw.json"
    data = path.read_bytes()
    write_file(Path("other-shapes", path.name), data, written)
    envelope = json.loads(data)
    tally.files["otel-collector-contrib (other-shapes)"] += 1
    tally.events["otel-collector-contrib (other-shapes)"] += len(envelope["logEvents"])


def count_skipped_library(realdata: Path, tally: Tally) -> None:
    """The processing-library fixtures are synthetic placeholders; none is used."""
    folder = realdata / "aws-cloudtrail-processing-library"
    count = sum(1 for path in folder.iterdir() if path.is_file())
    tally.skipped["aws-cloudtrail-processing-library: fixture files (synthetic)"] += count


# ---------------------------------------------------------------------------


def print_summary(tally: Tally, written: list[Path]) -> None:
    """Files written, events per source, what was skipped and why."""
    print(f"wrote {len(written)} files under {OUT_DIR}")
    print("files per source:")
    for name, count in sorted(tally.files.items()):
        print(f"  {count:5d}  {name}")
    print("events per source:")
    for name, count in sorted(tally.events.items()):
        print(f"  {count:5d}  {name}")
    print(f"  {sum(tally.events.values()):5d}  total")
    print("skipped:")
    for name, count in sorted(tally.skipped.items()):
        print(f"  {count:5d}  {name}")
    print("notes:")
    for name, count in sorted(tally.notes.items()):
        print(f"  {count:5d}  {name}")
    for relative in tally.undated_files:
        print(f"  records without a readable eventTime: {relative}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "realdata", nargs="?", default=str(DEFAULT_REALDATA),
        help="folder with the real public data (default: ../shared/realdata from the repo root)",
    )
    args = parser.parse_args()
    realdata = Path(args.realdata).resolve()
    if not (realdata / "SOURCES.md").is_file():
        print(f"error: {realdata} has no SOURCES.md; pass the realdata folder", file=sys.stderr)
        return 2

    for generated in ("AWSLogs", "other-shapes"):
        shutil.rmtree(OUT_DIR / generated, ignore_errors=True)

    tally = Tally()
    events = read_stratus(realdata, tally)
    events += read_panther(realdata, tally)
    events += read_awsdocs(realdata, tally)

    written: list[Path] = []
    write_log_files(group_events(events, tally), tally, written)
    write_digests(realdata, tally, written)
    copy_trailscraper(realdata, tally, written)
    copy_other_shapes(realdata, tally, written)
    count_skipped_library(realdata, tally)

    print_summary(tally, written)
    return 0


if __name__ == "__main__":
    sys.exit(main())
