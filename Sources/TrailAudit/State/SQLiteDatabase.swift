import CSQLite

/// A failure of the state file: which file, what was being done, and SQLite's own message.
package struct StateError: Error, CustomStringConvertible, Sendable {
    package var path: String
    package var message: String
    /// SQLite's result code (`SQLITE_BUSY` = 5, ...), or 0 for errors of trailaudit's own.
    package var code: Int32

    package init(path: String, _ message: String, code: Int32 = 0) {
        self.path = path
        self.message = message
        self.code = code
    }

    /// Whether another process held the database past the busy timeout.
    package var isBusy: Bool { code == SQLITE_BUSY || code == SQLITE_LOCKED }

    /// Whether SQLite found the file's pages damaged ("database disk image is malformed").
    package var isCorrupt: Bool { code == SQLITE_CORRUPT }

    package var description: String { "state \(path): \(message)" }
}

/// One connection to an SQLite file: statements, transactions, a busy timeout, and errors that
/// name the file. Not shared between threads (the state has one writer thread).
package final class SQLiteDatabase {
    /// The file, as named by the user, for messages.
    package let path: String
    private var handle: OpaquePointer?

    /// Opens (creating if `create`) the database at `path`, waiting up to `busyTimeout`
    /// milliseconds whenever another connection holds a lock.
    package init(path: String, create: Bool, busyTimeout: Int32 = 30_000) throws {
        self.path = path
        _ = SQLiteDatabase.configured
        let flags =
            SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0)
        let status = sqlite3_open_v2(path, &handle, flags, nil)
        guard status == SQLITE_OK else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(handle)
            handle = nil
            throw StateError(path: path, "cannot open: \(message)", code: status)
        }
        sqlite3_busy_timeout(handle, busyTimeout)
        sqlite3_extended_result_codes(handle, 0)
    }

    /// Process-wide settings, made once before the first connection opens.
    private static let configured: Void = {
        _ = trailaudit_sqlite3_disable_memory_statistics()
    }()

    deinit {
        // Statements are finalized by their owners first; v2 defers the close if one is not.
        sqlite3_close_v2(handle)
    }

    /// Closes the connection now, whoever still holds this object: the last connection to a
    /// WAL file moves the WAL into the file and removes it. A writer closes before it gives
    /// up its `StateLock`: a second name for the same file (a hard link) has a WAL of its own
    /// name, and a process that took the lock through it must find every commit in the file.
    /// Every statement must be released first (else the close is deferred until they are, as
    /// in `deinit`). Nothing can run on the connection afterwards.
    package func close() {
        guard let open = handle else { return }
        handle = nil
        if sqlite3_close(open) != SQLITE_OK { sqlite3_close_v2(open) }
    }

    /// Runs one or more statements that return no rows.
    package func execute(_ sql: String) throws {
        try refuseClosed()
        var message: UnsafeMutablePointer<CChar>?
        let status = sqlite3_exec(handle, sql, nil, nil, &message)
        guard status == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? errorMessage
            sqlite3_free(message)
            throw StateError(path: path, text, code: status)
        }
    }

    /// Compiles one statement.
    package func prepare(_ sql: String) throws -> SQLiteStatement {
        try refuseClosed()
        var statement: OpaquePointer?
        let status = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        guard status == SQLITE_OK, let statement else {
            throw StateError(path: path, "\(errorMessage) (in: \(sql.prefix(60)))", code: status)
        }
        return SQLiteStatement(statement, database: self)
    }

    /// Runs `body` in a write transaction taken at once (`BEGIN IMMEDIATE`), so two writers
    /// queue on the busy timeout instead of failing half-way; rolls back if `body` throws.
    package func writeTransaction<Result>(_ body: () throws -> Result) throws -> Result {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Runs `body` in a read transaction: one consistent snapshot while a writer goes on.
    package func readTransaction<Result>(_ body: () throws -> Result) throws -> Result {
        try execute("BEGIN DEFERRED")
        defer { try? execute("COMMIT") }
        return try body()
    }

    /// `PRAGMA user_version`: the schema version this project writes there.
    package func userVersion() throws -> Int {
        let statement = try prepare("PRAGMA user_version")
        guard try statement.step() else { return 0 }
        return statement.int(0)
    }

    /// Throws once `close` has run: SQLite must not be handed a closed connection.
    private func refuseClosed() throws {
        guard handle == nil else { return }
        throw StateError(path: path, "used after it was closed", code: SQLITE_MISUSE)
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    package var changes: Int { Int(sqlite3_changes(handle)) }

    /// SQLite's message for the last failure on this connection.
    package var errorMessage: String { String(cString: sqlite3_errmsg(handle)) }

    /// The error for a failed call, naming the file.
    func failure(_ status: Int32, _ doing: String) -> StateError {
        StateError(path: path, "\(doing): \(errorMessage)", code: status)
    }
}
