"""Declared date forms read as ``strptime`` reads them.

A declared form (a strptime format) is read by a pattern compiled from it (the
fast path), or by ``strptime`` itself. Wherever ``strptime`` reads a text in
a declared form, the reader must read the same instant: over generated dates,
in every form the built-in schemas declare and in forms built from every
directive the fast path compiles, written by ``strftime`` and then with the
case of its letters changed and its spaces made runs of white space.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from newscheck.dates import DateReader, Form, Reading, _marks, _written_in_order

from ..helpers import ROOT

# Every format declared by the built-in schemas and their examples.
DECLARED = sorted(
    {
        found
        for path in (ROOT / "schemas").rglob("*.yaml")
        for found in re.findall(r"format: '([^']*%[^']*)'", path.read_text(encoding="utf-8"))
    }
)
DAYS = ["%Y-%m-%d", "%d/%m/%Y", "%m/%d/%y", "%d.%m.%y", "%d %b %Y", "%b %d, %Y", "%d %B %Y"]
DAYS += ["%a, %d %b %Y", "%A, %B %d, %Y", "%Y年%m月%d日", "%Y/%m/%d (%a)"]
TIMES = ["", " %H:%M", " %H:%M:%S", "T%H:%M:%S.%f", " %I:%M %p", " %I:%M:%S%p", " - %H:%M"]
TIMES += [" %I:%M", " at %I %p"]
ZONES = ["", " %z", "%z", " GMT", "Z", " UTC"]
OFFSETS = [UTC, timezone(timedelta(hours=8)), timezone(-timedelta(hours=5, minutes=30))]
MOMENTS = st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2099, 12, 31))


@st.composite
def forms(draw: st.DrawFn) -> str:
    built = draw(st.sampled_from(DAYS)) + draw(st.sampled_from(TIMES))
    if draw(st.booleans()) and " %p" not in built and "%I" not in built:
        built += draw(st.sampled_from(ZONES))
    return draw(st.sampled_from([built, *DECLARED]))


@st.composite
def spelled(draw: st.DrawFn, text: str) -> str:
    """``text`` with its letters in any case and each space a run of white space."""
    letters = draw(st.sampled_from(["as written", "upper", "lower", "mixed"]))
    if letters == "upper":
        text = text.upper()
    elif letters == "lower":
        text = text.lower()
    elif letters == "mixed":
        text = "".join(c.swapcase() if draw(st.booleans()) else c for c in text)
    runs = st.sampled_from([" ", "  ", "\t", " \t ", "\u3000"])
    return "".join(draw(runs) if c == " " else c for c in text)


def read(text: str, fmt: str) -> Reading:
    found = DateReader((Form(fmt),)).read(text)
    assert isinstance(found, Reading), (text, fmt, found)
    return found


@settings(max_examples=600, deadline=None)
@given(data=st.data(), fmt=forms(), moment=MOMENTS, offset=st.sampled_from(OFFSETS))
@example(data=None, fmt="%d.%m.%y", moment=datetime(2055, 7, 20), offset=UTC)
@example(data=None, fmt="%I:%M %d/%m/%Y", moment=datetime(2020, 7, 20, 0, 30), offset=UTC)
@example(data=None, fmt="%d %b %Y", moment=datetime(2020, 9, 20), offset=UTC)
def test_the_reader_reads_what_strptime_reads(data, fmt, moment, offset):
    written = moment.replace(tzinfo=offset).strftime(fmt)
    text = data.draw(spelled(written)) if data is not None else written
    try:
        expected = datetime.strptime(text, fmt)
    except (
        ValueError
    ):  # strptime reads less (a full-width space, a %y or %I value): nothing to compare
        return
    reading = read(text, fmt)
    assert reading.start == (expected if expected.tzinfo else expected.replace(tzinfo=UTC))


@settings(max_examples=600, deadline=None)
@given(data=st.data(), fmt=forms(), moment=MOMENTS, offset=st.sampled_from(OFFSETS))
@example(data=None, fmt="%d/%m/%Y - %H:%M", moment=datetime(2020, 7, 20, 19, 50), offset=UTC)
def test_strptime_reads_no_text_without_the_forms_punctuation_in_order(data, fmt, moment, offset):
    # the reader asks strptime only for a text that holds it: a text in no
    # declared form costs no failed strptime per form
    text = moment.replace(tzinfo=offset).strftime(fmt)
    if data is not None:
        text = data.draw(spelled(text))
        cut = data.draw(st.integers(0, len(text)))
        put = data.draw(st.sampled_from(["", "-", "/", ":", ".", ",", " ", "%", "7"]))
        text = text[:cut] + put + text[cut + data.draw(st.integers(0, 2)) :]
    text = " ".join(text.split())  # as the reader gives it to a form
    try:
        datetime.strptime(text, fmt)
    except ValueError:
        return
    assert _written_in_order(text, _marks(fmt)), (text, fmt, _marks(fmt))


def test_a_text_without_a_forms_punctuation_is_read_by_the_grammar_alone():
    reader = DateReader((Form("%d/%m/%Y - %H:%M"), Form("%a, %d %b %Y %H:%M:%S GMT")))
    assert _marks("%d/%m/%Y - %H:%M") == "//-:"
    assert _marks("%Y%%%m.%d %z") == "%."
    reading = reader.read("2020-07-20 19:22:17")
    assert isinstance(reading, Reading)
    assert (reading.start.isoformat(), reading.form) == (
        "2020-07-20T19:22:17+00:00",
        "%Y-%m-%d %H:%M:%S",
    )


# (format, text, instant): read as strptime reads them, where the form's pattern
# alone read them otherwise or not at all; and a month name in letters that fold
# to one (the long s of 'ſep') is read, where it was an internal error.
AS_STRPTIME = [
    ("%d.%m.%y", "20.07.55", "2055-07-20T00:00:00+00:00"),
    ("%d.%m.%y", "20.07.69", "1969-07-20T00:00:00+00:00"),
    ("%I:%M %d/%m/%Y", "12:30 20/07/2020", "2020-07-20T00:30:00+00:00"),
    ("%I:%M %p %d/%m/%Y", "12:30 pm 20/07/2020", "2020-07-20T12:30:00+00:00"),
    ("%I:%M %p %d/%m/%Y", "12:30 AM 20/07/2020", "2020-07-20T00:30:00+00:00"),
    ("%H:%M %p %d/%m/%Y", "05:30 PM 20/07/2020", "2020-07-20T05:30:00+00:00"),
    ("%Y-%m-%d %H:%M %z", "2020-07-20 10:00 +08:00:00", "2020-07-20T10:00:00+08:00"),
    ("%Y-%m-%d", "2020-07- 1", "2020-07-01T00:00:00+00:00"),
    ("%d\t%b %Y", "20 JUL \t 2020", "2020-07-20T00:00:00+00:00"),
    ("%d %b %Y", "20 ſep 2020", "2020-09-20T00:00:00+00:00"),
]


@pytest.mark.parametrize(("fmt", "text", "instant"), AS_STRPTIME)
def test_read_as_strptime_reads_it(fmt, text, instant):
    reading = read(text, fmt)
    assert (reading.start.isoformat(), reading.form) == (instant, fmt)
