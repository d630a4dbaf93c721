#!/usr/bin/env python3
"""Generate a realistic, deterministic CloudTrail export tree for benchmarks.

    python3 Benchmarks/generate.py --out DIR --size 1G --seed 42 [--files N]
    python3 Benchmarks/generate.py --out DIR --size 1G --seed 42 --single-file jsonl|records

The tree follows the S3 layout CloudTrail writes (see shared/reference/cloudtrail-facts.md,
section 4): several accounts, some in an organization trail
(`org-trail/AWSLogs/o-xxxxxxxxxx/<account>/CloudTrail/...`), one behind an extra prefix, several
regions, many days, gzip (level 6) `{"Records":[...]}` files named
`<account>_CloudTrail_<region>_<YYYYMMDDTHHMMZ>_<16 alnum>.json.gz`, and hourly digest files under
`CloudTrail-Digest/` (about one per ten log files).

`--size` is the uncompressed size of all log files together (suffix K, M or G, powers of 1024).
The same seed and size always give the same bytes: every file is generated from its own RNG,
seeded from (seed, file number), so the number of worker processes does not change the output.

With `--single-file jsonl` the output is one gzip file of newline-separated events
(DIR/single.jsonl.gz); with `--single-file records` one gzip `{"Records":[...]}` file
(DIR/single.json.gz).

Python 3.11 standard library only. The data is synthetic: ids, accounts and addresses are random.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import hashlib
import json
import math
import multiprocessing
import random
import re
import sys
import time
import uuid
from pathlib import Path

# ---------------------------------------------------------------------------
# Catalog of eventSource -> eventName. Global services are logged in us-east-1 only.

CATALOG = {
    "s3.amazonaws.com": (
        "GetObject PutObject HeadObject DeleteObject CopyObject ListObjects ListObjectVersions "
        "CreateMultipartUpload UploadPart CompleteMultipartUpload DeleteObjects GetObjectTagging "
        "PutObjectTagging GetObjectAcl HeadBucket ListBuckets GetBucketAcl GetBucketPolicy "
        "PutBucketPolicy GetBucketLocation GetBucketVersioning PutBucketTagging GetBucketTagging "
        "GetBucketEncryption PutBucketEncryption GetBucketPublicAccessBlock "
        "PutBucketPublicAccessBlock GetBucketLogging GetBucketOwnershipControls CreateBucket "
        "DeleteBucket GetBucketLifecycle PutBucketLifecycle GetBucketNotification GetBucketCors"
    ),
    "dynamodb.amazonaws.com": (
        "GetItem PutItem UpdateItem DeleteItem Query Scan BatchGetItem BatchWriteItem "
        "TransactWriteItems TransactGetItems DescribeTable ListTables CreateTable UpdateTable "
        "DescribeContinuousBackups ListTagsOfResource DescribeTimeToLive CreateBackup"
    ),
    "lambda.amazonaws.com": (
        "Invoke GetFunction20150331v2 ListFunctions20150331 UpdateFunctionCode20150331v2 "
        "UpdateFunctionConfiguration20150331v2 CreateFunction20150331 AddPermission20150331v2 "
        "PublishVersion20150331 TagResource20170331v2 ListTags20170331 GetPolicy20150331v2 "
        "ListVersionsByFunction20150331 ListEventSourceMappings20150331 "
        "GetFunctionConfiguration20150331v2 DeleteFunction20150331 ListLayers20181031 "
        "GetLayerVersion20181031 GetFunctionUrlConfig"
    ),
    "kms.amazonaws.com": (
        "Decrypt Encrypt GenerateDataKey GenerateDataKeyWithoutPlaintext DescribeKey ListAliases "
        "ListKeys CreateGrant RetireGrant GetKeyPolicy ReEncrypt GetKeyRotationStatus "
        "ListResourceTags PutKeyPolicy ScheduleKeyDeletion"
    ),
    "sts.amazonaws.com": "GetCallerIdentity GetSessionToken DecodeAuthorizationMessage",
    "ec2.amazonaws.com": (
        "DescribeInstances DescribeSecurityGroups DescribeSubnets DescribeVpcs DescribeVolumes "
        "DescribeSnapshots DescribeImages DescribeRegions DescribeAvailabilityZones "
        "DescribeNetworkInterfaces DescribeInstanceStatus DescribeTags DescribeLaunchTemplates "
        "DescribeKeyPairs DescribeAddresses DescribeRouteTables DescribeInstanceAttribute "
        "RunInstances TerminateInstances StartInstances StopInstances CreateTags DeleteTags "
        "AuthorizeSecurityGroupIngress RevokeSecurityGroupIngress CreateSecurityGroup "
        "CreateSnapshot CreateVolume AttachVolume ModifyInstanceAttribute "
        "CreateNetworkInterface DeleteNetworkInterface GetConsoleOutput"
    ),
    "iam.amazonaws.com": (
        "GetRole GetUser ListRoles ListUsers ListPolicies GetPolicy GetPolicyVersion "
        "ListAttachedRolePolicies ListRolePolicies GetRolePolicy CreateRole PutRolePolicy "
        "AttachRolePolicy DetachRolePolicy CreatePolicy CreatePolicyVersion CreateAccessKey "
        "ListAccessKeys GetAccountSummary ListInstanceProfilesForRole TagRole "
        "UpdateAssumeRolePolicy CreateServiceLinkedRole GenerateServiceLastAccessedDetails "
        "GetAccountAuthorizationDetails ListMFADevices GetLoginProfile ListGroupsForUser"
    ),
    "monitoring.amazonaws.com": (
        "PutMetricData GetMetricData GetMetricStatistics DescribeAlarms PutMetricAlarm "
        "ListMetrics DeleteAlarms DescribeAlarmHistory"
    ),
    "email.amazonaws.com": (
        "SendEmail SendRawEmail GetSendQuota ListIdentities GetIdentityVerificationAttributes "
        "VerifyEmailIdentity"
    ),
    "logs.amazonaws.com": (
        "CreateLogStream DescribeLogGroups DescribeLogStreams FilterLogEvents GetLogEvents "
        "CreateLogGroup PutRetentionPolicy StartQuery GetQueryResults PutSubscriptionFilter"
    ),
    "sqs.amazonaws.com": (
        "SendMessage ReceiveMessage DeleteMessage GetQueueAttributes GetQueueUrl ListQueues "
        "CreateQueue SetQueueAttributes PurgeQueue"
    ),
    "sns.amazonaws.com": (
        "Publish ListTopics GetTopicAttributes Subscribe CreateTopic ListSubscriptionsByTopic "
        "SetTopicAttributes"
    ),
    "secretsmanager.amazonaws.com": (
        "GetSecretValue DescribeSecret ListSecrets PutSecretValue CreateSecret RotateSecret "
        "UpdateSecret BatchGetSecretValue"
    ),
    "ssm.amazonaws.com": (
        "GetParameter GetParameters GetParametersByPath PutParameter DescribeParameters "
        "SendCommand StartSession DescribeInstanceInformation UpdateInstanceInformation "
        "ListCommandInvocations GetCommandInvocation"
    ),
    "cloudformation.amazonaws.com": (
        "DescribeStacks DescribeStackEvents CreateStack UpdateStack DeleteStack ListStacks "
        "GetTemplate DescribeStackResources CreateChangeSet ExecuteChangeSet DescribeChangeSet "
        "ValidateTemplate ListStackResources"
    ),
    "ecr.amazonaws.com": (
        "GetAuthorizationToken BatchGetImage GetDownloadUrlForLayer BatchCheckLayerAvailability "
        "PutImage InitiateLayerUpload UploadLayerPart CompleteLayerUpload DescribeRepositories "
        "DescribeImages ListImages CreateRepository"
    ),
    "ecs.amazonaws.com": (
        "DescribeClusters DescribeServices DescribeTasks ListTasks RunTask UpdateService "
        "RegisterTaskDefinition DescribeTaskDefinition ListServices DeregisterTaskDefinition"
    ),
    "eks.amazonaws.com": "DescribeCluster ListClusters ListNodegroups DescribeNodegroup",
    "rds.amazonaws.com": (
        "DescribeDBInstances DescribeDBClusters CreateDBSnapshot ModifyDBInstance "
        "DescribeDBSnapshots StartDBInstance StopDBInstance DescribeDBParameterGroups "
        "ListTagsForResource"
    ),
    "elasticloadbalancing.amazonaws.com": (
        "DescribeLoadBalancers DescribeTargetGroups DescribeTargetHealth RegisterTargets "
        "DeregisterTargets DescribeListeners ModifyTargetGroupAttributes DescribeTags"
    ),
    "autoscaling.amazonaws.com": (
        "DescribeAutoScalingGroups UpdateAutoScalingGroup SetDesiredCapacity "
        "DescribeScalingActivities DescribeLaunchConfigurations CompleteLifecycleAction "
        "DescribeLifecycleHooks"
    ),
    "route53.amazonaws.com": (
        "ListHostedZones ChangeResourceRecordSets ListResourceRecordSets GetChange GetHostedZone"
    ),
    "cloudtrail.amazonaws.com": (
        "DescribeTrails GetTrailStatus LookupEvents GetEventSelectors ListTrails "
        "PutEventSelectors UpdateTrail"
    ),
    "config.amazonaws.com": (
        "PutEvaluations DescribeConfigRules DescribeConfigurationRecorders "
        "GetComplianceDetailsByConfigRule DescribeDeliveryChannels BatchGetResourceConfig "
        "SelectResourceConfig"
    ),
    "organizations.amazonaws.com": (
        "DescribeOrganization ListAccounts ListPoliciesForTarget DescribePolicy ListRoots "
        "ListOrganizationalUnitsForParent DescribeAccount"
    ),
    "sso.amazonaws.com": (
        "ListAccountAssignments ListPermissionSets DescribePermissionSet ListInstances"
    ),
    "signin.amazonaws.com": "ConsoleLogin",
    "athena.amazonaws.com": (
        "StartQueryExecution GetQueryExecution GetQueryResults ListWorkGroups GetWorkGroup "
        "StopQueryExecution"
    ),
    "glue.amazonaws.com": (
        "GetTable GetTables GetDatabase GetDatabases GetPartitions CreateTable UpdateTable "
        "BatchCreatePartition StartJobRun GetJobRun GetCrawler"
    ),
    "events.amazonaws.com": "PutEvents PutRule PutTargets DescribeRule ListRules ListTargetsByRule",
    "states.amazonaws.com": (
        "StartExecution DescribeExecution ListExecutions DescribeStateMachine SendTaskSuccess "
        "GetExecutionHistory"
    ),
    "apigateway.amazonaws.com": "GetRestApis GetResources CreateDeployment UpdateStage GetStages",
    "cloudfront.amazonaws.com": (
        "ListDistributions GetDistribution CreateInvalidation GetDistributionConfig "
        "UpdateDistribution"
    ),
    "acm.amazonaws.com": "DescribeCertificate ListCertificates RequestCertificate GetCertificate",
    "elasticache.amazonaws.com": "DescribeCacheClusters DescribeReplicationGroups",
    "kinesis.amazonaws.com": "DescribeStream ListStreams PutRecords GetRecords GetShardIterator",
    "firehose.amazonaws.com": "DescribeDeliveryStream ListDeliveryStreams PutRecordBatch",
    "guardduty.amazonaws.com": "ListDetectors GetFindings ListFindings GetDetector",
    "securityhub.amazonaws.com": "GetFindings BatchImportFindings BatchUpdateFindings",
    "access-analyzer.amazonaws.com": "ListAnalyzers ValidatePolicy ListFindings",
    "tagging.amazonaws.com": "GetResources GetTagKeys",
}

GLOBAL_SOURCES = {
    "iam.amazonaws.com", "organizations.amazonaws.com", "route53.amazonaws.com",
    "cloudfront.amazonaws.com", "signin.amazonaws.com",
}

# Data events (eventCategory "Data", managementEvent false).
DATA_EVENTS = {
    ("s3.amazonaws.com", name) for name in (
        "GetObject PutObject HeadObject DeleteObject CopyObject ListObjects ListObjectVersions "
        "CreateMultipartUpload UploadPart CompleteMultipartUpload DeleteObjects GetObjectTagging "
        "PutObjectTagging GetObjectAcl HeadBucket"
    ).split()
} | {
    ("dynamodb.amazonaws.com", name) for name in (
        "GetItem PutItem UpdateItem DeleteItem Query Scan BatchGetItem BatchWriteItem "
        "TransactWriteItems TransactGetItems"
    ).split()
} | {
    ("lambda.amazonaws.com", "Invoke"), ("sqs.amazonaws.com", "SendMessage"),
    ("sqs.amazonaws.com", "ReceiveMessage"), ("sqs.amazonaws.com", "DeleteMessage"),
    ("sns.amazonaws.com", "Publish"), ("kinesis.amazonaws.com", "PutRecords"),
    ("kinesis.amazonaws.com", "GetRecords"), ("kinesis.amazonaws.com", "GetShardIterator"),
}

READ_PREFIXES = (
    "Describe", "List", "Get", "Head", "Lookup", "Query", "Scan", "BatchGet", "Filter",
    "Validate", "Decrypt", "Encrypt", "Generate", "Select", "TransactGet", "Receive",
    "BatchCheck",
)

# Error code for an authorization failure, by protocol (facts 3.1).
JSON_PROTOCOL = {
    "kms", "lambda", "dynamodb", "secretsmanager", "ecr", "ecs", "logs", "ssm", "events",
    "states", "glue", "athena", "kinesis", "firehose", "acm", "organizations", "sso",
    "cloudtrail", "config", "guardduty", "securityhub", "eks", "apigateway",
    "access-analyzer", "tagging",
}
IAM_PREFIX = {"monitoring": "cloudwatch", "email": "ses"}
LAMBDA_VERSION = re.compile(r"\d{4}_?\d{2}_?\d{2}(v\d+)?$")

REGIONS = [
    "us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2", "ap-northeast-1",
    "ca-central-1", "sa-east-1",
]

USER_AGENTS_SDK = [
    "aws-cli/2.15.30 md/awscrt#0.19.19 ua/2.0 os/linux#6.1.0-18-amd64 md/arch#x86_64 "
    "lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe "
    "md/distrib#debian.12 md/prompt#off md/command#{cmd}",
    "Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#5.10.213-201.855.amzn2.x86_64 "
    "md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 "
    "cfg/retry-mode#legacy Botocore/1.34.69",
    "aws-sdk-go-v2/1.26.1 os/linux lang/go#1.22.2 md/GOOS#linux md/GOARCH#amd64 api/{svc}#1.31.1",
    "aws-sdk-java/2.25.16 Linux/5.10.213-201.855.amzn2.x86_64 "
    "OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS Java/17.0.10 vendor/Amazon.com_Inc. io/sync "
    "http/Apache cfg/retry-mode/legacy",
    "aws-sdk-js/3.540.0 ua/2.0 os/linux#5.10.213-201.855.amzn2.x86_64 lang/js md/nodejs#20.11.1 "
    "api/{svc}#3.540.0 exec-env/AWS_Lambda_nodejs20.x",
    "APN/1.0 HashiCorp/1.0 Terraform/1.7.5 (+https://www.terraform.io) "
    "terraform-provider-aws/5.43.0 (+https://registry.terraform.io/providers/hashicorp/aws) "
    "aws-sdk-go-v2/1.26.0 os/linux "
    "lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64 api/{svc}#1.30.4",
]
USER_AGENT_CONSOLE = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/123.0.0.0 Safari/537.36"
)

ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"

FIVE_MINUTES = 300
EVENT_BYTES_HINT = 1500  # rough mean event size, used only to plan duplicates

# ---------------------------------------------------------------------------
# Small helpers


def parse_size(text: str) -> int:
    """`20M` -> 20 * 1024**2; suffix K, M or G (powers of 1024), or plain bytes."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMG]?)B?\s*", text.upper())
    if not match:
        raise argparse.ArgumentTypeError(f"size {text!r} is not like 500K, 20M or 1G")
    factor = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3}[match[2]]
    return int(float(match[1]) * factor)


