"""Checks across files: duplicate articles, and the identity and order of files.

A corpus rule (registered with :func:`newscheck.diagnostics.corpus_rule`, in
``newscheck/rules/corpus.py``) cannot see anything in one file: it needs every
file's facts (:mod:`newscheck.facts`). This module holds

* :class:`CorpusIndex`: the small keys of every file, added one file at a time
  as results stream by (a few dozen bytes a file in arrays: 64-bit hashes of the
  URL, the content and the body text, the id and timestamp, a folder number;
  never a parsed tree, a text or a path);
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
next ones. A finding names at most :data:`NAMED_AT_MOST` other files and
counts the rest, so a corpus of many copies (forks of one archive) costs a few
dozen bytes a file, not a list of every copy for each.
"""

from __future__ import annotations

import array
import bisect
import collections
import functools
import hashlib
import marshal
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .diagnostics import REGISTRY, Diagnostic, FileResult, Rule, RuleSetting, Severity, all_rules

# <id>.md or <id>_<title>.md; in the real archives the title holds '/' as '--'
# and a newline as itself (shown as %0A in copies that cannot hold one).
_NAMED = re.compile(r"(?P<id>[0-9]{1,12})(?:_(?P<title>.*))?\.md", re.S)
_NAME_MAX = 250  # bytes: a longer name may have been cut by the file system
NAMED_AT_MOST = 3  # other files named in one message


@dataclass(frozen=True, slots=True)
class CorpusFinding:
    """One finding of a corpus rule on one file.

    ``part`` is where the diagnostic points (``timestamp``, ``title``, ``url``,
    ``content``, or ``file`` for the file as a whole); ``message`` may hold
    ``{others}``, replaced by ``count`` other files and the paths of the first
    of them, ``others`` (files by number), or ``{other}``, by their paths;
    ``key`` is what the diagnostic's fingerprint is made of, so it does not
    change when other files come and go.
    """

    number: int
    part: str
    message: str
    key: str
    others: tuple[int, ...] = ()
    count: int = 0


def _hash64(text: str) -> int:
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True) or 1


def _hex64(value: Any) -> int:
    """A facts hash (16 hex digits) as a signed 64-bit integer; 0 for none."""
    if not isinstance(value, str) or not value:
        return 0
    try:
        return int(value[:16], 16) - (1 << 63) or 1
    except ValueError:
        return _hash64(value)


def url_key(url: str) -> str:
    """The URL as duplicates are found: http and https alike (the facts'
    URL is already normalised: see :func:`newscheck.facts.normalise_url`)."""
    scheme, sep, rest = url.partition("://")
    return rest if sep and scheme in ("http", "https") else url


def filename_id(name: str) -> tuple[int, str | None] | None:
    """``(id, title or None)`` of a file named ``<id>.md`` or ``<id>_<title>.md``."""
    found = _NAMED.fullmatch(name)
    if found is None:
        return None
    return int(found["id"]), found["title"]


def filename_title(title: str) -> str:
    """The file name's title part as the archiver writes it from a link title."""
    return title.replace("/", "--")


def title_mismatch(name: str, named: str, title: str) -> tuple[str, str] | None:
    """``(expected, found)`` when a file name's title is not the link title's."""
    expected = filename_title(title)
    if named == expected:  # nearly always
        return None
    expected = unicodedata.normalize("NFC", expected).strip()
    found = unicodedata.normalize("NFC", named.replace("%0A", "\n").replace("%0a", "\n")).strip()
    if found == expected:
        return None
    if len(name.encode("utf-8", "surrogateescape")) >= _NAME_MAX and expected.startswith(found):
        return None  # the file system cut a long name
    return expected, found


