"""Date forms are read exactly as strptime reads them, only faster."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from newscheck.rules.date import DATE_FORMATS, parse_date

MOMENTS = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1))


@settings(max_examples=200, deadline=None)
@given(
    moment=MOMENTS,
    form=st.sampled_from([f["format"] for f in DATE_FORMATS if "%z" not in f["format"]]),
)
def test_every_known_form_reads_back_what_it_wrote(moment, form):
    text = moment.strftime(form)
    expected = datetime.strptime(text, form)
    assert parse_date(text, [{"format": form}]) == expected.replace(tzinfo=UTC)


def test_zones_and_impossible_dates():
    forms = [{"format": "%Y-%m-%dT%H:%M:%S%z"}, {"format": "%Y-%m-%d %H:%M:%S"}]
    assert parse_date("2020-07-20T10:20:18+08:00", forms) == datetime.fromisoformat(
        "2020-07-20T10:20:18+08:00"
    )
    assert parse_date("2020-02-30 10:00:00", forms) is None
    assert parse_date("Mon, 20 Jul 2020 19:22:03 GMT", DATE_FORMATS) == datetime(
        2020, 7, 20, 19, 22, 3, tzinfo=UTC
    )


def test_a_form_with_other_directives_is_read_by_strptime():
    assert parse_date("20 July 2020", [{"format": "%d %B %Y"}]) == datetime(2020, 7, 20, tzinfo=UTC)
