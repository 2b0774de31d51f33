"""Checks across files: the corpus rules over a whole run, merged into its results.

The corpus rules (``newscheck/rules/corpus.py``) see the
:class:`~newscheck.corpus_index.CorpusIndex` of every file's facts. This
module holds

* :func:`run`: the enabled corpus rules over a complete index, as findings on
  files by their number (their position in the run, i.e. discovery order);
* :func:`merged`: the edge that makes this work on a stream. Results go by,
  each is indexed and spilled to a temporary file (so memory stays flat); once
  the last one is in, the corpus rules run, and the results are read back in
  the same order with their corpus diagnostics merged in. Output is therefore
  identical whatever ``--jobs`` and whether a result came from the cache (its
  facts are cached with it), and each file is reported once.

A pair of files is reported by the first of NC951 (same URL), NC952 (same
content), NC953 (same text) that relates them and is enabled, not again by the
next ones.
"""

from __future__ import annotations

import array
import functools
import hashlib
import io
import marshal
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import IO, Any

from .corpus_index import CorpusFinding, CorpusIndex
from .registry import REGISTRY, Rule, RuleSetting
from .rules import all_rules
from .values import Diagnostic, FileResult, Severity

# A rule's findings, in file order
Found = tuple[Rule, Severity, list[CorpusFinding]]


def run(index: CorpusIndex, settings: Mapping[str, RuleSetting]) -> list[Found]:
    """Every enabled corpus rule over the index: its findings, by file number."""
    chosen = [
        (rule, settings[rule.code])
        for rule in all_rules()
        if rule.corpus_check is not None
        and rule.code in settings
        and settings[rule.code].severity is not None
    ]
    index.enabled = frozenset(rule.code for rule, _ in chosen)
    found: list[Found] = []
    for rule, setting in chosen:
        assert rule.corpus_check is not None and setting.severity is not None
        findings = list(rule.corpus_check(index, setting.options))
        findings.sort(key=_number)  # stable: a file's findings keep their order
        found.append((rule, setting.severity, findings))
    return found


def _number(finding: CorpusFinding) -> int:
    return finding.number


def by_file(found: list[Found]) -> Iterator[tuple[int, list[tuple[Rule, Severity, CorpusFinding]]]]:
    """``(number, [(rule, severity, finding)...])`` for each file with findings, in order."""
    cursors = [0] * len(found)
    while True:
        heads = [f[c].number for (_, _, f), c in zip(found, cursors, strict=True) if c < len(f)]
        if not heads:
            return
        number = min(heads)
        items = []
        for which, (rule, severity, findings) in enumerate(found):
            while cursors[which] < len(findings) and findings[cursors[which]].number == number:
                items.append((rule, severity, findings[cursors[which]]))
                cursors[which] += 1
        yield number, items


def names(related: Sequence[str], count: int, show: Callable[[str], str] = str) -> str:
    """``5 other files: a.md, b.md, c.md and 2 more``, each path as ``show`` makes it."""
    shown = ", ".join(show(path) for path in related)
    more = count - len(related)
    files = "1 other file" if count == 1 else f"{count} other files"
    return f"{files}: {shown}" + (f" and {more} more" if more > 0 else "")


def diagnostic(
    rule: Rule,
    severity: Severity,
    finding: CorpusFinding,
    facts: Mapping[str, Any],
    paths: Mapping[int, str],
) -> Diagnostic:
    """A corpus finding as a diagnostic on the part it names (line 1 for the file)."""
    at = facts.get("at") or {}
    line, column, end_line, end_column = at.get(finding.part) or (1, 1, 1, 1)
    fingerprint = _fingerprint(rule.code, finding.key)
    related = tuple(paths[n] for n in finding.others)
    message = finding.message.replace("{others}", names(related, finding.count))
    message = message.replace("{other}", ", ".join(related))
    return Diagnostic(
        rule.code,
        rule.name,
        severity,
        message,
        line,
        column,
        end_line,
        end_column,
        fingerprint=fingerprint,
        related=related,
    )


@functools.lru_cache(maxsize=4096)  # the members of a group share their key
def _fingerprint(code: str, key: str) -> str:
    digest = hashlib.sha256(f"{code}\0{key}".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:16]


def _suppressed(d: Diagnostic, facts: Mapping[str, Any]) -> bool:
    """Whether an inline suppression of the file (kept in its facts) silences ``d``."""
    for line, codes in facts.get("suppress") or ():
        if d.code in codes and line in (0, d.line):
            return True
    return False