@dataclass
class CorpusIndex:
    """The small keys of every file, in the order files were added.

    Arrays of 64-bit integers, one slot per file (0 where a file has no such
    fact): the URL (hashed), the content and body-text hashes, the body length,
    the id from the file name (-1 without one), the timestamp (-1 without
    one) and the file's folder. File-name titles that disagree with the link
    title are kept as strings: there are few.
    """

    urls: array.array[int] = field(default_factory=lambda: array.array("q"))
    contents: array.array[int] = field(default_factory=lambda: array.array("q"))
    bodies: array.array[int] = field(default_factory=lambda: array.array("q"))
    chars: array.array[int] = field(default_factory=lambda: array.array("q"))
    ids: array.array[int] = field(default_factory=lambda: array.array("q"))
    times: array.array[int] = field(default_factory=lambda: array.array("q"))
    folders: array.array[int] = field(default_factory=lambda: array.array("q"))
    folder_numbers: dict[str, int] = field(default_factory=dict)
    titles: dict[int, tuple[str, str]] = field(default_factory=dict)
    enabled: frozenset[str] = frozenset()  # the corpus rules of this run (see run)

    def __len__(self) -> int:
        return len(self.urls)

    def add(self, path: str, facts: Mapping[str, Any]) -> int:
        """Index one file's facts (empty for a file that was not parsed); its number."""
        number = len(self.urls)
        url = facts.get("url")
        self.urls.append(_hash64(url_key(url)) if isinstance(url, str) and url else 0)
        self.contents.append(_hex64(facts.get("content_hash")))
        self.bodies.append(_hex64(facts.get("body_hash")))
        chars = facts.get("body_chars")
        self.chars.append(chars if isinstance(chars, int) else 0)
        timestamp = facts.get("timestamp")
        self.times.append(timestamp if isinstance(timestamp, int) and facts else -1)
        folder, name = os.path.split(path)
        self.folders.append(self.folder_numbers.setdefault(folder, len(self.folder_numbers)))
        named = filename_id(name) if facts else None
        self.ids.append(named[0] if named else -1)
        title = facts.get("title")
        if named and named[1] is not None and isinstance(title, str):
            mismatch = title_mismatch(name, named[1], title)
            if mismatch is not None:
                self.titles[number] = mismatch
        return number


_BUCKETS = 256


def groups(
    keys: array.array[int], eligible: Callable[[int], bool] | None = None
) -> list[list[int]]:
    """Numbers of the files sharing a non-zero key, two or more, each in order.

    The numbers are parted by a byte of their key into arrays first, and
    each part sorted on its own: a sort's Python objects exist for one part
    at a time, so memory grows by 8 bytes a file, not ~80."""
    parts = [array.array("q") for _ in range(_BUCKETS)]
    for n, key in enumerate(keys):
        if key and (eligible is None or eligible(n)):
            parts[key % _BUCKETS].append(n)
    found: list[list[int]] = []
    for part in parts:
        numbers = sorted(part, key=keys.__getitem__)  # stable: in order within a key
        start = 0
        for end in range(1, len(numbers) + 1):
            if end == len(numbers) or keys[numbers[end]] != keys[numbers[start]]:
                if end - start > 1:
                    found.append(numbers[start:end])
                start = end
    found.sort()
    return found


def longest_non_increasing(values: list[int]) -> list[int]:
    """Positions of a longest non-increasing subsequence of ``values`` (the
    earliest-ending one: deterministic)."""
    tails: list[int] = []  # -value at the end of the best run of each length
    ends: list[int] = []  # position of that end
    before = [-1] * len(values)
    for position, value in enumerate(values):
        length = bisect.bisect_right(tails, -value)
        if length == len(tails):
            tails.append(-value)
            ends.append(position)
        else:
            tails[length] = -value
            ends[length] = position
        before[position] = ends[length - 1] if length else -1
    chain: list[int] = []
    position = ends[-1] if ends else -1
    while position != -1:
        chain.append(position)
        position = before[position]
    return chain[::-1]


def duration(milliseconds: int) -> str:
    """A time difference for a message: ``3.2 days``, ``5 hours``, ``12 minutes``."""
    seconds = abs(milliseconds) / 1000
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            amount = seconds / size
            shown = f"{amount:.1f}".removesuffix(".0") if amount < 10 else f"{amount:.0f}"
            return f"{shown} {unit}{'' if shown == '1' else 's'}"
    return f"{seconds:.0f} seconds"


