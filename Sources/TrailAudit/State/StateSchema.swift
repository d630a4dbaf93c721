/// The tables of the nightly state file, by schema version (`PRAGMA user_version`).
///
/// Every aggregate table is keyed by `day` (UTC days since 1970; `DayNumber.untimed` for events
/// without a readable time), so the file grows with days × distinct principals, actions,
/// resources and callers, never with the number of events. Child rows point at their parent's
/// `id` and repeat its `day`, so a day is replaced or pruned with one `DELETE` per table.
///
/// A day may hold several segments (one per commit that added to it, one `days` row each):
/// readers merge rows by key anyway, so a commit appends instead of rewriting the day, and a
/// day is compacted into one segment once it has `StateStore.maxSegments`.
enum StateSchema {
    /// The version this trailaudit writes.
    static let current = 8

    /// The version of the rules that class a call as succeeded, denied, failed or failed
    /// authentication, and pick the action a denial is of, which a day's counts were made
    /// with (`days.rules`). A state holds counts, not events: a day counted by older rules
    /// stays as counted until its logs are ingested into a new state, so readers name such
    /// days (`StateStore.daysCountedByOlderRules`). Raise it when those rules change.
    /// - 1: up to schema version 7 (`days.rules` NULL).
    /// - 2: denials known by IAM's sentence about the caller when the code is unknown,
    ///   authentication failures in every documented spelling counted for no action, a
    ///   denial naming another catalog action counted as that action's denial (and the
    ///   call's own actions as failed calls). Only days with denied or failed calls differ.
    /// - 3: a denial is of another action only when IAM's sentence about the caller names it;
    ///   a service's sentence under a denial code leaves the call denied for its own actions.
    ///   A denial of an action the request implied (iam:TagRole for a CreateRole with tags)
    ///   counts the call's own actions as failed calls. Only days with denied calls differ.
    static let countingRules = 3

    /// Which program's file this is, in `meta`.
    static let application = "trailaudit-state"

    /// Aggregate tables, children first (the order a day is deleted in).
    static let dayTables = [
        "principal_sessions", "principal_source_ips", "principal_user_agents", "action_resources",
        "actions", "principals", "role_callers", "role_session_names", "role_source_ips", "roles",
        "token_issues", "denials", "coverage", "day_accounts", "day_regions", "days",
    ]

    /// The schema this trailaudit creates in an empty file: version 2's, then the changes of
    /// versions 3 to 8.
    static let create =
        version2 + additions2to3 + changes3to4 + changes4to5 + changes5to6 + changes6to7
        + changes7to8

    /// The schema of version 2.
    static let version2 = """
        CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE files(
            path TEXT PRIMARY KEY, size INTEGER NOT NULL, checksum INTEGER NOT NULL,
            ingested_at INTEGER NOT NULL, events INTEGER NOT NULL, duplicates INTEGER NOT NULL,
            non_call_records INTEGER NOT NULL, unrecognized_records INTEGER NOT NULL,
            mtime INTEGER NOT NULL DEFAULT -1, copy_of TEXT);
        CREATE INDEX files_by_checksum ON files(checksum, size);
        CREATE TABLE event_keys(
            path TEXT PRIMARY KEY, newest_day INTEGER NOT NULL, keys BLOB NOT NULL);
        CREATE INDEX event_keys_by_day ON event_keys(newest_day);
        CREATE TABLE days(
            day INTEGER NOT NULL, succeeded INTEGER NOT NULL, denied INTEGER NOT NULL,
            failed INTEGER NOT NULL, first_seen INTEGER, last_seen INTEGER);
        CREATE INDEX days_by_day ON days(day);
        CREATE TABLE day_accounts(day INTEGER, account TEXT, PRIMARY KEY(day, account))
            WITHOUT ROWID;
        CREATE TABLE day_regions(day INTEGER, region TEXT, PRIMARY KEY(day, region))
            WITHOUT ROWID;
        CREATE TABLE coverage(
            day INTEGER, account TEXT, region TEXT, PRIMARY KEY(day, account, region))
            WITHOUT ROWID;
        CREATE TABLE principals(
            id INTEGER PRIMARY KEY, day INTEGER NOT NULL, principal TEXT NOT NULL,
            type TEXT NOT NULL, succeeded INTEGER NOT NULL, denied INTEGER NOT NULL,
            failed INTEGER NOT NULL, first_seen INTEGER, last_seen INTEGER,
            events_without_action INTEGER NOT NULL, sessions_truncated INTEGER NOT NULL);
        CREATE INDEX principals_by_day ON principals(day);
        CREATE TABLE principal_sessions(
            day INTEGER, principal_id INTEGER, session TEXT,
            PRIMARY KEY(day, principal_id, session)) WITHOUT ROWID;
        CREATE TABLE principal_source_ips(
            day INTEGER, principal_id INTEGER, source_ip TEXT, count INTEGER NOT NULL,
            PRIMARY KEY(day, principal_id, source_ip)) WITHOUT ROWID;
        CREATE TABLE principal_user_agents(
            day INTEGER, principal_id INTEGER, user_agent TEXT, count INTEGER NOT NULL,
            PRIMARY KEY(day, principal_id, user_agent)) WITHOUT ROWID;
        CREATE TABLE actions(
            id INTEGER PRIMARY KEY, day INTEGER NOT NULL, principal_id INTEGER NOT NULL,
            action TEXT NOT NULL, succeeded INTEGER NOT NULL, denied INTEGER NOT NULL,
            failed INTEGER NOT NULL, first_seen INTEGER, last_seen INTEGER,
            resources_truncated INTEGER NOT NULL,
            succeeded_resources_truncated INTEGER NOT NULL);
        CREATE INDEX actions_by_day ON actions(day);
        CREATE TABLE action_resources(
            day INTEGER, action_id INTEGER, of_succeeded_calls INTEGER, resource TEXT,
            PRIMARY KEY(day, action_id, of_succeeded_calls, resource)) WITHOUT ROWID;
        CREATE TABLE roles(
            id INTEGER PRIMARY KEY, day INTEGER NOT NULL, role TEXT NOT NULL,
            succeeded INTEGER NOT NULL, denied INTEGER NOT NULL, failed INTEGER NOT NULL,
            first_seen INTEGER, last_seen INTEGER, session_names_truncated INTEGER NOT NULL,
            source_ips_truncated INTEGER NOT NULL);
        CREATE INDEX roles_by_day ON roles(day);
        CREATE TABLE role_callers(
            day INTEGER NOT NULL, role_id INTEGER NOT NULL, caller TEXT NOT NULL,
            type TEXT NOT NULL, api TEXT NOT NULL, subject TEXT, audience TEXT,
            cross_account INTEGER NOT NULL, succeeded INTEGER NOT NULL,
            denied INTEGER NOT NULL, failed INTEGER NOT NULL, first_seen INTEGER,
            last_seen INTEGER);
        CREATE INDEX role_callers_by_day ON role_callers(day);
        CREATE TABLE role_session_names(
            day INTEGER, role_id INTEGER, session_name TEXT,
            PRIMARY KEY(day, role_id, session_name)) WITHOUT ROWID;
        CREATE TABLE role_source_ips(
            day INTEGER, role_id INTEGER, source_ip TEXT,
            PRIMARY KEY(day, role_id, source_ip)) WITHOUT ROWID;
        CREATE TABLE token_issues(
            day INTEGER NOT NULL, caller TEXT NOT NULL, type TEXT NOT NULL, api TEXT NOT NULL,
            succeeded INTEGER NOT NULL, denied INTEGER NOT NULL, failed INTEGER NOT NULL,
            first_seen INTEGER, last_seen INTEGER);
        CREATE INDEX token_issues_by_day ON token_issues(day);
        CREATE TABLE denials(
            day INTEGER NOT NULL, principal TEXT NOT NULL, principal_type TEXT NOT NULL,
            action TEXT NOT NULL, resource TEXT, error_code TEXT NOT NULL,
            denied_by_kind TEXT NOT NULL, denied_by_policy TEXT, count INTEGER NOT NULL,
            first_seen INTEGER, last_seen INTEGER, sample_message TEXT, sample_time INTEGER);
        CREATE INDEX denials_by_day ON denials(day);
        """

