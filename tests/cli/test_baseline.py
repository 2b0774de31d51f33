"""Baselines as a user writes, reads and keeps them (no corpus needed)."""

from __future__ import annotations

import pytest

from newscheck.cli import main

from ..helpers import CONTENT, article

TWICE = '<p><a href="/x">a</a><a href="/x">b</a></p>'  # one defect twice: NC805, NC805
X = "93009f5ddc0bb9b4"  # the fingerprint of NC805 on '<a href="/x">'


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "文章").mkdir()
    (tmp_path / "文章" / "x.md").write_text(article(4, content=CONTENT + TWICE), "utf-8")
    (tmp_path / "out").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(capsys, *args):
    code = main(["check", "--isolated", "--no-cache", "--jobs", "1", *args, "文章"])
    return code, capsys.readouterr()


def test_the_baseline_file_is_readable_json_with_paths_relative_to_it(project, capsys):
    assert check(capsys, "--write-baseline", "out/base.json")[0] == 0
    assert (project / "out" / "base.json").read_bytes().decode("utf-8") == (
        '{\n "version": 1,\n "tool": "newscheck",\n "entries": [\n  {\n'
        '   "path": "../文章/x.md",\n   "code": "NC805",\n'
        f'   "fingerprint": "{X}",\n   "count": 2\n  }}\n ]\n}}\n'
    )
    assert [p.name for p in (project / "out").iterdir()] == ["base.json"]  # no temporary left


def test_each_recorded_repeat_silences_one_and_a_new_one_shows(project, capsys):
    check(capsys, "--write-baseline", "out/base.json")
    code, shown = check(capsys, "--baseline", "out/base.json")
    assert (code, shown.out) == (
        0,
        "Checked 1 file: 0 errors, 0 warnings, 0 info (0 with errors).\n",
    )
    three = article(4, content=CONTENT + TWICE.replace("</p>", '<a href="/x">c</a></p>'))
    (project / "文章" / "x.md").write_text(three, "utf-8")
    code, shown = check(capsys, "--baseline", "out/base.json")
    assert (code, shown.out) == (
        0,
        "文章/x.md:5:261: NC805 relative-link [warning] expected an absolute address in href, "
        "found relative '/x'\n"
        "Checked 1 file: 0 errors, 1 warning, 0 info (0 with errors).\n",
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"version": 2, "entries": []}', "bad.json: not a version 1 newscheck baseline"),
        ('{"version": 1}', "bad.json: not a newscheck baseline ('entries')"),
        (
            "not json",
            "bad.json: not a newscheck baseline (Expecting value: line 1 column 1 (char 0))",
        ),
    ],
)
def test_a_file_that_is_not_a_baseline_is_a_clear_error(project, capsys, content, message):
    (project / "bad.json").write_text(content, "utf-8")
    code, shown = check(capsys, "--baseline", "bad.json")
    assert (code, shown.out, shown.err) == (2, "", f"newscheck: {message}\n")
