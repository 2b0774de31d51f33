"""The result cache: hits on unchanged content, misses on anything that matters.

A rule that raises is the probe: a file whose result comes from the cache is
not checked, so it does not show the probe's internal error (NC000).
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable

import pytest

from newscheck.cli import main

from ..helpers import ROOT, article


@pytest.fixture
def corpus(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEWSCHECK_CACHE_DIR")
    (tmp_path / "feed").mkdir()
    for index in range(30):
        (tmp_path / "feed" / f"{index:02}.md").write_text(article(index), encoding="utf-8")
    (tmp_path / "feed" / "nan.md").write_text(article(30, timestamp="<!--NaN-->"), encoding="utf-8")
    return tmp_path


def run(capsys, *args):
    code = main(["check", "--output-format", "concise", *args, "feed"])
    return code, capsys.readouterr().out


def rechecked(out):
    return sorted(line.split(":")[0] for line in out.splitlines() if "NC000" in line)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_unchanged_files_come_from_the_cache(corpus, capsys, probe, jobs):
    first = run(capsys, "--jobs", jobs)
    assert first == (
        1,
        "feed/nan.md:1:1: NC102 expected '<!--' + 13 digits (epoch milliseconds) + '-->', found '<!--NaN-->'\n",
    )
    assert (corpus / ".newscheck_cache" / ".gitignore").read_text() == "# created by newscheck\n*\n"
    probe()
    assert run(capsys, "--jobs", jobs) == first


def test_a_changed_file_is_checked_again(corpus, capsys, probe):
    run(capsys)
    probe()
    (corpus / "feed" / "07.md").write_text(
        article(title="[新标题](https://a.example/y)"), encoding="utf-8"
    )
    assert rechecked(run(capsys)[1]) == ["feed/07.md"]


def test_a_new_modification_time_alone_reads_but_does_not_recheck(corpus, capsys, probe):
    run(capsys)
    probe()
    for path in (corpus / "feed").iterdir():
        os.utime(path, ns=(1, 1))  # a fresh checkout: same bytes, new times
    code, out = run(capsys)
    assert code == 1 and rechecked(out) == []


def test_a_changed_schema_setting_or_version_checks_everything_again(
    corpus, capsys, probe, monkeypatch
):
    run(capsys)
    probe()
    (corpus / "strict.yaml").write_text("extends: feed-article\nrules:\n  NC702: {min_chars: 25}\n")
    assert len(rechecked(run(capsys, "--schema", "strict.yaml")[1])) == 31
    assert len(rechecked(run(capsys, "--ignore", "NC805")[1])) == 31
    assert rechecked(run(capsys)[1]) == []  # the original run is still cached
    monkeypatch.setattr("newscheck.cache.code_version", lambda: "another newscheck")
    assert len(rechecked(run(capsys)[1])) == 31


def test_no_cache_neither_reads_nor_writes(corpus, capsys, probe):
    run(capsys, "--no-cache")
    assert not (corpus / ".newscheck_cache").exists()
    run(capsys)
    probe()
    assert len(rechecked(run(capsys, "--no-cache")[1])) == 31


def test_a_corrupt_cache_file_is_replaced(corpus, capsys):
    first = run(capsys)
    database = next((corpus / ".newscheck_cache").glob("*.sqlite3"))
    for leftover in database.parent.glob("*.sqlite3-*"):
        leftover.unlink()
    database.write_bytes(b"this is not a database" * 100)
    assert run(capsys) == first
    assert run(capsys) == first
    assert database.read_bytes().startswith(b"SQLite format 3")


@pytest.mark.parametrize("table", ["run_files", "results"])
def test_a_corrupt_entry_is_ignored_not_trusted(corpus, capsys, table):
    first = run(capsys)
    database = next((corpus / ".newscheck_cache").glob("*.sqlite3"))
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE run_files SET data = '[[[\"NC999\"]], null]'")
        if table == "results":  # and no whole run to replay
            connection.execute("UPDATE results SET data = '[[\"NC999\"]]'")
    assert run(capsys) == first


@pytest.fixture
def checks(monkeypatch):
    """The files each run really looks at (none when it replays a whole run)."""
    from newscheck.engine import Checker

    looked: list[list[str]] = []
    check_files = Checker.check_files

    def counted(self, files, *args):
        looked.append(files := list(files))
        return check_files(self, files, *args)

    monkeypatch.setattr(Checker, "check_files", counted)
    return looked


def test_an_unchanged_corpus_is_replayed_whole(corpus, capsys, checks):
    expected = {}
    for output in ("json", "sarif", "text"):
        expected[output] = main(["check", "--no-cache", "--output-format", output, "feed"])
        expected[output] = expected[output], capsys.readouterr().out
    checks.clear()
    first = run(capsys)
    assert [len(files) for files in checks] == [31]
    for output in ("json", "sarif", "text"):
        shown = main(["check", "--output-format", output, "feed"]), capsys.readouterr().out
        assert shown == expected[output]
    assert run(capsys) == first
    assert len(checks) == 1  # nothing was looked at again
    os.utime(corpus / "feed" / "07.md", ns=(1, 1))
    assert run(capsys) == first
    assert len(checks) == 1  # a new time, the same bytes: replayed once the files are hashed
    (corpus / "feed" / "07.md").write_text(article(7, title=None), encoding="utf-8")
    changed = run(capsys)
    assert "feed/07.md:2:1: NC201 " in changed[1]
    assert len(checks) == 2  # new bytes: another run (its other files from the cache)


def test_a_fresh_checkout_is_replayed_by_content(corpus, capsys, checks):
    first = run(capsys)
    for path in (corpus / "feed").iterdir():
        os.utime(path, ns=(1, 1))  # every time new, every byte the same
    assert run(capsys) == first
    assert run(capsys) == first
    assert len(checks) == 1  # neither run checked a file


def test_a_whole_run_with_a_row_added_is_kept_afresh(corpus, capsys, checks):
    first = run(capsys)
    database = next((corpus / ".newscheck_cache").glob("*.sqlite3"))
    with sqlite3.connect(database) as connection:
        connection.execute(
            "INSERT INTO run_files (run, number, data) SELECT run, 999, data FROM run_files"
        )
    assert run(capsys) == first
    assert len(checks) == 2  # not replayed: its rows are not those kept
    assert run(capsys) == first
    assert len(checks) == 2  # the run was kept again, without the row: replayed


@pytest.fixture
def reads(monkeypatch, tmp_path_factory):
    """``reads("read_file")``: a function giving the paths the reader of that
    name has read since, in this process or a worker it forks (a file tells)."""
    from newscheck import reading

    def watch(name: str) -> Callable[[], list[str]]:
        log = tmp_path_factory.mktemp("reads") / f"{name}.log"
        log.touch()
        reader = getattr(reading, name)

        def counted(path, max_bytes):
            with open(log, "a", encoding="utf-8") as written:
                written.write(path + "\n")
            return reader(path, max_bytes)

        monkeypatch.setattr(reading, name, counted)
        return lambda: log.read_text(encoding="utf-8").splitlines()

    return watch


def test_a_new_file_is_the_only_one_read(corpus, capsys, reads):
    """No run of these paths is kept: no file is read to look for one by content."""
    first = run(capsys, "--jobs", "1")
    read = reads("read_file")
    (corpus / "feed" / "new.md").write_text(article(40), encoding="utf-8")
    code, out = run(capsys, "--jobs", "1")
    assert read() == [os.path.join("feed", "new.md")]
    assert (code, out.replace("Checked 32 files", "Checked 31 files")) == first


def test_a_run_cut_short_is_not_remembered(corpus, capsys, checks, monkeypatch):
    from newscheck.reporters.text import ConciseReporter

    file = ConciseReporter.file

    def interrupted(self, result):
        if result.path.endswith("20.md"):
            raise KeyboardInterrupt
        file(self, result)

    monkeypatch.setattr(ConciseReporter, "file", interrupted)
    assert run(capsys)[0] == 130
    monkeypatch.setattr(ConciseReporter, "file", file)
    first = run(capsys)
    assert len(checks) == 2  # not replayed: the first run did not finish
    assert run(capsys) == first and len(checks) == 2


def test_cache_dir_and_clean(corpus, capsys):
    run(capsys, "--cache-dir", "elsewhere")
    assert (corpus / "elsewhere" / ".gitignore").exists()
    assert main(["clean", "--cache-dir", "elsewhere"]) == 0
    assert capsys.readouterr().out == "Removed elsewhere.\n"
    assert not (corpus / "elsewhere").exists()
    assert main(["clean", "--cache-dir", "elsewhere"]) == 0
    assert capsys.readouterr().out == "No cache at elsewhere.\n"


def test_a_run_naming_a_file_that_is_not_utf8_is_replayed(corpus, capsys, checks):
    os.rename(corpus / "feed" / "07.md", os.fsencode(corpus / "feed") + b"/bad\xff.md")
    (corpus / "feed" / "copy.md").write_text(article(7), encoding="utf-8")  # its URL: NC951
    first = run(capsys)
    assert "feed/bad\\xff.md:2:15: NC951 " in first[1]
    assert run(capsys) == first and len(checks) == 1


NAN = "feed/nan.md:1:1: NC102 expected '<!--' + 13 digits (epoch milliseconds) + '-->', found '<!--NaN-->'\n"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_rules_ignored_for_a_path_are_part_of_its_content_key(corpus, capsys, jobs):
    """A new file with the bytes of a cached one whose path has NC102 ignored
    (and the other way round): neither may be served the other's result."""
    (corpus / "newscheck.toml").write_text('[per-file-ignores]\n"feed/nan.md" = ["NC102"]\n')
    assert run(capsys, "--jobs", jobs, "--ignore", "NC95") == (0, "")
    (corpus / "feed" / "same.md").write_bytes((corpus / "feed" / "nan.md").read_bytes())
    expected = (1, NAN.replace("nan.md", "same.md"))
    assert run(capsys, "--jobs", jobs, "--ignore", "NC95") == expected
    assert run(capsys, "--jobs", jobs, "--ignore", "NC95") == expected
    (corpus / "feed" / "nan.md").unlink()
    (corpus / "feed" / "same.md").rename(corpus / "feed" / "nan.md")
    os.utime(corpus / "feed" / "nan.md", ns=(1, 1))  # read again, by content
    assert run(capsys, "--jobs", jobs, "--ignore", "NC95") == (0, "")


