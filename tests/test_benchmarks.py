"""The benchmark scripts run from a checkout (the timings themselves are not tested)."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from types import ModuleType

from .helpers import ROOT


def test_stages_accounts_for_every_file_and_every_rule():
    from newscheck.rules import all_rules

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


def mutation_script() -> ModuleType:
    """benchmarks/mutation.py, loaded as a module (it is a script, not in a package)."""
    spec = importlib.util.spec_from_file_location("mutation", ROOT / "benchmarks" / "mutation.py")
    assert spec is not None and spec.loader is not None
    mutation = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mutation)
    return mutation


def test_the_mutation_script_names_modules_and_tests_that_exist():
    mutation = mutation_script()
    files = [f"newscheck/{module.replace('.', '/')}.py" for module in mutation.CORE]
    assert [f for f in files if not (ROOT / f).is_file()] == []
    assert [t for t in [*mutation.TESTS, *mutation.COPIED] if not (ROOT / t).exists()] == []
    written = mutation.config(["suppress", "reporters.sarif"])
    assert "only_mutate=\n    newscheck/suppress.py\n    newscheck/reporters/sarif.py\n" in written
    core = mutation.CORE
    assert mutation.module_of("newscheck.reporters.sarif.x_root_uri__mutmut_1", core) == (
        "reporters.sarif"
    )
    assert mutation.module_of("newscheck.engine.xǁCheckerǁ_key__mutmut_2", core) == "engine"


def test_the_mutation_script_mutates_a_module_it_once_copied_plain(tmp_path):
    mutation = mutation_script()
    kept = tmp_path / "mutants" / "newscheck"
    kept.mkdir(parents=True)
    for name, text in (("runner.py", "plain\n"), ("engine.py", "x_check__mutmut_1 = 1\n")):
        (kept / name).write_text(text, encoding="utf-8")
    mutation.prepare(tmp_path, ["runner", "engine"])
    assert not (kept / "runner.py").exists()  # mutmut makes its mutants anew
    assert (kept / "engine.py").read_text(encoding="utf-8") == "x_check__mutmut_1 = 1\n"
    assert (tmp_path / "newscheck" / "runner.py").read_bytes() == (
        ROOT / "newscheck" / "runner.py"
    ).read_bytes()
