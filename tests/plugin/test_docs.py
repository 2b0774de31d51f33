"""docs/pytest.md: its worked example runs as the document says."""

from __future__ import annotations

import re
import shlex

from ..helpers import ROOT
from .conftest import write

DOC = (ROOT / "docs" / "pytest.md").read_text(encoding="utf-8")
FILES = re.findall(r"^```\w+ file=(\S+)\n(.*?)^```", DOC, re.M | re.S)
RUNS = re.findall(r"^```console\n\$ (pytest [^\n]*)\n(.*?)^```", DOC, re.M | re.S)


def normal(lines):
    """Output without what changes from run to run or with the terminal's width."""
    shown = []
    for line in lines:
        line = re.sub(r" in [0-9.]+s$", " in Ns", line)
        line = re.sub(r"([=_-])\1{2,}", r"\1\1\1", line)
        shown.append(re.sub(r" +\[100%\]$", " [100%]", line))
    return shown


def test_the_worked_example_runs_as_documented(pytester):
    assert [path for path, _ in FILES] == [
        "pyproject.toml",
        "feedscraper/__init__.py",
        "feedscraper/render.py",
        "tests/test_render.py",
        "corpus/voa/7346550.md",
        "corpus/voa/7346551.md",
    ]
    for path, text in FILES:
        # fewer examples than the document's 50: the output is the same
        write(pytester, path, text.replace("max_examples=50", "max_examples=5"))
    assert len(RUNS) == 2
    for command, output in RUNS:
        result = pytester.runpytest(*shlex.split(command)[1:])
        assert normal(result.stdout.lines) == normal(output.splitlines())
