/// The finished report: the aggregate turned into sorted, render-ready entries.
///
/// Every list is in one stable order so that output is byte-identical across runs,
/// `--jobs` values and file orders. Renderers choose their own order for display.
package struct Report: Sendable {
    /// Bumped when a JSON field changes meaning or disappears; additions keep it.
    package static let schemaVersion = 1

    package var input: InputSection
    package var principals: [PrincipalEntry]
    package var assumeRole: [RoleEntry]
    package var tokens: [TokenEntry]
    package var accessDenied: [DenialEntry]

    package struct InputSection: Sendable {
        package var events: Int
        package var duplicateEvents: Int
        package var filesRead: Int
        package var skipped: [FileNote]
        package var failed: [FileNote]
        package var eventsInFailedFiles: Int
        package var eventsOutsideWindow: Int
        package var nonCallRecords: Int
        package var unrecognizedRecords: Int
        package var accounts: [String]
        package var regions: [String]
        package var firstEvent: EpochSeconds?
        package var lastEvent: EpochSeconds?
        package var window: TimeWindow
    }

    package struct PrincipalEntry: Sendable {
        package var principal: Principal
        package var counts: UsageCounts
        package var eventsWithoutAction: Int
        package var sessions: BoundedSet
        package var sourceIPs: [(key: String, count: Int)]
        package var userAgents: [(key: String, count: Int)]
        /// Events whose source IP or user agent is not listed (past the 1,000 kept).
        package var sourceIPsUnlisted: Int
        package var userAgentsUnlisted: Int
        package var actions: [ActionEntry]
    }

    package struct ActionEntry: Sendable {
        package var action: String
        package var counts: UsageCounts
        package var resources: BoundedSet
        /// Of the counted calls, those that were other actions' calls needing this permission
        /// too (`ActionUsage.impliedCalls`).
        package var implied = 0
    }

    package struct RoleEntry: Sendable {
        package var role: String
        package var counts: UsageCounts
        package var callers: [(caller: AssumeRoleCaller, counts: UsageCounts)]
        package var sessionNames: BoundedSet
        package var sourceIPs: BoundedSet
        /// Calls also logged in the role's account (as by the caller's account), not counted
        /// twice: see `RoleAssumptions.foldingOwnerCopies`.
        package var ownerCopies: Int
    }

    package struct TokenEntry: Sendable {
        package var issue: TokenIssue
        package var counts: UsageCounts
    }

    package struct DenialEntry: Sendable {
        package var key: DenialGroupKey
        package var group: DenialGroup
    }
}

extension Report {
    /// Builds the report from a finished run.
    package init(_ result: AuditResult, window: TimeWindow = TimeWindow()) {
        let aggregate = result.aggregate
        input = InputSection(
            events: aggregate.events.total, duplicateEvents: result.input.duplicateEvents,
            filesRead: result.input.filesRead, skipped: result.input.skipped.sorted(),
            failed: result.input.failed.sorted(),
            eventsInFailedFiles: result.input.eventsInFailedFiles,
            eventsOutsideWindow: aggregate.eventsOutsideWindow,
            nonCallRecords: aggregate.nonCallRecords,
            unrecognizedRecords: result.input.unrecognizedRecords,
            accounts: aggregate.accounts.sorted(),
            regions: aggregate.regions.sorted(), firstEvent: aggregate.events.firstSeen,
            lastEvent: aggregate.events.lastSeen, window: window)

        principals = aggregate.principals.map { principal, usage in
            let (sourceIPs, userAgents) = (usage.sourceIPs.listing, usage.userAgents.listing)
            return PrincipalEntry(
                principal: principal, counts: usage.counts,
                eventsWithoutAction: usage.eventsWithoutAction, sessions: usage.sessions,
                sourceIPs: BoundedTally.ranked(sourceIPs.kept),
                userAgents: BoundedTally.ranked(userAgents.kept),
                sourceIPsUnlisted: sourceIPs.unlisted, userAgentsUnlisted: userAgents.unlisted,
                actions: usage.actions.map {
                    ActionEntry(
                        action: $0, counts: $1.counts, resources: $1.resources,
                        implied: $1.impliedCalls)
                }
                .sorted { $0.action < $1.action })
        }.sorted { $0.principal < $1.principal }

        assumeRole = aggregate.assumedRoles.map { role, logged in
            let (assumptions, ownerCopies) = logged.foldingOwnerCopies()
            return RoleEntry(
                role: role, counts: assumptions.counts,
                callers: assumptions.callers.map { (caller: $0, counts: $1) }
                    .sorted { $0.caller < $1.caller },
                sessionNames: assumptions.sessionNames, sourceIPs: assumptions.sourceIPs,
                ownerCopies: ownerCopies)
        }.sorted { $0.role < $1.role }

        tokens = aggregate.tokenIssues.map { TokenEntry(issue: $0, counts: $1) }
            .sorted { $0.issue < $1.issue }

        accessDenied = aggregate.denialsFoldingOwnerCopies()
            .map { DenialEntry(key: $0, group: $1) }
            .sorted { $0.key < $1.key }
    }
}
