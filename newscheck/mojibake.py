"""Mojibake: UTF-8 text that some program decoded with the wrong codec.

A misreading is found by *round trip*: a run of text that, encoded back with
the codec that misread it and decoded as UTF-8, gives real text of the
expected script. One scan of the text finds where a misreading of either
family could open; only there is a run read back:

- single-byte (CP1252 / Latin-1): a UTF-8 lead byte read as a letter
  ``Â``..``ô`` followed by continuation bytes read as punctuation or
  symbols; read twice, the damage compounds (``Ã¤Â¸Â­`` for ``中``);
- double-byte (GBK/GB18030, Big5, Shift-JIS, EUC-KR): UTF-8 CJK text is
  three bytes a character, ``L C C`` (lead E2..EF, continuations 80..BF);
  read two bytes at a time it opens with characters whose bytes are
  ``(L C) (C L)``, a pair real text seldom holds. The classes of such
  characters are read from each codec's own table, once; from such an
  opening the non-ASCII stretch is encoded back and read as UTF-8 for as
  long as it stays valid.

Real CJK text is kept apart from a misreading of it (GBK mojibake of Chinese
is itself Chinese characters) by tests on the round trip's result, not on a
list of cases: the bytes must be valid UTF-8 from the run's first character
(a cut last character is allowed); the result must be CJK text of two
characters or more, in one writing system (it fits one national character
set, no hangul mixed with hanzi); and it must be more plausible than the run:
most of its characters common (the first level of GB 2312, Big5, JIS X 0208,
the hangul of KS X 1001, kana, CJK punctuation), at least as common as the
run's, and when no more common and only two letters long, the run must be a
mix of writing systems.
"""

from __future__ import annotations

import re
from codecs import getincrementaldecoder, register_error
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from itertools import product
from typing import NamedTuple

#: (label, codec) of the double-byte codecs, most common confusion first.
DOUBLE_BYTE = (
    ("GBK", "gb18030"),
    ("Big5", "cp950"),
    ("Shift-JIS", "cp932"),
    ("EUC-KR", "cp949"),
)

# What CP1252 makes of a continuation byte 0x80..0xBF (Latin-1 the same, plus C1).
_CONTINUATION = (
    "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
)
# A lead byte 0xC2..0xF4 read as a letter, then 1..3 continuation bytes; the
# longest stretch of such characters is one run (text read twice is one too).
_UTF8_CHAR = f"[\u00c2-\u00f4][{_CONTINUATION}]{{1,3}}"
_SINGLE_BYTE = re.compile(f"{_UTF8_CHAR}(?:{_UTF8_CHAR})*")
_SEQUENCE_SIZE = {0xC: 2, 0xD: 2, 0xE: 3, 0xF: 4}  # by a lead byte's high nibble
_CONTINUATIONS_ONLY = re.compile(f"[{_CONTINUATION}]+")
_LEAD = frozenset(map(chr, range(0xC2, 0xF5)))
_CONTINUATION_CHARS = frozenset(
    c for c in map(chr, [*range(0x80, 0xC0), *range(0x100, 0x2200)]) if _CONTINUATIONS_ONLY.match(c)
)
_NON_ASCII = re.compile("[^\x00-\x7f]+")

# What a CJK text is written in: kana, bopomofo, hangul, ideographs, CJK and
# full-width punctuation, the middle dot and general punctuation.
_CJK_CLASS = (
    "\u3000-\u30ff\u3100-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3"
    "\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u00b7\u2010-\u2027\u2030-\u205e"
)
_HAN_CLASS = "\u3400-\u4dbf\u4e00-\u9fff"
_HANGUL_CLASS = "\u3130-\u318f\uac00-\ud7a3"
_NATIONAL = ("gb2312", "big5", "shift_jis", "euc_kr")
_COMMON_LEVELS = (
    ("gb2312", 0xB0A1, 0xD7F9),  # GB 2312 level 1: 3,755 hanzi
    ("big5", 0xA440, 0xC67E),  # Big5 level 1: 5,401 hanzi
    ("shift_jis", 0x889F, 0x9872),  # JIS X 0208 level 1: 2,965 kanji
    ("euc_kr", 0xB0A1, 0xC8FE),  # KS X 1001: 2,350 hangul syllables
)
_LEADS, _CONTINUATIONS = range(0xE2, 0xF0), range(0x80, 0xC0)


class _Scripts(NamedTuple):
    """Patterns of CJK text; their large classes take ~9 ms to compile, so
    they are compiled when a possible misreading is first read back."""

    text: re.Pattern[str]  # CJK characters only
    run: re.Pattern[str]  # two or more
    han: re.Pattern[str]
    hangul: re.Pattern[str]
    not_letter: re.Pattern[str]  # neither kana, hangul nor ideograph


