"""CI runs the README's test command, and on CI nothing that needs ../shared skips."""

from __future__ import annotations

import re

import pytest

from .helpers import ROOT

NEEDS_IT = """
from tests.helpers import missing

def test_needs_the_corpus():
    missing("the shared corpus is not present")
"""


def test_ci_runs_the_readme_test_command():
    command = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()[-1]
    assert command == "pip install '.[test]' && python -m pytest"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(rf"^{re.escape(command)}$", readme, re.MULTILINE)


@pytest.mark.parametrize(
    ("env", "outcome"),
    [
        ({}, {"skipped": 1}),
        ({"CI": "true"}, {"failed": 1}),
        ({"NEWSCHECK_REQUIRE_CORPUS": "1"}, {"failed": 1}),
    ],
)
def test_a_missing_corpus_skips_except_on_ci(pytester, monkeypatch, env, outcome):
    monkeypatch.delenv("NEWSCHECK_REQUIRE_CORPUS", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    pytester.makepyfile(test_needs=NEEDS_IT)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-rs")
    result.assert_outcomes(**outcome)
    result.stdout.fnmatch_lines(["*the shared corpus is not present*"])
