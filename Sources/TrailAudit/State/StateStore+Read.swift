extension StateStore {
    /// The aggregate of the stored days matching `condition` (on the column `day`), merged as
    /// a direct run over the same events would have counted them.
    func loadAggregate(where condition: String, _ values: [SQLiteValue]) throws -> Aggregate {
        var reader = DayReader(database: database, condition: condition, values: values)
        try reader.read()
        return reader.aggregate
    }
}

/// Reads rows of many days into one aggregate. Bounded sets are rebuilt per stored row (its
/// members and its truncated flag) before they merge, so truncation is exact.
private struct DayReader {
    let database: SQLiteDatabase
    let condition: String
    let values: [SQLiteValue]
    var aggregate = Aggregate()

    init(database: SQLiteDatabase, condition: String, values: [SQLiteValue]) {
        self.database = database
        self.condition = condition
        self.values = values
    }

    private func rows(_ columns: String, _ table: String, _ body: (SQLiteStatement) throws -> Void)
        throws
    {
        try database.prepare("SELECT \(columns) FROM \(table) WHERE \(condition)").bind(values)
            .forEachRow(body)
    }

    mutating func read() throws {
        try rows("succeeded, denied, failed, first_seen, last_seen", "days") {
            aggregate.events.merge(Self.counts($0, from: 0))
        }
        try rows("account", "day_accounts") { aggregate.accounts.insert($0.text(0)) }
        try rows("region", "day_regions") { aggregate.regions.insert($0.text(0)) }
        try rows("day, account, region", "coverage") {
            aggregate.coverage.see(
                account: $0.text(1), region: $0.text(2), at: DayNumber($0.int(0)).start)
        }
        try readPrincipals()
        try readRoles()
        try rows(
            "caller, type, api, succeeded, denied, failed, first_seen, last_seen", "token_issues"
        ) {
            let issue = TokenIssue(caller: Self.principal($0, 0), api: $0.text(2))
            aggregate.tokenIssues[issue, default: UsageCounts()].merge(Self.counts($0, from: 3))
        }
        try rows(
            "principal, principal_type, action, resource, error_code, denied_by_kind,"
                + " denied_by_policy, count, first_seen, last_seen, sample_message, sample_time",
            "denials"
        ) {
            let reason = DenialReason(
                kind: DenialReason.Kind(rawValue: $0.text(5)) ?? .notStated,
                policyType: $0.optionalText(6))
            let key = DenialGroupKey(
                principal: Self.principal($0, 0), action: $0.text(2), resource: $0.optionalText(3),
                errorCode: $0.text(4), deniedBy: reason)
            var group = DenialGroup()
            group.counts.denied = $0.int(7)
            group.counts.firstSeen = $0.optionalInt(8).map(EpochSeconds.init)
            group.counts.lastSeen = $0.optionalInt(9).map(EpochSeconds.init)
            group.sampleMessage = $0.optionalText(10)
            group.sampleTime = $0.optionalInt(11).map(EpochSeconds.init)
            aggregate.denials[key, default: DenialGroup()].merge(group)
        }
    }

