#!/usr/bin/env python3
"""`make bench`, deploy part: against a local moto server, how many AWS calls one deploy of the
sample app's dev environment makes (its shared stack, two job stacks and four service stacks, and
its migration, which moto's task ends with 0), how long berth takes to exit once the last stack
has reached its final status, the wall time of deploying 8 independent stacks (the bench app's
repositories) one at a time and side by side, and what a migration step adds to a deploy: the
same deploy with and without `runOnDeploy: before-services`, the migration a task that runs for
2 s (answered by the local stand-in for ECS's task calls, scripts/ecs_stand_in.py).

moto completes a stack inside ExecuteChangeSet, so "settled" is the moment that call is
answered; the time from there to berth's exit is what berth's polling adds. Every request goes
through a recording proxy on 127.0.0.1 in front of moto; nothing leaves this machine.
"""
import collections
import http.client
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

from ecs_stand_in import TaskStandIn
from moto_local import put_image, relay, serve, start_moto

BUILD = sys.argv[1] if len(sys.argv) > 1 else ".build-release/release"
BERTH = os.path.join(BUILD, "berth")
BENCH_APP = os.path.join(BUILD, "berth-bench-app")
SERVICES = ["web", "api", "worker", "search", "nightly"]
RUNS = 5


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.calls = []  # (answered_at, operation)

    def add(self, operation):
        with self.lock:
            self.calls.append((time.perf_counter(), operation))

    def take(self):
        with self.lock:
            calls, self.calls = self.calls, []
        return calls


def start_proxy(moto_port, recorder, latency=0.0):
    """A recording proxy in front of moto; `latency` seconds are added to every answer."""
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            time.sleep(latency)
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            target = self.headers.get("X-Amz-Target")
            operation = target.split(".")[-1] if target else urllib.parse.parse_qs(body.decode()).get("Action", ["?"])[0]
            recorder.add(operation)
            relay(self, moto_port, body)

        def log_message(self, *args):
            pass

    return serve(Handler)


def berth(arguments, env, binary=BERTH):
    started = time.perf_counter()
    completed = subprocess.run([binary] + arguments, env=env, capture_output=True, text=True)
    ended = time.perf_counter()
    if completed.returncode != 0:
        sys.exit(f"berth {' '.join(arguments)} failed ({completed.returncode}):\n{completed.stderr}")
    return started, ended


