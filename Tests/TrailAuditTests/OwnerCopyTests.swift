import Foundation
import Testing

@testable import TrailAudit

/// A cross-account AssumeRole logged by both accounts is one call (facts §2.3).
@Suite struct OwnerCopyTests {
    static func caller(_ id: String, _ type: PrincipalType, api: String = "AssumeRole")
        -> AssumeRoleCaller
    {
        AssumeRoleCaller(
            caller: id, type: type, api: api, subject: nil, audience: nil, crossAccount: true)
    }

    static func counts(succeeded: Int, denied: Int = 0) -> UsageCounts {
        var counts = UsageCounts()
        for _ in 0..<succeeded { counts.record(.succeeded, at: 1_700_000_000) }
        for _ in 0..<denied { counts.record(.denied, at: 1_700_000_000) }
        return counts
    }

    @Test func copiesAreMatchedByAccountAPIAndOutcome() {
        let user = Self.caller("arn:aws:iam::444455556666:user/a", .user)
        let role = Self.caller("arn:aws:iam::444455556666:role/ci", .role)
        let account = Self.caller("444455556666", .account)
        let unnamed = Self.caller("777788889999", .account)
        let otherAPI = Self.caller("444455556666", .account, api: "AssumeRoot")
        var assumptions = RoleAssumptions()
        assumptions.callers = [
            user: Self.counts(succeeded: 2, denied: 1), role: Self.counts(succeeded: 1),
            // The role's account saw 4 successes and 1 denial from 444455556666: 3 and 1 of
            // them are the named callers' calls.
            account: Self.counts(succeeded: 4, denied: 1),
            unnamed: Self.counts(succeeded: 5), otherAPI: Self.counts(succeeded: 1),
        ]
        for counts in assumptions.callers.values { assumptions.counts.merge(counts) }

        let (folded, copies) = assumptions.foldingOwnerCopies()
        #expect(copies == 4)
        #expect(folded.callers[account] == Self.counts(succeeded: 1))
        #expect(folded.callers[unnamed] == Self.counts(succeeded: 5))
        #expect(folded.callers[otherAPI] == Self.counts(succeeded: 1))
        #expect(folded.callers[user] == Self.counts(succeeded: 2, denied: 1))
        #expect(folded.counts.succeeded == 2 + 1 + 1 + 5 + 1)
        #expect(folded.counts.denied == 1)
    }

    /// A denied cross-account AssumeRole is one denial, not one per account's copy.
    @Test func deniedCopiesAreMatchedByActionResourceErrorAndReason() {
        let reason = DenialReason(kind: .implicitDeny, policyType: "role trust")
        func key(_ principal: Principal, resource: String = "arn:aws:iam::111122223333:role/R")
            -> DenialGroupKey
        {
            DenialGroupKey(
                principal: principal, action: "sts:AssumeRole", resource: resource,
                errorCode: "AccessDenied", deniedBy: reason)
        }
        func group(_ denied: Int) -> DenialGroup {
            var group = DenialGroup()
            for _ in 0..<denied { group.record(message: "m", at: 1_700_000_000) }
            return group
        }
        let user = Principal(id: "arn:aws:iam::444455556666:user/a", type: .user)
        let account = Principal(id: "444455556666", type: .account)
        let stranger = Principal(id: "777788889999", type: .account)
        var aggregate = Aggregate()
        aggregate.denials = [
            key(user): group(2), key(account): group(3),
            // Another role: not the same calls.
            key(account, resource: "arn:aws:iam::111122223333:role/Other"): group(1),
            key(stranger): group(4),
        ]
        let folded = aggregate.denialsFoldingOwnerCopies()
        #expect(folded[key(user)]?.counts.denied == 2)
        #expect(folded[key(account)]?.counts.denied == 1)
        #expect(
            folded[key(account, resource: "arn:aws:iam::111122223333:role/Other")]?.counts.denied
                == 1)
        #expect(folded[key(stranger)]?.counts.denied == 4)

        aggregate.denials[key(account)] = group(2)
        #expect(aggregate.denialsFoldingOwnerCopies()[key(account)] == nil)
    }

    /// The pair from the IAM User Guide's cross-account example (shared/realdata/awsdocs):
    /// JohnDoe's copy and the role account's copy of one call.
    @Test func theIAMUserGuidePairIsOneAssumption() throws {
        let lines = try String(
            contentsOf: sharedRoot.appendingPathComponent(
                "realdata/awsdocs/iam-user-guide_events.jsonl"),
            encoding: .utf8
        ).split(separator: "\n")
        let pair = lines.filter { $0.contains("bEXAMPLE-efea-4a70-b951-19a88EXAMPLE") }
        #expect(pair.count == 2)
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let both = root.appendingPathComponent("both.jsonl")
        try Data(pair.joined(separator: "\n").utf8).write(to: both)
        let ownerOnly = root.appendingPathComponent("owner.jsonl")
        try Data(pair.filter { $0.contains(#""type": "AWSAccount""#) }.joined().utf8)
            .write(to: ownerOnly)

        let report = runReport([both.path])
        let entry = try #require(report.assumeRole.first)
        #expect(entry.role == "arn:aws:iam::111122223333:role/EC2-dev")
        #expect(entry.counts.succeeded == 1)
        #expect(entry.callers.map(\.caller.caller) == ["arn:aws:iam::777788889999:user/JohnDoe"])
        #expect(entry.ownerCopies == 1)

        // The role's account alone names only the caller's account, and that is kept.
        let alone = try #require(runReport([ownerOnly.path]).assumeRole.first)
        #expect(alone.counts.succeeded == 1)
        #expect(alone.callers.map(\.caller.caller) == ["777788889999"])
        #expect(alone.ownerCopies == 0)
    }
}

@Suite struct AssumeRoleCallerOrderTests {
    /// Callers that differ only in `crossAccount` or in a missing against an empty subject
    /// still have one order (a tie let the report's order change from run to run).
    @Test func everyFieldDecides() {
        func caller(subject: String?, crossAccount: Bool) -> AssumeRoleCaller {
            AssumeRoleCaller(
                caller: "weird-user", type: .user, api: "AssumeRole", subject: subject,
                audience: nil, crossAccount: crossAccount)
        }
        let ordered = [
            caller(subject: nil, crossAccount: false), caller(subject: nil, crossAccount: true),
            caller(subject: "", crossAccount: false), caller(subject: "a", crossAccount: false),
        ]
        for (index, earlier) in ordered.enumerated() {
            for later in ordered[(index + 1)...] {
                #expect(earlier < later)
                #expect(!(later < earlier))
            }
            #expect(!(earlier < earlier))
        }
        #expect(ordered.reversed().sorted() == ordered)
    }
}
