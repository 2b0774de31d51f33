"""Rules the engine itself reports: its own failures, unused suppressions, its time budget."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..article import Article
from ..examples import CONTENT, Fail, article, examples, html
from ..registry import rule
from ..values import Finding


@rule("NC000", "internal-error", "error", needs_parse=False)
@examples(elsewhere="tests.rules.test_rules:test_a_crashing_rule_becomes_an_internal_error")
def internal_error(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """newscheck itself failed on this file.

    A rule or the parser raised an unexpected exception. The file's other
    results are still reported and the run goes on, but the exit code is 2;
    the message names the failing step. Please report it with the file.
    """
    return iter(())


@rule("NC011", "unused-suppression", "warning", needs_parse=False)
@examples(
    Fail(
        article(content=CONTENT + "<!-- newscheck: disable-line=NC805 -->"),
        [("NC011", "warning", 5, 222)],
        note="nothing on the line is a relative link",
    ),
    Fail(
        article(
            content=CONTENT
            + '<p><a href="javascript:alert(1)">x</a></p><!-- newscheck: disable=ALL -->'
        ),
        [("NC804", "error", 5, 225), ("NC011", "warning", 5, 264)],
        note="a ``javascript:`` link stays NC804, and this is reported",
    ),
    passing=[
        article(content=CONTENT + '<a href="/a/1.html">x</a><!-- newscheck: disable-line=NC805 -->')
    ],
    plant=html("<!-- newscheck: disable=script-element -->"),
)
def unused_suppression(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """An inline suppression silences nothing, names no rule, or names an unsuppressible one.

    ``<!-- newscheck: disable=CODES -->`` silences rules in the whole file,
    ``<!-- newscheck: disable-line=CODES -->`` on its own line (codes, code
    prefixes or rule names, comma-separated). A suppression left behind after
    a fix hides the next real defect, so it is reported. An article must not
    switch off the checks that guard its readers: the rules of
    ``unsuppressible`` (by default the HTML-safety rules NC801-NC804) stay
    reported whatever the article says, and a suppression that would have
    silenced one of them is reported too. ``allow-inline-suppressions =
    false`` (``--no-inline-suppressions``) ignores every suppression.
    """
    return iter(())


@rule(
    "NC012",
    "check-time-budget",
    "error",
    needs_parse=False,
    option_schemas={"seconds": {"type": "number", "exclusiveMinimum": 0}},
    seconds=10,
)
@examples(elsewhere="tests.hostile.test_battery:test_a_runaway_rule_is_stopped_by_the_budget")
def check_time_budget(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Checking the file took longer than ``seconds`` (default 10).

    A hostile or broken file (pathological HTML, a pattern that backtracks)
    must not stall a run: the check stops and this diagnostic names the stage
    it was in; the rules after it did not run. The budget is checked between
    the parse and each rule; in the main thread of a process (the command
    line, each worker) an alarm also stops a stage while it runs, once a
    single call into lxml returns. Such a result is never cached. Real
    articles take milliseconds.

    Options: ``seconds`` (number). Set the rule to ``off`` for no budget.
    """
    return iter(())


@rule("NC013", "no-layout-fits", "error", needs_parse=False)
@examples(
    elsewhere="tests.cli.test_own_schemas:test_a_file_in_none_of_the_layouts_gets_one_diagnostic"
)
def no_layout_fits(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """With ``--schema auto``, the file is in none of the layouts to choose from.

    ``auto`` checks each file with the first layout that fits it: the
    configuration's own ``schemas`` (by their ``files`` globs, else by their
    layout), then the built-in ones. A file that none fits, and that finds
    fewer than half of the required parts of the closest layout, is no
    article of any of them: it gets this one diagnostic instead of a
    diagnostic for every part. The message names the closest layout, how
    many of its parts it found, and the first part that did not fit, where
    it was expected and what was found there. A file that finds most of the
    closest layout's parts is checked with it, and its rules say what is
    wrong. Declare the layout (``newscheck schema infer`` proposes one) and
    list it under ``schemas`` in the configuration.
    """
    return iter(())
