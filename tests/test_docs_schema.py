"""docs/schema.md: every `console` block is the exact output of its commands."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys

import pytest

from .helpers import CORPUS, ROOT, missing

SCHEMA_MD = ROOT / "docs" / "schema.md"
WRITTEN_AT = "/work/main"  # the checkout the documented outputs were produced in


def _sessions() -> list[tuple[str, str]]:
    """(command, expected output) for each ``$ newscheck …`` line, with
    ``$ echo $?`` answered by the command before it."""
    text = SCHEMA_MD.read_text(encoding="utf-8")
    sessions = []
    for block in re.findall(r"^```console\n(.*?)^```", text, re.M | re.S):
        for chunk in re.split(r"^\$ ", block, flags=re.M)[1:]:
            command, _, output = chunk.partition("\n")
            sessions.append((command, output))
    return sessions


SESSIONS = _sessions()
# Outputs that the corpus rules (NC951 duplicate-url across the example files,
# from the corpus-checks work) change; that work updates them. Strict: once the
# document is right again, these pass and the marker must go.


def _run(command: str, tmp_path) -> tuple[str, int]:
    argv = shlex.split(command)
    assert argv[0] == "newscheck", command
    env = {**os.environ, "NEWSCHECK_CACHE_DIR": str(tmp_path / "cache"), "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    done = subprocess.run(
        [sys.executable, "-m", "newscheck", *argv[1:]],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
    )
    return done.stdout + done.stderr, done.returncode


def test_the_document_has_sessions():
    assert len([c for c, _ in SESSIONS if c.startswith("newscheck")]) >= 12


@pytest.mark.parametrize(
    "index", [i for i, (c, _) in enumerate(SESSIONS) if c.startswith("newscheck")]
)
def test_console_output_is_exact(index, tmp_path, request):
    command, expected = SESSIONS[index]
    if "../shared/corpus" in command and not CORPUS.is_dir():
        missing("the shared corpus (../shared/corpus) is not present")
    output, code = _run(command, tmp_path)
    assert output == expected.replace(WRITTEN_AT, str(ROOT)), command
    follows = SESSIONS[index + 1] if index + 1 < len(SESSIONS) else None
    if follows is not None and follows[0] == "echo $?":
        assert f"{code}\n" == follows[1], command


def test_links_point_at_headings_and_files():
    from .test_docs import _headings, github_anchor

    text = SCHEMA_MD.read_text(encoding="utf-8")
    anchors = {github_anchor(h.lstrip("#")) for h in _headings(text)}
    assert set(re.findall(r"\]\(#([^)]+)\)", text)) <= anchors
    for target in re.findall(r"\]\(((?:examples/|\.\./)[^)#]+)\)", text):
        assert (SCHEMA_MD.parent / target).exists(), target
