import Foundation
import Testing

@testable import TrailAudit

@Suite struct ResourceDerivationTests {
    typealias F = AnalysisFixture
    static let function = "arn:aws:lambda:us-east-1:111122223333:function:fn"

    /// Every form the Lambda API accepts for `FunctionName` names one function ARN.
    @Test(arguments: [
        "fn", "fn:live", "fn:7", "111122223333:function:fn", "111122223333:function:fn:live",
        "arn:aws:lambda:us-east-1:111122223333:function:fn",
        "arn:aws:lambda:us-east-1:111122223333:function:fn:$LATEST",
    ])
    func lambdaFunctionNamesBecomeTheFunctionARN(name: String) {
        #expect(
            ResourceDerivation.lambdaFunctionARN(name, "aws", "us-east-1", "111122223333")
                == Self.function)
    }

    /// Values that name no function give no ARN rather than a made-up one.
    @Test(arguments: [
        "arn:aws:lambda:us-east-1:111122223333:function", "arn:aws:s3:::bucket", ":function:",
        "",
    ])
    func otherValuesNameNoFunction(name: String) {
        #expect(ResourceDerivation.lambdaFunctionARN(name, "aws", "us-east-1", "1") == nil)
    }

    /// The resources one event of `source`/`name` with `request` is counted on.
    static func resources(_ source: String, _ name: String, _ request: String) throws
        -> [String]
    {
        let aggregate = try F.aggregate([F.event(1, source: source, name: name, request: request)])
        let usage = try #require(aggregate.principals.values.first)
        return try #require(usage.actions.values.first).resources.sorted
    }

    /// Every `resources[]` entry counts, however many an event lists (the scanner keeps eight
    /// in place and reads a longer list again): a breaking pass saw TerminateInstances on 12
    /// instances counted on the first 8, unflagged, and suggest scoped to those 8.
    @Test func everyListedResourceCountsPastTheEighth() throws {
        func terminate(_ id: Int, instances: Range<Int>) -> String {
            let listed = instances.map {
                #"{"ARN":"arn:aws:ec2:us-east-1:111122223333:instance/i-\#($0)","#
                    + #""accountId":"111122223333","type":"AWS::EC2::Instance"}"#
            }
            return String(F.event(id, source: "ec2", name: "TerminateInstances").dropLast())
                + #","resources":[\#(listed.joined(separator: ","))]}"#
        }
        let twelve = try F.aggregate([terminate(1, instances: 0..<12)])
        let usage = try #require(twelve.principals.values.first?.actions["ec2:TerminateInstances"])
        #expect(usage.resources.count == 12)
        #expect(!usage.resources.isTruncated)
        #expect(usage.resources.sorted.contains("arn:aws:ec2:us-east-1:111122223333:instance/i-11"))

        // Past the aggregate's bound of 1,000 the smallest are kept and the cut is said.
        let many = try F.aggregate([terminate(2, instances: 0..<1_005)])
        let bounded = try #require(many.principals.values.first?.actions["ec2:TerminateInstances"])
        #expect(bounded.resources.count == 1_000)
        #expect(bounded.resources.isTruncated)
    }

    /// A request parameter names a resource of its own service only (a Glue table is not a
    /// DynamoDB table; facts §5.3: no resource rather than a guess).
    @Test func parametersNameResourcesOfTheirOwnServiceOnly() throws {
        #expect(
            try Self.resources("dynamodb", "GetItem", #"{"tableName":"orders"}"#)
                == ["arn:aws:dynamodb:us-east-1:111122223333:table/orders"])
        #expect(
            try Self.resources(
                "glue", "GetPartition", #"{"databaseName":"d","tableName":"orders"}"#) == [])
        #expect(
            try Self.resources("timestream", "WriteRecords", #"{"tableName":"orders"}"#) == [])
        #expect(try Self.resources("appsync", "GetFunction", #"{"functionName":"fn"}"#) == [])
        #expect(
            try Self.resources("lambda", "GetFunction", #"{"functionName":"fn"}"#)
                == [Self.function])
        #expect(
            try Self.resources(
                "rds", "AddRoleToDBInstance",
                #"{"dBInstanceIdentifier":"db","roleArn":"arn:aws:iam::111122223333:role/r"}"#)
                == [])
    }

    /// Every partition in the SDKs' metadata (facts §1.3), from its regions' names.
    @Test(arguments: [
        ("us-east-1", "aws"), ("cn-north-1", "aws-cn"), ("us-gov-west-1", "aws-us-gov"),
        ("us-iso-east-1", "aws-iso"), ("us-isob-east-1", "aws-iso-b"),
        ("eu-isoe-west-1", "aws-iso-e"), ("us-isof-south-1", "aws-iso-f"),
        ("eusc-de-east-1", "aws-eusc"),
    ])
    func regionsTellTheirPartition(region: String, partition: String) {
        #expect(ARN.partition(forRegion: region) == partition)
    }

    /// The service is read up to `.amazonaws`, as the action mapping reads it (the European
    /// Sovereign Cloud's sources end in `.amazonaws.eu`).
    @Test func theServiceIsReadUpToAmazonaws() throws {
        let event = F.event(1, source: "dynamodb", name: "GetItem", request: #"{"tableName":"t"}"#)
            .replacingOccurrences(of: "dynamodb.amazonaws.com", with: "dynamodb.amazonaws.eu")
        let aggregate = try F.aggregate([event])
        let usage = try #require(aggregate.principals.values.first)
        #expect(
            usage.actions["dynamodb:GetItem"]?.resources.sorted
                == ["arn:aws:dynamodb:us-east-1:111122223333:table/t"])
    }

    /// A copy writes the object its request names and reads the other one it lists: s3:PutObject
    /// on the destination, s3:GetObject on the source (facts App. B), never the other way.
    @Test func aCopyWritesItsDestinationAndReadsItsSource() throws {
        // The source's key ends like the destination's ARN: only an exact match counts.
        let resources =
            #"[{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::dst/k2"},"#
            + #"{"type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::dst"},"#
            + #"{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::src/x:::dst/k2"},"#
            + #"{"type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::src"}]"#
        let event = F.event(
            1, source: "s3", name: "CopyObject",
            request: #"{"bucketName":"dst","key":"k2","x-amz-copy-source":"src/k1"}"#)
        let aggregate = try F.aggregate([
            String(event.dropLast()) + #","resources":\#(resources)}"#
        ])
        let usage = try #require(aggregate.principals.values.first)
        #expect(usage.actions["s3:PutObject"]?.resources.sorted == ["arn:aws:s3:::dst/k2"])
        #expect(
            usage.actions["s3:GetObject"]?.resources.sorted == ["arn:aws:s3:::src/x:::dst/k2"])
    }

    /// The destination is found when the listed ARN spells the key percent-encoded; a copy
    /// whose destination cannot be told from its source writes on neither.
    @Test func aCopysDestinationIsFoundOrNothingIsWritten() throws {
        func usage(key: String, listed: [String]) throws -> PrincipalUsage {
            let event = F.event(
                1, source: "s3", name: "CopyObject",
                request: #"{"bucketName":"dst","key":"\#(key)"}"#)
            let resources = listed.map { #"{"ARN":"\#($0)"}"# }.joined(separator: ",")
            let aggregate = try F.aggregate([
                String(event.dropLast()) + #","resources":[\#(resources)]}"#
            ])
            return try #require(aggregate.principals.values.first)
        }
        let encoded = try usage(
            key: "my file.txt",
            listed: ["arn:aws:s3:::dst/my%20file.txt", "arn:aws:s3:::src/a.txt"])
        // Named as the request spells the key: IAM matches `my file.txt`, not `my%20file.txt`.
        #expect(
            encoded.actions["s3:PutObject"]?.resources.sorted == ["arn:aws:s3:::dst/my file.txt"])
        #expect(encoded.actions["s3:GetObject"]?.resources.sorted == ["arn:aws:s3:::src/a.txt"])

        let unknown = try usage(
            key: "other", listed: ["arn:aws:s3:::dst/k", "arn:aws:s3:::src/k"])
        #expect(unknown.actions["s3:PutObject"]?.resources.sorted == [])
        #expect(unknown.actions["s3:GetObject"]?.resources.sorted == [])
    }

    /// An object a data event lists percent-encoded is the key the request names.
    @Test func aPercentEncodedObjectIsTheKeyTheRequestNames() throws {
        let event = F.event(
            1, source: "s3", name: "GetObject",
            request: #"{"bucketName":"data","key":"reports/q1 2024.csv"}"#)
        let resources =
            #"[{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::data/reports/q1%202024.csv"}]"#
        let aggregate = try F.aggregate([
            String(event.dropLast()) + #","resources":\#(resources)}"#
        ])
        let usage = try #require(aggregate.principals.values.first)
        #expect(
            usage.actions["s3:GetObject"]?.resources.sorted
                == ["arn:aws:s3:::data/reports/q1 2024.csv"])
    }

    /// Objects whose keys are two spellings of one name are two resources, listed the same way
    /// in every run and with any number of workers.
    @Test func objectsSpelledApartAreTwoResources() throws {
        let keys = ["caf\u{E9}.csv", "cafe\u{301}.csv"]
        let events = (0..<40).map { index in
            let key = keys[index % 2]
            let event = F.event(
                index, source: "s3", name: "GetObject",
                request: #"{"bucketName":"data","key":"\#(key)"}"#)
            let listed = #"[{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::data/\#(key)"}]"#
            return String(event.dropLast()) + #","resources":\#(listed)}"#
        }
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        for part in 0..<4 {
            let file = root.appendingPathComponent("part\(part).json")
            let records = events.enumerated().filter { $0.offset % 4 == part }.map(\.element)
            try Data(("{\"Records\":[" + records.joined(separator: ",") + "]}").utf8)
                .write(to: file)
        }
        let expected = [keys[1], keys[0]].map { Array("arn:aws:s3:::data/\($0)".utf8) }
        for jobs in [1, 2, 3, 2] {
            let report = runReport([root.path], jobs: jobs)
            let action = try #require(report.principals.first?.action("s3:GetObject"))
            #expect(action.resources.sorted.map { Array($0.utf8) } == expected, "jobs \(jobs)")
        }
    }

    /// An object event interns the ARN it lists and not the request's key: keys rarely repeat,
    /// and each interned one stayed in the worker's string table beside the aggregate's ARN
    /// (about 10 MB more peak memory per worker on the 1 GiB benchmark tree).
    @Test func objectEventsInternTheirARNOnly() throws {
        var decoder = EventDecoder(window: TimeWindow())
        var partial = FilePartial()
        let claims = EventClaims(horizonDays: 7, contentSeed: 0)
        func decode(_ index: Int) throws {
            let key = "exports/2024/part-\(index).csv"
            let event = F.event(
                index, source: "s3", name: "GetObject",
                request: #"{"bucketName":"data","key":"\#(key)"}"#)
            let listed = #"[{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::data/\#(key)"}]"#
            let record = Array((String(event.dropLast()) + #","resources":\#(listed)}"#).utf8)
            try record.withUnsafeBytes {
                try decoder.decode(
                    $0, context: .recordsElement, into: &partial,
                    dedupe: .claim(claims, file: 0, day: 0))
            }
        }
        try decode(0)
        let first = decoder.strings.count
        for index in 1...100 { try decode(index) }
        #expect(decoder.strings.count == first + 100)
        let usage = try #require(partial.findings.settled.aggregate.principals.values.first)
        #expect(usage.actions["s3:GetObject"]?.resources.count == 101)
        #expect(
            usage.actions["s3:GetObject"]?.resources.sorted.first
                == "arn:aws:s3:::data/exports/2024/part-0.csv")
    }

    /// A denied copy is one denial group: of the actions the call needs, the one the message
    /// names when it names one, else each.
    @Test func aDeniedCopyIsGroupedUnderTheActionItsMessageNames() throws {
        let named = F.event(
            1, source: "s3", name: "CopyObject", error: "AccessDenied",
            request: #"{"bucketName":"dst","key":"k"}"#
        ).replacingOccurrences(
            of: #""errorMessage":"no""#,
            with: #""errorMessage":"User: arn:aws:iam::111122223333:user/u is not authorized "#
                + #"to perform: s3:GetObject on resource: arn:aws:s3:::src/k""#)
        let aggregate = try F.aggregate([named])
        #expect(aggregate.denials.keys.map(\.action) == ["s3:GetObject"])
        // Only the named action was denied: PutObject is not counted as denied (unused would
        // call it "granted, yet denied").
        let usage = try #require(aggregate.principals.values.first)
        #expect(usage.actions.keys.sorted() == ["s3:GetObject"])
        #expect(usage.actions["s3:GetObject"]?.counts.denied == 1)
        let silent = F.event(
            2, source: "s3", name: "CopyObject", error: "AccessDenied",
            request: #"{"bucketName":"dst","key":"k"}"#)
        #expect(
            try F.aggregate([silent]).denials.keys.map(\.action).sorted()
                == ["s3:GetObject", "s3:PutObject"])
        // Each on its own object: the destination written, the source read.
        let listed =
            String(silent.dropLast())
            + #","resources":[{"ARN":"arn:aws:s3:::dst/k"},{"ARN":"arn:aws:s3:::src/k"}]}"#
        let groups = try F.aggregate([listed]).denials.keys
        #expect(
            Dictionary(uniqueKeysWithValues: groups.map { ($0.action, $0.resource) }) == [
                "s3:PutObject": "arn:aws:s3:::dst/k", "s3:GetObject": "arn:aws:s3:::src/k",
            ])
    }

    /// Queue URLs of every host form name the queue; the region is the event's.
    @Test(arguments: [
        "https://sqs.us-east-1.amazonaws.com/111122223333/jobs",
        "https://us-east-1.queue.amazonaws.com/111122223333/jobs",
        "https://queue.amazonaws.com/111122223333/jobs",
        "https://vpce-0a1b.sqs.us-east-1.vpce.amazonaws.com/111122223333/jobs",
    ])
    func queueURLsNameTheQueue(url: String) throws {
        #expect(
            try Self.resources("sqs", "SendMessage", #"{"queueUrl":"\#(url)"}"#)
                == ["arn:aws:sqs:us-east-1:111122223333:jobs"])
    }
}
