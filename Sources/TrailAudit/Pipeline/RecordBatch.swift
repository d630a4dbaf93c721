/// Framed records copied into one buffer, handed from the reading worker to decoding workers.
package struct RecordBatch: Sendable {
    /// Bytes after which a batch is handed off; large enough to amortise the hand-off.
    package static let targetBytes = 1 << 20

    package private(set) var bytes: [UInt8] = []
    private var ends: [Int] = []
    private var contexts: [RecordContext] = []
    /// Where each record begins in its file's decompressed data, for errors.
    private var starts: [Int] = []

    package init() {
        bytes.reserveCapacity(RecordBatch.targetBytes + 64 * 1024)
    }

    /// Number of records.
    package var count: Int { ends.count }
    /// Whether the batch has reached its hand-off size.
    package var isFull: Bool { bytes.count >= RecordBatch.targetBytes }

    /// Empties the batch, keeping its buffers for the next records.
    package mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        contexts.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
    }

    /// Whether its buffer is worth keeping for another batch: not one a huge record grew.
    package var isWorthKeeping: Bool { bytes.capacity <= 2 * RecordBatch.targetBytes }

    /// Copies one record in, which begins at `start` of its file's decompressed data.
    package mutating func append(
        _ record: UnsafeRawBufferPointer, context: RecordContext, start: Int
    ) {
        bytes.append(contentsOf: record)
        ends.append(bytes.count)
        contexts.append(context)
        starts.append(start)
    }

    /// Decodes every record of the batch into `partial`.
    package func decode(
        with decoder: inout EventDecoder, into partial: inout FilePartial, dedupe: Dedupe
    ) throws {
        try bytes.withUnsafeBytes { all in
            var start = 0
            for (index, end) in ends.enumerated() {
                let record = UnsafeRawBufferPointer(rebasing: all[start..<end])
                do {
                    try decoder.decode(
                        record, context: contexts[index], into: &partial, dedupe: dedupe)
                } catch let error as InputError {
                    // The decoder counts from the record's first byte.
                    throw error.shifted(by: starts[index])
                }
                start = end
            }
        }
    }
}
