import Foundation

@testable import TrailAudit
@testable import TrailAuditCLI

/// A generated CloudTrail export tree for the state tests: two accounts, two regions, several
/// days, gzip files in the S3 layout; role calls, more than 1,000 S3 object keys for one action
/// (so bounded sets truncate across days), denials, AssumeRole and web identity calls, events
/// past midnight in the next day's file, re-delivered copies, and one event without a time.
struct StateFixture {
    static let accounts = ["111122223333", "444455556666"]
    static let regions = ["us-east-1", "eu-west-1"]
    /// 2024-03-01T00:00:00Z.
    static let firstDay: EpochSeconds = 1_709_251_200

    let root: URL
    private var random: UInt64
    private var nextID = 0

    init(root: URL, seed: UInt64 = 1) {
        self.root = root
        random = seed
    }

    /// Writes `days` days of files starting at `firstDay + offset` days; returns the files.
    @discardableResult
    mutating func write(days: Range<Int>, extraRoles: [String] = []) throws -> [URL] {
        var written: [URL] = []
        for day in days {
            for account in Self.accounts {
                for region in Self.regions {
                    for slot in 0..<3 {
                        let offsets: [EpochSeconds] = [32_400, 54_000, 85_800]  // 09:00 15:00 23:50
                        let midnight: EpochSeconds = Self.firstDay + EpochSeconds(day) * 86_400
                        let start: EpochSeconds = midnight + offsets[slot]
                        var records = (0..<25).map { _ in
                            event(account: account, region: region, at: start + next(600))
                        }
                        if slot == 2 {
                            // Past midnight: this file is delivered in the next day's folder.
                            records.append(
                                event(account: account, region: region, at: start + 900))
                        }
                        if slot == 0 {
                            records += (0..<300).map { _ in
                                s3Read(account: account, region: region, at: start + next(3000))
                            }
                        }
                        if slot == 1 {
                            records.append(denied(account: account, region: region, at: start))
                            records.append(assumeRole(account: account, at: start + 60))
                            records.append(webIdentity(account: account, at: start + 120))
                        }
                        for role in extraRoles {
                            records.append(
                                call(
                                    role: role, account: account, region: region, at: start + 5,
                                    action: ("iam.amazonaws.com", "ListRoles")))
                        }
                        let file = try writeFile(
                            account: account, region: region,
                            delivered: start + (slot == 2 ? 1200 : 300), records: records)
                        written.append(file)
                        if slot == 1 {
                            // CloudTrail re-delivery: some records again in another file.
                            written.append(
                                try writeFile(
                                    account: account, region: region, delivered: start + 360,
                                    records: Array(records.prefix(4))))
                        }
                    }
                }
            }
            // An export outside the S3 layout (never skipped by key) with an event that has
            // no time: a direct run keeps it in every window, and so does the state.
            let extra = root.appendingPathComponent("extra/day-\(day).json")
            try FileManager.default.createDirectory(
                at: extra.deletingLastPathComponent(), withIntermediateDirectories: true)
            let records = [untimed(account: Self.accounts[0])]
            try Data(("{\"Records\":[" + records.joined(separator: ",") + "]}").utf8).write(
                to: extra)
            written.append(extra)
        }
        return written
    }

    private mutating func next(_ bound: Int) -> EpochSeconds {
        random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return EpochSeconds((random >> 33) % UInt64(bound))
    }

    private mutating func eventID() -> String {
        nextID += 1
        let hex = String(nextID, radix: 16)
        return "00000000-0000-4000-8000-" + String(repeating: "0", count: 12 - hex.count) + hex
    }

    private func identity(role: String, account: String, session: String) -> String {
        #"{"type":"AssumedRole","principalId":"AROAEXAMPLE:\#(session)","#
            + #""arn":"arn:aws:sts::\#(account):assumed-role/\#(role)/\#(session)","#
            + #""accountId":"\#(account)","sessionContext":{"sessionIssuer":{"type":"Role","#
            + #""arn":"arn:aws:iam::\#(account):role/\#(role)","accountId":"\#(account)"}}}"#
    }

