"""The bad-input corpus: inputs no one should ever give Berth, and what Berth must answer.

Each case is a dict:
- `args`: berth's arguments; `{config}`, `{out}`, `{template}`, `{endpoint}`, `{file}`, `{dir}`
  and `{fifo}` (a named pipe no one reads) are filled in by the runner (scripts/bad-input.py);
- `fifo_in_dir`: a named pipe of this name is put in `{dir}`;
- `env_file`: the text (str) or bytes of `dev.yaml` in a fresh configuration directory; without
  it, the sample app's `stacks/environments`;
- `template`: the text or bytes of the file `{template}` names;
- `server`: how the AWS endpoint `{endpoint}` behaves (see the runner);
- `env_special`, `template_special`: `dev.yaml` or `{template}` made something other than a
  regular file: directory, fifo, socket, loop, dangling, or a /dev/ path it links to;
- `absent`: texts the error output must not contain;
- `env`: variables added to berth's environment (placeholders filled in as in `args`);
- `exit`: the documented exit status; `message`: text the error output must contain (placeholders
  filled in as in `args`);
- `quiet_server`: the input is refused before any request (default for exit 2 and 3).
"""
import os

MINIMAL = "app: shop\nregion: eu-west-1\nservices:\n  web:\n    cpu: 256\n    memory: 512\n"
LEGACY = "app: shop\nservice: api\nregion: eu-west-1\ncpu: 256\nmemory: 512\n"


def env(extra_service="", extra_top="", services=None):
    """A one-service environment file with `extra_service` lines under the service and `extra_top` at the top."""
    body = services if services is not None else "  web:\n    cpu: 256\n    memory: 512\n" + extra_service
    return "app: shop\nregion: eu-west-1\n" + extra_top + "services:\n" + body


SYNTH = ["synth", "--config", "{config}", "--out", "{out}"]


def yaml_case(name, text, message, exit=2):
    return {"name": "env: " + name, "args": SYNTH, "env_file": text, "exit": exit, "message": message}


CASES = []

# Environment files: syntax.
CASES += [
    yaml_case("unclosed list", "app: shop\nregion: [eu-west-1\n", "dev.yaml:3:1: not valid YAML"),
    yaml_case("tab indentation", "app: shop\nregion: eu-west-1\nservices:\n\tweb: {}\n",
              "dev.yaml:4:1: not valid YAML: found character that cannot start any token while scanning for the next token; the line is indented with a tab"),
    yaml_case("a tab after spaces", "app: shop\nregion: eu-west-1\nservices:\n  web:\n  \tcpu: 256\n",
              "the line is indented with a tab, and YAML indents with spaces only"),
    yaml_case("a tab, lines ended by CR alone", "app: shop\rregion: eu-west-1\rservices:\r\tweb: {}\r",
              "dev.yaml:4:1: not valid YAML: found character that cannot start any token while scanning for the next token; the line is indented with a tab"),
    yaml_case("bad indentation", "app: shop\n  region: eu-west-1\n", "not valid YAML"),
    yaml_case("unclosed quote", "app: \"shop\nregion: eu-west-1\n", "not valid YAML"),
    yaml_case("empty file", "", "the file is empty"),
    yaml_case("only a comment", "# nothing here\n", "the file is empty"),
    yaml_case("only a document start", "# nothing here\n---\n", "dev.yaml:1:1: the file is empty"),
    yaml_case("a service named x-", env(services="  web:\n    cpu: 256\n    memory: 512\n  x-ray:\n    kind: worker\n    cpu: 256\n    memory: 512\n"),
              "dev.yaml:7:3: services.x-ray: a key starting with x- is an extension field, read by no one, and this one, written as a service, defines no anchor (&name) for a service to use; a service's name cannot start with x-"),
    yaml_case("a service named x- with a merge key", env(extra_top="x-defaults: &defaults {cpu: 256, memory: 512}\n", services="  web:\n    cpu: 256\n    memory: 512\n  x-ray:\n    <<: *defaults\n    kind: worker\n"),
              "dev.yaml:8:3: services.x-ray: a key starting with x- is an extension field"),
    yaml_case("a service named x- merging an anchor that holds one", env(extra_top="x-defaults: &defaults\n  cpu: 256\n  memory: 512\n  environment: &env {LOG_LEVEL: info}\n", services="  web:\n    <<: *defaults\n  x-ray:\n    <<: *defaults\n    kind: worker\n"),
              "dev.yaml:10:3: services.x-ray: a key starting with x- is an extension field"),
    yaml_case("aliases nesting 54000 deep", "x-deep:\n" + "".join("  - &a%d %s%s%s\n" % (i, "[" * 900, ("*a%d" % (i - 1)) if i else "1", "]" * 900) for i in range(60)) + MINIMAL,
              "dev.yaml:3:909: not valid YAML: with the aliases expanded (*a0 here), it nests more than 1000 levels deep"),
    yaml_case("a key past 1024 characters", env("    environment:\n      " + "A" * 1100 + ": x\n"),
              "dev.yaml:8:1107: not valid YAML: mapping values are not allowed in this context; the key before the colon holds 1100 characters, and YAML reads a key of at most 1024: shorten it"),
    yaml_case("a NUL in a variable's value", env("    environment:\n      A: \"x\\0y\"\n"),
              "dev.yaml:8:7: services.web.environment.A: holds a NUL character, which a process's environment cannot carry"),
    yaml_case("a NUL in a health check's command", env("    containerHealthCheck:\n      command: [CMD, \"a\\0b\"]\n"),
              "services.web.containerHealthCheck.command: holds a NUL character, which a command's words cannot carry"),
    yaml_case("a list at the top", "- app\n- shop\n", "the file: expected a mapping"),
    yaml_case("a scalar at the top", "shop\n", "the file: expected a mapping"),
    yaml_case("binary junk", bytes(range(256)) * 4, "dev.yaml"),
    yaml_case("invalid UTF-8", b"app: shop\nregion: eu-west-1\nservices: \xff\xfe\x80\n", "cannot be read as UTF-8 text"),
    yaml_case("a wildcard host unquoted", env("    routing:\n      hosts: [*.example.com]\n"),
              "dev.yaml:8:16: not valid YAML: did not find expected alphabetic or numeric character while scanning an alias; a value starting with * is read as an alias: quote it"),
    yaml_case("a secret's ARN with its JSON key unquoted", env("    secrets:\n      DB: arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf:password::\n"),
              "not valid YAML: mapping values are not allowed in this context; a value holding \": \" or ending in \":\" must be quoted"),
    yaml_case("a no-break space after a colon", "app: shop\nregion:\u00a0eu-west-1\n", "dev.yaml:2:8: not valid YAML: a no-break space (U+00A0)"),
    yaml_case("duplicate keys", "app: shop\napp: cafe\nregion: eu-west-1\n", "dev.yaml:2:1: app is given again here (first at line 1)"),
    yaml_case("duplicate service keys", env("    cpu: 512\n"), "cpu is given again here (first at line"),
    yaml_case("a key repeated behind the non-specific tag", env("    ! cpu: 512\n"), "cpu is given again here (first at line"),
    yaml_case("a key repeated as !!str", "app: shop\n!!str app: cafe\nregion: eu-west-1\n", "dev.yaml:2:1: app is given again here (first at line 1)"),
    yaml_case("deep nesting", "app: " + "[" * 2000 + "]" * 2000 + "\n", "dev.yaml:1:7: not valid YAML: it nests more than 1000 levels deep"),
    yaml_case("alias bomb", "\n".join(["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"] + [
        f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 8)]) + "\n",
        "expands to more than 100000 values"),
    # One long value repeated by aliases: few values, but gigabytes once templates were rendered.
    yaml_case("a long value repeated by aliases", env("    environment:\n      A0: &long " + "x" * 1_100_000 + "\n"
              + "".join(f"      A{i}: *long\n" for i in range(1, 20))), "expand to more than 16 MiB of text"),
    # Editors on Windows start a file with a byte-order mark: read as if it were not there (the
    # file is read whole, and only then found to lack the sample's other services).
    yaml_case("a byte-order mark before the first key", "\ufeff" + MINIMAL, "app definition: customizes service"),
    yaml_case("python tag", env("    desiredCount: !!python/object/apply:os.system ['true']\n"), "the tag !!python/object/apply:os.system is not allowed"),
    yaml_case("CloudFormation tag", env("    cpu: !Ref Cpu\n").replace("    cpu: 256\n", ""), "the tag !Ref is not allowed"),
    yaml_case("binary tag", env("    desiredCount: !!binary aGVsbG8=\n"), "the tag !!binary is not allowed"),
    # A core tag decides a plain value's type: `!!str 2` is text, and a count is a number.
    yaml_case("a count tagged !!str", env("    desiredCount: !!str 2\n"), "services.web.desiredCount: expected a whole number"),
    yaml_case("a boolean tagged !!str", env(extra_top="protected: !!str true\n"), "protected: expected"),
    # The tag made the value what it is, so the refusal names it.
    yaml_case("a boolean tagged !!int", env(extra_top="containerInsights: !!int false\n"),
              "dev.yaml:3:20: containerInsights: expected true or false, got \"false\" tagged !!int; remove the tag"),
    # A tag for another kind of node (a list's on a number, a scalar's on a list) is not YAML.
    yaml_case("a number tagged !!seq", env("    desiredCount: !!seq 2\n"), "dev.yaml:7:19: not valid YAML: a scalar tagged !!seq, a list's tag: remove the tag"),
    yaml_case("a list tagged !!str", env("    routing:\n      paths: !!str [/a]\n"), "dev.yaml:8:14: not valid YAML: a list tagged !!str, a scalar's tag: remove the tag"),
    # YAML counts a tagged key as another key than the plain one: Berth would read one, ignore the other.
    yaml_case("a key tagged !!int beside the plain one", env("    !!int cpu: 4096\n"), "dev.yaml:7:5: the key cpu carries the tag !!int; write keys as plain text"),
    yaml_case("a key tagged !!null", env("    !!null desiredCount: 2\n"), "the key desiredCount carries the tag !!null; write keys as plain text"),
    # An empty signatures: would drop the signature check, an empty template: make the template an environment.
    yaml_case("signatures left empty", env(extra_top="signatures:\n#  cosign: {publicKey: cosign.pub}\n"),
              "dev.yaml:3:1: signatures: is empty; expected cosign: {publicKey: …} or cosign: {keyless: …}, or remove the key"),
    yaml_case("template left empty", env(extra_top="template: ~\n"), "dev.yaml:3:1: template: is empty; expected namePrefix: …, or remove the key"),
    # Every key left empty is refused, never taken as absent: its lines commented out would turn
    # HTTPS, scaling, protection or routing off without a word.
    yaml_case("https left empty", env(extra_top="https:\n#  certificateArn: arn:aws:acm:eu-west-1:123456789012:certificate/x\n"),
              "dev.yaml:3:1: https: is empty; expected a mapping, or remove the key"),
    yaml_case("autoscaling left empty", env("    autoscaling:\n#      maxCount: 4\n"),
              "dev.yaml:7:5: services.web.autoscaling: is empty; expected a mapping, or remove the key"),
    yaml_case("protected left empty", env(extra_top="protected:\n"), "dev.yaml:3:1: protected: is empty"),
    # A list's item is named, at its own line.
    yaml_case("a bad item of a block list", env("    readonlyRootFilesystem: true\n    scratchPaths:\n      - /tmp\n      - relative\n"),
              "dev.yaml:10:9: services.web.scratchPaths[1]: \"relative\" is not an absolute directory path"),
    yaml_case("an empty item of a list", env("    mutableTags: [latest, null]\n"), "dev.yaml:7:27: services.web.mutableTags[1]: is empty (null)"),
    yaml_case("a bad item after an empty one", env("    readonlyRootFilesystem: true\n    scratchPaths:\n      - \n      - relative\n"),
              "dev.yaml:10:9: services.web.scratchPaths[1]: \"relative\" is not an absolute directory path"),
    dict(yaml_case("an empty strategy beside a strategy's settings", env("    deployment:\n      strategy:\n      canary:\n        percent: 10\n"),
                   "dev.yaml:8:7: services.web.deployment.strategy: is empty"), absent=["applies to strategy"]),
    yaml_case("routing paths left empty", env("    routing:\n      paths:\n#        - /api/*\n"),
              "dev.yaml:8:7: services.web.routing.paths: is empty; expected a list of strings, or remove the key"),
    # A schedule entry refused as a whole is not also said to have unknown keys (with none expected).
    dict(yaml_case("a schedule entry with a list as a key",
                   env("    autoscaling:\n      minCount: 1\n      maxCount: 2\n      cpuTargetPercent: 50\n      schedule:\n        - {cron: \"cron(0 20 ? * MON *)\", maxCount: 0, [x]: 1}\n"),
                   "dev.yaml:12:55: keys must be plain strings"), absent=["unknown key"]),
    dict(yaml_case("publicKey and keyless together", env(extra_top="signatures:\n  cosign:\n    publicKey: cosign.pub\n    keyless: {issuer: x}\n"),
                   "dev.yaml:5:5: signatures.cosign.publicKey: give either publicKey (a key pair) or keyless (Fulcio certificates), not both"),
         absent=["unknown key"]),
    yaml_case("a global tag", env("    desiredCount: !<tag:example.com,2024:x> 2\n"), "the tag tag:example.com,2024:x is not allowed in an environment file"),
    yaml_case("a megabyte of comments then a mistake", "#" + "x" * 1_000_000 + "\n" + env("    cpu: lots\n").replace("    cpu: 256\n", ""), "services.web.cpu: expected a whole number"),
    yaml_case("a megabyte value", env("    environment:\n      BIG: " + "x" * 1_000_000 + "\n"), "over the 51200-byte limit"),
    yaml_case("many documents", MINIMAL + "---\n" + MINIMAL, "not valid YAML"),
]

