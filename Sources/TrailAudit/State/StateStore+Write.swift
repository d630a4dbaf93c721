import Foundation

extension StateStore {
    /// Segments a day may have before a commit compacts it into one.
    static let maxSegments = 8

    /// Replaces everything stored for `day` with `aggregate`, counted by the counting rules
    /// `rules` (inside the caller's transaction).
    func replaceDay(_ day: DayNumber, with aggregate: Aggregate, rules: Int) throws {
        try deleteDays(where: "day = ?", .integer(Int64(day)))
        var ids = try nextRowIDs()
        let rows = DayRows(inserts)
        try DayWriter(rows: rows, day: day, rules: rules).write(aggregate, ids: &ids)
        try rows.finish()
    }

    /// The oldest counting rules among `day`'s segments that hold denied or failed calls
    /// (`StateSchema.countingRules`), nil when none does: a day merged from segments of
    /// several rules is only as current as its oldest, but succeeded calls count alike under
    /// every rule so far (an old segment of them alone would name the day for nothing).
    func countingRules(of day: DayNumber) throws -> Int? {
        let statement = try database.prepare(
            "SELECT min(coalesce(rules, 1)) FROM days WHERE day = ? AND denied + failed > 0"
        ).bind(.integer(Int64(day)))
        guard try statement.step() else { return nil }
        return statement.optionalInt(0)
    }

    /// Adds a batch of partial aggregates (each holding days) to the state: each day as a new
    /// segment (see `StateSchema`), the day's parts merged first; a day that has
    /// `maxSegments` already is merged with them into one (inside the caller's transaction).
    ///
    /// The parts are merged and their rows built on another thread while this one inserts
    /// the rows built before, and first runs `meanwhile` (the rest of the transaction's work,
    /// which needs no rows).
    func add(_ parts: consuming [DailyAggregates], meanwhile: () throws -> Void) throws {
        parts.removeAll { $0.isEmpty }
        var days = Set(parts.flatMap(\.days.keys)).sorted()
        let full = try days.filter { try segments(of: $0) >= StateStore.maxSegments }
        for day in full {
            let rules = try countingRules(of: day) ?? StateSchema.countingRules
            var merged = try loadAggregate(where: "day = ?", [.integer(Int64(day))])
            merged.merge(Self.take(day, from: &parts))
            try replaceDay(day, with: merged, rules: rules)
        }
        days.removeAll { full.contains($0) }

        let pipe = RowPipe()
        let built = DispatchSemaphore(value: 0)
        // Handed over, not shared: the builder holds the only reference, so the first part of
        // each day is merged into in place, and each day is freed there once its rows are sent.
        let handoff = Handoff(consume parts)
        let ids = try nextRowIDs()
        DispatchQueue.global(qos: .userInitiated).async { [days] in
            defer {
                pipe.close()
                built.signal()
            }
            var parts = handoff.take()
            var ids = ids
            let rows = DayRows(pipe)
            do {
                for day in days {
                    let merged = Self.take(day, from: &parts)
                    try DayWriter(rows: rows, day: day, rules: StateSchema.countingRules)
                        .write(merged, ids: &ids)
                }
                try rows.finish()
            } catch {
                // The inserter failed (the pipe's only error) and reports its own error.
                assert(error is RowPipe.Cancelled)
            }
        }
        do {
            try meanwhile()
            while case let batches = pipe.take(), !batches.isEmpty {
                for batch in batches {
                    try inserts.insert(
                        batch.values, rows: batch.rows, into: batch.table,
                        columns: batch.columns, orIgnore: batch.orIgnore)
                }
            }
        } catch {
            pipe.cancel()
            built.wait()
            throw error
        }
        built.wait()
    }

    /// `day`'s aggregate of all `parts` merged, taken out of them: the first part's is merged
    /// into in place (the parts hold the only reference), and the parts no longer hold it.
    private static func take(_ day: DayNumber, from parts: inout [DailyAggregates]) -> Aggregate {
        var merged = Aggregate()
        for index in parts.indices {
            if let part = parts[index].days.removeValue(forKey: day) { merged.merge(part) }
        }
        return merged
    }

    /// How many segments `day` has.
    private func segments(of day: DayNumber) throws -> Int {
        let statement = try database.prepare("SELECT count(*) FROM days WHERE day = ?")
            .bind(.integer(Int64(day)))
        _ = try statement.step()
        return statement.int(0)
    }

