extension EventScanner {
    static func readIdentity(into identity: inout ScannedIdentity, _ scanner: inout JSONScanner)
        throws
    {
        try scanner.forEachKey { scanner, key in
            if scanner.bytes(key, equal: "type") {
                identity.type = try scanner.readStringValue()
            } else if scanner.bytes(key, equal: "arn") {
                identity.arn = try scanner.readStringValue()
            } else if scanner.bytes(key, equal: "accountId") {
                identity.accountId = try scanner.readStringValue()
            } else if scanner.bytes(key, equal: "principalId") {
                identity.principalId = try scanner.readStringValue()
            } else if scanner.bytes(key, equal: "userName") {
                identity.userName = try scanner.readStringValue()
            } else if scanner.bytes(key, equal: "invokedBy") {
                identity.invokedBy = try scanner.readStringValue()
            } else if scanner.bytes(key, equal: "accessKeyId") {
                identity.accessKeyId = try scanner.readStringValue()
            } else if scanner.bytes(key, equal: "identityProvider") {
                identity.identityProvider = try scanner.readStringValue()
            } else if scanner.bytes(key, equal: "sessionContext") {
                // Its last value counts whole, as a repeated top-level key does.
                identity.issuerArn = .absent
                identity.sourceIdentity = .absent
                guard scanner.peekByte() == UInt8(ascii: "{") else {
                    return try scanner.skipValue()
                }
                try readSessionContext(into: &identity, &scanner)
            } else if scanner.bytes(key, equal: "onBehalfOf") {
                identity.onBehalfOfUserId = try readField("userId", ofObject: &scanner)
            } else if scanner.bytes(key, equal: "invokedByDelegate") {
                identity.delegateAccountId = try readField("accountId", ofObject: &scanner)
            } else {
                try scanner.skipValue()
            }
        }
    }

    /// The string `name` of the object at the cursor (absent when the value is no object or
    /// lacks it), skipping the rest.
    private static func readField(_ name: StaticString, ofObject scanner: inout JSONScanner)
        throws -> JSONStringRange
    {
        guard scanner.peekByte() == UInt8(ascii: "{") else {
            try scanner.skipValue()
            return .absent
        }
        var field = JSONStringRange.absent
        try scanner.forEachKey { scanner, key in
            if scanner.bytes(key, equal: name) {
                field = try scanner.readStringValue()
            } else {
                try scanner.skipValue()
            }
        }
        return field
    }

    private static func readSessionContext(
        into identity: inout ScannedIdentity, _ scanner: inout JSONScanner
    ) throws {
        try scanner.forEachKey { scanner, key in
            if scanner.bytes(key, equal: "sessionIssuer") {
                identity.issuerArn = .absent
                guard scanner.peekByte() == UInt8(ascii: "{") else {
                    return try scanner.skipValue()
                }
                try scanner.forEachKey { scanner, key in
                    if scanner.bytes(key, equal: "arn") {
                        identity.issuerArn = try scanner.readStringValue()
                    } else {
                        try scanner.skipValue()
                    }
                }
            } else if scanner.bytes(key, equal: "sourceIdentity") {
                identity.sourceIdentity = try scanner.readStringValue()
            } else {
                try scanner.skipValue()
            }
        }
    }

