"""Hypothesis strategies and rendering, as properties of the engine.

Every generated article draws no diagnostic, every injected defect is
reported with its code on its line, and parsing then rendering an article
gives back its bytes: for the built-in schema and for a layout declared here.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import yaml
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

import newscheck
from newscheck.parse import parse
from newscheck.render import ArticleFactory, RenderError, fields_of, render
from newscheck.rules import lookup
from newscheck.schema import SchemaError, builtin_names
from newscheck.source import from_text
from newscheck.strategies import articles, defective_articles, defects, injectable_codes

PROPERTY = settings(max_examples=50, deadline=None)

DATED = """\
name: dated
layout:
  - part: title
    match: '\\[(?P<title>.*)\\]\\((?P<url>[^)\\n]*)\\)'
    recognise: '\\['
    render: '[{title}]({url})'
  - part: dateline
    match: '日期：(?P<date>.+)'
    recognise: '日期'
    render: '日期：{date}'
  - part: byline
    required: false
    match: 'By (?P<author>[A-Z][a-z]{1,10} [A-Z][a-z]{1,10})'
    recognise: 'By '
    render: 'By {author}'
  - part: reference
    match: 'ID (?P<id>[0-9]{6,7}[a-z]?)'
    recognise: 'ID'
    render: 'ID {id}'
  - part: blank
    match: ''
    recognise: '\\s+$'
    render: ''
  - part: content
    block: html
    render: '{content}'
extract:
  images: {xpath: '//img', value: '@src', many: true}
  body: {xpath: '//text()', value: text}
rules:
  unparseable-date:
    formats:
      - {format: '%d.%m.%Y %H:%M', timezone: Europe/Berlin}
      - {format: '%a, %d %b %Y %H:%M:%S %z'}