    private mutating func envelope(
        _ identity: String, at time: EpochSeconds?, source: String, name: String,
        account: String, region: String, extra: String = ""
    ) -> String {
        let when = time.map { #""eventTime":"\#(EventTime.format($0))","# } ?? ""
        let ip = "198.51.100.\(next(4))"
        return #"{"eventVersion":"1.09","userIdentity":\#(identity),\#(when)"#
            + #""eventSource":"\#(source)","eventName":"\#(name)","awsRegion":"\#(region)","#
            + #""sourceIPAddress":"\#(ip)","userAgent":"aws-cli/2.\#(next(3))","#
            + #""eventID":"\#(eventID())","recipientAccountId":"\#(account)"\#(extra)}"#
    }

    private static let actions = [
        ("ec2.amazonaws.com", "DescribeInstances"), ("s3.amazonaws.com", "ListBuckets"),
        ("dynamodb.amazonaws.com", "DescribeTable"), ("lambda.amazonaws.com", "ListFunctions"),
        ("sts.amazonaws.com", "GetCallerIdentity"), ("kms.amazonaws.com", "Decrypt"),
    ]
    private static let roles = ["app/orders-role", "ops-role", "service-role/lambda-exec"]

    private mutating func event(account: String, region: String, at time: EpochSeconds)
        -> String
    {
        let role = Self.roles[Int(next(3))]
        let action = Self.actions[Int(next(Self.actions.count))]
        return call(role: role, account: account, region: region, at: time, action: action)
    }

    mutating func call(
        role: String, account: String, region: String, at time: EpochSeconds,
        action: (String, String)
    ) -> String {
        let who = identity(role: role, account: account, session: "s\(next(5))")
        return envelope(
            who, at: time, source: action.0, name: action.1, account: account, region: region)
    }

    private mutating func s3Read(account: String, region: String, at time: EpochSeconds)
        -> String
    {
        let who = identity(role: "data-loader", account: account, session: "batch")
        let key = "objects/\(next(2600))"
        return envelope(
            who, at: time, source: "s3.amazonaws.com", name: "GetObject", account: account,
            region: region,
            extra: #","requestParameters":{"bucketName":"data-\#(account)","key":"\#(key)"}"#)
    }

    mutating func denied(
        account: String, region: String, at time: EpochSeconds, name: String = "CreateUser"
    ) -> String {
        let who = identity(role: "ops-role", account: account, session: "s1")
        return envelope(
            who, at: time, source: "iam.amazonaws.com", name: name, account: account,
            region: region,
            extra: #","errorCode":"AccessDenied","errorMessage":"User is not authorized to"#
                + #" perform: iam:\#(name) because no identity-based policy allows the"#
                + #" iam:\#(name) action""#)
    }

    private mutating func assumeRole(account: String, at time: EpochSeconds) -> String {
        let who = identity(role: "ops-role", account: account, session: "s2")
        return envelope(
            who, at: time, source: "sts.amazonaws.com", name: "AssumeRole", account: account,
            region: "us-east-1",
            extra: #","requestParameters":{"roleArn":"arn:aws:iam::\#(account):role/deploy","#
                + #""roleSessionName":"ops"}"#)
    }

    mutating func webIdentity(
        account: String, at time: EpochSeconds, subject: String = "repo:org/app:ref:refs/heads/main"
    ) -> String {
        let provider = "arn:aws:iam::\(account):oidc-provider/token.actions.githubusercontent.com"
        let who =
            #"{"type":"WebIdentityUser","#
            + #""principalId":"\#(provider):sts.amazonaws.com:\#(subject)","#
            + #""userName":"\#(subject)","identityProvider":"\#(provider)"}"#
        return envelope(
            who, at: time, source: "sts.amazonaws.com", name: "AssumeRoleWithWebIdentity",
            account: account, region: "us-east-1",
            extra: #","requestParameters":{"roleArn":"arn:aws:iam::\#(account):role/deploy","#
                + #""roleSessionName":"gh"},"responseElements":{"#
                + #""subjectFromWebIdentityToken":"\#(subject)","audience":"sts.amazonaws.com"}"#)
    }

    private mutating func untimed(account: String) -> String {
        let who = identity(role: "ops-role", account: account, session: "s3")
        return envelope(
            who, at: nil, source: "ec2.amazonaws.com", name: "DescribeRegions", account: account,
            region: "us-east-1")
    }

    /// Writes a file of one call by `role` at `time`, delivered `delay` seconds later.
    mutating func writeCall(
        role: String, account: String, region: String, at time: EpochSeconds,
        action: (String, String) = ("ec2.amazonaws.com", "DescribeRegions"),
        delay: EpochSeconds = 300
    ) throws {
        let record = call(role: role, account: account, region: region, at: time, action: action)
        try writeFile(account: account, region: region, delivered: time + delay, records: [record])
    }

    /// Writes one gzip file in the layout, named after its delivery time.
    @discardableResult
    mutating func writeFile(
        account: String, region: String, delivered: EpochSeconds, records: [String]
    ) throws -> URL {
        let stamp = EventTime.format(delivered)  // 2024-03-01T09:05:00Z
        let digits = stamp.filter(\.isNumber)
        let folder = root.appendingPathComponent(
            "AWSLogs/\(account)/CloudTrail/\(region)/\(digits.prefix(4))/"
                + "\(digits.dropFirst(4).prefix(2))/\(digits.dropFirst(6).prefix(2))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let name =
            "\(account)_CloudTrail_\(region)_\(digits.prefix(8))T\(digits.dropFirst(8).prefix(4))Z"
            + "_\(String(format: "%016d", Int(next(1_000_000_000))))"
        let file = folder.appendingPathComponent(name + ".json.gz")
        let body = "{\"Records\":[" + records.joined(separator: ",") + "]}"
        try Data(gzip(body)).write(to: file)
        return file
    }
}

/// Helpers for running the state commands in the tests.
enum StateRun {
    /// The report JSON a direct run over `paths` gives.
    static func directJSON(_ paths: [String], window: TimeWindow = TimeWindow()) -> String {
        runReport(paths, jobs: 2, window: window).json()
    }

    /// The events a state holds, over every day.
    static func events(in state: String) throws -> Int {
        try StateStore(path: state, create: false).aggregate(window: TimeWindow()).events.total
    }

    /// The report JSON `report --state` gives.
    static func stateJSON(_ state: String, window: TimeWindow = TimeWindow()) throws -> String {
        let store = try StateStore(path: state, create: false)
        return Report(try store.auditResult(window: window), window: window).json()
    }

    /// Ingests in-process with `jobs` workers (committing after every file with
    /// `commitEveryFile`).
    @discardableResult
    static func ingest(
        _ paths: [String], into state: String, jobs: Int = 2, shard: Shard? = nil,
        retainDays: Int? = nil, commitEveryFile: Bool = false
    ) throws -> IngestSummary {
        var options = IngestOptions()
        options.run.jobs = jobs
        options.shard = shard
        options.retainDays = retainDays
        options.flushEveryFile = commitEveryFile
        return try StateIngest.run(paths: paths, statePath: state, options: options)
    }

    /// The built `trailaudit` executable beside the test bundle.
    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("trailaudit")
    }
}

extension SQLiteDatabase {
    /// The integer the first row of `sql` starts with (0 when there is no row).
    func integer(_ sql: String) throws -> Int {
        let statement = try prepare(sql)
        return try statement.step() ? statement.int(0) : 0
    }
}
