"""Shared test helpers: build article texts and read diagnostics back."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NoReturn

import pytest

import newscheck

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


CONTENT = (
    "<div><i>Mon, 20 Jul 2020 17:00:00 GMT</i></div>"
    '<img src="https://images.weserv.nl?url=gdb.voanews.com/a.jpg" width="100%">'
    '<div><small style="color: #999;">资料照：布林肯在纽约。</small></div>'
    "<p>中国国家副主席韩正周三表示，中美双方进行高层对话有助于改善两国关系。</p>"
)
PARTS = {
    "timestamp": "<!--1595267727000-->",
    "title": "[韩正表态愿与美加强沟通](https://www.voachinese.com/a/7346550.html)",
    "rule": "------",
    "blank": "",
    "content": CONTENT,
}


def article(n: int | None = None, **parts: str | None) -> str:
    """A valid feed-article, with any line replaced (or dropped with None).

    ``n`` (0-99) makes it another article: its own URL (of the same length) and
    its own text, so that files of a test are not duplicates of each other
    (NC951-NC953 report those).
    """
    lines = {**PARTS, **parts}
    if n is not None:
        lines = {
            **lines,
            "title": lines["title"] and lines["title"].replace("7346550", f"73465{n:02}"),
            "content": parts.get("content", CONTENT.replace("。</p>", f"。{n}</p>")),
        }
    return "".join(line + "\n" for line in lines.values() if line is not None)


def found(text: str | bytes, schema: object = None) -> list[tuple[str, int, int]]:
    """(code, line, column) of every diagnostic of an article text."""
    if isinstance(text, bytes):
        result = newscheck.check_bytes(text, schema=schema)
    else:
        result = newscheck.check_text(text, schema=schema)
    return [(d.code, d.line, d.column) for d in result.diagnostics]


def codes(text: str | bytes, schema: object = None) -> list[str]:
    return [code for code, _, _ in found(text, schema)]
