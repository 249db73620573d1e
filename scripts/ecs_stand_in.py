"""A small local stand-in for ECS's task calls, for `make demo`: moto's tasks always end with
exit code 0, so the demo's failing migration is answered here. RunTask, DescribeTasks and StopTask
are answered as the ECS API reference describes them (a task that runs, then stops with its
container's exit code); every other call is relayed to moto unchanged. Loopback only."""
import http.server
import json
import time

from moto_local import relay, reply, serve


class TaskStandIn:
    """Answers the task calls of one run that exits with `exit_code` after `polls` looks; the log
    lines are written to moto's CloudWatch Logs, as the awslogs driver would."""

    def __init__(self, moto_port, exit_code, lines, region="eu-west-1", polls=2, runs_for=None):
        """`runs_for` seconds, when given, is how long a task runs before it stops (instead of
        `polls` looks); every other call goes to `moto_port` (moto, or a proxy in front of it)."""
        self.moto_port, self.exit_code, self.lines, self.region, self.polls = moto_port, exit_code, lines, region, polls
        self.runs_for = runs_for
        self.tasks = {}
        self.calls = []
        stand_in = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                target = self.headers.get("X-Amz-Target", "")
                operation = target.rsplit(".", 1)[-1]
                if target.startswith("AmazonEC2ContainerServiceV20141113.") and operation in ("RunTask", "DescribeTasks", "StopTask"):
                    stand_in.calls.append(operation)
                    answer = getattr(stand_in, operation)(json.loads(body or b"{}"))
                    reply(self, 200, "application/x-amz-json-1.1", json.dumps(answer).encode())
                    return
                relay(self, stand_in.moto_port, body)

        self.server = serve(Handler)
        self.port = self.server.server_address[1]

    def close(self):
        self.server.shutdown()

    def task(self, arn, status):
        entry = self.tasks[arn]
        container = {"name": entry["container"], "lastStatus": status}
        task = {"taskArn": arn, "lastStatus": status, "desiredStatus": "STOPPED" if status == "STOPPED" else "RUNNING",
                "startedAt": entry["started"], "containers": [container]}
        if status == "STOPPED":
            container["exitCode"] = self.exit_code
            task.update(stoppedReason="Essential container in task exited", stopCode="EssentialContainerExited",
                        stoppedAt=entry["started"] + (self.runs_for or 2))
        return task

    def RunTask(self, request):
        container = request.get("overrides", {}).get("containerOverrides", [{}])[0].get("name") or \
            request["taskDefinition"].split("/")[-1].split(":")[0].rsplit("-", 1)[-1]
        task_id = "%032x" % (len(self.tasks) + 1)
        arn = f"arn:aws:ecs:{self.region}:123456789012:task/{request['cluster']}/{task_id}"
        self.tasks[arn] = {"container": container, "looks": 0, "started": time.time()}
        self.write_logs(request["taskDefinition"], container, task_id)
        return {"tasks": [self.task(arn, "PROVISIONING")], "failures": []}

    def DescribeTasks(self, request):
        tasks = []
        for arn in request.get("tasks", []):
            if arn in self.tasks:
                entry = self.tasks[arn]
                entry["looks"] += 1
                if self.runs_for is not None:
                    stopped = time.time() - entry["started"] >= self.runs_for
                else:
                    stopped = entry["looks"] > self.polls
                tasks.append(self.task(arn, "STOPPED" if stopped else "RUNNING"))
        return {"tasks": tasks, "failures": []}

    def StopTask(self, request):
        return {"task": self.task(request["task"], "STOPPED")}

    def write_logs(self, task_definition, container, task_id):
        if not self.lines:
            return
        import boto3
        logs = boto3.client("logs", region_name=self.region, endpoint_url=f"http://127.0.0.1:{self.moto_port}",
                            aws_access_key_id="AKIDLOCAL", aws_secret_access_key="local")
        family = task_definition.split("/")[-1].split(":")[0]
        group, stream = f"/berth/{family}", f"{container}/{container}/{task_id}"
        try:
            logs.create_log_stream(logGroupName=group, logStreamName=stream)
            now = int(time.time() * 1000)
            logs.put_log_events(logGroupName=group, logStreamName=stream,
                                logEvents=[{"timestamp": now + i, "message": line} for i, line in enumerate(self.lines)])
        except Exception as error:  # the demo goes on without the lines
            print(f"(stand-in: could not write the log lines: {error})")
