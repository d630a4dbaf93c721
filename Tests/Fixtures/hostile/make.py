#!/usr/bin/env python3
"""Writes the hostile-input regression corpus beside this script, and EXPECTED.md.

Every file is small (< 20 KB on disk) and made here from fixed bytes, so running the script
again gives the same files (gzip headers carry mtime 0; the deflate bytes are zlib's, which is
stable for a given zlib version). Each file has one expected outcome of
`trailaudit report FILE`, written to EXPECTED.md, which is the single source of truth that
Tests/TrailAuditTests/HostileCorpusTests.swift checks.

Outcome grammar (column `outcome`):
  read N[, duplicates D][, non-call C][, unrecognized U]  the file counts, with N events
  failed: REASON                                          the file fails with exactly REASON
  skipped: REASON                                         the file is set aside with REASON
Usage: python3 make.py     (removes the files it made before, then writes them again)
"""
import gzip
import io
import json
import os
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = []  # (name, bytes, outcome, note)


def add(name, data, outcome, note):
    assert len(data) < 20 * 1024, f"{name} is {len(data)} bytes"
    assert all(name != other[0] for other in FILES), name
    FILES.append((name, data, outcome, note))


def gz(data, level=6):
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=level, mtime=0) as f:
        f.write(data)
    return out.getvalue()


def event(n, **fields):
    """A CloudTrail event (IAM user `hostile`, s3:GetObject); `fields` replaces or adds keys."""
    base = {
        "eventVersion": "1.09",
        "userIdentity": {"type": "IAMUser", "principalId": "AIDAEXAMPLE",
                         "arn": "arn:aws:iam::111122223333:user/hostile",
                         "accountId": "111122223333", "userName": "hostile"},
        "eventTime": f"2024-03-05T10:{n // 60 % 60:02d}:{n % 60:02d}Z",
        "eventSource": "s3.amazonaws.com",
        "eventName": "GetObject",
        "awsRegion": "us-east-1",
        "sourceIPAddress": "198.51.100.7",
        "userAgent": "aws-cli/2.15.0",
        "requestParameters": {"bucketName": "example-bucket", "key": f"k{n}"},
        "responseElements": None,
        "eventID": f"00000000-0000-4000-8000-{n:012d}",
        "eventType": "AwsApiCall",
        "recipientAccountId": "111122223333",
    }
    for key, value in fields.items():
        if value is DROP:
            base.pop(key, None)
        else:
            base[key] = value
    return base


DROP = object()


