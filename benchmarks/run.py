"""Benchmark newscheck against the floor and a straightforward checker.

Builds corpora by replicating ../shared/corpus/feed into a temporary folder
(at least 30,000 files, and 120,000 for the memory figure), then times whole
processes with the standard library only (wall clock, and peak memory of the
largest process from os.wait4), taking the median of --repeat runs:

  (a) floor: Python reading every file and doing nothing else
  (b) reference: benchmarks/reference_checker.py (regex + lxml + jsonschema, one process)
  (c) newscheck cold, --jobs 1 and default jobs (a fresh cache folder each run),
      and with --no-cache
  (d) newscheck with a warm cache
  (e) single-file latency of `newscheck check` on the seed file
  (f) peak memory at 30k and at 120k files

Usage: python benchmarks/run.py [--repeat 3] [--skip-120k]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FEED = ROOT.parent / "shared" / "corpus" / "feed"
SEED = ROOT.parent / "shared" / "corpus" / "seed" / "000_9d3caddefaca2668.txt"
FLOOR = """
import os, sys
for root, dirs, files in os.walk(sys.argv[1]):
    dirs.sort()
    for name in sorted(files):
        if name.endswith(".md"):
            with open(os.path.join(root, name), "rb") as handle:
                handle.read()
"""


def replicate(target: Path, at_least: int) -> int:
    """Copy the feed corpus into ``target`` until it holds ``at_least`` files.

    Every copy after the first gets its own URL (``?copy=N``) and one more
    paragraph, so the replica has no duplicates the real corpus does not have:
    neither the cross-file checks nor the content-keyed cache see 9 copies of
    each article, and every file costs what a new article costs.
    """
    count = 0
    copy = 0
    while count < at_least:
        for source in sorted(FEED.rglob("*.md")):
            destination = target / f"copy{copy:03}" / source.relative_to(FEED)
            destination.parent.mkdir(parents=True, exist_ok=True)
            data = source.read_bytes()
            if copy:
                lines = data.split(b"\n")
                if len(lines) > 4 and lines[1].endswith(b")"):
                    lines[1] = lines[1][:-1] + f"?copy={copy})".encode()
                    lines[4] += f"<p>副本 {copy}</p>".encode()
                data = b"\n".join(lines)
            destination.write_bytes(data)
            count += 1
        copy += 1
    return count


# Every run may read and write Python's bytecode cache, as on a user's machine
# (an environment that forbids writing it would time the compiler instead).
ENVIRONMENT = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def measure(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak MiB (largest process of the tree) of one run."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENVIRONMENT
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        raise SystemExit(f"{command} failed with exit code {process.returncode}")
    return wall, usage.ru_maxrss / 1024


def median_of(repeat: int, command: list[str], before: object = None) -> tuple[float, float]:
    walls, peaks = [], []
    for _ in range(repeat):
        if callable(before):
            before()
        wall, peak = measure(command)
        walls.append(wall)
        peaks.append(peak)
    return statistics.median(walls), max(peaks)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-120k", action="store_true", help="leave out the 120,000-file run")
    args = parser.parse_args()
    if not FEED.is_dir():
        print(f"the corpus is not at {FEED}", file=sys.stderr)
        return 2
    python = sys.executable
    newscheck = [python, "-m", "newscheck", "check", "--isolated", "--progress", "never"]
    with tempfile.TemporaryDirectory(prefix="newscheck-bench-") as scratch:
        base = Path(scratch)
        corpus = base / "corpus30k"
        files = replicate(corpus, 30_000)
        cache = base / "cache"

        def fresh_cache() -> None:
            shutil.rmtree(cache, ignore_errors=True)

        print(f"corpus: {files} files; machine: {os.cpu_count()} cores; repeat {args.repeat}")
        rows = {}
        rows["a floor (read every file)"] = median_of(
            args.repeat, [python, "-c", FLOOR, str(corpus)]
        )
        rows["b reference checker"] = median_of(
            args.repeat, [python, str(HERE / "reference_checker.py"), str(corpus)]
        )
        cold = [*newscheck, "--cache-dir", str(cache), str(corpus)]
        rows["c newscheck cold --jobs 1"] = median_of(
            args.repeat, [*cold, "--jobs", "1"], fresh_cache
        )
        rows["c newscheck cold default jobs"] = median_of(args.repeat, cold, fresh_cache)
        rows["c newscheck --no-cache"] = median_of(
            args.repeat, [*newscheck, "--no-cache", str(corpus)]
        )
        measure(cold)  # fill the cache
        rows["d newscheck warm cache"] = median_of(args.repeat, cold)
        measure([*newscheck, "--no-cache", str(SEED)])  # a first run writes the bytecode cache
        rows["e single file (seed)"] = median_of(
            max(args.repeat, 5), [*newscheck, "--no-cache", str(SEED)]
        )
        for name, (wall, peak) in rows.items():
            print(f"{name:34s} {wall:8.3f} s   peak {peak:6.1f} MiB")
        floor, reference = rows["a floor (read every file)"][0], rows["b reference checker"][0]
        print()
        print(
            f"cold, default jobs: {reference / rows['c newscheck cold default jobs'][0]:.2f}x "
            "the reference checker's speed (target >= 2)"
        )
        print(
            f"cold, --jobs 1:     {reference / rows['c newscheck cold --jobs 1'][0]:.2f}x "
            "the reference checker's speed"
        )
        print(
            f"warm cache:         {rows['d newscheck warm cache'][0] / floor:.2f}x "
            "the floor's time (target <= 1.5)"
        )
        print(f"single file:        {1000 * rows['e single file (seed)'][0]:.0f} ms (target < 150)")
        print(f"peak memory, {files} files: {rows['c newscheck cold default jobs'][1]:.1f} MiB")
        if not args.skip_120k:
            big = base / "corpus120k"
            more = replicate(big, 120_000)
            shutil.rmtree(corpus)
            _, peak = median_of(1, [*newscheck, "--cache-dir", str(cache), str(big)], fresh_cache)
            print(f"peak memory, {more} files: {peak:.1f} MiB (target < 150, flat)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
