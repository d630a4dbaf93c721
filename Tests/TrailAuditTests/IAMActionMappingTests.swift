import Testing

@testable import TrailAudit

@Suite struct IAMActionMappingTests {
    @Test("eventSource -> IAM prefix (facts Appendix A, other partitions)", arguments: prefixRows)
    func servicePrefix(eventSource: String, prefix: String) {
        #expect(IAMActionMapping.servicePrefix(forEventSource: eventSource) == prefix)
    }

    @Test("only a full API-version date is stripped, only where used", arguments: operationRows)
    func operationName(eventName: String, prefix: String, operation: String) {
        #expect(
            IAMActionMapping.operationName(eventName: eventName, servicePrefix: prefix)
                == operation)
    }

    @Test("EXPECTED.md cases 01-04, 17, 18 at the mapping level", arguments: expectedCaseRows)
    func expectedCases(eventSource: String, eventName: String, expected: [String]) {
        #expect(actions(eventSource, eventName) == expected)
    }

    @Test("every renamed operation maps to its exact IAM action(s)", arguments: renamedRows)
    func renamed(action: String, expected: [String]) {
        let (source, name) = Self.event(for: action)
        #expect(actions(source, name) == expected)
    }

    @Test("calls that need no permission exercise no action", arguments: permissionFreeRows)
    func permissionFree(eventSource: String, eventName: String) {
        #expect(actions(eventSource, eventName) == [])
    }

    @Test("a versionId selects the S3 version action", arguments: versionIdRows)
    func versionId(
        eventSource: String, eventName: String, withVersion: [String], without: [String]
    ) {
        let versioned = IAMActionMapping.actions(
            eventSource: eventSource, eventName: eventName, request: .versionId)
        #expect(versioned == withVersion)
        #expect(actions(eventSource, eventName) == without)
    }

    @Test("API Gateway management calls map to the HTTP verb", arguments: apiGatewayRows)
    func apiGateway(eventName: String, action: String) {
        #expect(actions("apigateway.amazonaws.com", eventName) == [action])
    }

    @Test(
        "API Gateway portal and routing-rule calls keep their named action",
        arguments: apiGatewayNamedOperations)
    func apiGatewayNamed(eventName: String) {
        #expect(actions("apigateway.amazonaws.com", eventName) == ["apigateway:" + eventName])
    }

    @Test("missing source or name gives no action")
    func emptyInput() {
        #expect(actions("", "ListBuckets") == [])
        #expect(actions("s3.amazonaws.com", "") == [])
    }

    @Test("every exception table entry has a row in this file")
    func tablesAreCovered() {
        let renamedKeys = Set(Self.renamedRows.map(\.0))
        #expect(Set(IAMActionMapping.renamedActions.keys).subtracting(renamedKeys).isEmpty)

        let versionKeys = Set(Self.versionIdRows.map { "s3:" + $0.1 })
        #expect(Set(IAMActionMapping.versionIdActions.keys).subtracting(versionKeys).isEmpty)

        let freeKeys = Set(
            Self.permissionFreeRows.map {
                IAMActionMapping.servicePrefix(forEventSource: $0.0) + ":" + $0.1
            })
        #expect(IAMActionMapping.permissionFreeActions == freeKeys)

        let hosts = Set(
            Self.prefixRows.map { row in
                row.0.firstRange(of: ".amazonaws").map { String(row.0[..<$0.lowerBound]) } ?? row.0
            })
        #expect(Set(IAMActionMapping.prefixExceptions.keys).subtracting(hosts).isEmpty)

        let verbKeys = Set(Self.apiGatewayRows.map(\.0))
        #expect(Set(IAMActionMapping.apiGatewayVerbExceptions.keys).subtracting(verbKeys).isEmpty)

        let nouns = Set(
            Self.apiGatewayNamedOperations.map { name in
                name.drop(while: \.isUppercase).drop { !$0.isUppercase }
            })
        #expect(nouns == IAMActionMapping.apiGatewayNamedActionNouns)
    }

    private func actions(_ eventSource: String, _ eventName: String) -> [String] {
        IAMActionMapping.actions(eventSource: eventSource, eventName: eventName)
    }

    /// "s3:ListBuckets" -> ("s3.amazonaws.com", "ListBuckets").
    private static func event(for action: String) -> (String, String) {
        let parts = action.split(separator: ":", maxSplits: 1)
        return (String(parts[0]) + ".amazonaws.com", String(parts[1]))
    }
}

