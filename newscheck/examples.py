"""Each rule's examples, in one place: the ``@examples`` decorator beside the rule.

A rule's failing examples (each with every diagnostic it gives: code, severity,
line and column, worked out by hand), its passing examples and its plants (how
the defect strategies put its defect into a drawn article) are declared once,
under the rule's ``@rule`` decorator::

    @rule("NC205", "unbalanced-brackets", "warning")
    @examples(
        Fail(article(title="[美国大选（更新](https://a.example/x)"), [("NC205", "warning", 2, 6)]),
        passing=[article(title="[美国大选（更新）](https://a.example/x)")],
        plant=field("title", lambda title: title + "（"),
    )
    def unbalanced_brackets(article, options): ...

Three readers share them: the rules reference (the ``Fail::``/``Pass::``
blocks of :attr:`newscheck.registry.Rule.doc` are rendered from them),
``tests/rules/test_rules.py`` (each failing example gives exactly its hits, each
passing one none, and a rule without examples fails) and
:func:`newscheck.strategies.defects` (the plants). A rule a single text cannot
show names the test that shows it instead (``elsewhere=``).

Examples are texts built from :func:`article`, the one sound feed-article
(default schema) they vary: the reference shows the lines where an example
differs from it. Nothing here imports hypothesis or a parser.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

if TYPE_CHECKING:
    from .schema import Schema

__all__ = [
    "CONTENT",
    "JEKYLL",
    "Examples",
    "Fail",
    "Plant",
    "article",
    "date",
    "examples",
    "field",
    "html",
    "longer_than",
    "skew",
    "text",
]

# --- the sound article every example varies ------------------------------------

CONTENT = (
    "<div><i>Mon, 20 Jul 2020 17:00:00 GMT</i></div>"
    '<img src="https://images.weserv.nl?url=gdb.voanews.com/a.jpg" width="100%">'
    '<div><small style="color: #999;">资料照：布林肯在纽约。</small></div>'
    "<p>中国国家副主席韩正周三表示，中美双方进行高层对话有助于改善两国关系。</p>"
)
PARTS = {
    "timestamp": "<!--1595267727000-->",
    "title": "[韩正表态愿与美加强沟通](https://www.voachinese.com/a/7346550.html)",
    "rule": "------",
    "blank": "",
    "content": CONTENT,
}
# Pieces of the content line that examples recombine.
DATE = "<div><i>Mon, 20 Jul 2020 17:00:00 GMT</i></div>"
BODY = "<p>中国国家副主席韩正周三表示，中美双方进行高层对话有助于改善两国关系。</p>"

# A sound jekyll-feed-article (docs/examples/jekyll/ holds the same file).
JEKYLL = """\
---
layout: post
title: "Tram line reaches the airport"
date: 2024-03-05T12:00:00.000Z
author: City News
from: https://example.com/news/tram-airport
tags: [ City News ]
categories: [ City News ]
---
<!--1709640000000-->
[Tram line reaches the airport](https://example.com/news/tram-airport)
------

<div>
<p>The extended tram line to the airport carried its first passengers on Tuesday morning.</p>
</div>
"""


def article(n: int | None = None, **parts: str | None) -> str:
    """A sound feed-article, with any line replaced (or dropped with None).

    ``n`` (0-99) makes it another article: its own URL (of the same length) and
    its own text, so that files of a test are not duplicates of each other
    (NC951-NC953 report those).
    """
    lines = {**PARTS, **parts}
    if n is not None:
        lines = {
            **lines,
            "title": lines["title"] and lines["title"].replace("7346550", f"73465{n:02}"),
            "content": parts.get("content", CONTENT.replace("。</p>", f"。{n}</p>")),
        }
    return "".join(line + "\n" for line in lines.values() if line is not None)


# --- examples -----------------------------------------------------------------

Hit = tuple[str, str, int, int]  # code, severity, line, column


class Fail(NamedTuple):
    """A failing example and every diagnostic it gives, in order."""

    text: str | bytes
    hits: Sequence[Hit]
    note: str = ""  # shown beside ``Fail`` in the reference


class Plant(NamedTuple):
    """How the defect strategies plant a rule's defect in a drawn article.

    ``where`` is what it changes: a template ``field`` (``name``) by
    ``change``; the article's ``date`` (``value``; ``div``: only where the date
    is a div of the HTML block); the ``html`` block (its pieces set from
    ``value``, then ``change`` appended to the body; ``name``: a piece or
    extracted field the schema must have); the whole ``text`` (``change``
    gives the new text and the line reported); or ``skew`` (the timestamp ten
    days off the date). A schema without what it changes gets no such defect.
    """

    where: str
    name: str = ""
    change: Any = None
    value: Any = None
    lines: int = 1  # a field plant: how many lines the field's part must allow
    div: bool = False


def field(name: str, change: Callable[[str], str], *, lines: int = 1) -> Plant:
    """The drawn value of field ``name`` changed."""
    return Plant("field", name, change, lines=lines)


def date(value: str, *, div: bool = False) -> Plant:
    """The article's date written as ``value`` (empty: an empty date div)."""
    return Plant("date", value=value, div=div)


