"""A cache planted in the checked tree is not trusted.

Every key of the cache derives from an HMAC under the user's secret key
(kept outside any tree) and every row carries an HMAC of its fields: rows
forged without the key, or moved between keys, are ignored and their files
checked again. Rows that do authenticate are still checked field by field,
so even a bad one newscheck wrote itself cannot crash a run or put markup in
the HTML report.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat

import pytest

from newscheck.cache import Cache, Entry, decode, key_file, secret
from newscheck.cli import main
from newscheck.values import Diagnostic, FileResult, Severity

from ..helpers import article

DEFECTIVE = article(1, timestamp="<!--NaN-->")


@pytest.fixture
def tree(tmp_path, monkeypatch):
    """cwd = tmp_path: a defective and a sound article, the cache in the tree."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEWSCHECK_CACHE_DIR")
    (tmp_path / "feed").mkdir()
    (tmp_path / "feed" / "bad.md").write_text(DEFECTIVE, encoding="utf-8")
    (tmp_path / "feed" / "good.md").write_text(article(2), encoding="utf-8")
    return tmp_path


def run(capsys, *args: str) -> tuple[int, str]:
    code = main(["check", "--output-format", "concise", *args, "feed"])
    captured = capsys.readouterr()
    assert captured.err == ""
    return code, captured.out


def database(tree) -> sqlite3.Connection:
    (path,) = (tree / ".newscheck_cache").glob("*.sqlite3")
    return sqlite3.connect(path, isolation_level=None)


FIRST = (
    1,
    "feed/bad.md:1:1: NC102 expected '<!--' + 13 digits (epoch milliseconds) + '-->', found '<!--NaN-->'\n",
)


def test_rows_rewritten_without_the_key_do_not_make_a_defective_file_pass(tree, capsys):
    assert run(capsys) == FIRST
    with database(tree) as db:
        db.execute("UPDATE results SET data = '[{}]'")  # every file clean
        for run_key, number, data in db.execute(
            "SELECT run, number, data FROM run_files"
        ).fetchall():
            path = json.loads(data)[0]
            db.execute(
                "UPDATE run_files SET data = ? WHERE run = ? AND number = ?",
                (json.dumps([path, [], None]), run_key, number),
            )
        # the digest as anyone can compute it, without the key
        for key, rows in db.execute("SELECT key, rows FROM whole_runs").fetchall():
            digest = hashlib.sha256()
            for number, data in db.execute(
                "SELECT number, data FROM run_files WHERE run = ? ORDER BY number", (rows,)
            ):
                digest.update(f"{number}\0{data}\0".encode())
            db.execute("UPDATE whole_runs SET digest = ? WHERE key = ?", (digest.hexdigest(), key))
    assert run(capsys) == FIRST
    os.utime(tree / "feed" / "bad.md")  # by content, not by time: the same
    assert run(capsys) == FIRST


def test_a_file_row_pointed_at_a_clean_result_is_ignored(tree, capsys):
    assert run(capsys, "--jobs", "1") == FIRST
    with database(tree) as db:
        db.execute("DELETE FROM whole_runs")
        good = db.execute("SELECT key FROM files WHERE path LIKE '%good.md'").fetchone()[0]
        db.execute("UPDATE files SET key = ? WHERE path LIKE '%bad.md'", (good,))
    assert run(capsys) == FIRST


def test_a_clean_result_moved_to_a_defective_file_s_key_is_ignored(tree, capsys):
    assert run(capsys, "--jobs", "1") == FIRST
    with database(tree) as db:
        good, bad = (
            db.execute("SELECT key FROM files WHERE path LIKE ?", (f"%{name}",)).fetchone()[0]
            for name in ("good.md", "bad.md")
        )
        db.execute("DELETE FROM whole_runs")
        db.execute("DELETE FROM files")  # each file looked up by its content
        db.execute("DELETE FROM results WHERE key = ?", (bad,))
        db.execute(
            "INSERT INTO results (key, data, mac) SELECT ?, data, mac FROM results WHERE key = ?",
            (bad, good),
        )
    assert run(capsys, "--jobs", "1") == FIRST


