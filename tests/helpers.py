"""Shared test helpers: build article texts and read diagnostics back."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path
from typing import NoReturn

import pytest

import newscheck
from newscheck.examples import CONTENT, article

__all__ = ["CONTENT", "article", "codes", "found", "missing", "write_schema"]

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"

# On CI (CI=true, as CI services set it) or with NEWSCHECK_REQUIRE_CORPUS=1,
# the tests that need ../shared or an optional tool must run: where one is
# missing, they fail instead of skipping. Read once, before any test runs.
REQUIRED = any(
    os.environ.get(name, "").lower() in ("1", "true", "yes")
    for name in ("CI", "NEWSCHECK_REQUIRE_CORPUS")
)


def missing(what: str) -> NoReturn:
    """Skip the test for want of ``what``; fail it where it must run (REQUIRED)."""
    if REQUIRED:
        pytest.fail(f"{what} (required on CI: CI or NEWSCHECK_REQUIRE_CORPUS is set)")
    pytest.skip(what)


def found(text: str | bytes, schema: object = None) -> list[tuple[str, int, int]]:
    """(code, line, column) of every diagnostic of an article text."""
    if isinstance(text, bytes):
        result = newscheck.check_bytes(text, schema=schema)
    else:
        result = newscheck.check_text(text, schema=schema)
    return [(d.code, d.line, d.column) for d in result.diagnostics]


def codes(text: str | bytes, schema: object = None) -> list[str]:
    return [code for code, _, _ in found(text, schema)]


def write_schema(tmp_path: Path, text: str, name: str = "schema.yaml") -> Path:
    """A schema file of ``text`` (dedented) in ``tmp_path``. Schemas are
    loaded once per path: give each text of one test its own ``name``."""
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path
