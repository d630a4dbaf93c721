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
            try statements.statement(sql(rows: RowBuffer.rowsPerStatement)).bind(values).run()
            values.removeAll(keepingCapacity: true)
        }
    }

    /// Inserts the rows still buffered.
    func finish() throws {
        guard !values.isEmpty else { return }
        // One cached single-row statement per left-over row: compiling a statement for each
        // remainder size cost more than the rows.
        let single = try statements.statement(sql(rows: 1))
        for start in stride(from: 0, to: values.count, by: columns) {
            try single.bind(Array(values[start..<(start + columns)])).run()
        }
        values.removeAll(keepingCapacity: true)
    }

    private func sql(rows: Int) -> String {
        let row = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
        return "INSERT \(orIgnore ? "OR IGNORE " : "")INTO \(table) VALUES "
            + Array(repeating: row, count: rows).joined(separator: ", ")
    }
}

/// Compiled statements by their SQL, for statements that are bound and run at once (never
/// stepped through rows while another user of the same SQL runs): reused, not re-parsed.
final class StatementCache {
    private let database: SQLiteDatabase
    private var statements: [String: SQLiteStatement] = [:]

    init(_ database: SQLiteDatabase) {
        self.database = database
    }

    /// The statement for `sql`, compiled on first use.
    func statement(_ sql: String) throws -> SQLiteStatement {
        if let statement = statements[sql] { return statement }
        let statement = try database.prepare(sql)
        statements[sql] = statement
        return statement
    }
}
