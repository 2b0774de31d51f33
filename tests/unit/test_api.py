"""The Python API as the README shows it: check_text, check_bytes, check_file, check_paths."""

from __future__ import annotations

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
