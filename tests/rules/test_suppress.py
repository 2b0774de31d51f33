"""Inline suppressions inside article files."""

from __future__ import annotations

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
