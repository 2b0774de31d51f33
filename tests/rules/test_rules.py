"""Every built-in rule: a failing example reported at its place, with every
diagnostic it gives (code, severity, line, column), and a passing one not.

The tables below are the tests' own list of the rules: a rule added to the
registry without an example here, or one that goes missing from it, fails.
"""

from __future__ import annotations

import importlib
import inspect

import pytest

import newscheck
from newscheck import Severity

from ..helpers import CONTENT, ROOT, article, codes, found

BODY = "<p>中国国家副主席韩正周三表示，中美双方进行高层对话有助于改善两国关系。</p>"
DATE = "<div><i>Mon, 20 Jul 2020 17:00:00 GMT</i></div>"
JEKYLL = (ROOT / "docs" / "examples" / "jekyll" / "2024-03-05-tram-airport.md").read_text("utf-8")

# (rule code, article text, every diagnostic: (code, severity, line, column)), with the
# default schema
FAILING = [
    (
        "NC001",
        article(title="[中国](https://a.example/x)")
        .encode()
        .replace("中国".encode(), "中国".encode("gbk")),
        [("NC001", "error", 2, 2)],
    ),
    ("NC002", "\ufeff" + article(), [("NC002", "error", 1, 1)]),
    ("NC003", article().replace("\n", "\r\n"), [("NC003", "error", 1, 21)]),
    ("NC004", article(content=CONTENT.replace("周三", "周\x00三")), [("NC004", "error", 5, 194)]),
    ("NC005", article().rstrip("\n"), [("NC005", "warning", 5, 222)]),
    ("NC005", article() + "\n\n", [("NC005", "warning", 6, 1)]),
    ("NC006", article() + article(), [("NC006", "error", 6, 1)]),
    ("NC007", "", [("NC007", "error", 1, 1)]),
    ("NC007", "  \n\n", [("NC007", "error", 1, 1)]),
    ("NC008", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", [("NC008", "error", 1, 1)]),
    (
        "NC011",
        article(content=CONTENT + "<!-- newscheck: disable-line=NC805 -->"),
        [("NC011", "warning", 5, 222)],
    ),
    ("NC101", article(timestamp=None), [("NC101", "error", 1, 1)]),
    ("NC102", article(timestamp="<!--NaN-->"), [("NC102", "error", 1, 1)]),
    ("NC102", article(timestamp="<!-- 1595267727000 -->"), [("NC102", "error", 1, 1)]),
    ("NC102", article(timestamp="<!--1595267727-->"), [("NC102", "error", 1, 1)]),
    (
        "NC103",
        article(timestamp="<!--0315532800000-->"),
        [("NC103", "error", 1, 5), ("NC104", "error", 5, 1)],
    ),
    (
        "NC103",
        article(timestamp="<!--9999999999999-->"),
        [("NC103", "error", 1, 5), ("NC104", "error", 5, 1)],
    ),
    ("NC104", article(content=CONTENT.replace("20 Jul", "10 Jul")), [("NC104", "error", 5, 1)]),
    ("NC201", article(title=None), [("NC201", "error", 2, 1)]),
    (
        "NC202",
        article(title="[标题](https://www.voachinese.com/a/1.html"),
        [("NC202", "error", 2, 1)],
    ),
    ("NC203", article(title="[](https://www.voachinese.com/a/1.html)"), [("NC203", "error", 2, 1)]),
    (
        "NC204",
        article(title="[德语媒体：北京的快速回应\n\n](https://www.dw.com/zh/a-1)"),
        [("NC204", "error", 2, 2)],
    ),
    ("NC205", article(title="[美国大选（更新](https://a.example/x)"), [("NC205", "warning", 2, 6)]),
    (
        "NC206",
        article(title="[中方&quot;反制&quot;](https://a.example/x)"),
        [("NC206", "error", 2, 4)],
    ),
    ("NC207", article(title="[标题 ](https://a.example/x)"), [("NC207", "warning", 2, 4)]),
    ("NC301", article(title="[标题]()"), [("NC301", "error", 2, 5)]),
    ("NC302", article(title="[标题](/a/7346455.html)"), [("NC302", "error", 2, 6)]),
    ("NC302", article(title="[标题](//www.voachinese.com/a/1.html)"), [("NC302", "error", 2, 6)]),
    ("NC303", article(title="[标题](javascript:void%200)"), [("NC303", "error", 2, 6)]),
    ("NC304", article(title="[标题](https://a.example/a b)"), [("NC304", "error", 2, 25)]),
    (
        "NC305",
        article(title="[标题](https://www.dw.com/zh/德语/a-1)"),
        [("NC305", "warning", 2, 28)],
    ),
    ("NC305", article(title="[标题](HTTPS://WWW.DW.COM/zh/a-1)"), [("NC305", "warning", 2, 6)]),
    ("NC401", article(rule=None), [("NC401", "error", 3, 1)]),
    ("NC402", article(rule="----"), [("NC402", "error", 3, 1)]),
    ("NC402", article(rule="======"), [("NC402", "error", 3, 1)]),
    ("NC403", article(blank=None), [("NC403", "error", 4, 1)]),
    ("NC403", article(blank="   "), [("NC403", "error", 4, 1)]),
    ("NC501", article(content="<div><i>yesterday</i></div>" + BODY), [("NC501", "error", 5, 1)]),
    ("NC502", article(content="<div></div>" + BODY), [("NC502", "info", 5, 1)]),
    (
        "NC503",
        article(content="<div><i>07/20/2020</i></div>" + BODY),
        [("NC503", "warning", 5, 1)],
    ),
    (
        "NC601",
        article(content=DATE + '<img src="" width="100%">' + BODY),
        [("NC601", "error", 5, 48)],
    ),
    ("NC601", article(content=DATE + '<img width="100%">' + BODY), [("NC601", "error", 5, 48)]),
    (
        "NC602",
        article(content=DATE + '<img src="//static.example/a.jpg">' + BODY),
        [("NC602", "warning", 5, 48)],
    ),
    (
        "NC603",
        article(content=DATE + '<img src="https://images.weserv.nl?url=">' + BODY),
        [("NC603", "error", 5, 48)],
    ),
    (
        "NC603",
        article(content=DATE + '<img src="https://images.weserv.nl/?url=&w=1">' + BODY),
        [("NC603", "error", 5, 48)],
    ),
    ("NC701", article(content=DATE + "<p> </p><p></p>"), [("NC701", "error", 5, 1)]),
    (
        "NC701",
        article(blank="", content=None),
        [("NC005", "warning", 4, 1), ("NC701", "error", 5, 1)],
    ),
    ("NC702", article(content=DATE + "<p>点击阅读。</p>"), [("NC702", "warning", 5, 48)]),
    (
        "NC703",
        article(content=DATE + BODY + '<img src="https://images.weserv.nl?url=gd'),
        [("NC703", "error", 5, 89)],
    ),
    ("NC703", article(content=DATE + BODY[:-4] + "&nbs"), [("NC703", "error", 5, 85)]),
    (
        "NC704",
        article(
            content=DATE
            + "<p>"
            + "中国国家副主席韩正周三表示".encode().decode("cp1252", "ignore")
            + "</p>"
            + BODY
        ),
        [("NC704", "error", 5, 51)],
    ),
    (
        "NC705",
        article(content=DATE + "<p>另外，2018年首次颁奖的\ufffd</p>" + BODY),
        [("NC705", "warning", 5, 64)],
    ),
    (
        "NC801",
        article(
            content=CONTENT + '<script src="https://platform.twitter.com/widgets.js"></script>'
        ),
        [("NC801", "warning", 5, 222)],
    ),
    (
        "NC802",
        article(content=CONTENT + '<iframe src="https://www.youtube.com/embed/x"></iframe>'),
        [("NC802", "info", 5, 222)],
    ),
    (
        "NC803",
        article(content=DATE + '<img src="https://a.example/a.jpg" onerror="alert(1)">' + BODY),
        [("NC803", "error", 5, 48)],
    ),
    (
        "NC804",
        article(content=CONTENT + '<a href=" javascript:alert(1)">more</a>'),
        [("NC804", "error", 5, 222)],  # a URL parser strips the space: no relative link
    ),
    (
        "NC805",
        article(content=CONTENT + '<a href="/a/7346455.html"></a>'),
        [("NC805", "warning", 5, 222)],
    ),
]


# Rules whose failing example needs a schema of its own (YAML, or a built-in
# name): (rule code, schema, failing text, passing text, every diagnostic).
# The example is checked as a file, as the command line reads it.
FAILING_WITH_SCHEMA = [
    (
        "NC009",
        "extends: feed-article\nrules:\n  NC009: {max_bytes: 1000}\n",
        article(content=CONTENT + "<p>" + "很长。" * 100 + "</p>"),
        article(),
        [("NC009", "error", 1, 1)],
    ),
    (
        "NC208",
        "extends: feed-article\nrules:\n  NC208: {max_chars: 10}\n",
        article(),
        article(title="[韩正表态](https://www.voachinese.com/a/7346550.html)"),
        [("NC208", "warning", 2, 2)],
    ),
    (
        "NC901",
        "extends: feed-article\nrecord:\n  properties:\n    title: {maxLength: 10}\n",
        article(),
        article(title="[韩正表态](https://www.voachinese.com/a/7346550.html)"),
        [("NC901", "error", 2, 2)],
    ),
    (
        "NC902",
        "jekyll-feed-article",
        JEKYLL.split("---\n", 2)[2],
        JEKYLL,
        [("NC902", "error", 1, 1)],
    ),
    (
        "NC903",
        "jekyll-feed-article",
        JEKYLL.replace('airport"\n', "airport\n", 1),
        JEKYLL,
        [("NC903", "error", 8, 26)],
    ),
    (
        "NC904",
        "jekyll-feed-article",
        JEKYLL.replace('title: "Tram line reaches the airport"', 'title: "Tram line"'),
        JEKYLL,
        [("NC904", "error", 3, 8)],
    ),
]

# Rules a single text cannot show, and the test that shows each of them.
ELSEWHERE = {
    "NC000": "tests.rules.test_rules:test_a_crashing_rule_becomes_an_internal_error",
    "NC010": "tests.hostile.test_battery:test_a_fifo_is_reported_and_never_opened",
    "NC012": "tests.hostile.test_battery:test_a_runaway_rule_is_stopped_by_the_budget",
    "NC951": "tests.corpus.test_crossfile:test_duplicates_name_each_other_and_are_reported_once_per_pair",
    "NC952": "tests.corpus.test_crossfile:test_an_ignored_earlier_rule_lets_the_next_one_report_the_pair",
    "NC953": "tests.corpus.test_crossfile:test_duplicates_name_each_other_and_are_reported_once_per_pair",
    "NC954": "tests.corpus.test_crossfile:test_colliding_ids_in_one_folder_not_across_folders",
    "NC955": "tests.corpus.test_crossfile:test_an_id_whose_timestamp_contradicts_the_order",
    "NC956": "tests.corpus.test_crossfile:test_file_name_title_mismatch",
}

# Every rule's default severity, as `newscheck rule` and the SARIF driver show it.
DEFAULT_SEVERITY = {
    **dict.fromkeys(["NC000", "NC001", "NC002", "NC003", "NC004"], "error"),
    "NC005": "warning",
    **dict.fromkeys(["NC006", "NC007", "NC008", "NC009", "NC010"], "error"),
    "NC011": "warning",
    "NC012": "error",
    **dict.fromkeys(["NC101", "NC102", "NC103", "NC104"], "error"),
    **dict.fromkeys(["NC201", "NC202", "NC203", "NC204"], "error"),
    "NC205": "warning",
    "NC206": "error",
    "NC207": "warning",
    "NC208": "warning",
    **dict.fromkeys(["NC301", "NC302", "NC303", "NC304"], "error"),
    "NC305": "warning",
    **dict.fromkeys(["NC401", "NC402", "NC403", "NC501"], "error"),
    "NC502": "info",
    "NC503": "warning",
    "NC601": "error",
    "NC602": "warning",
    **dict.fromkeys(["NC603", "NC701"], "error"),
    "NC702": "warning",
    **dict.fromkeys(["NC703", "NC704"], "error"),
    **dict.fromkeys(["NC705", "NC801"], "warning"),
    "NC802": "info",
    **dict.fromkeys(["NC803", "NC804"], "error"),
    "NC805": "warning",
    **dict.fromkeys(["NC901", "NC902", "NC903", "NC904"], "error"),
    **dict.fromkeys(["NC951", "NC952"], "warning"),
    "NC953": "info",
    "NC954": "error",
    **dict.fromkeys(["NC955", "NC956"], "warning"),
}


def every_hit(result: newscheck.FileResult) -> list[tuple[str, str, int, int]]:
    return [(d.code, str(d.severity), d.line, d.column) for d in result.diagnostics]


@pytest.mark.parametrize(
    ("code", "text", "hits"),
    FAILING,
    ids=lambda v: v if isinstance(v, str) and v.startswith("NC") else "",
)
def test_failing_example_is_reported_at_its_place(code, text, hits):
    check = newscheck.check_bytes if isinstance(text, bytes) else newscheck.check_text
    result = check(text)
    assert code in {c for c, *_ in hits}
    assert every_hit(result) == hits


@pytest.mark.parametrize(
    ("code", "schema", "failing", "passing", "hits"),
    FAILING_WITH_SCHEMA,
    ids=lambda v: v if isinstance(v, str) and v.startswith("NC") else "",
)
def test_failing_example_with_its_schema(tmp_path, code, schema, failing, passing, hits):
    if "\n" in schema:
        (tmp_path / "schema.yaml").write_text(schema, encoding="utf-8")
        schema = newscheck.load_schema(tmp_path / "schema.yaml")
    path = tmp_path / "2024-03-05-tram-airport.md"  # the date a Jekyll post's name starts with
    path.write_text(failing, encoding="utf-8")
    assert every_hit(newscheck.check_file(path, schema)) == hits
    path.write_text(passing, encoding="utf-8")
    assert every_hit(newscheck.check_file(path, schema)) == []


def test_every_registered_rule_has_an_example_and_every_example_a_rule():
    registered = {rule.code for rule in newscheck.all_rules()}
    table = {code for code, *_ in FAILING} | {code for code, *_ in FAILING_WITH_SCHEMA}
    assert sorted(registered - table - set(ELSEWHERE)) == []
    assert sorted((table | set(ELSEWHERE)) - registered) == []
    assert sorted(table & set(ELSEWHERE)) == []


@pytest.mark.parametrize("code", sorted(ELSEWHERE))
def test_a_rule_shown_elsewhere_names_a_test_that_shows_it(code):
    module, name = ELSEWHERE[code].split(":")
    test = getattr(importlib.import_module(module), name)
    assert code in inspect.getsource(test)


def test_every_rule_has_its_default_severity():
    shown = {rule.code: str(rule.severity) for rule in newscheck.all_rules()}
    assert shown == DEFAULT_SEVERITY


@pytest.mark.parametrize(
    "text",
    [
        article(),
        article(title="[[视频]北京（更新）｜ 说明 【快讯】](https://www.dw.com/zh/a-1?x=1)"),
        article(title="[标题](http://www.rfi.fr//cn/%e4%b8%AD-20200720)"),
        article(content="<div><i>KARA SWISHER<br>2020-07-20 19:22:17</i></div>" + BODY),
        article(content="<div><i>  <br>2020-07-20T14:53:17.152Z</i></div>" + BODY),
        article(content="<div><i>2020-07-20T17:20:18</i></div>" + BODY),
        article(content="<div>20/07/2020 - 19:50</div>" + BODY),
        article(content="<div><i>2020年7月20日</i></div>" + BODY),
        article(content=BODY.replace("两国关系", "H&M 与 Café naïve Ägypten")),
        article(content=DATE + '<img src="https://images.weserv.nl/?url=api.dw.com/a.jpg">' + BODY),
        article(
            content=DATE
            + BODY
            + '<a href="https://www.voachinese.com/a/1.html">x</a><a href="#top"></a>'
        ),
        article(content=BODY),
    ],
)
def test_passing_examples_have_no_diagnostics(text):
    assert found(text) == []


def test_a_missing_rule_line_still_lets_title_and_body_be_checked():
    text = article(title="[标题 ](https://a.example/x)", rule=None, content=DATE + "<p>短。</p>")
    assert codes(text) == ["NC207", "NC401", "NC702"]


def test_timestamp_skew_is_configurable(tmp_path):
    schema = tmp_path / "loose.yaml"
    schema.write_text(
        "extends: feed-article\nrules:\n  timestamp-date-skew: {max_skew: 10000000}\n"
    )
    text = article(content=CONTENT.replace("20 Jul", "10 Jul"))
    assert "NC104" in codes(text)
    assert "NC104" not in codes(text, newscheck.load_schema(schema))


def test_future_is_relative_to_the_reference_time(tmp_path):
    schema = tmp_path / "then.yaml"
    schema.write_text("extends: feed-article\nrules:\n  NC103: {reference_time: 1500000000}\n")
    text = article()
    assert "NC103" not in codes(text)
    assert "NC103" in codes(text, newscheck.load_schema(schema))


def test_severity_comes_from_the_schema(tmp_path):
    schema = tmp_path / "strict.yaml"
    schema.write_text("extends: feed-article\nrules:\n  empty-date: error\n  NC805: off\n")
    text = article(content="<div></div>" + BODY + '<a href="/a/1.html">x</a>')
    default = newscheck.check_text(text)
    assert [(d.code, d.severity) for d in default.diagnostics] == [
        ("NC502", Severity.INFO),
        ("NC805", Severity.WARNING),
    ]
    strict = newscheck.check_text(text, schema=newscheck.load_schema(schema))
    assert [(d.code, d.severity) for d in strict.diagnostics] == [("NC502", Severity.ERROR)]


def test_diagnostic_carries_rule_name_message_and_end():
    (d,) = newscheck.check_text(article(timestamp="<!--NaN-->")).diagnostics
    assert (d.code, d.rule, d.severity) == ("NC102", "malformed-timestamp", Severity.ERROR)
    assert (d.line, d.column, d.end_line, d.end_column) == (1, 1, 1, 11)
    assert "13 digits" in d.message and "'<!--NaN-->'" in d.message


def test_invalid_utf8_is_reported_once_without_replacement_noise():
    text = (
        article(title="[中国](https://a.example/x)")
        .encode()
        .replace("中国".encode(), "中国".encode("gbk"))
    )
    assert codes(text) == ["NC001"]


def test_a_crashing_rule_becomes_an_internal_error(monkeypatch):
    from newscheck.registry import REGISTRY

    def boom(article, options):
        raise RuntimeError("boom")

    rule = REGISTRY["NC702"]
    monkeypatch.setitem(REGISTRY, "NC702", type(rule)(**{**rule.__dict__, "check": boom}))
    result = newscheck.check_text(article(timestamp="<!--NaN-->"))
    assert [d.code for d in result.diagnostics] == ["NC000", "NC102"]
    assert "NC702 short-body failed: RuntimeError: boom" in result.diagnostics[0].message


@pytest.mark.parametrize(
    ("length", "shown"), [(60, "y" * 60), (61, "y" * 59 + "…"), (200, "y" * 59 + "…")]
)
def test_what_was_found_instead_is_cut_at_sixty_characters(length, shown):
    text = "y" * length + "\n" + article().split("\n", 1)[1]
    (first, *_) = newscheck.check_text(text).diagnostics
    assert (first.code, first.message) == (
        "NC101",
        f"expected a timestamp comment such as '<!--1699465144000-->', found '{shown}'",
    )
