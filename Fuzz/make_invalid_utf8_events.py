#!/usr/bin/env python3
"""Writes N events as JSONL whose userAgent holds a raw 0xFF byte (finding F7 in README.md).

    python3 Fuzz/make_invalid_utf8_events.py 40000 /tmp/bad.jsonl [good]

With `good` the byte is `?` instead, for the comparison run.
"""
import json
import sys

count, path = int(sys.argv[1]), sys.argv[2]
byte = b"?" if sys.argv[3:] == ["good"] else b"\xff"
with open(path, "wb") as out:
    for i in range(count):
        event = {"eventVersion": "1.09",
                 "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::111122223333:user/u",
                                  "accountId": "111122223333"},
                 "eventTime": "2024-03-05T10:00:00Z", "eventSource": "s3.amazonaws.com",
                 "eventName": "GetObject", "awsRegion": "us-east-1", "sourceIPAddress": "198.51.100.7",
                 "userAgent": "UA", "eventID": "00000000-0000-4000-8000-%012d" % i}
        line = json.dumps(event, separators=(",", ":")).encode()
        out.write(line.replace(b'"UA"', b'"agent' + byte + b'"') + b"\n")
