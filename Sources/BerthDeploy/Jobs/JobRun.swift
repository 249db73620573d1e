/// One run of a job to start: the task definition a deploy put in the job's stack, where it
/// runs (the services' subnets and public-IP choice, the job's own security group), its
/// container, an optional command instead of the image's, its log group, and how long it may take.
public struct JobRun: Sendable, Hashable {
    public var job: String
    public var cluster: String
    public var taskDefinition: String
    public var subnets: [String]
    public var securityGroups: [String]
    /// `ENABLED` or `DISABLED`.
    public var assignPublicIp: String
    /// The main container, which is the job's name.
    public var container: String
    public var command: [String]?
    public var logGroup: String?
    public var timeout: Duration

    public init(
        job: String, cluster: String, taskDefinition: String, subnets: [String], securityGroups: [String], assignPublicIp: String,
        container: String, command: [String]? = nil, logGroup: String?, timeout: Duration
    ) {
        self.job = job
        self.cluster = cluster
        self.taskDefinition = taskDefinition
        self.subnets = subnets
        self.securityGroups = securityGroups
        self.assignPublicIp = assignPublicIp
        self.container = container
        self.command = command
        self.logGroup = logGroup
        self.timeout = timeout
    }

    /// The log stream of the main container in task `taskID`: `awslogs` names it
    /// `<stream prefix>/<container>/<task ID>`, and Berth's prefix is the container's name.
    func logStream(taskID: String) -> String { "\(container)/\(container)/\(taskID)" }
}
