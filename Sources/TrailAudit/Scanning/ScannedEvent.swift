/// The fields of one record that the reports need, as ranges into the record's bytes.
///
/// Everything else in the record is validated and skipped. Nothing here allocates.
package struct ScannedEvent {
    /// How many `resources[].ARN` values are kept here per event; CloudTrail rarely lists
    /// more. An event with more is read again from `resourcesArray` (all of them count).
    package static let maxResources = 8

    package var eventTime = JSONStringRange.absent
    package var eventSource = JSONStringRange.absent
    package var eventName = JSONStringRange.absent
    package var eventID = JSONStringRange.absent
    package var awsRegion = JSONStringRange.absent
    package var sourceIPAddress = JSONStringRange.absent
    package var userAgent = JSONStringRange.absent
    package var errorCode = JSONStringRange.absent
    package var errorMessage = JSONStringRange.absent
    package var recipientAccountId = JSONStringRange.absent

    package var identity = ScannedIdentity()
    package var request = ScannedRequest()
    package var response = ScannedResponse()

    package var resourceARNs = (
        JSONStringRange.absent, JSONStringRange.absent, JSONStringRange.absent,
        JSONStringRange.absent, JSONStringRange.absent, JSONStringRange.absent,
        JSONStringRange.absent, JSONStringRange.absent
    )
    package var resourceCount = 0
    /// Where the `resources` array lies in the record, for an event with more ARNs than
    /// `maxResources`.
    package var resourcesArray: Range<Int>? = nil

    /// Set for CloudTrail Insights records, which describe call rates, not calls.
    package var isInsight = false
    /// Range of an EventBridge envelope's `detail` object (the event itself).
    package var envelopeDetail: Range<Int>? = nil
    /// Range of a CloudWatch Logs envelope's `logEvents` array.
    package var envelopeLogEvents: Range<Int>? = nil
    /// Set when the object is a CloudTrail digest file, not an event.
    package var isDigest = false
    /// Set when the object is an IAM authorization-details export or a policy document:
    /// users keep them beside their logs for `unused` and `suggest`.
    package var isIAMDocument = false

    package init() {}

    /// The kept resource ARN at `index` (< `min(resourceCount, maxResources)`).
    package func resourceARN(at index: Int) -> JSONStringRange {
        withUnsafeBytes(of: resourceARNs) { raw in
            raw.load(
                fromByteOffset: index * MemoryLayout<JSONStringRange>.stride,
                as: JSONStringRange.self)
        }
    }

    mutating func appendResourceARN(_ range: JSONStringRange) {
        guard resourceCount < ScannedEvent.maxResources else {
            resourceCount += 1
            return
        }
        withUnsafeMutableBytes(of: &resourceARNs) { raw in
            raw.storeBytes(
                of: range, toByteOffset: resourceCount * MemoryLayout<JSONStringRange>.stride,
                as: JSONStringRange.self)
        }
        resourceCount += 1
    }

    /// Set when the record has any key only CloudTrail events have (`eventTime`, `eventName`,
    /// `eventSource`, `eventID`, `userIdentity`), whatever its value: a record whose fields are
    /// all null is still an event, of an unknown principal.
    package var hasEventFields = false

    /// Whether the record is a CloudTrail event.
    package var looksLikeEvent: Bool { hasEventFields }
}

/// `userIdentity` fields.
package struct ScannedIdentity {
    package var type = JSONStringRange.absent
    package var principalId = JSONStringRange.absent
    package var arn = JSONStringRange.absent
    package var accountId = JSONStringRange.absent
    package var userName = JSONStringRange.absent
    package var invokedBy = JSONStringRange.absent
    package var accessKeyId = JSONStringRange.absent
    package var identityProvider = JSONStringRange.absent
    package var issuerArn = JSONStringRange.absent
    package var sourceIdentity = JSONStringRange.absent
    package var onBehalfOfUserId = JSONStringRange.absent
    /// `invokedByDelegate.accountId`: a product provider acting through delegated access.
    package var delegateAccountId = JSONStringRange.absent

    package init() {}
}

/// Top-level `requestParameters` fields that name a target or a resource.
package struct ScannedRequest {
    package var roleArn = JSONStringRange.absent
    package var roleSessionName = JSONStringRange.absent
    package var principalArn = JSONStringRange.absent
    package var bucketName = JSONStringRange.absent
    package var key = JSONStringRange.absent
    package var tableName = JSONStringRange.absent
    package var queueUrl = JSONStringRange.absent
    package var topicArn = JSONStringRange.absent
    package var functionName = JSONStringRange.absent
    package var name = JSONStringRange.absent
    package var targetPrincipal = JSONStringRange.absent
    /// What the request asks for beyond its own action (a version, tags, an ACL...).
    package var traits: RequestTraits = []

    package init() {}
}

/// `responseElements` fields of STS calls.
package struct ScannedResponse {
    package var subjectFromWebIdentityToken = JSONStringRange.absent
    package var subject = JSONStringRange.absent
    package var federatedUserArn = JSONStringRange.absent
    /// `credentials.accessKeyId`: the temporary key an STS call handed out.
    package var issuedAccessKeyId = JSONStringRange.absent
    package var sourceIdentity = JSONStringRange.absent
    /// The `aud` of a web identity token, or the SAML audience.
    package var audience = JSONStringRange.absent

    package init() {}
}
