"""Field roles (``roles:``), profiles keyed on any field (``sources_by:``) and
the options of ``checks`` (a severity of their own, normalised ``equal``)."""

from __future__ import annotations

import textwrap

import pytest

import newscheck
from newscheck.examples import BODY
from newscheck.schema import SchemaError, load_schema

from ..helpers import article
from ..helpers import write_schema as write

# A front-matter archive: no timestamp comment, no title link; the title, the
# link and the date are front-matter keys, declared as playing their roles.
POSTS = """\
name: front-posts
layout:
  - part: front
    block: yaml
    open: '---'
    close: '---'
  - part: content
    block: html
extract:
  headline:
    xpath: '//h1'
  body:
    xpath: '//p//text()'
roles:
  title: front.title
  url: front.from
  date: front.date
rules:
  implausible-date: {reference_time: 1709640000}  # 2024-03-05 12:00 UTC
"""

POST = """\
---
title: "Tram line reaches the airport"
date: 2024-03-05T08:00:00Z
author: City News
from: https://example.com/news/tram-airport
categories: [transport, city]
---
<h1>Tram line reaches the airport</h1>
<p>The extended tram line to the airport carried its first passengers on Tuesday morning.</p>
"""


def seen(text, schema, path="2024-03-05-tram.md"):
    """(code, severity, line, column, message) of every diagnostic."""
    result = newscheck.check_text(text, path=path, schema=schema)
    return [(d.code, str(d.severity), d.line, d.column, d.message) for d in result.diagnostics]


@pytest.fixture
def posts(tmp_path):
    return load_schema(write(tmp_path, POSTS))


def test_a_sound_post_gives_nothing(posts):
    assert seen(POST, posts) == []


def test_title_rules_run_on_the_field_playing_the_title_role(posts):
    text = POST.replace('title: "Tram', 'title: " Tram')
    assert seen(text, posts) == [
        (
            "NC207",
            "warning",
            2,
            8,
            "expected no whitespace before the title, found some",
        )
    ]


def test_url_rules_run_on_the_field_playing_the_url_role(posts):
    text = POST.replace("from: https://example.com", "from: ")
    assert seen(text, posts) == [
        ("NC302", "error", 5, 7, "expected an absolute http(s) URL, found '/news/tram-airport'")
    ]


def test_a_front_matter_date_gets_the_date_rules(posts):
    assert seen(POST.replace("2024-03-05T08:00:00Z", "soon"), posts) == [
        ("NC501", "error", 3, 7, "expected a date, found 'soon', which holds none")
    ]


def test_a_front_matter_date_in_the_future_or_before_1990(posts):
    future = POST.replace("2024-03-05T08:00:00Z", "2024-03-07T08:00:00Z")
    assert seen(future, posts) == [
        (
            "NC504",
            "error",
            3,
            7,
            "expected a date before the reference time, "
            "found 2024-03-07 08:00:00 UTC in the future",
        )
    ]
    within_a_day = POST.replace("2024-03-05T08:00:00Z", "2024-03-06T11:00:00Z")
    assert seen(within_a_day, posts) == []  # future_tolerance: one day by default
    old = POST.replace("2024-03-05T08:00:00Z", "1989-12-31")
    assert seen(old, posts) == [
        ("NC504", "error", 3, 7, "expected a date after 1990-01-01, found the day 1989-12-31 (UTC)")
    ]


def test_the_date_div_of_the_built_in_gets_the_same_check():
    text = article(content="<div><i>2099-07-20 17:00:00</i></div>" + BODY)
    assert [(c, li, co) for c, _, li, co, _ in seen(text, "feed-article")] == [
        ("NC104", 5, 1),
        ("NC504", 5, 1),
    ]


def test_a_role_of_another_kind_of_value_is_not_read(posts):
    """A list where the title should be: the record types it; the text rules skip it."""
    assert (
        seen(POST.replace('title: "Tram line reaches the airport"', "title: [a, b]"), posts) == []
    )


def test_the_built_ins_declare_their_roles():
    assert dict(load_schema("feed-article").roles) == {
        "timestamp": "timestamp",
        "title": "title",
        "url": "url",
        "date": "date",
        "images": "images",
        "caption": "caption",
        "body": "body",
    }
    assert "timestamp" not in load_schema("feed-article-dated").roles
    assert load_schema("jekyll-feed-article").roles["date"] == "date"  # extends: inherits


