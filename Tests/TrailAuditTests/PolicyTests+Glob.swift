import Testing

@testable import TrailAudit

@Suite struct IAMGlobTests {
    /// (pattern, text, matches) for action patterns, which ignore case.
    @Test(
        arguments: [
            ("*", "s3:GetObject", true),
            ("s3:*", "s3:GetObject", true),
            ("s3:*", "s3express:CreateSession", false),
            ("s3:Get*", "S3:GETOBJECT", true),
            ("S3:get*", "s3:GetObject", true),
            ("s3:Get*", "s3:PutObject", false),
            ("s3:Get?bject", "s3:GetObject", true),
            ("s3:Get?", "s3:Get", false),
            ("s3:?", "s3:", false),
            ("s3:*Object", "s3:Object", true),
            ("*:Get*", "iam:GetRole", true),
            ("iam:ListAccessKeys", "IAM:listaccesskeys", true),
            ("ec2:Describe*Instances*", "ec2:DescribeInstances", true),
            ("ec2:Describe*Instances*", "ec2:DescribeImages", false),
            ("", "", true),
            ("", "s3:GetObject", false),
        ])
    func actionPatterns(pattern: String, text: String, expected: Bool) {
        #expect(IAMGlob.action(pattern).matches(text) == expected)
    }

    /// (pattern, text, matches) for resource patterns, which respect case.
    @Test(
        arguments: [
            ("arn:aws:s3:::Bucket/*", "arn:aws:s3:::bucket/key", false),
            ("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/key", true),
            ("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket", false),
            ("arn:aws:s3:::bucket*", "arn:aws:s3:::bucket", true),
            // `[` is literal: IAM has no character classes.
            ("arn:aws:s3:::b[12]/*", "arn:aws:s3:::b[12]/x", true),
            ("arn:aws:s3:::b[12]/*", "arn:aws:s3:::b1/x", false),
            // `*` spans `/` and `:` (facts §6.2).
            ("arn:aws:s3:::bucket/*/test/*", "arn:aws:s3:::bucket/1///test///object.jpg", true),
            ("arn:aws:s3:::bucket/*/test/*", "arn:aws:s3:::bucket/1-test/object.jpg", false),
            ("arn:aws:iam::*:role/deploy", "arn:aws:iam::111122223333:role/deploy", true),
            ("arn:aws:iam::*", "arn:aws:iam::111122223333:role/a/b", true),
            // Policy variables are unresolved: each stands for `*`.
            ("arn:aws:s3:::home/${aws:username}/*", "arn:aws:s3:::home/alice/notes.txt", true),
            ("arn:aws:s3:::home/${aws:username}", "arn:aws:s3:::home/", true),
            ("arn:aws:s3:::t/${aws:PrincipalTag/team}-x", "arn:aws:s3:::t/data-x", true),
            // The escapes stand for the literal characters.
            ("arn:aws:s3:::a${*}b", "arn:aws:s3:::a*b", true),
            ("arn:aws:s3:::a${*}b", "arn:aws:s3:::axb", false),
            ("arn:aws:s3:::a${?}b", "arn:aws:s3:::a?b", true),
            ("arn:aws:s3:::a${?}b", "arn:aws:s3:::axb", false),
            ("arn:aws:s3:::a${$}b", "arn:aws:s3:::a$b", true),
            ("arn:aws:s3:::a${b", "arn:aws:s3:::a${b", true),
            // `?` is one character, not one byte.
            ("arn:aws:s3:::caf?/x", "arn:aws:s3:::café/x", true),
            ("arn:aws:s3:::caf??/x", "arn:aws:s3:::café/x", false),
            // Pieces must not overlap when both ends are anchored.
            ("ab*ba", "aba", false),
            ("ab*ba", "abba", true),
            ("a*b*c", "ac", false),
            ("a*b*c", "abbbc", true),
            ("a**b", "ab", true),
        ])
    func resourcePatterns(pattern: String, text: String, expected: Bool) {
        #expect(IAMGlob.resource(pattern).matches(text) == expected)
    }

