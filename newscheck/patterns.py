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


class PatternError(ValueError):
    """A pattern RE2 cannot compile (its syntax, or a construct it lacks)."""


class Match:
    """The part of ``re.Match`` newscheck uses, by group number or name."""

    def __init__(self, found: Any, names: Mapping[str, int], offset: int) -> None:
        self._found, self._names, self._offset = found, names, offset

    def _group(self, group: int | str) -> int:
        return self._names[group] if isinstance(group, str) else group

    def group(self, group: int | str = 0) -> str | None:
        return self._found.group(self._group(group))  # type: ignore[no-any-return]

    def groupdict(self) -> dict[str, str | None]:
        return {name: self._found.group(number) for name, number in self._names.items()}

    def start(self, group: int | str = 0) -> int:
        return self._found.start(self._group(group)) + self._offset  # type: ignore[no-any-return]

    def end(self, group: int | str = 0) -> int:
        return self._found.end(self._group(group)) + self._offset  # type: ignore[no-any-return]


class Pattern:
    """A compiled pattern with the ``re.Pattern`` methods newscheck uses."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        try:
            self._compiled = re2.compile(pattern, _OPTIONS)
        except re2.error as error:
            raise PatternError(_reason(error)) from None
        self.groupindex: Mapping[str, int] = dict(self._compiled.groupindex)

    def _run(self, how: str, text: str, pos: int, endpos: int | None) -> Match | None:
        """``text[pos:endpos]`` matched on its own (RE2 converts the whole
        text it is given to UTF-8: a slice keeps each call as long as its
        part); offsets count from the start of ``text``."""
        found = getattr(self._compiled, how)(text[pos:endpos])
        return None if found is None else Match(found, self.groupindex, pos)

    def match(self, text: str, pos: int = 0, endpos: int | None = None) -> Match | None:
        return self._run("match", text, pos, endpos)

    def fullmatch(self, text: str, pos: int = 0, endpos: int | None = None) -> Match | None:
        return self._run("fullmatch", text, pos, endpos)

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> Match | None:
        return self._run("search", text, pos, endpos)


def _options() -> Any:
    options = re2.Options()
    options.dot_nl = True  # as re.DOTALL
    options.log_errors = False  # the error is the schema's diagnostic, not a log line
    return options


_OPTIONS = _options()


def _reason(error: Exception) -> str:
    reason = error.args[0] if error.args else error
    reason = reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)
    if reason.startswith(("invalid perl operator", "invalid escape sequence")):
        reason += " (RE2 runs schema patterns: no look-around or back-references)"
    return reason


@functools.lru_cache(maxsize=256)
def compile(pattern: str) -> Pattern:
    """``pattern`` compiled for RE2; :class:`PatternError` if it cannot be."""
    return Pattern(pattern)
