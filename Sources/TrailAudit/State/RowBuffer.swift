/// Rows for one table, inserted many per statement: one `INSERT ... VALUES (...), (...)` per
/// 64 rows costs a fraction of 64 single-row statements.
final class RowBuffer {
    private static let rowsPerStatement = 64
    private let statements: StatementCache
    private let table: String
    private let columns: Int
    /// `INSERT OR IGNORE`: for the set-like tables a later segment of a day may repeat.
    private let orIgnore: Bool
    private var values: [SQLiteValue] = []

    init(_ statements: StatementCache, table: String, columns: Int, orIgnore: Bool = false) {
        self.statements = statements
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
            try insert(rows: RowBuffer.rowsPerStatement).bind(values).run()
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
            try insert(rows: rows).bind(Array(values[start..<end])).run()
            start = end
        }
        values.removeAll(keepingCapacity: true)
    }

    private func insert(rows: Int) throws -> SQLiteStatement {
        try statements.insert(into: table, columns: columns, rows: rows, orIgnore: orIgnore)
    }
}

/// Compiled multi-row INSERT statements, bound and run at once (never stepped through rows
/// while another user of the same statement runs): reused, not re-parsed.
final class StatementCache {
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
