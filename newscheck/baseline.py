"""Baselines: adopt newscheck on an old corpus and report only new defects.

A baseline records each diagnostic by the file's path (relative to the
baseline file), the rule's code and the diagnostic's fingerprint (rule plus
defective content, not line numbers), with a count for repeats. Checking
against it drops as many matching diagnostics as it recorded; rewriting it
drops defects that were fixed.
"""

from __future__ import annotations

import collections
import json
import os
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path, PurePath

from .atomic import write_text
from .reporters import printable
from .values import FileResult

VERSION = 1
Key = tuple[str, str, str]


class BaselineError(Exception):
    pass


def _relative(path: str, base: Path) -> str:
    """A file's path as the baseline holds it: relative to the baseline's
    folder, a name's bytes that are not UTF-8 written ``\\xNN``."""
    relative = PurePath(os.path.relpath(os.path.abspath(path), base.resolve())).as_posix()
    return printable(relative, controls=False)


def write(target: Path, results: Iterable[FileResult]) -> int:
    """Write every diagnostic of ``results`` to ``target`` atomically (see
    :mod:`newscheck.atomic`); return the count."""
    base = target.parent
    counts: collections.Counter[Key] = collections.Counter()
    for result in results:
        relative = _relative(result.path, base)
        for d in result.diagnostics:
            counts[(relative, d.code, d.fingerprint)] += 1
    entries = [
        {"path": path, "code": code, "fingerprint": fingerprint, "count": count}
        for (path, code, fingerprint), count in sorted(counts.items())
    ]
    document = {"version": VERSION, "tool": "newscheck", "entries": entries}
    write_text(target, json.dumps(document, ensure_ascii=False, indent=1) + "\n")
    return sum(counts.values())


class Baseline:
    """Recorded diagnostics; :meth:`filter` removes them from results."""

    def __init__(self, path: Path) -> None:
        self.base = path.parent
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
            entries = document["entries"] if document.get("version") == VERSION else None
            self.counts: collections.Counter[Key] = collections.Counter(
                {(e["path"], e["code"], e["fingerprint"]): int(e["count"]) for e in entries or []}
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            raise BaselineError(f"{path}: not a newscheck baseline ({error})") from None
        if entries is None:
            raise BaselineError(f"{path}: not a version {VERSION} newscheck baseline")

    def filter(self, result: FileResult) -> FileResult:
        if not result.diagnostics:
            return result
        relative = _relative(result.path, self.base)
        kept = []
        for d in result.diagnostics:
            key = (relative, d.code, d.fingerprint)
            if self.counts[key] > 0:
                self.counts[key] -= 1
            else:
                kept.append(d)
        return replace(result, diagnostics=tuple(kept))
