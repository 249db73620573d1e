import BerthTemplate

extension BootstrapTemplate {
    /// The CloudFormation execution role's statements: what creating, changing and deleting the
    /// resources of an environment's stacks takes (ECS, load balancers, the VPC and security
    /// groups, log groups, scaling, alarms, schedules, Service Connect's namespaces), and IAM
    /// roles named `<app>-*` only: the roles CloudFormation names after the app's stacks. Not the
    /// repositories: phase-1 stacks belong to no environment and are never deployed with it.
    ///
    /// With the `PermissionsBoundary` parameter, every call that makes a role or adds to what it
    /// may do (creating it, putting an inline policy, attaching a managed policy, setting its
    /// boundary) is allowed only with that policy as the role's boundary, and none removes a
    /// boundary (`boundaryRemoval`): a stack deployed through this role, even one a leaked deploy
    /// role makes, cannot give an `<app>-*` role more than the boundary allows. What only takes
    /// rights away (deleting an inline policy, detaching one, deleting the role) stays allowed on
    /// roles made before the boundary, so that their stacks can still be updated and deleted.
    var executionStatements: [PolicyStatement] {
        let roles = Self.arn("iam", "role/\(app)-*", region: false)
        let boundary: JSONValue = [
            "StringEquals": [
                "iam:PermissionsBoundary": Intrinsic.sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/${\(Self.permissionsBoundary)}")
                    .templateValue
            ]
        ]
        let infrastructurePolicy: JSONValue = [
            "iam:PolicyARN": Intrinsic.sub("arn:${AWS::Partition}:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers").templateValue
        ]
        return [
            PolicyStatement(
                sid: "ManageTheAppsRoles",
                actions: [
                    "iam:DeleteRole", "iam:DeleteRolePolicy", "iam:GetRole", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies",
                    "iam:ListRolePolicies", "iam:ListRoleTags", "iam:TagRole", "iam:UntagRole", "iam:UpdateAssumeRolePolicy",
                    "iam:UpdateRole", "iam:UpdateRoleDescription",
                ],
                resources: [roles]),
            PolicyStatement(
                sid: "ChangeTheAppsRolesWithinTheBoundary",
                actions: ["iam:CreateRole", "iam:PutRolePermissionsBoundary", "iam:PutRolePolicy"],
                resources: [roles],
                condition: Intrinsic.if(Self.hasPermissionsBoundary, boundary, Intrinsic.ref(.noValue)).templateValue),
            // The only managed policy Berth's templates attach: ECS's infrastructure role for
            // blue/green and linear rollouts.
            PolicyStatement(
                sid: "AttachTheECSInfrastructurePolicy", actions: ["iam:AttachRolePolicy"], resources: [roles],
                condition: Intrinsic.if(
                    Self.hasPermissionsBoundary, ["ArnEquals": infrastructurePolicy, "StringEquals": boundary["StringEquals"] ?? [:]] as JSONValue,
                    ["ArnEquals": infrastructurePolicy] as JSONValue
                ).templateValue),
            PolicyStatement(
                sid: "DetachTheECSInfrastructurePolicy", actions: ["iam:DetachRolePolicy"], resources: [roles],
                condition: ["ArnEquals": infrastructurePolicy]),
            PolicyStatement(
                sid: "PassTheAppsRoles", actions: ["iam:PassRole"], resources: [roles],
                condition: [
                    "StringEquals": [
                        "iam:PassedToService": ["ecs-tasks.amazonaws.com", "ecs.amazonaws.com", "scheduler.amazonaws.com"]
                    ]
                ]),
            PolicyStatement(
                sid: "CreateServiceLinkedRoles", actions: ["iam:CreateServiceLinkedRole"],
                resources: [Self.arn("iam", "role/aws-service-role/*", region: false)],
                condition: [
                    "StringEquals": [
                        "iam:AWSServiceName": [
                            "ecs.amazonaws.com", "ecs.application-autoscaling.amazonaws.com", "elasticloadbalancing.amazonaws.com",
                        ]
                    ]
                ]),
            PolicyStatement(
                sid: "ManageTheAppsLogGroups",
                actions: [
                    "logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:DeleteRetentionPolicy", "logs:PutRetentionPolicy",
                    "logs:ListTagsForResource", "logs:TagResource", "logs:UntagResource", "logs:AssociateKmsKey", "logs:DisassociateKmsKey",
                ],
                resources: [Self.arn("logs", "log-group:/berth/\(app)-*")]),
            PolicyStatement(
                sid: "ManageTheAppsEventRules",
                actions: [
                    "events:DeleteRule", "events:DescribeRule", "events:DisableRule", "events:EnableRule", "events:ListTagsForResource",
                    "events:ListTargetsByRule", "events:PutRule", "events:PutTargets", "events:RemoveTargets", "events:TagResource",
                    "events:UntagResource",
                ],
                resources: [Self.arn("events", "rule/\(app)-*")]),
            PolicyStatement(
                sid: "ManageTheAppsTaskDefinitions",
                actions: ["ecs:DeregisterTaskDefinition", "ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition", "ecs:TagResource"],
                resources: ["*"]),
            // Neither ECS clusters and services, load balancers, VPCs nor scaling targets get
            // names CloudFormation derives from the stack, and the describe calls name none: these
            // are the services' actions Berth's templates need, on any resource of the account.
            PolicyStatement(
                sid: "ManageTheAppsInfrastructure",
                actions: [
                    "application-autoscaling:DeleteScalingPolicy", "application-autoscaling:DeleteScheduledAction",
                    "application-autoscaling:DeregisterScalableTarget", "application-autoscaling:DescribeScalableTargets",
                    "application-autoscaling:DescribeScalingActivities", "application-autoscaling:DescribeScalingPolicies",
                    "application-autoscaling:DescribeScheduledActions", "application-autoscaling:PutScalingPolicy",
                    "application-autoscaling:PutScheduledAction", "application-autoscaling:RegisterScalableTarget",
                    "application-autoscaling:TagResource", "application-autoscaling:UntagResource",
                    "cloudwatch:DeleteAlarms", "cloudwatch:DescribeAlarms", "cloudwatch:PutMetricAlarm", "cloudwatch:TagResource",
                    "ec2:AssociateRouteTable", "ec2:AttachInternetGateway", "ec2:AuthorizeSecurityGroupEgress",
                    "ec2:AuthorizeSecurityGroupIngress", "ec2:CreateInternetGateway", "ec2:CreateRoute", "ec2:CreateRouteTable",
                    "ec2:CreateSecurityGroup", "ec2:CreateSubnet", "ec2:CreateTags", "ec2:CreateVpc", "ec2:CreateVpcEndpoint",
                    "ec2:DeleteInternetGateway", "ec2:DeleteRoute", "ec2:DeleteRouteTable", "ec2:DeleteSecurityGroup",
                    "ec2:DeleteSubnet", "ec2:DeleteTags", "ec2:DeleteVpc", "ec2:DeleteVpcEndpoints", "ec2:DescribeAccountAttributes",
                    "ec2:DescribeAvailabilityZones", "ec2:DescribeInternetGateways", "ec2:DescribeNetworkInterfaces",
                    "ec2:DescribePrefixLists", "ec2:DescribeRouteTables", "ec2:DescribeSecurityGroupRules",
                    "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcAttribute", "ec2:DescribeVpcEndpoints",
                    "ec2:DescribeVpcs", "ec2:DetachInternetGateway", "ec2:DisassociateRouteTable", "ec2:ModifySecurityGroupRules",
                    "ec2:ModifySubnetAttribute", "ec2:ModifyVpcAttribute", "ec2:ModifyVpcEndpoint", "ec2:ReplaceRoute",
                    "ec2:RevokeSecurityGroupEgress", "ec2:RevokeSecurityGroupIngress",
                    "ecs:CreateCluster", "ecs:CreateService", "ecs:DeleteCluster", "ecs:DeleteService", "ecs:DescribeClusters",
                    "ecs:DescribeServiceDeployments", "ecs:DescribeServices", "ecs:ListServiceDeployments", "ecs:ListTagsForResource",
                    "ecs:PutClusterCapacityProviders", "ecs:StopServiceDeployment", "ecs:UntagResource", "ecs:UpdateCluster",
                    "ecs:UpdateClusterSettings", "ecs:UpdateService",
                    // The log group's handler looks its group up (create, update and delete);
                    // IAM cannot scope this describe call.
                    "logs:DescribeLogGroups",
                    "elasticloadbalancing:AddListenerCertificates", "elasticloadbalancing:AddTags",
                    // An interface endpoint with private DNS (a new VPC's private subnets)
                    // associates the VPC with the hosted zone AWS keeps for the service's name.
                    "route53:AssociateVPCWithHostedZone",
                    "elasticloadbalancing:CreateListener", "elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateRule",
                    "elasticloadbalancing:CreateTargetGroup", "elasticloadbalancing:DeleteListener",
                    "elasticloadbalancing:DeleteLoadBalancer", "elasticloadbalancing:DeleteRule",
                    "elasticloadbalancing:DeleteTargetGroup", "elasticloadbalancing:DescribeListenerAttributes",
                    "elasticloadbalancing:DescribeListenerCertificates", "elasticloadbalancing:DescribeListeners",
                    "elasticloadbalancing:DescribeLoadBalancerAttributes", "elasticloadbalancing:DescribeLoadBalancers",
                    "elasticloadbalancing:DescribeRules", "elasticloadbalancing:DescribeTags",
                    "elasticloadbalancing:DescribeTargetGroupAttributes", "elasticloadbalancing:DescribeTargetGroups",
                    "elasticloadbalancing:DescribeTargetHealth", "elasticloadbalancing:ModifyListener",
                    "elasticloadbalancing:ModifyListenerAttributes", "elasticloadbalancing:ModifyLoadBalancerAttributes",
                    "elasticloadbalancing:ModifyRule", "elasticloadbalancing:ModifyTargetGroup",
                    "elasticloadbalancing:ModifyTargetGroupAttributes", "elasticloadbalancing:RemoveListenerCertificates",
                    "elasticloadbalancing:RemoveTags", "elasticloadbalancing:SetRulePriorities",
                    "elasticloadbalancing:SetSecurityGroups", "elasticloadbalancing:SetSubnets",
                    "scheduler:CreateSchedule", "scheduler:DeleteSchedule", "scheduler:GetSchedule", "scheduler:UpdateSchedule",
                    "servicediscovery:CreateHttpNamespace", "servicediscovery:CreateService", "servicediscovery:DeleteNamespace",
                    "servicediscovery:DeleteService", "servicediscovery:GetNamespace", "servicediscovery:GetOperation",
                    "servicediscovery:GetService", "servicediscovery:ListNamespaces", "servicediscovery:ListTagsForResource",
                    "servicediscovery:TagResource", "servicediscovery:UntagResource", "servicediscovery:UpdateHttpNamespace",
                ],
                resources: ["*"]),
        ]
    }

