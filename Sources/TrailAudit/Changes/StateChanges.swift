import Foundation

/// What is new in one window of a state against the window just before it, of the same length:
/// what `trailaudit changes` prints after each nightly ingest.
package struct StateChanges: Sendable {
    /// The window looked at, and the one it is compared with.
    package var current: TimeWindow
    package var previous: TimeWindow
    package var newPrincipals: [NewPrincipal] = []
    package var newActions: [ActionChange] = []
    package var newAssumers: [NewAssumer] = []
    package var newDenials: [NewDenial] = []
    /// Actions used (a succeeded call) in the previous window and not in this one.
    package var stoppedActions: [ActionChange] = []
    /// Succeeded calls in the window, and on its late delivery days, that stop, delete or
    /// narrow audit logging or threat detection (`loggingActions`): a change every night
    /// they happen, new or not.
    package var loggingChanges: [ActionChange] = []
    /// Days before the window, up to `lateDayLimit`, that log files ingested after the window
    /// ended hold events of (a sync that lagged a night, a delivery hours late): after an
    /// earlier ingest, those events were not there when their days were compared, and are
    /// not compared here. A change: the comparison that would show them never runs.
    package var lateDays: [DayNumber] = []
    /// Days of the two windows without logs, per account and region that has any.
    package var coverageGaps: [CoverageGap] = []
    /// Accounts and regions with logs before this window's last day and none on it: a stopped
    /// trail or a broken delivery. Reported every night until logs come back.
    package var silentStreams: [Coverage.Key] = []
    /// Events in this window and in the one before: both 0 is a window outside the state's
    /// days (a mistyped `--until`), not a quiet night.
    package var eventsInWindow = 0
    package var eventsInPreviousWindow = 0
    /// Events of the state without a readable time: in no window, so never new; said.
    package var eventsWithoutTime = 0
    /// Set when the window was the state's newest day (no `--until`) and that day lies two
    /// days or more before today: no account logged anything yesterday. Windows that end
    /// with the newest day would compare the same two days every night after the logs stop.
    package var staleLogs: StaleLogs?

    /// The newest day with events in the state, and today (UTC) when it was read.
    package struct StaleLogs: Sendable, Equatable {
        package var newestDay: DayNumber
        package var today: DayNumber

        /// The newest day if it is older than yesterday, else nil.
        package init?(newestDay: DayNumber, today: DayNumber) {
            guard newestDay < today - 1 else { return nil }
            self.newestDay = newestDay
            self.today = today
        }

        /// Whole days without an event between the newest day and today.
        package var quietDays: Int { Int(today - newestDay) - 1 }
    }

    /// A principal with calls in the window and none in the one before.
    package struct NewPrincipal: Sendable {
        package var principal: Principal
        package var counts: UsageCounts
    }

    /// One action of one principal: newly used, or no longer used.
    package struct ActionChange: Sendable {
        package var principal: Principal
        package var action: String
        /// This window's counts for a new action; the previous window's for a stopped one.
        package var counts: UsageCounts
        /// Of those, the calls that were other actions' and needed this one for what their
        /// request carried (`ActionUsage.impliedCalls`).
        package var implied = 0
    }

    /// A way into a role not seen before: a new caller, account, or web identity subject.
    package struct NewAssumer: Sendable {
        package var role: String
        package var caller: AssumeRoleCaller
        package var counts: UsageCounts
    }

    /// A denial group not seen before.
    package struct NewDenial: Sendable {
        package var key: DenialGroupKey
        package var group: DenialGroup
    }

    /// Whether anything changed (gaps inside the windows alone do not count; logs that
    /// stopped altogether do). Windows that both hold no event (a mistyped `--until`) are not
    /// a quiet night either: `--exit-code` says so rather than 0.
    package var isEmpty: Bool {
        newPrincipals.isEmpty && newActions.isEmpty && newAssumers.isEmpty && newDenials.isEmpty
            && stoppedActions.isEmpty && silentStreams.isEmpty && staleLogs == nil
            && loggingChanges.isEmpty && lateDays.isEmpty
            && (eventsInWindow > 0 || eventsInPreviousWindow > 0)
    }

    /// The IAM actions that turn down what an account records about itself: CloudTrail
    /// trails and event data stores, AWS Config's recorder and delivery, GuardDuty, Security
    /// Hub, Macie and IAM Access Analyzer. Disabling them is what an intruder does first
    /// (MITRE ATT&CK T1562.008, Impair Defenses: Disable or Modify Cloud Logs); CIS AWS
    /// Foundations alarms on the CloudTrail and Config ones.
    package static let loggingActions: Set<String> = [
        "cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "cloudtrail:UpdateTrail",
        "cloudtrail:PutEventSelectors", "cloudtrail:DeleteEventDataStore",
        "cloudtrail:StopEventDataStoreIngestion", "cloudtrail:UpdateEventDataStore",
        "config:StopConfigurationRecorder", "config:DeleteConfigurationRecorder",
        "config:PutConfigurationRecorder", "config:DeleteDeliveryChannel",
        "config:PutDeliveryChannel", "guardduty:DeleteDetector", "guardduty:UpdateDetector",
        "guardduty:DisassociateFromMasterAccount",
        "guardduty:DisassociateFromAdministratorAccount", "guardduty:DisassociateMembers",
        "securityhub:DisableSecurityHub", "securityhub:DisassociateFromAdministratorAccount",
        "securityhub:DisassociateFromMasterAccount", "macie2:DisableMacie",
        "macie2:UpdateMacieSession", "access-analyzer:DeleteAnalyzer",
    ]

    /// How many days before the window late deliveries are looked for: a month, past any
    /// lag a nightly sync lives with unnoticed (a file older than that came from a backfill).
    package static let lateDayLimit = 31

    /// `loggingActions` lower-cased: an export that lower-cases event names still matches.
    private static let loggingActionsFolded = Set(loggingActions.map { $0.lowercased() })

    /// The succeeded calls of `loggingActions` in `aggregate`, by principal and action.
    static func loggingCalls(in aggregate: Aggregate) -> [ActionChange] {
        var calls: [ActionChange] = []
        for (principal, usage) in aggregate.principals {
            for (action, actionUsage) in usage.actions
            where actionUsage.counts.succeeded > 0
                && loggingActionsFolded.contains(action.lowercased())
            {
                calls.append(
                    ActionChange(principal: principal, action: action, counts: actionUsage.counts))
            }
        }
        return calls.sorted { ($0.principal, $0.action) < ($1.principal, $1.action) }
    }

    /// Compares the aggregate of `current` with that of `previous`.
    package init(
        current: Aggregate, in currentWindow: TimeWindow, previous: Aggregate,
        in previousWindow: TimeWindow
    ) {
        self.current = currentWindow
        self.previous = previousWindow
        eventsInWindow = current.events.total
        eventsInPreviousWindow = previous.events.total
        for (principal, usage) in current.principals {
            guard let before = previous.principals[principal] else {
                newPrincipals.append(NewPrincipal(principal: principal, counts: usage.counts))
                continue
            }
            for (action, actionUsage) in usage.actions where actionUsage.counts.succeeded > 0 {
                if (before.actions[action]?.counts.succeeded ?? 0) == 0 {
                    newActions.append(
                        ActionChange(
                            principal: principal, action: action, counts: actionUsage.counts,
                            implied: actionUsage.impliedCalls))
                }
            }
        }
        for (principal, usage) in previous.principals {
            for (action, actionUsage) in usage.actions where actionUsage.counts.succeeded > 0 {
                let now = current.principals[principal]?.actions[action]?.counts.succeeded ?? 0
                if now == 0 {
                    stoppedActions.append(
                        ActionChange(
                            principal: principal, action: action, counts: actionUsage.counts,
                            implied: actionUsage.impliedCalls))
                }
            }
        }
        // Only an assumption that handed out credentials is a way in: a refused one is a new
        // denial (its own group below), and a caller refused before is new once it succeeds.
        for (role, logged) in current.assumedRoles {
            let assumptions = logged.foldingOwnerCopies().assumptions
            let before = previous.assumedRoles[role]?.foldingOwnerCopies().assumptions
            let known = Set(
                (before?.callers ?? [:]).filter { $0.value.succeeded > 0 }.keys.map(\.identity))
            // `identity` is compared by its bytes: a subject spelled with other bytes (a
            // branch whose `é` is decomposed) is another branch, so a new assumer.
            for (caller, counts) in assumptions.callers
            where counts.succeeded > 0 && !known.contains(caller.identity) {
                newAssumers.append(NewAssumer(role: role, caller: caller, counts: counts))
            }
        }
        let before = previous.denialsFoldingOwnerCopies()
        for (key, group) in current.denialsFoldingOwnerCopies() where before[key] == nil {
            newDenials.append(NewDenial(key: key, group: group))
        }
        newPrincipals.sort { $0.principal < $1.principal }
        newActions.sort { ($0.principal, $0.action) < ($1.principal, $1.action) }
        stoppedActions.sort { ($0.principal, $0.action) < ($1.principal, $1.action) }
        newAssumers.sort { ($0.role, $0.caller) < ($1.role, $1.caller) }
        newDenials.sort { $0.key < $1.key }
    }
}

