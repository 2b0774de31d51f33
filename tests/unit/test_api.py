"""The Python API as the README shows it: check_text, check_bytes, check_file, check_paths."""

from __future__ import annotations

import json
import os

import pytest

import newscheck

from ..helpers import article


@pytest.fixture
def quiet(tmp_path):
    """A schema that turns NC102 off."""
    (tmp_path / "quiet.yaml").write_text("extends: feed-article\nrules:\n  NC102: off\n", "utf-8")
    return tmp_path / "quiet.yaml"


NAN = article(1, timestamp="<!--NaN-->")


def found(result: newscheck.FileResult) -> tuple[str, list[tuple[str, int, int]]]:
    return result.path, [(d.code, d.line, d.column) for d in result.diagnostics]


def test_check_bytes_and_text_name_the_result_and_take_a_schema(quiet):
    assert found(newscheck.check_bytes(NAN.encode(), "a.md")) == ("a.md", [("NC102", 1, 1)])
    assert found(newscheck.check_bytes(NAN.encode(), "a.md", quiet)) == ("a.md", [])
    assert found(newscheck.check_text(NAN, "b.md", str(quiet))) == ("b.md", [])
    assert found(newscheck.check_bytes(NAN.encode())) == ("<bytes>", [("NC102", 1, 1)])
    assert found(newscheck.check_text(NAN)) == ("<text>", [("NC102", 1, 1)])


def test_check_paths_per_file_by_default_across_files_when_asked(tmp_path, quiet):
    for name in ("a.md", "b.md"):  # the same article twice: NC951 across files
        (tmp_path / name).write_text(NAN, encoding="utf-8")
    a, b = str(tmp_path / "a.md"), str(tmp_path / "b.md")
    assert [found(r) for r in newscheck.check_paths([tmp_path])] == [
        (a, [("NC102", 1, 1)]),
        (b, [("NC102", 1, 1)]),
    ]
    assert [found(r) for r in newscheck.check_paths([tmp_path], quiet, jobs=2)] == [
        (a, []),
        (b, []),
    ]
    assert [found(r) for r in newscheck.check_paths([tmp_path], quiet, corpus=True)] == [
        (a, [("NC951", 2, 15)]),
        (b, [("NC951", 2, 15)]),
    ]


def test_to_dict_gives_exactly_the_json_reports_objects(tmp_path, monkeypatch, capsys):
    from newscheck.cli import main

    monkeypatch.chdir(tmp_path)
    (tmp_path / "nan.md").write_bytes(NAN.encode())
    (tmp_path / "ok.md").write_text(article(2), encoding="utf-8")
    odd = os.fsdecode(b"bad-\xff.md")  # a name that is not UTF-8
    (tmp_path / odd).write_bytes(NAN.replace("1.html", "odd.html").encode())
    assert main(["check", "--isolated", "--jobs", "1", "--output-format", "json", "."]) == 1
    report = json.loads(capsys.readouterr().out)
    results = list(newscheck.check_paths(["."], corpus=True))
    assert [r.to_dict() for r in results] == report["files"]
    bad = newscheck.check_file("nan.md")
    (d,) = bad.diagnostics
    assert bad.to_dict() == {"path": "nan.md", "diagnostics": [d.to_dict()]}
    assert list(d.to_dict().items()) == [
        *[("code", "NC102"), ("rule", "malformed-timestamp"), ("severity", "error")],
        *[("message", d.message), ("line", 1), ("column", 1), ("end_line", 1), ("end_column", 11)],
    ]
    assert newscheck.check_file(odd).to_dict()["path"] == "bad-\\xff.md"
    assert json.dumps(newscheck.check_file(odd).to_dict())  # any encoder takes it
