"""Per-source profiles: the shipped feedx-sources example on the real feed
corpus, and the sources language on its own."""

from __future__ import annotations

import re
import textwrap

import pytest

import newscheck
from newscheck import Severity
from newscheck.schema import SchemaError, load_schema

from ..helpers import CONTENT, article, missing

FEEDX = "examples/feedx-sources"


def errors(result):
    return [d.code for d in result.diagnostics if d.severity is Severity.ERROR]


@pytest.fixture(scope="module")
def feed():
    from ..helpers import CORPUS

    if not (CORPUS / "feed").is_dir():
        missing("the shared corpus (../shared/corpus) is not present")
    return CORPUS / "feed"


def first(feed, source):
    path = sorted((feed / source).glob("*.md"))[0]
    return path.name, path.read_text(encoding="utf-8")


def test_the_real_corpus_stays_clean_under_the_profiles(feed):
    default = {r.path: errors(r) for r in newscheck.check_paths([feed])}
    profiled = list(newscheck.check_paths([feed], schema=FEEDX))
    assert len(profiled) == len(default) == 3599
    assert {r.path: errors(r) for r in profiled} == default  # the same 9 real defects, no more
    warnings = sum(1 for r in profiled for d in r.diagnostics if d.code == "NC602")
    assert warnings == 0  # Reuters' protocol-relative images are that source's form


def test_a_voa_file_without_its_date_passes_the_default_but_not_its_profile(feed):
    name, text = first(feed, "voa")
    undated = re.sub(r"<div><i>[^<]*GMT</i></div>", "", text, count=1)
    assert undated != text
    assert errors(newscheck.check_text(undated, path=name)) == []
    result = newscheck.check_text(undated, path=name, schema=FEEDX)
    assert [(d.code, d.line, d.column, d.message) for d in result.diagnostics] == [
        ("NC901", 5, 1, "record: 'date' is a required property")
    ]


def test_a_voa_date_in_another_form_is_read_and_its_skew_still_measured(feed):
    name, text = first(feed, "voa")
    iso = text.replace("Mon, 20 Jul 2020 19:22:03 GMT", "2020-07-20T19:22:03.000Z", 1)
    assert iso != text
    # declared forms add to the grammar: another form is no error ...
    assert errors(newscheck.check_text(iso, path=name, schema=FEEDX)) == []
    # ... and its distance to the timestamp is still VOA's 36 h at most
    early = iso.replace("2020-07-20T19:22:03.000Z", "2020-07-19T01:22:03.000Z", 1)
    assert errors(newscheck.check_text(early, path=name)) == []
    assert errors(newscheck.check_text(early, path=name, schema=FEEDX)) == ["NC104"]


def test_rfi_dates_are_paris_time_and_skew_is_measured_from_there(feed):
    name, text = first(feed, "rfi")
    # 20/07/2020 - 17:50 Paris is 15:50 UTC; 20 hours later still passes the
    # default's 48 h, but not RFI's 16 h.
    late = text.replace("20/07/2020 - 17:50", "19/07/2020 - 21:50", 1)
    assert late != text
    assert "NC104" not in errors(newscheck.check_text(late, path=name))
    assert "NC104" in errors(newscheck.check_text(late, path=name, schema=FEEDX))


def test_dw_items_may_have_no_date_but_ft_items_have_an_empty_one(feed):
    name, text = first(feed, "dw")
    undated = re.sub(r"^<div><i>[^<]*<br>[^<]*</i></div>", "", text.split("\n")[4])
    lines = text.split("\n")
    lines[4] = undated
    assert errors(newscheck.check_text("\n".join(lines), path=name, schema=FEEDX)) == []
    name, text = first(feed, "ft")
    dated = text.replace("<div></div>", "<div><i>2020-07-20T10:20:18</i></div>", 1)
    assert dated != text
    assert errors(newscheck.check_text(dated, path=name, schema=FEEDX)) == ["NC901"]


def write(tmp_path, text):
    path = tmp_path / "profiled.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


PROFILED = """\
    extends: feed-article
    sources:
      'news.example.*':
        layout:
          - {part: timestamp, required: false}
        dates:
          - {format: '%d.%m.%Y %H:%M', timezone: Europe/Berlin}
        rules:
          short-body: {severity: error, min_chars: 60}
        checks:
          - same-day: [date, timestamp]
      '*':
        rules:
          empty-date: error
    """


def example(host, content=CONTENT, **parts):
    link = f"[韩正表态愿与美加强沟通](https://{host}/a/7346550.html)"
    return article(title=link, content=content, **parts)


