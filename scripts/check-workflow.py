#!/usr/bin/env python3
"""Checks examples/github-actions/berth.yml: valid YAML, the expected jobs and triggers, OIDC
credentials, a cached build, and every berth command it runs accepted by berth's own parser
(each is run with --help appended, so nothing is done)."""
import os
import re
import shlex
import subprocess
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORKFLOW = os.path.join(ROOT, "examples", "github-actions", "berth.yml")
BERTH = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build", "debug", "berth"))


def fail(message):
    sys.exit(f"check-workflow: {WORKFLOW}: {message}")


def main():
    with open(WORKFLOW) as file:
        workflow = yaml.safe_load(file)
    triggers = workflow.get(True) or workflow.get("on")  # PyYAML reads the key `on` as True
    if set(triggers or {}) != {"push", "pull_request"}:
        fail(f"expected push and pull_request triggers, got {triggers}")
    if workflow.get("permissions", {}).get("id-token") != "write":
        fail("OIDC needs permissions: id-token: write")
    jobs = workflow.get("jobs", {})
    expected = {"build", "deploy", "diff", "preview", "preview-cleanup"}
    if set(jobs) != expected:
        fail(f"expected jobs {sorted(expected)}, got {sorted(jobs)}")
    steps = [step for job in jobs.values() for step in job.get("steps", [])]
    if not any(step.get("uses", "").startswith("actions/cache@") for step in jobs["build"]["steps"]):
        fail("the build job must cache .build")
    if not all(any(s.get("uses", "").startswith("aws-actions/configure-aws-credentials@") for s in jobs[name]["steps"])
               for name in expected - {"build"}):
        fail("every job that calls AWS must get OIDC credentials")
    commands = []
    for step in steps:
        for line in re.split(r"\n(?!\s)", step.get("run", "")):
            line = " ".join(line.split())
            for match in re.finditer(r'(?:\$BERTH|"\$BERTH")\s+([^)|;&>]+)', line):
                commands.append(match.group(1).strip())
    needed = ["tag --env dev", "deploy --phase ecr", "deploy --phase ecs", "diff --env prod", "destroy --env"]
    for fragment in needed:
        if not any(command.startswith(fragment) for command in commands):
            fail(f"no step runs berth {fragment}")
    environment = {"PATH": os.environ["PATH"], "AWS_EC2_METADATA_DISABLED": "true", "HOME": "/nonexistent"}
    for command in commands:
        arguments = [re.sub(r"\$\{\{[^}]*\}\}", "x", word).replace("$PREVIEW", "pr-1").replace('"', "") for word in shlex.split(command)]
        # Values are checked by the parser (with --help nothing runs); options by the help text,
        # since --help wins over an unknown option.
        completed = subprocess.run([BERTH] + arguments + ["--help"], capture_output=True, text=True, env=environment)
        if completed.returncode != 0:
            fail(f"berth {command}: {completed.stderr.strip()}")
        for option in (word for word in arguments if word.startswith("--")):
            if not re.search(rf"(^|\s){re.escape(option)}[\s<]", completed.stdout):
                fail(f"berth {arguments[0]} has no option {option}")
    print(f"check-workflow: {len(jobs)} jobs, {len(commands)} berth commands accepted")


if __name__ == "__main__":
    main()
