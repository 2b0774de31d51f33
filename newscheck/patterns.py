"""Regular expressions from schemas, run in linear time by RE2.

Python's ``re`` backtracks: a pattern such as ``^(a+)+$`` takes exponential
time on a line of ``a``s that ends otherwise, inside one call that no alarm
interrupts. A schema is configuration that may come with the checked files,
so its patterns run on RE2 (``google-re2``), whose time grows linearly with
the text. RE2 has no look-around and no back-references; a pattern that uses
them is rejected when the schema loads, with its position.

Patterns are compiled with ``.`` matching newlines too (``re.DOTALL``), and
give offsets in code points, as ``re`` does. A part of a text (``pos``,
``endpos``) is matched as a text of its own: ``^`` and ``$`` are its ends.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import re2
from re2 import _re2  # the compiled object under re2's wrapper, called directly (see Pattern)

_START, _BOTH, _NONE = (
    _re2.RE2.Anchor.ANCHOR_START, _re2.RE2.Anchor.ANCHOR_BOTH, _re2.RE2.Anchor.UNANCHORED
)  # fmt: skip


class PatternError(ValueError):
    """A pattern RE2 cannot compile (its syntax, or a construct it lacks)."""


class Match:
    """The part of ``re.Match`` newscheck uses, by group number or name.

    RE2 gives offsets in the UTF-8 bytes it matched; they are turned into
    code points in one pass over the part, the first time one is asked for
    (the same numbers when the part is ASCII)."""

    def __init__(
        self, spans: list[tuple[int, int]], pattern: Pattern, part: str, data: bytes, pos: int
    ) -> None:
        self._pattern, self._part, self._data, self._pos = pattern, part, data, pos
        # by group, where it is in the part: in code points once counted (None: not yet)
        self._bytes = spans
        self._points = spans if len(data) == len(part) else None

    def _counted(self) -> list[tuple[int, int]]:
        """Where each group is in the part, in code points ((-1, -1): it took no part)."""
        spans, points, at, counted = self._bytes, {-1: -1}, 0, 0
        for offset in sorted({offset for span in spans for offset in span if offset > 0}):
            counted += len(self._data[at:offset].decode())
            points[offset], at = counted, offset
        points[0] = 0
        self._points = [(points[start], points[end]) for start, end in spans]
        return self._points

    def _span(self, group: int | str) -> tuple[int, int]:
        spans = self._points if self._points is not None else self._counted()
        return spans[self._pattern.groupindex[group] if isinstance(group, str) else group]

    def group(self, group: int | str = 0) -> str | None:
        start, end = self._span(group)
        return None if start < 0 else self._part[start:end]

    def groupdict(self) -> dict[str, str | None]:
        return {name: self.group(number) for name, number in self._pattern.groupindex.items()}

    def start(self, group: int | str = 0) -> int:
        start = self._span(group)[0]
        return start if start < 0 else start + self._pos

    def end(self, group: int | str = 0) -> int:
        end = self._span(group)[1]
        return end if end < 0 else end + self._pos


class Pattern:
    """A compiled pattern with the ``re.Pattern`` methods newscheck uses.

    It is compiled from its UTF-8 bytes and given the part's UTF-8 bytes:
    the same matches as a ``str`` pattern, without the conversion of every
    offset to code points that RE2's ``str`` interface makes on each call.
    Each call goes straight to the compiled RE2 object, which gives every
    group's byte offsets at once (re2's Python wrapper adds a generator and
    a match object around that call: a third of its cost on a short line)."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        try:
            written = pattern.encode()
        except UnicodeEncodeError as error:  # a "\ud800" escape in a YAML or JSON string
            at = error.start
            raise PatternError(
                f"a lone surrogate U+{ord(pattern[at]):04X} at {at}, which a UTF-8 pattern "
                "cannot hold"
            ) from None
        compiled = _re2.RE2(written, _OPTIONS)
        if not compiled.ok():
            raise PatternError(_reason(compiled.error()))
        self._regexp = compiled
        self.groups: int = compiled.NumberOfCapturingGroups()
        self.groupindex: Mapping[str, int] = {
            name.decode(): number for name, number in compiled.NamedCapturingGroups()
        }

    def _run(self, anchor: Any, text: str, pos: int, endpos: int | None) -> Match | None:
        """``text[pos:endpos]`` matched on its own (each call as long as its
        part); offsets count from the start of ``text``."""
        part = text[pos:endpos]
        try:
            data = part.encode()
        except UnicodeEncodeError:  # a lone surrogate (a caller's surrogateescape), which
            data = part.encode("utf-8", "replace")  # RE2 sees as "?": one byte, one code point
        spans = self._regexp.Match(anchor, data, 0, len(data))
        return None if spans[0][0] < 0 else Match(spans, self, part, data, pos)

    def match(self, text: str, pos: int = 0, endpos: int | None = None) -> Match | None:
        return self._run(_START, text, pos, endpos)

    def fullmatch(self, text: str, pos: int = 0, endpos: int | None = None) -> Match | None:
        return self._run(_BOTH, text, pos, endpos)

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> Match | None:
        return self._run(_NONE, text, pos, endpos)


def _options() -> Any:
    options = re2.Options()
    options.dot_nl = True  # as re.DOTALL
    options.log_errors = False  # the error is the schema's diagnostic, not a log line
    return options


_OPTIONS = _options()


def _reason(error: bytes | str) -> str:
    reason = error.decode("utf-8", "replace") if isinstance(error, bytes) else error
    if reason.startswith(("invalid perl operator", "invalid escape sequence")):
        reason += " (RE2 runs schema patterns: no look-around or back-references)"
    return reason


@functools.lru_cache(maxsize=256)
def compile(pattern: str) -> Pattern:
    """``pattern`` compiled for RE2; :class:`PatternError` if it cannot be."""
    return Pattern(pattern)
