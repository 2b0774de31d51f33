"""What a configuration changes in one file's check, through ``newscheck
check``: per-file-ignores (globs relative to the configuration's folder, every
matching glob counted, NC011 and the time budget NC012 among the rules
ignored) and ``allow-inline-suppressions``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from newscheck.cli import main

from ..helpers import CONTENT, article
from ..patched import replace_rule, spin


def two_defects(n: int) -> str:
    """Article ``n`` (its own URL: no duplicates across files) with NC102 and NC207."""
    return article(n, timestamp="<!--NaN-->", title=f"[标题 ](https://a.example/{n})")


NC102 = "NC102 expected '<!--' + 13 digits (epoch milliseconds) + '-->', found '<!--NaN-->'"
NC207 = "NC207 expected no whitespace after the title, found some"


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A configuration in ``tmp_path`` and a folder ``sub`` below it, the working directory."""
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    return tmp_path


def configure(project: Path, text: str) -> None:
    (project / "newscheck.toml").write_text(text, encoding="utf-8")


def check(capsys, *args: str) -> tuple[int, list[str]]:
    code = main(["check", "--no-cache", "--jobs", "1", "--output-format", "concise", *args])
    return code, capsys.readouterr().out.splitlines()


def test_per_file_ignores_are_relative_to_the_configuration_and_add_up(project, capsys):
    configure(
        project,
        '[per-file-ignores]\n"sub/*.md" = ["NC102"]\n"*/a.md" = ["title-whitespace"]\n',
    )
    for n, name in enumerate(("a.md", "b.md")):
        (project / "sub" / name).write_text(two_defects(n), encoding="utf-8")
    # From sub/: a.md is sub/a.md to the configuration, matched by both globs.
    assert check(capsys, "a.md", "b.md") == (0, [f"b.md:2:4: {NC207}"])


def test_per_file_ignores_of_nc011(project, capsys):
    configure(project, '[per-file-ignores]\n"sub/quiet.md" = ["NC011"]\n')
    for n, name in enumerate(("quiet.md", "loud.md")):
        body = CONTENT.replace("。</p>", f"。{n}</p>")  # its own text: no duplicates
        unused = article(n, content=body + "<!-- newscheck: disable=NC805 -->")
        (project / "sub" / name).write_text(unused, encoding="utf-8")
    code, out = check(capsys, "quiet.md", "loud.md")
    assert (code, out) == (
        0,
        ["loud.md:5:223: NC011 expected NC805 to silence something here, found nothing"],
    )


def test_inline_suppressions_can_be_turned_off(project, capsys):
    silenced = article(
        title="[标题 ](https://a.example/x)",
        content=CONTENT + "<!-- newscheck: disable=NC207 -->",
    )
    (project / "sub" / "a.md").write_text(silenced, encoding="utf-8")
    configure(project, "allow-inline-suppressions = true\n")
    assert check(capsys, "a.md") == (0, [])
    configure(project, "allow-inline-suppressions = false\n")
    assert check(capsys, "a.md") == (0, [f"a.md:2:4: {NC207}"])


@pytest.fixture
def slow(monkeypatch):
    """Rule NC805 takes 1.3 s."""

    def check(article, options):
        spin(1.3)
        return iter(())

    replace_rule(monkeypatch, "NC805", check)


def test_per_file_ignores_of_the_time_budget(project, capsys, slow):
    """A file whose budget is ignored is checked to the end (1.3 s, within
    the worker's own deadline of 1.5 times the budget and 1 s more)."""
    configure(
        project,
        "[rules]\ncheck-time-budget = { seconds = 1 }\n"
        '[per-file-ignores]\n"sub/patient.md" = ["NC012"]\n',
    )
    for n, name in enumerate(("patient.md", "hasty.md")):
        (project / "sub" / name).write_text(two_defects(n), encoding="utf-8")
    code, out = check(capsys, "patient.md", "hasty.md")
    assert (code, out) == (
        1,
        [
            f"patient.md:1:1: {NC102}",
            f"patient.md:2:4: {NC207}",
            "hasty.md:1:1: NC012 expected the check to finish within 1 s, found it still in "
            "rule NC805 relative-link; the rest of the file was not checked",
            f"hasty.md:1:1: {NC102}",
            f"hasty.md:2:4: {NC207}",
        ],
    )