    /// The ids the next parent rows get (after the largest in each table).
    private func nextRowIDs() throws -> RowIDs {
        func next(in table: String) throws -> Int {
            let statement = try database.prepare("SELECT coalesce(max(id), 0) + 1 FROM \(table)")
            _ = try statement.step()
            return statement.int(0)
        }
        return RowIDs(
            principal: try next(in: "principals"), action: try next(in: "actions"),
            role: try next(in: "roles"))
    }

    /// Deletes the rows of every day matching `condition` (on the column `day`).
    func deleteDays(where condition: String, _ values: SQLiteValue...) throws {
        for table in StateSchema.dayTables {
            try database.prepare("DELETE FROM \(table) WHERE \(condition)").bind(values).run()
        }
    }
}

/// The `id` the next row of each parent table gets: parent rows get theirs from the writer,
/// so their children need no round trip.
private struct RowIDs {
    var principal: Int
    var action: Int
    var role: Int
}

/// One row buffer per aggregate table, shared by the days a commit writes.
private struct DayRows {
    private let tables: [String: RowBuffer]

    /// Columns per table, in order.
    private static let columns = [
        "days": 7, "day_accounts": 2, "day_regions": 2, "coverage": 3, "principals": 13,
        "principal_sessions": 3, "principal_source_ips": 4, "principal_user_agents": 4,
        "actions": 13, "action_resources": 4, "roles": 10, "role_callers": 13,
        "role_session_names": 3, "role_source_ips": 3, "token_issues": 9, "denials": 13,
    ]

    init(_ sink: any RowSink) {
        // Segments of one day may repeat an account, a region or a coverage key.
        let sets: Set = ["day_accounts", "day_regions", "coverage"]
        tables = Dictionary(
            uniqueKeysWithValues: Self.columns.map { table, columns in
                let orIgnore = sets.contains(table)
                return (table, RowBuffer(sink, table: table, columns: columns, orIgnore: orIgnore))
            })
    }

    subscript(_ table: String) -> RowBuffer { tables[table]! }

    /// Sends the rows still buffered.
    func finish() throws {
        for buffer in tables.values { try buffer.finish() }
    }
}

/// Writes one day's aggregate (or a segment of it) as rows.
private struct DayWriter {
    let rows: DayRows
    let day: SQLiteValue
    let rules: SQLiteValue

    init(rows: DayRows, day: DayNumber, rules: Int) {
        self.rows = rows
        self.day = .integer(Int64(day))
        self.rules = .int(rules)
    }

    private func table(_ name: String) -> RowBuffer { rows[name] }

    func write(_ aggregate: Aggregate, ids: inout RowIDs) throws {
        let events = counts(aggregate.events)
        try table("days").append(day, events.0, events.1, events.2, events.3, events.4, rules)
        for account in aggregate.accounts { try table("day_accounts").append(day, .text(account)) }
        for region in aggregate.regions { try table("day_regions").append(day, .text(region)) }
        for key in aggregate.coverage.days.keys {
            try table("coverage").append(day, .text(key.account), .text(key.region))
        }
        try writePrincipals(aggregate.principals, ids: &ids)
        try writeRoles(aggregate.assumedRoles, ids: &ids)
        for (issue, usage) in aggregate.tokenIssues {
            let c = counts(usage)
            try table("token_issues").append(
                day, .text(issue.caller.id), .text(issue.caller.type.rawValue), .text(issue.api),
                c.0, c.1, c.2, c.3, c.4)
        }
        for (key, group) in aggregate.denials {
            try table("denials").append(
                day, .text(key.principal.id), .text(key.principal.type.rawValue),
                .text(key.action), .string(key.resource), .text(key.errorCode),
                .text(key.deniedBy.kind.rawValue), .string(key.deniedBy.policyType),
                .int(group.counts.total), .int(group.counts.firstSeen.map(Int.init)),
                .int(group.counts.lastSeen.map(Int.init)), .string(group.sampleMessage),
                .int(group.sampleTime.map(Int.init)))
        }
    }