@cache
def _scripts() -> _Scripts:
    return _Scripts(
        re.compile(f"[{_CJK_CLASS}]+"),
        re.compile(f"[{_CJK_CLASS}]{{2,}}"),
        re.compile(f"[{_HAN_CLASS}]"),
        re.compile(f"[{_HANGUL_CLASS}]"),
        re.compile(f"[^\u3040-\u30ff{_HANGUL_CLASS}{_HAN_CLASS}]+"),
    )


@dataclass(frozen=True)
class Misreading:
    """One run of mojibake: where it is, what it was, and how it was misread."""

    start: int
    end: int
    found: str
    original: str
    codec: str  # e.g. "GBK", "CP1252", "CP1252 twice"


def misreadings(text: str) -> list[Misreading]:
    """Every run of mojibake in ``text``, in order, each counted once.

    One scan finds where a misreading could open, for every codec at once;
    only there is a run read back."""
    found: list[Misreading] = []
    gate, openers = _gate()
    done = 0  # the end of the last run judged: a run is judged once
    for opening in gate.finditer(text):
        at = opening.start()
        if at < done:
            continue
        run = _SINGLE_BYTE.match(text, at) if text[at] in _LEAD else None
        if run is not None:
            done = run.end()
            found.extend(_single_byte_runs(text, at, done))
            continue
        for label, codec, seconds in openers.get(text[at], ()):
            if text[at + 1] in seconds and (read := _double_byte_at(text, at, label, codec)):
                found.append(read)
                done = read.end
                break
    return found


def opening_characters() -> frozenset[str]:
    """Every character that can open a double-byte misreading: text without
    them (and without the Latin-1 block) never holds mojibake."""
    return frozenset().union(*(_classes(codec)[0] for _, codec in DOUBLE_BYTE))


