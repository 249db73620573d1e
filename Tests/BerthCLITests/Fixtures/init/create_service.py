"""Creates, with boto3, an ECS service as a team might have made it by hand, with a task
definition that no one wrote for Berth: a sidecar, a volume, roles, a load balancer, secrets by
ARN and by SSM parameter name. For `berth init --from-service` (InitFromServiceTests).

Usage: create_service.py ENDPOINT_URL REGION
Prints the task definition and the service, as ECS describes them, the VPC, the tasks' (private)
subnets and the VPC's public ones, as one JSON document.
"""
import json
import sys

import boto3

endpoint, region = sys.argv[1], sys.argv[2]
session = boto3.session.Session(aws_access_key_id="AKIDINIT", aws_secret_access_key="init", region_name=region)
ec2 = session.client("ec2", endpoint_url=endpoint)
ecs = session.client("ecs", endpoint_url=endpoint)

vpc = ec2.create_vpc(CidrBlock="10.50.0.0/16")["Vpc"]["VpcId"]
subnets = [
    ec2.create_subnet(VpcId=vpc, CidrBlock=cidr, AvailabilityZone=region + zone)["Subnet"]["SubnetId"]
    for cidr, zone in (("10.50.1.0/24", "a"), ("10.50.2.0/24", "b"))
]
# Two public subnets for the load balancer: they give public IPs on launch.
public_subnets = []
for cidr, zone in (("10.50.101.0/24", "a"), ("10.50.102.0/24", "b")):
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock=cidr, AvailabilityZone=region + zone)["Subnet"]["SubnetId"]
    ec2.modify_subnet_attribute(SubnetId=subnet, MapPublicIpOnLaunch={"Value": True})
    public_subnets.append(subnet)
group = ec2.create_security_group(GroupName="legacy-api", Description="legacy api", VpcId=vpc)["GroupId"]
account = "123456789012"

ecs.create_cluster(clusterName="legacy")
task = ecs.register_task_definition(
    family="legacy-api",
    networkMode="awsvpc",
    requiresCompatibilities=["FARGATE"],
    cpu="512",
    memory="1024",
    taskRoleArn=f"arn:aws:iam::{account}:role/legacy-api-task",
    executionRoleArn=f"arn:aws:iam::{account}:role/legacy-api-execution",
    volumes=[{"name": "cache"}],
    containerDefinitions=[
        {
            "name": "api",
            "image": f"{account}.dkr.ecr.{region}.amazonaws.com/legacy/api:v42",
            "essential": True,
            "portMappings": [{"containerPort": 3000, "protocol": "tcp"}],
            "environment": [
                {"name": "LOG_LEVEL", "value": "info"},
                {"name": "GREETING", "value": "hello: world # not a comment"},
                {"name": "WORKERS", "value": "4"},
                {"name": "ENABLED", "value": "yes"},
                {"name": "BAD-NAME", "value": "left out"},
                {"name": "", "value": "left out too"},
                {"name": "SMTP_PASSWORD", "value": "plaintext-smtp-password"},
            ],
            "secrets": [
                {"name": "DATABASE_URL", "valueFrom": f"arn:aws:secretsmanager:{region}:{account}:secret:legacy/db-AbCdEf"},
                {"name": "API_KEY", "valueFrom": "/legacy/api-key"},
            ],
            "healthCheck": {
                "command": ["CMD-SHELL", "curl -f http://localhost:3000/health || exit 1"],
                "interval": 20, "timeout": 5, "retries": 3, "startPeriod": 15,
            },
            "mountPoints": [{"sourceVolume": "cache", "containerPath": "/var/cache/api"}],
            "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "legacy", "awslogs-region": region, "awslogs-stream-prefix": "api"}},
        },
        {
            "name": "log-router",
            "image": "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.0",
            "essential": False,
            "memoryReservation": 64,
        },
    ],
)["taskDefinition"]

ecs.create_service(
    cluster="legacy",
    serviceName="api",
    taskDefinition=task["taskDefinitionArn"],
    desiredCount=3,
    launchType="FARGATE",
    networkConfiguration={"awsvpcConfiguration": {"subnets": subnets, "securityGroups": [group], "assignPublicIp": "DISABLED"}},
    deploymentConfiguration={"minimumHealthyPercent": 50, "maximumPercent": 200},
    loadBalancers=[{
        "targetGroupArn": f"arn:aws:elasticloadbalancing:{region}:{account}:targetgroup/legacy-api/0123456789abcdef",
        "containerName": "api", "containerPort": 3000,
    }],
)

described_task = ecs.describe_task_definition(taskDefinition=task["taskDefinitionArn"])["taskDefinition"]
described_service = ecs.describe_services(cluster="legacy", services=["api"])["services"][0]
print(json.dumps({
    "taskDefinition": described_task, "service": described_service, "vpc": vpc, "taskSubnets": subnets,
    "publicSubnets": public_subnets,
}, default=str, sort_keys=True))
