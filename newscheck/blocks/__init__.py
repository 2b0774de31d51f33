"""The registry of layout block kinds: a ``block:`` name to its :class:`BlockKind`.

A kind is one module here (``html``, ``text``, ``yaml``) whose ``KIND``
says how its text is parsed, written and drawn (:mod:`.base`). Parsing,
schema loading (the meta-schema's enum of ``block`` values is set from this
registry), the factory, the strategies, the record rule and ``schema infer``
read the registry, so adding a kind is its module and its line below; then
list it in the shipped ``schemas/meta-schema.json`` (for editors; a test
compares the two) and document it in ``docs/schema.md``.
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
