#!/usr/bin/env python3
"""`make bench`: times `berth synth` and `berth diff` (release build) and reports median wall
time and peak memory.

First, `berth synth --env dev` of the sample app against a floor (`berth-floor`, Benchmarks/Floor:
a Swift program built the same way that starts Foundation and writes one small JSON file): the two
run interleaved in the same run, each writing into a fresh directory of the same parent on the
same disk, and the ratio of their medians must stay within FLOOR_RATIO_TARGET. For reference, the
floor also runs doing synth's file work and nothing else (`--read`, `--files`, `--bytes`).

Runs synth for the sample app, then for the generated bench app with 10, 50, 100 and 500 services
in a dev and a prod environment (each service has a repository stack and a service stack per
environment; each environment has a shared stack); then `berth diff`
of the sample app's service stack against a template file that differs in a port and a count.
Every run writes into a fresh directory under one scratch directory on this machine (the system's
temporary directory, or BERTH_BENCH_DIR), which is deleted only when the bench ends: this machine's
ext4 has no journal, so a file created soon after others were deleted nearby costs far more (the
README's Benchmark section), and runs that deleted their output would slow the runs after them.
Nothing goes over the network.
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

BUILD = sys.argv[1] if len(sys.argv) > 1 else ".build-release/release"
SAMPLE_TARGET_MS = 15.0
SAMPLE_TARGET_MIB = 15.0
DIFF_TARGET_MS = 20.0
FLOOR_RATIO_TARGET = 1.5
FLOOR_RUNS = int(os.environ.get("BERTH_BENCH_FLOOR_RUNS", "200"))


def spawn_wall(argv, env, out):
    """One run of argv + [--out, out], standard output to /dev/null: (wall seconds from
    posix_spawn to the child's exit, the child's user + system CPU seconds). posix_spawn rather
    than subprocess, so that little of Python's own cost lands in the time of either program."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        start = time.perf_counter()
        pid = os.posix_spawn(argv[0], argv + ["--out", out], env, file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 1)])
        _, status, usage = os.wait4(pid, 0)
        wall = time.perf_counter() - start
    finally:
        os.close(devnull)
    if os.waitstatus_to_exitcode(status) != 0:
        completed = subprocess.run(argv + ["--out", out], capture_output=True)
        sys.exit(f"{' '.join(argv)} failed ({os.waitstatus_to_exitcode(status)}): {completed.stderr.decode()}")
    return wall, usage.ru_utime + usage.ru_stime


def fresh_directory(scratch):
    """A new, empty directory's path under scratch (made by the program that writes into it)."""
    return os.path.join(tempfile.mkdtemp(prefix="run-", dir=scratch), "out")


def against_floor(berth, floor, runs, scratch):
    """`berth synth --env dev` and the floor, interleaved (ABBA, so that neither always runs
    first), each into a fresh directory under scratch; prints the median and minimum wall
    time and the median CPU time of each, and returns the ratio of the median wall times.

    The floor runs a second way in the same rotation, for reference only: doing the file work
    synth does (the environment files read, as many files of as many bytes written as berth's
    first run wrote, each staged and renamed, the directory listed) and nothing else. Its ratio
    says how far berth is from the I/O its output needs."""
    env = dict(os.environ)
    parent = tempfile.mkdtemp(prefix="floor-", dir=scratch)
    commands = {"berth": [berth, "synth", "--env", "dev"], "floor": [floor]}
    spawn_wall(commands["berth"], env, os.path.join(parent, "warm-berth"))  # warm the page cache
    written = [os.path.join(parent, "warm-berth", name) for name in os.listdir(os.path.join(parent, "warm-berth"))]
    configuration = next(path for path in ("environments", "stacks/environments") if os.path.isdir(path))
    commands["floor-io"] = [floor, "--read", configuration, "--files", str(len(written)),
                            "--bytes", str(sum(os.path.getsize(path) for path in written))]
    samples = {name: [] for name in commands}
    for name in ("floor", "floor-io"):
        spawn_wall(commands[name], env, os.path.join(parent, f"warm-{name}"))
    for index in range(runs):
        order = ["berth", "floor"] if index % 4 in (0, 3) else ["floor", "berth"]
        order.insert(index % 3, "floor-io")
        for name in order:
            samples[name].append(spawn_wall(commands[name], env, os.path.join(parent, f"{name}-{index}")))
    medians = {}
    print(f"{'interleaved':<36} {'runs':>4} {'median ms':>10} {'min ms':>9} {'CPU ms':>9}")
    labels = (("berth", "berth synth --env dev"), ("floor", "floor (Foundation, 1 JSON)"),
              ("floor-io", f"floor with synth's I/O ({len(written)} files)"))
    for name, label in labels:
        walls = [wall for wall, _ in samples[name]]
        medians[name] = statistics.median(walls) * 1000
        cpu = statistics.median(cpu for _, cpu in samples[name]) * 1000
        print(f"{label:<36} {runs:>4} {medians[name]:>10.2f} {min(walls) * 1000:>9.2f} {cpu:>9.2f}")
    ratio = medians["berth"] / medians["floor"]
    verdict = "within" if ratio <= FLOOR_RATIO_TARGET else "OVER"
    print(f"berth synth --env dev / floor: {ratio:.2f}x: {verdict} the target of {FLOOR_RATIO_TARGET}x")
    print(f"for reference: floor with synth's I/O / floor: {medians['floor-io'] / medians['floor']:.2f}x; "
          f"berth / floor with synth's I/O: {medians['berth'] / medians['floor-io']:.2f}x")
    return ratio