# Environment files: keys, types and values.
def service_key(key, value):
    """The one-service file with `key` set to `value` (replacing cpu or memory, else added)."""
    if key in ("cpu", "memory"):
        return env().replace(f"    {key}: {256 if key == 'cpu' else 512}\n", f"    {key}: {value}\n")
    return env(f"    {key}: {value}\n")


for key, value, message in [
    ("cpu", "lots", "services.web.cpu: expected a whole number from 256 to 16384, got \"lots\""),
    ("cpu", "100", "services.web.cpu: expected a whole number from 256 to 16384, got 100"),
    ("cpu", "1e9", "services.web.cpu: expected a whole number"),
    ("cpu", "99999999999999999999999", "services.web.cpu: expected a whole number"),
    ("memory", "\"512\"", "services.web.memory: expected a whole number"),
    ("memory", "[512]", "services.web.memory: expected a whole number from 512 to 122880, got a list"),
    ("memory", "4096", "cpu 256 takes memory 512, 1024, 2048 MiB, not 4096"),
    ("desiredCount", "-1", "services.web.desiredCount: expected a whole number from 0 to 10000, got -1"),
    ("desiredCount", "10001", "services.web.desiredCount"),
    ("desiredCount", "1.5", "services.web.desiredCount"),
    ("containerPort", "0", "services.web.containerPort"),
    ("containerPort", "65536", "services.web.containerPort"),
    ("containerPort", "eighty", "services.web.containerPort"),
    ("architecture", "sparc", "services.web.architecture: expected one of x86_64, arm64, got \"sparc\""),
    ("kind", "cron", "services.web.kind: expected one of web, worker, job, backend, got \"cron\""),
    ("loadBalancer", "both", "services.web.loadBalancer: expected one of shared, dedicated"),
    ("execCommand", "maybe", "services.web.execCommand: expected true or false"),
    ("execCommand", "often", "services.web.execCommand: expected true or false"),
    ("environment", "[A, B]", "services.web.environment: expected a mapping of names to values, got a list"),
    ("secrets", "plain", "services.web.secrets: expected a mapping"),
    ("healthCheck", "/health", "services.web.healthCheck: expected a mapping"),
    ("routing", "/api", "services.web.routing: expected a mapping"),
    ("autoscaling", "true", "services.web.autoscaling: expected a mapping"),
    ("logs", "30", "services.web.logs: expected a mapping"),
    ("deployment", "rolling", "services.web.deployment: expected a mapping"),
    ("cpus", "256", "services.web.cpus: unknown key; did you mean cpu?"),
    ("sizing", "256", "services.web.sizing: unknown key; expected one of"),
    ("memroy", "512", "services.web.memroy: unknown key; did you mean memory?"),
    ("Cpu", "256", "services.web.Cpu: unknown key; did you mean cpu?"),
    ("repository", "Shop/Web", "services.web.repository: \"Shop/Web\" is not valid: a repository name is 2 to 256 lowercase letters"),
    ("repository", "shop//web", "services.web.repository: \"shop//web\" is not valid"),
    ("repository", "[shop/web]", "services.web.repository: expected an ECR repository name such as shop/api, got a list"),
    ("mutableTags", "latest", "services.web.mutableTags: expected a list of strings"),
    ("mutableTags", "[]", "services.web.mutableTags: lists no tag"),
    ("mutableTags", "[\"dev/latest\"]", "services.web.mutableTags: \"dev/latest\" is not a tag filter"),
    ("mutableTags", "[a, b, c, d, e, f]", "services.web.mutableTags: lists 6 tags; ECR takes at most 5"),
    ("mutableTags", "[latest, latest]", "services.web.mutableTags: latest is listed twice"),
]:
    CASES.append(yaml_case(f"{key}: {value[:20]}", service_key(key, value), message))