extension IAMActionMappingTests {
    /// eventSource and the IAM prefix it must give.
    static let prefixRows: [(String, String)] = [
        ("monitoring.amazonaws.com", "cloudwatch"), ("email.amazonaws.com", "ses"),
        ("appstream2.amazonaws.com", "appstream"), ("models.lex.amazonaws.com", "lex"),
        ("runtime.lex.amazonaws.com", "lex"), ("mturk-requester.amazonaws.com", "mechanicalturk"),
        ("streams.dynamodb.amazonaws.com", "dynamodb"), ("tagging.amazonaws.com", "tag"),
        ("pinpoint.amazonaws.com", "mobiletargeting"),
        ("cloudcontrolapi.amazonaws.com", "cloudformation"),
        ("rdsdataapi.amazonaws.com", "rds-data"), ("rdsdata.amazonaws.com", "rds-data"),
        ("appconfigdata.amazonaws.com", "appconfig"),
        ("runtime.sagemaker.amazonaws.com", "sagemaker"),
        ("edgekeyvaluestore.amazonaws.com", "cloudfront-keyvaluestore"),
        ("s3express.amazonaws.com", "s3express"),
        ("s3.amazonaws.com", "s3"), ("ses.amazonaws.com", "ses"),
        ("signin.amazonaws.com", "signin"),
        ("apigateway.amazonaws.com", "apigateway"), ("es.amazonaws.com", "es"),
        ("sso.amazonaws.com", "sso"), ("identitystore.amazonaws.com", "identitystore"),
        ("ec2-instance-connect.amazonaws.com", "ec2-instance-connect"),
        ("ec2.amazonaws.com.cn", "ec2"), ("monitoring.amazonaws.com.cn", "cloudwatch"),
        ("streams.dynamodb.amazonaws.eu", "dynamodb"), ("s3.c2s.ic.gov", "s3"),
        ("sts.sc2s.sgov.gov", "sts"), ("eventSource1", "eventSource1"), ("", ""),
    ]

    /// eventName, IAM prefix, and the operation name left after version stripping.
    static let operationRows: [(String, String, String)] = [
        ("ListFunctions20150331", "lambda", "ListFunctions"),
        ("GetFunction20150331v2", "lambda", "GetFunction"),
        ("UpdateFunctionCode20150331v2", "lambda", "UpdateFunctionCode"),
        ("TagResource20170331v2", "lambda", "TagResource"),
        ("UpdateDistribution2017_10_30", "cloudfront", "UpdateDistribution"),
        ("CreateDistribution2015_07_27", "cloudfront", "CreateDistribution"),
        ("UpdateDistribution", "cloudfront", "UpdateDistribution"),
        ("ListFunctions", "lambda", "ListFunctions"),
        ("ListFindingsV2", "lambda", "ListFindingsV2"),
        ("ListFindingsV2", "inspector2", "ListFindingsV2"),
        ("CreateEnvironmentEC2", "cloud9", "CreateEnvironmentEC2"),
        ("RestoreDBInstanceFromS3", "rds", "RestoreDBInstanceFromS3"),
        ("AssignIpv6Addresses", "ec2", "AssignIpv6Addresses"),
        ("ListFunctions20150331", "ec2", "ListFunctions20150331"),
        ("GetFunction2015033", "lambda", "GetFunction2015033"),
        ("GetFunction120150331", "lambda", "GetFunction120150331"),
        ("GetFunction_20150331", "lambda", "GetFunction_20150331"),
        ("Get2017_10_3", "cloudfront", "Get2017_10_3"),
        ("20150331", "lambda", "20150331"),
    ]

