"""Layout rules: the rule line, the blank line, and parts without a rule of their own."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..article import Article, Status
from ..examples import JEKYLL, Fail, article, examples
from ..registry import claimed_states, rule
from ..values import Finding
from ._util import found, malformed, missing


@rule("NC401", "missing-rule", "error", reports=("rule:missing",))
@examples(
    Fail(article(rule=None), [("NC401", "error", 3, 1)]),
    passing=[article()],
    message=r"expected a rule line '------', found .+",
)
def missing_rule(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The rule line under the title is missing.

    The title link is followed by ``------``, which makes it a setext heading.
    """
    part = missing(article, "rule")
    if part:
        yield part.span, f"expected a rule line '------', {found(part)}"


@rule("NC402", "rule-length", "error", reports=("rule:malformed",))
@examples(
    Fail(article(rule="----"), [("NC402", "error", 3, 1)]),
    Fail(article(rule="======"), [("NC402", "error", 3, 1)]),
    passing=[article()],
    message=r"expected a rule of six dashes '------', found .+",
)
def rule_length(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The rule line is not exactly six dashes.

    Every real file has ``------``; another length or ``===`` means another
    writer, and consumers that split on the exact rule fail.
    """
    part = malformed(article, "rule")
    if part:
        yield part.span, f"expected a rule of six dashes '------', {found(part)}"


@rule("NC403", "missing-blank-line", "error", reports=("blank:missing", "blank:malformed"))
@examples(
    Fail(article(blank=None), [("NC403", "error", 4, 1)]),
    Fail(article(blank="   "), [("NC403", "error", 4, 1)]),
    passing=[article()],
    message=r"expected an empty line, found .+",
)
def missing_blank_line(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The empty line between the rule and the content is missing (or holds spaces)."""
    part = missing(article, "blank") or malformed(article, "blank")
    if part:
        yield part.span, f"expected an empty line, {found(part)}"


@rule("NC902", "missing-part", "error")
@examples(
    Fail(
        JEKYLL.split("---\n", 2)[2],
        [("NC902", "error", 1, 1)],
        note="jekyll-feed-article: the front block is missing",
    ),
    passing=[JEKYLL],
    schema="jekyll-feed-article",
    base=JEKYLL,
    message=r"expected part '[^']+', found .+",
)
def missing_part(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """A required part declared by the schema is missing.

    Reported for parts of a user's layout that no built-in rule covers; the
    message names the part.
    """
    claimed = claimed_states()
    for part in article.parts.values():
        if (
            f"{part.name}:missing" not in claimed
            and part.status is Status.MISSING
            and part.required
        ):
            yield part.span, f"expected part {part.name!r}, {found(part)}"


@rule("NC903", "malformed-part", "error")
@examples(
    Fail(
        JEKYLL.replace('airport"\n', "airport\n", 1),
        [("NC903", "error", 8, 26)],
        note="jekyll-feed-article: the front block is not YAML",
    ),
    passing=[JEKYLL],
    schema="jekyll-feed-article",
    base=JEKYLL,
    message=r"expected part '[^']+' to match its pattern, found .+",
)
def malformed_part(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """A part declared by the schema is recognised but does not match its pattern.

    Reported for parts of a user's layout that no built-in rule covers. A
    block is malformed when its closing line (``close``) is missing, when it
    holds more than ``max_lines`` lines before it, or when a ``yaml`` block is
    not a YAML mapping; the message then says which, where it went wrong.
    """
    claimed = claimed_states()
    for part in article.parts.values():
        if f"{part.name}:malformed" not in claimed and part.status is Status.MALFORMED:
            problem = article.problems.get(part.name)
            if problem is not None:
                yield problem
            else:
                yield part.span, f"expected part {part.name!r} to match its pattern, {found(part)}"