def test_extending_moves_a_role_or_gives_it_up(tmp_path):
    moved = load_schema(
        write(tmp_path, "extends: jekyll-feed-article\nroles: {date: front.date}\n")
    )
    assert moved.roles["date"] == "front.date"
    assert moved.roles["title"] == "title"
    gone = load_schema(write(tmp_path, "extends: feed-article\nroles: {title: null}\n", "g.yaml"))
    assert "title" not in gone.roles
    spaced = article(title="[ 韩正表态愿与美加强沟通](https://www.voachinese.com/a/7346550.html)")
    assert [c for c, *_ in seen(spaced, "feed-article")] == ["NC207"]
    assert seen(spaced, gone) == []


def test_a_field_named_after_a_role_plays_it_unless_roles_say_otherwise(tmp_path):
    schema = load_schema(
        write(tmp_path, POSTS.replace("  date: front.date\n", "") + "  # no date role\n")
    )
    assert "date" not in schema.roles
    named = POSTS.replace("extract:\n", "extract:\n  date:\n    xpath: '//time'\n")
    assert load_schema(write(tmp_path, named, "n.yaml")).roles["date"] == "front.date"
    unnamed = named.replace("  date: front.date\n", "")
    assert load_schema(write(tmp_path, unnamed, "u.yaml")).roles["date"] == "date"


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        (
            "extends: feed-article\nroles:\n  title: headline\n",
            3,
            10,
            "roles: no field 'headline' in the schema",
        ),
        (
            "extends: feed-article\nroles:\n  author: title\n",
            3,
            3,
            "'author' is not one of ['timestamp', 'title', 'url', 'date', 'images', "
            "'caption', 'body']",
        ),
        (
            "extends: feed-article\nsources_by: {value: front.author}\n",
            2,
            21,
            "sources_by: no field 'front.author' in the schema",
        ),
        (
            "extends: feed-article\nsources_by: {value: title, host: url}\n",
            2,
            13,
            "has too many properties",
        ),
        (
            "extends: feed-article\nchecks:\n  - {equal: [title, url], normalise: [accents]}\n",
            3,
            39,
            "'accents' is not one of ['nfkc', 'quotes', 'dashes', 'case', 'whitespace']",
        ),
        (
            "extends: feed-article\nchecks:\n  - {same-time: [title, url], suffix: x}\n",
            3,
            5,
            "'equal' is a dependency of 'suffix'",
        ),
        (
            "extends: feed-article\nchecks:\n  - {equal: [title, url], suffix: '(?<=a)b'}\n",
            3,
            35,
            "RE2 runs schema patterns",
        ),
        (
            "extends: feed-article\nchecks:\n  - {equal: [title, url], severity: fatal}\n",
            3,
            37,
            "'fatal' is not one of ['error', 'warning', 'info', 'off', False]",
        ),
    ],
)
def test_mistakes_in_roles_sources_by_and_check_options_are_located(
    tmp_path, text, line, column, words
):
    with pytest.raises(SchemaError) as caught:
        load_schema(write(tmp_path, text))
    error = caught.value
    assert words in error.message
    assert (error.line, error.column) == (line, column), error.message


# -- profiles on any field ---------------------------------------------------


def profiled(key: str, glob: str) -> str:
    return POSTS + textwrap.dedent(
        f"""\
        sources_by: {key}
        sources:
          '{glob}':
            rules:
              short-body: {{min_chars: 200}}
        """
    )


SHORT = (
    "expected at least 200 characters of text, found 86: "
    "'The extended tram line to the airport carried its first pas…'"
)


@pytest.mark.parametrize(
    ("key", "glob"),
    [
        ("{value: front.author}", "city news"),  # a field's value, case-insensitive
        ("{value: front.author}", "City*"),
        ("{value: front.categories}", "transport"),  # any item of a list
        ("{host: front.from}", "*.com"),  # the host of a URL-valued field
    ],
)
def test_a_profile_keyed_on_a_front_matter_field(tmp_path, key, glob):
    schema = load_schema(write(tmp_path, profiled(key, glob)))
    assert seen(POST, schema) == [("NC702", "warning", 9, 1, SHORT)]
    other = POST.replace("author: City News", "author: Harbour Post").replace(
        "[transport, city]", "[harbour]"
    )
    assert seen(other.replace("example.com", "example.org"), schema) == []


