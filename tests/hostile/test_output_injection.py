"""Terminal and log injection: no output of newscheck carries a character a
terminal or a log viewer obeys or hides (ESC, OSC, BEL, CR, LF, C1 controls,
bidirectional overrides, zero-width and other format characters) from a
checked file's name or content, and no line of it starts a GitHub workflow
command from such data. Text outputs show them as visible escapes; JSON and
XML carry them escaped; CSV cells that a spreadsheet would run are quoted.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote

import pytest

from newscheck.cli import main

from .. import synthetic
from ..helpers import CONTENT, article

# a name and a text with every kind of spoofing character
NASTY = "::error title=PWNED::x\x1b]0;owned\x07\r\n\x9b31m\u202egnp.\u200b\u2066\u2028\ufeff\u00ad"
# what must never reach an output raw
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
# how the text outputs show NASTY: written out by hand (at the start of a line,
# the first ":" as "\\x3a" too, so that the line is no workflow command)
SHOWN = (
    "::error title=PWNED::x\\x1b]0;owned\\x07\\r\\n\\x9b31m\\u202egnp.\\u200b\\u2066"
    "\\u2028\\ufeff\\xad"
)
AT_START = "\\x3a" + SHOWN[1:]
OURS = re.compile(r"::(error|warning|notice)( file=[^:]*)?::")  # the github reporter's commands


@pytest.fixture
def nasty(tmp_path: Path) -> Path:
    """A folder holding an article whose name, title and content carry NASTY."""
    folder = tmp_path / "in"
    folder.mkdir()
    title = "[" + NASTY.replace("\r\n", "") + "](https://www.voachinese.com/a/1.html)"
    body = CONTENT + "<p>" + NASTY.replace("\r\n", "") + "</p>"
    (folder / f"{NASTY}.md").write_text(article(title=title, content=body), encoding="utf-8")
    (folder / "plain.md").write_text(article(1), encoding="utf-8")
    return folder


def assert_clean(out: str, commands: bool = False) -> None:
    assert not RAW.search(out), RAW.findall(out)
    for line in out.splitlines():
        assert not line.lstrip().startswith("::") or (commands and OURS.match(line)), line


def check(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main(["check", "--isolated", "--no-cache", "--jobs", "1", *args])
    captured = capsys.readouterr()
    assert code in (0, 1), captured.err
    assert_clean(captured.err)
    return captured.out


@pytest.mark.parametrize("form", ["text", "concise"])
def test_text_outputs_show_escapes(nasty: Path, capsys, form: str) -> None:
    out = check(capsys, "--output-format", form, "--show-source", "--statistics", str(nasty))
    assert_clean(out)
    assert f"{nasty}/{SHOWN}.md:" in out


def test_show_source_escapes_the_excerpt_and_keeps_the_caret_under_the_defect(
    tmp_path: Path, capsys
) -> None:
    text = article(content=CONTENT + '<p>\x1b]0;x\x07<a href="/a/1.html">x</a></p>')
    (tmp_path / "a.md").write_text(text, encoding="utf-8")
    out = check(capsys, "--show-source", "--select", "NC805", str(tmp_path))
    assert_clean(out)
    excerpt, caret = out.splitlines()[1:3]
    assert "\\x1b]0;x\\x07<a href" in excerpt
    # the caret is under the tag: terminal columns (CJK characters take two), escapes counted
    before = excerpt[: excerpt.index("<a href")]
    assert caret.index("^") == sum(
        2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in before
    )


def test_github_annotations_and_plain_lines_start_no_command_of_the_data(
    nasty: Path, capsys
) -> None:
    out = check(capsys, "--output-format", "github", str(nasty))
    assert_clean(out, commands=True)
    assert "%3A%3Aerror title=PWNED%3A%3Ax\\x1b]0;owned\\x07\\r\\n" in out  # the file property


def test_github_plain_lines_past_the_annotation_limit(
    tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    # twelve files with an error each: the last two are plain lines, whose path comes first
    monkeypatch.chdir(tmp_path)
    names = [f"{NASTY}{n:02}.md" for n in range(12)]
    for n, name in enumerate(names):
        Path(name).write_text(article(n, timestamp="<!--NaN-->"), "utf-8")
    out = check(capsys, "--output-format", "github", "--select", "NC102", *names)
    assert_clean(out, commands=True)
    assert sum(line.startswith(f"{AT_START}1") for line in out.splitlines()) == 2


@pytest.mark.parametrize("form", ["text", "concise"])
def test_a_name_that_starts_a_line_is_no_workflow_command(
    tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch, form: str
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in (f"{NASTY}.md", f" \u3000{NASTY}.md"):
        Path(name).write_text(article(timestamp="<!--NaN-->"), "utf-8")
        out = check(capsys, "--output-format", form, name)
        assert_clean(out)
        assert out.startswith(name[: name.index(":")] + AT_START)


@pytest.mark.parametrize("form", ["json", "jsonl", "sarif", "gitlab"])
def test_json_outputs_escape_and_keep_the_values(nasty: Path, capsys, form: str) -> None:
    out = check(capsys, "--output-format", form, str(nasty))
    assert_clean(out)
    found = [json.loads(line) for line in out.splitlines()] if form == "jsonl" else json.loads(out)
    kept = {"sarif": quote(f"/{NASTY}.md"), "gitlab": f"/{NASTY}.md"}.get(
        form, f"{nasty}/{NASTY}.md"
    )
    assert any(s.endswith(kept) for s in strings(found))  # the data itself is kept


def strings(value: object) -> set[str]:
    """Every string in a JSON value."""
    if isinstance(value, dict):
        return {s for v in value.values() for s in strings(v)}
    if isinstance(value, list):
        return {s for v in value for s in strings(v)}
    return {value} if isinstance(value, str) else set()


def test_junit_is_xml_with_escapes(nasty: Path, capsys) -> None:
    out = check(capsys, "--output-format", "junit", str(nasty))
    assert_clean(out)
    names = [case.get("name") for case in ET.fromstring(out).iter("testcase")]
    assert f"{nasty}/{SHOWN}.md" in names


def test_show_files_and_show_settings(nasty: Path, tmp_path: Path, capsys) -> None:
    out = check(capsys, "--show-files", str(nasty))
    assert_clean(out)
    assert f"{nasty}/{SHOWN}.md\n" in out
    config = tmp_path / "newscheck.toml"
    config.write_text('exclude = ["\\u001b]0;x\\u0007\\u202e"]\n', encoding="utf-8")
    code = main(["check", "--config", str(config), "--show-settings", str(nasty)])
    out = capsys.readouterr().out
    assert code == 0
    assert_clean(out)
    assert 'exclude = ["\\u001b]0;x\\u0007\\u202e"]  # ' in out  # TOML's escapes, as written


def test_html_report_carries_no_raw_controls(nasty: Path, tmp_path: Path, capsys) -> None:
    page = tmp_path / "r.html"
    assert main(["report", "--isolated", "--jobs", "1", str(nasty), "-o", str(page)]) in (0, 1)
    assert_clean(capsys.readouterr().out)
    html = page.read_text(encoding="utf-8")
    assert_clean(html)
    assert SHOWN in html


def corpus_with(tmp_path: Path, folder: str) -> dict:
    """The synthetic corpus whose voa source loses its date div, under ``folder``."""
    corpus = synthetic.items(
        change=lambda i: replace(i, date=False) if i.source == "voa" and i.day >= 5 else i
    )
    return synthetic.write(tmp_path / folder, corpus)


def test_stats_table_and_drift_paths(tmp_path: Path, capsys) -> None:
    corpus_with(tmp_path, NASTY)
    assert main(["stats", "--isolated", "--no-cache", "--jobs", "1", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert_clean(out)
    assert f"first file: {tmp_path}/{SHOWN}/" in out  # the drift's path


def test_stats_json_escapes(tmp_path: Path, capsys) -> None:
    corpus_with(tmp_path, NASTY)
    args = ["stats", "--isolated", "--no-cache", "--jobs", "1", "--format", "json"]
    assert main([*args, str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert_clean(out)
    (finding,) = json.loads(out)["drift"]["findings"]
    assert finding["first_file"].startswith(f"{tmp_path}/{NASTY}/")


@pytest.mark.parametrize("host", ["=1+2.example", "-2.example", "+1.example"])
def test_stats_csv_neutralises_formulas(tmp_path: Path, capsys, host: str) -> None:
    title = f"[标题](https://{host}/a/1.html)"
    (tmp_path / "a.md").write_text(article(title=title), encoding="utf-8")
    args = ["stats", "--isolated", "--no-cache", "--jobs", "1", "--format", "csv"]
    assert main([*args, str(tmp_path)]) == 0
    out = capsys.readouterr().out
    rows = list(csv.reader(io.StringIO(out)))
    assert {row[0] for row in rows[1:]} == {"'" + host}


def test_pytest_failure_text(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nnewscheck_files = *.md\n")
    title = "[" + NASTY.replace("\r\n", "") + "](https://www.voachinese.com/a/1.html)"
    (pytester.path / f"{NASTY}.md").write_text(
        article(title=title, timestamp="<!--NaN-->"), encoding="utf-8"
    )
    result = pytester.runpytest("--newscheck", "-p", "no:cacheprovider")
    out = "\n".join(result.outlines)
    assert "NC102" in out
    assert not RAW.search(out), RAW.findall(out)
    assert f"\n{AT_START}.md:1:1: NC102" in out
