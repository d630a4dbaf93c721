import Testing

@testable import TrailAudit

@Suite struct ResourceDerivationTests {
    static let function = "arn:aws:lambda:us-east-1:111122223333:function:fn"

    /// Every form the Lambda API accepts for `FunctionName` names one function ARN.
    @Test(arguments: [
        "fn", "fn:live", "fn:7", "111122223333:function:fn", "111122223333:function:fn:live",
        "arn:aws:lambda:us-east-1:111122223333:function:fn",
        "arn:aws:lambda:us-east-1:111122223333:function:fn:$LATEST",
    ])
    func lambdaFunctionNamesBecomeTheFunctionARN(name: String) {
        #expect(
            ResourceDerivation.lambdaFunctionARN(name, "aws", "us-east-1", "111122223333")
                == Self.function)
    }
}