# A rule's findings, in file order
Found = tuple[Rule, Severity, list[CorpusFinding]]


def duplicates(
    index: CorpusIndex,
    group: list[int],
    part: str,
    message: str,
    key: str,
    excluded: tuple[array.array[int], ...] = (),
) -> Iterator[CorpusFinding]:
    """A finding on each file of ``group`` naming the others, except those that
    share one of the ``excluded`` keys with it (a stronger relation, reported
    by another rule): their count, exactly, and the first few, in order."""
    if not excluded:  # the same others for all but the first few: one shared tuple
        head = tuple(group[: NAMED_AT_MOST + 1])
        shared = head[:NAMED_AT_MOST]
        for number in group:
            others = tuple(n for n in head if n != number)[:NAMED_AT_MOST]
            others = shared if others == shared else others
            yield CorpusFinding(number, part, message, key, others, len(group) - 1)
        return
    counts = [collections.Counter(keys[n] for n in group) for keys in excluded]
    both = collections.Counter(tuple(keys[n] for keys in excluded) for n in group)
    named: dict[tuple[int, ...], tuple[int, ...]] = {}
    for number in group:
        mine = tuple(keys[number] for keys in excluded)
        if len(excluded) == 2:  # |group| - |same first| - |same second| + |same both|
            count = len(group) - counts[0][mine[0]] - counts[1][mine[1]] + both[mine]
        else:
            count = len(group) - counts[0][mine[0]]
        if count <= 0:
            continue
        if mine not in named:  # the same for every file sharing its keys
            named[mine] = _first_others(group, number, excluded, mine)
        yield CorpusFinding(number, part, message, key, named[mine], count)


def _first_others(
    group: list[int], number: int, excluded: tuple[array.array[int], ...], mine: tuple[int, ...]
) -> tuple[int, ...]:
    """The first files of ``group`` that are not ``number`` and share no excluded key."""
    found: list[int] = []
    for other in group:
        pairs = zip(excluded, mine, strict=True)
        if other == number or any(keys[other] == key for keys, key in pairs):
            continue
        found.append(other)
        if len(found) == NAMED_AT_MOST:
            break
    return tuple(found)


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


class _Spill:
    """Results written to a temporary file as they go by, read back later."""

    def __init__(self, facts: bool = True) -> None:
        self.file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        self.offsets = array.array("q", [0])
        self.facts = facts  # keep them all, or only what corpus diagnostics need

    def write(self, result: FileResult) -> None:
        rows = [d.as_row() for d in result.diagnostics]
        facts = result.facts
        kept = dict(facts) if self.facts else {k: facts[k] for k in _PLACES if k in facts}
        data = marshal.dumps((result.path, kept, rows, result.schema))
        self.file.write(data)
        self.offsets.append(self.offsets[-1] + len(data))

    def _load(self, data: bytes) -> FileResult:
        path, facts, rows, schema = marshal.loads(data)
        diagnostics = tuple(Diagnostic.from_row(row) for row in rows)
        return FileResult(path, diagnostics, facts, schema)

    def read(self, number: int) -> FileResult:
        start = self.offsets[number]
        self.file.seek(start)
        return self._load(self.file.read(self.offsets[number + 1] - start))

    def __iter__(self) -> Iterator[FileResult]:
        self.file.flush()
        self.file.seek(0)
        for number in range(len(self.offsets) - 1):
            yield self._load(self.file.read(self.offsets[number + 1] - self.offsets[number]))

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
    facts. Results are held in a temporary file, not in memory; without
    ``facts``, the results come back without most of their facts (cheaper)."""
    spill = _Spill(facts)
    try:
        index = CorpusIndex()
        for result in results:
            spill.write(result)
            index.add(result.path, result.facts)
        found = run(index, settings)
        named = {n for _, _, findings in found for f in findings for n in f.others}
        paths = {n: spill.read(n).path for n in sorted(named)}
        files = by_file(found)
        next_number, items = next(files, (-1, []))
        for number, result in enumerate(spill):
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