def codes(text, schema):
    return [d.code for d in newscheck.check_text(text, schema=schema).diagnostics]


def test_a_profile_changes_parts_dates_rules_and_checks_for_its_hosts(tmp_path):
    schema = load_schema(write(tmp_path, PROFILED))
    german = CONTENT.replace("Mon, 20 Jul 2020 17:00:00 GMT", "20.07.2020 19:00")
    # 19:00 in Berlin (summer) is 17:00 UTC: the timestamp's day and time
    assert codes(example("news.example.de", german, timestamp=None), schema) == ["NC702"]
    # a day-first date no form of that host declares: a warning, not guessed
    assert codes(example("other.example", german, timestamp=None), schema) == ["NC101", "NC503"]
    late = german.replace("20.07.2020 19:00", "21.07.2020 09:00")
    assert codes(example("news.example.de", late), schema) == ["NC904", "NC702"]
    assert codes(example("other.example", "<div></div><p>正文。</p>" * 9), schema) == ["NC502"]


def test_the_configuration_applies_inside_profiles_too(tmp_path):
    from newscheck.cli.wiring import build_checker
    from newscheck.config import load_settings, override

    path = write(tmp_path, PROFILED)
    settings = override(load_settings(None), schema=str(path), ignore=("NC702",))
    checker = build_checker(settings)
    (profile,) = [p for p in checker.schema.profiles if p.glob == "news.example.*"]
    assert profile.schema.rules["NC702"].severity is None
    assert profile.schema.rules["NC501"].options["formats"][0]["timezone"] == "Europe/Berlin"


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        (
            "extends: feed-article\nsources:\n  a.example:\n    dates: [{format: '%Y', timezone: Mars/Base}]\n",
            4,
            38,
            "unknown time zone 'Mars/Base'",
        ),
        (
            "extends: feed-article\nsources:\n  a.example:\n    rules: {no-such-rule: off}\n",
            4,
            13,
            "unknown rule 'no-such-rule'",
        ),
        (
            "extends: feed-article\nsources:\n  a.example:\n    layout: [{part: byline, required: true}]\n",
            4,
            21,
            "no part 'byline' in the layout",
        ),
        (
            "extends: feed-article\nsources:\n  a.example:\n    dates: [{format: '%Y'}]\n    rules: {unparseable-date: {formats: []}}\n",
            4,
            12,
            "not both",
        ),
        (
            "extends: feed-article\nrules:\n  unparseable-date: {timezone: Mars/Base}\n",
            3,
            32,
            "unknown time zone 'Mars/Base'",
        ),
        (
            "extends: feed-article\nrules:\n  unparseable-date: {order: ymd}\n",
            3,
            29,
            "'ymd' is not one of",
        ),
        (
            "extends: feed-article\nsources:\n  a.example:\n    colour: red\n",
            4,
            5,
            "'colour' was unexpected",
        ),
    ],
)
def test_mistakes_in_sources_are_located(tmp_path, text, line, column, words):
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SchemaError) as caught:
        load_schema(path)
    assert words in caught.value.message
    assert (caught.value.line, caught.value.column) == (line, column), caught.value.message


def test_a_profile_declares_its_day_order_and_zone_beside_its_dates(tmp_path):
    schema = load_schema(
        write(
            tmp_path,
            """
            name: ordered
            extends: feed-article
            rules:
              unparseable-date: {extend-formats: [{format: '%Y年%m月%d日 %H点'}]}
            sources:
              news.example.fr:
                dates: [{format: '%d.%m.%Y %Hh%M', timezone: Europe/Paris}]
                rules:
                  unparseable-date: {order: dmy, timezone: Europe/Paris}
                  timestamp-date-skew: {max_skew: 600}
            """,
        )
    )
    # the timestamp is 2020-07-20 17:55:27 UTC: 19:55 in Paris
    paris = CONTENT.replace("Mon, 20 Jul 2020 17:00:00 GMT", "20/07/2020 19:55")
    assert codes(example("news.example.fr", paris), schema) == []
    declared = CONTENT.replace("Mon, 20 Jul 2020 17:00:00 GMT", "20.07.2020 19h55")
    assert codes(example("news.example.fr", declared), schema) == []
    # elsewhere the order is not declared: a warning; the schema's extended form reads
    assert codes(example("other.example", paris), schema) == ["NC503"]
    hour = CONTENT.replace("Mon, 20 Jul 2020 17:00:00 GMT", "2020年07月20日 17点")
    assert codes(example("other.example", hour), schema) == []
