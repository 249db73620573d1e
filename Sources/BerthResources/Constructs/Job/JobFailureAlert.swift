import BerthTemplate

/// A message to an SNS topic for every run of a job that fails: an EventBridge rule on ECS's
/// task state changes, for the job's task family, when the task stopped with a container exit
/// code other than 0 or never started. The topic's policy must let `events.amazonaws.com`
/// publish to it. An event pattern matches each field of an array of objects on its own, so a
/// sidecar's exit code counts as the job's; a run the scheduler could not start makes no task
/// and no event.
struct JobFailureAlert {
    let name: String
    /// The task family, such as `shop-dev-nightly`.
    let qualifiedName: String
    let topicArn: String

    func add(to stack: inout Stack) {
        let family = Intrinsic.sub("arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:task-definition/\(qualifiedName):")
        stack.template.add(
            "FailedRunAlert",
            Events.Rule(
                description: .literal("A failed run of \(name) goes to its topic"),
                eventPattern: [
                    "source": ["aws.ecs"],
                    "detail-type": ["ECS Task State Change"],
                    "detail": [
                        "lastStatus": ["STOPPED"],
                        "taskDefinitionArn": [["prefix": family.templateValue]],
                        "$or": [
                            ["containers": ["exitCode": [["anything-but": 0]]]],
                            ["stopCode": ["TaskFailedToStart"]],
                        ],
                    ],
                ],
                state: "ENABLED",
                targets: [.init(arn: .literal(topicArn), id: "FailedRunTopic")]))
    }
}
