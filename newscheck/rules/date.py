"""Date div rules: the date the feed's HTML carries, in any known form."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any

from ..article import Article
from ..diagnostics import Finding, rule
from ._util import shorten

# Every date form the real feed-article corpora carry (docs/schema.md).
DATE_FORMATS = [
    {"format": "%a, %d %b %Y %H:%M:%S GMT", "utc_offset": "+00:00"},
    {"format": "%a, %d %b %Y %H:%M:%S %z"},
    {"format": "%Y-%m-%dT%H:%M:%S.%fZ", "utc_offset": "+00:00"},
    {"format": "%Y-%m-%dT%H:%M:%SZ", "utc_offset": "+00:00"},
    {"format": "%Y-%m-%dT%H:%M:%S%z"},
    {"format": "%Y-%m-%d %H:%M:%S"},
    {"format": "%Y-%m-%dT%H:%M:%S"},
    {"format": "%d/%m/%Y - %H:%M"},
    {"format": "%Y年%m月%d日"},
]
FORMATS_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["format"],
        "additionalProperties": False,
        "properties": {
            "format": {"type": "string", "minLength": 1},
            "utc_offset": {"type": "string", "pattern": "^[+-][0-9]{2}:[0-9]{2}$"},
            "timezone": {"type": "string", "minLength": 1},
        },
        "not": {"required": ["utc_offset", "timezone"]},
    },
}


def zone_of(text: str | None) -> tzinfo:
    """A fixed ``+HH:MM`` offset, or (with a letter in it) an IANA time zone."""
    if not text:
        return UTC
    if text[0] not in "+-":
        return _named_zone(text)
    sign = -1 if text[0] == "-" else 1
    return timezone(sign * timedelta(hours=int(text[1:3]), minutes=int(text[4:6])))


@functools.cache
def _named_zone(name: str) -> tzinfo:
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


# strptime directives read by a compiled regular expression (C locale); a
# format using any other directive is read by strptime itself.
_DIRECTIVES = {
    "a": r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)",
    "b": r"(?P<b>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)",
    "d": r"(?P<d>\d{1,2})",
    "m": r"(?P<m>\d{1,2})",
    "Y": r"(?P<Y>\d{4})",
    "H": r"(?P<H>\d{1,2})",
    "M": r"(?P<M>\d{1,2})",
    "S": r"(?P<S>\d{1,2})",
    "f": r"(?P<f>\d{1,6})",
    "z": r"(?P<z>Z|[+-]\d{2}:?\d{2})",
    "%": "%",
}
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}


@functools.cache
def _compiled(fmt: str) -> re.Pattern[str] | None:
    """``fmt`` as a regular expression with named fields, or None when it uses
    a directive (or a field twice) that only strptime reads."""
    parts = re.split(r"%(.)", fmt)
    directives = parts[1::2]
    if any(d not in _DIRECTIVES for d in directives) or len(set(directives)) < len(directives):
        return None
    pattern = "".join(
        re.escape(part) if index % 2 == 0 else _DIRECTIVES[part] for index, part in enumerate(parts)
    )
    return re.compile(pattern)


def _zone(text: str) -> timezone:
    if text == "Z":
        return UTC
    digits = text[1:].replace(":", "")
    sign = -1 if text[0] == "-" else 1
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _read(fmt: str, text: str, utc_offset: str | None) -> datetime | None:
    pattern = _compiled(fmt)
    try:
        if pattern is None:
            parsed = datetime.strptime(text, fmt)
        else:
            found = pattern.fullmatch(text)
            if found is None:
                return None
            field = found.groupdict()
            month = _MONTHS[field["b"]] if field.get("b") else int(field.get("m") or 1)
            parsed = datetime(
                int(field.get("Y") or 1900),
                month,
                int(field.get("d") or 1),
                int(field.get("H") or 0),
                int(field.get("M") or 0),
                int(field.get("S") or 0),
                int((field.get("f") or "0").ljust(6, "0")),
                _zone(field["z"]) if field.get("z") else None,
            )
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=zone_of(utc_offset))


@functools.lru_cache(maxsize=4096)
def _parse(text: str, formats: tuple[tuple[str, str | None], ...]) -> datetime | None:
    for fmt, utc_offset in formats:
        parsed = _read(fmt, text, utc_offset)
        if parsed is not None:
            return parsed
    return None


# The key of each formats list seen (a rule's option: one list per schema),
# by identity, so that a date costs no rebuilding of the key.
_KEYS: dict[int, tuple[Sequence[Mapping[str, Any]], tuple[tuple[str, str | None], ...]]] = {}


def _key(formats: Sequence[Mapping[str, Any]]) -> tuple[tuple[str, str | None], ...]:
    known = _KEYS.get(id(formats))
    if known is not None and known[0] is formats:
        return known[1]
    key = tuple((f["format"], f.get("utc_offset") or f.get("timezone")) for f in formats)
    if len(_KEYS) < 256:
        _KEYS[id(formats)] = (formats, key)  # the list is kept, so its id stays its own
    return key


def parse_date(text: str, formats: Sequence[Mapping[str, Any]]) -> datetime | None:
    """The first of ``formats`` that reads ``text`` as a date; naive forms use
    their ``utc_offset`` or ``timezone`` (UTC when neither is given)."""
    return _parse(text.strip(), _key(formats))


@rule(
    "NC501",
    "unparseable-date",
    "error",
    formats=DATE_FORMATS,
    option_schemas={"formats": FORMATS_SCHEMA},
)
def unparseable_date(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The date div holds text that no known date form reads.

    The feed's date is how archives sort and de-duplicate; a date in a form
    nobody expects usually means the source changed its feed. The known forms
    are the ``formats`` option: strptime formats, each with an optional
    ``utc_offset`` (``+08:00``) or ``timezone`` (an IANA name such as
    ``Europe/Paris``, summer time included) for forms that carry no zone.

    Fail::

        <div><i>yesterday</i></div>

    Pass::

        <div><i>Mon, 20 Jul 2020 19:22:03 GMT</i></div>
        <div><i>AUTHOR<br>2020-07-20T14:53:17.152Z</i></div>
        <div>20/07/2020 - 17:50</div>

    Options: ``formats`` (list of ``{format, utc_offset | timezone}``).
    """
    date = article.field("date")
    if date is None or not date.value:
        return
    if parse_date(date.value, options["formats"]) is None:
        yield date.span, f"expected a date in a known form, found {shorten(date.value)}"


@rule("NC502", "empty-date", "info")
def empty_date(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The date div is present but empty (``<div></div>``).

    Some feeds (FT) always write an empty date div: a quirk of the source, not
    breakage, so this is ``info`` by default. Raise it where a source should
    carry dates.

    Fail::

        <div></div><p>body</p>

    Pass::

        <div><i>Mon, 20 Jul 2020 19:22:03 GMT</i></div><p>body</p>
    """
    date = article.field("date")
    if date is not None and date.value == "":
        yield date.span, "expected a date in the date div, found it empty"