_PLACES = ("at", "suppress")  # the facts a corpus diagnostic needs


_IN_MEMORY = 8 << 20  # bytes of results a spill holds in memory before it moves to a file


class _Spill:
    """Results written down as they go by, read back later: in memory up to
    :data:`_IN_MEMORY` bytes, then in a temporary file.

    A file's facts are marshalled apart inside its record, so reading it back
    without them (:meth:`results` gives them only to the files it is told of)
    costs no more than its path and diagnostics."""

    def __init__(self, facts: bool = True) -> None:
        self.file: IO[bytes] = io.BytesIO()
        self.offsets = array.array("q", [0])
        self.facts = facts  # keep them all, or only what corpus diagnostics need

    def write(self, result: FileResult) -> None:
        rows = [d.as_row() for d in result.diagnostics]
        facts = result.facts
        kept = dict(facts) if self.facts else {k: facts[k] for k in _PLACES if k in facts}
        data = marshal.dumps((result.path, rows, result.schema, marshal.dumps(kept)))
        self.file.write(data)
        self.offsets.append(self.offsets[-1] + len(data))
        if isinstance(self.file, io.BytesIO) and self.offsets[-1] > _IN_MEMORY:
            self._to_disk(self.file)

    def _to_disk(self, memory: io.BytesIO) -> None:
        # here: tempfile brings shutil and random, ~2.5 ms of a start-up that a
        # run whose results fit in memory (one file, a few thousand) need not pay
        import tempfile

        self.file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        self.file.write(memory.getbuffer())

    def _load(self, data: bytes, facts: bool) -> FileResult:
        path, rows, schema, kept = marshal.loads(data)
        diagnostics = tuple(Diagnostic.from_row(row) for row in rows)
        return FileResult(path, diagnostics, marshal.loads(kept) if facts else {}, schema)

    def path(self, number: int) -> str:
        start = self.offsets[number]
        self.file.seek(start)
        path: str = marshal.loads(self.file.read(self.offsets[number + 1] - start))[0]
        return path

    def results(self, wanted: Iterator[int]) -> Iterator[FileResult]:
        """Every result in order, with its facts if kept whole, else only the
        ``wanted`` files' (numbers in increasing order)."""
        self.file.flush()
        self.file.seek(0)
        offsets, facts = self.offsets, self.facts
        want = next(wanted, -1)
        for number in range(len(offsets) - 1):
            data = self.file.read(offsets[number + 1] - offsets[number])
            yield self._load(data, facts or number == want)
            if number == want:
                want = next(wanted, -1)

    def close(self) -> None:
        self.file.close()


def merged(
    results: Iterable[FileResult],
    settings: Mapping[str, RuleSetting],
    ignored: Callable[[str], frozenset[str]] = lambda path: frozenset(),
    facts: bool = True,
) -> Iterator[FileResult]:
    """``results`` in the same order, with the enabled corpus rules' diagnostics
    merged into the files concerned (sorted with theirs). ``ignored`` gives the
    rules per-file-ignores leave out for a path; inline suppressions are in the
    facts. Results are held in a spill (a temporary file past 8 MB); without
    ``facts``, the results come back without their facts (cheaper), as a run
    replayed from the cache does."""
    spill = _Spill(facts)
    try:
        index = CorpusIndex()
        for result in results:
            spill.write(result)
            index.add(result.path, result.facts)
        found = run(index, settings)
        named = {n for _, _, findings in found for f in findings for n in f.others}
        paths = {n: spill.path(n) for n in sorted(named)}
        files = by_file(found)
        next_number, items = next(files, (-1, []))
        concerned = (number for number, _ in by_file(found))
        for number, result in enumerate(spill.results(concerned)):
            if number != next_number:
                yield result
                continue
            skip = ignored(result.path)
            extra = [
                d
                for d in (diagnostic(r, s, f, result.facts, paths) for r, s, f in items)
                if d.code not in skip and not _suppressed(d, result.facts)
            ]
            diagnostics = sorted((*result.diagnostics, *extra), key=Diagnostic.sort_key)
            yield FileResult(result.path, tuple(diagnostics), result.facts, result.schema)
            next_number, items = next(files, (-1, []))
    finally:
        spill.close()


def enabled(settings: Mapping[str, RuleSetting]) -> bool:
    """Whether any corpus rule is on in these settings."""
    return any(
        REGISTRY[code].corpus and setting.severity is not None
        for code, setting in settings.items()
        if code in REGISTRY
    )