"""


@pytest.fixture(scope="module")
def dated(tmp_path_factory):
    path = tmp_path_factory.mktemp("schemas") / "dated.yaml"
    path.write_text(DATED, encoding="utf-8")
    return newscheck.load_schema(path)


def found(text, schema=None):
    return {(d.code, d.line) for d in newscheck.check_text(text, schema=schema).diagnostics}


def round_trip(text, schema):
    return render(schema, fields_of(parse(from_text(text), schema)))


BUILT_INS = builtin_names()


@pytest.mark.parametrize("name", BUILT_INS)
@PROPERTY
@given(data=st.data())
def test_a_generated_article_draws_no_diagnostic_and_renders_back_to_its_bytes(name, data):
    text = data.draw(articles(name))
    assert found(text, name) == set()
    assert round_trip(text, newscheck.load_schema(name)).encode() == text.encode()


@pytest.mark.parametrize("name", BUILT_INS)
@PROPERTY
@given(data=st.data())
def test_a_generated_defect_is_reported_on_its_line(name, data):
    defect = data.draw(defects(name))
    assert (defect.code, defect.line) in found(defect.text, name)


# The docs' size of a run that covers every kind (its codes, and a few examples
# Hypothesis draws twice), made deterministic.
FIFTY = settings(max_examples=50, deadline=None, derandomize=True, database=None)


@pytest.mark.parametrize("name", BUILT_INS)
def test_fifty_examples_draw_every_injectable_code_and_say_its_rule_and_message(name):
    drawn = set()

    @FIFTY
    @given(defects(name))
    def draw(defect):
        drawn.add(defect.code)
        reported = [
            d
            for d in newscheck.check_text(defect.text, schema=name).diagnostics
            if (d.code, d.line) == (defect.code, defect.line)
        ]
        assert reported, defect
        assert (reported[0].rule, defect.rule) == (RULE_NAMES[defect.code],) * 2
        assert re.fullmatch(defect.message, reported[0].message), reported[0].message

    draw()
    assert drawn == set(injectable_codes(name))


def test_a_failing_defect_is_shown_again_with_the_same_code():
    shown = []

    @settings(FIFTY, phases=[Phase.generate])  # shrinking takes seconds and shows the same
    @given(defects())
    def never(defect):
        shown.append(defect)
        assert defect.code != "NC805"

    with pytest.raises(AssertionError):  # not Hypothesis's flaky-test error: the replay agrees
        never()
    assert [d.code for d in shown].count("NC805") == 2  # found, then replayed to be shown
    assert shown[-1].code == "NC805"


# Rule names as the reference (docs/rules.md) lists them.
RULE_NAMES = {
    "NC002": "byte-order-mark",
    "NC003": "crlf-line-ending",
    "NC004": "control-character",
    "NC005": "final-newline",
    "NC006": "trailing-content",
    "NC007": "empty-file",
    "NC011": "unused-suppression",
    "NC101": "missing-timestamp",
    "NC102": "malformed-timestamp",
    "NC103": "implausible-timestamp",
    "NC104": "timestamp-date-skew",
    "NC201": "missing-title-link",
    "NC202": "malformed-title-link",
    "NC203": "empty-title",
    "NC204": "multiline-title",
    "NC205": "unbalanced-brackets",
    "NC206": "markup-in-title",
    "NC207": "title-whitespace",
    "NC208": "title-too-long",
    "NC301": "empty-url",
    "NC302": "relative-url",
    "NC303": "unsupported-scheme",
    "NC304": "url-whitespace",
    "NC305": "unnormalised-url",
    "NC401": "missing-rule",
    "NC402": "rule-length",
    "NC403": "missing-blank-line",
    "NC501": "unparseable-date",
    "NC502": "empty-date",
    "NC503": "unknown-date-form",
    "NC504": "implausible-date",
    "NC601": "empty-image-src",
    "NC602": "protocol-relative-src",
    "NC603": "empty-proxy-target",
    "NC701": "empty-body",
    "NC702": "short-body",
    "NC703": "truncated-body",
    "NC704": "mojibake",
    "NC705": "replacement-character",
    "NC801": "script-element",
    "NC802": "embedded-frame",
    "NC803": "event-handler-attribute",
    "NC804": "javascript-url",
    "NC805": "relative-link",
    "NC902": "missing-part",
    "NC903": "malformed-part",
}


def test_every_rule_with_a_plant_says_what_its_message_matches():
    planted = [r for r in newscheck.all_rules() if r.examples and r.examples.plant]
    assert [r.code for r in planted if not r.examples.message] == []
    # and the rules that report a part dropped or damaged (their plant is the part)
    assert [c for c in injectable_codes() if not lookup(c).examples.message] == []


@pytest.mark.parametrize("code", ["NC007", "NC005"])
@settings(max_examples=10, deadline=None)
@given(data=st.data())
def test_empty_and_truncated_files_are_among_the_defects(code, data):
    defect = data.draw(defective_articles(code))
    if code == "NC007":  # empty, or blank lines only
        assert defect.text.strip() == "" and defect.line == 1
    else:  # no newline at the end: cut in its last line, or its newline left out
        assert not defect.text.endswith("\n") and defect.line == defect.text.count("\n") + 1
    assert (code, defect.line) in found(defect.text)


def test_every_built_in_schema_is_drawn():
    # jekyll-feed-article: a YAML block drawn from the record, tied by the checks
    assert {"feed-article", "feed-article-dated", "jekyll-feed-article"} <= set(BUILT_INS)


@pytest.mark.parametrize("name", BUILT_INS)
def test_the_factory_default_draws_no_diagnostic(name):
    text = ArticleFactory(newscheck.load_schema(name))()
    assert found(text, name) == set()


@pytest.mark.parametrize("code", injectable_codes())
@settings(max_examples=3, deadline=None)
@given(data=st.data())
def test_each_injectable_defect_is_reported_on_its_line(code, data):
    text, drawn, line, rule, _ = data.draw(defective_articles(code))
    assert (drawn, rule) == (code, RULE_NAMES[code])
    assert (code, line) in found(text)


def test_every_rule_of_one_text_is_injected_into_feed_articles():
    # no text shows these: the engine itself (its failures, its time budget, the choice of
    # --schema auto), bytes and files
    not_text = {"NC000", "NC001", "NC008", "NC009", "NC010", "NC012", "NC013"}
    # the built-in schema declares nothing for these to report
    undeclared = {"NC901", "NC902", "NC903", "NC904"}
    per_file = {r.code for r in newscheck.all_rules() if not r.corpus}
    assert per_file - set(injectable_codes()) == not_text | undeclared


# Deterministic, and within a few seconds: 200 draws of a profiled schema.
SOURCES = settings(max_examples=200, deadline=None, derandomize=True, database=None)

TWO_PROFILES = """\
name: two-sources
extends: feed-article
sources:
  '*.example.de':
    dates:
      - {format: '%d.%m.%Y %H:%M', timezone: Europe/Berlin}
    record:
      required: [date]
      properties:
        images: {items: {pattern: '^https://images\\.weserv\\.nl'}}
    rules:
      timestamp-date-skew: {max_skew: 7200}
  'news.example.jp':
    dates:
      - {format: '%Y/%m/%d %H:%M:%S', utc_offset: '+09:00'}
    layout:
      - {part: timestamp, required: false}
    record:
      properties:
        title: {maxLength: 12}
        date: {pattern: '^20[0-9]{2}/'}
    rules:
      empty-date: off
      short-body: {min_chars: 300}
