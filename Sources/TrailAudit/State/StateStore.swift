import CSQLite
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The nightly state: one SQLite file holding per-day aggregates, the files already ingested,
/// and the keys of recent events (see `StateSchema` for the tables, the README for the recipe).
///
/// Opened in WAL mode: readers (`report --state`) see the last committed snapshot while an
/// ingest writes, and a process killed at any moment leaves the last commit intact.
package final class StateStore {
    /// The state file as the user named it.
    package let path: String
    let database: SQLiteDatabase
    /// The multi-row INSERT statements, compiled once per state instead of once per day
    /// written (parsing them was half of what an ingest spent beyond a report).
    let inserts: StatementCache

    /// Opens the state at `path`, creating it when `create` is set and migrating a state
    /// written by an older trailaudit. Refuses a state from a newer trailaudit, and any other
    /// file (a reader also an empty one) before writing anything to it. With `verify` (the
    /// writers: `ingest`, `merge`), first reads every page (`PRAGMA quick_check`) and refuses
    /// a damaged file, which a write would only damage further.
    package init(path: String, create: Bool, verify: Bool = false) throws {
        self.path = path
        if !create, access(path, F_OK) != 0 {
            throw StateError(
                path: path,
                "no such state file; build it first with"
                    + " 'trailaudit ingest --state \(path) PATH...'")
        }
        try StateStore.refuseSeveralNames(path)
        database = try SQLiteDatabase(path: path, create: create)
        inserts = StatementCache(database)
        do {
            if verify { try database.readTransaction { try refuseDamage() } }
            try database.readTransaction { try refuseOtherFiles(create: create) }
            try prepareSchema()
        } catch let error as StateError where error.code == SQLITE_READONLY {
            throw StateStore.explainReadOnly(error, path: path)
        } catch let error as StateError where error.code == SQLITE_NOTADB {
            throw StateError(
                path: path, "not a trailaudit state (not an SQLite file); nothing written",
                code: error.code)
        }
    }

    /// SQLite's "attempt to write a readonly database", said with its cause when it is the
    /// folder: a reader of a state in WAL mode creates `FILE-shm` (and `FILE-wal`) beside it,
    /// which a folder the user may not write refuses, however readable the state itself is.
    private static func explainReadOnly(_ error: StateError, path: String) -> StateError {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        guard access(folder, W_OK) != 0 else { return error }
        return StateError(
            path: path,
            "cannot be read from \(folder): SQLite opens a state with the files \(path)-wal and"
                + " \(path)-shm beside it, and this user may not create files in that folder."
                + " Run as a user who may, or copy the state (with its -wal file, if there is"
                + " one) to a folder this user may write",
            code: error.code)
    }

    /// Refuses a state file with more than one name (hard links). SQLite keeps a file's
    /// write-ahead log beside the name it was opened by (`NAME-wal`), so a reader or writer
    /// through another name misses the commits still in the first name's log, and a later
    /// checkpoint of that log writes over its pages: lost counts or a damaged file (SQLite's
    /// "How To Corrupt An SQLite Database File", multiple links to the same file). A symbolic
    /// link is resolved by SQLite to the one real name and is fine.
    private static func refuseSeveralNames(_ path: String) throws {
        var status = stat()
        guard stat(path, &status) == 0, status.st_nlink > 1 else { return }
        throw StateError(
            path: path,
            "the state file has \(status.st_nlink) names (hard links); SQLite keeps its"
                + " write-ahead log beside the name it was opened by, so work through another"
                + " name can lose commits or damage the file. Keep one name (a symbolic link is"
                + " fine): remove the other links, and back up with a copy"
                + " ('sqlite3 \(path) \".backup COPY\"'), not a link")
    }

    /// Refuses a file that is not a trailaudit state while it is untouched (setting WAL mode
    /// would already rewrite its header). An empty file, or an SQLite file without tables, is a
    /// new state to a writer; a reader would report nothing from it, as if no events happened.
    private func refuseOtherFiles(create: Bool) throws {
        if try integer("PRAGMA page_count") == 0 {
            guard create else {
                throw StateError(path: path, "not a trailaudit state (empty file)")
            }
            return
        }
        var tables: Set<String> = []
        try database.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").forEachRow {
            tables.insert($0.text(0))
        }
        if tables.isEmpty {
            guard create else {
                throw StateError(path: path, "not a trailaudit state (no trailaudit tables)")
            }
            return
        }
        guard tables.contains("meta") else {
            throw StateError(
                path: path, "not a trailaudit state (an SQLite file with other tables)")
        }
        try checkApplication()
    }

    /// Refuses the state if `PRAGMA quick_check` finds it damaged: what a writer runs before
    /// its first write (an ingest with nothing new writes nothing, and checks nothing).
    package func verify() throws {
        try database.readTransaction { try refuseDamage() }
    }

    /// Refuses a file whose pages `PRAGMA quick_check` finds damaged (a disk fault, a copy
    /// taken while it was written without its -wal file, bytes overwritten).
    private func refuseDamage() throws {
        var problems: [String] = []
        do {
            // The first problem comes after a line naming the schema ("*** in database main").
            try database.prepare("PRAGMA quick_check(3)").forEachRow { row in
                problems += row.text(0).split(separator: "\n").map(String.init)
                    .filter { !$0.hasPrefix("*** ") }
            }
        } catch let error as StateError where error.isCorrupt {
            problems = [error.message]
        }
        guard problems.contains(where: { $0 != "ok" }) else { return }
        throw StateError(
            path: path,
            "damaged: PRAGMA quick_check found \(problems.joined(separator: "; ")); nothing"
                + " written. Restore the file from a backup, or rebuild the state with"
                + " 'trailaudit ingest --state NEWFILE PATH...' over the logs",
            code: SQLITE_CORRUPT)
    }

    private func integer(_ sql: String) throws -> Int {
        let statement = try database.prepare(sql)
        return try statement.step() ? statement.int(0) : 0
    }

    private func prepareSchema() throws {
        // A 64 MiB page cache (used only as the file needs it): a night's days stay in memory
        // while they are rewritten. Pages of 16 KiB, not SQLite's 4 KiB, in a new file (an
        // existing file keeps its own): a first ingest of the 10,000-file benchmark tree
        // (167,000 rows) took 1.29-1.35 s against 1.39-1.45 s, and reading it back no longer.
        try database.execute(
            """
            PRAGMA page_size = 16384; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
            PRAGMA cache_size = -65536
            """)
        // Readers only look: no write lock unless the file must be created or migrated.
        let version = try database.readTransaction { try database.userVersion() }
        if version == StateSchema.current {
            try database.readTransaction { try checkApplication() }
            return
        }
        try database.writeTransaction {
            let version = try database.userVersion()
            if version == 0 {
                try createOrRefuse()
                return
            }
            try checkApplication()
            if version > StateSchema.current {
                throw StateError(
                    path: path,
                    "schema version \(version) is newer than this trailaudit understands"
                        + " (\(StateSchema.current)); use the trailaudit that wrote it or a newer"
                        + " one, or build a new state with this one (a new --state FILE)")
            }
            if version == 1 { try database.execute(StateSchema.migration1to2) }
            if version <= 2 { try database.execute(StateSchema.additions2to3) }
            if version <= 3 { try database.execute(StateSchema.changes3to4) }
            if version <= 4 { try database.execute(StateSchema.changes4to5) }
            if version <= 5 { try database.execute(StateSchema.changes5to6) }
            if version <= 6 { try database.execute(StateSchema.changes6to7) }
            if version <= 7 { try database.execute(StateSchema.changes7to8) }
            try database.execute("PRAGMA user_version = \(StateSchema.current)")
        }
    }

    private func createOrRefuse() throws {
        let tables = try database.prepare("SELECT count(*) FROM sqlite_master")
        guard try tables.step(), tables.int(0) == 0 else {
            throw StateError(
                path: path, "not a trailaudit state (an SQLite file with other tables)")
        }
        try database.execute(StateSchema.create)
        try database.prepare("INSERT INTO meta(key, value) VALUES ('application', ?)")
            .bind(.text(StateSchema.application)).run()
        try database.execute("PRAGMA user_version = \(StateSchema.current)")
    }

    private func checkApplication() throws {
        let statement = try database.prepare("SELECT value FROM meta WHERE key = 'application'")
        guard try statement.step(), statement.text(0) == StateSchema.application else {
            throw StateError(path: path, "not a trailaudit state (no trailaudit meta row)")
        }
    }

    /// Closes the file now (see `SQLiteDatabase.close`), though other threads may still hold
    /// this store; nothing can be read or written through it afterwards.
    package func close() {
        inserts.removeAll()
        database.close()
    }

    /// The schema version of the open file (after any migration).
    package func schemaVersion() throws -> Int { try database.userVersion() }
}