    @Test func onlyStarsMatchEverything() {
        #expect(IAMGlob.resource("*").matchesEverything)
        #expect(IAMGlob.resource("**").matchesEverything)
        #expect(!IAMGlob.resource("arn:*").matchesEverything)
        #expect(!IAMGlob.resource("${aws:username}").matchesEverything)
        #expect(IAMGlob.resource("${aws:username}").hasPolicyVariable)
    }

    @Test func hostilePatternTakesLinearSteps() {
        let pattern = IAMGlob.action(String(repeating: "a*", count: 40) + "b*")
        let text = String(repeating: "a", count: 20_000)
        var steps = 0
        #expect(!pattern.matches(text, steps: &steps))
        // Each `a` piece is placed in one comparison, then `b` is looked for once along the rest.
        #expect(steps <= text.count + 100)

        var matchingSteps = 0
        #expect(pattern.matches(text + "b", steps: &matchingSteps))
        #expect(matchingSteps <= text.count + 100)
    }

    /// (pattern, pattern, whether some text matches both).
    @Test(
        arguments: [
            ("arn:aws:s3:::a/*", "arn:aws:s3:::b/*", false),
            ("arn:aws:s3:::a/*", "arn:aws:s3:::*/x", true),
            ("*", "arn:aws:s3:::a/b", true),
            ("a?c", "ab*", true),
            ("abc", "abd", false),
            ("a*z", "*m*", true),
            ("abc", "ab", false),
            ("x*", "*y", true),
        ])
    func overlap(first: String, second: String, expected: Bool) {
        #expect(IAMGlob.resource(first).overlaps(IAMGlob.resource(second)) == expected)
        #expect(IAMGlob.resource(second).overlaps(IAMGlob.resource(first)) == expected)
    }

    @Test func policyVariablesInActionsAreLiteralText() {
        let pattern = IAMGlob.action("s3:Get${aws:username}")
        #expect(!pattern.hasPolicyVariable)
        #expect(!pattern.matches("s3:GetObject"))
        #expect(pattern.matches("S3:get${AWS:username}"))
        #expect(!IAMGlob.action("s3:Get${*}").matches("s3:Get*"))
    }

