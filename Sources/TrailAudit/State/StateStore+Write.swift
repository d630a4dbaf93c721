extension StateStore {
    /// Replaces everything stored for `day` with `aggregate` (inside the caller's transaction).
    func replaceDay(_ day: DayNumber, with aggregate: Aggregate) throws {
        try deleteDays(where: "day = ?", .integer(Int64(day)))
        let writer = try DayWriter(database: database, day: day)
        try writer.write(aggregate)
    }

    /// Deletes the rows of every day matching `condition` (on the column `day`).
    func deleteDays(where condition: String, _ values: SQLiteValue...) throws {
        for table in StateSchema.dayTables {
            try database.prepare("DELETE FROM \(table) WHERE \(condition)").bind(values).run()
        }
    }
}

/// Writes one day's aggregate as rows.
private struct DayWriter {
    let database: SQLiteDatabase
    let day: SQLiteValue

    init(database: SQLiteDatabase, day: DayNumber) throws {
        self.database = database
        self.day = .integer(Int64(day))
    }

    func write(_ aggregate: Aggregate) throws {
        let events = aggregate.events
        try database.prepare("INSERT INTO days VALUES (?, ?, ?, ?, ?, ?)")
            .bind([day] + counts(events)).run()
        try insertEach(
            "INSERT INTO day_accounts VALUES (?, ?)", aggregate.accounts.map { [day, .text($0)] })
        try insertEach(
            "INSERT INTO day_regions VALUES (?, ?)", aggregate.regions.map { [day, .text($0)] })
        try insertEach(
            "INSERT INTO coverage VALUES (?, ?, ?)",
            aggregate.coverage.days.keys.map { [day, .text($0.account), .text($0.region)] })
        try writePrincipals(aggregate.principals)
        try writeRoles(aggregate.assumedRoles)
        try insertEach(
            "INSERT INTO token_issues VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            aggregate.tokenIssues.map { issue, usage in
                [day, .text(issue.caller.id), .text(issue.caller.type.rawValue), .text(issue.api)]
                    + counts(usage)
            })
        try insertEach(
            "INSERT INTO denials VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            aggregate.denials.map { key, group in
                [
                    day, .text(key.principal.id), .text(key.principal.type.rawValue),
                    .text(key.action), .string(key.resource), .text(key.errorCode),
                    .text(key.deniedBy.kind.rawValue), .string(key.deniedBy.policyType),
                    .int(group.counts.total), .int(group.counts.firstSeen.map(Int.init)),
                    .int(group.counts.lastSeen.map(Int.init)), .string(group.sampleMessage),
                    .int(group.sampleTime.map(Int.init)),
                ]
            })
    }

    private func writePrincipals(_ principals: [Principal: PrincipalUsage]) throws {
        let principal = try database.prepare(
            "INSERT INTO principals VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")
        let session = try database.prepare("INSERT INTO principal_sessions VALUES (?, ?, ?)")
        let sourceIP = try database.prepare("INSERT INTO principal_source_ips VALUES (?, ?, ?, ?)")
        let agent = try database.prepare("INSERT INTO principal_user_agents VALUES (?, ?, ?, ?)")
        let action = try database.prepare(
            "INSERT INTO actions VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")
        let resource = try database.prepare("INSERT INTO action_resources VALUES (?, ?, ?, ?)")

        for (key, usage) in principals {
            try principal.bind(
                [day, .text(key.id), .text(key.type.rawValue)] + counts(usage.counts)
                    + [.int(usage.eventsWithoutAction), .bool(usage.sessions.isTruncated)])
            _ = try principal.step()
            let id = SQLiteValue.int(principal.int(0))
            try principal.run()
            for member in usage.sessions.sorted { try session.bind(day, id, .text(member)).run() }
            for (value, count) in usage.sourceIPs {
                try sourceIP.bind(day, id, .text(value), .int(count)).run()
            }
            for (value, count) in usage.userAgents {
                try agent.bind(day, id, .text(value), .int(count)).run()
            }
            for (name, actionUsage) in usage.actions {
                try action.bind(
                    [day, id, .text(name)] + counts(actionUsage.counts)
                        + [
                            .bool(actionUsage.resources.isTruncated),
                            .bool(actionUsage.succeededResources.isTruncated),
                        ])
                _ = try action.step()
                let actionID = SQLiteValue.int(action.int(0))
                try action.run()
                for member in actionUsage.resources.sorted {
                    try resource.bind(day, actionID, 0, .text(member)).run()
                }
                for member in actionUsage.succeededResources.sorted {
                    try resource.bind(day, actionID, 1, .text(member)).run()
                }
            }
        }
    }

    private func writeRoles(_ roles: [String: RoleAssumptions]) throws {
        let role = try database.prepare(
            "INSERT INTO roles VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")
        let caller = try database.prepare(
            "INSERT INTO role_callers VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        let sessionName = try database.prepare("INSERT INTO role_session_names VALUES (?, ?, ?)")
        let sourceIP = try database.prepare("INSERT INTO role_source_ips VALUES (?, ?, ?)")

        for (arn, assumptions) in roles {
            try role.bind(
                [day, .text(arn)] + counts(assumptions.counts)
                    + [
                        .bool(assumptions.sessionNames.isTruncated),
                        .bool(assumptions.sourceIPs.isTruncated),
                    ])
            _ = try role.step()
            let id = SQLiteValue.int(role.int(0))
            try role.run()
            for (key, usage) in assumptions.callers {
                try caller.bind(
                    [
                        day, id, .text(key.caller), .text(key.type.rawValue), .text(key.api),
                        .string(key.subject), .string(key.audience), .bool(key.crossAccount),
                    ] + counts(usage)
                ).run()
            }
            for member in assumptions.sessionNames.sorted {
                try sessionName.bind(day, id, .text(member)).run()
            }
            for member in assumptions.sourceIPs.sorted {
                try sourceIP.bind(day, id, .text(member)).run()
            }
        }
    }

    private func insertEach(_ sql: String, _ rows: [[SQLiteValue]]) throws {
        guard !rows.isEmpty else { return }
        let statement = try database.prepare(sql)
        for row in rows { try statement.bind(row).run() }
    }

    /// succeeded, denied, failed, first_seen, last_seen.
    private func counts(_ counts: UsageCounts) -> [SQLiteValue] {
        [
            .int(counts.succeeded), .int(counts.denied), .int(counts.failed),
            .int(counts.firstSeen.map(Int.init)), .int(counts.lastSeen.map(Int.init)),
        ]
    }
}
