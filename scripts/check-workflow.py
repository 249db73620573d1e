#!/usr/bin/env python3
"""Checks examples/github-actions/berth.yml: valid YAML, the expected jobs and triggers, OIDC
credentials, a cached build, and every berth command it runs accepted by berth's own parser
(each is run with --help appended, so nothing is done). And the hardening that actionlint and
zizmor (run beside this in `make test`) look for, as the project's own rules:
- every `uses:` is `owner/repo@<40 hex> # vX.Y.Z` (a local ./ action or a docker:// image would
  be exempt), one commit and version per action;
- the workflow grants no write permission; a job gets `id-token: write` only if it configures
  AWS credentials (and every such job has it), and no other write permission;
- every checkout has `persist-credentials: false`;
- no `${{ }}` inside a `run:` script: values come in through `env:`."""
import os
import re
import shlex
import subprocess
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORKFLOW = os.path.join(ROOT, "examples", "github-actions", "berth.yml")
PINNED = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(?:/[^@\s]+)?@[0-9a-f]{40} # v\d+\.\d+\.\d+$")
BERTH = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build", "debug", "berth"))


def fail(message):
    sys.exit(f"check-workflow: {WORKFLOW}: {message}")


def check_pins(text, jobs):
    """Every `uses:` line is pinned to a commit with its version in the comment (read from the
    text: YAML drops comments), as many as the parsed workflow has."""
    pins = {}
    lines = [line.split("uses:", 1)[1].strip() for line in text.splitlines()
             if re.match(r"^\s*(?:-\s+)?uses:", line)]
    parsed = [step["uses"] for job in jobs.values() for step in job.get("steps", []) if "uses" in step]
    parsed += [job["uses"] for job in jobs.values() if "uses" in job]
    if len(lines) != len(parsed):
        fail(f"{len(parsed)} actions used but {len(lines)} `uses:` lines: write each as `uses: owner/repo@<sha> # vX.Y.Z`")
    for reference in lines:
        if reference.startswith(("./", "docker://")):
            continue
        if not PINNED.match(reference):
            fail(f"`uses: {reference}` is not pinned as owner/repo@<40-hex commit> # vX.Y.Z")
        action, rest = reference.split("@", 1)
        if pins.setdefault(action, rest) != rest:
            fail(f"{action} is used at two versions: {pins[action]} and {rest}")
    return pins


def check_permissions(workflow, jobs):
    """Nothing written by the workflow's token by default; `id-token: write` exactly in the jobs
    that assume the AWS role."""
    if "permissions" not in workflow:
        fail("set workflow-level permissions ({} or read-only): the default token may write")
    top = workflow["permissions"]
    if not isinstance(top, dict) or any(value not in ("read", "none") for value in top.values()):
        fail(f"workflow-level permissions must be {{}} or read-only, got {top}")
    for name, job in jobs.items():
        permissions = job.get("permissions", {})
        if not isinstance(permissions, dict):
            fail(f"job {name}: permissions must list each scope, got {permissions}")
        assumes_role = any(step.get("uses", "").startswith("aws-actions/configure-aws-credentials@")
                           for step in job.get("steps", []))
        for scope, value in permissions.items():
            if value not in ("read", "none") and scope != "id-token":
                fail(f"job {name}: {scope}: {value}, the only write permission allowed is id-token")
        if (permissions.get("id-token") == "write") != assumes_role:
            if assumes_role:
                fail(f"job {name} configures AWS credentials, so it needs permissions: id-token: write")
            fail(f"job {name}: id-token: write without configuring AWS credentials")


def check_steps(jobs):
    for name, job in jobs.items():
        for step in job.get("steps", []):
            label = step.get("name") or step.get("id") or step.get("uses") or step.get("run", "").split("\n")[0]
            if step.get("uses", "").startswith("actions/checkout@"):
                if str(step.get("with", {}).get("persist-credentials")).lower() != "false":
                    fail(f"job {name}: checkout without persist-credentials: false")
            if "${{" in step.get("run", ""):
                fail(f"job {name}, step `{label}`: `${{{{` inside run:, pass the value through env:")


def main():
    with open(WORKFLOW) as file:
        text = file.read()
    workflow = yaml.safe_load(text)
    triggers = workflow.get(True) or workflow.get("on")  # PyYAML reads the key `on` as True
    if set(triggers or {}) != {"push", "pull_request"}:
        fail(f"expected push and pull_request triggers, got {triggers}")
    jobs = workflow.get("jobs", {})
    expected = {"build", "deploy", "diff", "preview", "preview-cleanup"}
    if set(jobs) != expected:
        fail(f"expected jobs {sorted(expected)}, got {sorted(jobs)}")
    if not any(step.get("uses", "").startswith("actions/cache@") for step in jobs["build"]["steps"]):
        fail("the build job must cache .build")
    if not all(any(s.get("uses", "").startswith("aws-actions/configure-aws-credentials@") for s in jobs[name]["steps"])
               for name in expected - {"build"}):
        fail("every job that calls AWS must get OIDC credentials")
    pins = check_pins(text, jobs)
    check_permissions(workflow, jobs)
    check_steps(jobs)
    commands = []
    for job in jobs.values():
        for step in job.get("steps", []):
            # What each $NAME stands for in the step: env of the workflow, the job, the step.
            variables = {**workflow.get("env", {}), **job.get("env", {}), **step.get("env", {})}
            for line in re.split(r"\n(?!\s)", step.get("run", "")):
                line = " ".join(line.split())
                for match in re.finditer(r'(?:\$BERTH|"\$BERTH")\s+([^)|;&>]+)', line):
                    commands.append((match.group(1).strip(), variables))
    needed = ["tag --env dev", "deploy --phase ecr", "deploy --phase ecs", "diff --env prod", "destroy --env"]
    for fragment in needed:
        if not any(command.startswith(fragment) for command, _ in commands):
            fail(f"no step runs berth {fragment}")
    environment = {"PATH": os.environ["PATH"], "AWS_EC2_METADATA_DISABLED": "true", "HOME": "/nonexistent"}
    for command, variables in commands:
        arguments = [expand(word, variables, command) for word in shlex.split(command)]
        # Values are checked by the parser (with --help nothing runs); options by the help text,
        # since --help wins over an unknown option.
        completed = subprocess.run([BERTH] + arguments + ["--help"], capture_output=True, text=True, env=environment)
        if completed.returncode != 0:
            fail(f"berth {command}: {completed.stderr.strip()}")
        for option in (word for word in arguments if word.startswith("--")):
            if not re.search(rf"(^|\s){re.escape(option)}[\s<]", completed.stdout):
                fail(f"berth {arguments[0]} has no option {option}")
    print(f"check-workflow: {len(jobs)} jobs, {len(commands)} berth commands accepted; "
          f"{len(pins)} actions pinned to commits, permissions per job, no persisted credentials, no ${{{{ }}}} in run:")


def expand(word, variables, command):
    """A word of a berth command as the shell would pass it, a sample for each variable: $NAME
    from env: (a ${{ }} in its value standing for 1), or a commit for GitHub's GITHUB_SHA. Any
    other variable fails the check (a typo would reach berth as an empty value)."""
    def value(match):
        name = match.group(1) or match.group(2)
        if name in variables:
            return re.sub(r"\$\{\{[^}]*\}\}", "1", str(variables[name]))
        if name == "GITHUB_SHA":
            return "0123456789abcdef0123456789abcdef01234567"
        fail(f"berth {command}: ${name} is set by no env:")
    return re.sub(r"\$\{(\w+)\}|\$(\w+)", value, word).replace('"', "")


if __name__ == "__main__":
    main()