def html(append: str = "", *, needs: str = "", **pieces: str) -> Plant:
    """The HTML block with ``pieces`` (date_div, media, body) set, then ``append``
    appended to its body."""
    return Plant("html", needs, append, value=dict(pieces))


def text(change: Callable[[str], tuple[str, int]]) -> Plant:
    """The article's whole text changed; ``change`` gives the text and the line reported."""
    return Plant("text", change=change)


def longer_than(limit: int) -> Callable[[str], str]:
    """A change to a value one character longer than ``limit`` (the value repeated)."""
    return lambda value: (value * (limit + 1))[: limit + 1]


def skew() -> Plant:
    """The timestamp ten days away from the article's date."""
    return Plant("skew")


Plants = Plant | Sequence[Plant] | Callable[["Schema"], "Plant | Sequence[Plant]"]


SOUND = article()


class Examples(NamedTuple):
    """A rule's examples: see the module's documentation."""

    fail: tuple[Fail, ...] = ()
    passing: tuple[str | bytes, ...] = ()
    schema: str | None = None  # YAML text or a built-in schema's name; None: the default
    base: str = SOUND  # what the reference compares the examples to
    plant: Plants = ()
    elsewhere: str = ""  # "module:test" that shows the rule, when no single text can
    message: str = ""  # a regular expression the message of a planted defect matches

    def plants(self, schema: Schema) -> tuple[Plant, ...]:
        """The plants for ``schema`` (a callable ``plant`` is given the schema)."""
        made = self.plant(schema) if callable(self.plant) else self.plant
        return (made,) if isinstance(made, Plant) else tuple(made)

    def doc(self) -> str:
        """The ``Fail::`` and ``Pass::`` blocks of the rule's reference."""
        blocks: list[tuple[str, list[str]]] = []

        def add(label: str, note: str, shown: list[str]) -> None:
            heading = f"{label} ({note})" if note else label
            if blocks and blocks[-1][0] == heading and not note:
                blocks[-1][1].extend(shown)
            else:
                blocks.append((heading, list(shown)))

        for example in self.fail:
            add("Fail", example.note, _shown(example.text, self.base))
        for passing in self.passing:
            # The base itself passes: shown where the first failing example changed it.
            against = self.fail[0].text if passing == self.base and self.fail else self.base
            add("Pass", "", _shown(passing, against))
        return "\n\n".join(
            f"{heading}::\n\n" + "\n".join("    " + line for line in shown)
            for heading, shown in blocks
        )


def _shown(text: str | bytes, base: str | bytes) -> list[str]:
    """The lines where ``text`` differs from ``base`` (beside a removed line, its
    neighbours); all of its lines when none differs."""
    import difflib  # only the reference needs it, not a check

    old, new = (_lines(t) for t in (base, text))
    shown: list[str] = []
    for tag, _, _, start, end in difflib.SequenceMatcher(None, old, new).get_opcodes():
        if tag == "delete":
            start, end = max(start - 1, 0), end + 1
        if tag != "equal":
            shown += [line for line in new[start:end] if not shown or line != shown[-1]]
    return [_visible(line) for line in shown or new]


_LINE = re.compile(r"[^\n]*\n|[^\n]+$")  # a line ends at "\n" only, as the checker reads it


def _lines(text: str | bytes) -> list[str]:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "backslashreplace")
    return _LINE.findall(text) or [""]


def _visible(line: str) -> str:
    """A line as the reference shows it: line breaks and invisible characters escaped."""
    if not line.strip():  # blank: its line break shown; an empty file as ''
        return repr(line)[1:-1] or "''"
    line = line.removesuffix("\n")
    return "".join(repr(ch)[1:-1] if not ch.isprintable() and ch not in "\t" else ch for ch in line)


F = TypeVar("F", bound=Callable[..., Any])


def examples(
    *fail: Fail,
    passing: Sequence[str | bytes] = (),
    schema: str | None = None,
    base: str | None = None,
    plant: Plants = (),
    elsewhere: str = "",
    message: str = "",
) -> Callable[[F], F]:
    """Attach a rule's examples to its check function (put it under ``@rule``)."""
    failing = tuple(Fail(f.text, tuple(f.hits), f.note) for f in fail)
    found = Examples(failing, tuple(passing), schema, base or SOUND, plant, elsewhere, message)

    def attach(check: F) -> F:
        check.examples = found  # type: ignore[attr-defined]
        return check

    return attach
