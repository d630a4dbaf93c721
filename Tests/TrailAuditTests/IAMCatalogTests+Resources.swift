import Testing

@testable import TrailAudit

extension IAMCatalogTests {
    /// Action, concrete ARN, and the action's resource types that ARN is.
    static let resourceRows: [(String, String, [String])] = [
        // S3: a key (with '/' or ':') makes an object, never a bucket; no region or account.
        ("s3:GetObject", "arn:aws:s3:::bucket/a/b.txt", ["object"]),
        ("s3:ListBucket", "arn:aws:s3:::bucket/a/b.txt", []),
        ("s3:ListBucket", "arn:aws:s3:::bucket", ["bucket"]),
        ("s3:GetObject", "arn:aws:s3:::bucket", []),
        ("s3:GetObject", "arn:aws:s3:::logs/2024-01-01T10:00:00Z.json", ["object"]),
        ("s3:ListBucket", "arn:aws-cn:s3:::bucket", ["bucket"]),
        ("s3:ListBucket", "arn:aws:s3:us-east-1:123456789012:bucket", []),
        ("s3:PutBucketPolicy", "arn:aws:s3:::bucket", ["bucket"]),
        (
            "s3:GetObject", "arn:aws:s3:us-east-1:123456789012:accesspoint/ap/object/k/x.txt",
            ["accesspointobject"]
        ),
        ("s3:ListAllMyBuckets", "arn:aws:s3:::bucket", []),
        // DynamoDB: an index ARN is an index, not its table.
        ("dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:123456789012:table/T", ["table"]),
        ("dynamodb:Query", "arn:aws:dynamodb:us-east-1:123456789012:table/T", ["table"]),
        ("dynamodb:Query", "arn:aws:dynamodb:us-east-1:123456789012:table/T/index/I", ["index"]),
        ("dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:123456789012:table/T/index/I", []),
        ("dynamodb:GetItem", "arn:aws:dynamodb:us-east-1::table/T", []),
        // Lambda: a qualified ARN is an alias or a version, which InvokeFunction does not list.
        (
            "lambda:InvokeFunction", "arn:aws:lambda:us-east-1:123456789012:function:my-fn",
            ["function"]
        ),
        ("lambda:InvokeFunction", "arn:aws:lambda:us-east-1:123456789012:function:my-fn:prod", []),
        ("lambda:InvokeFunction", "arn:aws:lambda:us-east-1:123456789012:layer:my-fn", []),
        // IAM: the role name keeps its path.
        ("iam:PassRole", "arn:aws:iam::123456789012:role/service/app/MyRole", ["role"]),
        ("iam:GetRole", "arn:aws:iam::123456789012:role/MyRole", ["role"]),
        ("iam:GetRole", "arn:aws:iam::123456789012:user/bob", []),
        ("iam:GetRole", "arn:aws:iam:us-east-1:123456789012:role/MyRole", []),
        ("sqs:SendMessage", "arn:aws:sqs:us-east-1:123456789012:my-queue", ["queue"]),
        ("sqs:SendMessage", "arn:aws:sqs:us-east-1:123456789012:my-queue.fifo", ["queue"]),
        (
            "kms:Decrypt",
            "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            ["key"]
        ),
        ("kms:Decrypt", "arn:aws:kms:us-east-1:123456789012:alias/my-key", []),
        // Logs: a group name holds '/'; the ':*' that DescribeLogGroups appends stays a group.
        (
            "logs:CreateLogGroup", "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/fn",
            ["log-group"]
        ),
        (
            "logs:DescribeLogStreams",
            "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/fn:*", ["log-group"]
        ),
        (
            "logs:PutLogEvents",
            "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/fn:log-stream:2024/01/01/x",
            ["log-stream"]
        ),
        (
            "logs:CreateLogGroup",
            "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/fn:log-stream:s", []
        ),
        ("sns:Publish", "arn:aws:sns:us-east-1:123456789012:alerts", ["topic"]),
        (
            "secretsmanager:GetSecretValue",
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db/password-AbCdEf",
            ["Secret"]
        ),
        ("s3:GetObject", "not-an-arn", []),
        ("s3:GetObject", "", []),
    ]

