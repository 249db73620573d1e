"""A small local stand-in for CloudFormation's answers about one stack that adopts an existing
repository, for `make demo`: moto 5.2.1 does not model a CREATE change set with
`ImportExistingResources` (it creates the repository again and fails). Every other call, and every
call about another stack, is relayed to moto unchanged, so ECR stays moto's and the images are
counted there. Loopback only.

Written from the CloudFormation API reference: CreateChangeSet returns `Id` and `StackId`; with
`ImportExistingResources` the change set shows the existing, custom-named repository with
`Action` `Import`; DescribeChangeSet is `CREATE_COMPLETE` and `AVAILABLE`; the stack is then
`CREATE_COMPLETE` (the resource `IMPORT_COMPLETE`) with its outputs; a later UPDATE change set shows
the repository with `Action` `Modify`, and executing it applies the template's repository settings
(tag mutability and its exclusion filters, the lifecycle policy), which the stand-in makes through
moto's ECR API as CloudFormation would. DescribeStacks of a stack that does not exist is a
`ValidationError` "does not exist"."""
import http.server
import json
import urllib.parse
from xml.sax.saxutils import escape

from moto_local import relay, reply, serve


class ImportStandIn:
    """Plays the stack `stack_name`, whose resource `logical_id` is the existing repository
    `repository`; `ecr` is a boto3 ECR client of moto, used to apply an executed update."""

    def __init__(self, moto_port, stack_name, logical_id, repository, ecr, region="eu-west-1", account="123456789012"):
        self.moto_port, self.stack_name, self.logical_id, self.repository = moto_port, stack_name, logical_id, repository
        self.ecr, self.region, self.account = ecr, region, account
        self.change_sets = []
        self.executions = 0
        self.actions = []
        stand_in = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                form = {} if self.headers.get("X-Amz-Target") else dict(urllib.parse.parse_qsl(body.decode()))
                # CloudFormation takes a stack's name or its ID wherever a StackName is asked for.
                if form.get("StackName") in (stand_in.stack_name, stand_in.stack_id) and "Action" in form:
                    status, data = stand_in.answer(form)
                    reply(self, status, "text/xml", data)
                    return
                relay(self, stand_in.moto_port, body)

        self.server = serve(Handler)
        self.port = self.server.server_address[1]

    def close(self):
        self.server.shutdown()

    @property
    def stack_id(self):
        return f"arn:aws:cloudformation:{self.region}:{self.account}:stack/{self.stack_name}/1"

    def outputs(self):
        arn = f"arn:aws:ecr:{self.region}:{self.account}:repository/{self.repository}"
        uri = f"{self.account}.dkr.ecr.{self.region}.amazonaws.com/{self.repository}"
        return {"RepositoryName": self.repository, "RepositoryArn": arn, "RepositoryUri": uri}

    def tags(self):
        """The tags of the change set that created the stack (`Tags.member.N.Key` and `.Value`)."""
        created = self.change_sets[0] if self.change_sets else {}
        tags, index = {}, 1
        while f"Tags.member.{index}.Key" in created:
            tags[created[f"Tags.member.{index}.Key"]] = created.get(f"Tags.member.{index}.Value", "")
            index += 1
        return tags

    def answer(self, form):
        action = form["Action"]
        self.actions.append(action)
        if action == "DescribeStacks":
            if self.executions == 0:
                return self.error(f"Stack with id {self.stack_name} does not exist")
            members = "".join(f"<member><OutputKey>{k}</OutputKey><OutputValue>{escape(v)}</OutputValue></member>"
                              for k, v in sorted(self.outputs().items()))
            status = "UPDATE_COMPLETE" if self.executions > 1 else "CREATE_COMPLETE"
            # The stack keeps the tags of the change set that created it (Berth's berth:app among them).
            tags = "".join(f"<member><Key>{escape(k)}</Key><Value>{escape(v)}</Value></member>" for k, v in self.tags().items())
            return self.result(action, f"<Stacks><member><StackName>{self.stack_name}</StackName><StackId>{self.stack_id}</StackId>"
                                       f"<StackStatus>{status}</StackStatus><CreationTime>2026-12-06T00:00:00Z</CreationTime>"
                                       f"<EnableTerminationProtection>true</EnableTerminationProtection>"
                                       f"<Outputs>{members}</Outputs><Tags>{tags}</Tags></member></Stacks>")
        if action == "CreateChangeSet":
            importing = form.get("ImportExistingResources") == "true" and form.get("ChangeSetType") == "CREATE"
            if not (importing or (self.executions > 0 and form.get("ChangeSetType") == "UPDATE")):
                return self.error(f"Resource of type 'AWS::ECR::Repository' with identifier '{self.repository}' already exists.")
            self.change_sets.append(form)
            return self.result(action, f"<Id>{self.change_set_id}</Id><StackId>{self.stack_id}</StackId>")
        if action == "DescribeChangeSet":
            change = "Modify" if len(self.change_sets) > 1 else "Import"
            return self.result(action, f"<ChangeSetId>{self.change_set_id}</ChangeSetId><StackId>{self.stack_id}</StackId>"
                                       "<Status>CREATE_COMPLETE</Status><ExecutionStatus>AVAILABLE</ExecutionStatus><Changes><member>"
                                       f"<Type>Resource</Type><ResourceChange><Action>{change}</Action>"
                                       f"<LogicalResourceId>{self.logical_id}</LogicalResourceId>"
                                       f"<PhysicalResourceId>{self.repository}</PhysicalResourceId>"
                                       "<ResourceType>AWS::ECR::Repository</ResourceType></ResourceChange></member></Changes>")
        if action == "ExecuteChangeSet":
            self.executions += 1
            if self.executions > 1:
                self.apply(json.loads(self.change_sets[-1]["TemplateBody"]))
            return self.result(action, "")
        if action == "GetTemplate":
            body = self.change_sets[-1]["TemplateBody"] if self.change_sets else ""
            return self.result(action, f"<TemplateBody>{escape(body)}</TemplateBody>")
        if action == "DescribeStackEvents":
            events = []
            if self.executions > 1:
                events += [("e4", self.stack_name, "AWS::CloudFormation::Stack", "UPDATE_COMPLETE"),
                           ("e3", self.logical_id, "AWS::ECR::Repository", "UPDATE_COMPLETE")]
            if self.executions > 0:
                events += [("e2", self.stack_name, "AWS::CloudFormation::Stack", "CREATE_COMPLETE"),
                           ("e1", self.logical_id, "AWS::ECR::Repository", "IMPORT_COMPLETE")]
            members = "".join(
                f"<member><EventId>{event_id}</EventId><StackName>{self.stack_name}</StackName><LogicalResourceId>{logical}</LogicalResourceId>"
                f"<PhysicalResourceId>{self.stack_id if kind.endswith('Stack') else self.repository}</PhysicalResourceId>"
                f"<ResourceType>{kind}</ResourceType><Timestamp>2026-12-06T00:00:01Z</Timestamp><ResourceStatus>{status}</ResourceStatus></member>"
                for event_id, logical, kind, status in events)
            return self.result(action, f"<StackEvents>{members}</StackEvents>")
        if action in ("ListStackResources", "DescribeStackResources"):
            status = "UPDATE_COMPLETE" if self.executions > 1 else "IMPORT_COMPLETE"
            field = "StackResourceSummaries" if action == "ListStackResources" else "StackResources"
            return self.result(action, f"<{field}><member><LogicalResourceId>{self.logical_id}</LogicalResourceId>"
                                       f"<PhysicalResourceId>{self.repository}</PhysicalResourceId><ResourceType>AWS::ECR::Repository</ResourceType>"
                                       f"<ResourceStatus>{status}</ResourceStatus></member></{field}>")
        return self.result(action, "")

    @property
    def change_set_id(self):
        return f"arn:aws:cloudformation:{self.region}:{self.account}:changeSet/adopt/{len(self.change_sets)}"

    def apply(self, template):
        """What CloudFormation's update of the repository does to it: the template's tag
        mutability, exclusion filters and lifecycle policy (the images stay)."""
        properties = template["Resources"][self.logical_id]["Properties"]
        arguments = {"repositoryName": self.repository, "imageTagMutability": properties["ImageTagMutability"]}
        filters = properties.get("ImageTagMutabilityExclusionFilters")
        if filters:
            arguments["imageTagMutabilityExclusionFilters"] = [
                {"filterType": f["ImageTagMutabilityExclusionFilterType"], "filter": f["ImageTagMutabilityExclusionFilterValue"]}
                for f in filters]
        self.ecr.put_image_tag_mutability(**arguments)
        policy = properties.get("LifecyclePolicy", {}).get("LifecyclePolicyText")
        if policy:
            self.ecr.put_lifecycle_policy(repositoryName=self.repository, lifecyclePolicyText=policy)

    def result(self, action, inner):
        return 200, (f"<{action}Response><{action}Result>{inner}</{action}Result>"
                     f"<ResponseMetadata><RequestId>stand-in</RequestId></ResponseMetadata></{action}Response>").encode()

    def error(self, message):
        return 400, (f"<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>{escape(message)}</Message>"
                     "</Error><RequestId>stand-in</RequestId></ErrorResponse>").encode()
