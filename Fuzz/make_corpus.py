#!/usr/bin/env python3
"""Writes the seed corpora for the fuzz targets into Fuzz/corpus/<target>/ (git-ignored).

Seeds come from ../shared/realdata and ../shared/cases (the real and reference logs), from
Tests/Fixtures/hostile/ (the hostile regression files) and from a few hand-made hostile inputs
below. Deterministic: the same inputs give the same files. Usage: make_corpus.py [OUT_DIR]
"""
import gzip
import hashlib
import io
import json
import os
import sys
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SHARED = os.path.join(os.path.dirname(REPO), "shared")
HOSTILE = os.path.join(REPO, "Tests", "Fixtures", "hostile")
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "corpus")
MAX_SEED = 24 * 1024  # bigger seeds are cut into shapes of their first records


def gz(data, level=6):
    """One gzip member with a fixed header (mtime 0), so seeds are reproducible."""
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=level, mtime=0) as f:
        f.write(data)
    return out.getvalue()


def inflate(data):
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def shared_files():
    for top in ("realdata", "cases"):
        root = os.path.join(SHARED, top)
        for folder, dirs, names in os.walk(root):
            dirs.sort()
            for name in sorted(names):
                if name.endswith((".json", ".jsonl", ".gz")):
                    path = os.path.join(folder, name)
                    with open(path, "rb") as f:
                        yield os.path.relpath(path, SHARED), f.read()


def hostile_files():
    if not os.path.isdir(HOSTILE):
        return
    for name in sorted(os.listdir(HOSTILE)):
        if name.endswith((".py", ".md")):
            continue
        with open(os.path.join(HOSTILE, name), "rb") as f:
            yield "hostile/" + name, f.read()


def records_of(text):
    """The records of a log file's bytes (Records envelope, bare array, JSONL), or []."""
    try:
        value = json.loads(text)
        if isinstance(value, dict) and isinstance(value.get("Records"), list):
            return value["Records"], "records"
        if isinstance(value, list):
            return value, "array"
        return [value], "object"
    except (ValueError, RecursionError):
        pass
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line:
            try:
                out.append(json.loads(line))
            except (ValueError, RecursionError):
                return [], "bad"
    return out, "jsonl"


def reshape(records, shape, indent):
    if shape == "records":
        return json.dumps({"Records": records}, indent=indent).encode()
    if shape == "array":
        return json.dumps(records, indent=indent).encode()
    return b"\n".join(json.dumps(r, separators=(",", ":")).encode() for r in records) + b"\n"


def small_streams(data):
    """The stream itself if small, else a few shorter streams of the same shape."""
    if len(data) <= MAX_SEED:
        yield data
        return
    records, shape = records_of(data)
    if not records:
        yield data[:MAX_SEED]
        return
    indent = 2 if data.lstrip()[:3] in (b"[\n ", b"{\n ") else None
    for start in range(0, min(len(records), 40), 4):
        piece = reshape(records[start:start + 4], shape, indent)
        if len(piece) <= MAX_SEED:
            yield piece


# Hand-made hostile inputs ------------------------------------------------------------------

EVENT = (b'{"eventVersion":"1.09","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/a",'
         b'"accountId":"111122223333"},"eventTime":"2024-03-05T10:00:00Z","eventSource":"s3.amazonaws.com",'
         b'"eventName":"GetObject","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.1",'
         b'"userAgent":"ua","eventID":"00000001-0000-4000-8000-000000000001","errorCode":"AccessDenied",'
         b'"errorMessage":"User: arn:aws:iam::111122223333:user/a is not authorized to perform: '
         b's3:GetObject on resource: \\"arn:aws:s3:::b/k\\" with an explicit deny in an identity-based policy"}')
RECORDS = b'{"Records":[' + EVENT + b"," + EVENT.replace(b"0001\"}", b"0002\"}") + b"]}"


