import Foundation
import Testing

@testable import TrailAudit

@Suite struct PolicyDocumentTests {
    static let document = """
        {"Version": "2012-10-17", "Statement": [
          {"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"],
           "Resource": ["arn:aws:s3:::data+logs", "arn:aws:s3:::data+logs/*"],
           "Condition": {"StringEquals": {"aws:PrincipalTag/team": "a b+c"}}},
          {"Effect": "Deny", "NotAction": "s3:*", "NotResource": "arn:aws:s3:::data+logs/*"}
        ]}
        """

    static let expected = PolicyDocument(statements: [
        PolicyStatement(
            sid: "Read", effect: .allow, actions: .listed(["s3:GetObject", "s3:ListBucket"]),
            resources: .listed(["arn:aws:s3:::data+logs", "arn:aws:s3:::data+logs/*"]),
            conditions: [
                PolicyCondition(
                    operator: "StringEquals", key: "aws:PrincipalTag/team", values: ["a b+c"])
            ]),
        PolicyStatement(
            effect: .deny, actions: .allExcept(["s3:*"]),
            resources: .allExcept(["arn:aws:s3:::data+logs/*"])),
    ])

    /// RFC 3986 encoding of the document, as the raw API returns it.
    static var urlEncoded: String {
        Self.document.addingPercentEncoding(
            withAllowedCharacters: CharacterSet(
                charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZ" + "abcdefghijklmnopqrstuvwxyz"
                    + "0123456789-._~"))!
    }

    @Test func jsonObjectJsonStringAndURLEncodingGiveTheSameStatements() throws {
        let object = try JSONSerialization.jsonObject(with: Data(Self.document.utf8))
        let quoted = String(
            decoding: try JSONSerialization.data(
                withJSONObject: Self.document, options: .fragmentsAllowed), as: UTF8.self)

        #expect(try PolicyDocument(jsonValue: object, policy: "p") == Self.expected)
        #expect(try PolicyDocument(jsonValue: Self.document, policy: "p") == Self.expected)
        #expect(try PolicyDocument(text: quoted, policy: "p") == Self.expected)
        #expect(try PolicyDocument(jsonValue: Self.urlEncoded, policy: "p") == Self.expected)
        #expect(try PolicyDocument(data: Data(Self.urlEncoded.utf8), policy: "p") == Self.expected)
    }

    @Test func plusStaysPlusWhenPercentDecoding() throws {
        // `+` is not a space in RFC 3986; only `%20` is.
        let encoded =
            "%7B%22Statement%22%3A%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22sns%3APublish"
            + "%22%2C%22Resource%22%3A%22arn%3Aaws%3Asns%3A%3A1%3Aa+b%20c%22%7D%7D"
        let document = try PolicyDocument(text: encoded, policy: "p")
        #expect(document.statements.first?.resources == .listed(["arn:aws:sns::1:a+b c"]))
    }

