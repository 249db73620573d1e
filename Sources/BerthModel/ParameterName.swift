/// The names of the parameters Berth's stacks declare and its deploy fills. Renaming one is a
/// compile error wherever it is used, never a silent `nil`.
public enum ParameterName {
    /// The repository's URI (from the phase-1 stack).
    public static let repositoryUri = OutputName.repositoryUri
    /// The repository's name (from the phase-1 stack).
    public static let repositoryName = OutputName.repositoryName
    /// The image tag the gate checked.
    public static let imageTag = "ImageTag"
    /// The digest the gate found, or empty.
    public static let imageDigest = "ImageDigest"
    /// The commit the image was built from.
    public static let commitSha = "CommitSha"
    /// When the image was built.
    public static let buildTime = "BuildTime"
    public static let vpcID = OutputName.vpcID
    public static let taskSubnetIDs = OutputName.taskSubnetIDs
    public static let loadBalancerSubnetIDs = OutputName.loadBalancerSubnetIDs
    public static let clusterName = OutputName.clusterName
    public static let listenerArn = OutputName.listenerArn
    public static let loadBalancerSecurityGroupID = OutputName.loadBalancerSecurityGroupID
    public static let loadBalancerFullName = OutputName.loadBalancerFullName
    public static let serviceConnectNamespace = OutputName.serviceConnectNamespace
    public static let servicesSecurityGroupID = OutputName.servicesSecurityGroupID
}
