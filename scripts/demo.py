#!/usr/bin/env python3
"""`make demo`: the sample app (web, api, worker, the search backend, the migrate and nightly
jobs) end to end against a local moto server on 127.0.0.1, nothing sent anywhere else: synth, a
tag, diff before anything exists, deploy phase 1 (a repository per service), the image gate
refusing the whole deploy while one service's image is missing, the pushes, deploy phase 2 (the
shared stack and the migration's stack, the migration, then the search backend, web and api, then
the worker, which may call them over Service Connect, then the nightly job's stack), status, a new
image tag for the api whose
migration fails (answered by a local stand-in for ECS's task calls: moto's tasks always exit 0)
and changes no service, then passes and lets the api roll out, the images with the lifecycle
preview, a preview environment made from the `preview` template, deployed and destroyed. The shop moves in
(`demo_moving_in.py`): its web repository already exists, full of images and with a mutable
`latest`; phase 1 lists what adopting it changes, then adopts it with every image (the import
answered by a local stand-in for CloudFormation: moto cannot import), `latest` stays movable and
dated tags become immutable, and the gate refuses to deploy `latest`.
"""
import os
import shutil
import subprocess
import sys
import tempfile

from demo_moving_in import MovingIn
from ecs_stand_in import TaskStandIn
from moto_local import put_image, start_moto

BERTH = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/berth"


def step(title, arguments, env, expect=0, capture=False):
    print(f"\n### {title}\n$ berth {' '.join(arguments)}", flush=True)
    completed = subprocess.run([BERTH] + arguments, env=env, stdout=subprocess.PIPE if capture else None, text=True)
    if capture:
        print(completed.stdout, end="", flush=True)
    if completed.returncode != expect:
        sys.exit(f"demo: expected exit status {expect}, got {completed.returncode}")
    return completed.stdout.strip() if capture else None


def in_plan_order(diff_text):
    """Exits unless the diff of phase 1 shows every repository stack of synth's manifest (out/),
    in its order: the app's, which a miscompiled task group once lost in the release build only."""
    import json
    with open("out/manifest.json") as file:
        planned = [stack["name"] for stack in json.load(file)["stacks"] if stack["phase"] == "ecr"]
    shown = [line.split()[1] for line in diff_text.splitlines() if line.startswith("Stack ")]
    if shown != planned:
        sys.exit(f"demo: the diff showed the stacks {shown}, not the app's repository stacks in its order: {planned}")


def preview_configuration(port):
    """The sample's environment files, with the preview template placed in moto's default VPC:
    moto cannot delete a VPC that has route-table associations (real CloudFormation can), and the
    demo destroys its preview."""
    import boto3
    ec2 = boto3.client("ec2", region_name="eu-west-1", endpoint_url=f"http://127.0.0.1:{port}",
                       aws_access_key_id="AKIDLOCAL", aws_secret_access_key="local")
    vpc = next(v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"] if v.get("IsDefault"))
    subnets = [s["SubnetId"] for s in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]][:2]
    directory = tempfile.mkdtemp(prefix="berth-demo-")
    for name in os.listdir("stacks/environments"):
        shutil.copy(os.path.join("stacks/environments", name), directory)
    path = os.path.join(directory, "preview.yaml")
    with open(path) as file:
        text = file.read()
    text = text.replace("network:\n  vpc: new\n  cidr: 10.40.0.0/16\n",
                        f"network:\n  vpc: existing\n  vpcId: {vpc}\n  publicSubnetIds: [{', '.join(subnets)}]\n")
    with open(path, "w") as file:
        file.write(text)
    return directory


