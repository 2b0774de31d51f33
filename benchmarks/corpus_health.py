"""Time and peak memory of `newscheck check`, `stats` and `report` on a corpus.

Runs each command as a separate process (wall clock, and the peak RSS of the
largest process of the tree from os.wait4), --repeat times, and prints the
fastest run of each. With --before PATH (a folder holding an older
``newscheck`` package, put first on PYTHONPATH), the same commands that the
older code has run for it too, interleaved with this code's runs so both see
the same machine load.

  python benchmarks/corpus_health.py                    # ../shared/corpus/feed
  python benchmarks/corpus_health.py --copies 34        # a 122,366-file replica in /tmp
  python benchmarks/corpus_health.py --copies 34 --before /tmp/before --repeat 3

The replica (the feed folder copied --copies times) is deleted afterwards.
To measure a snapshot, copy ``newscheck`` and ``schemas`` to a folder and
give it as --after.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FEED = ROOT.parent / "shared" / "corpus" / "feed"


def measure(command: list[str], path: str | None, where: Path) -> tuple[float, float]:
    """Wall seconds and peak MiB of one run (PYTHONPATH=path when given), from
    ``where`` (not this checkout: `python -m` would import the package from it)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = path or str(ROOT)
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=where
    )
    _, _, usage = os.wait4(process.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=0, help="replicate the feed N times")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--before", help="folder of an older newscheck to compare with")
    parser.add_argument(
        "--after",
        help="folder of the newscheck to measure (default: this checkout; give a copy when "
        "the checkout may change during the run: the cache is keyed on the code)",
    )
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="newscheck-health-"))
    try:
        corpus = FEED
        if args.copies:
            corpus = scratch / "replica"
            for copy in range(args.copies):
                shutil.copytree(FEED, corpus / f"copy{copy:02}")
        files = sum(
            sum(name.endswith(".md") for name in names)
            for folder, dirs, names in os.walk(corpus)
            if not any(part.startswith(".") for part in Path(folder).relative_to(corpus).parts)
        )
        print(f"corpus: {corpus} ({files:,} files)")
        run = [sys.executable, "-m", "newscheck"]
        commands = {
            "check, no cache": ["check", "--isolated", "--no-cache"],
            "check, cold cache": ["check", "--isolated", "--cache-dir", "{cache}"],
            "check, warm cache": ["check", "--isolated", "--cache-dir", "{cache}"],
            "check json, warm": [
                "check",
                "--isolated",
                "--output-format",
                "json",
                "--cache-dir",
                "{cache}",
            ],
            "stats, warm": ["stats", "--isolated", "--cache-dir", "{cache}"],
            "report, warm": [
                "report",
                "--isolated",
                "--cache-dir",
                "{cache}",
                "-o",
                str(scratch / "r.html"),
            ],
        }
        versions = {"after": args.after} | ({"before": args.before} if args.before else {})
        for name, options in commands.items():
            best: dict[str, tuple[float, float]] = {}
            for _ in range(args.repeat if "cold" not in name else 1):
                for label, path in versions.items():
                    if label == "before" and options[0] in ("stats", "report"):
                        continue  # the older code has no such command
                    cache = scratch / f"cache-{label}"
                    if "cold" in name:
                        shutil.rmtree(cache, ignore_errors=True)
                    command = run + [o.replace("{cache}", str(cache)) for o in options]
                    wall, peak = measure([*command, str(corpus)], path, scratch)
                    if label not in best or wall < best[label][0]:
                        best[label] = (wall, max(peak, best.get(label, (0, 0))[1]))
            shown = "  ".join(f"{label}: {w:6.2f} s {m:6.0f} MiB" for label, (w, m) in best.items())
            print(f"{name:20} {shown}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
