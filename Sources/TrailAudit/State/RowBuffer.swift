import Foundation

/// Where a `RowBuffer` sends its rows, one statement's worth at a time: inserted at once
/// (`StatementCache`), or handed to the thread that owns the connection (`RowPipe`).
protocol RowSink: AnyObject {
    /// Inserts `rows` rows of `table` (`values`: `columns` per row, in column order).
    func insert(
        _ values: [SQLiteValue], rows: Int, into table: String, columns: Int, orIgnore: Bool
    ) throws
}

/// Rows for one table, inserted many per statement: one `INSERT ... VALUES (...), (...)` per
/// 64 rows costs a fraction of 64 single-row statements.
final class RowBuffer {
    private static let rowsPerStatement = 64
    private let sink: any RowSink
    private let table: String
    private let columns: Int
    /// `INSERT OR IGNORE`: for the set-like tables a later segment of a day may repeat.
    private let orIgnore: Bool
    private var values: [SQLiteValue] = []

    init(_ sink: any RowSink, table: String, columns: Int, orIgnore: Bool = false) {
        self.sink = sink
        self.table = table
        self.columns = columns
        self.orIgnore = orIgnore
        values.reserveCapacity(RowBuffer.rowsPerStatement * columns)
    }

    /// Adds one row (exactly `columns` values, in the table's column order).
    func append(_ row: SQLiteValue...) throws {
        precondition(row.count == columns, "\(table): \(row.count) values for \(columns) columns")
        values.append(contentsOf: row)
        if values.count == RowBuffer.rowsPerStatement * columns {
            try send(values, rows: RowBuffer.rowsPerStatement)
            values.removeAll(keepingCapacity: true)
        }
    }

    /// Inserts the rows still buffered: in runs of 32, 16, ... 1 rows, so a remainder takes at
    /// most six statements, each compiled once per state.
    func finish() throws {
        var start = 0
        var rows = RowBuffer.rowsPerStatement / 2
        while start < values.count {
            let left = (values.count - start) / columns
            while rows > left { rows /= 2 }
            let end = start + rows * columns
            try send(Array(values[start..<end]), rows: rows)
            start = end
        }
        values.removeAll(keepingCapacity: true)
    }

    private func send(_ values: [SQLiteValue], rows: Int) throws {
        try sink.insert(values, rows: rows, into: table, columns: columns, orIgnore: orIgnore)
    }
}

/// Compiled multi-row INSERT statements, bound and run at once (never stepped through rows
/// while another user of the same statement runs): reused, not re-parsed.
final class StatementCache: RowSink {
    private let database: SQLiteDatabase
    private var inserts: [InsertShape: SQLiteStatement] = [:]

    /// A multi-row INSERT: its table, rows per statement and conflict clause.
    private struct InsertShape: Hashable {
        var table: String
        var rows: Int
        var orIgnore: Bool
    }

    init(_ database: SQLiteDatabase) {
        self.database = database
    }

    /// Releases the compiled statements (before the connection closes).
    func removeAll() { inserts.removeAll() }

    func insert(
        _ values: [SQLiteValue], rows: Int, into table: String, columns: Int, orIgnore: Bool
    ) throws {
        try insert(into: table, columns: columns, rows: rows, orIgnore: orIgnore).bind(values)
            .run()
    }

    /// `INSERT [OR IGNORE] INTO table VALUES (?, ...), ...` with `rows` rows of `columns`
    /// values, compiled on first use (looked up by shape: its text runs to kilobytes).
    func insert(into table: String, columns: Int, rows: Int, orIgnore: Bool) throws
        -> SQLiteStatement
    {
        let shape = InsertShape(table: table, rows: rows, orIgnore: orIgnore)
        if let statement = inserts[shape] { return statement }
        let row = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
        let statement = try database.prepare(
            "INSERT \(orIgnore ? "OR IGNORE " : "")INTO \(table) VALUES "
                + Array(repeating: row, count: rows).joined(separator: ", "))
        inserts[shape] = statement
        return statement
    }
}

/// Rows made on one thread and inserted on the thread that owns the connection: a commit's
/// rows are built (aggregates merged, values collected) while the rows before them are
/// inserted, so the commit takes about the time of SQLite's part alone.
///
/// The builder blocks while `capacity` statements' worth wait; the inserter takes all that
/// wait at once. Either side may stop the other: `close` (the builder is done) or `cancel`
/// (the inserter failed: the builder's next `insert` throws).
final class RowPipe: RowSink, @unchecked Sendable {
    // Unchecked: every field only under `condition`.
    struct Batch {
        var values: [SQLiteValue]
        var rows: Int
        var table: String
        var columns: Int
        var orIgnore: Bool
    }

    /// The builder stopped because the inserter gave up.
    struct Cancelled: Error {}

    private static let capacity = 64
    private let condition = NSCondition()
    private var waiting: [Batch] = []
    private var closed = false
    private var cancelled = false

    func insert(
        _ values: [SQLiteValue], rows: Int, into table: String, columns: Int, orIgnore: Bool
    ) throws {
        let batch = Batch(
            values: values, rows: rows, table: table, columns: columns, orIgnore: orIgnore)
        try condition.withLock {
            while waiting.count >= RowPipe.capacity, !cancelled { condition.wait() }
            if cancelled { throw Cancelled() }
            waiting.append(batch)
            if waiting.count == 1 { condition.broadcast() }
        }
    }

    /// The builder's last word: no more batches.
    func close() {
        condition.withLock {
            closed = true
            condition.broadcast()
        }
    }

    /// The inserter's: it takes no more batches.
    func cancel() {
        condition.withLock {
            cancelled = true
            waiting.removeAll()
            condition.broadcast()
        }
    }

    /// Every batch waiting (at least one), or an empty array once the builder closed and all
    /// were taken.
    func take() -> [Batch] {
        condition.withLock {
            while waiting.isEmpty, !closed { condition.wait() }
            let taken = waiting
            waiting = []
            condition.broadcast()
            return taken
        }
    }
}

/// A value passed on (to another thread, or into a closure) that holds the only reference to
/// it once taken, so it is changed in place there, not copied.
final class Handoff<Value>: @unchecked Sendable {
    // Unchecked: `value` is taken once, by the one thread that was given the handoff.
    private var value: Value?

    init(_ value: consuming Value) { self.value = value }

    /// The value, leaving nothing behind; called once.
    func take() -> Value { value.take()! }
}
