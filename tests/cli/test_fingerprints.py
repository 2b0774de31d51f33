"""Fingerprints as baselines, SARIF and GitLab consumers see them.

The expected values are literals, worked out from the documented recipe (the
SHA-256 of the rule's code, a NUL and the defective text, first 16 hex digits;
GitLab's: of the path, the fingerprint and the occurrence) once, by hand: a
change to what a fingerprint is made of must show here, since every stored
baseline and every code-scanning history would lose its matches.
"""

from __future__ import annotations

import json

import pytest

import newscheck
from newscheck.cli import main

from ..helpers import CONTENT, article

LINKS = '<p><a href="/x">a</a><a href="/y">b</a></p>'
# NC805 on '<a href="/x">' and on '<a href="/y">': one rule, two defects, one line.
X, Y, Z = "93009f5ddc0bb9b4", "2d5f553d14ff70eb", "49c94a9297e9897f"
MULTILINE_BODY = "extends: feed-article\nlayout:\n  - {part: content, max_lines: 0}\n"


def fingerprints(text: str) -> list[tuple[str, int, str]]:
    return [(d.code, d.line, d.fingerprint) for d in newscheck.check_text(text).diagnostics]


def test_two_defects_of_one_rule_on_one_line_have_their_own_fingerprints():
    assert fingerprints(article(4, content=CONTENT + LINKS)) == [
        ("NC805", 5, X),
        ("NC805", 5, Y),
    ]


def test_a_fingerprint_does_not_move_with_its_line_or_column():
    shifted = article(
        4,
        title="[韩正表态愿与美加强沟通\n](https://www.voachinese.com/a/7346504.html)",
        content="<p>编者按。</p>" + CONTENT + LINKS,
    )
    assert fingerprints(shifted) == [
        ("NC204", 2, "e0b8698d417ca4ee"),
        ("NC805", 6, X),
        ("NC805", 6, Y),
    ]


def test_a_fingerprint_changes_with_the_defective_text():
    changed = article(4, content=CONTENT + LINKS.replace("/x", "/z"))
    assert fingerprints(changed) == [("NC805", 5, Z), ("NC805", 5, Y)]


def test_the_same_defect_under_another_rule_is_another_fingerprint():
    # The same text ' ' is NC207's defect: the rule is part of the fingerprint.
    (d,) = newscheck.check_text(article(title="[标题 ](https://a.example/x)")).diagnostics
    assert (d.code, d.fingerprint) == ("NC207", "9e99e49cde7850bd")


@pytest.fixture
def links(tmp_path, monkeypatch):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "links.md").write_text(article(4, content=CONTENT + LINKS), "utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "a" / "links.md"


def report(capsys, form, *args):
    main(["check", "--isolated", "--jobs", "1", "--output-format", form, *args, "a"])
    return json.loads(capsys.readouterr().out)


def test_sarif_partial_fingerprints(links, capsys):
    results = report(capsys, "sarif")["runs"][0]["results"]
    assert [r["partialFingerprints"] for r in results] == [
        {"newscheckFingerprint/v1": X},
        {"newscheckFingerprint/v1": Y},
    ]


def test_gitlab_fingerprints_are_distinct_and_stable_when_lines_shift(links, capsys):
    expected = [
        "349b4fa5f8d0e78b5627d02a015b34fe15a17e6b595a09f765c2d250fa34843f",
        "76024f2741bae7d895eca4d795bc95aa3c597bf89e6fa50ab03c5568205e5f5e",
    ]
    assert [i["fingerprint"] for i in report(capsys, "gitlab")] == expected
    (links.parent.parent / "schema.yaml").write_text(MULTILINE_BODY, "utf-8")
    links.write_text(links.read_text("utf-8").replace(CONTENT, "<p>编者按。</p>\n" + CONTENT))
    issues = report(capsys, "gitlab", "--schema", "schema.yaml")
    assert [(i["location"]["lines"]["begin"], i["fingerprint"]) for i in issues] == [
        (6, expected[0]),
        (6, expected[1]),
    ]


def test_gitlab_fingerprints_of_identical_defects_count_occurrences(links, capsys):
    three = LINKS.replace("/y", "/x").replace("</p>", '<a href="/x">c</a></p>')
    links.write_text(article(4, content=CONTENT + three), "utf-8")
    assert [i["fingerprint"] for i in report(capsys, "gitlab")] == [
        "349b4fa5f8d0e78b5627d02a015b34fe15a17e6b595a09f765c2d250fa34843f",
        "8c34f8a668ba116e1263ff0f5098e18b22db180989334b2c56646c6848ab128a",
        "f11630a3c012e3807783edc4cccff9d2b894204c435a38eb46e0f49863426339",
    ]


def test_baseline_entries_then_shifted_lines_stay_quiet_and_a_changed_defect_shows(links, capsys):
    root = links.parent.parent
    (root / "schema.yaml").write_text(MULTILINE_BODY, "utf-8")
    (root / "a" / "good.md").write_text(article(), "utf-8")
    args = ["check", "--isolated", "--jobs", "1", "--schema", "schema.yaml"]
    assert main([*args, "--write-baseline", "baseline.json", "a"]) == 0
    assert capsys.readouterr().out == "Wrote 2 diagnostics in 2 files to baseline.json.\n"
    assert json.loads((root / "baseline.json").read_text("utf-8")) == {
        "version": 1,
        "tool": "newscheck",
        "entries": [
            {"path": "a/links.md", "code": "NC805", "fingerprint": Y, "count": 1},
            {"path": "a/links.md", "code": "NC805", "fingerprint": X, "count": 1},
        ],
    }
    # A line inserted above the defects: nothing new.
    links.write_text(links.read_text("utf-8").replace(CONTENT, "<p>编者按。</p>\n" + CONTENT))
    assert main([*args, "--baseline", "baseline.json", "a"]) == 0
    assert capsys.readouterr().out == (
        "Checked 2 files: 0 errors, 0 warnings, 0 info (0 with errors).\n"
    )
    # One defect changed: it alone is new.
    links.write_text(links.read_text("utf-8").replace('href="/x"', 'href="/z"'))
    assert main([*args, "--baseline", "baseline.json", "a"]) == 0
    assert capsys.readouterr().out == (
        "a/links.md:6:225: NC805 relative-link [warning] expected an absolute address in "
        "href, found relative '/z'\n"
        "Checked 2 files: 0 errors, 1 warning, 0 info (0 with errors).\n"
    )