extension AssumeRoleCaller {
    /// Who came in and how, without the token audience: a new audience alone is no new assumer.
    var identity: ExactString {
        ExactString(
            [caller, type.rawValue, api, subject ?? "", crossAccount ? "cross" : ""]
                .joined(separator: "\u{0}"))
    }
}

extension StateStore {
    /// What changed in the `days` days before `until` (midnight UTC; default: the end of the
    /// newest day in the state, said as stale when it is older than yesterday, `today`),
    /// against the `days` days before them. Nil for an empty state.
    package func changes(
        lastDays days: Int, until: EpochSeconds? = nil,
        today: DayNumber = DayNumber(day: EpochSeconds(Date().timeIntervalSince1970))
    ) throws -> StateChanges? {
        guard let newest = try window(lastDays: days), let end = until ?? newest.until else {
            return nil
        }
        let since = end - EpochSeconds(days) * 86_400
        let previousWindow = TimeWindow(since: since - EpochSeconds(days) * 86_400, until: since)
        var changes = try changes(in: TimeWindow(since: since, until: end), against: previousWindow)
        if until == nil {
            changes.staleLogs = StateChanges.StaleLogs(
                newestDay: DayNumber(day: end) - 1, today: today)
        }
        return changes
    }

    /// What changed in `window` against `previousWindow`, with the coverage gaps of both.
    package func changes(in window: TimeWindow, against previousWindow: TimeWindow) throws
        -> StateChanges
    {
        if let retained = try retainedFrom(), let since = previousWindow.since,
            DayNumber(day: since) < retained
        {
            throw StateError(
                path: path,
                "the window compared with starts \(DayNumber(day: since).dateText), but --retain"
                    + " deleted the days before \(retained.dateText): everything they held would"
                    + " look new. Use a shorter --window or a later --until, or keep more days"
                    + " (--retain)")
        }
        let current = try timedAggregate(window)
        let previous = try timedAggregate(previousWindow)
        var changes = StateChanges(
            current: current, in: window, previous: previous, in: previousWindow)
        changes.lateDays = try lateDeliveryDays(before: window)
        // A logging call is named whenever it reaches the state: in the window, or late.
        var scope = current
        for day in changes.lateDays {
            scope.merge(try timedAggregate(TimeWindow(since: day.start, until: (day + 1).start)))
        }
        changes.loggingChanges = StateChanges.loggingCalls(in: scope)
        changes.eventsWithoutTime = try untimedEvents()
        var both = current.coverage
        both.merge(previous.coverage)
        if let since = previousWindow.since, let until = window.until {
            // A stream's gaps start at its first day with logs, as `coverage` counts them: an
            // account onboarded within the windows has no gap before it. A stream that logged
            // before the windows only is dark in both: every day of them is a gap (a breaking
            // pass found it left out, the darkest stream of all).
            let first = try firstDays()
            changes.coverageGaps = CoverageGap.gaps(
                in: both, days: DayNumber(day: since)...(DayNumber(day: until) - 1),
                alsoFor: first.keys
            ).compactMap { gap in
                let start = first[Coverage.Key(account: gap.account, region: gap.region)]
                guard let start, start > gap.days.lowerBound else { return gap }
                guard start <= gap.days.upperBound else { return nil }
                var clipped = gap
                clipped.days = start...gap.days.upperBound
                return clipped
            }
        }
        // Silent on the window's last day, having logged before it: with a window of several
        // days, a trail stopped yesterday is a change tonight, not once the whole window is
        // quiet (a nightly run's last day is yesterday: each missing day is named once).
        if let since = window.since {
            let last =
                window.until.map { max(DayNumber(day: since), DayNumber(day: $0) - 1) }
                ?? DayNumber(day: since)
            let logging = Set(current.coverage.days.filter { $0.value.contains(last) }.keys)
            changes.silentStreams = try streams(before: last).filter { !logging.contains($0) }
        }
        return changes
    }

