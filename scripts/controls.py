#!/usr/bin/env python3
"""AWS Control Tower's proactive controls (cfn-guard rules) over synthesized templates.

Usage: controls.py CFN_GUARD RULES_DIR [--enforced DIR]... DIR_OR_TEMPLATE...

Every failure of a control must be accepted by the resource it names: the resource's
`Metadata.guard.SuppressedRules` lists the control's rule name, and `Metadata.guard.Reasons`
gives, under the rule's name, the control, the reason and the key that changes it. The controls themselves read no
suppression: an account that enforces them refuses such a resource all the same. Templates
under a directory given with --enforced (an environment with `controls: control-tower`) may
fail no control at all, accepted or not.
"""
import json
import os
import re
import subprocess
import sys

CONTROL_ID = re.compile(r"\[(CT\.[A-Z0-9]+\.PR\.\d+)\]")
RESOURCE_PATH = re.compile(r"^/Resources/([^/]+)")


def documents(text):
    decoder = json.JSONDecoder()
    index = 0
    while True:
        while index < len(text) and text[index].isspace():
            index += 1
        if index >= len(text):
            return
        value, index = decoder.raw_decode(text, index)
        yield value


def walk(value, rule, found):
    """Collects (control ID, resource) pairs from a failed rule's checks."""
    if isinstance(value, dict):
        messages = value.get("messages")
        if isinstance(messages, dict):
            match = CONTROL_ID.search(messages.get("custom_message") or "")
            if match:
                rule = (rule[0], match.group(1))
        path = value.get("path")
        if isinstance(path, str):
            match = RESOURCE_PATH.match(path)
            if match:
                found.add((rule, match.group(1)))
        for child in value.values():
            walk(child, rule, found)
    elif isinstance(value, list):
        for child in value:
            walk(child, rule, found)


def failures(guard, rules, template):
    """The (rule name, control ID, resource) of every failed control in `template`."""
    run = subprocess.run([guard, "validate", "--rules", rules, "--data", template,
                          "--output-format", "json", "--show-summary", "none"],
                         capture_output=True, text=True)
    if run.returncode not in (0, 19):
        sys.exit(f"controls: cfn-guard failed on {template} (exit {run.returncode}): {run.stderr.strip()}")
    result = set()
    for report in documents(run.stdout):
        for failed in report.get("not_compliant", []):
            name = failed.get("Rule", {}).get("name", "?")
            found = set()
            walk(failed, (name, None), found)
            if not found:
                result.add((name, None, None))
            for (rule_name, control), resource in found:
                result.add((rule_name, control, resource))
    return result


def accepted(template_resources, rule, resource):
    """The reason `resource` records for failing `rule`, or None."""
    guard = ((template_resources.get(resource) or {}).get("Metadata") or {}).get("guard") or {}
    if rule not in (guard.get("SuppressedRules") or []):
        return None
    reason = (guard.get("Reasons") or {}).get(rule) or {}
    text = reason.get("Reason") if isinstance(reason, dict) else None
    return text if isinstance(text, str) and text.strip() else None


def load(template):
    with open(template) as handle:
        if template.endswith(".json"):
            return json.load(handle)
    # YAML templates: cfn-guard reads them; their resources' metadata is read from the JSON twin
    # when there is one, else with cfn-lint's YAML reader.
    from cfnlint.decode import decode  # noqa: PLC0415
    document, problems = decode(template)
    if problems:
        sys.exit(f"controls: cannot read {template}: {problems}")
    return document


def templates(path):
    if os.path.isfile(path):
        return [path]
    return sorted(os.path.join(path, name) for name in os.listdir(path)
                  if ".template." in name and name.endswith((".json", ".yaml")))


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    guard, rules = argv[0], argv[1]
    enforced, paths = [], []
    arguments = iter(argv[2:])
    for argument in arguments:
        if argument == "--enforced":
            enforced.append(next(arguments))
        else:
            paths.append(argument)
    problems, accepted_count, checked = [], 0, 0
    for directory, strict in [(p, False) for p in paths] + [(p, True) for p in enforced]:
        for template in templates(directory):
            checked += 1
            resources = (load(template) or {}).get("Resources") or {}
            for rule, control, resource in sorted(failures(guard, rules, template), key=str):
                label = f"{template}: {control or rule} ({rule}) on {resource or 'the template'}"
                if strict:
                    problems.append(f"{label}: fails under controls: control-tower")
                    continue
                if resource is not None and accepted(resources, rule, resource):
                    accepted_count += 1
                    continue
                problems.append(f"{label}: not recorded in Metadata.guard.SuppressedRules with a reason")
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        sys.exit(f"controls: {len(problems)} failure(s) not accepted over {checked} template(s)")
    print(f"controls: {checked} templates, every failure accepted with its reason ({accepted_count} accepted); "
          f"none under --enforced ({', '.join(enforced) or 'none given'})")


if __name__ == "__main__":
    main(sys.argv[1:])
