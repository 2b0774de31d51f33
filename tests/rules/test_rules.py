"""Every built-in rule: a failing example reported at its place, a passing one not."""

from __future__ import annotations

import pytest

import newscheck
from newscheck import Severity

from ..helpers import CONTENT, article, codes, found

BODY = "<p>中国国家副主席韩正周三表示，中美双方进行高层对话有助于改善两国关系。</p>"
DATE = "<div><i>Mon, 20 Jul 2020 17:00:00 GMT</i></div>"

# (rule code, article text, expected line, expected column)
FAILING = [
    (
        "NC001",
        article(title="[中国](https://a.example/x)")
        .encode()
        .replace("中国".encode(), "中国".encode("gbk")),
        2,
        2,
    ),
    ("NC002", "\ufeff" + article(), 1, 1),
    ("NC003", article().replace("\n", "\r\n"), 1, 21),
    ("NC004", article(content=CONTENT.replace("周三", "周\x00三")), 5, None),
    ("NC005", article().rstrip("\n"), 5, None),
    ("NC005", article() + "\n\n", 6, 1),
    ("NC006", article() + article(), 6, 1),
    ("NC007", "", 1, 1),
    ("NC007", "  \n\n", 1, 1),
    ("NC008", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 1, 1),
    ("NC101", article(timestamp=None), 1, 1),
    ("NC102", article(timestamp="<!--NaN-->"), 1, 1),
    ("NC102", article(timestamp="<!-- 1595267727000 -->"), 1, 1),
    ("NC102", article(timestamp="<!--1595267727-->"), 1, 1),
    ("NC103", article(timestamp="<!--0315532800000-->"), 1, 5),
    ("NC103", article(timestamp="<!--9999999999999-->"), 1, 5),
    ("NC104", article(content=CONTENT.replace("20 Jul", "10 Jul")), 5, 1),
    ("NC201", article(title=None), 2, 1),
    ("NC202", article(title="[标题](https://www.voachinese.com/a/1.html"), 2, 1),
    ("NC203", article(title="[](https://www.voachinese.com/a/1.html)"), 2, 1),
    ("NC204", article(title="[德语媒体：北京的快速回应\n\n](https://www.dw.com/zh/a-1)"), 2, 2),
    ("NC205", article(title="[美国大选（更新](https://a.example/x)"), 2, 6),
    ("NC206", article(title="[中方&quot;反制&quot;](https://a.example/x)"), 2, 4),
    ("NC207", article(title="[标题 ](https://a.example/x)"), 2, 4),
    ("NC301", article(title="[标题]()"), 2, 5),
    ("NC302", article(title="[标题](/a/7346455.html)"), 2, 6),
    ("NC302", article(title="[标题](//www.voachinese.com/a/1.html)"), 2, 6),
    ("NC303", article(title="[标题](javascript:void%200)"), 2, 6),
    ("NC304", article(title="[标题](https://a.example/a b)"), 2, 25),
    ("NC305", article(title="[标题](https://www.dw.com/zh/德语/a-1)"), 2, 28),
    ("NC305", article(title="[标题](HTTPS://WWW.DW.COM/zh/a-1)"), 2, 6),
    ("NC401", article(rule=None), 3, 1),
    ("NC402", article(rule="----"), 3, 1),
    ("NC402", article(rule="======"), 3, 1),
    ("NC403", article(blank=None), 4, 1),
    ("NC403", article(blank="   "), 4, 1),
    ("NC501", article(content="<div><i>yesterday</i></div>" + BODY), 5, 1),
    ("NC502", article(content="<div></div>" + BODY), 5, 1),
    ("NC601", article(content=DATE + '<img src="" width="100%">' + BODY), 5, 48),
    ("NC601", article(content=DATE + '<img width="100%">' + BODY), 5, 48),
    ("NC602", article(content=DATE + '<img src="//static.example/a.jpg">' + BODY), 5, 48),
    ("NC603", article(content=DATE + '<img src="https://images.weserv.nl?url=">' + BODY), 5, 48),
    (
        "NC603",
        article(content=DATE + '<img src="https://images.weserv.nl/?url=&w=1">' + BODY),
        5,
        48,
    ),
    ("NC701", article(content=DATE + "<p> </p><p></p>"), 5, 1),
    ("NC701", article(blank="", content=None), 5, 1),
    ("NC702", article(content=DATE + "<p>点击阅读。</p>"), 5, 48),
    (
        "NC703",
        article(content=DATE + BODY + '<img src="https://images.weserv.nl?url=gd'),
        5,
        len(DATE + BODY) + 1,
    ),
    ("NC703", article(content=DATE + BODY[:-4] + "&nbs"), 5, len(DATE + BODY) - 3),
    (
        "NC704",
        article(
            content=DATE
            + "<p>"
            + "中国国家副主席韩正周三表示".encode().decode("cp1252", "ignore")
            + "</p>"
            + BODY
        ),
        5,
        51,
    ),
    ("NC705", article(content=DATE + "<p>另外，2018年首次颁奖的\ufffd</p>" + BODY), 5, 64),
    (
        "NC801",
        article(
            content=CONTENT + '<script src="https://platform.twitter.com/widgets.js"></script>'
        ),
        5,
        len(CONTENT) + 1,
    ),
    (
        "NC802",
        article(content=CONTENT + '<iframe src="https://www.youtube.com/embed/x"></iframe>'),
        5,
        len(CONTENT) + 1,
    ),
    (
        "NC803",
        article(content=DATE + '<img src="https://a.example/a.jpg" onerror="alert(1)">' + BODY),
        5,
        48,
    ),
    (
        "NC804",
        article(content=CONTENT + '<a href=" javascript:alert(1)">more</a>'),
        5,
        len(CONTENT) + 1,
    ),
    ("NC805", article(content=CONTENT + '<a href="/a/7346455.html"></a>'), 5, len(CONTENT) + 1),
]


@pytest.mark.parametrize(
    ("code", "text", "line", "column"),
    FAILING,
    ids=lambda v: v if isinstance(v, str) and v.startswith("NC") else "",
)
def test_failing_example_is_reported_at_its_place(code, text, line, column):
    hits = [(c, ln, col) for c, ln, col in found(text) if c == code]
    assert hits, f"{code} not reported; found {found(text)}"
    assert hits[0][1] == line
    if column is not None:
        assert hits[0][2] == column


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
    from newscheck.diagnostics import REGISTRY

    def boom(article, options):
        raise RuntimeError("boom")

    rule = REGISTRY["NC702"]
    monkeypatch.setitem(REGISTRY, "NC702", type(rule)(**{**rule.__dict__, "check": boom}))
    result = newscheck.check_text(article(timestamp="<!--NaN-->"))
    assert [d.code for d in result.diagnostics] == ["NC000", "NC102"]
    assert "NC702 short-body failed: RuntimeError: boom" in result.diagnostics[0].message