"""


def host(text):
    return re.search(r"\]\(https?://([^/]+)", text).group(1)


def draws_without_a_diagnostic(schema):
    """The hosts of 200 drawn articles, each checked to draw no diagnostic."""
    loaded, hosts = newscheck.load_schema(schema), []

    @SOURCES
    @given(articles(loaded))
    def draw(text):
        assert found(text, loaded) == set()
        hosts.append(host(text))

    draw()
    return hosts


def test_articles_are_sound_under_every_source_profile_of_feedx_sources():
    hosts = set(draws_without_a_diagnostic("examples/feedx-sources"))
    # every profile is drawn, and hosts that no profile takes (the schema's own rules)
    assert {"www.voachinese.com", "www.dw.com", "www.rfi.fr", "cn.nytimes.com"} <= hosts
    assert {"cn.reuters.com", "cn.ft.com", "www.bbc.com"} <= hosts


def test_articles_are_sound_under_a_user_schema_with_two_profiles(tmp_path):
    path = tmp_path / "two-sources.yaml"
    path.write_text(TWO_PROFILES, encoding="utf-8")
    hosts = set(draws_without_a_diagnostic(path))
    assert {"www.example.de", "news.example.jp", "www.voachinese.com"} <= hosts


@settings(max_examples=20, deadline=None)
@given(data=st.data())
def test_a_fixed_url_draws_its_own_source(data):
    schema = newscheck.load_schema("examples/feedx-sources")
    # FT's date div is always there and always empty; RFI's always holds a date
    ft = data.draw(articles(schema, url="https://cn.ft.com/a.html"))
    rfi = data.draw(articles(schema, url="https://www.rfi.fr/cn/a.html"))
    assert found(ft, schema) == found(rfi, schema) == set()
    assert parse(from_text(ft), schema).value("date") == ""
    assert parse(from_text(rfi), schema).value("date")


@PROPERTY
@given(articles(title="固定的标题｜[视频]", image=None, date=None))
def test_fixed_fields_are_kept(text):
    lines = text.split("\n")
    assert lines[1].startswith("[固定的标题｜[视频]](")
    assert "<img" not in lines[4]
    assert not lines[4].startswith("<div>")


@PROPERTY
@given(st.data())
def test_a_declared_layout_gets_sound_articles_too(dated, data):
    text = data.draw(articles(dated))
    assert found(text, dated) == set()
    assert round_trip(text, dated) == text
    assert text.split("\n")[1].startswith("日期：")


@PROPERTY
@given(st.data())
def test_a_declared_layout_gets_defects_too(dated, data):
    defect = data.draw(defects(dated))
    assert (defect.code, defect.line) in found(defect.text, dated)


def test_a_declared_layout_has_its_own_defects(dated):
    codes = injectable_codes(dated)
    assert {"NC201", "NC902", "NC903", "NC501"} <= set(codes)  # dateline is NC902/NC903
    assert not {"NC101", "NC104", "NC502", "NC006"} & set(codes)


def test_a_yaml_block_is_drawn_from_its_record(tmp_path):
    path = tmp_path / "slugged.yaml"
    path.write_text(
        "extends: jekyll-feed-article\n"
        "record:\n"
        "  properties:\n"
        "    front:\n"
        "      required: [slug]\n"
        "      properties: {slug: {type: string, pattern: '^[a-z]{3,8}$'}}\n",
        encoding="utf-8",
    )
    schema = newscheck.load_schema(path)

    @settings(max_examples=20, deadline=None)
    @given(articles(schema))
    def sound(text):
        assert found(text, schema) == set()
        front = yaml.safe_load(text.split("---\n")[1])
        assert re.fullmatch("[a-z]{3,8}", front["slug"])
        assert f"\n[{front['title']}](" in text  # tied to the link by the schema's checks

    sound()


def test_a_yaml_block_with_keywords_not_drawn_is_refused(tmp_path):
    path = tmp_path / "dated-front.yaml"
    path.write_text(
        "extends: jekyll-feed-article\n"
        "record:\n"
        "  properties:\n"
        "    front:\n"
        "      properties: {updated: {type: string, format: date-time}}\n",
        encoding="utf-8",
    )
    with pytest.raises(
        ValueError, match=r"no values are drawn for front\.updated: keyword 'format'"
    ):
        articles(newscheck.load_schema(path))


def test_unknown_fields_and_codes_are_refused():
    with pytest.raises(TypeError, match="unknown field 'titel' for schema feed-article"):
        articles(titel="x")
    with pytest.raises(ValueError, match=r"cannot inject 'NC001' into feed-article articles"):
        defective_articles("NC001")


def test_rendering_needs_a_template_for_every_part(tmp_path):
    path = tmp_path / "plain.yaml"
    path.write_text("layout:\n  - {part: heading, match: '# (?P<title>.+)'}\n", encoding="utf-8")
    with pytest.raises(
        RenderError, match="schema 'plain': part 'heading' has no 'render' template"
    ):
        render(newscheck.load_schema(path), {"title": "x"})


def test_a_new_pattern_drops_the_base_template(tmp_path):
    path = tmp_path / "loose.yaml"
    path.write_text(
        "extends: feed-article\nlayout:\n  - {part: rule, match: '-{3,}'}\n", encoding="utf-8"
    )
    schema = newscheck.load_schema(path)
    assert [p.render for p in schema.layout][1:3] == ["[{title}]({url})", None]
    with pytest.raises(ValueError, match="part 'rule' has no 'render' template"):
        articles(schema)


def test_a_template_names_only_its_part_fields(tmp_path):
    path = tmp_path / "typo.yaml"
    path.write_text(
        "layout:\n  - part: heading\n    match: '# (?P<title>.+)'\n    render: '# {titel}'\n",
        encoding="utf-8",
    )
    with pytest.raises(SchemaError) as refused:
        newscheck.load_schema(path)
    assert str(refused.value) == (
        f"{path}:4:13: render template of part 'heading' names {{titel}}, "
        "not one of its fields (title)"
    )


def test_hypothesis_is_imported_only_by_the_strategies():
    probe = (
        "import sys, newscheck, newscheck.render, newscheck.pytest_plugin\n"
        "newscheck.check_text('<!--1-->\\n')\n"
        "print('hypothesis' in sys.modules)\n"
        "import newscheck.strategies\n"
        "print('hypothesis' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "True"]
