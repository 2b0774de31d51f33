"""``block: text``: lines taken as they are; only whole-file rules see them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import BlockDrawer, BlockKind, Drawing, Parsed, wrapped

if TYPE_CHECKING:
    from ..article import Part
    from ..schema import PartSpec, Schema
    from ..source import Source
    from ..values import Span


def parse(part: Part, span: Span, source: Source) -> Parsed:
    """Not parsed: the part as it was found."""
    return Parsed(part)


def strategy(schema: Schema, part: PartSpec, drawing: Drawing) -> BlockDrawer:
    """A paragraph of sentences."""
    return lambda draw, values, milliseconds: wrapped(part, draw(drawing.prose))


KIND = BlockKind("text", parse, strategy=strategy)