def run_once(command, env, scratch, writes_out=True):
    """Runs command once; returns (wall seconds, peak RSS in MiB).

    Wall time is taken around a direct spawn. Peak memory comes from GNU time's %M in a
    separate run: a child of this Python process would report Python's own resident size as
    its peak (Linux carries the pre-exec high-water mark across exec).
    """
    def out_flag(out):
        return ["--out", out] if writes_out else []

    start = time.perf_counter()
    completed = subprocess.run(command + out_flag(fresh_directory(scratch)), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    if completed.returncode != 0:
        sys.exit(f"{' '.join(command)} failed: {completed.stderr.decode()}")
    with tempfile.NamedTemporaryFile("r") as report:
        subprocess.run(["/usr/bin/time", "-f", "%M", "-o", report.name] + command + out_flag(fresh_directory(scratch)),
                       env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        peak_kib = int(report.read().strip().splitlines()[-1])
    return wall, peak_kib / 1024.0


def measure(label, command, runs, scratch, env=None, writes_out=True):
    env = dict(os.environ, **(env or {}))
    run_once(command, env, scratch, writes_out)  # warm the page cache
    samples = [run_once(command, env, scratch, writes_out) for _ in range(runs)]
    walls = [wall for wall, _ in samples]
    peak = max(rss for _, rss in samples)
    median_ms = statistics.median(walls) * 1000
    print(f"{label:<28} {runs:>4} {median_ms:>10.1f} {min(walls) * 1000:>9.1f} {peak:>10.1f}")
    return median_ms, peak


def main():
    with tempfile.TemporaryDirectory(prefix="berth-bench-", dir=os.environ.get("BERTH_BENCH_DIR")) as scratch:
        run(scratch)


def run(scratch):
    berth = os.path.join(BUILD, "berth")
    bench_app = os.path.join(BUILD, "berth-bench-app")
    floor_ratio = against_floor(berth, os.path.join(BUILD, "berth-floor"), FLOOR_RUNS, scratch)
    print()
    print(f"{'berth synth':<28} {'runs':>4} {'median ms':>10} {'min ms':>9} {'peak MiB':>10}")
    sample_ms, sample_mib = measure("sample app (19 stacks)", [berth, "synth"], runs=30, scratch=scratch)
    per_service = []
    for services in (10, 50, 100, 500):
        runs = 10 if services < 500 else 5
        median_ms, _ = measure(
            f"{services} services ({services * 3 + 2} stacks)", [bench_app, "synth"], runs, scratch,
            env={"BERTH_BENCH_SERVICES": str(services)})
        per_service.append((services, median_ms))
    print()
    for services, median_ms in per_service:
        print(f"{services:>4} services: {median_ms / services:.2f} ms per service")
    verdict = "within" if sample_ms <= SAMPLE_TARGET_MS and sample_mib <= SAMPLE_TARGET_MIB else "OVER"
    print(f"sample app: {sample_ms:.1f} ms, {sample_mib:.1f} MiB: {verdict} the target of "
          f"{SAMPLE_TARGET_MS:.0f} ms and {SAMPLE_TARGET_MIB:.0f} MiB")

    print()
    print(f"{'berth diff --template':<28} {'runs':>4} {'median ms':>10} {'min ms':>9} {'peak MiB':>10}")
    out = fresh_directory(scratch)
    subprocess.run([berth, "synth", "--out", out, "--stack", "shop-api-dev"], stdout=subprocess.DEVNULL, check=True)
    with open(os.path.join(out, "shop-api-dev.template.json")) as file:
        template = json.load(file)
    template["Resources"]["TargetGroup"]["Properties"]["Port"] = 9090
    template["Resources"]["Service"]["Properties"]["DesiredCount"] = 3
    deployed = os.path.join(out, "deployed.json")
    with open(deployed, "w") as file:
        json.dump(template, file, indent=2)
    diff_ms, _ = measure("sample app, service stack", [berth, "diff", "--stack", "shop-api-dev", "--template", deployed],
                         runs=30, scratch=scratch, writes_out=False)
    verdict = "within" if diff_ms <= DIFF_TARGET_MS else "OVER"
    print(f"diff against a template file: {diff_ms:.1f} ms: {verdict} the target of {DIFF_TARGET_MS:.0f} ms")
    if floor_ratio > FLOOR_RATIO_TARGET:
        sys.exit(f"berth synth --env dev is {floor_ratio:.2f}x the floor, over {FLOOR_RATIO_TARGET}x")


if __name__ == "__main__":
    main()
