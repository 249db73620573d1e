import BerthTestSupport
import Foundation

/// A server that answers `page` (an XML document whose NextToken never changes) five times, then
/// a ValidationError: a client that follows the token for ever fails with that error instead of
/// being refused for the repeat.
func repeatingPages(_ page: String) throws -> TestHTTPServer {
    let served = Counter()
    return try TestHTTPServer { _ in
        guard served.next() < 5 else {
            return .respond(
                status: 400, body: "<ErrorResponse><Error><Code>ValidationError</Code><Message>script ended</Message></Error></ErrorResponse>")
        }
        return .respond(status: 200, headers: [("Content-Type", "text/xml")], body: page)
    }
}

/// A thread-safe count of the pages served.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func next() -> Int { lock.withLock { defer { value += 1 }; return value } }
}
