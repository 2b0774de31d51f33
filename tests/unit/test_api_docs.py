"""docs/api.md's examples, run as doctests from the repository's folder."""

from __future__ import annotations

import doctest

from ..helpers import ROOT


def test_the_api_documentation_s_examples_run_as_shown(monkeypatch):
    monkeypatch.chdir(ROOT)  # the examples read samples/
    failed, attempted = doctest.testfile(
        str(ROOT / "docs" / "api.md"),
        module_relative=False,
        optionflags=doctest.ELLIPSIS,
        raise_on_error=False,
        verbose=False,
    )
    assert attempted >= 20  # every example was found
    assert failed == 0
