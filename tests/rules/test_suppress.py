"""Inline suppressions inside article files."""

from __future__ import annotations

import pytest

import newscheck

from ..helpers import CONTENT, article, found

RELATIVE = '<a href="/a/1.html">x</a>'


def test_disable_silences_a_rule_in_the_whole_file():
    text = article(
        title="[标题 ](https://a.example/x)", content=CONTENT + "<!-- newscheck: disable=NC207 -->"
    )
    assert found(text) == []


def test_disable_takes_names_prefixes_and_lists():
    text = article(
        title="[标题 ](https://a.example/x)",
        content=CONTENT + RELATIVE + "<!-- newscheck: disable=title-whitespace, NC8 -->",
    )
    assert found(text) == []


def test_disable_line_silences_only_its_own_line():
    text = article(
        title="[标题 ](https://a.example/x)",
        content=CONTENT + RELATIVE + "<!-- newscheck: disable-line=NC207,NC805 -->",
    )
    # NC805 on the content line is silenced; NC207 on line 2 is not, so that part is unused.
    assert found(text) == [("NC207", 2, 4), ("NC011", 5, len(CONTENT + RELATIVE) + 1)]


def test_a_suppression_that_silences_nothing_is_reported():
    text = article(content=CONTENT + "<!-- newscheck: disable-line=NC805 -->")
    assert found(text) == [("NC011", 5, len(CONTENT) + 1)]


def test_a_suppression_naming_an_unknown_rule_is_reported():
    text = article(content=CONTENT + "<!-- newscheck: disable=NC999 -->")
    assert found(text) == [("NC011", 5, len(CONTENT) + 1)]


def test_the_suppression_comment_is_not_body_text_or_html_defect():
    text = article(content=CONTENT + RELATIVE + "<!-- newscheck: disable=NC805 -->")
    assert found(text) == []


def test_each_listed_rule_must_silence_something():
    text = article(content=CONTENT + RELATIVE + "<!-- newscheck: disable=NC805,NC801 -->")
    result = newscheck.check_text(text)
    assert [(d.code, d.message) for d in result.diagnostics] == [
        ("NC011", "expected NC801 to silence something here, found nothing")
    ]


# A defect on the line before the directive (NC403 on line 4), on its line
# (NC805 on line 5) and on the line after (NC005 on line 6, an extra blank line).
AROUND = CONTENT + RELATIVE


def around(directive: str) -> str:
    return article(blank="   ", content=AROUND + directive) + "\n\n"


def test_the_three_defects_around_the_directive_line():
    assert found(around("")) == [("NC403", 4, 1), ("NC805", 5, 222), ("NC005", 6, 1)]


def test_disable_line_silences_its_own_line_and_neither_neighbour():
    text = around("<!-- newscheck: disable-line=NC403,NC805,NC005 -->")
    result = newscheck.check_text(text)
    assert [(d.code, d.line, d.column, d.message) for d in result.diagnostics] == [
        ("NC403", 4, 1, "expected an empty line, found '   '"),
        ("NC011", 5, 247, "expected NC403 to silence something here, found nothing"),
        ("NC011", 5, 247, "expected NC005 to silence something here, found nothing"),
        ("NC005", 6, 1, "expected one newline at the end of the file, found 2 blank line(s) more"),
    ]


@pytest.mark.parametrize("code", ["NC403", "NC005"])
def test_disable_line_does_not_reach_the_line_before_or_after(code):
    text = around(f"<!-- newscheck: disable-line={code} -->")
    assert [c for c, _, _ in found(text)] == ["NC403", "NC805", "NC011", "NC005"]


def test_disable_silences_the_line_before_its_own_and_the_line_after():
    assert found(around("<!-- newscheck: disable=NC403,NC805,NC005 -->")) == []


@pytest.mark.parametrize("code", ["NC403", "NC805", "NC005"])
def test_disable_of_one_rule_leaves_the_others(code):
    expected = [hit for hit in found(around("")) if hit[0] != code]
    assert found(around(f"<!-- newscheck: disable={code} -->")) == expected


def test_a_suppression_naming_no_rule_is_reported():
    result = newscheck.check_text(article(content=CONTENT + "<!-- newscheck: disable= -->"))
    assert [(d.code, d.line, d.column, d.message) for d in result.diagnostics] == [
        ("NC011", 5, len(CONTENT) + 1, "expected rules to disable, found none")
    ]


def test_an_unknown_rule_does_not_stop_the_ones_after_it():
    text = article(content=CONTENT + RELATIVE + "<!-- newscheck: disable=NC999,NC805 -->")
    result = newscheck.check_text(text)
    assert [(d.code, d.message) for d in result.diagnostics] == [
        (
            "NC011",
            "expected known rules in the suppression, found unknown rule or code prefix 'NC999'",
        )
    ]


def test_suppressions_of_the_checks_across_files(tmp_path):
    """Six articles with one URL (NC951, on line 2), each with its own
    directive on the content line (5)."""
    directives = {
        "a.md": "<!-- newscheck: disable-line=NC951 -->",  # another line: NC951 stays
        "b.md": "<!-- newscheck: disable=NC999,NC951 -->",  # the unknown one is reported
        "c.md": "<!-- newscheck: disable=NC95 -->",  # a prefix
        "d.md": "",
        "e.md": "<!-- newscheck: disable=NC951,NC805 -->",  # NC805 silences nothing
        "f.md": "<!-- newscheck: disable=NC952 -->",  # another rule across files
    }
    for name, directive in directives.items():
        body = CONTENT.replace("。</p>", f"。{name}</p>")
        (tmp_path / name).write_text(article(1, content=body + directive), encoding="utf-8")
    paths = [str(tmp_path / name) for name in directives]
    results = newscheck.check_paths(paths, corpus=True, jobs=1)
    assert [(r.path[-4:], d.code, d.line) for r in results for d in r.diagnostics] == [
        ("a.md", "NC951", 2),
        ("b.md", "NC011", 5),
        ("d.md", "NC951", 2),
        ("e.md", "NC011", 5),
        ("f.md", "NC951", 2),
    ]
