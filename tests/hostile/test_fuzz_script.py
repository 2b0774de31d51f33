"""fuzz/check_bytes.py as docs/robustness.md tells to run it (needs atheris,
which the test extras install on Linux; skipped without it, except on CI)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

from tests.helpers import ROOT, missing

SCRIPT = ROOT / "fuzz" / "check_bytes.py"


def fuzz(*arguments, cwd):
    if importlib.util.find_spec("atheris") is None:
        missing("atheris is not installed")
    command = [sys.executable, str(SCRIPT), *map(str, arguments)]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, timeout=120)


def test_a_short_run_from_the_default_seeds(tmp_path):
    seeds = [p for d in ("samples", "docs/examples") for p in (ROOT / d).rglob("*") if p.is_file()]
    runs = len(seeds) + 50  # libFuzzer counts the seeds' runs too
    run = fuzz("--corpus", tmp_path / "corpus", "--", f"-runs={runs}", cwd=tmp_path)
    assert run.returncode == 0, run.stderr[-2000:]
    assert f"{len(seeds)} seed files" in run.stderr
    assert f"Done {runs} runs" in run.stderr
    assert len(list((tmp_path / "corpus").iterdir())) >= len(seeds)


def test_replaying_a_found_input(tmp_path):
    found = tmp_path / "crash-1"
    found.write_bytes(b"---\ntitle: a\x0c\n---\n")  # tests/hostile/test_fuzz_regressions.py
    run = fuzz("--", found, cwd=tmp_path)
    assert run.returncode == 0, run.stderr[-2000:]
    assert f"Executed {found}" in run.stderr