    /// Days, within the `lateDayLimit` days before `window` (and kept by `--retain`), that
    /// log files ingested after the window ended hold events of (`files.event_days`; for a
    /// file ingested by a trailaudit before schema version 6, its delivery day, or its
    /// folder's day); none unless some file was ingested before the window ended (on a first
    /// night every file is, and nothing is late).
    private func lateDeliveryDays(before window: TimeWindow) throws -> [DayNumber] {
        guard let since = window.since, let until = window.until else { return [] }
        let first = DayNumber(day: since)
        let oldest = max(first - DayNumber(StateChanges.lateDayLimit), try retainedFrom() ?? .min)
        return try database.readTransaction {
            let earlier = try database.prepare(
                "SELECT EXISTS (SELECT 1 FROM files WHERE ingested_at < ?)"
            ).bind(.integer(until))
            guard try earlier.step(), earlier.int(0) == 1 else { return [] }
            var late: Set<DayNumber> = []
            try database.prepare(
                "SELECT path, event_days FROM files"
                    + " WHERE ingested_at >= ? AND copy_of IS NULL AND events > 0"
            ).bind(.integer(until)).forEachRow { row in
                let days: [DayNumber]
                if let list = row.optionalText(1) {
                    // Empty for a file of untimed events only: no day of it is late.
                    days = list.split(separator: ",").compactMap { DayNumber($0) }
                } else {
                    let key = ExportKey(path: row.text(0))
                    guard let time = key.delivered ?? key.day else { return }
                    days = [DayNumber(day: time)]
                }
                late.formUnion(days.filter { $0 >= oldest && $0 < first })
            }
            return late.sorted()
        }
    }