    /// Every event of EXPECTED.md cases 01-04, 17 and 18 with its IAM actions.
    static let expectedCaseRows: [(String, String, [String])] = [
        // 01: suffixed and plain forms are one action.
        ("lambda.amazonaws.com", "ListFunctions20150331", ["lambda:ListFunctions"]),
        ("lambda.amazonaws.com", "GetFunction20150331v2", ["lambda:GetFunction"]),
        (
            "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
            ["lambda:UpdateFunctionConfiguration"]
        ),
        (
            "cloudfront.amazonaws.com", "UpdateDistribution2017_10_30",
            ["cloudfront:UpdateDistribution"]
        ),
        ("lambda.amazonaws.com", "GetFunction", ["lambda:GetFunction"]),
        ("lambda.amazonaws.com", "ListFunctions", ["lambda:ListFunctions"]),
        // 02: digits that belong to the name stay.
        ("cloud9.amazonaws.com", "CreateEnvironmentEC2", ["cloud9:CreateEnvironmentEC2"]),
        ("rds.amazonaws.com", "RestoreDBInstanceFromS3", ["rds:RestoreDBInstanceFromS3"]),
        ("ec2.amazonaws.com", "AssignIpv6Addresses", ["ec2:AssignIpv6Addresses"]),
        (
            "lambda.amazonaws.com", "GetFunctionConfiguration20150331v2",
            ["lambda:GetFunctionConfiguration"]
        ),
        // 03: the host is not the prefix.
        ("email.amazonaws.com", "CreateConfigurationSet", ["ses:CreateConfigurationSet"]),
        ("email.amazonaws.com", "DeleteIdentity", ["ses:DeleteIdentity"]),
        ("monitoring.amazonaws.com", "PutMetricAlarm", ["cloudwatch:PutMetricAlarm"]),
        ("monitoring.amazonaws.com", "DescribeAlarms", ["cloudwatch:DescribeAlarms"]),
        ("streams.dynamodb.amazonaws.com", "DescribeStream", ["dynamodb:DescribeStream"]),
        // 04: S3 API names are not IAM actions.
        ("s3.amazonaws.com", "ListBuckets", ["s3:ListAllMyBuckets"]),
        ("s3.amazonaws.com", "ListObjects", ["s3:ListBucket"]),
        ("s3.amazonaws.com", "ListObjectsV2", ["s3:ListBucket"]),
        ("s3.amazonaws.com", "HeadBucket", ["s3:ListBucket"]),
        ("s3.amazonaws.com", "HeadObject", ["s3:GetObject"]),
        ("s3.amazonaws.com", "GetBucketLifecycle", ["s3:GetLifecycleConfiguration"]),
        ("s3.amazonaws.com", "ListObjectVersions", ["s3:ListBucketVersions"]),
        // 17: the denied action comes from eventSource/eventName, also for errors.
        ("s3.amazonaws.com", "GetObject", ["s3:GetObject"]),
        ("iam.amazonaws.com", "CreateUser", ["iam:CreateUser"]),
        ("kms.amazonaws.com", "Decrypt", ["kms:Decrypt"]),
        ("ec2.amazonaws.com", "DescribeSecurityGroups", ["ec2:DescribeSecurityGroups"]),
        ("ec2.amazonaws.com", "RunInstances", ["ec2:RunInstances"]),
        ("ec2.amazonaws.com", "DescribeInstances", ["ec2:DescribeInstances"]),
        ("dynamodb.amazonaws.com", "DescribeTable", ["dynamodb:DescribeTable"]),
        // 18
        ("sqs.amazonaws.com", "ListQueues", ["sqs:ListQueues"]),
        // Not renamed, whatever cloudtracker's SOAP-era table says (facts App. B).
        ("s3.amazonaws.com", "GetBucketAcl", ["s3:GetBucketAcl"]),
        ("s3.amazonaws.com", "PutBucketLogging", ["s3:PutBucketLogging"]),
        ("athena.amazonaws.com", "StopQueryExecution", ["athena:StopQueryExecution"]),
        ("sts.amazonaws.com", "AssumeRole", ["sts:AssumeRole"]),
    ]