for lines, message in [
    ("    healthCheck:\n      path: health\n", "services.web.healthCheck.path: must start with /, and hold at most 1024 characters, none a space or a control character, got \"health\""),
    ("    healthCheck:\n      path: /he alth\n", "services.web.healthCheck.path: must start with /, and hold at most 1024 characters, none a space or a control character, got \"/he alth\""),
    ("    healthCheck:\n      path: /" + "h" * 1030 + "\n", "(1031 characters)"),
    ("    healthCheck:\n      matcher: \"600\"\n", "healthCheck.matcher: must be HTTP codes"),
    ("    healthCheck:\n      intervalSeconds: 2\n", "services.web.healthCheck.intervalSeconds"),
    ("    healthCheck:\n      timeoutSeconds: 20\n", "healthCheck.timeoutSeconds: must be 2 to 120 and less than intervalSeconds"),
    ("    healthCheck:\n      pth: /x\n", "services.web.healthCheck.pth: unknown key"),
    ("    containerHealthCheck:\n      intervalSeconds: 10\n", "services.web.containerHealthCheck.command: missing"),
    ("    environment:\n      IMAGE_TAG: mine\n", "environment.IMAGE_TAG: is set by Berth"),
    ("    environment:\n      1BAD: x\n", "environment.1BAD: is not a valid variable name"),
    ("    environment:\n      A: [1, 2]\n", "services.web.environment.A: expected a string, got a list"),
    ("    secrets:\n      DB: plain-text-password\n", "secrets.DB: must be the ARN of a Secrets Manager secret"),
    ("    secrets:\n      DB: arn:aws:secretsmanager:eu-west-1:123:secret:db\n", "secrets.DB: must be the ARN of a Secrets Manager secret"),
    ("    secrets:\n      DB: arn:aws:ssm:eu-west-1:123456789012:db\n", "secrets.DB: must be the ARN"),
    ("    secrets:\n      DB: arn:aws:secretsmanager\n", "secrets.DB: must be the ARN"),
    # One secret, not a pattern: IAM would read * and ? in the execution role's policy as wildcards.
    ("    secrets:\n      DB: arn:aws:secretsmanager:eu-west-1:123456789012:secret:*\n", "secrets.DB: must be the ARN"),
    ("    secrets:\n      DB: arn:aws:ssm:eu-west-1:123456789012:parameter/shop/*\n", "secrets.DB: must be the ARN"),
    ("    environment:\n      DB: x\n    secrets:\n      DB: arn:aws:ssm:eu-west-1:1:parameter/x\n", "secrets.DB: is also a plain environment variable"),
    ("    logs:\n      retentionDays: 13\n", "logs.retentionDays: must be one of"),
    ("    autoscaling:\n      minCount: 5\n      maxCount: 2\n", "autoscaling.maxCount: must be at least 1 and at least minCount"),
    ("    autoscaling:\n      maxCount: 2\n", "services.web.autoscaling.minCount: missing"),
    ("    autoscaling:\n      minCount: 1\n      maxCount: 2\n      cpuTargetPercent: 0\n", "autoscaling.cpuTargetPercent"),
    ("    autoscaling:\n      minCount: 1\n      maxCount: 2\n      memoryTargetPercent: 0\n", "dev.yaml:10:28: services.web.autoscaling.memoryTargetPercent: expected a whole number from 1 to 100, got 0"),
    ("    autoscaling:\n      minCount: 1\n      maxCount: 2\n      requestsPerTarget: 0\n", "dev.yaml:10:26: services.web.autoscaling.requestsPerTarget: expected a whole number from 1 to 1000000, got 0"),
    ("    kind: worker\n    autoscaling:\n      minCount: 1\n      maxCount: 2\n      requestsPerTarget: 100\n", "dev.yaml:11:26: services.web.autoscaling.requestsPerTarget: counts a load balancer's requests, and a worker takes none"),
    ("    deployment:\n      strategy: canary\n    autoscaling:\n      minCount: 1\n      maxCount: 2\n      requestsPerTarget: 100\n", "autoscaling.requestsPerTarget: counts the requests of one target group, and a canary deployment"),
    ("    autoscaling:\n      minCount: 1\n      maxCount: 2\n      queue: orders\n", "dev.yaml:10:14: services.web.autoscaling.queue: needs messagesPerTask"),
    ("    autoscaling:\n      minCount: 1\n      maxCount: 2\n      messagesPerTask: 10\n", "dev.yaml:10:24: services.web.autoscaling.messagesPerTask: needs queue"),
    ("    autoscaling:\n      minCount: 1\n      maxCount: 2\n      queue: orders\n      messagesPerTask: 0\n", "dev.yaml:11:24: services.web.autoscaling.messagesPerTask: expected a whole number from 1 to 1000000, got 0"),
    ("    autoscaling:\n      minCount: 1\n      maxCount: 2\n      queue: orders\n      messagesPerTask: -5\n", "services.web.autoscaling.messagesPerTask: expected a whole number from 1 to 1000000, got -5"),
    ("    autoscaling:\n      minCount: 1\n      maxCount: 2\n      queue: orders queue\n      messagesPerTask: 5\n", "autoscaling.queue: expected an SQS queue's name"),
    ("    autoscaling:\n      minCount: 1\n      maxCount: 2\n      queue: arn:aws:sqs:us-east-1:123456789012:orders\n      messagesPerTask: 5\n", "autoscaling.queue: is in us-east-1"),
    ("    autoscaling:\n      minCount: 0\n      maxCount: 2\n      queue: orders\n      messagesPerTask: 5\n", "dev.yaml:8:17: services.web.autoscaling.minCount: must be at least 1 when scaling on a queue"),
    ("    autoscaling:\n      minCount: 1\n      maxCount: 2\n      schedule: cron(0 20 ? * MON-FRI *)\n", "dev.yaml:10:17: services.web.autoscaling.schedule: expected a list of mappings"),
    ("    autoscaling:\n      minCount: 1\n      maxCount: 2\n      schedule:\n        - {maxCount: 0}\n", "dev.yaml:11:11: services.web.autoscaling.schedule[0].cron: missing"),
    ("    autoscaling:\n      minCount: 1\n      maxCount: 2\n      schedule:\n        - {cron: \"cron(0 20 * * *)\", maxCount: 0}\n", "dev.yaml:11:18: services.web.autoscaling.schedule[0].cron: expected cron(minutes hours day-of-month month day-of-week year)"),
    ("    autoscaling:\n      minCount: 1\n      maxCount: 2\n      schedule:\n        - {cron: \"rate(5 minutes)\", maxCount: 0}\n", "services.web.autoscaling.schedule[0].cron: expected cron("),
    ("    autoscaling:\n      minCount: 1\n      maxCount: 2\n      schedule:\n        - {cron: \"cron(0 20 ? * MON *)\"}\n", "services.web.autoscaling.schedule[0]: changes nothing"),
    ("    autoscaling:\n      minCount: 1\n      maxCount: 2\n      schedule:\n        - {cron: \"cron(0 20 ? * MON *)\", minCount: 3, maxCount: 2}\n", "schedule[0].maxCount: must be 0 to 10000 and at least the entry's minCount (3), got 2"),
    ("    autoscaling:\n      minCount: 1\n      maxCount: 2\n      schedule:\n        - {cron: \"cron(0 20 ? * MON *)\", minCount: 1, at: 5}\n", "services.web.autoscaling.schedule[0].at: unknown key"),
    ("    autoscaling:\n      minCount: 1\n      maxCount: 2\n      timezone: Europe/Paris\n", "services.web.autoscaling.timezone: applies to the schedule's cron expressions"),
    # An entry without cron does not hide the next entry's mistake, placed at that entry.
    ("    autoscaling:\n      minCount: 1\n      maxCount: 2\n      schedule:\n        - {maxCount: 0}\n        - {cron: \"cron(0 20 ? * MON *)\", minCount: 3, maxCount: 2}\n", "dev.yaml:12:65: services.web.autoscaling.schedule[1].maxCount: must be 0 to 10000 and at least the entry's minCount (3), got 2"),
    ("    autoscaling:\n      minCount: 1\n      maxCount: 2\n      timezone: CET time\n      schedule:\n        - {cron: \"cron(0 20 ? * MON *)\", maxCount: 0}\n", "services.web.autoscaling.timezone: expected an IANA time zone name"),
    ("    deployment:\n      maximumPercent: 50\n", "services.web.deployment.maximumPercent"),
    ("    deployment:\n      strategy: red-black\n", "services.web.deployment.strategy: expected one of rolling, blue-green, canary, linear"),
    ("    deployment:\n      strategy: canary\n      canary:\n        percent: 0\n", "deployment.canary.percent: must be 0.1 to 100"),
    ("    deployment:\n      strategy: canary\n      canary:\n        percent: .nan\n", "deployment.canary.percent: expected a number"),
    ("    deployment:\n      strategy: linear\n      linear:\n        stepPercent: 3\n        stepBakeTimeMinutes: 1440\n", "over the 1980 (33 hours)"),
    ("    deployment:\n      strategy: linear\n      linear:\n        stepPercent: 1e-300\n", "deployment.linear.stepPercent: must be 3 to 100, got 1e-300"),
    # A strategy's settings under another strategy would be ignored.
    ("    deployment:\n      canary:\n        percent: 10\n",
     "dev.yaml:9:9: services.web.deployment.canary: applies to strategy: canary, and the strategy is rolling; set strategy: canary, or remove canary"),
    ("    deployment:\n      strategy: linear\n      canary:\n        percent: 500\n",
     "services.web.deployment.canary: applies to strategy: canary, and the strategy is linear"),
    ("    deployment:\n      strategy: blue-green\n      linear:\n        stepPercent: 10\n",
     "services.web.deployment.linear: applies to strategy: linear, and the strategy is blue-green"),
    ("    deployment:\n      strategy: linear\n      linear:\n        stepPercent: 2e-17\n", "deployment.linear.stepPercent: must be 3 to 100"),
    ("    deployment:\n      strategy: linear\n      linear:\n        stepPercent: 50\n        stepBakeTimeMinutes: 9223372036854775807\n", "deployment.linear.stepBakeTimeMinutes"),
    ("    deployment:\n      strategy: canary\n      bakeTimeMinutes: 9223372036854775807\n      canary:\n        bakeTimeMinutes: 9223372036854775807\n", "deployment.bakeTimeMinutes"),
    ("    deployment:\n      strategy: blue-green\n      testPort: 8443\n", "deployment.testPort: a test listener needs the service's own load balancer"),
    ("    deployment:\n      bakeTimeMinutes: 5\n", "deployment.bakeTimeMinutes: applies to blue-green, canary and linear, not rolling"),
    ("    deployment:\n      strategy: canary\n      alarms: [a, a]\n", "deployment.alarms: a is named twice"),
    ("    logs:\n      kmsKeyArn: alias/aws/logs\n", "logs.kmsKeyArn: expected a KMS key ARN"),
    ("    logs:\n      kmsKeyArn: arn:aws:kms:us-east-1:123456789012:key/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d\n",
     "dev.yaml:8:18: services.web.logs.kmsKeyArn: the key is in us-east-1, and the log group in eu-west-1"),
    ("    routing:\n      paths: [api/*]\n", "dev.yaml:8:15: services.web.routing.paths[0]: \"api/*\" must start with /"),
    ("    routing:\n      paths: [/a, /b, /a]\n", "dev.yaml:8:23: services.web.routing.paths[2]: \"/a\" is routing.paths[0] again: list each once"),
    ("    routing:\n      hosts: [a.example.com, A.Example.com]\n", "services.web.routing.hosts[1]: \"A.Example.com\" is routing.hosts[0] again: list each once"),
    ("    routing:\n      paths: [\"/" + "a" * 200 + "\"]\n", "routing.paths"),
    ("    routing:\n      hosts: [\"bad host\"]\n", "dev.yaml:8:15: services.web.routing.hosts[0]: \"bad host\" must be a host name"),
    ("    routing:\n      paths: [/a, /b, /c, /d]\n      hosts: [a.example.com, b.example.com]\n", "a listener rule matches at most 5 paths and hosts together"),
    ("    routing:\n      priority: 0\n", "services.web.routing.priority"),
    ("    routing:\n      priority: 50001\n", "services.web.routing.priority"),
    ("    routing:\n      paths: /api\n", "services.web.routing.paths: expected a list of strings"),
]:
    CASES.append(yaml_case(lines.strip().splitlines()[-1].strip()[:40], env(lines), message))
# A job's cron that EventBridge Scheduler refuses (* in both day fields) is refused at its line.
CASES.append(yaml_case("job schedule rate with a sign", env("    kind: job\n    schedule: rate(+5 minutes)\n"),
                       "services.web.schedule: expected cron(minutes hours day-of-month month day-of-week year)"))
CASES.append(yaml_case("job schedule with an hour past 23", env("    kind: job\n    schedule: \"cron(0 24 * * ? *)\"\n"),
                       "dev.yaml:8:15: services.web.schedule: expected cron(minutes hours day-of-month month day-of-week year)"))
CASES.append(yaml_case("autoscaling schedule with a day of the week past SAT", env("    autoscaling:\n      minCount: 1\n      maxCount: 2\n      schedule:\n        - {cron: \"cron(0 20 ? * FOO *)\", maxCount: 0}\n"),
                       "(day-of-week: FOO is not one of 1-7 or SUN-SAT)"))
for schedule, reason in [
    ("cron(0 3 ? * ? *)", "(? in both day fields: one of them takes days (* for every day))"),
    ("cron(0 3 * * ? * *)", "(7 fields, not 6)"),
    ("rate(0 minutes)", "(a rate's number is 1 or more)"),
    ("cron(0 ? * * ? *)", "(? in the hours field: only the two day fields take ?)"),
    ("cron(0 3 * * ? 2026-2025)", "(year: 2026-2025 ends before it starts, so the schedule never fires)"),
    ("cron(0 3 30 FEB ? *)", "(day-of-month: 30 is in none of the months named (FEB has at most 29 days), so the schedule never fires)"),
    ("cron(0 3 31W FEB ? *)", "(day-of-month: 31W is in none of the months named (FEB has at most 29 days), so the schedule never fires)"),
    ("cron(0 3 29 2 ? 2027)", "(day-of-month: 29 of February is in none of the years named (2027 holds no leap year), so the schedule never fires)"),
    ("cron(0 3 ? * 1/2 *)", "(day-of-week: 1/2: the day of the week takes no / (list the days: MON,WED,FRI))"),
    ("cron(0 3 ? * 3#1,6#3 *)", "(day-of-week: 3#1,6#3: an item with # is the field's only one"),
]:
    CASES.append(yaml_case("job schedule " + schedule, env("    kind: job\n    schedule: \"%s\"\n" % schedule), reason))
CASES.append(yaml_case("a job with a container health check", env("    kind: job\n    containerHealthCheck: {command: \"true\"}\n"),
                       "dev.yaml:8:5: services.web.containerHealthCheck: a job's task is not stopped or replaced when its check fails"))
# A time zone of the right shape that the tz database does not know: EventBridge refuses it at deploy.
CASES.append(yaml_case("job time zone the tz database does not know", env("    kind: job\n    schedule: rate(1 day)\n    timezone: Europe/Berln\n"),
                       "dev.yaml:9:15: services.web.timezone: expected an IANA time zone such as Europe/Berlin or UTC, got \"Europe/Berln\""))
CASES.append(yaml_case("autoscaling schedule that never fires", env("    autoscaling:\n      minCount: 1\n      maxCount: 2\n      schedule:\n        - {cron: \"cron(0 20 31 APR,JUN ? *)\", maxCount: 0}\n"),
                       "(day-of-month: 31 is in none of the months named (APR,JUN has at most 30 days), so the schedule never fires)"))
