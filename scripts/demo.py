#!/usr/bin/env python3
"""`make demo`: the sample app (web, api and worker) end to end against a local moto server on
127.0.0.1, nothing sent anywhere else: synth, diff before anything exists, deploy phase 1 (a
repository per service), the image gate refusing the whole deploy while one service's image is
missing, the pushes, deploy phase 2 (the shared stack, then the three services side by side), then
diff and deploy of a new image tag for the api alone.
"""
import os
import subprocess
import sys

from moto_local import put_image, start_moto

BERTH = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/berth"


def step(title, arguments, env, expect=0):
    print(f"\n### {title}\n$ berth {' '.join(arguments)}", flush=True)
    completed = subprocess.run([BERTH] + arguments, env=env)
    if completed.returncode != expect:
        sys.exit(f"demo: expected exit status {expect}, got {completed.returncode}")


def main():
    moto, port = start_moto()
    endpoint = ["--endpoint-url", f"http://127.0.0.1:{port}"]
    # Throwaway credentials for moto; instance metadata switched off.
    env = dict(os.environ, AWS_ACCESS_KEY_ID="AKIDDEMO", AWS_SECRET_ACCESS_KEY="demo", AWS_EC2_METADATA_DISABLED="true")
    env.pop("AWS_PROFILE", None)
    first, second = "dev-20261122-100000-1a2b3c4d", "dev-20261122-110000-5e6f7a8b"
    try:
        print(f"moto is listening on 127.0.0.1:{port}")
        step("synthesize the templates into out/", ["synth"], env)
        step("what a deploy would create: nothing exists yet", ["diff", "--phase", "ecr"] + endpoint, env)
        step("phase 1: a repository per service", ["deploy", "--phase", "ecr"] + endpoint, env)
        print(f"\n### CI pushes shop/web:{first} and shop/api:{first}; the worker's push has not landed")
        put_image(port, "shop/web", first)
        put_image(port, "shop/api", first)
        step("the gate refuses the whole deploy while one image is missing (exit 3); nothing changes",
             ["deploy", "--phase", "ecs", "--env", "dev", "--image-tag", first] + endpoint, env, expect=3)
        print(f"\n### CI pushes shop/worker:{first}")
        put_image(port, "shop/worker", first)
        step("phase 2: the shared stack, then the three services side by side",
             ["deploy", "--phase", "ecs", "--env", "dev", "--image-tag", first] + endpoint, env)
        print(f"\n### CI pushes shop/api:{second}")
        put_image(port, "shop/api", second)
        step("what deploying the new api image would change",
             ["diff", "--env", "dev", "--phase", "ecs", "--service", "api", "--image-tag", f"api={second}",
              "--method", "template"] + endpoint, env)
        step("deploy it: only the api's stack changes",
             ["deploy", "--phase", "ecs", "--env", "dev", "--image-tag", first, "--image-tag", f"api={second}"] + endpoint, env)
        step("nothing left to change (--fail would exit 1 otherwise)",
             ["diff", "--env", "dev", "--phase", "ecs", "--method", "template", "--fail"] + endpoint, env)
        step("the api images a rollback could use", ["images", "--env", "dev", "--service", "api"] + endpoint, env)
    finally:
        moto.kill()


if __name__ == "__main__":
    main()