def enc(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def records(*events):
    return b'{"Records":[' + b",".join(e if isinstance(e, bytes) else enc(e) for e in events) + b"]}"


def two():
    return records(event(1), event(2))


def three():
    return records(event(1), event(2), event(3))


NOT_CT = "failed: not a CloudTrail log: no record has eventSource, eventName or userIdentity"
TRUNCATED_GZ = "failed: gzip stream is truncated (the file ends inside a member)"
TRUNCATED_JSON = "failed: JSON ends inside a record (the file is truncated, or is not JSON)"


def bad_json(offset, reason):
    return f"failed: invalid JSON at byte {offset} of the decompressed data: {reason}"


def gzip_files():
    member = gz(three())
    add("gz-truncated-half.json.gz", member[: len(member) // 2], TRUNCATED_GZ,
        "cut in the middle of the deflate data")
    add("gz-truncated-header.json.gz", member[:5], TRUNCATED_GZ, "only 5 bytes of the 10-byte header")
    add("gz-truncated-trailer.json.gz", member[:-8], TRUNCATED_GZ, "CRC-32 and ISIZE missing")
    add("gz-magic-only.json.gz", b"\x1f\x8b", TRUNCATED_GZ, "the two magic bytes and nothing else")
    add("gz-multi-member.json.gz", gz(two()) + gz(records(event(3), event(4))) + gz(records(event(5), event(6))),
        "read 6", "three members, each a whole Records file (concatenated uploads)")
    data = three()
    cuts = [0, 17, len(data) // 2, len(data) // 2 + 3, len(data)]
    add("gz-member-splits-record.json.gz", b"".join(gz(data[a:b]) for a, b in zip(cuts, cuts[1:])),
        "read 3", "four members whose boundaries fall inside keys and string values")
    add("gz-empty-members.json.gz", gz(b"") + gz(two()) + gz(b""), "read 2",
        "an empty member before and after the data")
    add("gz-zero-padding.json.gz", gz(two()) + b"\x00" * 4096, "read 2",
        "4 KB of zero padding after the last member (accepted, as gzip does)")
    add("gz-garbage-after-member.json.gz", gz(two()) + b"garbage",
        "failed: bytes after gzip member 1 are not another gzip member", "text after the member")
    add("gz-zeros-then-garbage.json.gz", gz(two()) + b"\x00" * 16 + b"x",
        "failed: bytes after gzip member 1 are not another gzip member", "padding that is not all zeros")
    add("gz-lone-magic-byte-after-member.json.gz", gz(two()) + b"\x1f", TRUNCATED_GZ,
        "one 0x1f after the member: read as the start of a member that ends at once")
    bad = bytearray(gz(two()))
    bad[-8] ^= 0xFF
    add("gz-bad-crc.json.gz", bytes(bad), "failed: gzip data is corrupt: …",
        "CRC-32 in the trailer flipped (the events before it are not counted)")
    bad = bytearray(gz(two()))
    bad[-1] ^= 0x01
    add("gz-bad-length.json.gz", bytes(bad), "failed: gzip data is corrupt: …",
        "ISIZE in the trailer off")
    bad = bytearray(gz(two()))
    bad[10] |= 0x06
    add("gz-reserved-block-type.json.gz", bytes(bad), "failed: gzip data is corrupt: …",
        "first deflate block of reserved type 3")
    add("gz-zlib-not-gzip.json.gz", zlib.compress(two()), bad_json(0, "expected an object or array, found 'x'"),
        "a zlib stream (0x78 0x9c): no gzip magic, so read as plain bytes")
    raw = zlib.compressobj(6, zlib.DEFLATED, -15)
    body = raw.compress(two()) + raw.flush()
    add("gz-raw-deflate.json.gz", body, bad_json(0, f"expected an object or array, found byte 0x{body[0]:x}"),
        "raw deflate with no wrapper")
    payload = two()
    raw = zlib.compressobj(6, zlib.DEFLATED, -15)
    body = raw.compress(payload) + raw.flush()
    header = b"\x1f\x8b\x08\x1f\x00\x00\x00\x00\x00\x03" + b"\x04\x00abcd" + b"name.json\x00" + b"a comment\x00"
    header += (zlib.crc32(header) & 0xFFFF).to_bytes(2, "little")
    add("gz-all-header-flags.json.gz",
        header + body + zlib.crc32(payload).to_bytes(4, "little") + len(payload).to_bytes(4, "little"),
        "read 2", "FTEXT, FHCRC (correct), FEXTRA, FNAME and FCOMMENT all set")
    add("gz-stored-blocks.json.gz", gz(two(), level=0), "read 2", "level 0: stored (uncompressed) blocks")
    add("gz-of-binary.json.gz", gz(b"\x00\x01\x02binary"), bad_json(0, "expected an object or array, found byte 0x0"),
        "valid gzip whose content is not JSON")
    add("gz-empty.json.gz", b"", "failed: empty file (0 bytes): an interrupted upload or sync?", "0 bytes")
    add("gz-bomb-17m-spaces-then-records.json.gz", gz(b" " * (17 << 20) + two(), level=9), "read 2",
        "inflates 17 MB of spaces from ~17 KB; read in bounded memory; no default cap "
        "(`--max-inflated 16M` makes it fail)")
    big = enc(event(1, userAgent="A" * (16 << 20)))
    add("gz-record-over-16m.json.gz", gz(b'{"Records":[' + big + b"]}", level=9),
        "failed: a record is larger than 16777216 bytes; raise --max-record to read it",
        "one event with a 16 MiB userAgent, over the default --max-record")


def framing_files():
    bom = b"\xef\xbb\xbf"
    add("bom.json", bom + two(), "read 2", "UTF-8 byte-order mark at the start (allowed)")
    add("bom-twice.json", bom + bom + two(), bad_json(3, "unexpected byte 0xef"), "a second BOM")
    line = enc(event(1))
    add("bom-mid-jsonl.jsonl", line + b"\n" + bom + enc(event(2)) + b"\n",
        bad_json(len(line) + 1, "unexpected byte 0xef"), "a BOM at the start of line 2 (a `cat` of two files)")
    add("utf16le.json", "\ufeff".encode("utf-16-le") + two().decode().encode("utf-16-le"),
        bad_json(0, "expected an object or array, found byte 0xff"), "UTF-16LE with its BOM")
    add("whitespace-only.json", b" \n\t\r\n" * 10, "read 0",
        "only whitespace: counted as a file read with no events, while an empty file fails (see note F8)")
    add("empty-object.json", b"{}", NOT_CT, "one empty object")
    add("records-empty.json", b'{"Records":[]}', "read 0", "an empty Records array (CloudTrail writes these)")
    add("records-null.json", b'{"Records":null}', NOT_CT, "Records is null")
    add("records-object.json", b'{"Records":' + enc(event(1)) + b"}", NOT_CT, "Records holds an object, not an array")
    add("records-escaped-key.json", b'{"Rec\\u006frds":[' + enc(event(1)) + b"]}", NOT_CT,
        "the key written with a \\u escape is not recognised as Records")
    add("records-nested-deeper.json", b'{"wrapper":' + two() + b"}", NOT_CT, "Records one level down")
    add("records-after-other-keys.json",
        b'{"x":[1,{"Records":[]}],"Records" :\n [' + enc(event(1)) + b"," + enc(event(2))
        + b'],"y":{"z":"]}\\""}}', "read 2",
        "keys before and after Records; a nested Records and brackets in strings after it")
    add("records-twice.json", b'{"Records":[' + enc(event(1)) + b'],"Records":[' + enc(event(2)) + b"]}",
        "read 2", "a second Records key: its events are streamed too (was note F5)")
    add("records-tail-not-json.json", b'{"Records":[' + enc(event(1)) + b"] this is :: not JSON , }",
        bad_json(6, "expected ',' or '}'"),
        "text after the Records array that is not JSON fails the file (was note F5; the offset is"
        " within the envelope's remainder, see note F4)")
    e1, e2 = enc(event(1)), enc(event(2))
    add("records-trailing-comma.json", b'{"Records":[' + e1 + b",]}",
        bad_json(12 + len(e1) + 1, "',' before ']'"), "[e1,]")
    add("records-leading-comma.json", b'{"Records":[,' + e1 + b"]}",
        bad_json(12, "',' without an element before it"), "[,e1]")
    add("records-double-comma.json", b'{"Records":[' + e1 + b",," + e2 + b"]}",
        bad_json(12 + len(e1) + 1, "',' without an element before it"), "[e1,,e2]")
    add("records-missing-comma.json", b'{"Records":[' + e1 + e2 + b"]}",
        bad_json(12 + len(e1), "missing ',' between elements"), "[e1 e2]")
    add("records-element-not-object.json", b'{"Records":[' + e1 + b",5]}",
        bad_json(12 + len(e1) + 1, "expected an event object in the array, found '5'"), "[e1,5]")
    data = three()
    add("truncated-mid-record.json", data[: len(data) * 2 // 3], TRUNCATED_JSON, "cut inside the third event")
    add("truncated-after-array.json", data[:-1], TRUNCATED_JSON, "the envelope's closing brace missing")
    add("truncated-in-escape.json", b'{"Records":[{"eventName":"a\\', TRUNCATED_JSON, "ends right after a backslash")
    add("bare-array.json", b"[" + e1 + b",\n" + e2 + b"]", "read 2", "a bare array of events")
    add("bare-array-of-numbers.json", b"[1,2]", bad_json(1, "expected an event object in the array, found '1'"),
        "a bare array of numbers")
    add("top-level-number.json", b"42", bad_json(0, "expected an object or array, found '4'"), "a number")
    add("top-level-string.json", b'"Records"', bad_json(0, "expected an object or array, found '\"'"), "a string")
    add("unbalanced-closers.json", two() + b"]]]", bad_json(len(two()), "expected an object or array, found ']'"),
        "closing brackets after the envelope")
    add("mixed-shapes.json", records(event(1)) + b"[" + enc(event(2)) + b"]" + enc(event(3)), "read 3",
        "an envelope, a bare array and a bare event, concatenated")
    add("jsonl-crlf-blank-lines.jsonl", b"\r\n".join([e1, b"", enc(event(2)), b"   ", enc(event(3))]) + b"\r\n",
        "read 3", "CRLF line ends and blank lines")
    add("jsonl-no-newlines.jsonl", e1 + e2 + enc(event(3)), "read 3", "objects back to back")
    bad_line = b'{"eventSource":"s3.amazonaws.com","eventName": }'
    add("jsonl-one-bad-line.jsonl", e1 + b"\n" + bad_line + b"\n" + enc(event(3)) + b"\n",
        bad_json(len(e1) + 1 + bad_line.index(b"}"), "unexpected byte 0x7d"),
        "one bad line fails the whole file; the offset counts from the file's first byte")
    add("jsonl-line-is-array.jsonl", e1 + b"\n[1]\n", bad_json(len(e1) + 2, "expected an event object in the array, found '1'"),
        "a line holding an array of numbers")
    add("jsonl-raw-newline-in-string.jsonl", enc(event(1, userAgent="line1\nline2")).replace(b"\\n", b"\n") + b"\n" + e2 + b"\n",
        "read 2", "a raw newline inside a string value (invalid JSON, accepted; see note F6)")


def nesting_files():
    add("deep-array-10000.json", b"[" * 10000, bad_json(1, "expected an event object in the array, found '['"),
        "10,000 open brackets")
    deep = b'{"a":' * 3000 + b"1" + b"}" * 3000
    add("deep-object-3000.json", deep, bad_json(5 + 5 * 256, "nesting deeper than 256"),
        "3,000 nested objects: the framer buffers it, the scanner refuses it")
    def nested(levels):
        return enc(event(1, requestParameters={"x": "PLACEHOLDER"})).replace(
            b'"PLACEHOLDER"', b"[" * levels + b"]" * levels)
    add("deep-field-256.json", nested(256), "read 1", "256 nested arrays inside requestParameters (the cap)")
    data = nested(257)
    add("deep-field-257.json", data, bad_json(data.index(b"[" * 257) + 256, "nesting deeper than 256"),
        "257 nested arrays: one over the cap, the file fails")
    add("deep-unclosed-in-record.json", b'{"Records":[{"a":' + b"[" * 5000, TRUNCATED_JSON,
        "an event that opens 5,000 arrays and ends")


def string_files():
    surrogates = event(1, userAgent="PLACE1", userIdentity={
        "type": "IAMUser", "arn": "arn:aws:iam::111122223333:user/PLACE2", "accountId": "111122223333"})
    data = enc(surrogates).replace(b"PLACE1", b"\\ud800 \\udc00 \\ud800\\u0041 \\uDBFF\\uDFFF \\u00")
    data = data.replace(b"PLACE2", b"sur\\ud83d")
    add("lone-surrogates.json", records(data), "read 1",
        "lone high and low surrogates, a short \\u escape, a valid pair: decoded as U+FFFD where broken")
    raw = enc(event(1, userAgent="PLACE1", sourceIPAddress="PLACE2"))
    raw = raw.replace(b"PLACE1", b"\xff\xfe\xc0\x80\xed\xa0\x80 overlong and surrogate")
    raw = raw.replace(b"PLACE2", b"198.51.100.\xff")
    add("invalid-utf8.json", records(raw), "read 1", "raw bytes that are not UTF-8 inside strings")
    ctl = enc(event(1, userAgent="PLACE")).replace(b"PLACE", b"nul\x00 esc\x1b[2J bel\x07 del\x7f")
    add("raw-control-chars.json", records(ctl), "read 1",
        "raw NUL, ESC, BEL and DEL inside a string (invalid JSON, accepted; see note F6)")
    add("terminal-escapes.json", records(event(1, userAgent="\x1b]0;owned\x07\u202e|x|",
                                               userIdentity={"type": "IAMUser", "accountId": "111122223333",
                                                             "arn": "arn:aws:iam::111122223333:user/\x1b[31mred"})),
        "read 1", "escape sequences and a bidi override written as \\u escapes")
    runs = enc(event(1, userAgent="PLACE")).replace(b"PLACE", b"\\\\" * 200 + b'\\"' + b"\\\\" * 3)
    add("backslash-runs.json", records(runs), "read 1", "400 backslashes, an escaped quote, more backslashes")
    add("escaped-key-names.json", records(enc(event(1)).replace(b'"eventName"', b'"event\\u004eame"')), "read 1",
        "eventName written with a \\u escape: not matched, the event counts without an action")
    add("duplicate-keys.json", records(enc(event(1)).replace(b'"eventName":"GetObject"',
                                                            b'"eventName":"GetObject","eventName":"PutObject"')),
        "read 1", "eventName twice: the last one is used")
    add("long-key-and-many-keys.json",
        records(enc(event(1)).replace(b'"eventVersion"', b'"' + b"k" * 5000 + b'":1,'
                                      + b",".join(b'"f%d":%d' % (i, i) for i in range(1000)) + b',"eventVersion"')),
        "read 1", "a 5,000-byte key and 1,000 unknown keys")
    add("many-resources.json", records(event(1, resources=[{"ARN": f"arn:aws:s3:::b/{i}"} for i in range(40)])),
        "read 1", "40 resources (8 are kept)")


def value_files():
    add("numbers-extreme.json", records(enc(event(1)).replace(b'"1.09"', b"-0.0e-999999,\"n\":123456789012345678901234567890e+99999")),
        "read 1", "huge exponents and a 30-digit integer")
    add("numbers-leading-zero.json", records(enc(event(1)).replace(b'"1.09"', b"0123")), "read 1",
        "0123 (invalid JSON, accepted; see note F6)")
    e = enc(event(1)).replace(b'"1.09"', b"NaN")
    add("numbers-nan.json", records(e), bad_json(records(e).index(b"NaN"), "unexpected byte 0x4e"),
        "NaN is not JSON")
    e = enc(event(1)).replace(b'"responseElements":null', b'"responseElements":tru')
    add("literal-truncated.json", records(e), bad_json(records(e).index(b"tru,"), "invalid literal"),
        "`tru`")
    e = b'{1:2}'
    add("key-not-string.json", e, bad_json(1, "expected a key"), "a number as a key")
    times = ["0000-01-01T00:00:00Z", "9999-12-31T23:59:60.999999Z", "2024-02-31T00:00:00+99:99",
             "2024-03-05 10:00:00", "2024-03-05T10:00:00-00:00", "2024-3-5T1:0:0Z", "", "not a time"]
    add("event-times-odd.json", records(*[event(i, eventTime=t) for i, t in enumerate(times)]), "read 8",
        "year 0000, leap second, Feb 31 with +99:99, a space, -00:00, unpadded, empty, text")
    add("event-time-not-string.json", records(event(1, eventTime=1709632800)), "read 1", "a number as eventTime")
    add("wrong-types.json", records(event(1, userIdentity="someone", requestParameters="x=1", resources={"ARN": "x"},
                                          errorCode=False, eventSource=["s3.amazonaws.com"])),
        "read 1", "fields of unexpected types are read as absent")
    add("duplicate-event.json", records(event(1), event(1)), "read 1, duplicates 1",
        "the same record twice in one file")
    add("same-eventid-different-bytes.json", records(event(1), event(1, userAgent="other")), "read 2",
        "two records that share only an eventID are two events")
    add("events-without-id.json", records(event(1, eventID=DROP), event(1, eventID=DROP)), "read 2",
        "identical events with no eventID: not de-duplicated")
    messages = [
        "User: arn:aws:iam::111122223333:user/hostile is not authorized to perform: ",
        "User: ",
        "User: arn:aws:iam::111122223333:user/hostile is not authorized to perform: s3:GetObject on resource: \"",
        "with an explicit deny in a",
        "because no identity-based policy allows the",
        "x" * 6000 + " is not authorized to perform: s3:GetObject with an explicit deny in a resource-based policy",
        "User: arn:aws:iam::111122223333:user/h\u0000 is not authorized to perform: s3:GetObject\u202e",
        "Encoded authorization failure message: " + "A" * 2000,
    ]
    add("denial-messages-hostile.json",
        records(*[event(i, errorCode="AccessDenied", errorMessage=m) for i, m in enumerate(messages)]), "read 8",
        "AccessDenied with cut-off, empty-ish, long and odd errorMessage texts")


def envelope_files():
    e1, e2 = enc(event(1)), enc(event(2))
    add("eventbridge.json", b'{"version":"0","detail-type":"AWS API Call via CloudTrail","source":"aws.s3","detail":'
        + e1 + b"}", "read 1", "an EventBridge event")
    add("eventbridge-double.json", b'{"detail-type":"x","detail":{"detail-type":"x","detail":' + e1 + b"}}", NOT_CT,
        "an envelope inside an envelope: unwrapped one level only")
    add("eventbridge-detail-string.json", b'{"detail-type":"x","detail":"' + e1.replace(b'"', b'\\"') + b'"}', NOT_CT,
        "detail holds the event as a string")
    def cwl(*messages):
        events = [{"id": str(i), "timestamp": 1709632800000, "message": m} for i, m in enumerate(messages)]
        return enc({"messageType": "DATA_MESSAGE", "owner": "111122223333", "logGroup": "g", "logEvents": events})
    add("cloudwatch-logs.json", cwl("CWL CONTROL MESSAGE: Checking health of destination", e1.decode(), e2.decode()),
        "read 2, non-call 1", "a CloudWatch Logs subscription envelope with a control message")
    data = cwl(e1.decode(), "{not json")
    add("cloudwatch-logs-bad-message.json", data,
        bad_json(data.index(b'"{not json') + 1,
                 "in the CloudWatch Logs message that begins there, at byte 1 of its unescaped text: "
                 "expected a key"),
        "one message is not JSON: the file fails; the offset is the message's, and the reason says where in it")
    add("cloudwatch-logs-envelope-in-message.json",
        cwl(e1.decode(), '{"detail-type":"x","detail":' + e2.decode() + "}"), "read 1, unrecognized 1",
        "a message holding an EventBridge envelope is not unwrapped again")
    add("cloudwatch-logs-not-array.json", b'{"messageType":"DATA_MESSAGE","logEvents":{"message":' + json.dumps(e1.decode()).encode() + b"}}",
        NOT_CT, "logEvents is an object")
    add("digest-by-content.json", enc({"awsAccountId": "111122223333", "digestStartTime": "2024-03-05T10:00:00Z",
                                       "digestS3Object": "x", "logFiles": []}),
        "skipped: CloudTrail digest file (recognised by its content)", "a digest file under a log name")
    add("111122223333_CloudTrail-Digest_us-east-1_trail_us-east-1_20240305T103000Z.json.gz", gz(two()),
        "skipped: CloudTrail digest file (integrity hashes, no events)",
        "named like a digest but holds events: set aside by name, never opened")
    add("insight.json", records({"eventVersion": "1.07", "eventTime": "2024-03-05T10:00:00Z", "awsRegion": "us-east-1",
                                 "eventID": "11111111-0000-4000-8000-000000000001", "eventType": "AwsCloudTrailInsight",
                                 "recipientAccountId": "111122223333", "sharedEventID": "x", "insightDetails": {"state": "Start"},
                                 "eventCategory": "Insight"}), "read 0, non-call 1", "one Insights record")
    add("digest-and-event.json", enc({"digestS3Object": "x", "logFiles": []}) + b"\n" + e1 + b"\n", "read 1",
        "a digest-shaped object followed by an event: the file counts its event")


def main():
    gzip_files()
    framing_files()
    nesting_files()
    string_files()
    value_files()
    envelope_files()

    for name in os.listdir(HERE):
        if name not in ("make.py", "EXPECTED.md"):
            os.remove(os.path.join(HERE, name))
    for name, data, _, _ in FILES:
        with open(os.path.join(HERE, name), "wb") as f:
            f.write(data)

    lines = [
        "# Hostile inputs and what `trailaudit report` does with each",
        "",
        "Made by `python3 make.py` (deterministic; rerun it to rebuild every file). Each file is read",
        "alone, as `trailaudit report FILE` or `runReport([path])` in the tests, with the default",
        "options (no `--max-inflated`, `--max-record 16M`). Outcomes:",
        "",
        "- `read N`: the file counts, with N events; `duplicates`, `non-call` and `unrecognized` give",
        "  `input.duplicateEvents`, `input.nonCallRecords` and `input.unrecognizedRecords` when not 0.",
        "- `failed: REASON`: the file is listed under `input.failed` with exactly REASON; none of its",
        "  events count.",
        "- `skipped: REASON`: the file is listed under `input.skipped` with exactly REASON.",
        "",
        "Byte offsets in `invalid JSON` reasons are as the tool reports them today; notes F4-F6 and F8 mark",
        "outcomes that are questionable (see Fuzz/README.md, section Findings).",
        "",
        "| file | outcome | what it is |",
        "|---|---|---|",
    ]
    for name, data, outcome, note in FILES:
        cell, what = outcome.replace("|", "\\|"), note.replace("|", "\\|")
        lines.append(f"| `{name}` | {cell} | {what} |")
    with open(os.path.join(HERE, "EXPECTED.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"{len(FILES)} files, largest {max(len(d) for _, d, _, _ in FILES)} bytes")


if __name__ == "__main__":
    main()
