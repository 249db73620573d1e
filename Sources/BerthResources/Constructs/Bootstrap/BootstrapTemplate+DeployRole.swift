import BerthTemplate

extension BootstrapTemplate {
    /// The calls Berth makes in an environment's account, by service, as IAM names them:
    /// every action of `Sources/BerthAWS/Clients` but STS's (assuming the role needs none of the
    /// role's own rights, and `GetCallerIdentity` needs none at all) and ECR's
    /// `SetRepositoryPolicy` and `TagResource`, which Berth makes only with the repositories'
    /// account's own credentials (putting back what a phase-1 update removed of a repository).
    /// ECR's `ListImageReferrers`
    /// is authorized by `ecr:BatchGetImage` and has no action of its own. A test keeps this list
    /// and the clients equal.
    static let deployActions: [(service: String, actions: [String])] = [
        (
            "cloudformation",
            [
                "CreateChangeSet", "DeleteChangeSet", "DeleteStack", "DescribeChangeSet", "DescribeEvents",
                "DescribeStackDriftDetectionStatus", "DescribeStackEvents", "DescribeStackResourceDrifts", "DescribeStacks",
                "DetectStackDrift", "ExecuteChangeSet", "GetTemplate", "ListChangeSets", "ListStackResources", "UpdateTerminationProtection",
            ]
        ),
        ("ec2", ["DescribeSubnets"]),
        ("elasticloadbalancing", ["DescribeLoadBalancerAttributes", "DescribeRules"]),
        (
            "ecr",
            [
                "BatchGetImage", "DescribeImages", "DescribeRepositories", "GetDownloadUrlForLayer", "GetLifecyclePolicy",
                "GetRepositoryPolicy", "ListTagsForResource",
            ]
        ),
        (
            "ecs",
            [
                "DescribeServiceDeployments", "DescribeServiceRevisions", "DescribeServices", "DescribeTaskDefinition", "DescribeTasks",
                "ExecuteCommand", "ListServiceDeployments", "ListTasks", "RunTask", "StopTask",
            ]
        ),
        ("kms", ["GetPublicKey"]),
        ("logs", ["FilterLogEvents"]),
    ]

    /// Every action of the deploy role that Berth calls, `service:Action`, sorted.
    public static var deployRoleActions: [String] {
        deployActions.flatMap { entry in entry.actions.map { "\(entry.service):\($0)" } }.sorted()
    }

    /// What CloudFormation needs of the caller beyond the calls themselves: `DescribeStacks`
    /// without a stack's name (destroy's look for what it leaves behind, and deploy's for the stack
    /// of a removed service whose listener rule holds a priority) needs `ListStacks`, and
    /// drift detection reads each resource with the caller's rights (its own calls, and the read
    /// calls of each resource type's handler).
    static let cloudFormationOnBehalf = ["cloudformation:BatchDescribeTypeConfigurations", "cloudformation:ListStacks"]

    /// Drift detection's own call on each resource of the app's stacks.
    static let driftOnStacks = ["cloudformation:DetectStackResourceDrift"]

    /// The read calls drift detection makes on the stacks' resources with the caller's rights:
    /// the execution role's describe, get and list actions that Berth does not call itself, each
    /// on the resources the execution role names.
    var driftReadStatements: [PolicyStatement] {
        let called = Set(Self.deployRoleActions)
        return executionStatements.compactMap { statement -> PolicyStatement? in
            let reads = statement.actions.filter { action in
                let name = action.split(separator: ":").last ?? ""
                return (name.hasPrefix("Describe") || name.hasPrefix("Get") || name.hasPrefix("List")) && !called.contains(action)
            }
            guard !reads.isEmpty else { return nil }
            return PolicyStatement(sid: "DriftReads" + (statement.sid ?? ""), actions: reads, resources: statement.resources)
        }
    }