@pytest.mark.parametrize("forged", ["row", "digest"])
def test_a_whole_run_of_other_settings_is_not_replayed_in_place_of_this_one(tree, capsys, forged):
    assert run(capsys) == FIRST
    with database(tree) as db:
        (first, digest, paths, mac) = db.execute(
            "SELECT rows, digest, paths, mac FROM whole_runs"
        ).fetchone()
    assert run(capsys, "--ignore", "NC102") == (0, "")
    with database(tree) as db:
        (second,) = {
            row for (row,) in db.execute("SELECT rows FROM whole_runs WHERE rows != ?", (first,))
        }
        if forged == "row":  # the other run's row, HMAC and all, under this run's keys
            db.execute(
                "UPDATE whole_runs SET rows = ?, digest = ?, paths = ?, mac = ? WHERE rows = ?",
                (first, digest, paths, mac, second),
            )
        else:  # the other run's files and digest as this run's
            db.execute(
                "INSERT INTO run_files SELECT ?, number, data FROM run_files WHERE run = ?",
                (second, first),
            )
            db.execute("UPDATE whole_runs SET digest = ? WHERE rows = ?", (digest, second))
    assert run(capsys, "--ignore", "NC102") == (0, "")


def test_a_planted_cache_of_another_key_is_not_used(
    tree, capsys, probe, monkeypatch, tmp_path_factory
):
    assert run(capsys) == FIRST
    monkeypatch.setenv("NEWSCHECK_KEY_FILE", str(tmp_path_factory.mktemp("other") / "key"))
    probe()  # every file really checked shows NC000
    code, out = run(capsys)
    assert code == 2 and out.count("NC000") == 2


FORGED_ROWS = [
    ["NC102", "malformed-timestamp", 3, "m", float("inf"), 1, 1, 1, "f", "", 1],
    ["NC102", "malformed-timestamp", 3, "m", 1e400, 1, 1, 1, "f", "", 1],
    ["NC102", "malformed-timestamp", 3, "m", -1, 1, 1, 1, "f", "", 1],
    ["NC102", "malformed-timestamp", 3, "m", 0, 1, 1, 1, "f", "", 1],
    ["NC102", "malformed-timestamp", 3, "m", 2**40, 1, 1, 1, "f", "", 1],
    ["NC102", "malformed-timestamp", 3, "m", "1", 1, 1, 1, "f", "", 1],
    ["NC102", "malformed-timestamp", 3, "m", True, 1, 1, 1, "f", "", 1],
    ["NC102", "malformed-timestamp", 9, "m", 1, 1, 1, 1, "f", "", 1],
    ["NC102", "malformed-timestamp", "error", "m", 1, 1, 1, 1, "f", "", 1],
    ["<script>alert(1)</script>", "malformed-timestamp", 3, "m", 1, 1, 1, 1, "f", "", 1],
    ["NC102", '"><img src=x onerror=alert(1)>', 3, "m", 1, 1, 1, 1, "f", "", 1],
    ["NC102", "malformed-timestamp", 3, ["m"], 1, 1, 1, 1, "f", "", 1],
    ["NC102", "malformed-timestamp", 3, "m", 1, 1, 1, 1, None, "", 1],
    ["NC102", "malformed-timestamp", 3, "m", 1, 1, 1, 1, "f", "", 0],
    ["NC102", "malformed-timestamp", 3, "m", 1, 1, 1],
    "NC102",
    "no-such-schema",
    None,
]


@pytest.mark.parametrize("row", FORGED_ROWS, ids=range(len(FORGED_ROWS)))
def test_a_stored_row_that_newscheck_would_not_write_does_not_decode(row):
    data = json.dumps([{}, row], allow_nan=True)
    assert decode("a.md", data) is None


@pytest.mark.parametrize(
    "data",
    ["[", "{}", "[[]]", '[{"1": 2, "x": 1}, 3]', "[" * 100_000 + "]" * 100_000, '[{}, "x", "y"]'],
)
def test_stored_results_that_are_not_results_do_not_decode(data):
    assert decode("a.md", data) is None


