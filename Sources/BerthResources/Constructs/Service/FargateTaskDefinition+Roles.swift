import BerthModel
import BerthTemplate

extension FargateTaskDefinition {
    /// The task execution role (used by ECS to start the task) and the task role (used by the app).
    struct Roles {
        let execution: ResourceReference
        let task: ResourceReference
    }

    /// The trust policy that lets ECS tasks of this account assume a role (no confused deputy).
    private static let ecsTasksTrust: JSONValue = [
        "Version": "2012-10-17",
        "Statement": [
            [
                "Effect": "Allow",
                "Principal": ["Service": "ecs-tasks.amazonaws.com"],
                "Action": "sts:AssumeRole",
                "Condition": ["StringEquals": ["aws:SourceAccount": Intrinsic.ref(.accountId).templateValue]],
            ]
        ],
    ]

    /// `<region>:<account>:repository/<name>` of an image in a private ECR registry
    /// (`123456789012.dkr.ecr.eu-west-1.amazonaws.com/otel/collector:v1`), `nil` for any other.
    static func privateECRRepository(of image: String) -> String? {
        guard let slash = image.firstIndex(of: "/") else { return nil }
        let host = image[..<slash].split(separator: ".", omittingEmptySubsequences: false)
        guard host.count >= 6, host[0].count == 12, DecimalText.isDigits(host[0]), host[1] == "dkr", host[2] == "ecr",
            host[4] == "amazonaws", host[5...] == ["com"] || host[5...] == ["com", "cn"]
        else { return nil }
        var path = image[image.index(after: slash)...]
        if let at = path.firstIndex(of: "@") { path = path[..<at] }
        let lastPart = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
        if let colon = path[lastPart...].firstIndex(of: ":") { path = path[..<colon] }
        guard !path.isEmpty else { return nil }
        return "\(host[3]):\(host[0]):repository/\(path)"
    }

