/// The image gate could not check a service's image: an AWS call failed or answered with
/// something unreadable (not a refusal, which is an `ImageGateError`). Says whose image it was,
/// as the gate checks every service's at once; no phase-2 stack was changed.
public struct ImageCheckFailure: Error, Sendable, CustomStringConvertible {
    public let service: String
    public let image: String
    /// What failed; it decides the exit status.
    public let cause: any Error

    public init(service: String, image: String, cause: any Error) {
        self.service = service
        self.image = image
        self.cause = cause
    }

    public var description: String { "the image gate could not check \(service)'s image \(image): \(cause); no phase-2 stack was changed" }
}