    /// One row per `renamedActions` entry: "prefix:Operation" and its IAM actions.
    static let renamedRows: [(String, [String])] = [
        ("s3:ListBuckets", ["s3:ListAllMyBuckets"]), ("s3:ListObjects", ["s3:ListBucket"]),
        ("s3:ListObjectsV2", ["s3:ListBucket"]), ("s3:HeadBucket", ["s3:ListBucket"]),
        ("s3:ListObjectVersions", ["s3:ListBucketVersions"]), ("s3:HeadObject", ["s3:GetObject"]),
        ("s3:SelectObjectContent", ["s3:GetObject"]),
        ("s3:GetObjectAttributes", ["s3:GetObjectAttributes", "s3:GetObject"]),
        ("s3:CopyObject", ["s3:PutObject", "s3:GetObject"]), ("s3:UploadPart", ["s3:PutObject"]),
        ("s3:UploadPartCopy", ["s3:PutObject", "s3:GetObject"]),
        ("s3:CreateMultipartUpload", ["s3:PutObject"]),
        ("s3:CompleteMultipartUpload", ["s3:PutObject"]),
        ("s3:DeleteObjects", ["s3:DeleteObject"]),
        ("s3:ListMultipartUploads", ["s3:ListBucketMultipartUploads"]),
        ("s3:ListParts", ["s3:ListMultipartUploadParts"]),
        ("s3:GetBucketEncryption", ["s3:GetEncryptionConfiguration"]),
        ("s3:PutBucketEncryption", ["s3:PutEncryptionConfiguration"]),
        ("s3:DeleteBucketEncryption", ["s3:PutEncryptionConfiguration"]),
        ("s3:GetBucketLifecycle", ["s3:GetLifecycleConfiguration"]),
        ("s3:GetBucketLifecycleConfiguration", ["s3:GetLifecycleConfiguration"]),
        ("s3:PutBucketLifecycle", ["s3:PutLifecycleConfiguration"]),
        ("s3:PutBucketLifecycleConfiguration", ["s3:PutLifecycleConfiguration"]),
        ("s3:DeleteBucketLifecycle", ["s3:PutLifecycleConfiguration"]),
        ("s3:GetBucketReplication", ["s3:GetReplicationConfiguration"]),
        ("s3:PutBucketReplication", ["s3:PutReplicationConfiguration"]),
        ("s3:DeleteBucketReplication", ["s3:PutReplicationConfiguration"]),
        ("s3:GetBucketAnalyticsConfiguration", ["s3:GetAnalyticsConfiguration"]),
        ("s3:ListBucketAnalyticsConfigurations", ["s3:GetAnalyticsConfiguration"]),
        ("s3:PutBucketAnalyticsConfiguration", ["s3:PutAnalyticsConfiguration"]),
        ("s3:DeleteBucketAnalyticsConfiguration", ["s3:PutAnalyticsConfiguration"]),
        ("s3:GetBucketInventoryConfiguration", ["s3:GetInventoryConfiguration"]),
        ("s3:ListBucketInventoryConfigurations", ["s3:GetInventoryConfiguration"]),
        ("s3:PutBucketInventoryConfiguration", ["s3:PutInventoryConfiguration"]),
        ("s3:DeleteBucketInventoryConfiguration", ["s3:PutInventoryConfiguration"]),
        ("s3:GetBucketMetricsConfiguration", ["s3:GetMetricsConfiguration"]),
        ("s3:ListBucketMetricsConfigurations", ["s3:GetMetricsConfiguration"]),
        ("s3:PutBucketMetricsConfiguration", ["s3:PutMetricsConfiguration"]),
        ("s3:DeleteBucketMetricsConfiguration", ["s3:PutMetricsConfiguration"]),
        ("s3:GetBucketIntelligentTieringConfiguration", ["s3:GetIntelligentTieringConfiguration"]),
        (
            "s3:ListBucketIntelligentTieringConfigurations",
            ["s3:GetIntelligentTieringConfiguration"]
        ),
        ("s3:PutBucketIntelligentTieringConfiguration", ["s3:PutIntelligentTieringConfiguration"]),
        (
            "s3:DeleteBucketIntelligentTieringConfiguration",
            ["s3:PutIntelligentTieringConfiguration"]
        ),
        ("s3:GetBucketNotificationConfiguration", ["s3:GetBucketNotification"]),
        ("s3:PutBucketNotificationConfiguration", ["s3:PutBucketNotification"]),
        ("s3:GetBucketAccelerateConfiguration", ["s3:GetAccelerateConfiguration"]),
        ("s3:PutBucketAccelerateConfiguration", ["s3:PutAccelerateConfiguration"]),
        ("s3:GetBucketCors", ["s3:GetBucketCORS"]), ("s3:PutBucketCors", ["s3:PutBucketCORS"]),
        ("s3:DeleteBucketCors", ["s3:PutBucketCORS"]),
        ("s3:DeleteBucketTagging", ["s3:PutBucketTagging"]),
        ("s3:DeleteBucketOwnershipControls", ["s3:PutBucketOwnershipControls"]),
        ("s3:GetObjectLockConfiguration", ["s3:GetBucketObjectLockConfiguration"]),
        ("s3:PutObjectLockConfiguration", ["s3:PutBucketObjectLockConfiguration"]),
        ("s3:GetPublicAccessBlock", ["s3:GetBucketPublicAccessBlock"]),
        ("s3:PutPublicAccessBlock", ["s3:PutBucketPublicAccessBlock"]),
        ("s3:DeletePublicAccessBlock", ["s3:PutBucketPublicAccessBlock"]),
        ("s3:DeleteBucketPublicAccessBlock", ["s3:PutBucketPublicAccessBlock"]),
        ("s3:DeleteAccountPublicAccessBlock", ["s3:PutAccountPublicAccessBlock"]),
        ("s3express:ListDirectoryBuckets", ["s3express:ListAllMyDirectoryBuckets"]),
        ("s3express:GetBucketEncryption", ["s3express:GetEncryptionConfiguration"]),
        ("s3express:PutBucketEncryption", ["s3express:PutEncryptionConfiguration"]),
        ("s3express:DeleteBucketEncryption", ["s3express:PutEncryptionConfiguration"]),
        ("kms:ReEncrypt", ["kms:ReEncryptFrom", "kms:ReEncryptTo"]),
        ("lambda:Invoke", ["lambda:InvokeFunction"]),
        ("lambda:TagResources", ["lambda:TagResource"]),
        ("sqs:SendMessageBatch", ["sqs:SendMessage"]),
        ("sqs:DeleteMessageBatch", ["sqs:DeleteMessage"]),
        ("sqs:ChangeMessageVisibilityBatch", ["sqs:ChangeMessageVisibility"]),
        ("sns:PublishBatch", ["sns:Publish"]),
        ("bedrock:Converse", ["bedrock:InvokeModel"]),
        ("bedrock:ConverseStream", ["bedrock:InvokeModelWithResponseStream"]),
        (
            "dynamodb:ExecuteStatement",
            [
                "dynamodb:PartiQLSelect", "dynamodb:PartiQLInsert", "dynamodb:PartiQLUpdate",
                "dynamodb:PartiQLDelete",
            ]
        ),
        (
            "dynamodb:BatchExecuteStatement",
            [
                "dynamodb:PartiQLSelect", "dynamodb:PartiQLInsert", "dynamodb:PartiQLUpdate",
                "dynamodb:PartiQLDelete",
            ]
        ),
        (
            "dynamodb:ExecuteTransaction",
            [
                "dynamodb:PartiQLSelect", "dynamodb:PartiQLInsert", "dynamodb:PartiQLUpdate",
                "dynamodb:PartiQLDelete",
            ]
        ),
        ("dynamodb:TransactGetItems", ["dynamodb:GetItem"]),
        (
            "dynamodb:TransactWriteItems",
            [
                "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
                "dynamodb:ConditionCheckItem",
            ]
        ),
        ("cassandra:Insert", ["cassandra:Modify"]), ("cassandra:Update", ["cassandra:Modify"]),
        ("cassandra:Delete", ["cassandra:Modify"]), ("timestream:Query", ["timestream:Select"]),
        (
            "neptune-graph:ExecuteQuery",
            [
                "neptune-graph:ReadDataViaQuery", "neptune-graph:WriteDataViaQuery",
                "neptune-graph:DeleteDataViaQuery",
            ]
        ),
        ("neptune-graph:GetQuery", ["neptune-graph:GetQueryStatus"]),
        ("verifiedpermissions:BatchIsAuthorized", ["verifiedpermissions:IsAuthorized"]),
        (
            "verifiedpermissions:BatchIsAuthorizedWithToken",
            ["verifiedpermissions:IsAuthorizedWithToken"]
        ),
    ]