    @Test("a concrete ARN is the action's resource type(s) it fits best", arguments: resourceRows)
    func resourceTypes(action name: String, arn: String, expected: [String]) throws {
        let action = try #require(catalog.action(named: name))
        #expect(catalog.resourceTypes(of: action, matching: arn).map(\.name) == expected)
    }

    @Test("the action's required flag comes with the type")
    func requiredFlag() throws {
        let getItem = try #require(catalog.action(named: "dynamodb:GetItem"))
        let arn = "arn:aws:dynamodb:us-east-1:123456789012:table/T"
        #expect(
            catalog.resourceTypes(of: getItem, matching: arn) == [
                CatalogResourceType(
                    name: "table",
                    arnTemplate:
                        "arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}",
                    required: true)
            ])

        let query = try #require(catalog.action(named: "dynamodb:Query"))
        let index = catalog.resourceTypes(of: query, matching: arn + "/index/I")
        #expect(index.map(\.required) == [false])
    }

    @Test("two-template types split at ', ', and either template fits")
    func alternativeTemplates() throws {
        let getStage = try #require(catalog.action(named: "apigateway:GET"))
        let stage = try #require(getStage.resourceTypes.first { $0.name == "Stage" })
        #expect(stage.arnTemplates.count == 2)
        #expect(stage.arnTemplates.allSatisfy { $0.hasPrefix("arn:${Partition}:apigateway:") })
        for arn in [
            "arn:aws:apigateway:us-east-1::/restapis/a1b2c3/stages/prod",
            "arn:aws:apigateway:us-east-1::/apis/a1b2c3/stages/prod",
        ] {
            #expect(catalog.resourceTypes(of: getStage, matching: arn).map(\.name) == ["Stage"])
        }
    }

    @Test(
        "template parts: placeholders take 1+ characters, '*' 0+, neither a ':' unless last",
        arguments: [
            (
                "arn:${Partition}:x:${Region}:${Account}:thing/${Name}", "arn:aws:x:r:1:thing/n",
                true
            ),
            (
                "arn:${Partition}:x:${Region}:${Account}:thing/${Name}", "arn:aws:x::1:thing/n",
                false
            ),
            (
                "arn:${Partition}:x:${Region}:${Account}:thing/${Name}", "arn:aws:x:r:1:thing/",
                false
            ),
            (
                "arn:${Partition}:x:${Region}:${Account}:thing/${Name}", "arn:aws:x:r:1:thing/a:b",
                true
            ),
            (
                "arn:${Partition}:x:${Region}:${Account}:thing/${Name}", "arn:aws:x:r:1:Thing/n",
                false
            ),
            ("arn:${Partition}:x:${Region}:*:thing/${Name}", "arn:aws:x:r::thing/n", true),
            ("arn:${Partition}:x:${Region}:*:thing/${Name}", "arn:aws:x:r:a:b:thing/n", false),
            ("arn:${Partition}:x:::${Name}", "arn:aws:x:::n", true),
            ("arn:${Partition}:x:::${Name}", "arn:aws:x:r::n", false),
            ("arn:${Partition}:x:::a/${A}/b/${B}", "arn:aws:x:::a/1/2/b/3", true),
            ("arn:${Partition}:x:::a/${A}/b/${B}", "arn:aws:x:::a/1:2/b/3", false),
            ("arn:${Partition}:x:::cert:*", "arn:aws:x:::cert:", true),
            ("arn:${Partition}:x:::${A}+${B}", "arn:aws:x:::d.com+abc", true),
        ])
    func templateParts(template: String, arn: String, fits: Bool) {
        var arn = arn
        #expect(arn.withUTF8 { ARNTemplate(template.utf8).matches($0) } == fits)
    }
}
