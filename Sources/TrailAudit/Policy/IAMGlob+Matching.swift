extension IAMGlob {
    /// Whether `text` matches the whole pattern.
    package func matches(_ text: String) -> Bool {
        var steps = 0
        return matches(text, steps: &steps)
    }

    /// Whether `text` matches, adding the number of character comparisons made to `steps`.
    func matches(_ text: String, steps: inout Int) -> Bool {
        var text = text
        return text.withUTF8 { matches(utf8: $0, steps: &steps) }
    }

    /// Whether the UTF-8 `text` matches; `?` takes one Unicode scalar, not one byte.
    func matches(utf8 text: UnsafeBufferPointer<UInt8>, steps: inout Int) -> Bool {
        if text.allSatisfy({ $0 < 0x80 }) {
            return matches(units: text, steps: &steps)
        }
        let scalars = String(decoding: text, as: UTF8.self).unicodeScalars.map(\.value)
        return scalars.withUnsafeBufferPointer { matches(units: $0, steps: &steps) }
    }

    /// The matcher, over ASCII bytes or Unicode scalar values.
    ///
    /// Each star-free piece is placed at its leftmost fit after the previous one; for glob
    /// patterns the leftmost placement never loses a match, so there is no backtracking and the
    /// work is at most the text length times the longest piece.
    func matches<Unit: FixedWidthInteger & UnsignedInteger>(
        units text: UnsafeBufferPointer<Unit>, steps: inout Int
    ) -> Bool {
        guard !pieces.isEmpty else { return startsWithStar || text.isEmpty }
        if !startsWithStar, !endsWithStar, pieces.count == 1 {
            return text.count == pieces[0].count && fits(pieces[0], text, at: 0, steps: &steps)
        }

        var low = 0
        var high = text.count
        var firstFloating = 0
        var endFloating = pieces.count
        if !startsWithStar {
            let first = pieces[0]
            guard first.count <= high, fits(first, text, at: 0, steps: &steps) else { return false }
            low = first.count
            firstFloating = 1
        }
        if !endsWithStar {
            let last = pieces[pieces.count - 1]
            guard high - last.count >= low, fits(last, text, at: high - last.count, steps: &steps)
            else { return false }
            high -= last.count
            endFloating -= 1
        }

        for piece in pieces[firstFloating..<endFloating] {
            var start = low
            var found = false
            while start + piece.count <= high {
                if fits(piece, text, at: start, steps: &steps) {
                    found = true
                    break
                }
                start += 1
            }
            guard found else { return false }
            low = start + piece.count
        }
        return true
    }

    /// Whether a star-free piece matches the text at `offset` (the caller checked the length).
    @inline(__always)
    private func fits<Unit: FixedWidthInteger & UnsignedInteger>(
        _ piece: [Token], _ text: UnsafeBufferPointer<Unit>, at offset: Int, steps: inout Int
    ) -> Bool {
        var index = offset
        for token in piece {
            steps &+= 1
            if case .unit(let expected) = token {
                var actual = UInt32(text[index])
                if !isCaseSensitive, actual < 0x80 {
                    actual = UInt32(lowercased(UInt8(actual)))
                }
                if actual != expected { return false }
            }
            index += 1
        }
        return true
    }

    /// Whether some text matches both patterns (product of the two patterns, searched once).
    ///
    /// Used to tell whether a Deny's or a boundary's resources touch an Allow's resources.
    /// Patterns whose product would pass `maximumProductStates` are assumed to overlap: the
    /// answer then errs towards more access and more partial denials, never fewer.
    package func overlaps(_ other: IAMGlob) -> Bool {
        let left = tokens
        let right = other.tokens
        let width = right.count + 1
        let states = (left.count + 1) * width
        guard states <= Self.maximumProductStates else { return true }

        var seen = [Bool](repeating: false, count: states)
        var pending = [(0, 0)]
        seen[0] = true
        func visit(_ i: Int, _ j: Int) {
            guard !seen[i * width + j] else { return }
            seen[i * width + j] = true
            pending.append((i, j))
        }
        while let (i, j) = pending.popLast() {
            if i == left.count, j == right.count { return true }
            let leftToken = i < left.count ? left[i] : nil
            let rightToken = j < right.count ? right[j] : nil
            // A star may match nothing, or take one more character of the other side.
            if leftToken == .anyRun {
                visit(i + 1, j)
                if rightToken != nil { visit(i, j + 1) }
            }
            if rightToken == .anyRun {
                visit(i, j + 1)
                if leftToken != nil { visit(i + 1, j) }
            }
            if let leftToken, let rightToken, leftToken != .anyRun, rightToken != .anyRun,
                leftToken == .anyOne || rightToken == .anyOne || leftToken == rightToken
            {
                visit(i + 1, j + 1)
            }
        }
        return false
    }

    /// The largest product `overlaps` explores (4 MB of flags: two patterns of 2,000 tokens).
    static let maximumProductStates = 4_000_000
}
