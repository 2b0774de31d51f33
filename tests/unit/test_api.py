"""The Python API as the README shows it: check_text, check_bytes, check_file, check_paths."""

from __future__ import annotations

import json
import os

import pytest

import newscheck
from newscheck.config import ConfigError

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


BOTH = article(1, timestamp="<!--NaN-->", title="[标题 ](https://a.example/x)")


def test_select_extend_select_and_ignore_choose_the_rules_as_the_command_line_does():
    assert found(newscheck.check_text(BOTH, "a.md")) == ("a.md", [("NC102", 1, 1), ("NC207", 2, 4)])
    assert found(newscheck.check_text(BOTH, "a.md", select=["NC2"])) == ("a.md", [("NC207", 2, 4)])
    chosen = newscheck.check_bytes(BOTH.encode(), "a.md", select=["NC2"], extend_select=["NC102"])
    assert found(chosen) == ("a.md", [("NC102", 1, 1), ("NC207", 2, 4)])
    ignored = newscheck.check_text(BOTH, "a.md", ignore=("title-whitespace",))
    assert found(ignored) == ("a.md", [("NC102", 1, 1)])


def test_a_configuration_file_applies_from_its_own_folder(tmp_path):
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "a.md").write_text(BOTH, encoding="utf-8")
    (tmp_path / "b.txt").write_text(BOTH, encoding="utf-8")
    config = tmp_path / "newscheck.toml"
    config.write_text(
        'include = ["*.md", "*.txt"]\n[severity]\nNC207 = "error"\n'
        '[per-file-ignores]\n"drafts/*.md" = ["NC1"]\n',
        encoding="utf-8",
    )
    draft = newscheck.check_file(tmp_path / "drafts" / "a.md", config=config)
    assert [(d.code, str(d.severity)) for d in draft.diagnostics] == [("NC207", "error")]
    walked = newscheck.check_paths([tmp_path], config=str(config), ignore=["NC207"], jobs=1)
    assert [found(r) for r in walked] == [
        (str(tmp_path / "b.txt"), [("NC102", 1, 1)]),
        (str(tmp_path / "drafts" / "a.md"), []),
    ]


def test_mistakes_in_the_settings_raise_with_what_is_wrong(quiet):
    with pytest.raises(
        ValueError, match=r"^unknown rule or code prefix 'NC2O7' \(did you mean 'NC207'\?\)$"
    ):
        newscheck.check_text(BOTH, ignore=["NC2O7"])
    with pytest.raises(ConfigError) as raised:
        newscheck.check_text(BOTH, config={"fail-on": "never"})
    assert str(raised.value).startswith("<mapping>: fail-on: 'never' is not one of")
    with pytest.raises(ConfigError, match=r"no-such\.toml"):
        newscheck.check_text(BOTH, config="no-such.toml")
    with pytest.raises(TypeError):
        newscheck.check_text(BOTH, "a.md", newscheck.load_schema(quiet), select=["NC1"])


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


def test_results_past_the_spills_memory_go_to_a_file_and_come_back_the_same(tmp_path, monkeypatch):
    import tempfile

    from newscheck import corpus_run

    for n, name in enumerate(("a.md", "b.md", "c.md")):  # a and c the same article: NC951
        (tmp_path / name).write_text(article(1 if n != 1 else 2), encoding="utf-8")
    in_memory = [found(r) for r in newscheck.check_paths([tmp_path], corpus=True)]
    opened, make = [], tempfile.TemporaryFile

    def temporary_file():
        opened.append(make())
        return opened[-1]

    monkeypatch.setattr(corpus_run, "_IN_MEMORY", 1)  # past it at the first result
    monkeypatch.setattr(tempfile, "TemporaryFile", temporary_file)
    on_disk = [found(r) for r in newscheck.check_paths([tmp_path], corpus=True)]
    a, b, c = (str(tmp_path / name) for name in ("a.md", "b.md", "c.md"))
    assert on_disk == in_memory == [(a, [("NC951", 2, 15)]), (b, []), (c, [("NC951", 2, 15)])]
    assert len(opened) == 1 and opened[0].closed  # one file, closed once read back


def test_results_stream_while_a_later_file_is_still_being_checked(tmp_path, monkeypatch):
    """check_paths gives the results of each group of files (64) once it and the
    groups before it are done, not at the end of the run."""
    import time

    from ..patched import replace_rule

    go = tmp_path / "go"

    def waits(article, options):  # the last file waits until the test has its first result
        if article.source.path.endswith("zz.md"):
            until = time.monotonic() + 8
            while not go.exists() and time.monotonic() < until:
                time.sleep(0.01)
        return iter(())

    replace_rule(monkeypatch, "NC805", waits)
    folder = tmp_path / "feed"
    folder.mkdir()
    for n in range(64):  # one group; the last file is in the next one
        (folder / f"{n:02}.md").write_text(article(n % 100), encoding="utf-8")
    (folder / "zz.md").write_text(article(99), encoding="utf-8")
    results = newscheck.check_paths([folder], jobs=2)
    started = time.monotonic()
    first = next(results)
    waited = time.monotonic() - started
    go.touch()
    rest = list(results)
    assert waited < 5  # the first result did not wait for the last file
    assert [os.path.basename(r.path) for r in [first, *rest]] == [
        *(f"{n:02}.md" for n in range(64)),
        "zz.md",
    ]


def test_results_keep_the_files_order_over_more_groups_than_are_kept_in_flight(tmp_path):
    """The runner keeps 32 groups of 64 files in flight; past that it gives the oldest."""
    from newscheck.runner import AHEAD, GROUP

    count = (AHEAD + 2) * GROUP
    for n in range(count):
        (tmp_path / f"{n:05}.md").write_bytes(b"" if n % 7 else b"\x00binary")
    results = list(newscheck.check_paths([tmp_path], jobs=2))
    assert [os.path.basename(r.path) for r in results] == [f"{n:05}.md" for n in range(count)]
    assert [r.diagnostics[0].code for r in results[:8]] == ["NC008", *["NC007"] * 6, "NC008"]
