/// Amazon Resource Name helpers; the partition always comes from the input, never a default.
package enum ARN {
    /// The partition of an ARN (`aws`, `aws-cn`, `aws-us-gov`, ...), nil if it is not an ARN.
    package static func partition(of arn: String) -> Substring? {
        guard arn.hasPrefix("arn:") else { return nil }
        let rest = arn.dropFirst(4)
        guard let colon = rest.firstIndex(of: ":") else { return nil }
        return rest[..<colon]
    }

    /// The account field of an ARN; empty for S3 and other global resources.
    package static func account(of arn: String) -> Substring? {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn" else { return nil }
        return parts[4]
    }

    /// `arn:P:sts::A:assumed-role/Name/Session` -> `arn:P:iam::A:role/Name`.
    ///
    /// Only for when no session issuer is recorded: the session ARN has no role path, so a
    /// role under a path comes out without it (facts §1.3).
    package static func roleARN(fromSessionARN arn: String) -> String? {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[2] == "sts" else { return nil }
        let resource = parts[5]
        guard resource.hasPrefix("assumed-role/") else { return nil }
        // Session names may contain '/'-free characters like '@', '=', ',' and '.'.
        let afterType = resource.dropFirst("assumed-role/".count)
        guard let slash = afterType.firstIndex(of: "/") else { return nil }
        let name = afterType[..<slash]
        guard !name.isEmpty else { return nil }
        return "arn:\(parts[1]):iam::\(parts[4]):role/\(name)"
    }

    /// The session name of an `assumed-role` ARN.
    package static func sessionName(fromSessionARN arn: String) -> Substring? {
        guard let range = arn.range(of: ":assumed-role/") else { return nil }
        let afterType = arn[range.upperBound...]
        guard let slash = afterType.firstIndex(of: "/") else { return nil }
        return afterType[afterType.index(after: slash)...]
    }

    /// Builds an identity ARN when the record left it out, taking the partition from the region.
    static func build(
        _ identity: IdentityFields, resource: String, name: String?, service: String = "iam"
    ) -> String {
        let account = identity.accountId ?? "unknown-account"
        let found = identity.issuerArn.flatMap { ARN.partition(of: $0) }.map(String.init)
            ?? ARN.partition(forRegion: identity.region)
        return "arn:\(found):\(service)::\(account):\(resource)\(name ?? identity.principalId ?? "")"
    }

    /// The partition AWS uses for a region name; for ARNs the event did not write out.
    package static func partition(forRegion region: String?) -> String {
        guard let region else { return "aws" }
        if region.hasPrefix("cn-") { return "aws-cn" }
        if region.hasPrefix("us-gov-") { return "aws-us-gov" }
        if region.hasPrefix("us-iso-") { return "aws-iso" }
        if region.hasPrefix("us-isob-") { return "aws-iso-b" }
        if region.hasPrefix("eusc-") { return "aws-eusc" }
        return "aws"
    }
}
