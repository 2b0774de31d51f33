"""Date div rules: the date the feed's HTML carries, read by the date grammar."""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from ..article import Article, Field
from ..dates import DateReader, Impossible, Reading, holds_date, reader_of
from ..examples import BODY, Fail, article, date, examples
from ..registry import rule
from ..values import Finding
from ._util import shorten

# The forms the built-in schema declares on top of the grammar: the one it
# writes (render.default_date) and RFI's day-first form, which the grammar
# reads only with a declared order.
DATE_FORMATS = [
    {"format": "%a, %d %b %Y %H:%M:%S GMT", "utc_offset": "+00:00"},
    {"format": "%d/%m/%Y - %H:%M"},
]
_ZONE = {"type": "string", "minLength": 1, "format": "zone"}
FORMATS_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["format"],
        "additionalProperties": False,
        "properties": {
            "format": {"type": "string", "minLength": 1},
            "utc_offset": {"type": "string", "pattern": "^[+-][0-9]{2}:[0-9]{2}$"},
            "timezone": _ZONE,
        },
        "not": {"required": ["utc_offset", "timezone"]},
    },
}
DATE_OPTION_SCHEMAS = {
    "formats": FORMATS_SCHEMA,
    "order": {"enum": [None, "dmy", "mdy"]},
    "timezone": {"anyOf": [{"type": "null"}, _ZONE]},
}
# before it, a news item's time is a writer's mistake (epoch 0, a year 0020)
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
_DECLARE = (
    "declare its form in the source's profile (or the schema's unparseable-date formats), "
    "e.g. dates: [{{format: '{example}', utc_offset: '+00:00'}}]"
)


def date_reader(article: Article) -> DateReader:
    """The date reader that the article's schema (and source profile) declares."""
    schema = article.schema
    return reader_of(schema.rules["NC501"].options) if schema else DateReader()


def read_date(article: Article) -> tuple[Field, Reading | Impossible | None] | None:
    """The date div's field and what it reads as; None without a date text."""
    date = article.role("date")
    if date is None or not date.value:
        return None
    return date, date_reader(article).read(date.value)


@rule(
    "NC501",
    "unparseable-date",
    "error",
    formats=DATE_FORMATS,
    order=None,
    timezone=None,
    option_schemas=DATE_OPTION_SCHEMAS,
)
@examples(
    Fail(article(content="<div><i>yesterday</i></div>" + BODY), [("NC501", "error", 5, 1)]),
    passing=[
        article(content="<div><i>KARA SWISHER<br>2020-07-20 19:22:17</i></div>" + BODY),
        article(content="<div><i>  <br>2020-07-20T14:53:17.152Z</i></div>" + BODY),
        article(content="<div><i>2020-07-20T17:20:18</i></div>" + BODY),
        article(content="<div>20/07/2020 - 19:50</div>" + BODY),
    ],
    plant=date("yesterday"),
)
def unparseable_date(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The date div holds no date: no digit at all, or a day that does not exist.

    The feed's date is how archives sort and de-duplicate. ``Invalid Date``,
    ``NaN``, ``undefined`` or ``null`` is what a scraper writes when it could
    not read the feed's date; ``2020-02-31`` names no day. Dates are read
    with the declared ``formats`` first, then by newscheck's date grammar
    (RFC 2822, ISO 8601, CJK, English month names, numeric year-first forms;
    see docs/schema.md). Its options say how:

    - ``formats``: strptime-like formats read before the grammar, each with an
      optional ``utc_offset`` (``+08:00``) or ``timezone`` (an IANA name such
      as ``Europe/Paris``, summer time included) for dates without a zone;
    - ``order``: ``dmy`` or ``mdy``, how numeric day-first or month-first
      dates (``20/07/2020``) read; without it they are never guessed;
    - ``timezone``: the zone of dates that name none and whose form declares
      none (``+08:00`` or an IANA name); UTC when not given.
    """
    found = read_date(article)
    if found is None:
        return
    date, reading = found
    if isinstance(reading, Impossible):
        yield date.span, f"expected a real date, found {shorten(date.value)}: {reading.reason}"
    elif reading is None and not holds_date(date.value):
        yield date.span, f"expected a date, found {shorten(date.value)}, which holds none"


@rule("NC503", "unknown-date-form", "warning")
@examples(
    Fail(article(content="<div><i>07/20/2020</i></div>" + BODY), [("NC503", "warning", 5, 1)]),
    passing=[article()],
    plant=date("07/20/2020 5:55 PM"),  # month first: never guessed
)
def unknown_date_form(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The date div holds a date-like text in a form newscheck cannot read.

    A day-first or month-first date (``20/07/2020``), a zone name that names
    no single offset, or a form the date grammar does not know: the date may
    well be right, but newscheck cannot tell, so it cannot compare it with the
    timestamp either. The message says how to declare the form (``dates:`` in
    a source profile, or ``formats``/``order`` of ``unparseable-date``).
    """
    found = read_date(article)
    if found is None or found[1] is not None or not holds_date(found[0].value):
        return
    date = found[0]
    example = _suggested(date.value)
    yield (
        date.span,
        f"expected a date in a form newscheck reads, found {shorten(date.value)}: "
        + _DECLARE.format(example=example),
    )


def _suggested(text: str) -> str:
    """A format that reads ``text`` (day first or month first, whichever reads it)."""
    for order in ("dmy", "mdy"):
        reading = DateReader(order=order).read(text)
        if isinstance(reading, Reading):
            return reading.form
    return "%d/%m/%Y %H:%M"


@rule("NC502", "empty-date", "info")
@examples(
    Fail(article(content="<div></div>" + BODY), [("NC502", "info", 5, 1)]),
    passing=[article(content=BODY)],
    plant=date("", div=True),
)
def empty_date(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The date div is present but empty (``<div></div>``).

    Some feeds (FT) always write an empty date div: a quirk of the source, not
    breakage, so this is ``info`` by default. Raise it where a source should
    carry dates.
    """
    date = article.role("date")
    if date is not None and date.value == "":
        yield date.span, "expected a date in the date div, found it empty"


@rule("NC504", "implausible-date", "error", reference_time=0, future_tolerance=86400)
@examples(
    Fail(
        article(content="<div><i>2099-07-20 17:00:00</i></div>" + BODY),
        [("NC104", "error", 5, 1), ("NC504", "error", 5, 1)],
    ),
    Fail(
        article(content="<div><i>1970-01-01</i></div>" + BODY),
        [("NC104", "error", 5, 1), ("NC504", "error", 5, 1)],
    ),
    passing=[article()],
    plant=date("2099-07-20 17:00:00"),
)
def implausible_date(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The date is before 1990 or in the future.

    The field playing the ``date`` role (the date div in the built-in
    schemas; a front matter's ``date`` with ``roles: {date: front.date}``)
    gets the checks the timestamp gets from ``implausible-timestamp``: a news
    item dated in the future, or before 1990, was written wrong. "The future"
    is relative to ``reference_time`` (epoch seconds; 0 means now), with
    ``future_tolerance`` seconds of grace; a date that names a whole day is
    in the future only when the whole day is.

    Options: ``reference_time`` (integer), ``future_tolerance`` (integer).
    """
    found = read_date(article)
    if found is None:
        return
    field, reading = found
    if not isinstance(reading, Reading):
        return
    reference = options["reference_time"] or time.time()
    if reading.end <= EARLIEST:
        yield field.span, f"expected a date after 1990-01-01, found {reading.describe()}"
    elif reading.start.timestamp() > reference + options["future_tolerance"]:
        yield (
            field.span,
            f"expected a date before the reference time, found {reading.describe()} in the future",
        )