    /// Adds the execution role, which only CloudFormation may assume (as CDK's bootstrap trusts it).
    /// Removing a role's boundary (an environment that drops `permissionsBoundary`): a statement
    /// of the policy only without the `PermissionsBoundary` parameter, which with it no call may do.
    var boundaryRemoval: JSONValue {
        let statement = PolicyStatement(
            sid: "RemoveTheAppsRoleBoundaries", actions: ["iam:DeleteRolePermissionsBoundary"],
            resources: [Self.arn("iam", "role/\(app)-*", region: false)])
        return Intrinsic.if(Self.hasPermissionsBoundary, Intrinsic.ref(.noValue), statement.jsonValue).templateValue
    }

    func addExecutionRole(to template: inout Template) -> ResourceReference {
        template.add(
            "CloudFormationExecutionRole",
            IAM.Role(
                assumeRolePolicyDocument: [
                    "Version": "2012-10-17",
                    "Statement": [
                        [
                            "Effect": "Allow", "Principal": ["Service": "cloudformation.amazonaws.com"], "Action": "sts:AssumeRole"
                        ]
                    ],
                ],
                description: .literal("CloudFormation creates \(app)'s resources with this role, passed by Berth as each change set's RoleARN"),
                policies: [.init(policyDocument: Self.document(executionStatements, boundaryRemoval), policyName: "berth-cloudformation")],
                roleName: .literal(Self.executionRoleName(app: app))),
            metadata: AcceptedFinding.metadata([
                AcceptedFinding(
                    checkID: "CKV_AWS_111",
                    reason: "CloudFormation creates the app's clusters, services, load balancers, VPCs and scaling targets under names it makes up, and IAM cannot scope their create calls to a stack; only cloudformation.amazonaws.com can assume this role, IAM changes are limited to <app>-* roles")
            ]))
    }
}