def main():
    moto, moto_port = start_moto()
    recorder = Recorder()
    proxy = start_proxy(moto_port, recorder)
    out = tempfile.mkdtemp(prefix="berth-bench-deploy-")
    env = dict(os.environ, AWS_ACCESS_KEY_ID="AKIDBENCH", AWS_SECRET_ACCESS_KEY="bench", AWS_EC2_METADATA_DISABLED="true")
    common = ["--endpoint-url", f"http://127.0.0.1:{proxy.server_port}", "--out", out, "--max-attempts", "1"]
    rows = []
    try:
        # Warm moto's lazy imports so that the first measured run is not an outlier.
        berth(["deploy", "--phase", "ecr"] + common, env)
        recorder.take()
        settle_to_exit = []
        calls_by_deploy = {}
        for run in range(RUNS):
            tag = f"dev-20261122-1000{run:02d}-abcdef{run:02d}"
            for service in SERVICES:
                put_image(moto_port, f"shop/{service}", tag)
            started, ended = berth(["deploy", "--phase", "ecs", "--env", "dev", "--image-tag", tag] + common, env)
            calls = recorder.take()
            executed = [at for at, operation in calls if operation == "ExecuteChangeSet"]
            if executed:
                settle_to_exit.append(ended - executed[-1])
            calls_by_deploy["first create" if run == 0 else "update"] = collections.Counter(op for _, op in calls)
        berth(["deploy", "--phase", "ecs", "--env", "dev", "--image-tag", tag] + common, env)
        calls_by_deploy["no changes"] = collections.Counter(op for _, op in recorder.take())
        # What a no-op deploy cost before Berth skipped unchanged stacks: a change set per stack.
        berth(["deploy", "--phase", "ecs", "--env", "dev", "--image-tag", tag, "--force"] + common, env)
        calls_by_deploy["no changes, --force (a change set per stack)"] = collections.Counter(op for _, op in recorder.take())
        migration = measure_migration(moto_port, proxy.server_port, recorder, env, out)
        # 8 independent stacks: the bench app's repository stacks, created afresh each time,
        # through a proxy that adds 100 ms to every answer, as a distant API endpoint would (moto
        # itself answers in a few milliseconds and finishes stacks inside ExecuteChangeSet).
        parallel = {}
        bench_env = dict(env, BERTH_BENCH_SERVICES="8")
        slow = start_proxy(moto_port, recorder, latency=0.1)
        slow_common = ["--endpoint-url", f"http://127.0.0.1:{slow.server_port}", "--out", out, "--max-attempts", "1"]
        for concurrency in ("1", "4"):
            walls = []
            for _ in range(3):
                reset = http.client.HTTPConnection("127.0.0.1", moto_port)
                reset.request("POST", "/moto-api/reset")
                reset.getresponse().read()
                started, ended = berth(["deploy", "--phase", "ecr", "--concurrency", concurrency] + slow_common, bench_env, BENCH_APP)
                walls.append(ended - started)
            walls.sort()
            parallel[concurrency] = walls[len(walls) // 2]
        slow.shutdown()
        recorder.take()
    finally:
        proxy.shutdown()
        moto.kill()
        shutil.rmtree(out, ignore_errors=True)
    settle_to_exit.sort()
    median = settle_to_exit[len(settle_to_exit) // 2] * 1000
    print(f"berth deploy --phase ecs --env dev of the sample app (7 stacks and its migration) against moto, {RUNS} runs")
    print(f"final status to exit: median {median:.0f} ms (min {settle_to_exit[0] * 1000:.0f}, max {settle_to_exit[-1] * 1000:.0f})")
    for name, counter in calls_by_deploy.items():
        detail = ", ".join(f"{op} {count}" for op, count in sorted(counter.items()))
        print(f"AWS calls, {name}: {sum(counter.values())} ({detail})")
    print(f"8 independent stacks (berth deploy --phase ecr of 8 repositories, 100 ms added to every answer), median of 3: "
          f"--concurrency 1 {parallel['1'] * 1000:.0f} ms, --concurrency 4 (the default) {parallel['4'] * 1000:.0f} ms")
    (without, with_) = migration
    print(f"a migration step (a task that runs 2 s), median of 3 interleaved pairs of deploys of a new image to dev: "
          f"{with_['calls'] - without['calls']} more AWS calls ({with_['detail']}), "
          f"{(with_['wall'] - without['wall']) * 1000:.0f} ms more wall time "
          f"({without['wall'] * 1000:.0f} ms without, {with_['wall'] * 1000:.0f} ms with)")


def measure_migration(moto_port, proxy_port, recorder, env, out):
    """The same deploy of a new image with and without the migration, interleaved, 3 pairs."""
    configs = {}
    for name in ("without", "with"):
        directory = tempfile.mkdtemp(prefix=f"berth-bench-{name}-")
        for file in os.listdir("stacks/environments"):
            shutil.copy(os.path.join("stacks/environments", file), directory)
        if name == "without":
            path = os.path.join(directory, "dev.yaml")
            with open(path) as handle:
                text = handle.read()
            with open(path, "w") as handle:
                handle.write(text.replace("    runOnDeploy: before-services\n", ""))
        configs[name] = directory
    stand_in = TaskStandIn(proxy_port, exit_code=0, lines=[], runs_for=2.0)
    local = dict(env, AWS_ENDPOINT_URL=f"http://127.0.0.1:{proxy_port}", AWS_ENDPOINT_URL_ECS=f"http://127.0.0.1:{stand_in.port}")
    samples = {"without": [], "with": []}
    try:
        for pair in range(3):
            for name in ("without", "with"):
                tag = f"dev-20261123-10{pair}0{0 if name == 'without' else 1}0-bench{pair}{0 if name == 'without' else 1}0"
                for service in SERVICES:
                    put_image(moto_port, f"shop/{service}", tag)
                recorder.take()
                stand_in.calls.clear()
                started, ended = berth(
                    ["deploy", "--phase", "ecs", "--env", "dev", "--image-tag", tag, "--config", configs[name], "--out", out,
                     "--max-attempts", "1"], local)
                calls = collections.Counter(op for _, op in recorder.take()) + collections.Counter(stand_in.calls)
                samples[name].append((ended - started, calls))
    finally:
        stand_in.close()
        for directory in configs.values():
            shutil.rmtree(directory, ignore_errors=True)
    result = []
    for name in ("without", "with"):
        ordered = sorted(samples[name], key=lambda sample: sample[0])
        wall, calls = ordered[len(ordered) // 2]
        result.append({"wall": wall, "calls": sum(calls.values()), "counter": calls})
    added = result[1]["counter"] - result[0]["counter"]
    result[1]["detail"] = ", ".join(f"{op} {count}" for op, count in sorted(added.items()))
    return result[0], result[1]


if __name__ == "__main__":
    main()