    /// The deploy role's statements: each of `deployActions` once, on the app's resources
    /// wherever IAM can name them.
    var deployStatements: [PolicyStatement] {
        let stacks = Self.arn("cloudformation", "stack/\(app)-*/*")
        let cluster = Self.arn("ecs", "cluster/\(app)-*")
        let inTheAppsClusters: JSONValue = ["ArnLike": ["ecs:cluster": cluster]]
        return [
            PolicyStatement(
                sid: "ChangeTheAppsStacks",
                actions: [
                    "cloudformation:CreateChangeSet", "cloudformation:DeleteChangeSet", "cloudformation:DeleteStack",
                    "cloudformation:DescribeChangeSet", "cloudformation:DescribeStackEvents", "cloudformation:DescribeStackResourceDrifts",
                    "cloudformation:DetectStackDrift", "cloudformation:ExecuteChangeSet", "cloudformation:GetTemplate",
                    "cloudformation:ListChangeSets", "cloudformation:UpdateTerminationProtection",
                ] + Self.driftOnStacks,
                resources: [stacks]),
            // Destroy and deploy read every stack to find what the app left behind (which needs ListStacks too);
            // drift detection's status and type configurations and a change set's failed events
            // name no stack.
            PolicyStatement(
                sid: "ReadStacks",
                actions: [
                    "cloudformation:DescribeEvents", "cloudformation:DescribeStackDriftDetectionStatus", "cloudformation:DescribeStacks",
                    "cloudformation:ListStackResources",
                ] + Self.cloudFormationOnBehalf,
                resources: ["*"]),
            PolicyStatement(
                sid: "PassTheExecutionRoleToCloudFormation", actions: ["iam:PassRole"],
                resources: [Self.arn("iam", "role/\(Self.executionRoleName(app: app))", region: false)],
                condition: ["StringEquals": ["iam:PassedToService": "cloudformation.amazonaws.com"]]),
            // Reading repositories and their images: any repository of the account, since
            // `repository:` may name one outside <app>/. No write.
            PolicyStatement(
                sid: "ReadRepositories",
                actions: [
                    "ecr:BatchGetImage", "ecr:DescribeImages", "ecr:DescribeRepositories", "ecr:GetDownloadUrlForLayer",
                    "ecr:GetLifecyclePolicy", "ecr:GetRepositoryPolicy", "ecr:ListTagsForResource",
                ],
                resources: [Self.arn("ecr", "repository/*")]),
            PolicyStatement(
                sid: "WatchTheAppsServices",
                actions: ["ecs:DescribeServices", "ecs:ListServiceDeployments"],
                resources: [Self.arn("ecs", "service/\(app)-*")]),
            PolicyStatement(
                sid: "ReadTheAppsDeployments",
                actions: ["ecs:DescribeServiceDeployments", "ecs:DescribeServiceRevisions"],
                // IAM checks the service as well as the deployment or revision.
                resources: [
                    Self.arn("ecs", "service/\(app)-*"), Self.arn("ecs", "service-deployment/\(app)-*"), Self.arn("ecs", "service-revision/\(app)-*"),
                ]),
            PolicyStatement(
                sid: "RunTheAppsTasks", actions: ["ecs:RunTask"], resources: [Self.arn("ecs", "task-definition/\(app)-*")],
                condition: inTheAppsClusters),
            PolicyStatement(
                sid: "WorkWithTheAppsTasks", actions: ["ecs:DescribeTasks", "ecs:StopTask"], resources: [Self.arn("ecs", "task/\(app)-*")]),
            PolicyStatement(
                sid: "ExecIntoTheAppsTasks", actions: ["ecs:ExecuteCommand"],
                resources: [cluster, Self.arn("ecs", "task/\(app)-*")]),
            // Neither names a resource IAM can scope: ListTasks is kept to the app's clusters.
            PolicyStatement(sid: "ListTheAppsTasks", actions: ["ecs:ListTasks"], resources: ["*"], condition: inTheAppsClusters),
            PolicyStatement(sid: "ReadTaskDefinitionsAndSubnets", actions: ["ec2:DescribeSubnets", "ecs:DescribeTaskDefinition"], resources: ["*"]),
            // Destroy reads a load balancer's deletion protection, deploy the shared listener's
            // rule priorities; IAM cannot scope these describe calls.
            PolicyStatement(
                sid: "ReadLoadBalancerAttributesAndRules",
                actions: ["elasticloadbalancing:DescribeLoadBalancerAttributes", "elasticloadbalancing:DescribeRules"], resources: ["*"]),
            // RunTask passes the task's roles, which the app's stacks create as <app>-*.
            PolicyStatement(
                sid: "PassTheAppsTaskRoles", actions: ["iam:PassRole"], resources: [Self.arn("iam", "role/\(app)-*", region: false)],
                condition: ["StringEquals": ["iam:PassedToService": "ecs-tasks.amazonaws.com"]]),
            // signatures: {cosign: {publicKey: <KMS key ARN>}}: the key may be in the account that signs.
            PolicyStatement(
                sid: "ReadSignatureKeys", actions: ["kms:GetPublicKey"],
                resources: [Intrinsic.sub("arn:${AWS::Partition}:kms:*:*:key/*").templateValue]),
            PolicyStatement(
                sid: "ReadTheAppsLogs", actions: ["logs:FilterLogEvents"], resources: [Self.arn("logs", "log-group:/berth/\(app)-*")]),
        ] + driftReadStatements
    }

    /// The trust policy: the trusted account, and with an external ID, only when it is given.
    var trustPolicy: JSONValue {
        let principal: JSONValue = ["AWS": Intrinsic.sub("arn:${AWS::Partition}:iam::${\(Self.trustedAccount)}:root").templateValue]
        let withExternalID: JSONValue = [
            "Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole",
            "Condition": ["StringEquals": ["sts:ExternalId": Intrinsic.ref(Self.externalID).templateValue]],
        ]
        let without: JSONValue = ["Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"]
        return ["Version": "2012-10-17", "Statement": [Intrinsic.if(Self.hasExternalID, withExternalID, without).templateValue]]
    }

    /// Adds the deploy role, which may pass the execution role to CloudFormation.
    func addDeployRole(to template: inout Template) -> ResourceReference {
        template.add(
            "DeployRole",
            IAM.Role(
                assumeRolePolicyDocument: trustPolicy,
                description: .literal("Berth deploys \(app) with this role: exactly the calls Berth makes (berth synth --bootstrap)"),
                policies: [.init(policyDocument: Self.document(deployStatements), policyName: "berth-deploy")],
                roleName: .literal(Self.deployRoleName(app: app))))
    }
}