def test_a_changed_per_file_ignore_checks_its_files_again(corpus, capsys):
    assert run(capsys) == (1, NAN)
    (corpus / "newscheck.toml").write_text('[per-file-ignores]\n"feed/nan.md" = ["NC102"]\n')
    assert run(capsys) == (0, "")
    (corpus / "newscheck.toml").write_text('[per-file-ignores]\n"feed/0*.md" = ["NC102"]\n')
    assert run(capsys) == (1, NAN)


def test_a_fresh_checkout_with_a_new_file_checks_only_that_file(corpus, capsys, probe):
    first = run(capsys)
    for path in (corpus / "feed").iterdir():
        os.utime(path, ns=(1, 1))  # every time new, every byte the same: found by content
    (corpus / "feed" / "new.md").write_text(article(40), encoding="utf-8")
    probe()
    code, out = run(capsys)
    assert rechecked(out) == ["feed/new.md"]
    assert code == 2 and NAN in out and first == (1, NAN)


def test_a_run_replayed_by_content_is_found_by_time_next(corpus, capsys, reads):
    first = run(capsys)
    for path in (corpus / "feed").iterdir():
        os.utime(path, ns=(1, 1))
    assert run(capsys) == first  # every file read and hashed, none checked
    read = reads("read_bytes")
    assert run(capsys) == first
    assert read() == []


def test_the_schema_auto_chose_is_kept_with_a_cached_result(corpus, capsys, probe):
    jekyll = ROOT / "docs" / "examples" / "jekyll" / "2024-03-05-tram-airport.md"
    (corpus / "feed" / jekyll.name).write_bytes(jekyll.read_bytes())

    def chosen():
        main(["check", "--schema", "auto", "--output-format", "json", "feed"])
        files = json.loads(capsys.readouterr().out)["files"]
        return {entry["path"]: entry.get("schema") for entry in files}, {
            entry["path"] for entry in files if "NC000" in str(entry["diagnostics"])
        }

    first, _ = chosen()
    assert first["feed/2024-03-05-tram-airport.md"] == "jekyll-feed-article"
    assert first["feed/00.md"] == "feed-article"
    probe()
    (corpus / "feed" / "new.md").write_text(article(40), encoding="utf-8")  # not a whole run
    # the others come from the cache, by size and time, with their schema
    assert chosen() == ({**first, "feed/new.md": "feed-article"}, {"feed/new.md"})
