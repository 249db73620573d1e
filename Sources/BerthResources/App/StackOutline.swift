import BerthModel

/// What a stack is without its template: its name, phase, environment, service, the kind of
/// service it runs and, for a job on another service's image, that service.
public struct StackOutline: Sendable, Equatable {
    public let name: String
    public let phase: Phase
    public let environment: String?
    public let service: String?
    public let kind: FargateService.Kind?
    /// The service whose image a job's stack runs, when not its own.
    public let imageService: String?

    public init(
        name: String, phase: Phase, environment: String?, service: String?, kind: FargateService.Kind? = nil,
        imageService: String? = nil
    ) {
        self.name = name
        self.phase = phase
        self.environment = environment
        self.service = service
        self.kind = kind
        self.imageService = imageService
    }

    public init(_ stack: Stack) {
        self.init(
            name: stack.name, phase: stack.phase, environment: stack.environment, service: stack.service, kind: stack.kind,
            imageService: stack.imageService)
    }
}
