#if canImport(Glibc)
    import Glibc
#endif

/// A string that is equal to another only when spelled with the same bytes, as IAM compares
/// resource names. Swift's `String` equality is canonical: a composed `é` and an `e` with a
/// combining accent are one string to it, so a set of S3 keys kept one of two distinct objects,
/// whichever came first in an order that changed from run to run.
///
/// Ordered as `String` orders (so reports list what they listed before), spellings that
/// `String` calls equal by their bytes: a total order, the same in every run.
struct ExactString: Hashable, Comparable, Sendable {
    let value: String

    init(_ value: String) {
        self.value = value
    }

    static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.value.utf8.count == rhs.value.utf8.count
            && ExactString.compareBytes(lhs.value, rhs.value) == 0
    }

    func hash(into hasher: inout Hasher) {
        // Native strings are contiguous: their bytes are read in place (no copy).
        let hashed: Void? = value.utf8.withContiguousStorageIfAvailable {
            hasher.combine(bytes: UnsafeRawBufferPointer($0))
        }
        if hashed == nil { for byte in value.utf8 { hasher.combine(byte) } }
    }

    static func < (lhs: Self, rhs: Self) -> Bool {
        ExactString.precedes(lhs.value, rhs.value)
    }

    /// Whether `lhs` comes before `rhs` in the order above.
    static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        if lhs < rhs { return true }
        if rhs < lhs { return false }
        return compareBytes(lhs, rhs) < 0
    }

    /// Negative, zero or positive as `lhs`'s UTF-8 bytes sort before, with or after `rhs`'s.
    static func compareBytes(_ lhs: String, _ rhs: String) -> Int {
        let compared = lhs.utf8.withContiguousStorageIfAvailable { left in
            rhs.utf8.withContiguousStorageIfAvailable { right in
                let common = min(left.count, right.count)
                // The same storage (an interned value met again) needs no look at the bytes.
                if common > 0, let first = left.baseAddress, let second = right.baseAddress,
                    first != second
                {
                    let order = memcmp(first, second, common)
                    if order != 0 { return Int(order) }
                }
                return left.count - right.count
            }
        }
        if let compared, let compared { return compared }
        // Not contiguous (a bridged string): byte by byte.
        for (left, right) in zip(lhs.utf8, rhs.utf8) where left != right {
            return Int(left) - Int(right)
        }
        return lhs.utf8.count - rhs.utf8.count
    }

    /// `strings` without repeated spellings, in the order above.
    static func uniqueSorted(_ strings: some Sequence<String>) -> [String] {
        Set(strings.map(ExactString.init)).sorted().map(\.value)
    }
}
