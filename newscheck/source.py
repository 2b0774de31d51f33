"""Bytes to text: strict UTF-8 decoding, one line index, 1-based positions.

Every position newscheck prints is computed here, from a character offset into
the decoded text. Columns count Unicode code points, starting at 1; an end
column points just past the last character (as in SARIF and most linters).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from enum import Enum
from typing import NamedTuple

from .values import Span

_NEWLINE = re.compile("\n")
_BINARY_MAGIC = (
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"%PDF",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"\x7fELF",
)
_SNIFF = 8192


class Unreadable(Enum):
    """Why a file's text cannot be parsed at all."""

    EMPTY = "empty"
    BINARY = "binary"
    TOO_LARGE = "too-large"
    IO_ERROR = "io-error"


class Position(NamedTuple):
    line: int
    column: int


@dataclass(frozen=True)
class Source:
    """One file's decoded text with its line index.

    ``invalid_utf8`` is the character offset of the first undecodable byte
    (the text then holds U+FFFD in its place); ``unreadable`` says why a file
    cannot be parsed at all, with ``detail`` naming the cause.
    """

    path: str
    text: str
    size: int
    invalid_utf8: int | None = None
    unreadable: Unreadable | None = None
    detail: str = ""
    line_starts: tuple[int, ...] = field(default=(0,), repr=False)

    @property
    def line_count(self) -> int:
        """Lines as an editor counts them: a final newline ends the last line."""
        count = len(self.line_starts)
        return count - 1 if self.text.endswith("\n") else count

    def position(self, offset: int) -> Position:
        offset = max(0, min(offset, len(self.text)))
        index = bisect.bisect_right(self.line_starts, offset) - 1
        return Position(index + 1, offset - self.line_starts[index] + 1)

    def line_span(self, index: int) -> Span:
        """The span of 0-based line ``index`` without its newline."""
        start = self.line_starts[index]
        if index + 1 < len(self.line_starts):
            return Span(start, self.line_starts[index + 1] - 1)
        return Span(start, len(self.text))

    def slice(self, span: Span) -> str:
        return self.text[span.start : span.end]


def _index(text: str) -> tuple[int, ...]:
    return (0, *(m.end() for m in _NEWLINE.finditer(text)))


def from_text(text: str, path: str = "<text>", size: int | None = None) -> Source:
    if size is None:
        size = len(text.encode("utf-8", "surrogatepass"))
    if not text or text.isspace():
        return unreadable(path, Unreadable.EMPTY, "the file is empty", size)
    return Source(path, text, size, line_starts=_index(text))


def unreadable(path: str, reason: Unreadable, detail: str = "", size: int = 0) -> Source:
    return Source(path, "", size, unreadable=reason, detail=detail)


def _binary_kind(head: bytes) -> str:
    for magic in _BINARY_MAGIC:
        if head.startswith(magic):
            return f"found a binary file signature {magic!r}"
    return "found NUL and control bytes"


def _looks_binary(head: bytes) -> bool:
    if head.startswith(_BINARY_MAGIC):
        return True
    if b"\x00" not in head:
        return False
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls * 10 > len(head)


def from_bytes(data: bytes, path: str = "<bytes>") -> Source:
    """Decode ``data`` as strict UTF-8, recording the first bad byte if any."""
    if _looks_binary(data[:_SNIFF]):
        return unreadable(path, Unreadable.BINARY, _binary_kind(data[:_SNIFF]), len(data))
    try:
        return from_text(data.decode("utf-8"), path, len(data))
    except UnicodeDecodeError as error:
        text = data.decode("utf-8", "replace")
        bad = len(data[: error.start].decode("utf-8", "replace"))
    return Source(path, text, len(data), invalid_utf8=bad, line_starts=_index(text))
