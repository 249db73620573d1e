import BerthModel
import BerthTemplate

/// When EventBridge Scheduler runs a job: a schedule (`cron(…)` or `rate(…)`, in a time zone),
/// without a flexible window, with retries, and a role that may run exactly the job's task
/// definition family in the environment's cluster and pass exactly its two roles.
struct JobSchedule {
    let name: String
    /// The task family, such as `shop-dev-migrate`.
    let qualifiedName: String
    let expression: String
    let timezone: String?
    let enabled: Bool
    let retries: Int
    /// `ENABLED` or `DISABLED`, as the services' tasks.
    let assignPublicIp: String

    func add(
        taskDefinition: ResourceReference, roles: FargateTaskDefinition.Roles, securityGroup: ResourceReference, to stack: inout Stack
    ) {
        let clusterArn = Intrinsic.sub("arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:cluster/${\(ParameterName.clusterName)}")
        let role = stack.template.add(
            "ScheduleRole",
            IAM.Role(
                assumeRolePolicyDocument: [
                    "Version": "2012-10-17",
                    "Statement": [
                        [
                            "Effect": "Allow",
                            "Principal": ["Service": "scheduler.amazonaws.com"],
                            "Action": "sts:AssumeRole",
                            "Condition": ["StringEquals": ["aws:SourceAccount": Intrinsic.ref(.accountId).templateValue]],
                        ]
                    ],
                ],
                policies: [
                    .init(
                        policyDocument: [
                            "Version": "2012-10-17",
                            "Statement": [
                                [
                                    "Sid": "RunThisJob",
                                    "Effect": "Allow",
                                    "Action": "ecs:RunTask",
                                    "Resource": Intrinsic.sub(
                                        "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:task-definition/\(qualifiedName):*"
                                    ).templateValue,
                                    "Condition": ["ArnEquals": ["ecs:cluster": clusterArn.templateValue]],
                                ],
                                [
                                    "Sid": "PassThisJobsRoles",
                                    "Effect": "Allow",
                                    "Action": "iam:PassRole",
                                    "Resource": [roles.execution.getAtt("Arn").templateValue, roles.task.getAtt("Arn").templateValue],
                                    "Condition": ["StringEquals": ["iam:PassedToService": "ecs-tasks.amazonaws.com"]],
                                ],
                            ],
                        ],
                        policyName: "run-\(name)")
                ]))
        stack.template.add(
            "Schedule",
            Scheduler.Schedule(
                description: .literal("Runs \(name)"),
                flexibleTimeWindow: .init(mode: "OFF"),
                scheduleExpression: .literal(expression),
                scheduleExpressionTimezone: timezone.map(Value.literal),
                state: enabled ? "ENABLED" : "DISABLED",
                target: .init(
                    arn: .intrinsic(clusterArn),
                    ecsParameters: .init(
                        launchType: "FARGATE",
                        networkConfiguration: .init(
                            awsvpcConfiguration: .init(
                                assignPublicIp: .literal(assignPublicIp), securityGroups: [securityGroup.getAtt("GroupId")],
                                subnets: TaskPlacement.subnets(ParameterName.taskSubnetIDs))),
                        taskCount: .literal(1),
                        taskDefinitionArn: taskDefinition.ref),
                    retryPolicy: .init(maximumRetryAttempts: .literal(Double(retries))),
                    roleArn: role.getAtt("Arn"))))
    }
}
