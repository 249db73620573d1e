/// An AWS Control Tower proactive control that a template Berth writes may not meet: its
/// identifier (`CT.ECS.PR.9`) and the name of its cfn-guard rule, which
/// `Metadata.guard.SuppressedRules` lists.
enum ProactiveControl: String, Sendable, Hashable, CaseIterable {
    case logGroupRetention = "CT.CLOUDWATCH.PR.2"
    case logGroupEncryption = "CT.CLOUDWATCH.PR.3"
    case securityGroupPorts = "CT.EC2.PR.3"
    case subnetPublicIP = "CT.EC2.PR.11"
    case repositoryTagImmutability = "CT.ECR.PR.3"
    case containerInsights = "CT.ECS.PR.2"
    case nonRootUser = "CT.ECS.PR.3"
    case readOnlyRootFilesystem = "CT.ECS.PR.6"
    case containerMemoryLimit = "CT.ECS.PR.7"
    case servicePublicIP = "CT.ECS.PR.9"
    case httpsRedirect = "CT.ELASTICLOADBALANCING.PR.1"
    case loadBalancerDeletionProtection = "CT.ELASTICLOADBALANCING.PR.5"
    case loadBalancerAccessLogs = "CT.ELASTICLOADBALANCING.PR.6"

    /// The control's identifier, such as `CT.ECS.PR.9`.
    var id: String { rawValue }

    /// The name of the cfn-guard rule that checks it.
    var ruleName: String {
        switch self {
        case .logGroupRetention: "cloudwatch_log_group_retention_period_check"
        case .logGroupEncryption: "cloudwatch_log_group_encrypted_check"
        case .securityGroupPorts: "vpc_sg_open_only_to_authorized_ports_check"
        case .subnetPublicIP: "subnet_auto_assign_public_ip_disabled_check"
        case .repositoryTagImmutability: "ecr_private_tag_immutability_enabled_check"
        case .containerInsights: "ecs_container_insights_enabled_check"
        case .nonRootUser: "ecs_task_definition_nonroot_user_check"
        case .readOnlyRootFilesystem: "ecs_containers_readonly_access_check"
        case .containerMemoryLimit: "ecs_task_definition_memory_hard_limit_check"
        case .servicePublicIP: "ecs_service_assign_public_ip_disabled_check"
        case .httpsRedirect: "alb_http_to_https_redirection_check"
        case .loadBalancerDeletionProtection: "elbv2_deletion_protection_enabled_check"
        case .loadBalancerAccessLogs: "elbv2_logging_enabled_check"
        }
    }

    /// What the control asks for, in a few words.
    var summary: String {
        switch self {
        case .logGroupRetention: "log groups keep their logs at least 365 days"
        case .logGroupEncryption: "log groups are encrypted with a KMS key"
        case .securityGroupPorts: "security groups open only ports 80 and 443 to the internet"
        case .subnetPublicIP: "subnets do not give public IPs on launch"
        case .repositoryTagImmutability: "image repositories have immutable tags"
        case .containerInsights: "clusters have Container Insights"
        case .nonRootUser: "containers run as a user other than root"
        case .readOnlyRootFilesystem: "containers have read-only root filesystems"
        case .containerMemoryLimit: "every container has a hard memory limit"
        case .servicePublicIP: "services give their tasks no public IP"
        case .httpsRedirect: "HTTP listeners redirect to HTTPS"
        case .loadBalancerDeletionProtection: "load balancers have deletion protection"
        case .loadBalancerAccessLogs: "load balancers write access logs"
        }
    }
}