CASES.append(yaml_case("a backend named localhost", env(services="  web:\n    cpu: 256\n    memory: 512\n  localhost:\n    kind: backend\n    containerPort: 8080\n    cpu: 256\n    memory: 512\n"),
                       "a backend named localhost is reached at http://localhost:<containerPort>"))
CASES.append(yaml_case("a job that names itself as its image", env(services="  web:\n    cpu: 256\n    memory: 512\n  m:\n    kind: job\n    image: {service: m}\n    cpu: 256\n    memory: 512\n"),
                       "names the job itself: a job runs its own repository's image unless it names a service's"))
CASES.append(yaml_case("a job that names another job as its image", env(services="  web:\n    cpu: 256\n    memory: 512\n  m1:\n    kind: job\n    image: {service: m2}\n    cpu: 256\n    memory: 512\n  m2:\n    kind: job\n    cpu: 256\n    memory: 512\n"),
                       "names m2, which is a job of dev, not a service; its services are web"))
CASES.append(yaml_case("job schedule with * in both day fields", env("    kind: job\n    schedule: \"cron(0 3 * * * *)\"\n"),
                       "dev.yaml:8:15: services.web.schedule: expected cron(minutes hours day-of-month month day-of-week year), with ? in one of the two day fields"))
# A plaintext value where a secret's ARN belongs is never repeated, in the error or in the
# GitHub annotation of it: it may be the secret itself.
for name, extra in [("secrets: a plaintext value is not repeated", {}),
                    ("secrets: a plaintext value is not repeated in a GitHub annotation", {"env": {"GITHUB_ACTIONS": "true"}})]:
    CASES.append(dict(yaml_case(name, env("    secrets:\n      DB_PASSWORD: hunter2-SUPERSECRET\n"),
                                "secrets.DB_PASSWORD: must be the ARN of a Secrets Manager secret"),
                      secret="hunter2-SUPERSECRET", **extra))
# Nor a value pasted where a secret's name goes.
CASES.append(dict(yaml_case("secrets: a value written as a name is not repeated", env("    secrets: {hunter2-SUPERSECRET}\n"),
                            "services.web.secrets: an entry has no value (its name is not shown"),
                  secret="hunter2-SUPERSECRET", env={"GITHUB_ACTIONS": "true"}))
# Nor Docker Compose's list of NAME=value, which is refused with how to write it.
CASES.append(dict(yaml_case("secrets: a Compose list of NAME=value is not repeated",
                            env("    secrets:\n      - DB_PASSWORD=hunter2-SUPERSECRET\n"),
                            "dev.yaml:8:7: services.web.secrets: expected a mapping of names to values, got a list; write each as NAME: value"),
                  secret="hunter2-SUPERSECRET", env={"GITHUB_ACTIONS": "true"}))
# Nor a name that is no variable name (a NAME=value pasted as one name).
CASES.append(dict(yaml_case("secrets: a name that is no variable name is not repeated",
                            env("    secrets:\n      DB_PASSWORD=hunter2-SUPERSECRET: arn:aws:ssm:eu-west-1:123456789012:parameter/db\n"),
                            "dev.yaml:8:7: services.web.secrets: a name of 31 characters is not a valid variable name"),
                  secret="hunter2-SUPERSECRET", env={"GITHUB_ACTIONS": "true"}))
# Nor a value written in place of the whole secrets: or environment: mapping.
for key, column in [("secrets", 14), ("environment", 18)]:
    CASES.append(dict(yaml_case(f"{key}: one value in place of the mapping is not repeated", env(f"    {key}: hunter2-SUPERSECRET\n"),
                                f"dev.yaml:7:{column}: services.web.{key}: expected a mapping of names to values, got a value of 19 characters (not shown)"),
                      secret="hunter2-SUPERSECRET", env={"GITHUB_ACTIONS": "true"}))

CASES.append(yaml_case(
    "a queue without Container Insights",
    env("    autoscaling:\n      minCount: 1\n      maxCount: 2\n      queue: orders\n      messagesPerTask: 5\n", extra_top="containerInsights: false\n"),
    "dev.yaml:11:14: services.web.autoscaling.queue: divides the backlog by the running tasks that Container Insights counts"))

for top, message in [
    ("network:\n  vpc: new\n  cidr: 10.0.0.0/33\n", "network.cidr: must be an IPv4 CIDR block"),
    ("network:\n  vpc: new\n  cidr: 10.0.0.1/16\n", "network.cidr: must be an IPv4 CIDR block"),
    ("network:\n  vpc: new\n  cidr: 10.0.0.0/8\n", "network.cidr: must be a /16 to /27 block"),
    ("network:\n  vpc: new\n  cidr: 300.0.0.0/16\n", "network.cidr"),
    # Swift's Int() takes a sign; AWS does not.
    ("network:\n  vpc: new\n  cidr: 10.0.0.0/+16\n", "network.cidr: must be an IPv4 CIDR block"),
    ("network:\n  vpc: new\n  cidr: 10.+0.0.0/16\n", "network.cidr: must be an IPv4 CIDR block"),
    ("network:\n  vpc: new\n  cidr: \"\"\n", "network.cidr"),
    ("network:\n  vpc: sideways\n", "network.vpc: expected one of new, existing"),
    ("network:\n  vpc: new\n  privateSubnets: yes please\n", "network.privateSubnets: expected true or false"),
    ("network:\n  vpc: new\n  cidr: 10.0.0.0/27\n  privateSubnets: true\n", "network.cidr: must be a /16 to /26 block"),
    ("controls: control-tower\nnetwork:\n  vpc: new\n  privateSubnets: false\n", "network.privateSubnets: CT.ECS.PR.9 refuses this"),
    ("network:\n  vpc: existing\n  vpcId: vpc-0a1b2c3d\n  publicSubnetIds: [subnet-0a1b2c3d, subnet-0a1b2c3e]\n  privateSubnets: true\n",
     "network.privateSubnets: is for vpc: new"),
    ("network:\n  vpc: existing\n", "network.vpcId: missing"),
    ("network:\n  vpc: existing\n  vpcId: vpc-1\n  publicSubnetIds: [subnet-a]\n", "network.publicSubnetIds: a load balancer needs subnets in at least two"),
    ("network:\n  vpc: existing\n  vpcId: 1234\n  publicSubnetIds: [subnet-a, subnet-b]\n", "network.vpcId: must be a VPC ID"),
    ("network:\n  vpc: existing\n  vpcId: vpc-1\n  publicSubnetIds: [subnet-a, sub-b]\n", "\"sub-b\" is not a subnet ID"),
    ("network:\n  vpc: existing\n  vpcId: vpc-1\n  publicSubnetIds: subnet-a\n", "network.publicSubnetIds: expected a list of strings"),
    ("network:\n  vpc: existing\n  vpcId: vpc-1\n  publicSubnetIds: [[subnet-a], subnet-b]\n", "network.publicSubnetIds[0]: expected a string"),
    ("https:\n  certificateArn: not-an-arn\n", "https.certificateArn: must be an ACM certificate ARN"),
    ("https:\n  certificateArn: arn:aws:iam::1:server-certificate/x\n", "https.certificateArn"),
    ("https:\n  certificateArn: arn:aws:acm:eu-west-1:123456789012:certificate/\n", "https.certificateArn: must be an ACM certificate ARN"),
    ("network:\n  vpc: existing\n  vpcId: vpc-0a1b2c3d\n  publicSubnetIds: [subnet-0a1b2c3d, subnet-0a1b2c3d]\n", "subnet-0a1b2c3d is listed twice"),
    ("network:\n  vpc: existing\n  vpcId: vpc-0a1b2c3d\n  publicSubnetIds: [subnet-0a1b2c3d, subnet-1a1b2c3d]\n  privateSubnetIds: [subnet-0a1b2c3d]\n",
     "subnet-0a1b2c3d is also a public subnet"),
    ("network:\n  vpc: existing\n  vpcId: vpc-0a1b2c3d\n  publicSubnetIds: [subnet-0a1b2c3d, subnet-xyz]\n", "\"subnet-xyz\" is not a subnet ID"),
    ("https: {}\n", "https.certificateArn: missing"),
    ("lifecycle:\n  keepImages: 0\n", "lifecycle.keepImages: expected a whole number from 1 to 10000, got 0"),
    ("containerInsights: sometimes\n", "containerInsights: expected true or false"),
    ("accessLogs:\n  bucket: My_Bucket\n", "accessLogs.bucket: expected an S3 bucket name"),
    ("accessLogs:\n  prefix: logs\n", "accessLogs.bucket: missing"),
    ("accessLogs:\n  bucket: shop-logs\n  prefix: AWSLogs/x\n", "accessLogs.prefix: expected a key prefix"),
    ("loadBalancerDeletionProtection: maybe\n", "loadBalancerDeletionProtection: expected true or false"),
    ("repositoryKmsKeyArn: arn:aws:kms:eu-west-1:123456789012:alias/shop\n", "repositoryKmsKeyArn: expected a KMS key ARN"),
    ("repositoryKmsKeyArn: arn:aws:kms:eu-west-1:123456789012:key/*\n", "repositoryKmsKeyArn: expected a KMS key ARN"),
    ("repositoryKmsKeyArn: arn:aws:kms:nowhere:123456789012:key/1a2b\n", "repositoryKmsKeyArn: expected a KMS key ARN"),
    ("cloudFormationRoleArn: arn:aws:iam::123456789012:user/deployer\n", "cloudFormationRoleArn: expected an IAM role ARN"),
    ("permissionsBoundary: arn:aws:iam::123456789012:role/boundary\n", "permissionsBoundary: expected a managed policy's ARN"),
    ("account: \"111111111111\"\npermissionsBoundary: arn:aws:iam::222222222222:policy/b\n", "permissionsBoundary: the policy is in account 222222222222"),
    ("account: 12345678901\n", "account: expected an AWS account ID: 12 digits"),
    ("account: \"12345678901a\"\n", "account: expected an AWS account ID"),
    ("account: [123456789012]\n", "account: expected an AWS account ID: 12 digits, such as 123456789012, got a list"),
    ("roleArn: arn:aws:iam::123456789012:user/ci\n", "roleArn: expected an IAM role ARN"),
    ("roleArn: \"arn:aws:iam::123456789012:role/a b\"\n", "roleArn: expected an IAM role ARN"),
    ("account: \"111111111111\"\nroleArn: arn:aws:iam::222222222222:role/deploy\n", "roleArn: the role is in account 222222222222, and account says 111111111111"),
    ("externalId: shop-prod\n", "externalId: an external ID goes with the role Berth assumes"),
    ("roleArn: arn:aws:iam::123456789012:role/d\nexternalId: x\n", "externalId: expected 2 to 1224 letters"),
    ("roleArn: arn:aws:iam::123456789012:role/d\nexternalId: \"shop prod\"\n", "externalId: expected 2 to 1224 letters"),
    ("repositories: eu-west-1\n", "repositories: expected a mapping"),
    ("repositories: {account: \"123456789012\"}\n", "repositories.region: missing"),
    ("repositories: {region: mars-1}\n", "repositories.region: expected an AWS region"),
    ("network: {vpc: new, privateSubnets: true}\nrepositories: {region: us-east-1}\n", "repositories.region: the tasks run in the new VPC's private subnets"),
    ("repositories: {region: eu-west-1, account: \"1\"}\n", "repositories.account: expected an AWS account ID"),
    ("repositories: {region: eu-west-1, owner: me}\n", "repositories.owner: unknown key; expected one of account, region"),
    ("colour: blue\n", "colour: unknown key; expected one of app, region"),
    ("service: api\n", "the one-service form (service: NAME) cannot be mixed with services:"),
    ("signatures: {cosign: {publicKey: \"arn:aws:kms:eu-west-1:123456789012:key/\"}}\n", "signatures.cosign.publicKey: arn:aws:kms:eu-west-1:123456789012:key/ is not a KMS key ARN"),
    ("signatures: {cosign: {publicKey: \"awskms:///alias/release\"}}\n", "not Cosign's awskms:// URI"),
    ("signatures: {cosign: {publicKey: \"\"}}\n", "signatures.cosign.publicKey: is empty; name a file, relative to the environment file's directory"),
    ("signatures: {cosign: {publicKey: \"cosign.pub\\0/../../../etc/passwd\"}}\n", "signatures.cosign.publicKey: holds a control character; name a file by its plain path"),
    ("signatures: {cosign: {keyless: {trustedRoot: dev.yaml, issuer: x, subject: y}}}\n", "dev.yaml is not a Sigstore trusted root"),
    ("signatures: {cosign: {keyless: {trustedRoot: missing.json, issuer: x, subject: y}}}\n", "missing.json does not exist"),
    ("signatures: {cosign: {keyless: {trustedRoot: dev.yaml, issuer: x}}}\n", "signatures.cosign.keyless: give subject (the exact identity) or subjectRegexp"),
    ("signatures: {cosign: {keyless: {trustedRoot: dev.yaml, issuer: x, subject: a, subjectRegexp: b}}}\n", "subjectRegexp: give either subject or subjectRegexp, not both"),
    ("signatures: {cosign: {keyless: {trustedRoot: dev.yaml, issuer: x, subjectRegexp: \"([\"}}}\n", "subjectRegexp: ([ is not a regular expression that compiles"),
    ("signatures: {cosign: {keyless: {trustedRoot: dev.yaml, subject: y}}}\n", "signatures.cosign.keyless.issuer: missing"),
    ("signatures: {cosign: {keyless: {trustedRoot: dev.yaml, issuer: x, subject: y, audience: z}}}\n", "keyless.audience: unknown key; expected one of trustedRoot, issuer, subject, subjectRegexp"),
]:
    CASES.append(yaml_case(top.splitlines()[-1].strip()[:40] + ("" if top.startswith("network") else " " + message[-30:]), env(extra_top=top), message))