    static func readRequest(into request: inout ScannedRequest, _ scanner: inout JSONScanner)
        throws
    {
        try scanner.forEachKey { scanner, key in
            if let trait = RequestTraits.named(by: key, in: scanner) {
                if try scanner.skipValueReportingContent() { request.traits.insert(trait) }
                return
            }
            switch key.count {
            case 3:
                if scanner.bytes(key, equal: "key") {
                    request.key = try scanner.readStringValue()
                } else {
                    try scanner.skipValue()
                }
            case 4:
                if scanner.bytes(key, equal: "name") {
                    request.name = try scanner.readStringValue()
                } else {
                    try scanner.skipValue()
                }
            case 7:
                if scanner.bytes(key, equal: "roleArn") {
                    request.roleArn = try scanner.readStringValue()
                } else {
                    try scanner.skipValue()
                }
            case 8:
                if scanner.bytes(key, equal: "queueUrl") {
                    request.queueUrl = try scanner.readStringValue()
                } else if scanner.bytes(key, equal: "topicArn") {
                    request.topicArn = try scanner.readStringValue()
                } else {
                    try scanner.skipValue()
                }
            case 9:
                if scanner.bytes(key, equal: "tableName") {
                    request.tableName = try scanner.readStringValue()
                } else if scanner.bytes(key, equal: "versionId") {
                    let version = try scanner.readStringValue()
                    // S3 writes "null" (a string) for unversioned objects in some records.
                    if version.isNonEmpty, !scanner.bytes(version, equal: "null") {
                        request.traits.insert(.versionId)
                    } else {
                        request.traits.remove(.versionId)
                    }
                } else {
                    try scanner.skipValue()
                }
            case 10:
                if scanner.bytes(key, equal: "bucketName") {
                    request.bucketName = try scanner.readStringValue()
                } else {
                    try scanner.skipValue()
                }
            case 12:
                if scanner.bytes(key, equal: "functionName") {
                    request.functionName = try scanner.readStringValue()
                } else if scanner.bytes(key, equal: "principalArn") {
                    request.principalArn = try scanner.readStringValue()
                } else {
                    try scanner.skipValue()
                }
            case 14:
                if scanner.bytes(key, equal: "sourceIdentity") {
                    if try scanner.readStringValue().isNonEmpty {
                        request.traits.insert(.sourceIdentity)
                    }
                } else {
                    try scanner.skipValue()
                }
            case 15:
                if scanner.bytes(key, equal: "roleSessionName") {
                    request.roleSessionName = try scanner.readStringValue()
                } else if scanner.bytes(key, equal: "targetPrincipal") {
                    request.targetPrincipal = try scanner.readStringValue()
                } else {
                    try scanner.skipValue()
                }
            default:
                try scanner.skipValue()
            }
        }
    }

    static func readResponse(into response: inout ScannedResponse, _ scanner: inout JSONScanner)
        throws
    {
        try scanner.forEachKey { scanner, key in
            if scanner.bytes(key, equal: "subjectFromWebIdentityToken") {
                response.subjectFromWebIdentityToken = try scanner.readStringValue()
            } else if scanner.bytes(key, equal: "subject") {
                response.subject = try scanner.readStringValue()
            } else if scanner.bytes(key, equal: "sourceIdentity") {
                response.sourceIdentity = try scanner.readStringValue()
            } else if scanner.bytes(key, equal: "audience") {
                response.audience = try scanner.readStringValue()
            } else if scanner.bytes(key, equal: "federatedUser") {
                // A repeated key counts as its last value whole (as at the top level).
                response.federatedUserArn = .absent
                guard scanner.peekByte() == UInt8(ascii: "{") else {
                    return try scanner.skipValue()
                }
                try scanner.forEachKey { scanner, key in
                    if scanner.bytes(key, equal: "arn") {
                        response.federatedUserArn = try scanner.readStringValue()
                    } else {
                        try scanner.skipValue()
                    }
                }
            } else if scanner.bytes(key, equal: "credentials") {
                // The key an STS call issued: later calls carry it in userIdentity.accessKeyId.
                response.issuedAccessKeyId = .absent
                guard scanner.peekByte() == UInt8(ascii: "{") else {
                    return try scanner.skipValue()
                }
                try scanner.forEachKey { scanner, key in
                    if scanner.bytes(key, equal: "accessKeyId") {
                        response.issuedAccessKeyId = try scanner.readStringValue()
                    } else {
                        try scanner.skipValue()
                    }
                }
            } else {
                try scanner.skipValue()
            }
        }
    }
}
