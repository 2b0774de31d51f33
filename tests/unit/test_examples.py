"""A rule's examples as the reference shows them: the lines where each differs
from the sound article, invisible characters escaped."""

from __future__ import annotations

import re

import newscheck
from newscheck.examples import Examples, Fail, article

TITLE = "[韩正表态愿与美加强沟通](https://www.voachinese.com/a/7346550.html)"


def test_a_changed_line_is_shown_and_the_sound_article_passes_where_it_changed():
    shown = Examples(
        fail=(Fail(article(timestamp="<!--NaN-->"), [("NC102", "error", 1, 1)]),),
        passing=(article(),),
    )
    assert shown.doc() == "Fail::\n\n    <!--NaN-->\n\nPass::\n\n    <!--1595267727000-->"


def test_a_removed_line_is_shown_by_its_neighbours():
    shown = Examples(fail=(Fail(article(title=None), [("NC201", "error", 2, 1)]),))
    assert shown.doc() == "Fail::\n\n    <!--1595267727000-->\n    ------"


def test_examples_without_a_note_share_a_block_and_a_note_opens_its_own():
    shown = Examples(
        fail=(
            Fail(article(rule="----"), [("NC402", "error", 3, 1)]),
            Fail(article(rule="======"), [("NC402", "error", 3, 1)]),
            Fail(article(rule="-"), [("NC402", "error", 3, 1)], note="one dash"),
        )
    )
    assert shown.doc() == "Fail::\n\n    ----\n    ======\n\nFail (one dash)::\n\n    -"


def test_invisible_characters_line_breaks_and_bytes_are_escaped():
    shown = Examples(
        fail=(
            Fail("\ufeff" + article(), [("NC002", "error", 1, 1)]),
            Fail(article(timestamp="<!--1\r-->"), [("NC102", "error", 1, 1)]),
            Fail(article(blank="  "), [("NC403", "error", 4, 1)]),
            Fail(
                article(title="[\x00]").encode().replace(b"\x00", b"\xff"),
                [("NC001", "error", 2, 2)],
            ),
            Fail("", [("NC007", "error", 1, 1)]),
        )
    )
    assert shown.doc() == (
        "Fail::\n\n    \\ufeff<!--1595267727000-->\n    <!--1\\r-->\n      \\n\n    [\\xff]\n    ''"
    )


def test_a_rule_s_examples_are_not_also_written_in_its_docstring():
    block = re.compile(r"^\s*(Fail|Pass)\b[^\n]*::$", re.M)
    written = [
        rule.code
        for rule in newscheck.all_rules()
        if rule.examples
        and rule.examples.fail
        and block.search((rule.corpus_check or rule.check).__doc__ or "")
    ]
    assert written == []
