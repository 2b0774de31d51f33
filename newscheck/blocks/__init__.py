"""The registry of layout block kinds: a ``block:`` name to its :class:`BlockKind`.

A kind is one module here (``html``, ``text``, ``yaml``) whose ``KIND`` says
how its text is parsed, written and drawn (:mod:`.base`); everything that
treats blocks by kind reads this registry. CONTRIBUTING.md says what adding a
kind takes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import html, text, yaml
from .base import BlockKind

if TYPE_CHECKING:
    from ..schema import PartSpec

KINDS: dict[str, BlockKind] = {kind.name: kind for kind in (html.KIND, text.KIND, yaml.KIND)}


def kind_of(part: PartSpec) -> BlockKind | None:
    """The kind of a layout part's block (None for a line part)."""
    return None if part.block is None else KINDS[part.block]
