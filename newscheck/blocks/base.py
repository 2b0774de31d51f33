"""What a layout block kind is made of: :class:`BlockKind`, the record the
registry in :mod:`newscheck.blocks` maps each ``block:`` name to, and the
helpers every kind shares."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from hypothesis.strategies import DrawFn, SearchStrategy

    from ..article import Part
    from ..patterns import Pattern
    from ..schema import PartSpec, Schema
    from ..source import Source
    from ..values import Span


class RenderError(ValueError):
    """Fields that a schema's templates cannot write, or that do not read back."""


class Parsed(NamedTuple):
    """A block's text as its kind parses it: the part with the fields its
    text holds (or marked malformed), where and why it is malformed, and for
    the content block its HTML tree (None when there is nothing to parse)."""

    part: Part
    problem: tuple[Span, str] | None = None
    root: Any = None


Values = Mapping[str, "str | None"]  # the line parts' field values, by name

# A block's whole text given the line parts' values and the timestamp (epoch ms).
Writer = Callable[["Schema", "PartSpec", Values, int], str]
BlockDrawer = Callable[["DrawFn", Values, int], str]


class Drawing(NamedTuple):
    """What a kind's strategy draws from; :mod:`newscheck.strategies` (the
    one module that imports hypothesis) builds it."""

    prose: SearchStrategy[str]  # a paragraph of sentences
    values: Callable[[Any, str], SearchStrategy[Any]]  # values of a small JSON Schema


class BlockKind(NamedTuple):
    """A ``block:`` kind: how its text is parsed, written and drawn.

    ``content``: the block is the article's HTML content (at most one per
    layout; ``extract`` queries its tree; the factory and the strategies
    build it from pieces: date div, media, body). ``mapping``: the block's
    value is a field named after the part, with a ``NAME.KEY`` field for each
    key (the record, the checks and ``schema infer`` read them). ``write``:
    the factory's text for the block when a test gives none (None: the
    factory takes no such block). ``strategy``: how articles draw it, built once per schema (it
    raises ValueError for a block it cannot draw; None: never drawn, a test
    gives it as a fixed field).
    """

    name: str
    parse: Callable[[Part, Span, Source], Parsed]
    content: bool = False
    mapping: bool = False
    write: Writer | None = None
    strategy: Callable[[Schema, PartSpec, Drawing], BlockDrawer] | None = None


def wrapped(part: PartSpec, text: str) -> str:
    """A block's text between its opening and closing lines (when it has them)."""
    lines = [_literal(part, part.open), text, _literal(part, part.close)]
    return "\n".join(line for line in lines if line is not None)


def _literal(part: PartSpec, pattern: Pattern | None) -> str | None:
    """The one line a literal pattern matches (``---``, ``<div>``)."""
    if pattern is None:
        return None
    line = re.sub(r"\\(.)", r"\1", pattern.pattern.removeprefix("^").removesuffix("$"))
    if pattern.fullmatch(line) is None:
        raise RenderError(
            f"part {part.name!r} opens or closes with a pattern, {pattern.pattern!r}, "
            f"not a line: give its text as {part.name}=..."
        )
    return line