for text, message in [
    (MINIMAL.replace("app: shop", "app: Shop"), "app: expected lowercase letters, digits and single hyphens"),
    (MINIMAL.replace("app: shop", "app: shop_app"), "app: expected lowercase letters"),
    (MINIMAL.replace("app: shop", "app: shop--app"), "app: expected lowercase letters"),
    (MINIMAL.replace("app: shop", "app: " + "a" * 40), "app: expected lowercase letters"),
    (MINIMAL.replace("app: shop", "app: 9shop"), "app: expected lowercase letters"),
    (MINIMAL.replace("app: shop\n", ""), "app: missing"),
    (MINIMAL.replace("region: eu-west-1", "region: europe"), "region: expected an AWS region such as eu-west-1, got \"europe\""),
    (MINIMAL.replace("region: eu-west-1", "region: EU-WEST-1"), "region: expected an AWS region"),
    (MINIMAL.replace("region: eu-west-1", "region: eu-west-"), "region: expected an AWS region"),
    (MINIMAL.replace("region: eu-west-1\n", ""), "region: missing"),
    (MINIMAL.replace("  web:", "  Web:"), "services.Web: not a valid service name"),
    (MINIMAL.replace("  web:", "  web_api:"), "services.web_api: not a valid service name"),
    (MINIMAL.replace("  web:", "  \"\":"), "not a valid service name"),
    ("app: shop\nregion: eu-west-1\nservices: {}\n", "services: lists no service"),
    ("app: shop\nregion: eu-west-1\nservices: [web]\n", "services: expected a mapping of names to mappings, got a list"),
    ("app: shop\nregion: eu-west-1\nservices:\n  web: 256\n", "services.web: expected a mapping"),
    ("app: shop\nregion: eu-west-1\n", "services: missing"),
    (LEGACY.replace("service: api", "service: API"), "service: expected lowercase letters"),
    (LEGACY.replace("cpu: 256\n", ""), "cpu: missing"),
    (env("    kind: worker\n    containerPort: 80\n"), "services.web.containerPort: a worker takes no requests"),
    (env("    kind: worker\n    healthCheck:\n      path: /\n"), "services.web.healthCheck: a worker takes no requests"),
    (env("    kind: backend\n    routing:\n      paths: [/x]\n"), "services.web.routing: a backend has no load balancer"),
    (env("    kind: backend\n    healthCheck:\n      path: /\n"), "services.web.healthCheck: a backend has no load balancer"),
    (env("    kind: backend\n    loadBalancer: shared\n"), "services.web.loadBalancer: a backend has no load balancer"),
    (env("    loadBalancer: dedicated\n    routing:\n      paths: [/x]\n"), "a service with its own load balancer takes every request"),
    (env(services="  web: {cpu: 256, memory: 512}\n  site: {cpu: 256, memory: 512}\n"), "routing: takes every request, as web does"),
    (env(services="  a: {cpu: 256, memory: 512, routing: {paths: [/a/*], priority: 5}}\n  b: {cpu: 256, memory: 512, routing: {paths: [/b/*], priority: 5}}\n"), "5 is also the priority of a's rule"),
    (env(services="  a: {cpu: 256, memory: 512, routing: {paths: [/x/*]}}\n  b: {cpu: 256, memory: 512, routing: {paths: [/x/*]}}\n"), "matches the same paths and hosts as a"),
]:
    CASES.append(yaml_case(message[:40], text, message))

