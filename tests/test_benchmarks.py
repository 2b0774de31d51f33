"""The benchmark scripts run from a checkout (the timings themselves are not tested)."""

from __future__ import annotations

import re
import subprocess
import sys

from .helpers import ROOT


def test_stages_accounts_for_every_file_and_every_rule():
    from newscheck.diagnostics import all_rules

    folder = ROOT / "samples" / "valid"
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "stages.py"), str(folder), "--top", "3"],
        capture_output=True,
        text=True,
        check=True,
    )
    lines = done.stdout.splitlines()
    assert lines[0].startswith(f"{len(list(folder.glob('*.md')))} files, ")
    shares = [float(m[1]) for m in map(re.compile(r" +[\d.]+ us +([\d.]+)%").match, lines) if m]
    assert abs(sum(shares) - 100) < 1
    per_file = sum(1 for rule in all_rules() if not rule.corpus and rule.severity is not None)
    assert any(line.endswith(f"  {per_file} rules") for line in lines)
    assert lines[-4] == "the 3 costliest rules:" and len(lines[-3:]) == 3