    private mutating func readPrincipals() throws {
        var sessions: [Int: [String]] = [:]
        try rows("principal_id, session", "principal_sessions") {
            sessions[$0.int(0), default: []].append($0.text(1))
        }
        var principalOf: [Int: Principal] = [:]
        try rows(
            "id, principal, type, succeeded, denied, failed, first_seen, last_seen,"
                + " events_without_action, sessions_truncated, source_ips_unlisted,"
                + " user_agents_unlisted", "principals"
        ) {
            let principal = Self.principal($0, 1)
            principalOf[$0.int(0)] = principal
            var usage = PrincipalUsage()
            usage.counts = Self.counts($0, from: 3)
            usage.eventsWithoutAction = $0.int(8)
            usage.sessions = BoundedSet(
                members: sessions[$0.int(0)] ?? [], truncated: $0.int(9) != 0)
            usage.sourceIPs.addUnlisted($0.int(10))
            usage.userAgents.addUnlisted($0.int(11))
            aggregate.principals[principal, default: PrincipalUsage()].merge(usage)
        }
        try rows("principal_id, source_ip, count", "principal_source_ips") {
            guard let principal = principalOf[$0.int(0)] else { return }
            aggregate.principals[principal]?.sourceIPs.add($0.text(1), count: $0.int(2))
        }
        try rows("principal_id, user_agent, count", "principal_user_agents") {
            guard let principal = principalOf[$0.int(0)] else { return }
            aggregate.principals[principal]?.userAgents.add($0.text(1), count: $0.int(2))
        }

        var resources: [Int: [String]] = [:]
        var succeededResources: [Int: [String]] = [:]
        try rows("action_id, lists, resource", "action_resources") {
            let lists = ResourceLists(rawValue: Int64($0.int(1))) ?? .allCalls
            if lists != .succeededCalls {
                resources[$0.int(0), default: []].append($0.text(2))
            }
            if lists != .allCalls {
                succeededResources[$0.int(0), default: []].append($0.text(2))
            }
        }
        try rows(
            "id, principal_id, action, succeeded, denied, failed, first_seen, last_seen,"
                + " resources_truncated, succeeded_resources_truncated, own_calls, implied_calls",
            "actions"
        ) {
            guard let principal = principalOf[$0.int(1)] else { return }
            var usage = ActionUsage()
            usage.counts = Self.counts($0, from: 3)
            usage.resources = BoundedSet(
                members: resources[$0.int(0)] ?? [], truncated: $0.int(8) != 0)
            usage.succeededResources = BoundedSet(
                members: succeededResources[$0.int(0)] ?? [], truncated: $0.int(9) != 0)
            // Rows of version 4 and before: every call counted as the action's own, except for
            // actions no event names (a PartiQL verb, a graph query's, a transaction's
            // condition check): none of their calls was their own.
            usage.ownCalls =
                $0.optionalInt(10)
                ?? (IAMActionMapping.onlyCountedForOthers.contains($0.text(2).lowercased())
                    ? 0 : usage.counts.total)
            usage.impliedCalls = $0.optionalInt(11) ?? 0
            aggregate.principals[principal]?.actions[$0.text(2), default: ActionUsage()]
                .merge(usage)
        }
    }

    private mutating func readRoles() throws {
        var sessionNames: [Int: [String]] = [:]
        try rows("role_id, session_name", "role_session_names") {
            sessionNames[$0.int(0), default: []].append($0.text(1))
        }
        var sourceIPs: [Int: [String]] = [:]
        try rows("role_id, source_ip", "role_source_ips") {
            sourceIPs[$0.int(0), default: []].append($0.text(1))
        }
        var roleOf: [Int: String] = [:]
        try rows(
            "id, role, succeeded, denied, failed, first_seen, last_seen,"
                + " session_names_truncated, source_ips_truncated", "roles"
        ) {
            let role = $0.text(1)
            roleOf[$0.int(0)] = role
            var assumptions = RoleAssumptions()
            assumptions.counts = Self.counts($0, from: 2)
            assumptions.sessionNames = BoundedSet(
                members: sessionNames[$0.int(0)] ?? [], truncated: $0.int(7) != 0)
            assumptions.sourceIPs = BoundedSet(
                members: sourceIPs[$0.int(0)] ?? [], truncated: $0.int(8) != 0)
            aggregate.assumedRoles[role, default: RoleAssumptions()].merge(assumptions)
        }
        try rows(
            "role_id, caller, type, api, subject, audience, cross_account, succeeded, denied,"
                + " failed, first_seen, last_seen", "role_callers"
        ) {
            guard let role = roleOf[$0.int(0)] else { return }
            let caller = AssumeRoleCaller(
                caller: $0.text(1), type: PrincipalType(rawValue: $0.text(2)) ?? .unknown,
                api: $0.text(3), subject: $0.optionalText(4), audience: $0.optionalText(5),
                crossAccount: $0.int(6) != 0)
            aggregate.assumedRoles[role]?.callers[caller, default: UsageCounts()]
                .merge(Self.counts($0, from: 7))
        }
    }

    private static func principal(_ row: SQLiteStatement, _ column: Int32) -> Principal {
        Principal(
            id: row.text(column), type: PrincipalType(rawValue: row.text(column + 1)) ?? .unknown)
    }

    private static func counts(_ row: SQLiteStatement, from column: Int32) -> UsageCounts {
        var counts = UsageCounts()
        counts.succeeded = row.int(column)
        counts.denied = row.int(column + 1)
        counts.failed = row.int(column + 2)
        counts.firstSeen = row.optionalInt(column + 3).map(EpochSeconds.init)
        counts.lastSeen = row.optionalInt(column + 4).map(EpochSeconds.init)
        return counts
    }
}
