"""Benchmark newscheck against the floor and a straightforward checker.

Builds corpora by replicating ../shared/corpus/feed into a temporary folder
(at least 30,000 files, and 120,000 for the memory figure; each copy a new
article to the checks across files, and 8 plain copies as their worst case),
then times whole processes with the standard library only (wall clock, and peak memory of the
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
import re
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


_LINK = re.compile(rb"^(\[.*\]\([a-z]+://[^/)]*)(.*\))$", re.S)


def replicate(target: Path, at_least: int, realistic: bool = True) -> int:
    """Copy the feed corpus into ``target`` until it holds ``at_least`` files,
    each copy in a folder of its own (``copyNNN/``: ids are per folder).

    Realistic (the default): every copy after the first is a new article as
    far as the checks across files can tell: a replica segment in its URL's
    path (``https://host/r3/story/...``) and one more paragraph in its content,
    so duplicates are as rare as in the real corpus and every file costs what a
    new article costs. Raw (``realistic=False``): plain copies, every file of
    a copy a duplicate of the first (the worst case of the cross-file checks).
    """
    count = 0
    copy = 0
    while count < at_least:
        for source in sorted(FEED.rglob("*.md")):
            destination = target / f"copy{copy:03}" / source.relative_to(FEED)
            destination.parent.mkdir(parents=True, exist_ok=True)
            data = source.read_bytes()
            if copy and realistic:
                lines = data.split(b"\n")
                link = _LINK.match(lines[1]) if len(lines) > 4 else None
                if link:
                    lines[1] = link[1] + f"/r{copy}".encode() + link[2]
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
        rows["c newscheck cold, no cross-file"] = median_of(
            args.repeat, [*cold, "--ignore", "NC95"], fresh_cache
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
            "the reference checker's speed (target >= 1)"
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
        cross = (
            rows["c newscheck cold default jobs"][0] / rows["c newscheck cold, no cross-file"][0]
        )
        print(f"cross-file stage:   {cross:.2f}x the wall time without it (target <= 1.05)")
        shutil.rmtree(corpus)
        raw = base / "raw"
        copies = replicate(raw, 8 * files // 9, realistic=False)
        worst = {
            "b reference checker": [python, str(HERE / "reference_checker.py"), str(raw)],
            "c newscheck cold default jobs": [*newscheck, "--cache-dir", str(cache), str(raw)],
            "c newscheck cold, no cross-file": [
                *newscheck,
                "--cache-dir",
                str(cache),
                "--ignore",
                "NC95",
                str(raw),
            ],
        }
        print(f"\nworst case, the raw copies: {copies} files, every one a duplicate")
        walls = {
            name: median_of(args.repeat, command, fresh_cache)[0] for name, command in worst.items()
        }
        for name, wall in walls.items():
            print(f"{name:34s} {wall:8.3f} s")
        ours = walls["c newscheck cold default jobs"]
        alone = walls["c newscheck cold, no cross-file"]
        print(
            f"cold, default jobs: {walls['b reference checker'] / ours:.2f}x the reference "
            f"checker's speed; cross-file stage {ours / alone:.2f}x"
        )
        shutil.rmtree(raw)
        if not args.skip_120k:
            big = base / "corpus120k"
            more = replicate(big, 120_000)
            _, peak = median_of(1, [*newscheck, "--cache-dir", str(cache), str(big)], fresh_cache)
            print(f"peak memory, {more} files: {peak:.1f} MiB (target < 150, flat)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