    @Test func policyVariableInAnActionGrantsNothing() throws {
        let granted = try permissions([
            "p": statement("Allow", #""Action": ["s3:Get${aws:username}", "iam:GetRole"]"#)
        ])
        #expect(granted.grantedActions(in: smallUniverse).keys.sorted() == ["iam:GetRole"])
        #expect(!granted.decision(action: "s3:GetObject", resource: nil).isAllowed)
    }

    @Test func literalHeadsAndTailsSettleLongPatterns() {
        let long = String(repeating: "a", count: 2_500)
        #expect(!IAMGlob.resource("x" + long).overlaps(IAMGlob.resource("y" + long.prefix(1_000))))
        #expect(!IAMGlob.resource("x" + long).overlaps(IAMGlob.resource("y" + long)))
        #expect(!IAMGlob.resource(long + "*b").overlaps(IAMGlob.resource(long + "*c")))
        #expect(IAMGlob.resource(long + "*").overlaps(IAMGlob.resource(long + "*c")))
    }

    /// `x` then `stars` letters `a` each followed by a star, then `y`, against `x`, `marks`
    /// question marks, `y`: they overlap exactly when there is room for the `a`s.
    static func lengthRace(stars: Int, marks: Int) -> (IAMGlob, IAMGlob) {
        let atLeast = "x" + String(repeating: "a*", count: stars) + "y"
        let exactly = "x" + String(repeating: "?", count: marks) + "y"
        return (IAMGlob.resource(atLeast), IAMGlob.resource(exactly))
    }

    @Test(arguments: [(40, 39, false), (40, 40, true), (40, 41, true)])
    func productSearchIsExactWithinItsBudget(stars: Int, marks: Int, expected: Bool) {
        let (atLeast, exactly) = Self.lengthRace(stars: stars, marks: marks)
        #expect(atLeast.overlaps(exactly) == expected)
        #expect(exactly.overlaps(atLeast) == expected)
    }

    @Test func productSearchStopsAtItsBudgetAndAssumesAnOverlap() {
        // 2,002 by 2,001 tokens: four million product states, never overlapping.
        let (atLeast, exactly) = Self.lengthRace(stars: 1_000, marks: 1_999)
        var budget = 10_000
        #expect(atLeast.overlaps(exactly, budget: &budget))
        #expect(budget == 0)
    }
}

/// `EffectivePermissions.covers`: whether one Resource pattern matches every ARN another does.
@Suite struct PatternCoverageTests {
    @Test(
        arguments: [
            ("*", "arn:aws:s3:::b/k", true),
            ("arn:aws:s3:::*/*", "arn:aws:s3:::b21/*", true),
            ("arn:aws:s3:::b/*", "arn:aws:s3:::b/logs/*", true),
            ("arn:aws:s3:::b/*", "arn:aws:s3:::b2/*", false),
            ("arn:aws:s3:::b/logs/*", "arn:aws:s3:::b/*", false),
            ("a*c", "a?c", true),
            ("a?c", "a*c", false),
            ("a?c", "abc", true),
            ("a*", "a", true),
            ("a*b*", "a*xb", true),
            ("a*b", "a*", false),
            // The escapes are literal characters; other variables only equal themselves.
            ("arn:aws:s3:::b/*", "arn:aws:s3:::b/${*}", true),
            ("arn:aws:s3:::b/${*}", "arn:aws:s3:::b/x", false),
            ("arn:aws:s3:::b/${*}", "arn:aws:s3:::b/*", false),
            ("arn:aws:s3:::b/${aws:username}/*", "arn:aws:s3:::b/jane/*", false),
            ("arn:aws:s3:::b/*", "arn:aws:s3:::b/${aws:username}/*", false),
            // Scalar by scalar: `?` is one scalar, not one byte; no canonical equivalence.
            ("arn:aws:s3:::b/?????*", "arn:aws:s3:::b/\u{1F600}/*", false),
            ("arn:aws:s3:::b/??*", "arn:aws:s3:::b/\u{1F600}/*", true),
            ("arn:aws:s3:::b/\u{E9}/*", "arn:aws:s3:::b/e\u{301}/*", false),
            ("arn:aws:s3:::b/\u{E9}/k", "arn:aws:s3:::b/e\u{301}/k", false),
        ])
    func examples(outer: String, inner: String, expected: Bool) {
        #expect(EffectivePermissions.covers(outer, inner) == expected)
    }

    /// Never wrongly true: over every pair of short patterns of `a`, `/`, `*`, `?`, each text
    /// of up to five characters the inner one matches is matched by the outer one.
    @Test func coverageIsNeverClaimedWhereATextEscapesIt() {
        let alphabet: [Character] = ["a", "/", "*", "?"]
        func words(upTo length: Int, of letters: [Character]) -> [String] {
            var all = [""]
            var last = [""]
            for _ in 0..<length {
                last = last.flatMap { word in letters.map { word + String($0) } }
                all += last
            }
            return all
        }
        let patterns = words(upTo: 3, of: alphabet)
        let texts = words(upTo: 5, of: ["a", "/", "b"])
        var claims = 0
        for outer in patterns {
            for inner in patterns where EffectivePermissions.covers(outer, inner) {
                claims += 1
                let glob = IAMGlob.resource(outer)
                let innerGlob = IAMGlob.resource(inner)
                for text in texts where innerGlob.matches(text) {
                    #expect(glob.matches(text), "\(outer) covers \(inner) but not \(text)")
                }
            }
        }
        #expect(claims > 500)
    }
}