    /// How many events of the state have no readable time.
    private func untimedEvents() throws -> Int {
        try database.readTransaction {
            let statement = try database.prepare(
                "SELECT coalesce(sum(succeeded + denied + failed), 0) FROM days WHERE day = ?"
            ).bind(.integer(Int64(DayNumber.untimed)))
            return try statement.step() ? statement.int(0) : 0
        }
    }

    /// The first day with logs of each account and region.
    private func firstDays() throws -> [Coverage.Key: DayNumber] {
        try database.readTransaction {
            let statement = try database.prepare(
                "SELECT account, region, min(day) FROM coverage WHERE day != ?"
                    + " GROUP BY account, region"
            ).bind(.integer(Int64(DayNumber.untimed)))
            var first: [Coverage.Key: DayNumber] = [:]
            while try statement.step() {
                let key = Coverage.Key(account: statement.text(0), region: statement.text(1))
                first[key] = DayNumber(truncatingIfNeeded: statement.int(2))
            }
            return first
        }
    }

    /// The accounts and regions with logs on any day before `day`.
    private func streams(before day: DayNumber) throws -> [Coverage.Key] {
        try database.readTransaction {
            let statement = try database.prepare(
                "SELECT DISTINCT account, region FROM coverage WHERE day < ? AND day != ? "
                    + "ORDER BY account, region"
            ).bind(.integer(Int64(day)), .integer(Int64(DayNumber.untimed)))
            var keys: [Coverage.Key] = []
            while try statement.step() {
                keys.append(Coverage.Key(account: statement.text(0), region: statement.text(1)))
            }
            return keys
        }
    }

    /// Only the dated events of the window (events without a time belong to no day).
    private func timedAggregate(_ window: TimeWindow) throws -> Aggregate {
        try database.readTransaction {
            let since = Int64(DayNumber(day: window.since ?? 0))
            let until = Int64(DayNumber(day: window.until ?? 0))
            return try loadAggregate(
                where: "day >= ? AND day < ?", [.integer(since), .integer(until)])
        }
    }
}
