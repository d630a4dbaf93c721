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

    /// Whether some text matches both patterns, with the default per-pair budget.
    package func overlaps(_ other: IAMGlob) -> Bool {
        var budget = Self.pairStepBudget
        return overlaps(other, budget: &budget)
    }

    /// Whether some text matches both patterns, spending at most `budget` steps (one per
    /// compared token and per product state) and taking them off `budget`.
    ///
    /// Used to tell whether a Deny's or a boundary's resources touch an Allow's resources.
    /// The literal heads and tails (before the first and after the last star) are compared
    /// first, which settles most real pairs; then the product of the two patterns is searched.
    /// When the budget runs out the answer is yes: that errs towards more access and more
    /// partial denials, never towards a Deny that removes an action or a boundary that hides
    /// one. The cost of a call is therefore at most `budget` plus a constant.
    func overlaps(_ other: IAMGlob, budget: inout Int) -> Bool {
        guard budget > 0 else { return true }
        guard Self.endsAgree(tokens, other.tokens, budget: &budget) else { return false }
        guard budget > 0 else { return true }
        return Self.productHasPath(tokens, other.tokens, budget: &budget)
    }

    /// Steps one `overlaps(_:)` call may take (an 800 by 1,250 token product).
    static let pairStepBudget = 1_000_000

    /// Whether the star-free heads and tails of two patterns can match the same text: before
    /// the first star each token takes exactly one character, so the heads line up position
    /// by position, and so do the tails from the end. A mismatch there rules out any overlap.
    private static func endsAgree(_ left: [Token], _ right: [Token], budget: inout Int) -> Bool {
        func agree(_ first: Token, _ second: Token) -> Bool {
            if case .unit(let one) = first, case .unit(let two) = second { return one == two }
            return true
        }
        var index = 0
        while index < left.count, index < right.count, left[index] != .anyRun,
            right[index] != .anyRun
        {
            budget -= 1
            guard agree(left[index], right[index]) else { return false }
            index += 1
        }
        if index == left.count || index == right.count {
            // One side ended with no star left: the other must end there too, or star on.
            let rest = index == left.count ? right[index...] : left[index...]
            return rest.allSatisfy { $0 == .anyRun }
        }

        var (leftEnd, rightEnd) = (left.count - 1, right.count - 1)
        while leftEnd >= 0, rightEnd >= 0, left[leftEnd] != .anyRun, right[rightEnd] != .anyRun {
            budget -= 1
            guard agree(left[leftEnd], right[rightEnd]) else { return false }
            leftEnd -= 1
            rightEnd -= 1
        }
        return true
    }

    /// Whether the product of the two patterns' automata reaches its end (a search over token
    /// position pairs, each visited once); yes when `budget` runs out first.
    private static func productHasPath(_ left: [Token], _ right: [Token], budget: inout Int)
        -> Bool
    {
        let width = right.count + 1
        let (states, overflow) = (left.count + 1).multipliedReportingOverflow(by: width)
        let words = states / 64 + 1
        guard !overflow, words < budget else {
            budget = 0
            return true
        }
        budget -= words

        var seen = [UInt64](repeating: 0, count: words)
        var pending = [(0, 0)]
        seen[0] = 1
        var exhausted = false
        func visit(_ i: Int, _ j: Int) {
            let state = i * width + j
            let bit = UInt64(1) << UInt64(state % 64)
            guard seen[state / 64] & bit == 0 else { return }
            seen[state / 64] |= bit
            budget -= 1
            if budget <= 0 { exhausted = true }
            pending.append((i, j))
        }
        while !exhausted, let (i, j) = pending.popLast() {
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
        return exhausted
    }
}