def test_without_sources_by_profiles_key_on_the_host_of_the_url_role(tmp_path):
    schema = load_schema(write(tmp_path, profiled("", "example.com").replace("sources_by: \n", "")))
    assert schema.sources_by == ("host", None)
    assert seen(POST, schema) == [("NC702", "warning", 9, 1, SHORT)]
    assert seen(POST.replace("example.com", "example.org"), schema) == []


# -- checks: severity and normalised equal -----------------------------------

HEADLINE = "<h1>Tram line reaches the airport</h1>"


def checked(tmp_path, check: str, headline: str, title: str = "Tram line reaches the airport"):
    name = f"checks-{len(list(tmp_path.iterdir()))}.yaml"  # schemas are loaded once per path
    schema = load_schema(write(tmp_path, POSTS + "checks:\n  - " + check + "\n", name))
    text = POST.replace(HEADLINE, f"<h1>{headline}</h1>").replace(
        '"Tram line reaches the airport"', f'"{title}"'
    )
    return [found for found in seen(text, schema) if found[0] == "NC904"]


def test_each_check_has_its_own_severity(tmp_path):
    assert checked(tmp_path, "{equal: [front.title, headline], severity: info}", "Tram") == [
        (
            "NC904",
            "info",
            2,
            8,
            "expected front.title to equal headline 'Tram', found 'Tram line reaches the airport'",
        )
    ]
    assert checked(tmp_path, "{equal: [front.title, headline], severity: off}", "Tram") == []
    assert [s for _, s, *_ in checked(tmp_path, "{equal: [front.title, headline]}", "Tram")] == [
        "error"
    ]


@pytest.mark.parametrize(
    ("step", "headline", "title", "label"),
    [
        ("nfkc", "Ｔｒａｍ ｌｉｎｅ", "Tram line", "NFKC"),
        ("whitespace", "Tram line", " Tram \\t line  ", "whitespace collapsed"),
        ("quotes", "«Tram» ‘line’", "“Tram” 'line'", "quotes folded"),
        ("dashes", "Tram—line – 2", "Tram-line ‒ 2", "dashes folded"),
        ("case", "TRAM LINE", "Tram Line", "case folded"),
    ],
)
def test_each_normalisation_step(tmp_path, step, headline, title, label):
    check = f"{{equal: [front.title, headline], normalise: [{step}]}}"
    assert checked(tmp_path, check, headline, title) == []
    assert checked(tmp_path, "{equal: [front.title, headline]}", headline, title) != []
    (found,) = checked(tmp_path, check, headline + " x", title)
    assert found[4].endswith(f": {label})"), found[4]


def test_a_suffix_and_a_prefix_are_removed_from_both_values(tmp_path):
    check = (
        r"{equal: [front.title, headline], prefix: '\[[^]]*\]\s*', "
        r"suffix: '\s+-\s+City News', normalise: [dashes, case]}"
    )
    assert checked(tmp_path, check, "[Video] Tram line – CITY NEWS", "Tram line") == []
    assert checked(tmp_path, check, "Tram lines – City News", "Tram line") == [
        (
            "NC904",
            "error",
            2,
            8,
            "expected front.title to equal headline 'Tram lines – City News', found 'Tram line' "
            "(compared 'tram line' with 'tram lines': dashes folded, case folded, "
            r"prefix /\[[^]]*\]\s*/ removed, suffix /\s+-\s+City News/ removed)",
        )
    ]


def test_the_shipped_meta_schema_lists_the_roles_and_normalisation_steps():
    import json

    from newscheck.article import ROLES
    from newscheck.rules.checks import NORMALISE
    from newscheck.schema import builtin_dir

    meta = json.loads((builtin_dir() / "meta-schema.json").read_text(encoding="utf-8"))
    assert meta["properties"]["roles"]["propertyNames"]["enum"] == list(ROLES)
    steps = meta["$defs"]["check"]["properties"]["normalise"]["items"]["enum"]
    assert steps == list(NORMALISE)