def _utf8_shaped(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The stretches of ``text[start:end]`` shaped as UTF-8 read one byte a
    character: each lead followed by exactly as many continuations as it
    announces (C2..DF one, E0..EF two, F0..F4 three). A neighbour that merely
    looks like a continuation (a real '”' after the run) or a lost byte ends
    a stretch."""
    at, opened = start, None
    while at < end:
        lead = text[at]
        size = _SEQUENCE_SIZE[ord(lead) >> 4] if "\u00c2" <= lead <= "\u00f4" else 0
        if size and at + size <= end and _CONTINUATIONS_ONLY.fullmatch(text, at + 1, at + size):
            opened = at if opened is None else opened
            at += size
            continue
        if opened is not None:
            yield opened, at
            opened = None
        at += 1
    if opened is not None:
        yield opened, at


def _single_byte_runs(text: str, start: int, end: int) -> Iterator[Misreading]:
    for begin, stop in _utf8_shaped(text, start, end):
        if (read := _single_byte(text[begin:stop])) is not None:
            yield Misreading(begin, stop, text[begin:stop], *read)


def _single_byte(run: str) -> tuple[str, str] | None:
    """What ``run`` was in UTF-8 and how many times it was read as CP1252."""
    times, text = 0, run
    while (decoded := _as_utf8(text)) is not None:
        times, text = times + 1, decoded
        if not _SINGLE_BYTE.fullmatch(text):
            break
    if times == 0:
        return None
    return text, "CP1252" + {1: "", 2: " twice"}.get(times, f" {times} times")


def _as_utf8(run: str) -> str | None:
    """``run`` encoded back as CP1252 (C1 controls as Latin-1 bytes, as
    browsers decode the five bytes CP1252 leaves undefined) and read as UTF-8."""
    try:
        return run.encode("cp1252", _C1_AS_LATIN1).decode("utf-8")
    except UnicodeError:
        return None


def _c1_as_latin1(error: UnicodeError) -> tuple[bytes, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    return error.object[error.start : error.end].encode("latin-1"), error.end


_C1_AS_LATIN1 = "newscheck.c1-as-latin1"
register_error(_C1_AS_LATIN1, _c1_as_latin1)


def _double_byte_at(text: str, at: int, label: str, codec: str) -> Misreading | None:
    """The run of UTF-8 CJK text read as ``codec`` that opens at ``at``, if any.

    The non-ASCII stretch from ``at`` is encoded back and decoded as UTF-8
    keeping every invalid byte (``surrogateescape``): a misreading gives its
    original back up to where it ends; real text gives invalid bytes at once.
    """
    non_ascii = _NON_ASCII.match(text, at)
    stretch = non_ascii.group() if non_ascii else ""
    decoded = stretch.encode(codec, "replace").decode("utf-8", "surrogateescape")
    head = _scripts().run.match(decoded)
    if head is None or not _plausible(head.group()):
        return None
    end = at + _char_holding(stretch, codec, len(head.group().encode()) - 1) + 1
    original = _double_byte(text[at:end], codec)
    return None if original is None else Misreading(at, end, text[at:end], original, label)


def _plausible(text: str) -> bool:
    """Real CJK text: two characters or more of one writing system, most of them common."""
    return (
        len(text) >= 2
        and _scripts().text.fullmatch(text) is not None
        and 2 * _common(text) >= len(text)
        and _coherent(text)
    )


def _double_byte(run: str, codec: str) -> str | None:
    """The CJK text ``run`` was before its UTF-8 was read as ``codec``, if any:
    plausible text, at least as common as the run and, when no more common
    and only two letters long, from a run that mixes writing systems."""
    try:
        raw = run.encode(codec)
        original = getincrementaldecoder("utf-8")().decode(raw, final=False)  # last may be cut
    except UnicodeError:
        return None
    if not _plausible(original):
        return None
    gain = _common(original) * len(run) - _common(run) * len(original)
    if gain < 0 or (
        gain == 0 and len(_scripts().not_letter.sub("", original)) <= 2 and _coherent(run)
    ):
        return None
    return original


@cache
def _gate() -> tuple[re.Pattern[str], dict[str, list[tuple[str, str, frozenset[str]]]]]:
    """Where any misreading could open, in one pattern: a UTF-8 lead byte read
    as CP1252 before a continuation, or the first two characters a
    double-byte codec makes of UTF-8 CJK text (``L C C L C C`` read two bytes
    at a time opens ``(L C) (C L)``, or ``(L C) C`` where the codec has
    single-byte characters: Shift-JIS katakana). With it, for each first
    character, the codecs it opens and the second characters they need."""
    openers: dict[str, list[tuple[str, str, frozenset[str]]]] = {}
    seconds = set(_CONTINUATION_CHARS)
    for label, codec in DOUBLE_BYTE:
        lead_cont, cont_lead, cont = _classes(codec)
        following = cont_lead | cont
        for char in lead_cont:
            openers.setdefault(char, []).append((label, codec, following))
        seconds |= following
    first = _LEAD | frozenset(openers)
    return re.compile(f"{_class(first)}(?={_class(frozenset(seconds))})"), openers


@cache
def _classes(codec: str) -> tuple[frozenset[str], ...]:
    """The characters ``codec`` reads from bytes (L C), (C L) and (C)."""
    shapes = ((_LEADS, _CONTINUATIONS), (_CONTINUATIONS, _LEADS), (_CONTINUATIONS,))
    return tuple(_read(product(*shape), codec) for shape in shapes)


def _read(sequences: Iterable[tuple[int, ...]], codec: str) -> frozenset[str]:
    """The non-ASCII characters ``codec`` reads from each byte sequence alone,
    in one decoding: a newline (never a trail byte) keeps them apart."""
    decoded = b"\n".join(map(bytes, sequences)).decode(codec, "replace")
    return frozenset(c for c in decoded.split("\n") if len(c) == 1 and not c.isascii()) - {"\ufffd"}


def _class(chars: frozenset[str]) -> str:
    """A regular-expression class of ``chars``, as ranges (quick to compile)."""
    if not chars:
        return "(?!)"
    points = sorted(map(ord, chars))
    ranges, start = [], points[0]
    for before, after in zip(points, [*points[1:], -1], strict=True):
        if after != before + 1:
            ranges.append(
                re.escape(chr(start)) + ("-" + re.escape(chr(before)) if before > start else "")
            )
            start = after
    return "[" + "".join(ranges) + "]"


def _char_holding(text: str, codec: str, offset: int) -> int:
    """The index of the character of ``text`` whose ``codec`` bytes hold byte ``offset``."""
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if len(text[:middle].encode(codec, "replace")) <= offset:
            low = middle
        else:
            high = middle - 1
    return low


def _coherent(text: str) -> bool:
    """Letters of one writing system: the ideographs, kana and hangul of ``text``
    all fit, two bytes each, one national character set (GB 2312, Big5,
    JIS X 0208, KS X 1001), and hangul is not mixed with hanzi."""
    scripts = _scripts()
    letters = scripts.not_letter.sub("", text)
    if scripts.hangul.search(letters) and scripts.han.search(letters):
        return False
    return any(_two_bytes_each(letters, codec) for codec in _NATIONAL)


def _two_bytes_each(text: str, codec: str) -> bool:
    try:
        return len(text.encode(codec)) == 2 * len(text)
    except UnicodeEncodeError:
        return False


def _common(text: str) -> int:
    return sum(map(_is_common, text))


@cache
def _is_common(char: str) -> bool:
    """Kana, CJK punctuation, or a character of the first (common) level of
    GB 2312, Big5, JIS X 0208 or the hangul of KS X 1001."""
    if "\u3000" <= char <= "\u30ff" or "\uff01" <= char <= "\uff5e":
        return True
    for codec, low, high in _COMMON_LEVELS:
        try:
            raw = char.encode(codec)
        except UnicodeEncodeError:
            continue
        if len(raw) == 2 and low <= int.from_bytes(raw, "big") <= high:
            return True
    return False