    private func writePrincipals(_ principals: [Principal: PrincipalUsage], ids: inout RowIDs)
        throws
    {
        let (principalRows, sessionRows) = (table("principals"), table("principal_sessions"))
        let (sourceIPRows, userAgentRows) = (
            table("principal_source_ips"), table("principal_user_agents")
        )
        let (actionRows, resourceRows) = (table("actions"), table("action_resources"))
        for (key, usage) in principals {
            let id = SQLiteValue.int(ids.principal)
            ids.principal += 1
            let c = counts(usage.counts)
            let (sourceIPs, userAgents) = (usage.sourceIPs.listing, usage.userAgents.listing)
            try principalRows.append(
                id, day, .text(key.id), .text(key.type.rawValue), c.0, c.1, c.2, c.3, c.4,
                .int(usage.eventsWithoutAction), .bool(usage.sessions.isTruncated),
                .int(sourceIPs.unlisted), .int(userAgents.unlisted))
            for member in usage.sessions.sorted {
                try sessionRows.append(day, id, .text(member))
            }
            for (value, count) in sourceIPs.kept {
                try sourceIPRows.append(day, id, .text(value), .int(count))
            }
            for (value, count) in userAgents.kept {
                try userAgentRows.append(day, id, .text(value), .int(count))
            }
            for (name, actionUsage) in usage.actions {
                let action = SQLiteValue.int(ids.action)
                ids.action += 1
                let a = counts(actionUsage.counts)
                try actionRows.append(
                    action, day, id, .text(name), a.0, a.1, a.2, a.3, a.4,
                    .bool(actionUsage.resources.isTruncated),
                    .bool(actionUsage.succeededResources.isTruncated),
                    .int(actionUsage.ownCalls), .int(actionUsage.impliedCalls))
                try forEachResource(of: actionUsage) { resource, lists in
                    try resourceRows.append(day, action, .integer(lists.rawValue), .text(resource))
                }
            }
        }
    }

    /// Calls `body` once for each resource either list of `usage` holds, in order, with the
    /// lists that hold it (a walk over the two lists together, both in `ExactString`'s order:
    /// one row for both lists only where the two spell the resource byte for byte alike; a
    /// composed and a decomposed é are two resources to IAM, which matches bytes).
    private func forEachResource(
        of usage: ActionUsage, _ body: (String, ResourceLists) throws -> Void
    ) rethrows {
        let all = usage.resources.sorted
        let succeeded = usage.succeededResources.sorted
        var (left, right) = (all.startIndex, succeeded.startIndex)
        while left < all.endIndex || right < succeeded.endIndex {
            if right == succeeded.endIndex
                || (left < all.endIndex && ExactString.precedes(all[left], succeeded[right]))
            {
                try body(all[left], .allCalls)
                left += 1
            } else if left == all.endIndex || ExactString.precedes(succeeded[right], all[left]) {
                try body(succeeded[right], .succeededCalls)
                right += 1
            } else {
                try body(all[left], .both)
                left += 1
                right += 1
            }
        }
    }

    private func writeRoles(_ roles: [String: RoleAssumptions], ids: inout RowIDs) throws {
        for (arn, assumptions) in roles {
            let id = SQLiteValue.int(ids.role)
            ids.role += 1
            let c = counts(assumptions.counts)
            try table("roles").append(
                id, day, .text(arn), c.0, c.1, c.2, c.3, c.4,
                .bool(assumptions.sessionNames.isTruncated),
                .bool(assumptions.sourceIPs.isTruncated))
            for (key, usage) in assumptions.callers {
                let u = counts(usage)
                try table("role_callers").append(
                    day, id, .text(key.caller), .text(key.type.rawValue), .text(key.api),
                    .string(key.subject), .string(key.audience), .bool(key.crossAccount),
                    u.0, u.1, u.2, u.3, u.4)
            }
            for member in assumptions.sessionNames.sorted {
                try table("role_session_names").append(day, id, .text(member))
            }
            for member in assumptions.sourceIPs.sorted {
                try table("role_source_ips").append(day, id, .text(member))
            }
        }
    }

    /// succeeded, denied, failed, first_seen, last_seen.
    private func counts(_ counts: UsageCounts)
        -> (SQLiteValue, SQLiteValue, SQLiteValue, SQLiteValue, SQLiteValue)
    {
        (
            .int(counts.succeeded), .int(counts.denied), .int(counts.failed),
            .int(counts.firstSeen.map(Int.init)), .int(counts.lastSeen.map(Int.init))
        )
    }
}