# Flags.
DEPLOY_ECR = ["deploy", "--phase", "ecr", "--config", "{config}", "--out", "{out}", "--endpoint-url", "{endpoint}"]
DEPLOY_ECS = ["deploy", "--phase", "ecs", "--env", "dev", "--config", "{config}", "--out", "{out}", "--endpoint-url", "{endpoint}"]
for args, exit, message in [
    (["synth", "--format", "xml"], 2, "xml"),
    (["synth", "--config", "{file}"], 2, "cannot read the configuration directory"),
    (["synth", "--config", "/nonexistent/berth"], 2, "cannot read the configuration directory"),
    (["synth", "--config", ""], 2, "error: --config: is empty; give it the directory that holds the environment files"),
    (["synth", "--config", "{config}", "--out", "{file}/out"], 1, "cannot create the output directory"),
    (["synth", "--config", "{config}", "--out", "/proc/berth-out"], 1, "cannot create the output directory"),
    (["synth", "--config", "{config}", "--env", "staging"], 2, "no environment staging; the app has dev, prod"),
    (["synth", "--config", "{config}", "--env", "d\u00e9v"], 2, "no environment d\u00e9v"),
    (["synth", "--config", "{config}", "--stack", "x" * 10000], 2, "no stack xxxx"),
    (["synth", "--config", "{config}", "--stack", "\u202eshop-web-dev"], 2, "no stack"),
    (["synth", "--config", "{config}", "--stdout"], 2, "--stdout prints one template"),
    (["synth", "--config", "{config}", "--out", ""], 2, "--out is given an empty value; it names a file or directory"),
    (["synth", "--config", "{config}", "--out="], 2, "--out is given an empty value"),
    (["diff", "--config", "{config}", "--template", "", "--stack", "shop-api-dev"], 2, "--template is given an empty value"),
    (["tag", "--repository", ""], 2, "--repository is given an empty value"),
    (["images", "--config", "{config}", "--limit", "-1"], 2, "--limit must be 1 or more, got -1"),
    (["images", "--config", "{config}", "--max-attempts", "-1"], 2, "--max-attempts must be 1 to 10"),
    (["tag", "--repository", "{out}/nowhere"], 2, "nowhere: no such directory; name the git work tree whose HEAD is tagged"),
    (["init", "shop", "--dir", ""], 2, "--dir is given an empty value"),
    (["synth", "--bogus"], 2, "Unknown option '--bogus'"),
    (DEPLOY_ECR[:3] + ["x"], 2, "Unexpected argument"),
    (["deploy", "--phase", "ecx"], 2, "ecx"),
    (["deploy"], 2, "Missing expected argument '--phase <phase>'"),
    (DEPLOY_ECS, 2, "--phase ecs needs --image-tag TAG"),
    (DEPLOY_ECR[:3] + ["--timeout", "1e99h"], 2, "1e99h"),
    (DEPLOY_ECR[:3] + ["--timeout", "9223372036854775807h"], 2, "9223372036854775807h"),
    (DEPLOY_ECR[:3] + ["--timeout", "-5s"], 2, "--timeout"),
    (DEPLOY_ECR[:3] + ["--timeout", "soon"], 2, "soon"),
    (DEPLOY_ECR[:3] + ["--timeout", "0"], 2, "Give up after this long (90s, 10m, 1h30m)"),
    (DEPLOY_ECS + ["--image-tag", "dev-1", "--adopt"], 2, "--adopt goes with --phase ecr or all"),
    (DEPLOY_ECR[:3] + ["--timeout", "10x"], 2, "10x"),
    (DEPLOY_ECR[:3] + ["--timeout", "\uff11\uff10s"], 2, "--timeout"),
    (DEPLOY_ECR[:3] + ["--wait-for-image", "1e5"], 2, "1e5"),
    (DEPLOY_ECR + ["--concurrency", "0"], 2, "--concurrency must be 1 to 32, got 0"),
    (DEPLOY_ECR + ["--concurrency", "-1"], 2, "--concurrency must be 1 to 32, got -1"),
    (DEPLOY_ECR + ["--adopt", "--expire-images", "-1"], 2, "--expire-images must be 0 or more, got -1"),
    (DEPLOY_ECR + ["--concurrency", "33"], 2, "--concurrency must be 1 to 32, got 33"),
    (DEPLOY_ECR + ["--commit-sha", "zz"], 2, "--commit-sha: expected a commit's hexadecimal name (4 to 64 of 0-9 and a-f, as git rev-parse HEAD prints it), got \"zz\""),
    (DEPLOY_ECR + ["--commit-sha", "abc"], 2, "--commit-sha: expected a commit's hexadecimal name"),
    (DEPLOY_ECR + ["--commit-sha", "0123abcd\n::error::x"], 2, "--commit-sha: expected a commit's hexadecimal name"),
    (DEPLOY_ECR + ["--build-time", "yesterday"], 2, "--build-time: expected a date and time as ISO 8601 writes it, such as 2026-11-22T09:30:00Z"),
    (DEPLOY_ECR + ["--build-time", "2026-13-01T00:00:00Z"], 2, "--build-time: expected a date and time as ISO 8601 writes it"),
    (DEPLOY_ECR + ["--build-time", "2026-11-22 09:30:00"], 2, "--build-time: expected a date and time as ISO 8601 writes it"),
    (DEPLOY_ECR + ["--build-time", "2026-11-22T09:30:00Z junk"], 2, "--build-time: expected a date and time as ISO 8601 writes it"),
    (DEPLOY_ECR + ["--concurrency", "many"], 2, "many"),
    (DEPLOY_ECR + ["--adopt", "--expire-images=-1"], 2, "--expire-images must be 0 or more, got -1"),
    (DEPLOY_ECS + ["--image-tag", "dev-1", "--expire-images", "2"], 2, "--expire-images goes with --phase ecr or all, which change lifecycle policies"),
    (DEPLOY_ECR + ["--adopt", "--expire-images", "two"], 2, "two"),
    (DEPLOY_ECR[:-2] + ["--endpoint-url", "not a url"], 2, "--endpoint-url must be an http(s) URL"),
    (DEPLOY_ECR[:-2] + ["--endpoint-url", "ftp://127.0.0.1/"], 2, "--endpoint-url must be an http(s) URL"),
    (DEPLOY_ECR + ["--max-attempts", "0"], 2, "--max-attempts must be 1 to 10"),
    (DEPLOY_ECR + ["--max-attempts", "11"], 2, "--max-attempts must be 1 to 10"),
    (DEPLOY_ECR + ["--ca-bundle", "/nonexistent/ca.pem"], 2, "the CA bundle /nonexistent/ca.pem cannot be read"),
    (DEPLOY_ECR + ["--region", "x" * 5000], 2, "--region must be an AWS region"),
    (DEPLOY_ECR + ["--region", "eu-west-1; rm -rf /"], 2, "--region must be an AWS region"),
    (DEPLOY_ECR + ["--service", "billing"], 2, "no service billing; the app has api, migrate, nightly, search, web, worker"),
    (DEPLOY_ECR + ["--stack", "shop-dev"], 2, "stack shop-dev is not among the stacks selected"),
    ([("staging" if word == "dev" else word) for word in DEPLOY_ECS] + ["--image-tag", "dev-1"], 2, "no environment staging"),
    (["diff", "--config", "{config}", "--method", "magic"], 2, "magic"),
    (["diff", "--config", "{config}", "--template", "{template}", "--method", "change-set"], 2, "--template compares with a file"),
    (["diff", "--config", "{config}", "--template", "{template}"], 2, "--template compares one stack"),
    (["images", "--config", "{config}", "--limit", "0"], 2, "--limit must be 1 or more"),
    (["images", "--config", "{config}", "--env", "staging"], 2, "no environment staging"),
    (["images", "--config", "{config}", "--service", "billing"], 2, "no service billing"),
    (["init", "Shop", "--dir", "{out}/app"], 2, "\"Shop\" is not a valid app name"),
    (["init", "x" * 10000, "--dir", "{out}/app"], 2, "is not a valid app name"),
    (["init", "shop", "--dir", "{out}/app", "--berth-version", "latest"], 2, "--berth-version \"latest\" is not a semantic version such as 1.2.3"),
    (["init", "shop", "--dir", "{out}/app", "--berth-url", "not a url"], 2, "--berth-url \"not a url\" is not a Git URL"),
    (["init", "shop", "--dir", "{out}/app", "--env", "d\u00e9v"], 2, "\"d\u00e9v\" is not a valid environment name"),
    (["synth", "--config", "{config}/dev.yaml"], 2, "dev.yaml: is an environment file; give --config the directory that holds it ("),
    (["synth", "--config", "{config}", "--env", "dev", "--env=prod"], 2, "--env is given twice, as dev and prod; give it once"),
    (["destroy", "--config", "{config}", "--env", "dev", "--env", "prod", "--yes"], 2, "--env is given twice, as dev and prod; give it once"),
    (["destroy", "--config", "{config}", "--env", "dev", "--yes", "--concurrency", "-2"], 2, "--concurrency must be 1 to 32, got -2"),
    (["history", "--config", "{config}", "--env", "dev", "--limit", "-1"], 2, "--limit must be 1 or more, got -1"),
    (["run", "--config", "{config}", "--env", "dev", "--service", "api", "--timeout", "-5"], 2, "The value '-5' is invalid for '--timeout <timeout>'"),
    # An unknown service of --to is refused before any call (the endpoint is a closed port).
    (["rollback", "--config", "{config}", "--env", "dev", "--to", "nope=dev-1", "--endpoint-url", "http://127.0.0.1:9", "--max-attempts", "1"], 2,
     "rollback: --to names nope, which is not rolled back here; the services are"),
    (DEPLOY_ECR + ["--timeout", "-1m"], 2, "The value '-1m' is invalid for '--timeout <timeout>'"),
    (["run", "--config", "{config}", "--env", "dev", "--service", "web", "--", ""], 2, "the command after -- has an empty word"),
    (["history", "--config", "{config}", "--env", "dev", "--limit"], 2, "Missing value for '--limit <limit>'"),
    (["synth", "--config", "{config}", "--stack", "shop-api-dev", "--stack", "shop-web-dev"], 2, "--stack is given twice, as shop-api-dev and shop-web-dev; give it once"),
    (["init", "shop", "--dir", "{out}/app", "--env", "ecr"], 2, "--env ecr cannot name an environment: the repository stacks are named <app>-<service>-ecr"),
    (["init", "shop", "--dir", "{out}/app", "--service", "\u202eapi"], 2, "is not a valid service name"),
    (["init", "shop", "--dir", "{file}/app", "--region", "eu-west-1"], 1, "cannot be written: the directory cannot be made"),
    (["init", "shop", "--dir", "{out}/app", "--from-service", "legacy"], 2, "--from-service takes CLUSTER/SERVICE"),
    (["init", "shop", "--dir", "{out}/app", "--berth-path", "/nonexistent/berth"], 2, "no Package.swift there"),
    (["init", "shop", "--dir", "{out}/app", "--from-service", "c/s", "--endpoint-url", "not a url"], 2, "--endpoint-url must be an http(s) URL"),
]:
    CASES.append({"name": "flags: " + " ".join(a[:30] for a in args if not a.startswith("{"))[:60], "args": args, "exit": exit,
                  "message": message, "template": "{}"})

# Image tags: refused before any call.
for tag, exit, message in [
    ("pr-51/abc", 3, "\"pr-51/abc\" is not a valid image tag"),
    (".hidden", 3, "is not a valid image tag"),
    ("-dash", 3, "is not a valid image tag"),
    ("a" * 129, 3, "is not a valid image tag"),
    ("", 2, "Missing value for '--image-tag <tag>'"),
    ("tag with space", 3, "is not a valid image tag"),
    ("\U0001F680", 3, "is not a valid image tag"),
    ("latest", 3, "refusing tag \"latest\""),
    ("LATEST", 3, "refusing tag \"LATEST\""),
    ("main", 3, "refusing tag \"main\""),
    ("prod", 3, "refusing tag \"prod\""),
    ("web=", 2, "--image-tag web= names no tag: --image-tag web=TAG"),
    ("web:dev-1", 3, "--image-tag \"web:dev-1\" is not a tag (a tag holds no :); a service's tag is written --image-tag web=dev-1"),
    ("web=dev-1,api=dev-1", 3, "holds several tags: repeat --image-tag for each service"),
    ("sha256:" + "a" * 64, 3, "is a digest, not a tag: give the tag, and the gate pins the digest it names"),
    ("web=latest", 3, "refusing tag \"latest\""),
    ("=dev-1", 2, "--image-tag \"=dev-1\" names no service before its =: give SERVICE=TAG, or the tag alone for every service"),
    ("=", 2, "--image-tag \"=\" names no service before its =: give SERVICE=TAG, or the tag alone for every service"),
    ("billing=dev-1", 2, "--image-tag names service billing, which the app does not have"),
    ("web=dev-1", 2, "no image tag for api"),
]:
    CASES.append({"name": f"tag: {tag[:30]!r}", "args": DEPLOY_ECS + [f"--image-tag={tag}"], "exit": exit, "message": message})
CASES.append({"name": "tag: two defaults", "args": DEPLOY_ECS + ["--image-tag", "dev-1", "--image-tag", "dev-2"], "exit": 2,
              "message": "--image-tag gives two tags for every service (dev-1 and dev-2); name the service: --image-tag SERVICE=TAG"})
CASES.append({"name": "tag: a service twice", "args": DEPLOY_ECS + ["--image-tag", "web=dev-1", "--image-tag", "web=dev-2"], "exit": 2,
              "message": "--image-tag names service web twice"})
CASES.append({"name": "tag: in diff", "args": ["diff", "--config", "{config}", "--image-tag", "pr-51/abc"], "exit": 3,
              "message": "is not a valid image tag"})

# Templates given to diff --template: exit 5, the file and what is wrong named.
DIFF_TEMPLATE = ["diff", "--config", "{config}", "--stack", "shop-web-dev", "--template", "{template}"]
for name, template, message in [
    ("truncated JSON", "{\"Resources\": {\"A\": {\"Type\": \"AWS::SNS::Topic\"", "is not readable"),
    ("aliases nesting 2700 deep", "Metadata:\n  Deep:\n" + "".join("    - &a%d %s%s%s\n" % (i, "[" * 900, ("*a%d" % (i - 1)) if i else "1", "]" * 900) for i in range(3))
     + "Resources:\n  X:\n    Type: AWS::SNS::Topic\n", "template.json:4:911: not valid YAML: with the aliases expanded (*a0 here), it nests more than 1000 levels deep"),
    ("NaN", "{\"Resources\": {\"A\": {\"Type\": \"AWS::SNS::Topic\", \"Properties\": {\"N\": NaN}}}}", "is not readable"),
    ("1e400", "{\"Resources\": {\"A\": {\"Type\": \"AWS::SNS::Topic\", \"Properties\": {\"N\": 1e400}}}}", "is not readable"),
    ("lone surrogate", "{\"Resources\": {\"A\": {\"Type\": \"\\ud800\"}}}", "is not readable"),
    ("100k-deep nesting", "{\"Resources\": " + "[" * 100000 + "]" * 100000 + "}", "nest deeper than 512 levels"),
    ("100k-deep YAML nesting", "Resources: " + "[" * 100000 + "]" * 100000, "is not readable"),
    ("trailing comma", "{\"Resources\": {},}", "is not readable"),
    ("duplicate keys", "{\"Resources\": {}, \"Resources\": {}}", "is not readable"),
    ("comments", "{\"Resources\": {} // no\n}", "is not readable"),
    ("empty file", "", "is not readable"),
    ("whitespace only", "   \n\n", "is not readable"),
    ("invalid UTF-8", b"{\"Resources\": {\"A\": {\"Type\": \"\xff\"}}}", "cannot read the template"),
    ("binary junk", bytes(range(256)) * 8, "cannot read the template"),
    ("a list", "[1, 2]", "the document is a list, not a mapping of sections"),
    ("a scalar", "just text", "the document is a string"),
    ("a number", "42", "the document is a number"),
    ("null", "null", "the document is null"),
    ("Resources is a list", "{\"Resources\": [1]}", "Resources is a list, not a mapping"),
    ("Resources is a string", "Resources: all of them\n", "Resources is a string, not a mapping"),
    ("no Resources", "{\"Outputs\": {}}", "it has no Resources"),
    ("resource without Type", "{\"Resources\": {\"A\": {\"Properties\": {}}}}", "resource A has no Type"),
    ("resource is a list", "{\"Resources\": {\"A\": [1]}}", "resource A is a list"),
    ("Parameters is a list", "{\"Parameters\": [], \"Resources\": {\"A\": {\"Type\": \"T\"}}}", "Parameters is a list"),
    ("YAML alias bomb", "\n".join(["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"] + [
        f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]), "expands to more than 1000000 values"),
    ("a long value repeated by aliases", "Metadata:\n  A0: &long " + "x" * 900_000 + "\n"
     + "".join(f"  A{i}: *long\n" for i in range(1, 80)), "expand to more than 64 MiB of text"),
    ("unknown tag", "Resources:\n  A:\n    Type: !bogus-tag x\n", "unknown tag !bogus-tag"),
    ("python tag", "Resources:\n  A: !!python/object:os.system x\n", "the tag !!python/object:os.system is not allowed"),
    ("bad GetAtt", "Resources:\n  A:\n    Type: T\n    Properties:\n      X: !GetAtt NoDot\n", "!GetAtt takes Resource.Attribute"),
    ("20 MB", "{\"Resources\": {\"A\": {\"Type\": \"AWS::SNS::Topic\", \"Properties\": {\"X\": \"" + "x" * 20_000_000 + "\"}}}, }",
     "is not a CloudFormation template: it has 20000076 bytes, over the 1048576 (1 MB) CloudFormation takes"),
    ("501 resources", "{\"Resources\": {" + ", ".join(f"\"R{i}\": {{\"Type\": \"AWS::SNS::Topic\"}}" for i in range(501)) + "}}",
     "is not a CloudFormation template: it has 501 resources, over the 500 CloudFormation allows in a template"),
    ("201 outputs", "{\"Resources\": {\"A\": {\"Type\": \"T\"}}, \"Outputs\": {" + ", ".join(f"\"O{i}\": {{\"Value\": \"v\"}}" for i in range(201)) + "}}",
     "it has 201 outputs, over the 200 CloudFormation allows"),
]:
    CASES.append({"name": "template: " + name, "args": DIFF_TEMPLATE, "template": template, "exit": 5, "message": message})