    /// One row per `permissionFreeActions` entry.
    static let permissionFreeRows: [(String, String)] = [
        ("sts.amazonaws.com", "GetCallerIdentity"), ("sts.amazonaws.com", "GetSessionToken"),
        ("signin.amazonaws.com", "ConsoleLogin"), ("signin.amazonaws.com", "CheckMfa"),
        ("signin.amazonaws.com", "SwitchRole"), ("signin.amazonaws.com", "ExitRole"),
        ("signin.amazonaws.com", "RenewRole"), ("signin.amazonaws.com", "GetSigninToken"),
        ("signin.amazonaws.com", "ExternalIdPDirectoryLogin"),
        ("signin.amazonaws.com", "PasswordUpdated"),
    ]

    /// eventSource, eventName, the action with a versionId, and without one.
    static let versionIdRows: [(String, String, [String], [String])] = [
        ("s3.amazonaws.com", "GetObject", ["s3:GetObjectVersion"], ["s3:GetObject"]),
        ("s3.amazonaws.com", "HeadObject", ["s3:GetObjectVersion"], ["s3:GetObject"]),
        ("s3.amazonaws.com", "DeleteObject", ["s3:DeleteObjectVersion"], ["s3:DeleteObject"]),
        ("s3.amazonaws.com", "GetObjectAcl", ["s3:GetObjectVersionAcl"], ["s3:GetObjectAcl"]),
        ("s3.amazonaws.com", "PutObjectAcl", ["s3:PutObjectVersionAcl"], ["s3:PutObjectAcl"]),
        (
            "s3.amazonaws.com", "GetObjectTagging", ["s3:GetObjectVersionTagging"],
            ["s3:GetObjectTagging"]
        ),
        (
            "s3.amazonaws.com", "PutObjectTagging", ["s3:PutObjectVersionTagging"],
            ["s3:PutObjectTagging"]
        ),
        (
            "s3.amazonaws.com", "DeleteObjectTagging", ["s3:DeleteObjectVersionTagging"],
            ["s3:DeleteObjectTagging"]
        ),
        ("s3.amazonaws.com", "PutObject", ["s3:PutObject"], ["s3:PutObject"]),
        ("s3express.amazonaws.com", "GetObject", ["s3express:GetObject"], ["s3express:GetObject"]),
        (
            "s3.amazonaws.com", "GetObjectAttributes",
            ["s3:GetObjectVersionAttributes", "s3:GetObjectVersion"],
            ["s3:GetObjectAttributes", "s3:GetObject"]
        ),
    ]

