"""The date grammar, form by form, and what the date rules report from it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import newscheck
from newscheck.dates import DateReader, Form, Impossible, Reading, parse_date

from ..helpers import article

BODY = "<p>中国国家副主席韩正周三表示，中美双方进行高层对话有助于改善两国关系。</p>"
PLUS8 = timezone(timedelta(hours=8))
READ = DateReader()

# text -> (start, precision, whether the text named its zone)
FORMS = {
    # RFC 822/1123/2822: any zone name or offset, weekday and seconds optional, 2-digit years
    "Mon, 20 Jul 2020 19:22:03 GMT": ("2020-07-20T19:22:03+00:00", "second", True),
    "Mon, 20 Jul 2020 19:22:03 +0000": ("2020-07-20T19:22:03+00:00", "second", True),
    "20 Jul 2020 19:22 UT": ("2020-07-20T19:22:00+00:00", "minute", True),
    "Mon, 20 Jul 20 15:22:03 EDT": ("2020-07-20T15:22:03-04:00", "second", True),
    "Mon, 20 Jul 2020 13:22:03 CST": ("2020-07-20T13:22:03-06:00", "second", True),
    "Mon, 20 Jul 2020 11:22:03 PDT": ("2020-07-20T11:22:03-07:00", "second", True),
    "Mon, 20 Jul 2020 19:22:03 Z": ("2020-07-20T19:22:03+00:00", "second", True),
    "Mon, 20 Jul 2020 19:22:03 A": ("2020-07-20T19:22:03+00:00", "second", True),  # RFC 2822
    "Tue, 21 Jul 2020 03:22:03 +08:00": ("2020-07-21T03:22:03+08:00", "second", True),
    "Mon, 20 Jul 2020 14:22:03 -0500": ("2020-07-20T14:22:03-05:00", "second", True),
    "Mon, 20 Jul 99 19:22:03 GMT": ("1999-07-20T19:22:03+00:00", "second", True),
    # ISO 8601, full and partial
    "2020-07-20T14:53:17.152Z": ("2020-07-20T14:53:17.152000+00:00", "fraction", True),
    "2020-07-20T14:53:17.123456789+08:00": ("2020-07-20T14:53:17.123456+08:00", "fraction", True),
    "2020-07-20T14:53:17,5-03:30": ("2020-07-20T14:53:17.500000-03:30", "fraction", True),
    "2020-07-20T14:53:17+0800": ("2020-07-20T14:53:17+08:00", "second", True),
    "2020-07-20T14:53:17": ("2020-07-20T14:53:17+00:00", "second", False),
    "2020-07-20 19:22:17": ("2020-07-20T19:22:17+00:00", "second", False),
    "2020-07-20T14:53": ("2020-07-20T14:53:00+00:00", "minute", False),
    "2020-07-20": ("2020-07-20T00:00:00+00:00", "day", False),
    "20200720T145317Z": ("2020-07-20T14:53:17+00:00", "second", True),
    # numeric year first, any separator, with or without padding
    "2020/7/20": ("2020-07-20T00:00:00+00:00", "day", False),
    "2020.07.20 17:55": ("2020-07-20T17:55:00+00:00", "minute", False),
    "2020-07-20 星期一 17:55": ("2020-07-20T17:55:00+00:00", "minute", False),
    # CJK, Korean, Japanese
    "2020年7月20日": ("2020-07-20T00:00:00+00:00", "day", False),
    "2020 年 07 月 20 日 17:55:03": ("2020-07-20T17:55:03+00:00", "second", False),
    "2020年7月20日17时55分": ("2020-07-20T17:55:00+00:00", "minute", False),
    "2020年7月20日 17點55分03秒": ("2020-07-20T17:55:03+00:00", "second", False),
    "2020年7月20日 下午5:55": ("2020-07-20T17:55:00+00:00", "minute", False),
    "2020年7月20日 上午12:05": ("2020-07-20T00:05:00+00:00", "minute", False),
    "2020年7月20日 晚上9点30分": ("2020-07-20T21:30:00+00:00", "minute", False),
    "2020年7月20日 星期一": ("2020-07-20T00:00:00+00:00", "day", False),
    "2020年7月20日 周一 17:55": ("2020-07-20T17:55:00+00:00", "minute", False),
    "2020年7月20日 週一": ("2020-07-20T00:00:00+00:00", "day", False),
    "2020年7月20日(一)": ("2020-07-20T00:00:00+00:00", "day", False),
    "2020年7月20日（一）17:55": ("2020-07-20T17:55:00+00:00", "minute", False),
    "２０２０年７月２０日": ("2020-07-20T00:00:00+00:00", "day", False),
    "2020年7月20日 17:55 北京时间": ("2020-07-20T17:55:00+08:00", "minute", True),
    "2020년 7월 20일": ("2020-07-20T00:00:00+00:00", "day", False),
    "2020년 7월 20일 오후 5:55": ("2020-07-20T17:55:00+00:00", "minute", False),
    "2020年7月20日(月)": ("2020-07-20T00:00:00+00:00", "day", False),
    # English month names, long and short, any case, AM/PM
    "20 July 2020": ("2020-07-20T00:00:00+00:00", "day", False),
    "July 20, 2020": ("2020-07-20T00:00:00+00:00", "day", False),
    "Mon 20 Jul 2020": ("2020-07-20T00:00:00+00:00", "day", False),
    "Sept 20, 2020": ("2020-09-20T00:00:00+00:00", "day", False),
    "20-JUL-2020": ("2020-07-20T00:00:00+00:00", "day", False),
    "Monday, July 20, 2020 5:55 PM": ("2020-07-20T17:55:00+00:00", "minute", False),
    "July 20th, 2020 at 5:55 a.m. EDT": ("2020-07-20T05:55:00-04:00", "minute", True),
    "Mon Jul 20 2020 17:55:03 GMT+0800 (China Standard Time)": (
        "2020-07-20T17:55:03+08:00",
        "second",
        True,
    ),
    "Mon Jul 20 17:55:03 2020": ("2020-07-20T17:55:03+00:00", "second", False),
}


@pytest.mark.parametrize("text", FORMS)
def test_the_grammar_reads_each_form_with_its_precision_and_zone(text):
    start, precision, zoned = FORMS[text]
    reading = READ.read(text)
    assert isinstance(reading, Reading)
    assert (reading.start.isoformat(), reading.precision, reading.zoned) == (
        start,
        precision,
        zoned,
    )


@pytest.mark.parametrize("text", FORMS)
def test_the_form_it_names_reads_the_text_back_as_a_declared_format(text):
    reading = READ.read(text)
    assert isinstance(reading, Reading)
    declared = DateReader((Form(reading.form),)).read(text)
    assert declared == reading


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("Mon, 20 Jul 2020 19:22:03 GMT", "%a, %d %b %Y %H:%M:%S %Z"),
        ("2020-07-20T14:53:17.152Z", "%Y-%m-%dT%H:%M:%S.%f%z"),
        ("2020年7月20日 下午5:55", "%Y年%m月%d日 %p%I:%M"),
        ("Monday, July 20, 2020 5:55 PM", "%a, %b %d, %Y %I:%M %p"),
        ("Mon, 20 Jul 20 19:22 GMT", "%a, %d %b %y %H:%M %Z"),
    ],
)
def test_the_form_is_written_as_a_format(text, form):
    reading = READ.read(text)
    assert isinstance(reading, Reading) and reading.form == form


def test_naive_dates_are_read_in_the_given_zone_and_zoned_ones_in_their_own():
    beijing = DateReader(zone="+08:00")
    assert beijing.read("2020-07-20 19:22:17").start == datetime(2020, 7, 20, 19, 22, 17, 0, PLUS8)
    assert beijing.read("2020-07-20T19:22:17Z").start == datetime(2020, 7, 20, 19, 22, 17, 0, UTC)
    paris = DateReader(zone="Europe/Paris")
    assert paris.read("2020-07-20 17:50").start.utcoffset() == timedelta(hours=2)  # summer
    assert paris.read("2020-01-20 17:50").start.utcoffset() == timedelta(hours=1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020-02-29", "2020-02-29T00:00:00+00:00"),  # a leap day
        ("2000-02-29 12:00", "2000-02-29T12:00:00+00:00"),
        ("2020-07-20T24:00", "2020-07-21T00:00:00+00:00"),  # ISO 8601: the end of the day
        ("2020-12-31T24:00:00Z", "2021-01-01T00:00:00+00:00"),
        ("2016-12-31T23:59:60Z", "2016-12-31T23:59:59+00:00"),  # a leap second
        ("Mon, 20 Jul 49 19:22:03 GMT", "2049-07-20T19:22:03+00:00"),  # RFC 2822: 00-49
        ("Mon, 20 Jul 50 19:22:03 GMT", "1950-07-20T19:22:03+00:00"),  # 50-99
        ("2020-07-20T00:30:00-05:00", "2020-07-20T00:30:00-05:00"),
        ("2020年7月20日\u3000 下午5:55  ", "2020-07-20T17:55:00+00:00"),  # runs of spaces
    ],
)
def test_edge_cases_read(text, expected):
    reading = READ.read(text)
    assert isinstance(reading, Reading) and reading.start.isoformat() == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2019-02-29", "2019-02 has no day 29"),
        ("31 Feb 2020", "2020-02 has no day 31"),
        ("2020年2月30日", "2020-02 has no day 30"),
        ("2020-13-01", "there is no month 13"),
        ("2020-07-20T24:01", "24:01 is not a time of day"),
        ("2020-07-20 17:60", "17:60 is not a time of day"),
    ],
)
def test_a_day_or_time_that_does_not_exist_is_impossible(text, reason):
    assert READ.read(text) == Impossible(reason)


@pytest.mark.parametrize(
    "text",
    [
        "20/07/2020",
        "01/02/2020",
        "07/20/2020 5:55 PM",
        "Mon, 20 Jul 2020 19:22:03 XYZ",
        "3 days ago",
        "2020-07-20 x",  # a military zone letter is a capital
    ],
)
def test_ambiguous_and_unknown_forms_are_not_guessed(text):
    assert READ.read(text) is None


def test_a_declared_order_reads_day_first_and_month_first_dates():
    assert DateReader(order="dmy").read("01/02/2020").start == datetime(2020, 2, 1, tzinfo=UTC)
    assert DateReader(order="mdy").read("01/02/2020").start == datetime(2020, 1, 2, tzinfo=UTC)
    rfi = DateReader(order="dmy").read("20/07/2020 - 17:50")
    assert rfi.start == datetime(2020, 7, 20, 17, 50, tzinfo=UTC) and rfi.form == "%d/%m/%Y - %H:%M"
    assert DateReader(order="mdy").read("20/07/2020") == Impossible("there is no month 20")


def test_declared_forms_come_first_and_add_to_the_grammar():
    china = DateReader((Form("%a, %d %b %Y %H:%M:%S CST", "+08:00"),))
    assert china.read("Mon, 20 Jul 2020 19:22:03 CST").start.utcoffset() == timedelta(hours=8)
    assert china.read("2020-07-20T14:53:17Z").start == datetime(2020, 7, 20, 14, 53, 17, tzinfo=UTC)
    dotted = DateReader((Form("%d.%m.%Y um %H:%M Uhr", "Europe/Berlin"),))
    assert dotted.read("20.07.2020 um 17:50 Uhr").start.isoformat() == "2020-07-20T17:50:00+02:00"


def test_a_day_is_the_whole_day():
    day = READ.read("2020年7月20日")
    assert day.end == datetime(2020, 7, 21, tzinfo=UTC)
    assert day.distance(datetime(2020, 7, 20, 23, 59, tzinfo=UTC)) == 0
    assert day.distance(datetime(2020, 7, 21, 1, 0, tzinfo=UTC)) == 3600
    assert day.distance(datetime(2020, 7, 19, 23, 0, tzinfo=UTC)) == -3600


MOMENTS = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1))
WRITTEN = [
    "%a, %d %b %Y %H:%M:%S GMT",
    "%Y-%m-%dT%H:%M:%S.%fZ",
    "%Y-%m-%d %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
    "%B %d, %Y %I:%M %p",
    "%d %b %Y",
]


@settings(max_examples=200, deadline=None)
@given(moment=MOMENTS, form=st.sampled_from(WRITTEN))
def test_what_strftime_writes_the_grammar_reads_back(moment, form):
    text = moment.strftime(form)
    expected = datetime.strptime(text, form).replace(tzinfo=UTC)
    assert parse_date(text, []) == expected


# --- what the rules report -----------------------------------------------------


def diagnostics(date_div: str, schema=None, **parts):
    text = article(content=date_div + BODY, **parts)
    result = newscheck.check_text(text, schema=schema)
    return [(d.code, str(d.severity), d.line, d.column, d.message) for d in result.diagnostics]


@pytest.mark.parametrize("text", ["Invalid Date", "NaN", "undefined", "null"])
def test_no_date_at_all_is_an_error(text):
    assert diagnostics(f"<div><i>{text}</i></div>") == [
        ("NC501", "error", 5, 1, f"expected a date, found {text!r}, which holds none")
    ]


def test_a_day_that_does_not_exist_is_an_error():
    assert diagnostics("<div><i>31 Feb 2020</i></div>") == [
        (
            "NC501",
            "error",
            5,
            1,
            "expected a real date, found '31 Feb 2020': 2020-02 has no day 31",
        )
    ]


def test_an_unreadable_date_is_a_warning_that_says_how_to_declare_it():
    assert diagnostics("<div><i>07/20/2020 5:55 PM</i></div>") == [
        (
            "NC503",
            "warning",
            5,
            1,
            "expected a date in a form newscheck reads, found '07/20/2020 5:55 PM': declare its "
            "form in the source's profile (or the schema's unparseable-date formats), e.g. "
            "dates: [{format: '%m/%d/%Y %I:%M %p', utc_offset: '+00:00'}]",
        )
    ]


def test_the_rfi_form_reads_with_the_built_in_schema():
    assert diagnostics("<div>20/07/2020 - 17:50</div>") == []


@pytest.mark.parametrize(
    "date_div",
    [
        "<div><i>2020年7月20日</i></div>",  # the timestamp (17:55 UTC) is within that day
        "<div><i>20 July 2020</i></div>",
        "<div><i>2020-07-20 星期一</i></div>",
    ],
)
def test_a_day_is_compared_as_a_whole_day(date_div, tmp_path):
    tight = tmp_path / "tight.yaml"
    tight.write_text(
        "name: tight\nextends: feed-article\nrules:\n  timestamp-date-skew: {max_skew: 3600}\n",
        encoding="utf-8",
    )
    assert diagnostics(date_div, schema=tight) == []


def test_the_skew_message_labels_each_instant_with_its_zone_and_sign(tmp_path):
    paris = tmp_path / "paris.yaml"
    paris.write_text(
        "name: paris\nextends: feed-article\nsources:\n  www.voachinese.com:\n"
        "    dates: [{format: '%d/%m/%Y - %H:%M', timezone: Europe/Paris}]\n"
        "    rules: {timestamp-date-skew: {max_skew: 3600}}\n",
        encoding="utf-8",
    )
    # the timestamp is 2020-07-20 17:55:27 UTC, i.e. 19:55:27 in Paris
    assert diagnostics("<div>20/07/2020 - 22:50</div>", schema=paris) == [
        (
            "NC104",
            "error",
            5,
            1,
            "expected the date within 1 h of the timestamp (2020-07-20 17:55:27 UTC), "
            "found 2020-07-20 22:50 UTC+02:00 (-2.9 h)",
        )
    ]
    assert diagnostics("<div>20/07/2020 - 16:50</div>", schema=paris)[0][4].endswith(
        "found 2020-07-20 16:50 UTC+02:00 (+3.1 h)"
    )


def test_a_day_far_from_its_timestamp_is_reported_as_a_day():
    assert diagnostics("<div><i>2020年7月17日</i></div>") == [
        (
            "NC104",
            "error",
            5,
            1,
            "expected the date within 48 h of the timestamp (2020-07-20 17:55:27 UTC), "
            "found the day 2020-07-17 (UTC) (+65.9 h)",
        )
    ]


def test_the_declared_timezone_option_reads_naive_dates(tmp_path):
    beijing = tmp_path / "beijing.yaml"
    beijing.write_text(
        "name: beijing\nextends: feed-article\nrules:\n"
        "  unparseable-date: {timezone: '+08:00'}\n  timestamp-date-skew: {max_skew: 3600}\n",
        encoding="utf-8",
    )
    assert diagnostics("<div><i>2020-07-21 01:55:27</i></div>", schema=beijing) == []
    assert [d[0] for d in diagnostics("<div><i>2020-07-20 17:55:27</i></div>", schema=beijing)] == [
        "NC104"
    ]
