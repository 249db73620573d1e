extension FargateService {
    /// An extra container in every task of a service: a log router, a proxy, an agent.
    ///
    /// Its image is given whole (`public.ecr.aws/aws-observability/aws-otel-collector:v0.43.1`);
    /// it must name a tag other than `latest`, or a digest, so that every task runs the same bytes.
    public struct Sidecar: Sendable, Hashable {
        /// The container's name, unique in the task.
        public var name: String
        /// The image, whole: registry, repository and a version tag or digest.
        public var image: String
        /// A port the container listens on, for the other containers of the task.
        public var port: Int?
        /// Whether the task stops when this container stops.
        public var essential = true
        /// Plain environment variables, written sorted by name.
        public var environment: [String: String] = [:]
        /// The command, when it is not the image's own.
        public var command: [String]?
        /// CPU units reserved for it out of the task's.
        public var cpu: Int?
        /// MiB of memory reserved for it out of the task's.
        public var memoryReservation: Int?
        /// Containers it waits for before it starts.
        public var dependsOn: [ContainerDependency] = []
        /// The user it runs as (`1000`, `1000:1000`); the image's when `nil`.
        public var user: String?
        /// Whether its root filesystem is read-only.
        public var readonlyRootFilesystem = false

        /// A container called `name` running `image`, listening on `port` if given.
        public init(name: String, image: String, port: Int? = nil, essential: Bool = true) {
            self.name = name
            self.image = image
            self.port = port
            self.essential = essential
        }
    }
}
