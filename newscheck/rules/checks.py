"""Cross-field checks declared in a schema's ``checks``: one generic rule."""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, date, datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from .. import patterns
from ..article import Article, Field
from ..dates import DateReader, Reading, reader_of, zone_of
from ..examples import JEKYLL, Fail, examples
from ..registry import rule
from ..values import Finding
from ._util import shorten

if TYPE_CHECKING:
    from ..schema import CheckSpec


def _text(value: Any) -> Any:
    return value if isinstance(value, str | list | dict) else str(value)


def _fold(text: str, categories: tuple[str, ...], to: str, also: str) -> str:
    """``text`` with every character of the Unicode ``categories`` (and of
    ``also``) written as ``to``."""
    return "".join(
        to if char in also or unicodedata.category(char) in categories else char for char in text
    )


def _quotes(text: str) -> str:
    """Quotation marks (Unicode Pi and Pf, and ' " and their full-width forms) as '"'."""
    return _fold(text, ("Pi", "Pf"), '"', "'\"\uff02\uff07")


def _dashes(text: str) -> str:
    """Dashes (Unicode Pd, and the minus sign) as '-'."""
    return _fold(text, ("Pd",), "-", "\u2212")


# what each ``normalise`` step does, in the order they apply, and how a message names it
NORMALISE: Mapping[str, tuple[Callable[[str], str], str]] = MappingProxyType(
    {
        "nfkc": (lambda text: unicodedata.normalize("NFKC", text), "NFKC"),
        "quotes": (_quotes, "quotes folded"),
        "dashes": (_dashes, "dashes folded"),
        "case": (str.casefold, "case folded"),
        "whitespace": (lambda text: " ".join(text.split()), "whitespace collapsed"),
    }
)


def _normalised(text: str, options: Mapping[str, Any]) -> str:
    """``text`` as an ``equal`` check compares it: its ``normalise`` steps,
    then its ``prefix`` and ``suffix`` removed where they match the
    normalised text (regardless of case when ``case`` is a step)."""
    for step in NORMALISE:
        if step in options["normalise"]:
            text = NORMALISE[step][0](text)
    flags = "(?i)" if "case" in options["normalise"] else ""
    if options["prefix"]:
        found = patterns.compile(f"{flags}(?:{options['prefix']})").match(text)
        text = text[found.end() :] if found is not None else text
    if options["suffix"]:
        found = patterns.compile(f"{flags}(?:{options['suffix']})$").search(text)
        text = text[: found.start()] if found is not None else text
    return text


def _how(options: Mapping[str, Any]) -> str:
    """What an ``equal`` check changed before comparing, for its message."""
    done = [NORMALISE[step][1] for step in NORMALISE if step in options["normalise"]]
    done += [f"{key} /{options[key]}/ removed" for key in ("prefix", "suffix") if options[key]]
    return ", ".join(done)


def _equal(first: Field, other: Field, options: Mapping[str, Any]) -> Iterator[Finding]:
    mine, theirs = _text(first.value), _text(other.value)
    how = _how(options) if isinstance(mine, str) and isinstance(theirs, str) else ""
    compared = (_normalised(mine, options), _normalised(theirs, options)) if how else (mine, theirs)
    if compared[0] == compared[1]:
        return
    message = (
        f"expected {first.name} to equal {other.name} {shorten(str(theirs))}, "
        f"found {shorten(str(mine))}"
    )
    if how:
        message += f" (compared {shorten(compared[0])} with {shorten(compared[1])}: {how})"
    yield first.span, message