    /// Adds the roles. The execution role may pull from this repository only, write to this log group only, and
    /// read exactly the secrets the container names. The task role has ECS exec's channels when
    /// `execCommand` is on, and the statements the app added (`taskRoleStatements`).
    func addRoles(logGroup: ResourceReference, to stack: inout Stack) -> Roles {
        var statements: [JSONValue] = [
            [
                "Sid": "PullFromThisRepository",
                "Effect": "Allow",
                "Action": ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                "Resource": Intrinsic.sub(
                    "arn:${AWS::Partition}:ecr:\(repositoryRegion ?? "${AWS::Region}"):\(repositoryAccount ?? "${AWS::AccountId}"):repository/${\(ParameterName.repositoryName)}"
                ).templateValue,
            ]
        ]
        // Sidecars whose images are in a private ECR repository (an image copied into ECR, a
        // pull-through cache's): ECS pulls them with this role too.
        let sidecarRepositories = Self.unique(sidecars.compactMap { Self.privateECRRepository(of: $0.image) })
        if !sidecarRepositories.isEmpty {
            statements.append([
                "Sid": "PullTheSidecarImages",
                "Effect": "Allow",
                "Action": ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                "Resource": .array(sidecarRepositories.map { Intrinsic.sub("arn:${AWS::Partition}:ecr:\($0)").templateValue }),
            ])
        }
        statements += [
            [
                "Sid": "AuthenticateToECR",
                "Effect": "Allow",
                "Action": "ecr:GetAuthorizationToken",
                "Resource": "*",
            ],
            [
                "Sid": "WriteToThisLogGroup",
                "Effect": "Allow",
                "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                "Resource": logGroup.getAtt("Arn").templateValue,
            ],
        ]
        if let repositoryKMSKeyArn {
            // Images of a repository in another account, encrypted with a KMS key: the key's
            // policy must also let this account use it (the key is not Berth's; see the README).
            statements.append([
                "Sid": "DecryptImagesOfThatRepository",
                "Effect": "Allow",
                "Action": "kms:Decrypt",
                "Resource": .string(repositoryKMSKeyArn),
            ])
        }
                let secretArns = settings.secrets.keys.sorted().compactMap { settings.secrets[$0] }
        let secretsManager = secretArns.filter { $0.contains(":secretsmanager:") }
        let parameterStore = secretArns.filter { $0.contains(":ssm:") }
        // The secrets themselves, as IAM names them (`secretPolicyResources`).
        let secretResources = Self.unique(secretsManager.flatMap(Self.secretPolicyResources))
        if !secretsManager.isEmpty {
            statements.append([
                "Sid": "ReadTheContainerSecrets",
                "Effect": "Allow",
                "Action": "secretsmanager:GetSecretValue",
                "Resource": .array(secretResources.map(JSONValue.string)),
            ])
        }
        if !parameterStore.isEmpty {
            statements.append([
                "Sid": "ReadTheContainerParameters",
                "Effect": "Allow",
                "Action": "ssm:GetParameters",
                "Resource": .array(parameterStore.map(JSONValue.string)),
            ])
        }
        // A secret encrypted with a key of its owner's (the only kind Secrets Manager shares with
        // another account) is decrypted through the execution role too: allowed for these
        // secrets alone (the encryption context names each) and only through Secrets Manager or
        // Parameter Store, whatever the key; the key's policy must let this account use it.
        let secretContexts: [(service: String, context: String, values: [String])] = [
            ("secretsmanager", "kms:EncryptionContext:SecretARN", secretResources),
            ("ssm", "kms:EncryptionContext:PARAMETER_ARN", parameterStore),
        ]
        for (service, context, values) in secretContexts where !values.isEmpty {
            let regions = Self.unique(values.compactMap(ARN.region(of:)))
            statements.append([
                "Sid": service == "ssm" ? "DecryptTheContainerParameters" : "DecryptTheContainerSecrets",
                "Effect": "Allow",
                "Action": "kms:Decrypt",
                "Resource": Intrinsic.sub("arn:${AWS::Partition}:kms:*:*:key/*").templateValue,
                "Condition": [
                    "StringEquals": ["kms:ViaService": .array(regions.map { .string("\(service).\($0).amazonaws.com") })],
                    "StringLike": [context: .array(values.map(JSONValue.string))],
                ],
            ])
        }
        let execution = stack.template.add(
            "TaskExecutionRole",
            IAM.Role(
                assumeRolePolicyDocument: Self.ecsTasksTrust,
                policies: [
                    .init(
                        policyDocument: ["Version": "2012-10-17", "Statement": .array(statements)],
                        policyName: "pull-image-and-write-logs")
                ]))
        var taskPolicies: [IAM.Role.Policy] = []
        if settings.enableExecuteCommand {
            taskPolicies.append(
                .init(
                    policyDocument: [
                        "Version": "2012-10-17",
                        "Statement": [
                            [
                                "Sid": "ExecuteCommandChannels",
                                "Effect": "Allow",
                                "Action": [
                                    "ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
                                    "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel",
                                ],
                                "Resource": "*",
                            ]
                        ],
                    ],
                    policyName: "ecs-exec"))
        }
        if !taskRoleStatements.isEmpty {
            taskPolicies.append(
                .init(
                    policyDocument: ["Version": "2012-10-17", "Statement": .array(taskRoleStatements.map(\.jsonValue))],
                    policyName: "app"))
        }
        let task = stack.template.add(
            "TaskRole",
            IAM.Role(
                assumeRolePolicyDocument: Self.ecsTasksTrust,
                policies: taskPolicies.isEmpty ? nil : .items(taskPolicies)))
        return Roles(execution: execution, task: task)
    }

    /// What the execution role must be allowed to read for a container secret's `valueFrom`,
    /// which ECS takes as `arn:…:secret:NAME[:json-key:version-stage:version-id]`: the secret's
    /// ARN without the JSON key and version parts (IAM matches the secret, not the key). A name
    /// without the six characters Secrets Manager appends (`NAME-AbCdEf`) is a partial ARN,
    /// which ECS resolves and IAM does not: `NAME-??????` is allowed too, as AWS's documentation
    /// advises. The suffix is six random letters and digits: a last part of six letters that are
    /// all lowercase (`app-config`) is taken as part of the name (a real suffix is that only about
    /// once in 180, and then the pattern is merely added too).
    static func secretPolicyResources(_ valueFrom: String) -> [String] {
        let parts = valueFrom.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 7, parts[5] == "secret" else { return [valueFrom] }
        let secret = parts.prefix(7).joined(separator: ":")
        let name = parts[6]
        let suffix = name.split(separator: "-", omittingEmptySubsequences: false).last ?? ""
        let hasSuffix = name.contains("-") && suffix.count == 6 && suffix.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
            && suffix.contains { $0.isUppercase || $0.isNumber }
        return hasSuffix ? [secret] : [secret, secret + "-??????"]
    }

    /// `values` without repeats, in their first order.
    private static func unique(_ values: [String]) -> [String] {
        var seen: Set<String> = []
        return values.filter { seen.insert($0).inserted }
    }
}
