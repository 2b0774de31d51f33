"""Layout rules: the rule line, the blank line, and parts without a rule of their own."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..article import Article, Status
from ..registry import claimed_states, rule
from ..values import Finding
from ._util import found, malformed, missing


@rule("NC401", "missing-rule", "error", reports=("rule:missing",))
def missing_rule(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The rule line under the title is missing.

    The title link is followed by ``------``, which makes it a setext heading.

    Fail::

        [Title](https://example.com/a)

        <p>body</p>

    Pass::

        [Title](https://example.com/a)
        ------
    """
    part = missing(article, "rule")
    if part:
        yield part.span, f"expected a rule line '------', {found(part)}"


@rule("NC402", "rule-length", "error", reports=("rule:malformed",))
def rule_length(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The rule line is not exactly six dashes.

    Every real file has ``------``; another length or ``===`` means another
    writer, and consumers that split on the exact rule fail.

    Fail::

        ----
        ======

    Pass::

        ------
    """
    part = malformed(article, "rule")
    if part:
        yield part.span, f"expected a rule of six dashes '------', {found(part)}"


@rule("NC403", "missing-blank-line", "error", reports=("blank:missing", "blank:malformed"))
def missing_blank_line(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The empty line between the rule and the content is missing (or holds spaces).

    Fail::

        ------
        <div><i>Mon, 20 Jul 2020 19:22:03 GMT</i></div>

    Pass::

        ------

        <div><i>Mon, 20 Jul 2020 19:22:03 GMT</i></div>
    """
    part = missing(article, "blank") or malformed(article, "blank")
    if part:
        yield part.span, f"expected an empty line, {found(part)}"


@rule("NC902", "missing-part", "error")
def missing_part(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """A required part declared by the schema is missing.

    Reported for parts of a user's layout that no built-in rule covers; the
    message names the part.

    Fail (a layout whose ``front`` block opens with ``---``)::

        <!--1699465144000-->

    Pass::

        ---
        title: "A title"
        ---
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
def malformed_part(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """A part declared by the schema is recognised but does not match its pattern.

    Reported for parts of a user's layout that no built-in rule covers. A
    block is malformed when its closing line (``close``) is missing, when it
    holds more than ``max_lines`` lines before it, or when a ``yaml`` block is
    not a YAML mapping; the message then says which, where it went wrong.

    Fail (a layout whose ``front`` block is ``yaml`` between ``---`` lines)::

        ---
        title: "A title
        ---

    Pass::

        ---
        title: "A title"
        ---
    """
    claimed = claimed_states()
    for part in article.parts.values():
        if f"{part.name}:malformed" not in claimed and part.status is Status.MALFORMED:
            problem = article.problems.get(part.name)
            if problem is not None:
                yield problem
            else:
                yield part.span, f"expected part {part.name!r} to match its pattern, {found(part)}"
