"""File names that are not UTF-8, and the files newscheck writes.

A name's bytes that are not UTF-8 (held by Python as lone surrogates) are
written ``\\xNN`` in every output (``%NN`` in a URI); every command takes
them. The files newscheck writes (a baseline, the HTML report) are replaced
atomically: the mode and a symbolic link of the file named stay, and nothing
is left behind when the write fails.
"""

from __future__ import annotations

import json
import os
import stat

import pytest

from newscheck.cli import main

from ..helpers import article

BAD = b"a\xff.md"


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """cwd = tmp_path, holding ``a\\xff.md`` (not an article) and a sound article."""
    monkeypatch.chdir(tmp_path)
    with open(BAD, "wb") as handle:
        handle.write(b"x\n")
    (tmp_path / "good.md").write_text(article(1), encoding="utf-8")
    return tmp_path


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (["check", "."], "./a\\xff.md:1:1: NC101 missing-timestamp [error]"),
        (["check", ".", "--show-source"], "./a\\xff.md:1:1: NC101 missing-timestamp [error]"),
        (["check", ".", "--output-format", "concise"], "./a\\xff.md:1:1: NC101 "),
        (["check", ".", "--output-format", "json"], '"path": "./a\\\\xff.md"'),
        (["check", ".", "--output-format", "jsonl"], '"path": "./a\\\\xff.md"'),
        (["check", ".", "--output-format", "github"], "::error file=./a\\xff.md,line=1,"),
        (["check", ".", "--output-format", "gitlab"], '"path": "a\\\\xff.md"'),
        (["check", ".", "--output-format", "sarif"], '"uri": "a%FF.md"'),
        (["check", ".", "--output-format", "junit"], 'name="./a\\xff.md"'),
        (["check", ".", "--statistics"], "./a\\xff.md:1:1: NC101 "),
    ],
)
def test_every_output_format_shows_the_name_escaped(folder, capsys, args, shown):
    code, out, err = run(capsys, *args)
    assert (code, err) == (1, "")
    assert shown in out
    out.encode("utf-8")  # no lone surrogate reaches the output


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_stats_takes_the_name_in_every_format(folder, capsys, fmt):
    code, out, err = run(capsys, "stats", ".", "--format", fmt)
    assert (code, err) == (0, "")
    out.encode("utf-8")


def test_each_format_to_a_file_is_utf8(folder, capsys):
    formats = ["json", "jsonl", "github", "gitlab", "sarif", "junit", "concise"]
    specs = [item for f in formats for item in ("--output-format", f"{f}:out.{f}")]
    assert run(capsys, "check", ".", *specs) == (1, "", "")
    for fmt in formats:
        text = (folder / f"out.{fmt}").read_bytes().decode("utf-8")
        assert "a\\xff.md" in text or "a%FF.md" in text or "a\\\\xff.md" in text, fmt


def test_the_html_report_names_and_links_the_file(folder, capsys):
    code, out, err = run(capsys, "report", ".", "-o", "r.html")
    assert (code, err) == (0, "")
    assert out == "Wrote r.html: 2 files, 2 sources, 0 drift findings.\n"
    page = (folder / "r.html").read_bytes().decode("utf-8")
    assert '<a href="a%FF.md">./a\\xff.md</a>' in page


def test_a_baseline_holds_the_name_and_filters_it(folder, capsys):
    code, out, err = run(capsys, "check", ".", "--write-baseline", "b.json")
    assert (code, out, err) == (0, "Wrote 5 diagnostics in 2 files to b.json.\n", "")
    entries = json.loads((folder / "b.json").read_text(encoding="utf-8"))["entries"]
    assert {e["path"] for e in entries} == {"a\\xff.md"}
    assert run(capsys, "check", ".", "--baseline", "b.json") == (
        0,
        "Checked 2 files: 0 errors, 0 warnings, 0 info (0 with errors).\n",
        "",
    )
    assert not [name for name in os.listdir(folder) if name.startswith(".b.json")]


def test_the_cache_takes_the_name(folder, capsys, monkeypatch, tmp_path_factory):
    monkeypatch.setenv("NEWSCHECK_CACHE_DIR", str(tmp_path_factory.mktemp("c") / "cache"))
    first = run(capsys, "check", ".")
    assert first[0] == 1 and "./a\\xff.md:1:1: NC101" in first[1]
    assert run(capsys, "check", ".") == first  # replayed from the cache


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o600])
def test_rewriting_a_baseline_keeps_its_mode(folder, capsys, mode):
    (folder / "b.json").write_text("{}\n")
    os.chmod(folder / "b.json", mode)
    assert run(capsys, "check", ".", "--write-baseline", "b.json")[0] == 0
    assert stat.S_IMODE(os.stat(folder / "b.json").st_mode) == mode
    assert json.loads((folder / "b.json").read_text())["tool"] == "newscheck"


def test_a_new_baseline_gets_the_usual_mode(folder, capsys):
    old = os.umask(0o022)
    try:
        assert run(capsys, "check", ".", "--write-baseline", "b.json")[0] == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(folder / "b.json").st_mode) == 0o644


def test_a_baseline_that_is_a_link_is_written_through(folder, capsys):
    (folder / "real").mkdir()
    (folder / "real" / "base.json").write_text("{}\n")
    (folder / "b.json").symlink_to("real/base.json")
    assert run(capsys, "check", ".", "--write-baseline", "b.json")[0] == 0
    assert os.readlink(folder / "b.json") == "real/base.json"
    entries = json.loads((folder / "real" / "base.json").read_text())["entries"]
    assert {e["path"] for e in entries} == {"a\\xff.md"}  # relative to the name given
    assert sorted(os.listdir(folder / "real")) == ["base.json"]


@pytest.mark.parametrize("command", ["baseline", "report"])
def test_a_failed_write_leaves_nothing_behind(folder, capsys, monkeypatch, command):
    (folder / "out").mkdir()
    (folder / "out" / "target").write_text("old\n")

    def refuse(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    if command == "baseline":
        args = ["check", ".", "--write-baseline", "out/target"]
    else:
        args = ["report", ".", "-o", "out/target"]
    assert run(capsys, *args) == (
        2,
        "",
        "newscheck: cannot write out/target: No space left on device\n",
    )
    assert os.listdir(folder / "out") == ["target"]
    assert (folder / "out" / "target").read_text() == "old\n"


def test_a_baseline_in_a_missing_folder_is_a_clear_error(folder, capsys):
    assert run(capsys, "check", ".", "--write-baseline", "no/such/b.json") == (
        2,
        "",
        "newscheck: cannot write no/such/b.json: No such file or directory\n",
    )