CASES.append({"name": "template: a directory", "args": DIFF_TEMPLATE[:-1] + ["{dir}"], "exit": 5, "message": "cannot read the template"})
CASES.append({"name": "template: missing file", "args": DIFF_TEMPLATE[:-1] + ["/nonexistent/t.json"], "exit": 5, "message": "cannot read the template /nonexistent/t.json"})
# Files berth writes that are named pipes: refused, never opened for a write that would wait.
TOPIC = "{\"Resources\": {\"A\": {\"Type\": \"AWS::SNS::Topic\"}}}"
# (GITHUB_OUTPUT, which only a deploy that ends writes, goes through the same code.)
CASES.append({"name": "output: GITHUB_STEP_SUMMARY a named pipe", "args": DIFF_TEMPLATE, "template": TOPIC,
              "env": {"GITHUB_STEP_SUMMARY": "{fifo}"}, "exit": 0,
              "message": "warning: cannot write GITHUB_STEP_SUMMARY ({fifo}): it is not a file (a named pipe or a socket would wait for a reader); the comparison above is complete"})
CASES.append({"name": "output: GITHUB_STEP_SUMMARY /dev/null, a character device", "args": DIFF_TEMPLATE, "template": TOPIC,
              "env": {"GITHUB_STEP_SUMMARY": "/dev/null"}, "exit": 0, "message": "", "absent": ["warning"]})
CASES.append({"name": "output: a named pipe where synth writes the manifest first", "args": ["synth", "--config", "{config}", "--out", "{dir}"],
              "fifo_in_dir": "manifest.json.tmp", "exit": 0, "message": ""})

# 60,000 properties on a resource the proposed template has too: each is compared and ordered
# once, not looked for among all the others (8.4 s in the release build before, 1.0 s in a debug build after).
CASES.append({"name": "template: a resource with 60,000 properties", "args": DIFF_TEMPLATE, "exit": 0, "message": "",
              "template": "{\"Resources\": {\"TaskDefinition\": {\"Type\": \"AWS::ECS::TaskDefinition\", \"Properties\": {"
                          + ", ".join(f"\"P{i}\": {i}" for i in range(60_000)) + "}}}}"})
CASES.append({"name": "template: references in a cycle", "args": DIFF_TEMPLATE, "exit": 0, "message": "",
              "template": "{\"Resources\": {\"A\": {\"Type\": \"AWS::EC2::Subnet\", \"Properties\": {\"VpcId\": {\"Ref\": \"B\"}}},"
                          " \"B\": {\"Type\": \"AWS::EC2::VPC\", \"Properties\": {\"CidrBlock\": {\"Fn::GetAtt\": [\"A\", \"CidrBlock\"]}}}}}"})

# Server answers: every case ends with a clear error and the documented status, within bounds.
IMAGES = ["images", "--config", "{config}", "--service", "api", "--endpoint-url", "{endpoint}", "--max-attempts", "1", "--timeout", "4s"]
DIFF_SERVER = ["diff", "--config", "{config}", "--phase", "ecr", "--service", "api", "--method", "template", "--endpoint-url", "{endpoint}",
               "--max-attempts", "1", "--timeout", "4s"]
DEPLOY_SERVER = DEPLOY_ECR + ["--service", "api", "--max-attempts", "1", "--timeout", "4s"]
for server in ["truncated-xml", "html-500", "empty-200", "json-for-xml", "xml-for-json", "huge", "enormous", "silent", "close", "redirect",
               "drip", "garbage-status", "throttled"]:
    # A server that never finishes its answer is given up on at the request's time-out (the
    # command's --timeout when shorter): a transport failure, or the command's deadline.
    expect_diff = [5, 4] if server in ("silent", "drip") else 5
    expect_other = [1, 4] if server in ("silent", "drip") else 1
    if server == "enormous":
        for args in (IMAGES, DEPLOY_SERVER):
            CASES.append({"name": f"server {server}: {args[0]}", "args": args, "server": server, "exit": 1,
                          "message": "the answer is larger than 64 MiB"})
        CASES.append({"name": f"server {server}: diff", "args": DIFF_SERVER, "server": server, "exit": 5,
                      "message": "the answer is larger than 64 MiB"})
        continue
    CASES.append({"name": f"server {server}: images", "args": IMAGES, "server": server, "exit": expect_other, "message": "error:"})
    CASES.append({"name": f"server {server}: diff", "args": DIFF_SERVER, "server": server, "exit": expect_diff, "message": "error:"})
    CASES.append({"name": f"server {server}: deploy", "args": DEPLOY_SERVER, "server": server, "exit": expect_other, "message": "error:"})

# Checking an environment's account (STS) is reading the deployed side: diff's status, never 1.
SAMPLE_DEV = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "stacks", "environments", "dev.yaml")).read()
for server in ["html-500", "close"]:
    CASES.append({"name": f"server {server}: diff of an environment with an account", "env_file": SAMPLE_DEV + "account: \"123456789012\"\n",
                  "args": ["diff", "--config", "{config}", "--env", "dev", "--fail", "--method", "template", "--endpoint-url", "{endpoint}",
                           "--max-attempts", "1", "--timeout", "4s"],
                  "server": server, "exit": 5, "message": "cannot compare with the deployed stacks"})

# Credentials answers must never be echoed: they may hold secrets.
for name, body in [
    ("container credentials: not JSON", "AccessKeyId=AKIDLEAK SecretAccessKey=leaked-secret-value"),
    ("container credentials: no secret", "{\"AccessKeyId\": \"AKIDLEAK\", \"Token\": \"leaked-secret-value\"}"),
    ("container credentials: truncated", "{\"AccessKeyId\": \"AKIDLEAK\", \"SecretAccessKey\": \"leaked-secret-value\""),
]:
    CASES.append({"name": name, "args": IMAGES, "server": "credentials:" + body, "exit": 2, "message": "error:",
                  "credentials": "container", "secret": "leaked-secret-value"})

for name, body in [
    ("web identity: truncated answer", "<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials>"
                                       "<AccessKeyId>ASIALEAK</AccessKeyId><SecretAccessKey>leaked-secret-value</SecretAccessKey>"),
    ("web identity: another document", "<Other><SecretAccessKey>leaked-secret-value</SecretAccessKey></Other>"),
    ("web identity: no credentials", "<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><SessionToken>"
                                     "leaked-secret-value</SessionToken></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>"),
]:
    CASES.append({"name": name, "args": IMAGES, "server": "credentials:" + body, "exit": [1, 2], "message": "error:",
                  "credentials": "web-identity", "secret": "leaked-secret-value"})

# A URL refused because it holds user information is quoted without it: it may be a password.
CASES.append({"name": "AWS_CONTAINER_CREDENTIALS_FULL_URI with a password", "args": IMAGES, "credentials": "container",
              "env": {"AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://admin:leaked-secret-value@127.0.0.1:18080/creds"}, "exit": 2,
              "message": "AWS_CONTAINER_CREDENTIALS_FULL_URI is \"http://…@127.0.0.1:18080/creds\", not an http(s) URL",
              "secret": "leaked-secret-value"})
CASES.append({"name": "--endpoint-url with a password", "args": DEPLOY_ECR[:-2] + ["--endpoint-url", "http://AKIAUSER:leaked-secret-value@127.0.0.1:18080"],
              "exit": 2, "message": "--endpoint-url must be an http(s) URL of a host and port, without a path, query or fragment (every call goes to its root), got \"http://…@127.0.0.1:18080\"", "secret": "leaked-secret-value"})
CASES.append({"name": "--profile empty", "args": DEPLOY_ECR[:-2] + ["--profile", ""], "exit": 2,
              "message": "--profile must name a profile of the shared AWS files, got an empty name"})
# A path would be dropped: every call goes to the endpoint's root.
CASES.append({"name": "--endpoint-url with a path", "args": DEPLOY_ECR[:-2] + ["--endpoint-url", "http://127.0.0.1:18080/proxy"],
              "exit": 2, "message": "--endpoint-url must be an http(s) URL of a host and port, without a path"})

# SOURCE_DATE_EPOCH: a malformed or absurd value is refused, as the reproducible-builds
# specification asks, never ignored and never a trap.
TAG = ["tag", "--config", "{config}", "--env", "dev"]
SHA = "0123456789abcdef0123456789abcdef01234567"
for value, message in [
    ("99999999999999999999", "after 9999-12-31T23:59:59Z"),
    ("253402300800", "after 9999-12-31T23:59:59Z"),
    ("9" * 5000, "after 9999-12-31T23:59:59Z"),
    ("word", "SOURCE_DATE_EPOCH is \"word\", not a whole number of seconds"),
    ("1e9", "SOURCE_DATE_EPOCH is \"1e9\", not a whole number"),
    ("-1", "SOURCE_DATE_EPOCH is \"-1\", not a whole number"),
    ("+17", "SOURCE_DATE_EPOCH is \"+17\""),
    (" 1700000000", "not a whole number"),
    ("1700000000.5", "not a whole number"),
    ("0x10", "not a whole number"),
    ("\uff11\uff17", "not a whole number"),
]:
    CASES.append({"name": f"SOURCE_DATE_EPOCH={value[:20]!r}", "args": TAG, "exit": 2, "message": message,
                  "env": {"SOURCE_DATE_EPOCH": value, "GITHUB_SHA": SHA}})