@pytest.mark.parametrize("row", FORGED_ROWS[:3] + FORGED_ROWS[9:11], ids=range(5))
def test_an_authentic_row_with_bad_fields_is_checked_again(tree, capsys, row):
    """Even with the key (a row newscheck wrote wrongly): no crash, no markup."""
    assert run(capsys) == FIRST
    with database(tree) as db:
        db.execute("DELETE FROM whole_runs")
    cache = Cache(tree / ".newscheck_cache", "unused")
    data = json.dumps([{}, row], allow_nan=True)
    with database(tree) as db:
        for (key,) in db.execute("SELECT key FROM results").fetchall():
            db.execute(
                "UPDATE results SET data = ?, mac = ? WHERE key = ?",
                (data, cache.mac("results", key, data), key),
            )
    assert run(capsys) == FIRST
    assert main(["report", "feed", "-o", "r.html"]) == 0
    capsys.readouterr()
    page = (tree / "r.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and "<img src=x" not in page


def test_the_html_report_escapes_every_field_it_prints(tmp_path):
    from newscheck.cli.stats import drift_settings
    from newscheck.config import load_settings
    from newscheck.corpus_page import build

    hostile = "<b>x</b>"
    diagnostic = Diagnostic(hostile, hostile, Severity.ERROR, hostile, 1, 1, 1, 2)
    result = FileResult(f"{tmp_path}/{hostile}.md", (diagnostic,))
    page, _, _ = build([result], drift_settings(load_settings(None)), str(tmp_path / "r.html"))
    assert "<b>" not in page and "&lt;b&gt;x&lt;/b&gt;" in page


def test_the_key_is_made_once_outside_the_tree_and_private(
    tree, capsys, monkeypatch, tmp_path_factory
):
    home = tmp_path_factory.mktemp("xdg")
    monkeypatch.delenv("NEWSCHECK_KEY_FILE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    assert key_file() == home / "newscheck" / "key"
    assert run(capsys) == FIRST
    info = os.stat(home / "newscheck" / "key")
    assert stat.S_IMODE(info.st_mode) == 0o600
    assert len((home / "newscheck" / "key").read_text().strip()) == 64
    assert os.listdir(home / "newscheck") == ["key"]  # no temporary file left
    before = (home / "newscheck" / "key").read_bytes()
    secret.cache_clear()
    assert run(capsys) == FIRST
    assert (home / "newscheck" / "key").read_bytes() == before
    assert not list(tree.rglob("key"))


def test_without_a_key_the_cache_is_not_used(tree, capsys, monkeypatch):
    (tree / "blocker").write_text("a file where the key's folder should be\n")
    monkeypatch.setenv("NEWSCHECK_KEY_FILE", str(tree / "blocker" / "key"))
    code = main(["check", "--output-format", "concise", "feed"])
    captured = capsys.readouterr()
    assert (code, captured.out) == FIRST
    assert captured.err == (
        f"newscheck: not using the cache .newscheck_cache: no key at {tree}/blocker/key: "
        "Not a directory\n"
    )
    assert not (tree / ".newscheck_cache").exists()


@pytest.mark.parametrize(("length", "refused"), [(3, True), (31, True), (32, False)])
def test_a_key_file_needs_32_characters(tree, capsys, monkeypatch, length, refused):
    key = tree / f"key{length}"
    key.write_text("k" * length + "\n")
    monkeypatch.setenv("NEWSCHECK_KEY_FILE", str(key))
    code = main(["check", "--output-format", "concise", "feed"])
    assert (code, capsys.readouterr().err) == (
        1,
        f"newscheck: not using the cache .newscheck_cache: no key at {key}: "
        f"the key file {key} holds fewer than 32 characters\n"
        if refused
        else "",
    )
    assert (tree / ".newscheck_cache").exists() is not refused


def test_the_key_is_the_first_kilobyte_of_its_file(tmp_path):
    (tmp_path / "key").write_text("k" * 1024 + "more")
    assert secret(tmp_path / "key") == b"k" * 1024


def test_entries_stored_and_read_back_with_their_macs(tmp_path):
    cache = Cache(tmp_path / "c", "run", key=b"k" * 32)
    cache.store([Entry("/feed/a.md", 1, 2, "key-a", "[{}]")])
    assert cache.by_stat({"/feed/a.md": (1, 2)}) == {"/feed/a.md": "[{}]"}
    assert cache.by_key("a.md", "key-a") == FileResult("a.md", (), {}, None)
    other = Cache(tmp_path / "c", "run", key=b"j" * 32)
    assert other.by_stat({"/feed/a.md": (1, 2)}) == {}
    assert other.by_key("a.md", "key-a") is None
