/// The names of the outputs Berth's stacks declare, which other stacks' parameters and the
/// commands (`status`, deploy's summary) read.
public enum OutputName {
    // A repository stack's.
    public static let repositoryName = "RepositoryName"
    public static let repositoryArn = "RepositoryArn"
    public static let repositoryUri = "RepositoryUri"
    // An environment's shared stack's.
    public static let vpcID = "VpcId"
    public static let taskSubnetIDs = "TaskSubnetIds"
    public static let loadBalancerSubnetIDs = "LoadBalancerSubnetIds"
    public static let clusterName = "ClusterName"
    public static let listenerArn = "ListenerArn"
    public static let loadBalancerSecurityGroupID = "LoadBalancerSecurityGroupId"
    /// The shared load balancer's full name (`app/<name>/<id>`), which names its request
    /// metrics; declared only when a service scales on its requests.
    public static let loadBalancerFullName = "LoadBalancerFullName"
    /// The URL of the environment's load balancer.
    public static let loadBalancerUrl = "LoadBalancerUrl"
    /// The ARN of the Cloud Map namespace the environment's services meet in over Service Connect.
    public static let serviceConnectNamespace = "ServiceConnectNamespace"
    /// The security group every task of the environment's services joins: what a Service Connect
    /// server lets in.
    public static let servicesSecurityGroupID = "ServicesSecurityGroupId"
    // A service stack's.
    /// The URL of a service with a load balancer of its own.
    public static let serviceUrl = "ServiceUrl"
    /// The ECS service's name.
    public static let serviceName = "ServiceName"
    // A job stack's.
    /// The job's task definition, which RunTask starts.
    public static let taskDefinitionArn = "TaskDefinitionArn"
    /// The security group a job's tasks run in.
    public static let taskSecurityGroupID = "TaskSecurityGroupId"
    /// `ENABLED` or `DISABLED`: whether a job's tasks get a public IP, as the services' do.
    public static let assignPublicIp = "AssignPublicIp"
    /// The log group the containers write to.
    public static let logGroupName = "LogGroupName"
}