def stable_int(*parts: object) -> int:
    """A 64-bit integer from a hash of the parts; the same in every process and run."""
    digest = hashlib.blake2b("|".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def stable_key(prefix: str, *parts: object) -> str:
    """An AKIA/ASIA-style key id (prefix + 16 base32 characters) from a hash of the parts."""
    digest = hashlib.blake2b("|".join(map(str, parts)).encode(), digest_size=16).digest()
    return prefix + encode(int.from_bytes(digest, "big"), BASE32, 16)


def encode(number: int, alphabet: str, length: int) -> str:
    chars = []
    for _ in range(length):
        number, digit = divmod(number, len(alphabet))
        chars.append(alphabet[digit])
    return "".join(chars)


def rand_str(rng: random.Random, alphabet: str, length: int) -> str:
    return encode(rng.getrandbits(6 * length + 8), alphabet, length)


def key_id(prefix: str, rng: random.Random) -> str:
    """AKIA/ASIA/AROA/AIDA-style 20/21-character ids."""
    return prefix + rand_str(rng, BASE32, 16 if prefix in ("AKIA", "ASIA") else 17)


def iso(epoch: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def console_date(epoch: int) -> str:
    """The free-text date STS writes in responseElements: `Mar 1, 2025, 1:02:03 PM`."""
    t = time.gmtime(epoch)
    hour = t.tm_hour % 12 or 12
    return (f"{time.strftime('%b', t)} {t.tm_mday}, {t.tm_year}, "
            f"{hour}:{t.tm_min:02d}:{t.tm_sec:02d} {'AM' if t.tm_hour < 12 else 'PM'}")


def service_label(source: str) -> str:
    return source.split(".amazonaws.com")[0]


def iam_action(source: str, name: str) -> str:
    """eventSource/eventName -> IAM action, for denial messages (facts App. A/B)."""
    label = service_label(source)
    prefix = IAM_PREFIX.get(label, label)
    if label == "lambda":
        name = "InvokeFunction" if name == "Invoke" else LAMBDA_VERSION.sub("", name)
    elif label == "s3":
        name = {"ListObjects": "ListBucket", "HeadObject": "GetObject", "HeadBucket": "ListBucket",
                "ListBuckets": "ListAllMyBuckets", "ListObjectVersions": "ListBucketVersions",
                "CopyObject": "PutObject", "UploadPart": "PutObject",
                "CreateMultipartUpload": "PutObject", "CompleteMultipartUpload": "PutObject",
                "DeleteObjects": "DeleteObject"}.get(name, name)
    return f"{prefix}:{name}"


def is_read_only(name: str) -> bool:
    return name.startswith(READ_PREFIXES)


# ---------------------------------------------------------------------------
# The world: accounts, resources and principals, all from the seed.

ACCOUNT_NAMES = [
    ("management", "org"), ("log-archive", "org"), ("security-tooling", "org"),
    ("payments-prod", "org"), ("payments-staging", "org"), ("data-prod", "org"),
    ("data-dev", "org"), ("web-prod", "org"), ("platform-shared", "plain"),
    ("sandbox-research", "plain"), ("legacy-billing", "prefixed"), ("media-archive", "prefixed"),
]
APP_WORDS = [
    "orders", "payments", "ledger", "invoices", "catalog", "search", "ingest", "etl", "reports",
    "notifications", "auth", "profile", "checkout", "inventory", "shipping", "analytics",
    "thumbnails", "exports", "billing", "audit",
]
TEAMS = ["payments", "data", "platform", "web", "growth", "security", "ml"]
PEOPLE = [
    "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory",
    "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter", "yasmin",
]
SSO_SETS = ["AdministratorAccess", "ReadOnlyAccess", "PowerUserAccess", "DataEngineer",
            "BillingAccess", "SecurityAudit"]
SERVICE_LINKED = [
    ("autoscaling.amazonaws.com", "AWSServiceRoleForAutoScaling", "AutoScaling",
     ["ec2:DescribeInstances", "ec2:RunInstances", "ec2:TerminateInstances", "ec2:CreateTags",
      "elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets",
      "elasticloadbalancing:DescribeTargetHealth"]),
    ("ecs.amazonaws.com", "AWSServiceRoleForECS", "ecs-service-scheduler",
     ["ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:DescribeNetworkInterfaces",
      "elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DescribeTargetGroups"]),
    ("config.amazonaws.com", "AWSServiceRoleForConfig", "AWSConfig-Describe",
     ["ec2:DescribeInstances", "ec2:DescribeSecurityGroups", "ec2:DescribeVpcs",
      "iam:GetRole", "iam:ListRoles", "s3:GetBucketPolicy", "s3:GetBucketAcl",
      "lambda:ListFunctions20150331", "rds:DescribeDBInstances", "kms:DescribeKey",
      "config:PutEvaluations", "s3:GetBucketEncryption", "s3:GetBucketVersioning"]),
    ("guardduty.amazonaws.com", "AWSServiceRoleForAmazonGuardDuty", "AmazonGuardDuty",
     ["ec2:DescribeInstances", "ec2:DescribeImages", "s3:GetBucketPublicAccessBlock",
      "s3:GetBucketAcl", "s3:ListBuckets", "eks:ListClusters"]),
    ("access-analyzer.amazonaws.com", "AWSServiceRoleForAccessAnalyzer", "access-analyzer",
     ["iam:ListRoles", "iam:GetRole", "s3:GetBucketPolicy", "kms:GetKeyPolicy",
      "kms:ListKeys", "sqs:GetQueueAttributes", "secretsmanager:ListSecrets"]),
    ("elasticloadbalancing.amazonaws.com", "AWSServiceRoleForElasticLoadBalancing",
     "ElasticLoadBalancing",
     ["ec2:DescribeNetworkInterfaces", "ec2:CreateNetworkInterface", "ec2:DescribeSubnets"]),
]
AWS_SERVICE_CALLERS = [
    ("cloudtrail.amazonaws.com", ["s3:GetBucketAcl", "s3:PutObject", "kms:GenerateDataKey"]),
    ("config.amazonaws.com", ["s3:GetBucketAcl", "s3:PutObject", "sns:Publish"]),
    ("lambda.amazonaws.com", ["kms:Decrypt", "sqs:ReceiveMessage", "sqs:DeleteMessage"]),
    ("logs.amazonaws.com", ["kms:Decrypt", "kms:GenerateDataKey"]),
]


def make_resources(rng: random.Random, account: str, name: str, apps: list[str]) -> dict:
    """Named resources of one account, per service."""
    env = name.split("-")[-1]
    res = {
        "bucket": [f"{name}-{word}-{account}" for word in
                   rng.sample(["artifacts", "uploads", "exports", "backups", "static-assets",
                               "datalake-raw", "datalake-curated", "logs", "reports"], 5)],
        "table": [f"{app}-{env}" for app in apps[:4]] + [f"{apps[0]}-sessions"],
        "function": [f"{app}-{verb}" for app in apps for verb in
                     rng.sample(["handler", "worker", "api", "cron", "consumer"], 2)],
        "key": [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(4)],
        "queue": [f"{app}-{kind}" for app in apps[:3] for kind in ("events", "dlq")],
        "topic": [f"{app}-alerts" for app in apps[:3]],
        "secret": [f"{env}/{app}/db-credentials" for app in apps[:3]]
                  + [f"{env}/{apps[0]}/api-key"],
        "parameter": [f"/{env}/{app}/{leaf}" for app in apps[:3]
                      for leaf in ("db-host", "feature-flags")],
        "loggroup": [f"/aws/lambda/{app}-handler" for app in apps] + [f"/ecs/{apps[0]}"],
        "instance": [f"i-0{rng.getrandbits(64):016x}"[:19] for _ in range(6)],
        "cluster": [f"{name}-cluster"],
        "repo": [f"{app}" for app in apps],
        "stack": [f"{app}-{env}" for app in apps] + [f"{name}-network"],
        "zone": [f"Z{rand_str(rng, BASE32[:26] + '0123456789', 13)}"],
        "stream": [f"{apps[0]}-clickstream"],
        "statemachine": [f"{apps[1]}-workflow"],
        "sg": [f"sg-0{rng.getrandbits(64):016x}"[:20] for _ in range(3)],
        "subnet": [f"subnet-0{rng.getrandbits(64):016x}"[:24] for _ in range(3)],
        "vpc": [f"vpc-0{rng.getrandbits(64):016x}"[:21]],
        "database": [f"{apps[0]}_{env}", "analytics"],
    }
    return res


class Principal:
    """One caller: its userIdentity shape, its usual actions and where it calls from."""

    def __init__(self, kind: str, account: "Account", **fields):
        self.kind = kind  # role, service-linked, sso, user, root, service, federated
        self.account = account
        self.__dict__.update(fields)
        # Which USER_AGENTS_SDK entries this caller uses.
        flavor = fields.get("flavor", "")
        self.agents = {"lambda": [1, 4], "ec2": [2, 3], "ecs-task": [2, 3], "app": [2, 3, 4],
                       "github": [4], "terraform": [5]}.get(flavor, [0, 5])
        self.pairs: list[tuple[str, str]] = []
        self.cum: list[float] = []
        self.regional_pairs: list[tuple[str, str]] = []
        self.regional_cum: list[float] = []

    def set_profile(self, rng: random.Random, pairs: list[tuple[str, str]]) -> None:
        """Zipf-like weights over the principal's actions, reads weighted up."""
        pairs = list(dict.fromkeys(pairs))
        rng.shuffle(pairs)
        weights = [(3.0 if is_read_only(n) else 1.0) / (i + 1) ** 1.1
                   for i, (_, n) in enumerate(pairs)]
        self.pairs, self.cum = pairs, _cumulative(weights)
        regional = [(p, w) for p, w in zip(pairs, weights) if p[0] not in GLOBAL_SOURCES]
        if not regional:
            regional = [(("sts.amazonaws.com", "GetCallerIdentity"), 1.0)]
        self.regional_pairs = [p for p, _ in regional]
        self.regional_cum = _cumulative([w for _, w in regional])


def _cumulative(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


class Account:
    """One AWS account with its S3 layout, regions, resources and principals."""

    def __init__(self, rng: random.Random, name: str, layout: str, org_id: str, index: int):
        self.name = name
        self.id = f"{rng.randrange(10**11, 10**12):012d}"
        self.layout = layout
        if layout == "org":
            self.base = ("org-trail", "AWSLogs", org_id, self.id)
            self.trail, self.home = "org-trail", "us-east-1"
        elif layout == "prefixed":
            self.base = ("legacy", "cloudtrail", "AWSLogs", self.id)
            self.trail, self.home = f"{name}-trail", "us-east-1"
        else:
            self.base = ("AWSLogs", self.id)
            self.trail, self.home = "management-events", "us-east-1"
        count = 1 + min(index % 4, 3) + (1 if rng.random() < 0.3 else 0)
        self.regions = ["us-east-1"] + rng.sample(REGIONS[1:], count - 1)
        self.weight = rng.lognormvariate(0, 0.8)
        self.apps = rng.sample(APP_WORDS, 5)
        self.res = make_resources(rng, self.id, name, self.apps)
        self.principals: list[Principal] = []
        self.cum: list[float] = []


class World:
    """Everything shared by all files, rebuilt identically in each worker from the seed."""

    def __init__(self, seed: int):
        rng = random.Random(f"world/{seed}")
        self.seed = seed
        self.org_id = "o-" + rand_str(rng, LOWER_ALNUM, 10)
        self.accounts = [Account(rng, name, layout, self.org_id, i)
                         for i, (name, layout) in enumerate(ACCOUNT_NAMES)]
        self.all_pairs = [(src, name) for src, names in CATALOG.items() for name in names.split()]
        self.github_org = rng.choice(["acme-corp", "example-co", "initech", "globex"])
        for account in self.accounts:
            self._add_principals(rng, account)
            weights = [p.weight for p in account.principals]
            account.cum = _cumulative(weights)
        self.principal_count = sum(len(a.principals) for a in self.accounts)

    # -- principals -------------------------------------------------------

    def _pairs_for(self, rng: random.Random, sources: list[str], count: int,
                   read_only: bool = False) -> list[tuple[str, str]]:
        pool = [p for p in self.all_pairs if p[0] in sources
                and (not read_only or is_read_only(p[1]))]
        return rng.sample(pool, min(count, len(pool)))

    def _add_principals(self, rng: random.Random, account: Account) -> None:
        acct = account.id
        add = account.principals.append
        data_sources = ["s3.amazonaws.com", "dynamodb.amazonaws.com", "kms.amazonaws.com",
                        "sqs.amazonaws.com", "sns.amazonaws.com", "secretsmanager.amazonaws.com",
                        "ssm.amazonaws.com", "logs.amazonaws.com", "monitoring.amazonaws.com",
                        "email.amazonaws.com", "lambda.amazonaws.com", "events.amazonaws.com",
                        "states.amazonaws.com", "kinesis.amazonaws.com", "firehose.amazonaws.com"]

        # Application roles with paths, assumed by services or other roles.
        for app in account.apps:
            team = rng.choice(TEAMS)
            for flavor in rng.sample(["app", "lambda", "ec2", "ecs-task"], 2):
                if flavor == "lambda":
                    suffix = rand_str(rng, LOWER_ALNUM, 8)
                    path, name = "service-role/", f"{app}-handler-role-{suffix}"
                elif flavor == "ec2":
                    path, name = "ec2/", f"{app}-instance-role"
                elif flavor == "ecs-task":
                    path, name = f"{team}/", f"{app}-task-role"
                else:
                    path, name = f"{team}/", f"{app}-app-role"
                p = self._role(rng, account, flavor, path, name)
                sources = rng.sample(data_sources, rng.randint(3, 6))
                pairs = self._pairs_for(rng, sources, rng.randint(6, 22))
                pairs.append(("s3.amazonaws.com", rng.choice(["GetObject", "PutObject"])))
                if flavor == "ec2":
                    pairs += [("ssm.amazonaws.com", "UpdateInstanceInformation"),
                              ("ec2.amazonaws.com", "DescribeTags"),
                              ("monitoring.amazonaws.com", "PutMetricData")]
                if flavor == "lambda":
                    pairs += [("logs.amazonaws.com", "CreateLogStream"),
                              ("kms.amazonaws.com", "Decrypt")]
                p.set_profile(rng, pairs)
                p.weight = rng.lognormvariate(1.0, 1.0)
                add(p)

        # CI roles: GitHub Actions through OIDC, and a Terraform role assumed cross-account.
        ci = self._role(rng, account, "github", "ci/", "github-actions-deploy")
        ci.repos = [f"{self.github_org}/{app}-service" for app in account.apps[:3]] + [
            f"{self.github_org}/infrastructure"]
        ci.set_profile(rng, self._pairs_for(rng, [
            "cloudformation.amazonaws.com", "s3.amazonaws.com", "ecr.amazonaws.com",
            "lambda.amazonaws.com", "ecs.amazonaws.com", "iam.amazonaws.com",
            "sts.amazonaws.com"], rng.randint(25, 45)))
        ci.weight = rng.lognormvariate(0.5, 0.7)
        add(ci)
        tf = self._role(rng, account, "terraform", "platform/", "terraform-apply")
        tf.set_profile(rng, self._pairs_for(rng, list(CATALOG), rng.randint(40, 80)))
        tf.weight = rng.lognormvariate(0, 0.7)
        add(tf)

        # Service-linked roles.
        for service, role_name, session, actions in rng.sample(SERVICE_LINKED, 4):
            p = self._role(rng, account, "service-linked", f"aws-service-role/{service}/",
                           role_name)
            p.service, p.session_fixed = service, session
            p.set_profile(rng, [_split_action(a) for a in actions])
            p.weight = rng.lognormvariate(0.3, 0.6)
            add(p)

        # IAM Identity Center roles.
        region = rng.choice(["us-east-1", "eu-west-1", "us-west-2"])
        for permission_set in rng.sample(SSO_SETS, rng.randint(3, 4)):
            suffix = f"{rng.getrandbits(64):016x}"
            p = self._role(rng, account, "sso",
                           f"aws-reserved/sso.amazonaws.com/{region}/",
                           f"AWSReservedSSO_{permission_set}_{suffix}")
            p.people = [f"{who}@{self.github_org}.example" for who in rng.sample(PEOPLE, 3)]
            read_only = permission_set in ("ReadOnlyAccess", "SecurityAudit", "BillingAccess")
            p.set_profile(rng, self._pairs_for(rng, list(CATALOG), rng.randint(30, 90),
                                               read_only=read_only))
            p.weight = rng.lognormvariate(0, 0.8)
            p.saml_provider = (f"arn:aws:iam::{acct}:saml-provider/"
                               f"AWSSSO_{rng.getrandbits(64):016x}_DO_NOT_DELETE")
            add(p)

        # IAM users.
        for path, name in rng.sample([("", "ci-legacy"), ("admin/", rng.choice(PEOPLE)),
                                      ("svc/", "backup-agent"), ("svc/", "datadog-integration"),
                                      ("", "terraform-bootstrap")], 3):
            p = Principal("user", account, path=path, name=name,
                          arn=f"arn:aws:iam::{acct}:user/{path}{name}",
                          principal_id=key_id("AIDA", rng), access_key=key_id("AKIA", rng),
                          ips=_ips(rng, 2))
            p.set_profile(rng, self._pairs_for(rng, list(CATALOG), rng.randint(8, 30)))
            p.weight = rng.lognormvariate(-0.3, 0.8)
            add(p)

        # The root user: rare, mostly console.
        root = Principal("root", account, arn=f"arn:aws:iam::{acct}:root", ips=_ips(rng, 1))
        root.set_profile(rng, [("signin.amazonaws.com", "ConsoleLogin"),
                               ("iam.amazonaws.com", "GetAccountSummary"),
                               ("iam.amazonaws.com", "ListUsers"),
                               ("s3.amazonaws.com", "ListBuckets"),
                               ("organizations.amazonaws.com", "DescribeOrganization")])
        root.weight = 0.15
        add(root)

        # AWS services calling on their own behalf.
        for service, actions in AWS_SERVICE_CALLERS:
            p = Principal("service", account, service=service)
            p.set_profile(rng, [_split_action(a) for a in actions])
            p.weight = rng.lognormvariate(0, 0.5)
            add(p)

        # A federated user (GetFederationToken) issued by an IAM user.
        issuer = next(p for p in account.principals if p.kind == "user")
        fed = Principal("federated", account, name=f"{rng.choice(['jenkins', 'broker'])}-session",
                        issuer=issuer, ips=_ips(rng, 1))
        fed.set_profile(rng, self._pairs_for(rng, ["s3.amazonaws.com", "ec2.amazonaws.com",
                                                    "sqs.amazonaws.com"], 8))
        fed.weight = 0.6
        add(fed)

    def _role(self, rng: random.Random, account: Account, flavor: str, path: str,
              name: str) -> Principal:
        acct = account.id
        return Principal(
            "service-linked" if flavor == "service-linked" else "sso" if flavor == "sso"
            else "role", account, flavor=flavor, path=path, name=name,
            arn=f"arn:aws:iam::{acct}:role/{path}{name}", role_id=key_id("AROA", rng),
            ips=_ips(rng, 3),
        )


def _split_action(action: str) -> tuple[str, str]:
    """`cloudwatch:PutMetricData` -> (`monitoring.amazonaws.com`, `PutMetricData`)."""
    prefix, name = action.split(":")
    label = {"cloudwatch": "monitoring", "ses": "email"}.get(prefix, prefix)
    return f"{label}.amazonaws.com", name


def _ips(rng: random.Random, count: int) -> list[str]:
    firsts = [3, 18, 34, 35, 44, 52, 54, 81, 91, 185, 198, 203]
    return [f"{rng.choice(firsts)}.{rng.randrange(256)}.{rng.randrange(256)}."
            f"{rng.randrange(1, 255)}" for _ in range(count)]


# ---------------------------------------------------------------------------
# Events


class EventFactory:
    """Builds events for one file window; all randomness comes from the given RNG."""

    def __init__(self, world: World, account: Account, region: str, delivered: int):
        self.world = world
        self.account = account
        self.region = region
        self.delivered = delivered
        self.time_cache: dict[int, str] = {}
        self.identity_cache: dict[tuple[int, int], dict] = {}
        self.stats = {"events": 0, "assume": 0, "denied": 0, "errors": 0, "duplicates": 0}

    # -- time and identity --------------------------------------------------

    def event_time(self, rng: random.Random) -> tuple[int, str]:
        """Mostly inside the file's 5-minute window, some late arrivals."""
        roll = rng.random()
        if roll < 0.88:
            epoch = self.delivered - 1 - rng.randrange(FIVE_MINUTES)
        elif roll < 0.98:
            epoch = self.delivered - FIVE_MINUTES - 1 - rng.randrange(2 * FIVE_MINUTES)
        else:
            epoch = self.delivered - 3 * FIVE_MINUTES - 1 - rng.randrange(45 * 60)
        text = self.time_cache.get(epoch)
        if text is None:
            text = self.time_cache[epoch] = iso(epoch)
        return epoch, text

    def session(self, p: Principal, hour: int) -> tuple[str, str, int]:
        """(session name, ASIA key, creation epoch) of a role's session in one hour.

        Derived from a hash, so an AssumeRole event in any file and the calls made
        with its credentials agree on the key without sharing state.
        """
        h = stable_int(self.world.seed, p.arn, hour)
        created = hour * 3600 - 60 - h % 840
        flavor = getattr(p, "flavor", "")
        if p.kind == "sso":
            name = p.people[h % len(p.people)]
        elif p.kind == "service-linked":
            name = p.session_fixed
        elif flavor == "ec2":
            name = self.account.res["instance"][h % len(self.account.res["instance"])]
        elif flavor == "lambda":
            name = self.account.res["function"][h % len(self.account.res["function"])]
        elif flavor == "github":
            name = f"GitHubActions-{8_000_000_000 + h % 999_999_999}"
        elif flavor == "terraform":
            name = f"terraform-{created}"
        else:
            name = f"botocore-session-{created}"
        return name, stable_key("ASIA", self.world.seed, p.arn, hour), created

    def identity(self, p: Principal, epoch: int, index: int) -> dict:
        hour = epoch // 3600
        cached = self.identity_cache.get((index, hour))
        if cached is not None:
            return cached
        acct = self.account.id
        if p.kind in ("role", "service-linked", "sso"):
            name, key, created = self.session(p, hour)
            ident = {
                "type": "AssumedRole",
                "principalId": f"{p.role_id}:{name}",
                "arn": f"arn:aws:sts::{acct}:assumed-role/{p.name}/{name}",
                "accountId": acct,
                "accessKeyId": key,
                "sessionContext": {
                    "sessionIssuer": {"type": "Role", "principalId": p.role_id, "arn": p.arn,
                                      "accountId": acct, "userName": p.name},
                    "webIdFederationData": {},
                    "attributes": {"creationDate": iso(created), "mfaAuthenticated": "false"},
                },
            }
            if getattr(p, "flavor", "") == "ec2":
                ident["sessionContext"]["ec2RoleDelivery"] = "2.0"
            if p.kind == "service-linked":
                ident["invokedBy"] = p.service
        elif p.kind == "user":
            ident = {"type": "IAMUser", "principalId": p.principal_id, "arn": p.arn,
                     "accountId": acct, "accessKeyId": p.access_key, "userName": p.name}
        elif p.kind == "root":
            ident = {"type": "Root", "principalId": acct, "arn": p.arn, "accountId": acct,
                     "accessKeyId": stable_key("ASIA", self.world.seed, p.arn, hour)}
        elif p.kind == "service":
            ident = {"type": "AWSService", "invokedBy": p.service}
        else:  # federated
            issuer = p.issuer
            ident = {
                "type": "FederatedUser",
                "principalId": f"{acct}:{p.name}",
                "arn": f"arn:aws:sts::{acct}:federated-user/{p.name}",
                "accountId": acct,
                "accessKeyId": stable_key("ASIA", self.world.seed, p.name, acct, hour),
                "sessionContext": {
                    "sessionIssuer": {"type": "IAMUser", "principalId": issuer.principal_id,
                                      "arn": issuer.arn, "accountId": acct,
                                      "userName": issuer.name},
                    "webIdFederationData": {},
                    "attributes": {"creationDate": iso(hour * 3600 - 120),
                                   "mfaAuthenticated": "false"},
                },
            }
        self.identity_cache[(index, hour)] = ident
        return ident

    def caller_arn(self, ident: dict) -> str:
        return ident.get("arn") or f"arn:aws:iam::{self.account.id}:root"

    def source_ip_and_agent(self, rng: random.Random, p: Principal, source: str) -> tuple[str, str]:
        if p.kind in ("service", "service-linked"):
            return p.service, p.service
        if p.kind in ("sso", "root") and rng.random() < 0.6:
            return rng.choice(p.ips), USER_AGENT_CONSOLE
        label = service_label(source)
        agent = USER_AGENTS_SDK[rng.choice(p.agents)].format(svc=label, cmd=f"{label}.list")
        return rng.choice(p.ips), agent

    # -- one event -----------------------------------------------------------

    def make(self, rng: random.Random, principals: list[int], cum: list[float]) -> dict:
        """One event from one of the file's active principals."""
        if rng.random() < 0.072:
            return self.assume_role_event(rng)
        account = self.account
        index = principals[_pick(rng, cum)]
        p = account.principals[index]
        if self.region == "us-east-1":
            source, name = p.pairs[_pick(rng, p.cum)]
        else:
            source, name = p.regional_pairs[_pick(rng, p.regional_cum)]
        epoch, when = self.event_time(rng)
        ident = self.identity(p, epoch, index)
        ip, agent = self.source_ip_and_agent(rng, p, source)
        params, response, resources, extra = self.body(rng, source, name, p)
        data_event = (source, name) in DATA_EVENTS
        event = {
            "eventVersion": "1.11" if data_event else rng.choice(("1.08", "1.09", "1.10", "1.11")),
            "userIdentity": ident,
            "eventTime": when,
            "eventSource": source,
            "eventName": name,
            "awsRegion": self.region,
            "sourceIPAddress": ip,
            "userAgent": agent,
        }
        self.add_outcome(rng, event, p, ident, source, name, params, response, resources)
        if extra is not None:
            event["additionalEventData"] = extra
        event["requestID"] = (rand_str(rng, ALNUM[:36], 16) if source == "s3.amazonaws.com"
                              else str(uuid.UUID(int=rng.getrandbits(128), version=4)))
        event["eventID"] = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        event["readOnly"] = is_read_only(name)
        if resources:
            event["resources"] = resources
        if name == "ConsoleLogin":
            event["eventType"] = "AwsConsoleSignIn"
        else:
            event["eventType"] = "AwsApiCall"
        event["managementEvent"] = not data_event
        event["recipientAccountId"] = account.id
        if p.kind in ("service", "service-linked"):
            event["sharedEventID"] = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        event["eventCategory"] = "Data" if data_event else "Management"
        if p.kind not in ("service", "service-linked"):
            event["tlsDetails"] = {
                "tlsVersion": "TLSv1.3" if rng.random() < 0.8 else "TLSv1.2",
                "cipherSuite": "TLS_AES_128_GCM_SHA256",
                "clientProvidedHostHeader": self.host(source, params),
            }
            if p.kind == "sso" and agent == USER_AGENT_CONSOLE:
                event["sessionCredentialFromConsole"] = "true"
        self.stats["events"] += 1
        return event

    def add_outcome(self, rng, event, p, ident, source, name, params, response, resources):
        """Success, an authorization failure (~4%) or another error (~1%)."""
        roll = rng.random()
        eligible = p.kind not in ("service", "service-linked") and name != "ConsoleLogin"
        if eligible and roll < 0.045:
            code, message = self.denial(rng, ident, source, name, params, resources)
            event["errorCode"] = code
            event["errorMessage"] = message
            event["requestParameters"] = params
            event["responseElements"] = None
            self.stats["denied"] += 1
            return
        if roll > 0.99:
            code, message = other_error(rng, source, name)
            event["errorCode"] = code
            event["errorMessage"] = message
            event["requestParameters"] = params
            event["responseElements"] = None
            self.stats["errors"] += 1
            return
        event["requestParameters"] = params
        event["responseElements"] = response

    def denial(self, rng, ident, source, name, params, resources) -> tuple[str, str]:
        label = service_label(source)
        action = iam_action(source, name)
        who = self.caller_arn(ident)
        resource = resources[0]["ARN"] if resources else None
        if label == "ec2":
            resource = f"arn:aws:ec2:{self.region}:{self.account.id}:instance/*"
            blob = rand_str(rng, ALNUM + "-_", 380)
            return ("Client.UnauthorizedOperation",
                    f"You are not authorized to perform this operation. User: {who} is not "
                    f"authorized to perform: {action} on resource: {resource} because no "
                    f"identity-based policy allows the {action} action. Encoded authorization "
                    f"failure message: {blob}")
        if label == "s3" and rng.random() < 0.25:
            return "AccessDenied", "Access Denied"
        if label == "sns":
            code = "AuthorizationError"
            action = "SNS:" + name
        elif label in JSON_PROTOCOL:
            code = "AccessDeniedException"
        else:
            code = "AccessDenied"
        on = f" on resource: {resource}" if resource and rng.random() < 0.85 else ""
        roll = rng.random()
        if roll < 0.68:
            tail = f" because no identity-based policy allows the {action} action"
        elif roll < 0.84:
            tail = " with an explicit deny in a service control policy"
        elif roll < 0.90:
            tail = " with an explicit deny in an identity-based policy"
        elif roll < 0.95:
            tail = f" because no permissions boundary allows the {action} action"
        else:
            tail = f" because no resource-based policy allows the {action} action"
        return code, f"User: {who} is not authorized to perform: {action}{on}{tail}"

    def host(self, source: str, params: dict | None) -> str:
        label = service_label(source)
        if label == "s3" and params and "bucketName" in params:
            return f"{params['bucketName']}.s3.{self.region}.amazonaws.com"
        if source in GLOBAL_SOURCES:
            return source
        return f"{label}.{self.region}.amazonaws.com"

    # -- request/response bodies ------------------------------------------------

    def body(self, rng: random.Random, source: str, name: str, p: Principal):
        """(requestParameters, responseElements, resources, additionalEventData)."""
        label = service_label(source)
        builder = BODY_BUILDERS.get(label)
        if builder is not None:
            return builder(self, rng, name, p)
        return self.generic_body(rng, label, name)

    def arn(self, service: str, suffix: str) -> str:
        return f"arn:aws:{service}:{self.region}:{self.account.id}:{suffix}"

    def generic_body(self, rng: random.Random, label: str, name: str):
        res = self.account.res
        spec = GENERIC_PARAMS.get(label)
        params: dict = {}
        if spec:
            key, kind, template = spec
            value = rng.choice(res[kind])
            params[key] = template.format(v=value, region=self.region, acct=self.account.id)
        if name.startswith(("Describe", "List", "Get")):
            if rng.random() < 0.5:
                params["maxResults"] = rng.choice((20, 50, 100, 1000))
            if rng.random() < 0.3:
                params["nextToken"] = rand_str(rng, ALNUM, 44)
            return params or None, None, None, None
        params["tags"] = [{"key": "team", "value": rng.choice(TEAMS)},
                          {"key": "env", "value": self.account.name.split("-")[-1]}]
        params["clientToken"] = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        response = {"requestId": str(uuid.UUID(int=rng.getrandbits(128), version=4))}
        if spec:
            response[spec[0]] = params[spec[0]]
            response["arn"] = self.arn(label, f"{spec[1]}/{params[spec[0]].split('/')[-1]}")
        return params, response, None, None

    def assume_role_event(self, rng: random.Random) -> dict:
        """AssumeRole / AssumeRoleWithWebIdentity / AssumeRoleWithSAML (~7% of events)."""
        account = self.account
        acct = account.id
        epoch, when = self.event_time(rng)
        roll = rng.random()
        roles = [p for p in account.principals if p.kind == "role"]
        if roll < 0.12:
            name = "AssumeRoleWithWebIdentity"
            target = next((p for p in roles if getattr(p, "flavor", "") == "github"), roles[0])
        elif roll < 0.20:
            name = "AssumeRoleWithSAML"
            target = rng.choice([p for p in account.principals if p.kind == "sso"])
        else:
            name = "AssumeRole"
            target = rng.choice(roles + [p for p in account.principals
                                         if p.kind == "service-linked"])
        session_name, key, _ = self.session(target, epoch // 3600 + 1)
        if name == "AssumeRole" and target.kind == "service-linked":
            session_name = target.session_fixed
        duration = rng.choice((900, 3600, 3600, 3600, 43200))
        params = {"roleArn": target.arn, "roleSessionName": session_name,
                  "durationSeconds": duration}
        assumed = {"assumedRoleId": f"{target.role_id}:{session_name}",
                   "arn": f"arn:aws:sts::{acct}:assumed-role/{target.name}/{session_name}"}
        credentials = {"accessKeyId": key, "sessionToken": rand_str(rng, ALNUM, 120),
                       "expiration": console_date(epoch + duration)}
        response = {"credentials": credentials, "assumedRoleUser": assumed}
        extra = None
        resources = [{"accountId": acct, "type": "AWS::IAM::Role", "ARN": target.arn}]

        if name == "AssumeRoleWithWebIdentity":
            repo = rng.choice(target.repos)
            ref = rng.choice(["ref:refs/heads/main", "ref:refs/heads/main",
                              "environment:production", "pull_request"])
            subject = f"repo:{repo}:{ref}"
            provider = f"arn:aws:iam::{acct}:oidc-provider/token.actions.githubusercontent.com"
            ident = {"type": "WebIdentityUser",
                     "principalId": f"{provider}:sts.amazonaws.com:{subject}",
                     "userName": subject, "identityProvider": provider}
            params["roleSessionName"] = session_name
            response.update({"subjectFromWebIdentityToken": subject, "provider": provider,
                             "audience": "sts.amazonaws.com"})
            extra = {"identityProviderConnectionVerificationMethod": "IAMTrustStore"}
            ip, agent = rng.choice(_GITHUB_IPS), (
                "aws-sdk-js/3.540.0 ua/2.0 os/linux#6.5.0-1017-azure lang/js md/nodejs#20.11.1 "
                "api/sts#3.540.0 configure-aws-credentials-for-github-actions")
        elif name == "AssumeRoleWithSAML":
            person = rng.choice(target.people)
            ident = {"type": "SAMLUser", "principalId": f"{target.saml_provider}:{person}",
                     "userName": person, "identityProvider": target.saml_provider}
            del params["roleSessionName"]
            params.update({"sAMLAssertionID": "_" + rand_str(rng, "0123456789abcdef", 32),
                           "principalArn": target.saml_provider})
            response.update({"packedPolicySize": rng.randrange(3, 20), "subject": person,
                             "subjectType": "persistent",
                             "issuer": "https://portal.sso.us-east-1.amazonaws.com/saml/assertion/"
                                       + rand_str(rng, ALNUM, 24),
                             "audience": "https://signin.aws.amazon.com/saml",
                             "nameQualifier": rand_str(rng, ALNUM, 28) + "="})
            ip, agent = "sso.amazonaws.com", "sso.amazonaws.com"
        else:
            ident, ip, agent = self.assume_caller(rng, target)
        event = {
            "eventVersion": rng.choice(("1.08", "1.11")),
            "userIdentity": ident,
            "eventTime": when,
            "eventSource": "sts.amazonaws.com",
            "eventName": name,
            "awsRegion": self.region,
            "sourceIPAddress": ip,
            "userAgent": agent,
        }
        denied = name == "AssumeRole" and ident.get("type") != "AWSService" and rng.random() < 0.05
        if denied:
            who = ident.get("arn", "")
            event["errorCode"] = "AccessDenied"
            event["errorMessage"] = (f"User: {who} is not authorized to perform: sts:AssumeRole "
                                     f"on resource: {target.arn}")
            event["requestParameters"] = params
            event["responseElements"] = None
            self.stats["denied"] += 1
        else:
            event["requestParameters"] = params
            event["responseElements"] = response
        if extra:
            event["additionalEventData"] = extra
        event["requestID"] = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        event["eventID"] = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        event["readOnly"] = True
        event["resources"] = resources
        event["eventType"] = "AwsApiCall"
        event["managementEvent"] = True
        event["recipientAccountId"] = acct
        if ident.get("type") == "AWSService":
            event["sharedEventID"] = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        event["eventCategory"] = "Management"
        if ident.get("type") not in ("AWSService",) and name != "AssumeRoleWithSAML":
            event["tlsDetails"] = {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256",
                                   "clientProvidedHostHeader": f"sts.{self.region}.amazonaws.com"}
        self.stats["events"] += 1
        self.stats["assume"] += 1
        return event

    def assume_caller(self, rng: random.Random, target: Principal) -> tuple[dict, str, str]:
        """Who called AssumeRole: a service, an IAM user, another role, or another account."""
        flavor = getattr(target, "flavor", "")
        if target.kind == "service-linked":
            service = target.service
            return {"type": "AWSService", "invokedBy": service}, service, service
        service = {"lambda": "lambda.amazonaws.com", "ec2": "ec2.amazonaws.com",
                   "ecs-task": "ecs-tasks.amazonaws.com"}.get(flavor)
        if service and rng.random() < 0.8:
            return {"type": "AWSService", "invokedBy": service}, service, service
        roll = rng.random()
        if roll < 0.35:
            users = [p for p in self.account.principals if p.kind == "user"]
            user = rng.choice(users)
            epoch = self.delivered
            ident = self.identity(user, epoch, self.account.principals.index(user))
            return ident, rng.choice(user.ips), USER_AGENTS_SDK[rng.choice(user.agents)].format(
                svc="sts", cmd="sts.assume-role")
        if roll < 0.55:
            others = [a for a in self.world.accounts if a is not self.account]
            other = others[stable_int(self.account.id, target.arn) % len(others)]
            return ({"type": "AWSAccount",
                     "principalId": key_id("AROA", rng) + ":" + f"terraform-{self.delivered}",
                     "accountId": other.id}, rng.choice(_ips(rng, 1)),
                    USER_AGENTS_SDK[5].format(svc="sts"))
        callers = [p for p in self.account.principals
                   if p.kind in ("role", "sso") and p is not target]
        caller = rng.choice(callers)
        ident = self.identity(caller, self.delivered - 1, self.account.principals.index(caller))
        return ident, rng.choice(caller.ips), USER_AGENTS_SDK[rng.choice(caller.agents)].format(
            svc="sts", cmd="sts.assume-role")


_GITHUB_IPS = ["4.175.114.51", "20.102.35.120", "52.234.41.88", "172.183.51.10", "13.105.49.32"]


def _pick(rng: random.Random, cum: list[float]) -> int:
    """Index drawn from cumulative weights."""
    target = rng.random() * cum[-1]
    lo, hi = 0, len(cum) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if cum[mid] < target:
            lo = mid + 1
        else:
            hi = mid
    return lo


def other_error(rng: random.Random, source: str, name: str) -> tuple[str, str]:
    label = service_label(source)
    if label == "ec2":
        return rng.choice([
            ("Client.InvalidInstanceID.NotFound",
             "The instance ID 'i-0123456789abcdef0' does not exist"),
            ("Client.DryRunOperation", "Request would have succeeded, but DryRun flag is set."),
            ("Client.RequestLimitExceeded", "Request limit exceeded."),
        ])
    if label == "s3":
        return rng.choice([("NoSuchKey", "The specified key does not exist."),
                           ("NoSuchBucketPolicy", "The bucket policy does not exist"),
                           ("SlowDown", "Please reduce your request rate.")])
    if label == "iam":
        return "NoSuchEntityException", "The role with name deploy-old cannot be found."
    if label == "dynamodb":
        return rng.choice([("ConditionalCheckFailedException", "The conditional request failed"),
                           ("ResourceNotFoundException", "Requested resource not found")])
    if label == "kms":
        return "DryRunOperationException", ("The request would have succeeded, but the DryRun "
                                            "option is set.")
    return rng.choice([("ThrottlingException", "Rate exceeded"),
                       ("ResourceNotFoundException",
                        f"{name}: the requested resource was not found"),
                       ("ValidationException", "1 validation error detected")])


# Generic services: (request key, resource kind, value template).
GENERIC_PARAMS = {
    "sqs": ("queueUrl", "queue", "https://sqs.{region}.amazonaws.com/{acct}/{v}"),
    "sns": ("topicArn", "topic", "arn:aws:sns:{region}:{acct}:{v}"),
    "secretsmanager": ("secretId", "secret", "arn:aws:secretsmanager:{region}:{acct}:secret:{v}"),
    "ssm": ("name", "parameter", "{v}"),
    "logs": ("logGroupName", "loggroup", "{v}"),
    "cloudformation": ("stackName", "stack", "{v}"),
    "ecr": ("repositoryName", "repo", "{v}"),
    "ecs": ("cluster", "cluster", "arn:aws:ecs:{region}:{acct}:cluster/{v}"),
    "eks": ("name", "cluster", "{v}"),
    "rds": ("dBInstanceIdentifier", "database", "{v}"),
    "elasticloadbalancing": (
        "targetGroupArn", "repo",
        "arn:aws:elasticloadbalancing:{region}:{acct}:targetgroup/{v}-tg/0a1b2c3d4e5f6789",
    ),
    "autoscaling": ("autoScalingGroupName", "repo", "{v}-asg"),
    "route53": ("hostedZoneId", "zone", "{v}"),
    "glue": ("databaseName", "database", "{v}"),
    "athena": ("workGroup", "database", "{v}-wg"),
    "events": ("name", "repo", "{v}-schedule"),
    "states": ("stateMachineArn", "statemachine",
               "arn:aws:states:{region}:{acct}:stateMachine:{v}"),
    "kinesis": ("streamName", "stream", "{v}"),
    "firehose": ("deliveryStreamName", "stream", "{v}-firehose"),
    "elasticache": ("cacheClusterId", "repo", "{v}-cache"),
    "apigateway": ("restApiId", "zone", "{v}"),
    "cloudfront": ("id", "zone", "E{v}"),
    "cloudtrail": ("name", "cluster", "{v}-trail"),
}


def _s3_body(f: EventFactory, rng: random.Random, name: str, p: Principal):
    res = f.account.res
    bucket = rng.choice(res["bucket"])
    acct = f.account.id
    if ("s3.amazonaws.com", name) not in DATA_EVENTS:
        if name == "ListBuckets":
            return {"Host": "s3.amazonaws.com"}, None, None, _s3_extra(rng, 0, 0)
        params = {"bucketName": bucket, "Host": f"{bucket}.s3.{f.region}.amazonaws.com"}
        suffix = {"GetBucketAcl": "acl", "GetBucketPolicy": "policy", "PutBucketPolicy": "policy",
                  "GetBucketLocation": "location", "GetBucketVersioning": "versioning",
                  "PutBucketTagging": "tagging", "GetBucketTagging": "tagging",
                  "GetBucketEncryption": "encryption", "PutBucketEncryption": "encryption",
                  "GetBucketPublicAccessBlock": "publicAccessBlock",
                  "PutBucketPublicAccessBlock": "publicAccessBlock", "GetBucketLogging": "logging",
                  "GetBucketOwnershipControls": "ownershipControls",
                  "GetBucketLifecycle": "lifecycle", "PutBucketLifecycle": "lifecycle",
                  "GetBucketNotification": "notification", "GetBucketCors": "cors"}.get(name)
        if suffix:
            params[suffix] = ""
        if name == "PutBucketPolicy":
            params["bucketPolicy"] = {
                "Version": "2012-10-17",
                "Statement": [{"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*",
                               "Action": "s3:*", "Resource": [f"arn:aws:s3:::{bucket}",
                                                              f"arn:aws:s3:::{bucket}/*"],
                               "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}
        if name == "PutBucketPublicAccessBlock":
            params["PublicAccessBlockConfiguration"] = {
                "xmlns": "http://s3.amazonaws.com/doc/2006-03-01/", "BlockPublicAcls": True,
                "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True}
        resources = [{"accountId": acct, "type": "AWS::S3::Bucket",
                      "ARN": f"arn:aws:s3:::{bucket}"}]
        return params, None, resources, _s3_extra(rng, 0, 0)

    key = _object_key(rng, f)
    params = {"bucketName": bucket, "Host": f"{bucket}.s3.{f.region}.amazonaws.com"}
    if name not in ("ListObjects", "ListObjectVersions", "HeadBucket", "DeleteObjects"):
        params["key"] = key
    if name == "ListObjects":
        params.update({"prefix": key.rsplit("/", 1)[0] + "/", "list-type": "2",
                       "encoding-type": "url", "max-keys": "1000"})
    if name == "UploadPart":
        params.update({"partNumber": str(rng.randint(1, 40)), "uploadId": rand_str(rng, ALNUM, 64)})
    if name == "CopyObject":
        params["x-amz-copy-source"] = f"{rng.choice(res['bucket'])}/{_object_key(rng, f)}"
    if name == "DeleteObjects":
        params["delete"] = ""
    response = None
    if name in ("PutObject", "CopyObject", "CompleteMultipartUpload", "UploadPart",
                "CreateMultipartUpload"):
        response = {"x-amz-server-side-encryption": "aws:kms",
                    "x-amz-server-side-encryption-aws-kms-key-id":
                        f"arn:aws:kms:{f.region}:{acct}:key/{res['key'][0]}",
                    "x-amz-server-side-encryption-bucket-key-enabled": "true"}
        if rng.random() < 0.5:
            response["x-amz-version-id"] = rand_str(rng, ALNUM + "._", 32)
    size = rng.randrange(200, 8_000_000)
    bytes_in = size if name in ("PutObject", "UploadPart") else 0
    bytes_out = size if name == "GetObject" else 0
    resources = []
    if "key" in params:
        resources.append({"type": "AWS::S3::Object", "ARN": f"arn:aws:s3:::{bucket}/{key}"})
    resources.append({"accountId": acct, "type": "AWS::S3::Bucket",
                      "ARN": f"arn:aws:s3:::{bucket}"})
    return params, response, resources, _s3_extra(rng, bytes_in, bytes_out)


def _object_key(rng: random.Random, f: EventFactory) -> str:
    app = rng.choice(f.account.apps)
    day = time.strftime("%Y/%m/%d", time.gmtime(f.delivered))
    leaf = rng.choice(["part", "batch", "export", "img", "report"])
    ext = rng.choice(["json.gz", "parquet", "csv", "jpg", "pdf"])
    return f"{app}/{day}/{leaf}-{rng.getrandbits(40):010x}.{ext}"


def _s3_extra(rng: random.Random, bytes_in: int, bytes_out: int) -> dict:
    return {"SignatureVersion": "SigV4", "CipherSuite": "TLS_AES_128_GCM_SHA256",
            "bytesTransferredIn": bytes_in, "AuthenticationMethod": "AuthHeader",
            "x-amz-id-2": rand_str(rng, ALNUM + "+/", 76), "bytesTransferredOut": bytes_out}


def _dynamodb_body(f: EventFactory, rng: random.Random, name: str, p: Principal):
    table = rng.choice(f.account.res["table"])
    arn = f.arn("dynamodb", f"table/{table}")
    params: dict = {"tableName": table}
    if name in ("GetItem", "PutItem", "UpdateItem", "DeleteItem"):
        hidden = "HIDDEN_DUE_TO_SECURITY_REASONS"
        params["key"] = {"pk": hidden, "sk": hidden}
        if name == "UpdateItem":
            params["updateExpression"] = "SET #s = :s, updatedAt = :u"
            params["conditionExpression"] = "attribute_exists(pk)"
        if name == "GetItem":
            params["consistentRead"] = rng.random() < 0.3
    elif name == "Query":
        params.update({"keyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
                       "limit": rng.choice((25, 100)), "scanIndexForward": False})
        if rng.random() < 0.4:
            params["indexName"] = "gsi1"
    elif name == "Scan":
        params.update({"limit": 1000, "segment": rng.randrange(4), "totalSegments": 4})
    elif name.startswith(("Batch", "Transact")):
        params = {"requestItems": [{"tableName": table, "count": rng.randint(1, 25)}]}
    elif name == "ListTables":
        params = {"limit": 100}
    response = None
    if name in ("CreateTable", "UpdateTable"):
        response = {"tableDescription": {"tableName": table, "tableStatus": "UPDATING",
                                         "tableArn": arn, "billingModeSummary":
                                         {"billingMode": "PAY_PER_REQUEST"}}}
    resources = [{"accountId": f.account.id, "type": "AWS::DynamoDB::Table", "ARN": arn}]
    extra = None
    if ("dynamodb.amazonaws.com", name) in DATA_EVENTS and rng.random() < 0.3:
        params["returnConsumedCapacity"] = "TOTAL"
    return params, response, resources, extra


def _lambda_body(f: EventFactory, rng: random.Random, name: str, p: Principal):
    function = rng.choice(f.account.res["function"])
    arn = f.arn("lambda", f"function:{function}")
    if name.startswith("List") and "Tags" not in name:
        return ({"maxItems": 50} if rng.random() < 0.5 else None), None, None, None
    params: dict = {"functionName": arn if name == "Invoke" else function}
    response = None
    if name == "Invoke":
        params["invocationType"] = rng.choice(["RequestResponse", "Event"])
        extra = {"functionVersion": f"{arn}:$LATEST"}
        return params, response, [{"accountId": f.account.id, "type": "AWS::Lambda::Function",
                                   "ARN": arn}], extra
    if name.startswith(("UpdateFunctionCode", "CreateFunction")):
        params.update({"s3Bucket": f.account.res["bucket"][0],
                       "s3Key": f"lambda/{function}/{rng.getrandbits(48):012x}.zip",
                       "publish": True})
    if name.startswith(("UpdateFunctionConfiguration", "CreateFunction", "UpdateFunctionCode",
                        "PublishVersion")):
        response = {"functionName": function, "functionArn": arn, "runtime": "python3.12",
                    "role": next((q.arn for q in f.account.principals
                                  if getattr(q, "flavor", "") == "lambda"), arn),
                    "handler": "app.handler", "codeSize": rng.randrange(10_000, 50_000_000),
                    "timeout": 30, "memorySize": rng.choice((256, 512, 1024)),
                    "lastModified": iso(f.delivered - 200)[:-1] + ".000+0000",
                    "codeSha256": rand_str(rng, ALNUM + "+/", 43) + "=",
                    "version": "$LATEST", "tracingConfig": {"mode": "PassThrough"},
                    "state": "Active", "architectures": ["arm64"],
                    "ephemeralStorage": {"size": 512}}
    if name.startswith("AddPermission"):
        params.update({"statementId": f"allow-{rng.getrandbits(32):08x}",
                       "action": "lambda:InvokeFunction", "principal": "events.amazonaws.com",
                       "sourceArn": f.arn("events", f"rule/{function}-schedule")})
        response = {"statement": json.dumps({"Sid": params["statementId"], "Effect": "Allow",
                                             "Principal": {"Service": "events.amazonaws.com"},
                                             "Action": "lambda:InvokeFunction",
                                             "Resource": arn})}
    return params, response, None, None


def _kms_body(f: EventFactory, rng: random.Random, name: str, p: Principal):
    key = rng.choice(f.account.res["key"])
    arn = f.arn("kms", f"key/{key}")
    if name in ("ListAliases", "ListKeys"):
        return ({"limit": 100} if rng.random() < 0.5 else None), None, None, None
    params: dict = {"keyId": arn if rng.random() < 0.7 else f"alias/{rng.choice(f.account.apps)}"}
    if name in ("Decrypt", "Encrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext",
                "ReEncrypt"):
        params["encryptionAlgorithm"] = "SYMMETRIC_DEFAULT"
        context_kind = rng.random()
        if context_kind < 0.4:
            params["encryptionContext"] = {
                "aws:s3:arn": f"arn:aws:s3:::{rng.choice(f.account.res['bucket'])}"}
        elif context_kind < 0.7:
            function = rng.choice(f.account.res["function"])
            params["encryptionContext"] = {
                "aws:lambda:FunctionArn": f.arn("lambda", f"function:{function}")}
        if name.startswith("GenerateDataKey"):
            params["keySpec"] = "AES_256"
    if name == "CreateGrant":
        params.update({"granteePrincipal": rng.choice(f.account.principals).__dict__.get(
            "arn", f"arn:aws:iam::{f.account.id}:root"),
            "operations": ["Decrypt", "Encrypt", "GenerateDataKey", "ReEncryptFrom",
                           "ReEncryptTo", "DescribeKey"],
            "retiringPrincipal": "rds.amazonaws.com"})
    response = None
    if name == "CreateGrant":
        response = {"grantId": rand_str(rng, "0123456789abcdef", 64)}
    resources = [{"accountId": f.account.id, "type": "AWS::KMS::Key", "ARN": arn}]
    return params, response, resources, None


def _sts_body(f: EventFactory, rng: random.Random, name: str, p: Principal):
    if name == "GetSessionToken":
        params = {"durationSeconds": 43200}
        credentials = {"accessKeyId": key_id("ASIA", rng),
                       "expiration": console_date(f.delivered + 43200)}
        return params, {"credentials": credentials}, None, None
    if name == "DecodeAuthorizationMessage":
        return {"encodedMessage": rand_str(rng, ALNUM, 200)}, None, None, None
    return None, None, None, None


def _ec2_body(f: EventFactory, rng: random.Random, name: str, p: Principal):
    res = f.account.res
    instance = rng.choice(res["instance"])
    if name == "DescribeInstances":
        wanted = {"items": [{"instanceId": instance}]} if rng.random() < 0.4 else {}
        filters = [
            {"name": "tag:team", "valueSet": {"items": [{"value": rng.choice(TEAMS)}]}},
            {"name": "instance-state-name", "valueSet": {"items": [{"value": "running"}]}},
        ]
        params = {"instancesSet": wanted, "filterSet": {"items": filters}}
        return params, None, None, None
    if name.startswith("Describe") or name == "GetConsoleOutput":
        params = {"filterSet": {}, "maxResults": rng.choice((100, 1000))}
        if name in ("DescribeSecurityGroups",):
            params = {"securityGroupIdSet": {"items": [{"groupId": rng.choice(res["sg"])}]},
                      "securityGroupSet": {}, "filterSet": {}}
        if name == "DescribeSubnets":
            params = {"subnetSet": {"items": [{"subnetId": s} for s in res["subnet"]]},
                      "filterSet": {}}
        return params, None, None, None
    if name == "RunInstances":
        params = {
            "instancesSet": {"items": [{"imageId": f"ami-0{rng.getrandbits(64):016x}"[:21],
                                        "minCount": 1, "maxCount": rng.randint(1, 3)}]},
            "instanceType": rng.choice(["t3.medium", "m6g.large", "c7g.xlarge", "r6i.2xlarge"]),
            "blockDeviceMapping": {"items": [{"deviceName": "/dev/xvda", "ebs": {
                "volumeSize": 30, "deleteOnTermination": True, "volumeType": "gp3",
                "encrypted": True}}]},
            "monitoring": {"enabled": False}, "disableApiTermination": False,
            "disableApiStop": False, "clientToken": str(uuid.UUID(int=rng.getrandbits(128))),
            "networkInterfaceSet": {"items": [{
                "deviceIndex": 0, "subnetId": rng.choice(res["subnet"]),
                "groupSet": {"items": [{"groupId": rng.choice(res["sg"])}]}}]},
            "iamInstanceProfile": {"arn": f"arn:aws:iam::{f.account.id}:instance-profile/"
                                          f"{rng.choice(f.account.apps)}-instance-profile"},
            "tagSpecificationSet": {"items": [{"resourceType": "instance", "tags": [
                {"key": "Name", "value": f"{rng.choice(f.account.apps)}-worker"},
                {"key": "team", "value": rng.choice(TEAMS)}]}]},
        }
        launched = {
            "instanceId": instance,
            "imageId": params["instancesSet"]["items"][0]["imageId"],
            "currentInstanceBootMode": "uefi",
            "instanceState": {"code": 0, "name": "pending"},
            "privateDnsName": f"ip-10-0-{rng.randrange(256)}-{rng.randrange(256)}.ec2.internal",
            "instanceType": params["instanceType"],
            "launchTime": f.delivered * 1000,
            "placement": {"availabilityZone": f"{f.region}a", "tenancy": "default"},
        }
        response = {"requestId": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    "reservationId": f"r-0{rng.getrandbits(64):016x}"[:19],
                    "ownerId": f.account.id, "groupSet": {},
                    "instancesSet": {"items": [launched]},
                    "requesterId": "940372691376"}
        return params, response, None, None
    if name in ("CreateTags", "DeleteTags"):
        params = {"resourcesSet": {"items": [{"resourceId": instance}]},
                  "tagSet": {"items": [{"key": "owner", "value": rng.choice(PEOPLE)}]}}
        return params, {"requestId": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                        "_return": True}, None, None
    if "SecurityGroup" in name:
        params = {"groupId": rng.choice(res["sg"]), "ipPermissions": {"items": [{
            "ipProtocol": "tcp", "fromPort": 443, "toPort": 443,
            "ipRanges": {"items": [{"cidrIp": "10.0.0.0/16"}]}}]}}
        return params, {"requestId": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                        "_return": True}, None, None
    params = {"instancesSet": {"items": [{"instanceId": instance}]}}
    return params, {"requestId": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    "instancesSet": {"items": [{"instanceId": instance,
                                                "currentState": {"code": 64, "name": "stopping"},
                                                "previousState": {"code": 16, "name": "running"}}]}
                    }, None, None


def _iam_body(f: EventFactory, rng: random.Random, name: str, p: Principal):
    roles = [q for q in f.account.principals if q.kind in ("role", "service-linked", "sso")]
    role = rng.choice(roles)
    if name.startswith("List") and "Role" not in name:
        return ({"maxItems": 1000} if rng.random() < 0.5 else None), None, None, None
    if name in ("GetAccountSummary", "GetAccountAuthorizationDetails",
                "GenerateServiceLastAccessedDetails"):
        params = {"arn": role.arn} if name.startswith("Generate") else None
        response = {"jobId": str(uuid.UUID(int=rng.getrandbits(128)))} if params else None
        return params, response, None, None
    if name in ("GetUser", "ListAccessKeys", "ListMFADevices", "GetLoginProfile",
                "CreateAccessKey", "ListGroupsForUser"):
        user = rng.choice([q for q in f.account.principals if q.kind == "user"])
        response = None
        if name == "CreateAccessKey":
            response = {"accessKey": {"userName": user.name, "accessKeyId": key_id("AKIA", rng),
                                      "status": "Active", "createDate": console_date(f.delivered)}}
        return {"userName": user.name}, response, None, None
    params: dict = {"roleName": role.name}
    response = None
    if name in ("GetPolicy", "GetPolicyVersion", "CreatePolicy", "CreatePolicyVersion",
                "AttachRolePolicy", "DetachRolePolicy"):
        policy = f"arn:aws:iam::{f.account.id}:policy/{rng.choice(f.account.apps)}-access"
        params = {"policyArn": policy} if not name.endswith("RolePolicy") else {
            "roleName": role.name, "policyArn": policy}
        if name == "GetPolicyVersion":
            params["versionId"] = f"v{rng.randint(1, 5)}"
    if name in ("PutRolePolicy", "CreatePolicy", "CreatePolicyVersion", "CreateRole",
                "UpdateAssumeRolePolicy"):
        document = json.dumps({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Action": [f"s3:GetObject", "s3:PutObject"],
            "Resource": f"arn:aws:s3:::{rng.choice(f.account.res['bucket'])}/*"}]})
        key = "assumeRolePolicyDocument" if name in ("CreateRole", "UpdateAssumeRolePolicy") \
            else "policyDocument"
        params[key] = document
        if name == "PutRolePolicy":
            params["policyName"] = f"{rng.choice(f.account.apps)}-inline"
        if name == "CreateRole":
            params["path"] = role.path and f"/{role.path}"
            response = {"role": {"path": f"/{role.path}", "roleName": role.name,
                                 "roleId": role.role_id, "arn": role.arn,
                                 "createDate": console_date(f.delivered),
                                 "assumeRolePolicyDocument": document}}
    return params, response, None, None


def _monitoring_body(f: EventFactory, rng: random.Random, name: str, p: Principal):
    app = rng.choice(f.account.apps)
    if name == "PutMetricData":
        return {"namespace": f"{app.title()}/Service", "metricData": [
            {"metricName": rng.choice(["Latency", "Errors", "QueueDepth", "Requests"]),
             "dimensions": [{"name": "Service", "value": app}],
             "unit": "Milliseconds"}]}, None, None, None
    if name in ("GetMetricData", "GetMetricStatistics"):
        start = f.delivered - 3600
        return {"startTime": console_date(start), "endTime": console_date(f.delivered),
                "metricDataQueries": [{"id": "m1", "metricStat": {
                    "metric": {"namespace": "AWS/Lambda", "metricName": "Invocations"},
                    "period": 60, "stat": "Sum"}}]}, None, None, None
    if name in ("PutMetricAlarm", "DeleteAlarms"):
        alarm = f"{app}-high-error-rate"
        return ({"alarmName": alarm, "metricName": "Errors", "namespace": "AWS/Lambda",
                 "statistic": "Sum", "period": 300, "evaluationPeriods": 3, "threshold": 5.0,
                 "comparisonOperator": "GreaterThanThreshold"} if name == "PutMetricAlarm"
                else {"alarmNames": [alarm]}), None, None, None
    return ({"alarmNamePrefix": app} if rng.random() < 0.5 else None), None, None, None


def _email_body(f: EventFactory, rng: random.Random, name: str, p: Principal):
    domain = f"{f.world.github_org}.example"
    if name in ("SendEmail", "SendRawEmail"):
        params = {"source": f"no-reply@{domain}",
                  "destination": {"toAddresses": ["HIDDEN_DUE_TO_SECURITY_REASONS"]}}
        if name == "SendEmail":
            params["message"] = {"subject": {"data": "HIDDEN_DUE_TO_SECURITY_REASONS"}}
        message_id = f"0100{rng.getrandbits(96):024x}-{uuid.UUID(int=rng.getrandbits(128))}-000000"
        return params, {"messageId": message_id}, None, None
    if name == "VerifyEmailIdentity":
        return {"emailAddress": f"alerts@{domain}"}, None, None, None
    return None, None, None, None


def _signin_body(f: EventFactory, rng: random.Random, name: str, p: Principal):
    response = {"ConsoleLogin": "Success"}
    extra = {"LoginTo": "https://console.aws.amazon.com/console/home?state=hashArgs%23"
                        "&isauthcode=true",
             "MobileVersion": "No",
             "MFAIdentifier": f"arn:aws:iam::{f.account.id}:mfa/root-account-mfa-device",
             "MFAUsed": "Yes"}
    return None, response, None, extra


BODY_BUILDERS = {
    "s3": _s3_body, "dynamodb": _dynamodb_body, "lambda": _lambda_body, "kms": _kms_body,
    "sts": _sts_body, "ec2": _ec2_body, "iam": _iam_body, "monitoring": _monitoring_body,
    "email": _email_body, "signin": _signin_body,
}


# ---------------------------------------------------------------------------
# Planning (parent process)


class Plan:
    """One log file to write: where, when, how big, and which duplicates it carries."""

    __slots__ = ("index", "account", "region", "delivered", "target", "path", "dup_slots",
                 "dup_from")

    def __init__(self, index, account, region, delivered, target, path):
        self.index = index
        self.account = account
        self.region = region
        self.delivered = delivered
        self.target = target
        self.path = path
        self.dup_slots = 0
        # (file, slot, account, region, delivered) of events first written elsewhere.
        self.dup_from: list[tuple[int, int, int, str, int]] = []


def plan_files(world: World, seed: int, total: int, count: int, single: bool) -> list[Plan]:
    """Streams (account x region), active hours, delivery stamps and sizes of all files."""
    rng = random.Random(f"plan/{seed}")
    start_day = int(dt.datetime(2025, 1, 6, tzinfo=dt.timezone.utc).timestamp()) // 86400
    start_day += rng.randrange(0, 120)
    days = max(2, min(45, round(count / 80)))

    streams = []
    for a, account in enumerate(world.accounts):
        for r, region in enumerate(account.regions):
            weight = account.weight * (3.0 if r == 0 else 1.0 / r)
            streams.append((a, region, weight))
    stream_cum = _cumulative([s[2] for s in streams])
    per_stream = [0] * len(streams)
    for _ in range(count):
        per_stream[_pick(rng, stream_cum)] += 1

    slots = []
    for s, n in enumerate(per_stream):
        if n == 0:
            continue
        hours = rng.sample(range(days * 24), min(days * 24, max(1, round(n / 12))))
        for _ in range(n):
            hour = start_day * 24 + rng.choice(hours)
            delivered = hour * 3600 + FIVE_MINUTES * rng.randrange(1, 13)
            slots.append((delivered, s))
    slots.sort()

    # Many small files (quiet regions, quiet minutes) and a long tail of large ones.
    weights = [rng.lognormvariate(-4.0, 1.0) if rng.random() < 0.35 else rng.lognormvariate(0, 1.3)
               for _ in slots]
    # Cap single files at 5% of the total (64 MiB at most), unless few files must hold it all.
    high = max(64 * 1024, min(64 << 20, total // 20), 2 * total // len(slots))
    sizes = _normalise(weights, total, low=1200, high=high)
    if single:
        chunk = max(1 << 20, min(8 << 20, total // max(1, count)))
        sizes = [chunk] * max(1, total // chunk)
        sizes[-1] += total - sum(sizes)
        slots = [slots[i * len(slots) // len(sizes)] for i in range(len(sizes))]

    plans = []
    for index, ((delivered, s), size) in enumerate(zip(slots, sizes)):
        a, region, _ = streams[s]
        account = world.accounts[a]
        stamp = time.strftime("%Y%m%dT%H%MZ", time.gmtime(delivered))
        day = time.strftime("%Y/%m/%d", time.gmtime(delivered))
        unique = rand_str(rng, ALNUM, 16)
        name = f"{account.id}_CloudTrail_{region}_{stamp}_{unique}.json.gz"
        path = "/".join(account.base + ("CloudTrail", region, day, name))
        plans.append(Plan(index, a, region, delivered, size, path))
    _plan_duplicates(rng, plans)
    return plans


def _normalise(weights: list[float], total: int, low: int, high: int) -> list[int]:
    """Scale weights to sum to `total`, each within [low, high]."""
    scale = total / sum(weights)
    sizes = [w * scale for w in weights]
    for _ in range(6):
        sizes = [min(high, max(low, s)) for s in sizes]
        free = [i for i, s in enumerate(sizes) if low < s < high]
        excess = total - sum(sizes)
        if not free or abs(excess) < total * 1e-4:
            break
        base = sum(sizes[i] for i in free)
        for i in free:
            sizes[i] += excess * sizes[i] / base
    return [max(low, int(s)) for s in sizes]


def _plan_duplicates(rng: random.Random, plans: list[Plan]) -> None:
    """~0.5% of events appear again in a later file of the same account and region."""
    by_stream: dict[tuple[int, str], list[Plan]] = {}
    for plan in plans:
        by_stream.setdefault((plan.account, plan.region), []).append(plan)
    for stream in by_stream.values():
        for position, plan in enumerate(stream):
            expected = plan.target / EVENT_BYTES_HINT * 0.005
            slots = int(expected) + (1 if rng.random() < expected - int(expected) else 0)
            if slots == 0:
                continue
            # A re-delivery comes later, in one of the next few files of the stream.
            later = stream[position + 1: position + 4]
            if not later:
                continue
            plan.dup_slots = slots
            for slot in range(slots):
                receiver = rng.choice(later)
                receiver.dup_from.append((plan.index, slot, plan.account, plan.region,
                                          plan.delivered))


# ---------------------------------------------------------------------------
# Workers

_WORLD: World | None = None


def _init_worker(seed: int) -> None:
    global _WORLD
    _WORLD = World(seed)


def _dup_event(world: World, source_index: int, slot: int, account: int, region: str,
               delivered: int) -> tuple[dict, dict]:
    """The event in duplicate slot `slot` of file `source_index`, identical wherever built."""
    rng = random.Random(f"dup/{world.seed}/{source_index}/{slot}")
    factory = EventFactory(world, world.accounts[account], region, delivered)
    principals = list(range(len(factory.account.principals)))
    return factory.make(rng, principals, world.accounts[account].cum), factory.stats


def build_events(world: World, plan: Plan) -> tuple[list[str], dict]:
    """Serialised events of one file and its statistics."""
    rng = random.Random(f"file/{world.seed}/{plan.index}")
    account = world.accounts[plan.account]
    factory = EventFactory(world, account, plan.region, plan.delivered)

    active = min(len(account.principals), max(2, int(rng.lognormvariate(1.8, 0.6))))
    chosen = sorted(set(_pick(rng, account.cum) for _ in range(active * 3)))[:active]
    cum = _cumulative([account.principals[i].weight for i in chosen])

    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    lines: list[str] = []
    size = 0
    # Copies of events first written in an earlier file (a re-delivery), then this
    # file's own events that a later file will repeat.
    copies = [_dup_event(world, source, slot, a, region, delivered)
              for source, slot, a, region, delivered in plan.dup_from]
    factory.stats["duplicates"] += len(copies)
    copies += [_dup_event(world, plan.index, slot, plan.account, plan.region, plan.delivered)
               for slot in range(plan.dup_slots)]
    for event, stats in copies:
        text = dumps(event)
        lines.append(text)
        size += len(text) + 1
        for key in ("events", "assume", "denied", "errors"):
            factory.stats[key] += stats[key]
    while size < plan.target or not lines:
        text = dumps(factory.make(rng, chosen, cum))
        lines.append(text)
        size += len(text) + 1
    if len(lines) > 1:
        # Duplicates and own slots sit at random places, as in real files.
        rng.shuffle(lines)
    return lines, factory.stats


def _event_times(lines: list[str]) -> tuple[str, str]:
    times = [line[line.index('"eventTime":"') + 13:][:20] for line in lines]
    return min(times), max(times)


def write_log_file(args: tuple[str, Plan]) -> dict:
    """Generate, gzip (level 6) and write one log file; return what the digest needs."""
    out, plan = args
    world = _WORLD
    lines, stats = build_events(world, plan)
    raw = ("{\"Records\":[" + ",".join(lines) + "]}").encode("utf-8")
    data = gzip.compress(raw, compresslevel=6, mtime=0)
    target = Path(out) / plan.path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    oldest, newest = _event_times(lines)
    return {"index": plan.index, "raw": len(raw), "gz": len(data),
            "sha256": hashlib.sha256(raw).hexdigest(), "oldest": oldest, "newest": newest,
            **stats}


def build_chunk(plan: Plan) -> tuple[list[str], dict]:
    """Serialised events of one chunk of a single-file output."""
    return build_events(_WORLD, plan)


# ---------------------------------------------------------------------------
# Digest files (parent process)


def write_digests(out: Path, world: World, plans: list[Plan], results: dict[int, dict],
                  seed: int) -> tuple[int, int, int]:
    """One digest per account, region and hour with deliveries, chained by previousDigest*.

    Each digest lists the log files delivered in its hour with the SHA-256 of their
    uncompressed content (facts 4.2). Every third chain ends with an empty digest (an idle
    hour, `logFiles: []`).
    """
    rng = random.Random(f"digest/{seed}")
    fingerprint = rand_str(rng, "0123456789abcdef", 32)
    by_stream: dict[tuple[int, str], dict[int, list[Plan]]] = {}
    for plan in plans:
        hours = by_stream.setdefault((plan.account, plan.region), {})
        hours.setdefault((plan.delivered - 1) // 3600, []).append(plan)

    files = raw_total = gz_total = 0
    for (a, region), hours in sorted(by_stream.items()):
        account = world.accounts[a]
        offset = 60 + stable_int(seed, account.id, region) % 3000
        bucket = f"{account.name}-cloudtrail-{account.id}" if account.layout != "org" \
            else f"aws-controltower-logs-{world.accounts[1].id}-us-east-1"
        previous = None
        ordered = sorted(hours)
        if stable_int(seed, "idle", account.id, region) % 3 == 0:
            ordered.append(ordered[-1] + 1)
        for hour in ordered:
            members = hours.get(hour, [])
            end = (hour + 1) * 3600 + offset
            stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(end))
            day = time.strftime("%Y/%m/%d", time.gmtime(end))
            name = (f"{account.id}_CloudTrail-Digest_{region}_{account.trail}_{account.home}_"
                    f"{stamp}.json.gz")
            key = "/".join(account.base + ("CloudTrail-Digest", region, day, name))
            logs = [{"s3Bucket": bucket, "s3Object": plan.path,
                     "hashValue": results[plan.index]["sha256"], "hashAlgorithm": "SHA-256",
                     "newestEventTime": results[plan.index]["newest"],
                     "oldestEventTime": results[plan.index]["oldest"]}
                    for plan in sorted(members, key=lambda p: p.path)]
            digest = {
                "awsAccountId": account.id,
                "digestStartTime": iso(end - 3600),
                "digestEndTime": iso(end),
                "digestS3Bucket": bucket,
                "digestS3Object": key,
                "digestPublicKeyFingerprint": fingerprint,
                "digestSignatureAlgorithm": "SHA256withRSA",
                "newestEventTime": max((l["newestEventTime"] for l in logs), default=None),
                "oldestEventTime": min((l["oldestEventTime"] for l in logs), default=None),
                "previousDigestS3Bucket": bucket if previous else None,
                "previousDigestS3Object": previous[0] if previous else None,
                "previousDigestHashValue": previous[1] if previous else None,
                "previousDigestHashAlgorithm": "SHA-256" if previous else None,
                "previousDigestSignature":
                    rand_str(rng, "0123456789abcdef", 512) if previous else None,
                "logFiles": logs,
            }
            raw = json.dumps(digest, separators=(",", ":")).encode()
            data = gzip.compress(raw, compresslevel=6, mtime=0)
            path = out / key
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            previous = (key, hashlib.sha256(raw).hexdigest())
            files += 1
            raw_total += len(raw)
            gz_total += len(data)
    return files, raw_total, gz_total


# ---------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(
        description="Generate a deterministic CloudTrail export tree for benchmarks.")
    parser.add_argument("--out", required=True, type=Path, help="output folder (must be empty)")
    parser.add_argument("--size", required=True, type=parse_size,
                        help="uncompressed size of all log files: 500K, 20M, 1G")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--single-file", choices=("jsonl", "records"),
                        help="write one gzip file instead of a tree")
    parser.add_argument("--files", type=int,
                        help="number of log files (default: about 2400 per GiB, at least 12)")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    args = parser.parse_args()

    if args.out.exists() and any(args.out.iterdir()):
        print(f"error: {args.out} is not empty; remove it or pick another --out", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)

    started = time.monotonic()
    world = World(args.seed)
    count = args.files or max(12, math.ceil(2400 * args.size / 1024**3))
    plans = plan_files(world, args.seed, args.size, count, single=bool(args.single_file))

    with multiprocessing.Pool(args.jobs, initializer=_init_worker, initargs=(args.seed,)) as pool:
        if args.single_file:
            totals = write_single(args, pool, plans)
        else:
            totals = write_tree(args, pool, world, plans)

    elapsed = time.monotonic() - started
    events = totals["events"] or 1
    print(f"principals={world.principal_count} "
          f"pairs={len(world.all_pairs) + 3} accounts={len(world.accounts)}")
    print(f"assume_role={totals['assume']} ({100 * totals['assume'] / events:.2f}%) "
          f"denied={totals['denied']} ({100 * totals['denied'] / events:.2f}%) "
          f"other_errors={totals['errors']} ({100 * totals['errors'] / events:.2f}%) "
          f"duplicates={totals['duplicates']} ({100 * totals['duplicates'] / events:.2f}%)")
    print(f"files={totals['files']} log_files={totals['log_files']} "
          f"digest_files={totals['digest_files']} events={totals['events']} "
          f"uncompressed_bytes={totals['raw']} compressed_bytes={totals['gz']} "
          f"seconds={elapsed:.1f}")
    return 0


def _empty_totals() -> dict:
    return {"files": 0, "log_files": 0, "digest_files": 0, "events": 0, "raw": 0, "gz": 0,
            "assume": 0, "denied": 0, "errors": 0, "duplicates": 0}


def write_tree(args, pool, world: World, plans: list[Plan]) -> dict:
    totals = _empty_totals()
    results: dict[int, dict] = {}
    work = [(str(args.out), plan) for plan in sorted(plans, key=lambda p: -p.target)]
    for result in pool.imap_unordered(write_log_file, work, chunksize=1):
        results[result["index"]] = result
        for key in ("events", "assume", "denied", "errors", "duplicates", "raw", "gz"):
            totals[key] += result[key]
    totals["log_files"] = len(results)
    digests, raw, gz = write_digests(args.out, world, plans, results, args.seed)
    totals["digest_files"] = digests
    totals["files"] = len(results) + digests
    totals["raw"] += raw
    totals["gz"] += gz
    return totals


def write_single(args, pool, plans: list[Plan]) -> dict:
    """Chunks generated in parallel, compressed in order into one gzip stream."""
    totals = _empty_totals()
    jsonl = args.single_file == "jsonl"
    target = args.out / ("single.jsonl.gz" if jsonl else "single.json.gz")
    with open(target, "wb") as raw_file:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw_file, compresslevel=6,
                           mtime=0) as stream:
            if not jsonl:
                stream.write(b'{"Records":[')
                totals["raw"] += 12
            first = True
            for lines, stats in pool.imap(build_chunk, plans, chunksize=1):
                if jsonl:
                    data = ("\n".join(lines) + "\n").encode("utf-8")
                else:
                    data = (("" if first else ",") + ",".join(lines)).encode("utf-8")
                first = False
                stream.write(data)
                totals["raw"] += len(data)
                for key in ("events", "assume", "denied", "errors", "duplicates"):
                    totals[key] += stats[key]
            if not jsonl:
                stream.write(b"]}")
                totals["raw"] += 2
    totals["gz"] = target.stat().st_size
    totals["files"] = totals["log_files"] = 1
    print(f"wrote {target}")
    return totals


if __name__ == "__main__":
    sys.exit(main())