def hand_made_streams():
    yield b'\xef\xbb\xbf' + RECORDS
    yield b'\xef\xbb\xbf\xef\xbb\xbf' + RECORDS
    yield b"[" * 5000
    yield b"{" + b'"a":{' * 3000 + b"}" * 3001
    yield b'{"Records":[' + b"[" * 300 + b"]" * 300 + b"]}"
    yield EVENT.replace(b'"ua"', b'"\\ud800 \\udc00 \\ud800\\u0041 \\udbff\\udfff \\uD83D\\uDE00 \\u00"')
    yield EVENT.replace(b'"ua"', b'"\xff\xfe\xc0\x80\xed\xa0\x80 raw"')
    yield EVENT.replace(b'"ua"', b'"' + b"\\" * 101 + b'"" ')
    yield EVENT.replace(b'"ua"', b'"\\\\\\\\"')
    yield RECORDS[: len(RECORDS) // 2]
    yield RECORDS[:-1]
    yield b'{"Records":[,' + EVENT + b"]}"
    yield b'{"Records":[' + EVENT + b",]}"
    yield b'{"Records":[' + EVENT + EVENT + b"]}"
    yield b'{"Records":{"a":1}}'
    yield b'{"Records":null}{"Records":[]}'
    yield b'{"x":[1,{"Records":[1]}],"Records" :\n [' + EVENT + b'],"y":{"z":"]"}}'
    yield b'{"Rec\\u006frds":[' + EVENT + b"]}"
    yield EVENT + b"\r\n\r\n" + EVENT + EVENT + b"\n"
    yield b'[' + EVENT + b',\n' + EVENT + b']'
    yield b'[1,2]'
    yield b'42'
    yield b'\xff\xfe{\x00}\x00'
    yield b'{"detail-type":"AWS API Call via CloudTrail","detail":' + EVENT + b"}"
    yield b'{"detail":{"detail":' + EVENT + b"}}"
    yield (b'{"messageType":"DATA_MESSAGE","logEvents":[{"id":"1","message":"CWL CONTROL MESSAGE: Checking health"},'
           b'{"id":"2","message":' + json.dumps(EVENT.decode()).encode() + b"}]}")
    yield b'{"awsAccountId":"111122223333","digestS3Object":"x","logFiles":[]}'
    yield b'{"eventVersion":"1.07","eventCategory":"Insight","insightDetails":{"state":"Start"}}'
    for time in (b"0000-01-01T00:00:00Z", b"9999-12-31T23:59:60.999999Z", b"2024-02-31T00:00:00+99:99",
                 b"2024-03-05 10:00:00", b"2024-03-05T10:00:00-00:00", b"2024-3-5T1:0:0Z"):
        yield EVENT.replace(b"2024-03-05T10:00:00Z", time)
    yield EVENT.replace(b'"1.09"', b"-0.0e-999999")
    yield EVENT.replace(b'"1.09"', b"0123")
    yield EVENT.replace(b'"1.09"', b"NaN")
    yield EVENT.replace(b'"ua"', b'"a\x00b\x1b[2J\x07\xe2\x80\xae"')


def gzip_streams():
    plain = RECORDS
    member = gz(plain)
    yield member
    yield member[: len(member) // 2]
    yield member[:5]
    yield member[:-4]
    yield b"\x1f\x8b"
    yield b"\x1f"
    yield member + member + gz(b"")
    yield gz(plain[:100]) + gz(plain[100:])
    yield gz(b"") + member
    yield member + b"\x00" * 1024
    yield member + b"\x00" * 10 + b"x"
    yield member + b"garbage"
    yield member + b"\x1f"
    yield member + b"\x1f\x8b"
    bad_crc = bytearray(member)
    bad_crc[-8] ^= 0xFF
    yield bytes(bad_crc)
    bad_size = bytearray(member)
    bad_size[-1] ^= 0x01
    yield bytes(bad_size)
    bad_block = bytearray(member)
    bad_block[10] |= 0x06
    yield bytes(bad_block)
    yield zlib.compress(plain)
    yield zlib.compress(plain)[2:-4]
    # Every header flag: FTEXT FHCRC FEXTRA FNAME FCOMMENT.
    body = zlib.compressobj(6, zlib.DEFLATED, -15)
    raw = body.compress(plain) + body.flush()
    header = b"\x1f\x8b\x08\x1f\x00\x00\x00\x00\x00\x03" + b"\x04\x00abcd" + b"name\x00" + b"comment\x00"
    header += (zlib.crc32(header) & 0xFFFF).to_bytes(2, "little")
    yield header + raw + zlib.crc32(plain).to_bytes(4, "little") + len(plain).to_bytes(4, "little")
    yield gz(b" " * (1 << 20))            # a small bomb: 1 MiB from about 1 KB
    yield gz(b"\x00" * 65536, level=0)    # stored blocks
    yield gz(b"")


def write(target, name, data, written):
    digest = hashlib.sha1(data).hexdigest()[:16]
    if digest in written:
        return
    written.add(digest)
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)[-60:]
    with open(os.path.join(OUT, target, f"{safe}-{digest}"), "wb") as f:
        f.write(data)


def main():
    for target in ("gzip", "framer", "decoder"):
        os.makedirs(os.path.join(OUT, target), exist_ok=True)
    written = {t: set() for t in ("gzip", "framer", "decoder")}
    sources = list(shared_files()) + list(hostile_files())

    for name, data in sources:
        # gzip: byte 0 picks the chunk size (8 choices); gzip files get several.
        if data[:2] == b"\x1f\x8b":
            for selector in range(8):
                write("gzip", name, bytes([selector]) + data, written["gzip"])
        elif len(data) <= MAX_SEED:
            write("gzip", name, b"\x03" + gz(data), written["gzip"])
            write("gzip", name, b"\x05" + data, written["gzip"])
        try:
            stream = inflate(data)
        except (OSError, EOFError, zlib.error):
            continue
        for index, piece in enumerate(small_streams(stream)):
            # framer: byte 0 seeds the piece sizes; 0xC0 and up also sets a 97-byte record limit.
            write("framer", f"{name}.{index}", bytes([index * 37 % 192]) + piece, written["framer"])
            if name.startswith("hostile/") and len(piece) <= MAX_SEED:
                write("decoder", name, piece, written["decoder"])  # as is, valid or not
            records, _ = records_of(piece)
            for number, record in enumerate(records[:60]):
                if isinstance(record, dict):
                    encoded = json.dumps(record, separators=(",", ":")).encode()
                    if len(encoded) <= MAX_SEED:
                        write("decoder", f"{name}.{number}", encoded, written["decoder"])

    for index, stream in enumerate(hand_made_streams()):
        write("framer", f"hand-{index}", bytes([index * 7 % 256]) + stream, written["framer"])
        write("decoder", f"hand-{index}", stream, written["decoder"])
    for index, stream in enumerate(gzip_streams()):
        write("gzip", f"hand-{index}", bytes([index % 8]) + stream, written["gzip"])
    for target in ("gzip", "framer", "decoder"):
        print(f"{target}: {len(written[target])} seeds", file=sys.stderr)


if __name__ == "__main__":
    main()