# A tag format without a placeholder that changes per commit: the second push of the
# same tag fails against the repository's immutable tags.
for template in ["{env}-X", "{env}-{date}"]:
    CASES.append({"name": f"tag: --format {template}", "args": TAG + ["--format", template], "exit": 2,
                  "message": f"cannot make a tag from {template}: the format makes the same tag for every commit", "env": {"GITHUB_SHA": SHA}})

# Help for a topic that does not exist: exit 2, not the root's help and 0.
for args in [["help", "nosuchcommand"], ["nosuch", "--help"], ["--help", "nosuch"], ["nosuch", "-h"], ["help", "synth", "extra"],
             ["help", "Synth"], ["help", "x" * 5000], ["synth", "nosuch", "--help"], ["deploy", "--phase", "ecr", "extra", "-h"]]:
    CASES.append({"name": "help: " + " ".join(a[:20] for a in args), "args": args, "exit": 2, "message": "no help topic"})
CASES.append({"name": "help: an escape sequence", "args": ["help", "a\x1b[31mb"], "exit": 2, "message": "no help topic \"a\\u{1B}[31mb\"",
              "absent": ["\x1b"]})

# A malformed AWS_ENDPOINT_URL or AWS_ENDPOINT_URL_<SERVICE>: an input error before any call.
IMAGES_ENV = ["images", "--config", "{config}", "--service", "api", "--max-attempts", "1", "--timeout", "4s"]
for name in ["AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_ECR", "AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL_CLOUDFORMATION", "AWS_ENDPOINT_URL_ECS",
             "AWS_ENDPOINT_URL_LOGS"]:
    for value in ["http://127.0.0.1:1:2", "not a url", "http://user:pw@127.0.0.1:9", "http://[::1]junk", "http://127.0.0.1:+80", "http://ex..com",
                  "http://127.0.0.1:9/proxy", "http://127.0.0.1:9?x=1"]:
        env_vars = {"AWS_ENDPOINT_URL": "{endpoint}", name: value}
        CASES.append({"name": f"endpoint: {name}={value}", "args": IMAGES_ENV, "exit": 2, "message": f"{name} is \"", "env": env_vars})

# A region that only looks like one: refused by AWS's region pattern, at file:line for files.
for region in ["eu-west-+1", "eu-west-01", "eu-west-10", "a-b-c-d-1", "e-west-1", "eu-wst-1-1", "us-gov-west-x", "eu-west-1.example.com", "eu-west-1\\n"]:
    CASES.append(yaml_case(f"region {region}", MINIMAL.replace("region: eu-west-1", f"region: \"{region}\""),
                           f"dev.yaml:2:9: region: expected an AWS region such as eu-west-1, got \"{region}\""))
    CASES.append({"name": f"flags: --region {region}", "args": DEPLOY_ECR + ["--region", region], "exit": 2, "message": "--region must be an AWS region"})
    for variable in ["AWS_REGION", "AWS_DEFAULT_REGION"]:
        CASES.append({"name": f"{variable}={region}", "args": IMAGES, "exit": 2, "message": f"{variable} is \"{region}\", not an AWS region",
                      "env": {variable: region}})

# Variables and secrets: Berth's own names are refused in both, and a name that is not a plain
# string is refused at its line, never dropped or taken as its text.
for section, value in [("environment", "mine"), ("secrets", "arn:aws:ssm:eu-west-1:123456789012:parameter/x")]:
    for name in ["IMAGE_TAG", "COMMIT_SHA", "BUILD_TIME"]:
        CASES.append(yaml_case(f"{section}.{name}", env(f"    {section}:\n      {name}: {value}\n"),
                               f"dev.yaml:8:7: services.web.{section}.{name}: is set by Berth"))
    for key, kind in [("~", "null"), ("null", "null"), ("[a, b]", "a list"), ("{k: v}", "a mapping"), ("true", "a boolean"), ("off", "a boolean"),
                      ("1", "a number"), ("-1.5", "a number"), ("? [x]", "a list")]:
        line = f"      {key}: {value}\n" if not key.startswith("?") else f"      {key}\n      : {value}\n"
        CASES.append(yaml_case(f"{section} name {key}", env(f"    {section}:\n" + line),
                               f"dev.yaml:8:{9 if key.startswith('?') else 7}: services.web.{section}: names must be plain strings, got {kind}"))
    # A name without a value under secrets: is not repeated: it may be the secret, pasted as a key.
    CASES.append(yaml_case(f"{section} null value", env(f"    {section}:\n      A:\n"),
                           "services.web.environment.A: is empty (null)" if section == "environment"
                           else "services.web.secrets: an entry has no value (its name is not shown"))

# Templates for diff whose parts have the wrong shape: not a template (exit 5), the part named.
TOPIC = "\"A\": {\"Type\": \"AWS::SNS::Topic\"}"
for name, template, message in [
    ("Properties a string", "{\"Resources\": {\"A\": {\"Type\": \"AWS::SNS::Topic\", \"Properties\": \"x\"}}}", "resource A's Properties is a string, not a mapping"),
    ("Properties a list", "Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties: [1]\n", "resource A's Properties is a list, not a mapping"),
    ("Properties null", "Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties:\n", "resource A's Properties is null, not a mapping"),
    ("Metadata a number", "{\"Resources\": {\"A\": {\"Type\": \"AWS::SNS::Topic\", \"Metadata\": 1}}}", "resource A's Metadata is a number"),
    ("UpdatePolicy a list", "{\"Resources\": {\"A\": {\"Type\": \"AWS::SNS::Topic\", \"UpdatePolicy\": []}}}", "resource A's UpdatePolicy is a list"),
    ("DependsOn a number", "{\"Resources\": {\"A\": {\"Type\": \"AWS::SNS::Topic\", \"DependsOn\": 1}}}", "resource A's DependsOn is a number"),
    ("DependsOn a list of lists", "{\"Resources\": {\"A\": {\"Type\": \"AWS::SNS::Topic\", \"DependsOn\": [[\"B\"]]}}}", "resource A's DependsOn is a list"),
    ("Condition a list", "{\"Resources\": {\"A\": {\"Type\": \"AWS::SNS::Topic\", \"Condition\": [\"C\"]}}}", "resource A's Condition is a list"),
    ("DeletionPolicy a number", "{\"Resources\": {\"A\": {\"Type\": \"AWS::SNS::Topic\", \"DeletionPolicy\": 1}}}", "resource A's DeletionPolicy is a number"),
    ("Type a number", "{\"Resources\": {\"A\": {\"Type\": 7}}}", "resource A's Type is a number"),
    ("Type empty", "{\"Resources\": {\"A\": {\"Type\": \"\"}}}", "resource A's Type is empty"),
    ("Type a Ref", "Resources:\n  A:\n    Type: !Ref T\n", "resource A's Type is a mapping"),
    ("resource null", "{\"Resources\": {\"A\": null}}", "resource A is null, not a mapping"),
    ("Parameter a string", "{\"Parameters\": {\"P\": \"String\"}, \"Resources\": {" + TOPIC + "}}", "parameter P is a string"),
    ("Parameter without Type", "{\"Parameters\": {\"P\": {\"Default\": 1}}, \"Resources\": {" + TOPIC + "}}", "parameter P has no Type"),
    ("Mapping level a string", "{\"Mappings\": {\"M\": {\"k\": \"v\"}}, \"Resources\": {" + TOPIC + "}}", "mapping M's k is a string"),
    ("Condition a boolean", "{\"Conditions\": {\"C\": true}, \"Resources\": {" + TOPIC + "}}", "condition C is a boolean"),
    ("Output without Value", "{\"Outputs\": {\"O\": {\"Description\": \"d\"}}, \"Resources\": {" + TOPIC + "}}", "output O has no Value"),
    ("Output Export a string", "{\"Outputs\": {\"O\": {\"Value\": \"v\", \"Export\": \"x\"}}, \"Resources\": {" + TOPIC + "}}", "output O's Export is a string"),
    ("Outputs null", "Outputs:\nResources:\n  A:\n    Type: AWS::SNS::Topic\n", "Outputs is null, not a mapping"),
    ("Description a mapping", "{\"Description\": {\"x\": 1}, \"Resources\": {" + TOPIC + "}}", "Description is a mapping, not a string"),
    ("Transform a number", "{\"Transform\": 1, \"Resources\": {" + TOPIC + "}}", "Transform is a number"),
]:
    CASES.append({"name": "template shape: " + name, "args": DIFF_TEMPLATE, "template": template, "exit": 5,
                  "message": "is not a CloudFormation template: " + message})

# Special files where a file is expected: named as what they are; a FIFO never waited on.
SPECIAL = [("directory", "is a directory, not a file"), ("fifo", "is a named pipe (FIFO), not a file"), ("socket", "is a socket, not a file"),
           ("loop", "is a loop of symbolic links"), ("dangling", "is a symbolic link to a file that does not exist"),
           ("/dev/null", "is a character device, not a file"), ("/dev/zero", "is a character device, not a file"),
           ("/dev/urandom", "is a character device, not a file")]
for kind, message in SPECIAL:
    CASES.append({"name": f"special env file: {kind}", "args": SYNTH, "env_special": kind, "exit": 2, "message": "dev.yaml: " + message})
    CASES.append({"name": f"special template: {kind}", "args": DIFF_TEMPLATE, "template_special": kind, "exit": 5,
                  "message": "template.json: it " + message})
for path in ["/dev/null", "/dev/zero", "/dev/stdin", "/dev/tty", "/nonexistent/dir/t.json", "{file}/t.json"]:
    CASES.append({"name": f"special template path: {path}", "args": DIFF_TEMPLATE[:-1] + [path], "exit": 5, "message": "cannot read the template"})
for path, message in [("{dir}", "is a directory, not a file"), ("/dev/null", "is a character device"), ("/dev/zero", "is a character device"),
                      ("{file}/ca.pem", "cannot be reached: a part of its path is not a directory")]:
    CASES.append({"name": f"special CA bundle: {path}", "args": DEPLOY_ECR + ["--ca-bundle", path], "exit": 2,
                  "message": "cannot be read: it " + message})

# An error answer with an HTML body: summarized in one line by its title, never printed whole.
for server, message in [("moto-500", "an HTML page \"500 Internal Server Error\""), ("html-500", "an HTML page \"500\""),
                        ("proxy-page", "an HTML page \"Proxy says no")]:
    for args in (IMAGES, DIFF_SERVER, DEPLOY_SERVER):
        CASES.append({"name": f"html answer {server}: {args[0]}", "args": args, "server": server, "exit": 5 if args[0] == "diff" else 1,
                      "message": message, "absent": ["<p>", "<h1>", "<title>", "<P>", "color: red", "\n<", "filler filler filler filler filler filler filler filler filler filler filler filler filler"]})