    /// API Gateway operations and their HTTP-verb actions, every verb exception included.
    static let apiGatewayRows: [(String, String)] = [
        ("GetRestApis", "apigateway:GET"), ("GetResource", "apigateway:GET"),
        ("ListTagsForResource", "apigateway:GET"), ("CreateRestApi", "apigateway:POST"),
        ("UpdateStage", "apigateway:PATCH"), ("DeleteDeployment", "apigateway:DELETE"),
        ("PutIntegration", "apigateway:PUT"), ("ImportDocumentationParts", "apigateway:PUT"),
        ("TestInvokeMethod", "apigateway:POST"), ("TagResource", "apigateway:POST"),
        ("FlushStageAuthorizersCache", "apigateway:DELETE"),
        ("FlushStageCache", "apigateway:DELETE"),
        ("ImportApiKeys", "apigateway:POST"), ("ImportRestApi", "apigateway:POST"),
        ("UntagResource", "apigateway:DELETE"), ("ReimportApi", "apigateway:PUT"),
        ("ResetAuthorizersCache", "apigateway:DELETE"), ("ExportApi", "apigateway:GET"),
    ]

    /// The 30 apigatewayv2 operations that SAR authorizes by name (BOTO 1.43.11).
    static let apiGatewayNamedOperations = [
        "CreatePortal", "CreatePortalProduct", "CreateProductPage", "CreateProductRestEndpointPage",
        "CreateRoutingRule", "DeletePortal", "DeletePortalProduct",
        "DeletePortalProductSharingPolicy",
        "DeleteProductPage", "DeleteProductRestEndpointPage", "DeleteRoutingRule", "DisablePortal",
        "GetPortal", "GetPortalProduct", "GetPortalProductSharingPolicy", "GetProductPage",
        "GetProductRestEndpointPage", "GetRoutingRule", "ListPortalProducts", "ListPortals",
        "ListProductPages", "ListProductRestEndpointPages", "ListRoutingRules", "PreviewPortal",
        "PublishPortal", "PutPortalProductSharingPolicy", "UpdatePortal", "UpdatePortalProduct",
        "UpdateProductPage", "UpdateProductRestEndpointPage",
    ]
}