    /// Version 1 to 2: files gained their modification time, so an unchanged tree is skipped
    /// by `stat` alone, and `copy_of`, naming the ingested file a re-synced copy repeats.
    /// Files from version 1 get mtime -1, matching no file: each is read once more, recognised
    /// by its checksum (not counted again), and its time recorded.
    static let migration1to2 = """
        ALTER TABLE files ADD COLUMN mtime INTEGER NOT NULL DEFAULT -1;
        ALTER TABLE files ADD COLUMN copy_of TEXT;
        PRAGMA user_version = 2;
        """

    /// Version 2 to 3: source IPs and user agents are kept per principal and day for the
    /// 1,000 smallest values only (an attacker chooses the user agent of every request to a
    /// public bucket: 200,000 of 1 KB made a 943 MB state); the occurrences of the others are
    /// counted. Version 2 states kept every value, so theirs are 0.
    static let additions2to3 = """
        ALTER TABLE principals ADD COLUMN source_ips_unlisted INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE principals ADD COLUMN user_agents_unlisted INTEGER NOT NULL DEFAULT 0;
        """

    /// Version 3 to 4: a resource that both lists of an action name (the resources of all its
    /// calls, and of its succeeded calls: most of them) is stored once, not twice; the column
    /// that told the lists apart says which lists hold the row's resource (`ResourceLists`).
    /// Its values 0 and 1 keep their meaning, so stored rows need no change.
    static let changes3to4 = """
        ALTER TABLE action_resources RENAME COLUMN of_succeeded_calls TO lists;
        """

    /// Version 4 to 5: how many of an action's calls were its own events
    /// (`ActionUsage.ownCalls`), which alone show the side of the data events a trail records.
    /// NULL in rows written before: read as every call its own, as version 4 counted them.
    static let changes4to5 = """
        ALTER TABLE actions ADD COLUMN own_calls INTEGER;
        """

    /// Version 5 to 6: the days of each file's dated events (day numbers, ascending, comma
    /// separated; empty for a file of untimed events only), so `changes` can tell which days a
    /// file that came late added to (its name says when it was delivered, not what its
    /// events are; a first-to-last span would take one stray old event for a month). NULL
    /// in rows written before.
    static let changes5to6 = """
        ALTER TABLE files ADD COLUMN event_days TEXT;
        """

    /// Version 6 to 7: how many of an action's calls were other actions' calls whose request
    /// needed it too (`ActionUsage.impliedCalls`). NULL in rows written before, read as 0:
    /// version 6 counted them as the action's own calls.
    static let changes6to7 = """
        ALTER TABLE actions ADD COLUMN implied_calls INTEGER;
        """

    /// Version 7 to 8: the counting rules each day segment was counted by (`countingRules`).
    /// NULL in rows written before, read as rules 1.
    static let changes7to8 = """
        ALTER TABLE days ADD COLUMN rules INTEGER;
        """
}

/// Which of an action's two resource lists hold a resource (`action_resources.lists`).
enum ResourceLists: Int64 {
    /// The resources of all calls only (named by denied or failed calls).
    case allCalls = 0
    /// The resources of succeeded calls only (the other list was truncated before it).
    case succeededCalls = 1
    /// Both lists.
    case both = 2
}
