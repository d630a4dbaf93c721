/// Rows for one table, inserted many per statement: one `INSERT ... VALUES (...), (...)` per
/// 64 rows costs a fraction of 64 single-row statements.
final class RowBuffer {
    private static let rowsPerStatement = 64
    private let database: SQLiteDatabase
    private let table: String
    private let columns: Int
    /// `INSERT OR IGNORE`: for the set-like tables a later segment of a day may repeat.
    private let orIgnore: Bool
    private var values: [SQLiteValue] = []
    private var full: SQLiteStatement?

    init(_ database: SQLiteDatabase, table: String, columns: Int, orIgnore: Bool = false) {
        self.database = database
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
            if full == nil { full = try database.prepare(sql(rows: RowBuffer.rowsPerStatement)) }
            try full!.bind(values).run()
            values.removeAll(keepingCapacity: true)
        }
    }

    /// Inserts the rows still buffered.
    func finish() throws {
        guard !values.isEmpty else { return }
        try database.prepare(sql(rows: values.count / columns)).bind(values).run()
        values.removeAll(keepingCapacity: true)
    }

    private func sql(rows: Int) -> String {
        let row = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
        return "INSERT \(orIgnore ? "OR IGNORE " : "")INTO \(table) VALUES "
            + Array(repeating: row, count: rows).joined(separator: ", ")
    }
}
