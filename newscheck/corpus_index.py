"""The index of a whole run's files, and the helpers the corpus rules use.

A corpus rule (registered with :func:`newscheck.registry.corpus_rule`, in
``newscheck/rules/corpus.py``) cannot see anything in one file: it needs every
file's facts (:mod:`newscheck.facts`). :class:`CorpusIndex` holds the small
keys of every file, added one file at a time as results stream by (a few dozen
bytes a file in arrays: 64-bit hashes of the URL, the content and the body
text, the id and timestamp, a folder number; never a parsed tree, a text or a
path); a rule yields :class:`CorpusFinding` on files by their number (their
position in the run, i.e. discovery order). :mod:`newscheck.corpus_run` runs
the rules and merges their findings into the stream of results.

A finding names at most :data:`NAMED_AT_MOST` other files and counts the rest,
so a corpus of many copies (forks of one archive) costs a few dozen bytes a
file, not a list of every copy for each.

This module imports nothing of newscheck: the rules import it, and it must
not import what imports them.
"""

from __future__ import annotations

import array
import bisect
import collections
import hashlib
import os
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

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
