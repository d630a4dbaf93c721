// TEMPORARY stub until the classification files land.
package enum IAMActionMapping {
    package static func servicePrefix(forEventSource eventSource: String) -> String {
        String(eventSource.prefix { $0 != "." })
    }
    package static func operationName(eventName: String, servicePrefix: String) -> String { eventName }
    package static func actions(eventSource: String, eventName: String, hasVersionId: Bool) -> [String] {
        let p = servicePrefix(forEventSource: eventSource)
        return ["\(p):\(operationName(eventName: eventName, servicePrefix: p))"]
    }
}
package enum EventOutcome: UInt8, Sendable, Hashable, CaseIterable {
    case succeeded, denied, failed
    package init(errorCode: String?) {
        guard let errorCode, !errorCode.isEmpty else { self = .succeeded; return }
        self = errorCode.contains("AccessDenied") || errorCode.hasSuffix("UnauthorizedOperation") ? .denied : .failed
    }
}
package struct DenialReason: Hashable, Sendable, Comparable {
    package enum Kind: String, Sendable { case explicitDeny, implicitDeny, notStated }
    package var kind: Kind
    package var policyType: String?
    package var description: String { "not stated" }
    package static func < (l: Self, r: Self) -> Bool { l.description < r.description }
}
package struct DenialMessage: Hashable, Sendable {
    package var reason: DenialReason
    package var action: String?
    package var resource: String?
    package var principalArn: String?
    package init(errorCode: String, errorMessage: String?) { reason = DenialReason(kind: .notStated) }
}
