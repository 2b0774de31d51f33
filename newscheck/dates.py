"""The date grammar: dates as news sites print them, read by construction.

A date is read by a few compiled regular expressions, one per *shape* of the
day (year first with ``-`` ``/`` ``.``; CJK ``年月日`` and Korean ``년월일``;
a day before or after an English month name; the ``asctime`` order; ISO 8601
basic form), each followed by the same optional pieces: a weekday before or
after the day, a time (``17:55``, ``17:55:03.152``, ``17时55分``, ``下午5:55``,
``5:55 PM``), a zone (``Z``, ``+08:00``, ``-0500``, ``GMT+8``, an RFC 822 name
or military letter, a few unambiguous common names) and a parenthesised
comment (``(China Standard Time)``). Numeric day-first and month-first days
(``20/07/2020``) are ambiguous: they are read only with a declared ``order``
(``dmy`` or ``mdy``), never guessed.

Declared forms (strptime-like formats, a schema's ``dates``) use the same
pieces, so every form the grammar reads can be written as a format
(:attr:`Reading.form`, which ``schema infer`` proposes) and read back.

A :class:`Reading` carries the instant, its *precision* (a day, a minute, a
second or a fraction) and whether the text named its zone: a date without a
zone is read in the zone given (UTC by default), and a day is the whole day.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import Any

MAX_CHARS = 120  # a longer text is not a date (and is never given to a pattern)

_MONTH = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_NUMBERS = {name: number for number, name in enumerate(_MONTHS, 1)}
_WEEKDAY = (
    r"(?:mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?"
    r"|sat(?:urday)?|sun(?:day)?)\.?"
    r"|(?:星期|周|週|礼拜|禮拜)[一二三四五六日天]"
    r"|[(（][一二三四五六日天月火水木金土][)）]"
    r"|[월화수목금토일]요일|[月火水木金土日]曜日?"
)
_AFTERNOON = frozenset(
    {"pm", "p.m.", "p.m", "pm.", "下午", "晚上", "傍晚", "夜间", "夜間", "午後", "오후"}
)
_MORNING = frozenset({"am", "a.m.", "a.m", "am.", "上午", "早上", "凌晨", "午前", "오전"})
_NOON = "中午"
_HALF_DAY = r"[ap]\.?m\.?|上午|中午|下午|晚上|早上|凌晨|傍晚|夜间|夜間|午前|午後|오전|오후"
# Zone names: RFC 822 (military letters as RFC 2822 says: UTC, their offsets
# unknown) and a few that name one offset only. CST is RFC 822's US Central
# time: a source that means China Standard Time declares its form.
_ZONE_HOURS: Mapping[str, int] = {
    "Z": 0, "UT": 0, "UTC": 0, "GMT": 0,
    "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
    "WET": 0, "WEST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3, "MSK": 3,
    "HKT": 8, "SGT": 8, "JST": 9, "KST": 9, "AEST": 10, "AEDT": 11,
    "北京时间": 8, "北京時間": 8,
    **{letter: 0 for letter in "ABCDEFGHIKLMNOPQRSTUVWXY"},
}  # fmt: skip
# (a military letter is a capital: "2020-07-20 x" is no date)
_ZONE = r"Z|(?:GMT|UTC|UT)?\s?[+-]\d{1,2}(?::?\d{2})?|(?-i:[A-IK-Y])|[a-z]{2,4}|北京时间|北京時間"
_TIME = (
    rf"(?:(?P<p>{_HALF_DAY})\s*)?(?P<H>\d{{1,2}})\s*(?:[:：]|[时時点點시]\s*)(?P<M>\d{{1,2}})"
    r"(?:\s*[分분])?(?:(?:[:：]|(?<=[分분])\s*)(?P<S>\d{1,2})(?:[.,](?P<f>\d+))?(?:\s*[秒초])?)?"
    rf"(?:\s*(?P<q>{_HALF_DAY}))?"
)
_YEAR = r"(?P<Y>\d{4}|\d{2})"
_DAYS = {
    "ymd": r"(?P<Y>\d{4})(?P<s>[-/.])(?P<m>\d{1,2})(?P=s)(?P<d>\d{1,2})",
    "cjk": rf"{_YEAR}\s*[年년]\s*(?P<m>\d{{1,2}})\s*[月월]\s*(?P<d>\d{{1,2}})(?:\s*[日号號일])?",
    "day-name": rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th)?[\s./-]*(?P<b>{_MONTH})\.?[\s./,-]*{_YEAR}",
    "name-day": rf"(?P<b>{_MONTH})\.?\s*(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s*(?P<Y>\d{{4}})",
}
_ORDERED = {
    "dmy": r"(?P<d>\d{1,2})(?P<s>[-/.])(?P<m>\d{1,2})(?P=s)" + _YEAR,
    "mdy": r"(?P<m>\d{1,2})(?P<s>[-/.])(?P<d>\d{1,2})(?P=s)" + _YEAR,
}
_BEFORE = rf"\s*(?:(?P<a>{_WEEKDAY})\s*,?\s*)?"
_AFTER = (
    rf"(?:\s*,?\s*(?P<w>{_WEEKDAY}))?"
    rf"(?:(?:\s*[T,@-]\s*|\s+(?:at\s+)?|(?<=[日号號일)）曜])\s*){_TIME})?"
    rf"(?:\s*\(?(?P<z>{_ZONE})\)?)?(?:\s*\([^()]*\))?\s*"
)
_FLAGS = re.IGNORECASE
# The shapes, most common first; each is compiled when first needed (a corpus
# of one or two forms compiles one or two of them).
_SHAPES = (
    *(_BEFORE + day + _AFTER for day in _DAYS.values()),
    # asctime and its kin: Mon Jul 20 17:55:03 2020
    rf"\s*(?P<a>{_WEEKDAY})\s+(?P<b>{_MONTH})\s+(?P<d>\d{{1,2}})\s+{_TIME}"
    rf"(?:\s+(?P<z>{_ZONE}))?\s+(?P<Y>\d{{4}})\s*",
    # ISO 8601 basic: 20200720T175503Z
    r"\s*(?P<Y>\d{4})(?P<m>\d{2})(?P<d>\d{2})T(?P<H>\d{2})(?P<M>\d{2})"
    r"(?:(?P<S>\d{2})(?:[.,](?P<f>\d+))?)?(?P<z>Z|[+-]\d{2}(?:\d{2})?)?\s*",
)
_ORDERED_SHAPES = {order: _BEFORE + day + _AFTER for order, day in _ORDERED.items()}


@functools.cache
def _compiled(shape: str) -> re.Pattern[str]:
    return re.compile(shape, _FLAGS)


# Some digits: text that may be a date. Without any, the text holds no date.
_DIGIT = re.compile(r"\d")

# strptime-like directives of declared forms: the group each fills, and its pattern.
_DIRECTIVES: Mapping[str, tuple[str, str]] = {
    "Y": ("Y", r"\d{4}"),
    "y": ("y", r"\d{2}"),
    "m": ("m", r"\d{1,2}"),
    "d": ("d", r"\d{1,2}"),
    "b": ("b", rf"(?:{_MONTH})\.?"),
    "a": ("a", _WEEKDAY),
    "H": ("H", r"\d{1,2}"),
    "I": ("I", r"\d{1,2}"),
    "M": ("M", r"\d{1,2}"),
    "S": ("S", r"\d{1,2}"),
    "f": ("f", r"\d+"),
    "p": ("p", _HALF_DAY),
    "z": ("z", r"Z|[+-]\d{2}(?::?\d{2})?"),
    "Z": ("z", _ZONE),
}
_ALIASES = {"B": "b", "h": "b", "A": "a", "e": "d"}
# The directive that writes each group of a match back (Reading.form).
_WRITTEN = {"m": "%m", "d": "%d", "b": "%b", "a": "%a", "w": "%a", "M": "%M", "S": "%S"}
_WRITTEN |= {"f": "%f", "p": "%p", "q": "%p"}

PRECISIONS = ("day", "minute", "second", "fraction")


@dataclass(frozen=True)
class Reading:
    """A date as read: when it starts, how precise it is, whether the text
    named its zone, and the form it was written in (a declared format)."""

    start: datetime  # aware: in the text's zone, else in the zone it was read in
    precision: str  # one of PRECISIONS
    zoned: bool
    form: str

    @property
    def end(self) -> datetime:
        """The first instant after what the text names (a day is a whole day)."""
        if self.precision == "day":
            following = self.start.date() + timedelta(days=1)
            return datetime(
                following.year, following.month, following.day, tzinfo=self.start.tzinfo
            )
        if self.precision == "minute":
            return self.start + timedelta(minutes=1)
        return self.start + timedelta(seconds=1 if self.precision == "second" else 0)

    def distance(self, moment: datetime) -> float:
        """Seconds from what the text names to ``moment``: 0 within it,
        positive when ``moment`` is after it, negative when before."""
        if moment < self.start:
            return (moment - self.start).total_seconds()
        return max(0.0, (moment - self.end).total_seconds())

    def describe(self) -> str:
        """What the text names, labelled with its zone (never a local time as UTC)."""
        zone = _zone_label(self.start)
        if self.precision == "day":
            return f"the day {self.start.date().isoformat()} ({zone})"
        shown = {"minute": "%Y-%m-%d %H:%M", "second": "%Y-%m-%d %H:%M:%S"}
        text = self.start.strftime(shown.get(self.precision, "%Y-%m-%d %H:%M:%S.%f"))
        return f"{text} {zone}"


@dataclass(frozen=True)
class Impossible:
    """A text in a date form that names no real day or time (31 Feb, 25:00)."""

    reason: str


def _zone_label(moment: datetime) -> str:
    offset = moment.utcoffset() or timedelta(0)
    if not offset:
        return "UTC"
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


@functools.lru_cache(maxsize=256)
def zone_of(text: str | None) -> tzinfo:
    """A fixed ``+HH:MM`` offset, or (with a letter in it) an IANA time zone; UTC for none."""
    if not text:
        return UTC
    if text[0] not in "+-":
        return _named_zone(text)
    sign = -1 if text[0] == "-" else 1
    return timezone(sign * timedelta(hours=int(text[1:3]), minutes=int(text[4:6])))


_FIXED = re.compile(r"[+-]\d{2}:\d{2}")


def known_zone(text: str) -> bool:
    """Whether ``text`` is a zone :func:`zone_of` reads: ``+HH:MM`` or an IANA name."""
    if _FIXED.fullmatch(text):
        return True
    try:
        _named_zone(text)
    except (LookupError, ValueError):  # ZoneInfoNotFoundError is a KeyError
        return False
    return True


@functools.cache
def _named_zone(name: str) -> tzinfo:
    from zoneinfo import ZoneInfo  # here: most dates carry an offset, or none

    return ZoneInfo(name)


def _offset(text: str) -> timezone | None:
    """A zone piece as a fixed offset; None for an unknown name or offset."""
    name = text.upper()
    if name in _ZONE_HOURS:
        return timezone(timedelta(hours=_ZONE_HOURS[name]))
    digits = name.lstrip("GMTUC ").lstrip()
    if not digits or digits[0] not in "+-":
        return None
    sign = -1 if digits[0] == "-" else 1
    hours, _, minutes = digits[1:].partition(":")
    if not minutes and len(hours) > 2:
        hours, minutes = hours[:-2], hours[-2:]
    if int(hours) > 23 or int(minutes or 0) > 59:
        return None
    return timezone(sign * timedelta(hours=int(hours), minutes=int(minutes or 0)))


def _year(text: str) -> int:
    """A year; two digits as RFC 2822 reads them (00-49: 2000s, 50-99: 1900s)."""
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 50 else 1900
    return year


def _hour(field: Mapping[str, str | None]) -> int:
    hour = int(field["H"] or 0)
    half = (field.get("p") or field.get("q") or "").lower()
    if not half:
        return hour
    if (half in _AFTERNOON and hour < 12) or (half == _NOON and hour < 11):
        return hour + 12
    if half in _MORNING and hour == 12:
        return 0
    return hour


def _form(found: re.Match[str]) -> str:
    """The declared format that writes the matched text: each group by its directive."""
    text = found.string
    pieces, at = [], found.start()
    field = found.groupdict()
    spans = sorted((found.span(n), n) for n, v in field.items() if v is not None)
    for (start, end), name in spans:
        if name == "s":
            continue
        pieces.append(text[at:start].replace("%", "%%"))
        value = text[start:end]
        if name == "Y":
            pieces.append("%Y" if len(value) == 4 else "%y")
        elif name == "H":
            pieces.append("%I" if field.get("p") or field.get("q") else "%H")
        elif name == "z":
            pieces.append("%z" if _offset(value) and value[0] in "+-Zz" else "%Z")
        else:
            pieces.append(_WRITTEN[name])
        at = end
    pieces.append(text[at : found.end()].replace("%", "%%"))
    return "".join(pieces).strip()


def _reading(
    field: Mapping[str, str | None], zone: tzinfo, form: str
) -> Reading | Impossible | None:
    """The date the named groups of a match hold; None for an unknown zone."""
    zoned = bool(field.get("z"))
    if zoned:
        found = _offset(field["z"] or "")
        if found is None:
            return None
        zone = found
    name = field.get("b")
    month = _MONTH_NUMBERS[name[:3].casefold()] if name else int(field["m"] or 0)
    year = _year(field["Y"] or "")
    if not 1 <= month <= 12:
        return Impossible(f"there is no month {month}")
    try:
        day = date(year, month, int(field["d"] or 0))
    except ValueError:
        return Impossible(f"{year:04d}-{month:02d} has no day {int(field['d'] or 0)}")
    if field.get("H") is None:
        return Reading(datetime(day.year, day.month, day.day, tzinfo=zone), "day", zoned, form)
    hour, minute, second = _hour(field), int(field["M"] or 0), int(field.get("S") or 0)
    fraction = field.get("f")
    if hour == 24 and minute == second == 0 and not (fraction or "").strip("0"):
        day, hour = day + timedelta(days=1), 0  # ISO 8601: 24:00 ends the day
    if hour > 23 or minute > 59 or second > 60:
        return Impossible(f"{field['H']}:{field['M']} is not a time of day")
    start = datetime(
        day.year,
        day.month,
        day.day,
        hour,
        minute,
        min(second, 59),  # a leap second, as the second before it
        int((fraction or "0")[:6].ljust(6, "0")),
        tzinfo=zone,
    )
    precision = "fraction" if fraction else "second" if field.get("S") else "minute"
    return Reading(start, precision, zoned, form)


@functools.lru_cache(maxsize=512)
def _declared(fmt: str) -> re.Pattern[str] | None:
    """A declared format as a pattern with the grammar's groups; None when it
    uses a directive (or fills a group twice) that only strptime reads. White
    space in the format matches any run of white space, as in strptime."""
    parts = re.split(r"%(.)", fmt)
    pattern, groups = [], set()
    for index, part in enumerate(parts):
        if index % 2 == 0:
            pattern.append(r"\s+".join(re.escape(word) for word in re.split(r"\s+", part)))
            continue
        if part == "%":
            pattern.append("%")
            continue
        directive = _DIRECTIVES.get(_ALIASES.get(part, part))
        if directive is None or directive[0] in groups:
            return None
        groups.add(directive[0])
        pattern.append(f"(?P<{directive[0]}>{directive[1]})")
    if {"Y", "y"} <= groups or {"H", "I"} <= groups:
        return None
    return re.compile(r"\s*" + "".join(pattern) + r"\s*", _FLAGS)


def _read_declared(text: str, fmt: str, zone: tzinfo) -> Reading | Impossible | None:
    """``text`` in the declared form ``fmt``: what strptime reads, the same
    way (a two-digit year 00-68 is 20xx; ``%I`` without ``%p`` is before noon;
    ``%p`` counts with ``%I`` only), read by the form's pattern, and where the
    pattern does not match, by strptime itself."""
    pattern = _declared(fmt)
    found = pattern.fullmatch(text) if pattern is not None else None
    if found is None:
        return _strptime(text, fmt, zone) if _written_in_order(text, _marks(fmt)) else None
    field = {"m": None, "d": None, "H": None, "M": None, **found.groupdict()}
    short_year = field.pop("y", None)
    if short_year is not None:
        field["Y"] = str(int(short_year) + (2000 if int(short_year) <= 68 else 1900))
    twelve = field.pop("I", None)
    if twelve is not None:
        field["H"] = twelve if field.get("p") else str(int(twelve) % 12)
    else:
        field["p"] = None
    if not field.get("Y") or not (field.get("m") or field.get("b")) or not field.get("d"):
        return _strptime(text, fmt, zone)  # not a whole day: as strptime reads it
    return _reading(field, zone, fmt)


@functools.lru_cache(maxsize=512)
def _marks(fmt: str) -> str:
    """The characters any text strptime reads in ``fmt`` holds, in order: the
    format's literal ASCII punctuation (strptime matches its literal text as
    written, letters without case, white space as any run of it)."""
    parts = re.split(r"%(.)", fmt)
    literal = "".join(p if i % 2 == 0 or p == "%" else "" for i, p in enumerate(parts))
    return "".join(c for c in literal if c.isascii() and not c.isalnum() and not c.isspace())


def _written_in_order(text: str, marks: str) -> bool:
    """Whether ``text`` holds each of ``marks``, in their order."""
    at = 0
    for mark in marks:
        at = text.find(mark, at) + 1
        if not at:
            return False
    return True


def _strptime(text: str, fmt: str, zone: tzinfo) -> Reading | None:
    try:
        parsed = datetime.strptime(text, fmt)
    except ValueError:
        return None
    zoned = parsed.tzinfo is not None
    precision = "fraction" if "%f" in fmt else "second" if "%S" in fmt else "minute"
    if not any(d in fmt for d in ("%H", "%I", "%M", "%X", "%c", "%T", "%R")):
        precision = "day"
    return Reading(parsed if zoned else parsed.replace(tzinfo=zone), precision, zoned, fmt)


@dataclass(frozen=True)
class Form:
    """A declared form: a strptime-like format and the zone of its naive dates."""

    format: str
    zone: str | None = None  # '+08:00' or an IANA name; None: the reader's zone


_CACHED = 4096  # readings a reader keeps (a date recurs: several rules read it)
_ZEROS = str.maketrans("123456789", "000000000")


@dataclass(frozen=True)
class DateReader:
    """Reads dates: the declared forms first, then the grammar (with the
    numeric day order, when one is declared); naive dates in ``zone``."""

    forms: tuple[Form, ...] = ()
    order: str | None = None  # 'dmy' or 'mdy'
    zone: str | None = None
    _readings: dict[str, Reading | Impossible | None] = field(
        default_factory=dict, compare=False, repr=False
    )

    def read(self, text: str) -> Reading | Impossible | None:
        """What ``text`` names, or an Impossible date, or None when unread."""
        readings = self._readings
        if text not in readings:
            if len(readings) >= _CACHED:
                readings.clear()
            readings[text] = self._read(text)
        return readings[text]

    def _read(self, text: str) -> Reading | Impossible | None:
        if len(text) > MAX_CHARS or not _DIGIT.search(text):
            return None
        text = " ".join(text.split())  # one space for each run: no pattern backtracks over runs
        default = zone_of(self.zone)
        for form in self.forms:
            found = _read_declared(text, form.format, zone_of(form.zone) if form.zone else default)
            if found is not None:
                return found
        return self.grammar(text, default)

    def grammar(self, text: str, zone: tzinfo) -> Reading | Impossible | None:
        """``text`` read by the grammar alone, naive dates in ``zone``."""
        if not text.isascii():
            text = unicodedata.normalize("NFKC", text)
        shapes: Iterable[str] = _SHAPES
        if self.order:
            shapes = (*_SHAPES, _ORDERED_SHAPES[self.order])
        for shape in map(_compiled, shapes):
            found = shape.fullmatch(text)
            if found is not None:
                # the form depends on the text's letters and its digits' places only
                form = _form_of(shape, text.translate(_ZEROS))
                return _reading(found.groupdict(), zone, form)
        return None


@functools.lru_cache(maxsize=1024)
def _form_of(shape: re.Pattern[str], skeleton: str) -> str:
    found = shape.fullmatch(skeleton)
    assert found is not None  # a digit for a digit: the shape matches alike
    return _form(found)


def holds_date(text: str) -> bool:
    """Whether ``text`` may hold a date (it has a digit): ``Invalid Date``,
    ``NaN``, ``undefined`` or ``null`` hold none."""
    return bool(_DIGIT.search(text))


# The reader of each options mapping seen (a rule's options: one per schema
# and profile), by identity, so that a date costs no rebuilding.
_READERS: dict[int, tuple[Mapping[str, Any], DateReader]] = {}


def reader_of(options: Mapping[str, Any]) -> DateReader:
    """The reader that the ``unparseable-date`` rule's options declare."""
    known = _READERS.get(id(options))
    if known is not None and known[0] is options:
        return known[1]
    reader = DateReader(
        _forms(options.get("formats") or ()),
        options.get("order"),
        options.get("timezone"),
    )
    if len(_READERS) < 256:
        _READERS[id(options)] = (options, reader)  # the mapping is kept, so its id stays its own
    return reader


def _forms(formats: Iterable[Mapping[str, Any]]) -> tuple[Form, ...]:
    return tuple(Form(f["format"], f.get("utc_offset") or f.get("timezone")) for f in formats)


def parse_date(text: str, formats: Sequence[Mapping[str, Any]]) -> datetime | None:
    """The start of the date ``text`` names, read with the declared ``formats``
    first, then the grammar; naive dates in their form's zone, else UTC."""
    found = DateReader(_forms(formats)).read(text)
    return found.start if isinstance(found, Reading) else None