def main():
    moto, port = start_moto()
    moving = None
    # Throwaway credentials for moto; instance metadata switched off.
    env = dict(os.environ, AWS_ACCESS_KEY_ID="AKIDDEMO", AWS_SECRET_ACCESS_KEY="demo", AWS_EC2_METADATA_DISABLED="true")
    env.pop("AWS_PROFILE", None)
    first, second = "dev-20261122-100000-1a2b3c4d", "dev-20261122-110000-5e6f7a8b"
    try:
        print(f"moto is listening on 127.0.0.1:{port}")
        moving = MovingIn(port)
        endpoint = ["--endpoint-url", moving.endpoint]
        step("synthesize the templates into out/", ["synth"], env)
        step("a unique, immutable tag for this commit (--allow-dirty: you may be editing this work tree)",
             ["tag", "--env", "dev", "--allow-dirty"], env, capture=True)
        compared = step("what a deploy would create: nothing exists yet", ["diff", "--phase", "ecr"] + endpoint, env, capture=True)
        in_plan_order(compared)
        step("phase 1 finds shop/web outside any stack: it lists what adopting it changes (tag mutability, the lifecycle "
             "policy and the images it would expire) and changes nothing (exit 2)", ["deploy", "--phase", "ecr"] + endpoint, env, expect=2)
        step("phase 1 with --adopt refuses while the 2 images the lifecycle policy would expire are not agreed to (exit 2)",
             ["deploy", "--phase", "ecr", "--adopt", "--yes"] + endpoint, env, expect=2)
        step("phase 1 with --adopt --expire-images 2: a repository per service, shop/web imported as it is and then updated "
             "to Berth's settings", ["deploy", "--phase", "ecr", "--adopt", "--expire-images", "2", "--yes"] + endpoint, env)
        moving.check_every_image_kept()
        moving.show_tag_rules()
        print(f"\n### CI pushes shop/web, shop/api, shop/search and shop/nightly:{first}; the worker's push has not landed")
        for service in ("web", "api", "search", "nightly"):
            put_image(port, f"shop/{service}", first)
        step("the gate refuses the whole deploy while one image is missing (exit 3); nothing changes",
             ["deploy", "--phase", "ecs", "--env", "dev", "--image-tag", first] + endpoint, env, expect=3)
        print(f"\n### CI pushes shop/worker:{first}")
        put_image(port, "shop/worker", first)
        step("the gate refuses to deploy web's `latest`, a tag that can move (exit 3); nothing changes",
             ["deploy", "--phase", "ecs", "--env", "dev", "--image-tag", first, "--image-tag", "web=latest"] + endpoint, env, expect=3)
        step("phase 2: the shared stack and the migration's stack, the migration (moto's task ends with 0), then the "
             "search backend, then web and api side by side, then the worker, then the nightly job's stack",
             ["deploy", "--phase", "ecs", "--env", "dev", "--image-tag", first] + endpoint, env)
        step("what runs where", ["status", "--env", "dev"] + endpoint, env)
        print(f"\n### CI pushes shop/api:{second}")
        put_image(port, "shop/api", second)
        step("what deploying the new api image would change",
             ["diff", "--env", "dev", "--phase", "ecs", "--service", "api", "--image-tag", f"api={second}",
              "--method", "template"] + endpoint, env)
        stand_in = TaskStandIn(port, exit_code=3, lines=["applying 0042_add_order_notes", 'ERROR: column "notes" already exists'])
        print(f"\n### a LOCAL STAND-IN for ECS's task calls (RunTask, DescribeTasks, StopTask) on 127.0.0.1:{stand_in.port} answers "
              "the next migration with exit code 3; moto answers everything else")
        failing = dict(env, AWS_ENDPOINT_URL=moving.endpoint, AWS_ENDPOINT_URL_ECS=f"http://127.0.0.1:{stand_in.port}")
        step("deploy it: the migration runs first with the new image, fails, and no service changes (exit 6)",
             ["deploy", "--phase", "ecs", "--env", "dev", "--image-tag", first, "--image-tag", f"api={second}"], failing, expect=6)
        stand_in.close()
        step("the migration is fixed (moto's task ends with 0): it passes, and only the api's stack changes",
             ["deploy", "--phase", "ecs", "--env", "dev", "--image-tag", first, "--image-tag", f"api={second}"] + endpoint, env)
        step("a one-off task with the api's task definition, as deployed (moto's task ends with 0)",
             ["run", "--env", "dev", "--service", "api"] + endpoint + ["--", "bin/console", "--check"], env)
        step("nothing left to change (--fail would exit 1 otherwise)",
             ["diff", "--env", "dev", "--phase", "ecs", "--method", "template", "--fail"] + endpoint, env)
        step("the api images a rollback could use, and what the lifecycle policy will expire",
             ["images", "--env", "dev", "--service", "api"] + endpoint, env)
        config = preview_configuration(port)
        preview = ["--env", "pr-51", "--from", "preview", "--config", config]
        tag = step("a preview environment for pull request 51, from the preview template: its tag",
                   ["tag", "--allow-dirty"] + preview, env, capture=True)
        print(f"\n### CI pushes the five images tagged {tag}")
        for service in ("web", "api", "worker", "search", "nightly"):
            put_image(port, f"shop/{service}", tag)
        step("deploy the preview", ["deploy", "--phase", "ecs", "--image-tag", tag] + preview + endpoint, env)
        step("what runs in the preview", ["status"] + preview + endpoint, env)
        step("the pull request closes: its stacks go, its images stay for the lifecycle policy",
             ["destroy", "--yes"] + preview + endpoint, env)
    finally:
        if moving:
            moving.close()
        moto.kill()


if __name__ == "__main__":
    main()
