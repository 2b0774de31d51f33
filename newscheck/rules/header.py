"""Timestamp rules: the ``<!--EPOCH_MS-->`` comment that opens the file."""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from ..article import Article
from ..dates import Reading
from ..examples import BODY, CONTENT, Fail, article, examples, field, skew
from ..registry import rule
from ..values import Finding
from ._util import found, malformed, missing
from .date import EARLIEST, read_date


def _timestamp(article: Article) -> tuple[Any, datetime] | None:
    field = article.role("timestamp")
    if field is None or not field.value.isdigit():
        return None
    return field, datetime.fromtimestamp(int(field.value) / 1000, tz=UTC)


def _when(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S UTC")


@rule("NC101", "missing-timestamp", "error", reports=("timestamp:missing",))
@examples(Fail(article(timestamp=None), [("NC101", "error", 1, 1)]), passing=[article()])
def missing_timestamp(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The timestamp comment is missing.

    The first line holds the feed item's publication time as an HTML comment
    in epoch milliseconds. Archives sort and de-duplicate by it.
    """
    part = missing(article, "timestamp")
    if part:
        yield (
            part.span,
            f"expected a timestamp comment such as '<!--1699465144000-->', {found(part)}",
        )


@rule("NC102", "malformed-timestamp", "error", reports=("timestamp:malformed",))
@examples(
    Fail(article(timestamp="<!--NaN-->"), [("NC102", "error", 1, 1)]),
    Fail(article(timestamp="<!-- 1595267727000 -->"), [("NC102", "error", 1, 1)]),
    Fail(article(timestamp="<!--1595267727-->"), [("NC102", "error", 1, 1)]),
    passing=[article()],
)
def malformed_timestamp(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The timestamp comment does not hold a 13-digit epoch in milliseconds.

    ``<!--NaN-->`` is what the generator writes when a feed's pubDate cannot
    be parsed; too few digits (seconds instead of milliseconds) or spaces
    inside the comment mean another writer.
    """
    part = malformed(article, "timestamp")
    if part:
        yield part.span, f"expected '<!--' + 13 digits (epoch milliseconds) + '-->', {found(part)}"


@rule(
    "NC103",
    "implausible-timestamp",
    "error",
    reference_time=0,
    future_tolerance=86400,
)
@examples(
    Fail(
        article(timestamp="<!--0315532800000-->"),
        [("NC103", "error", 1, 5), ("NC104", "error", 5, 1)],
    ),
    Fail(
        article(timestamp="<!--9999999999999-->"),
        [("NC103", "error", 1, 5), ("NC104", "error", 5, 1)],
    ),
    passing=[article()],
    plant=field("timestamp", lambda _: "0315532800000"),
)
def implausible_timestamp(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The timestamp is before 1990 or in the future.

    "The future" is relative to ``reference_time`` (epoch seconds; 0 means
    now), with ``future_tolerance`` seconds of grace. Set ``reference_time``
    to make a run reproducible.

    Options: ``reference_time`` (integer), ``future_tolerance`` (integer).
    """
    found_ts = _timestamp(article)
    if found_ts is None:
        return
    field, value = found_ts
    reference = options["reference_time"] or time.time()
    if value < EARLIEST:
        yield field.span, f"expected a time after 1990-01-01, found {_when(value)}"
    elif value.timestamp() > reference + options["future_tolerance"]:
        yield (
            field.span,
            f"expected a time before the reference time, found {_when(value)} in the future",
        )


@rule("NC104", "timestamp-date-skew", "error", max_skew=172800)
@examples(
    Fail(article(content=CONTENT.replace("20 Jul", "10 Jul")), [("NC104", "error", 5, 1)]),
    passing=[
        article(content=CONTENT.replace("17:00:00", "19:22:03")),
        article(content="<div><i>2020年7月20日</i></div>" + BODY),
    ],
    plant=skew(),
)
def timestamp_date_skew(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The timestamp and the date div disagree by more than ``max_skew`` seconds.

    Both come from the same feed item, so they agree within hours (a naive
    date in local time); a skew of days (default 2 days) means one of them is
    wrong. The date is read as ``unparseable-date`` reads it: a date without
    a zone in the source's declared zone (UTC by default), and a date that
    names only a day as that whole day, so a timestamp within it is no skew.
    The skew is the timestamp minus the date (positive: the timestamp is
    later).

    Options: ``max_skew`` (integer seconds).
    """
    found_ts, found = _timestamp(article), read_date(article)
    if found_ts is None or found is None:
        return
    (_, stamp), (date, reading) = found_ts, found
    if not isinstance(reading, Reading):
        return
    skew = reading.distance(stamp)
    if abs(skew) > options["max_skew"]:
        yield (
            date.span,
            (
                f"expected the date within {options['max_skew'] // 3600} h of the timestamp "
                f"({_when(stamp)}), found {reading.describe()} ({skew / 3600:+.1f} h)"
            ),
        )