def moment(value: Any, reader: DateReader) -> datetime | None:
    """A field's value as an aware time: 13 digits are epoch milliseconds, 10
    digits epoch seconds; other text is read with the date forms of the
    ``unparseable-date`` rule, then as ISO 8601 (naive times are UTC)."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.isdigit():
        if len(text) in (10, 13):
            return datetime.fromtimestamp(int(text) / (1000 if len(text) == 13 else 1), tz=UTC)
        return None
    reading = reader.read(text)
    found = reading.start if isinstance(reading, Reading) else None
    if found is None:
        try:
            found = datetime.fromisoformat(text)
        except ValueError:
            return None
    return found if found.tzinfo is not None else found.replace(tzinfo=UTC)


def _when(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _day(value: datetime, utc_offset: str) -> date:
    return value.astimezone(zone_of(utc_offset)).date()


def _zone(utc_offset: str) -> str:
    return "UTC" if utc_offset in ("+00:00", "-00:00") else f"UTC{utc_offset}"


def _unreadable(field: Field) -> Finding:
    return (
        field.span,
        f"expected {field.name} to be a date or a time, found {shorten(str(field.value))}",
    )


def _check(article: Article, check: CheckSpec, reader: DateReader) -> Iterator[Finding]:
    fields = [article.field(name) for name in check.fields]
    if any(f is None or f.value is None for f in fields):
        return  # absent: its part or the record reports it
    first = fields[0]
    assert first is not None
    options = check.options
    if check.kind == "equal":
        other = fields[1]
        assert other is not None
        yield from _equal(first, other, options)
        return
    times = []
    for field in fields:
        assert field is not None
        when = moment(field.value, reader)
        if when is None:
            yield _unreadable(field)
            return
        times.append(when)
    if check.kind == "same-time":
        other = fields[1]
        assert other is not None
        skew = round((times[0] - times[1]).total_seconds())
        if abs(skew) > options["max_skew"]:
            yield (
                first.span,
                f"expected {first.name} at the time of {other.name} ({_when(times[1])}, "
                f"give or take {options['max_skew']} s), found {_when(times[0])} ({skew:+d} s)",
            )
    elif check.kind == "same-day":
        other = fields[1]
        assert other is not None
        offset = options["utc_offset"]
        day, same = _day(times[0], offset), _day(times[1], offset)
        if day != same:
            yield (
                first.span,
                f"expected {first.name} on the day of {other.name} ({same} {_zone(offset)}), "
                f"found {day}",
            )
    elif check.kind == "filename-date":
        yield from _filename_date(article, first, times[0], options)


def _filename_date(
    article: Article, field: Field, when: datetime, options: Mapping[str, Any]
) -> Iterator[Finding]:
    path = article.source.path
    if path.startswith("<") and path.endswith(">"):
        return  # text given to the API without a file name
    name = os.path.basename(path)
    found = patterns.compile(options["pattern"]).match(name)  # checked when the schema loaded
    written = found.groupdict().get("date") if found is not None else None
    if not written:
        yield (
            field.span,
            f"expected the file name to start with {field.name}'s date "
            f"(pattern {options['pattern']!r}), found {shorten(name)}",
        )
        return
    try:
        named = date.fromisoformat(written)
    except ValueError:
        yield field.span, f"expected a date in the file name, found {shorten(written)}"
        return
    offset = options["utc_offset"]
    day = _day(when, offset)
    if day != named:
        yield (
            field.span,
            f"expected {field.name} on the file name's date {named}, found {day} ({_zone(offset)})",
        )


@rule("NC904", "field-mismatch", "error")
@examples(
    Fail(
        JEKYLL.replace('title: "Tram line reaches the airport"', 'title: "Tram line"'),
        [("NC904", "error", 3, 8)],
        note="jekyll-feed-article: the front title is the link's title",
    ),
    passing=[JEKYLL],
    schema="jekyll-feed-article",
    base=JEKYLL,
)
def field_mismatch(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """A cross-field check declared in the schema's ``checks`` fails.

    Copies of one article carry the same facts twice: a Jekyll post's front
    matter repeats the link's title and URL and the timestamp's time, and its
    file name starts with the date. When they disagree, one copy was edited or
    written by another tool. Each check names the fields it compares and is
    reported on the first of them:

    - ``equal: [A, B]``: the same value;
    - ``same-time: [A, B]``: the same time, give or take ``max_skew`` seconds
      (default 0);
    - ``same-day: [A, B]``: the same calendar day at ``utc_offset`` (default
      ``+00:00``);
    - ``filename-date: A``: the file name starts with A's day (``pattern``,
      default ``YYYY-MM-DD-``, at ``utc_offset``).

    Times are read as epoch milliseconds (13 digits) or seconds (10), with the
    ``unparseable-date`` forms, or as ISO 8601. A check whose field is absent
    is skipped (the part or the record reports it); a value that is not a time
    is reported.
    """
    schema = article.schema
    if schema is None or not schema.checks:
        return
    reader = reader_of(schema.rules["NC501"].options)
    said: set[Finding] = set()
    for check in schema.checks:
        for finding in _check(article, check, reader):
            if finding not in said:  # an unreadable time named by two checks: once
                said.add(finding)
                yield (finding[0], finding[1], check.severity) if check.severity else finding