    @Test func statementObjectAndStringValuesEqualArrays() throws {
        let single = try policy(
            #"{"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}"#)
        let arrays = try policy(
            #"{"Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["*"]}]}"#)
        #expect(single == arrays)
        #expect(single.statements.count == 1)
        #expect(single.version == nil)
    }

    @Test func conditionValuesOfEveryTypeBecomeText() throws {
        let document = try policy(
            statement(
                "Allow", #""Action": "iam:*""#,
                condition: #"""
                    {"Bool": {"aws:MultiFactorAuthPresent": true},
                     "NumericLessThan": {"aws:MultiFactorAuthAge": 3600},
                     "ForAnyValue:StringLike": {"aws:TagKeys": ["env", "team-*"]},
                     "Null": {"aws:TokenIssueTime": false}}
                    """#))
        let conditions = try #require(document.statements.first?.conditions)
        #expect(
            conditions == [
                PolicyCondition(
                    operator: "Bool", key: "aws:MultiFactorAuthPresent", values: ["true"]),
                PolicyCondition(
                    operator: "ForAnyValue:StringLike", key: "aws:TagKeys",
                    values: ["env", "team-*"]),
                PolicyCondition(operator: "Null", key: "aws:TokenIssueTime", values: ["false"]),
                PolicyCondition(
                    operator: "NumericLessThan", key: "aws:MultiFactorAuthAge", values: ["3600"]),
            ])
    }

    @Test func principalsOfEveryForm() throws {
        let document = try policy(
            """
            {"Statement": [
              {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"},
              {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {
                 "Service": ["ec2.amazonaws.com", "lambda.amazonaws.com"],
                 "AWS": "arn:aws:iam::111122223333:root", "CanonicalUser": "79a59df9"}},
              {"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:role/x"},
               "Action": "sts:AssumeRole"}
            ]}
            """)
        #expect(document.statements[0].principals == .listed([PrincipalValue(.anyone, "*")]))
        #expect(
            document.statements[1].principals
                == .listed([
                    PrincipalValue(.aws, "arn:aws:iam::111122223333:root"),
                    PrincipalValue(.service, "ec2.amazonaws.com"),
                    PrincipalValue(.service, "lambda.amazonaws.com"),
                    PrincipalValue(.canonicalUser, "79a59df9"),
                ]))
        #expect(
            document.statements[2].principals
                == .allExcept([PrincipalValue(.aws, "arn:aws:iam::111122223333:role/x")]))
        #expect(document.statements[0].resources == nil)
    }

    /// (document, the problem it must be reported with).
    @Test(
        arguments: [
            (
                #"{"Statement": [{"Effect": "Permit", "Action": "*", "Resource": "*"}]}"#,
                PolicyError.Problem.invalidEffect(index: 0, found: "Permit")
            ),
            (
                #"{"Statement": [{"Action": "*", "Resource": "*"}]}"#,
                .invalidEffect(index: 0, found: nil)
            ),
            (
                #"{"Statement": [{"Effect": "allow", "Action": "*", "Resource": "*"}]}"#,
                .invalidEffect(index: 0, found: "allow")
            ),
            (
                #"{"Statement": [{"Effect": "Allow", "Action": "*", "NotAction": "s3:*"}]}"#,
                .conflictingElements(index: 0, "Action", "NotAction")
            ),
            (
                #"{"Statement": [{"Effect": "Allow", "Resource": "*"}]}"#,
                .missingAction(index: 0)
            ),
            (
                #"{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*", "#
                    + #""NotResource": "*"}]}"#,
                .conflictingElements(index: 0, "Resource", "NotResource")
            ),
            (
                #"{"Statement": [{"Effect": "Allow", "Action": ["s3:*", 7], "Resource": "*"}]}"#,
                .invalidValue(index: 0, element: "Action", found: "a number")
            ),
            (
                #"{"Statement": [{"Effect":"Allow","Action":"*","Principal":{"Alien":"x"}}]}"#,
                .unknownPrincipalKind(index: 0, "Alien")
            ),
            (
                #"{"Statement": [{"Effect": "Allow", "Action": "*", "Condition": "yes"}]}"#,
                .invalidCondition(index: 0, found: "a string")
            ),
            (
                #"{"Statement": [{"Effect": "Allow", "Action": "*", "Condition": "#
                    + #"{"Bool": {"aws:SecureTransport": {"x": 1}}}}]}"#,
                .invalidCondition(
                    index: 0, found: "an object as a value of aws:SecureTransport under Bool")
            ),
            (#"{"Version": "2012-10-17"}"#, .missingStatement),
            (#"{"Statement": [42]}"#, .statementNotAnObject(index: 0)),
            ("%7B%2", .invalidPercentEscape(offset: 3)),
            (#"["not", "a document"]"#, .notADocument(found: "an array")),
        ] as [(String, PolicyError.Problem)])
    func malformedDocumentsSayWhatIsWrong(text: String, problem: PolicyError.Problem) {
        #expect(throws: PolicyError(policy: "arn:aws:iam::111122223333:policy/p", problem)) {
            try PolicyDocument(data: Data(text.utf8), policy: "arn:aws:iam::111122223333:policy/p")
        }
    }

    @Test func errorMessagesNameThePolicyAndTheStatement() {
        let error = PolicyError(
            policy: "arn:aws:iam::111122223333:role/app inline s3",
            .invalidEffect(index: 1, found: "Permit"))
        #expect(
            error.description
                == #"policy arn:aws:iam::111122223333:role/app inline s3: statement 2: "#
                + #"Effect must be "Allow" or "Deny", found "Permit""#)
    }

    @Test func aConditionThatIsNotAnObjectSaysSo() {
        let error = PolicyError(policy: "p", .invalidCondition(index: 0, found: "a string"))
        #expect(
            error.description
                == "policy p: statement 1: Condition must be an object of condition operators, "
                + "each an object of condition keys to a value or a list of values; "
                + "found a string")
    }

    @Test func brokenJSONIsReportedWithTheParserReason() {
        #expect {
            try PolicyDocument(text: #"{"Statement": [}"#, policy: "p")
        } throws: { error in
            guard case .notJSON = (error as? PolicyError)?.problem else { return false }
            return (error as? PolicyError)?.policy == "p"
        }
    }
}
