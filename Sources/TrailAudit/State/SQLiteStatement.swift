import CSQLite

/// A compiled statement: bind parameters (1-based), step through rows, read columns (0-based).
/// Finalized when released.
package final class SQLiteStatement {
    private let statement: OpaquePointer
    private let database: SQLiteDatabase
    /// How many parameters the statement has.
    private let parameterCount: Int

    init(_ statement: OpaquePointer, database: SQLiteDatabase) {
        self.statement = statement
        self.database = database
        parameterCount = Int(sqlite3_bind_parameter_count(statement))
    }

    deinit { sqlite3_finalize(statement) }

    /// Binds `values` to parameters 1, 2, ... after a reset, ready for `step` or `run`.
    @discardableResult
    package func bind(_ values: SQLiteValue...) throws -> SQLiteStatement {
        try bind(values)
    }

    /// Binds an array of values to parameters 1, 2, ...; parameters past them are NULL.
    @discardableResult
    package func bind(_ values: [SQLiteValue]) throws -> SQLiteStatement {
        sqlite3_reset(statement)
        // Values for every parameter replace every earlier binding: clearing them first
        // costs a pass over all of them (a multi-row INSERT has hundreds).
        if values.count < parameterCount { sqlite3_clear_bindings(statement) }
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let status: Int32
            switch value {
            case .null: status = sqlite3_bind_null(statement, index)
            case .integer(let number): status = sqlite3_bind_int64(statement, index, number)
            case .text(let text):
                var text = text
                status = text.withUTF8 { bytes in
                    guard let base = bytes.baseAddress else {
                        return trailaudit_sqlite3_bind_text_transient(statement, index, "", 0)
                    }
                    return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                        trailaudit_sqlite3_bind_text_transient(
                            statement, index, $0, Int32(bytes.count))
                    }
                }
            case .blob(let bytes):
                // A zero-length blob still needs a pointer, or SQLite binds NULL.
                status = (bytes.isEmpty ? [0] : bytes).withUnsafeBytes {
                    trailaudit_sqlite3_bind_blob_transient(
                        statement, index, $0.baseAddress, Int32(bytes.count))
                }
            }
            guard status == SQLITE_OK else { throw database.failure(status, "bind") }
        }
        return self
    }

    /// Advances to the next row; false when there is none.
    package func step() throws -> Bool {
        let status = sqlite3_step(statement)
        switch status {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw database.failure(status, "step")
        }
    }

    /// Runs a statement that returns no rows.
    package func run() throws {
        while try step() {}
    }

    /// Calls `body` for every row.
    package func forEachRow(_ body: (SQLiteStatement) throws -> Void) throws {
        while try step() { try body(self) }
    }

    /// The integer in column `index` (0 for NULL).
    package func int(_ index: Int32) -> Int { Int(sqlite3_column_int64(statement, index)) }

    /// The integer in column `index`, or nil for NULL.
    package func optionalInt(_ index: Int32) -> Int? {
        sqlite3_column_type(statement, index) == SQLITE_NULL ? nil : int(index)
    }

    /// The text in column `index` (empty for NULL).
    package func text(_ index: Int32) -> String {
        guard let bytes = sqlite3_column_text(statement, index) else { return "" }
        let count = Int(sqlite3_column_bytes(statement, index))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    /// The text in column `index`, or nil for NULL.
    package func optionalText(_ index: Int32) -> String? {
        sqlite3_column_type(statement, index) == SQLITE_NULL ? nil : text(index)
    }

    /// The bytes in column `index`.
    package func blob(_ index: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(statement, index))
        guard count > 0, let bytes = sqlite3_column_blob(statement, index) else { return [] }
        return Array(UnsafeRawBufferPointer(start: bytes, count: count))
    }
}

/// A value bound to a statement parameter.
package enum SQLiteValue {
    case null
    case integer(Int64)
    case text(String)
    case blob([UInt8])
}

extension SQLiteValue: ExpressibleByIntegerLiteral, ExpressibleByStringLiteral {
    package init(integerLiteral value: Int) { self = .integer(Int64(value)) }
    package init(stringLiteral value: String) { self = .text(value) }

    /// An integer, or NULL for nil.
    package static func int(_ value: Int?) -> SQLiteValue {
        value.map { .integer(Int64($0)) } ?? .null
    }

    /// A text, or NULL for nil.
    package static func string(_ value: String?) -> SQLiteValue {
        value.map { .text($0) } ?? .null
    }

    /// 0 or 1.
    package static func bool(_ value: Bool) -> SQLiteValue { .integer(value ? 1 : 0) }
}
