"""The HTML-safety rules (NC801-NC805) judge markup the way a browser parses
it: raw-text elements (``<noscript>`` with scripting on), SVG and MathML
foreign content, addresses as the URL parser reads them, ``srcdoc`` documents.

Each case is markup appended to a sound article's content; the finding must
point at the column where the offending start tag is written (found here with
``str.index``, not by the code under test).
"""

from __future__ import annotations

import time

import pytest

import newscheck
from newscheck.cli import main

from ..helpers import CONTENT, article

# (markup, where the offending tag starts in it, code, words of the message)
BYPASSES = [
    (
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></p></noscript>',
        "<img",
        "NC803",
        "onerror on <img>",
    ),
    (
        '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
        "<a ",
        "NC804",
        "xlink:href",
    ),
    ('<svg><a href="javascript:alert(1)"><text>x</text></a></svg>', "<a ", "NC804", "href of <a>"),
    (
        '<svg><animate attributeName="href" values="javascript:alert(1)"/></svg>',
        "<animate",
        "NC804",
        "values",
    ),
    (
        '<svg><animate attributeName="href" values="#a;javascript:alert(1)"/></svg>',
        "<animate",
        "NC804",
        "values",
    ),
    (
        '<svg><set attributeName="href" to="javascript:alert(1)"/></svg>',
        "<set",
        "NC804",
        "to of <set>",
    ),
    (
        '<svg><animate attributeName="href" from="javascript:alert(1)"/></svg>',
        "<animate",
        "NC804",
        "from",
    ),
    (
        '<svg><animate attributeName="href" by="javascript:alert(1)"/></svg>',
        "<animate",
        "NC804",
        "by",
    ),
    (
        '<svg><animate attributeName="xlink:href" to="javascript:alert(1)"/></svg>',
        "<animate",
        "NC804",
        "to",
    ),
    (
        '<svg><set attributeName="onclick" to="alert(1)"/></svg>',
        "<set",
        "NC803",
        "attributeName=onclick",
    ),
    ('<math><mi href="javascript:alert(1)">x</mi></math>', "<mi", "NC804", "href of <mi>"),
    (
        '<math><maction xlink:href="javascript:alert(1)">x</maction></math>',
        "<maction",
        "NC804",
        "xlink:href",
    ),
    (
        '<form><button formaction="javascript:alert(1)">x</button></form>',
        "<button",
        "NC804",
        "formaction",
    ),
    ('<form action="javascript:alert(1)"><input type="submit"></form>', "<form", "NC804", "action"),
    (
        '<form><input type="image" formaction="javascript:alert(1)"></form>',
        "<input",
        "NC804",
        "formaction",
    ),
    ('<object data="javascript:alert(1)"></object>', "<object", "NC804", "data of <object>"),
    ('<embed src="javascript:alert(1)">', "<embed", "NC804", "src of <embed>"),
    ('<iframe src="javascript:alert(1)"></iframe>', "<iframe", "NC804", "src of <iframe>"),
    (
        '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
        "<iframe",
        "NC801",
        "srcdoc",
    ),
    ('<iframe srcdoc="<img src=x onerror=alert(1)>"></iframe>', "<iframe", "NC803", "srcdoc"),
    ('<iframe SrcDoc="<script>alert(1)</script>"></iframe>', "<iframe", "NC801", "srcdoc"),
    ('<iframe srcdoc="<a href=javascript:alert(1)>x</a>"></iframe>', "<iframe", "NC804", "srcdoc"),
    (
        '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
        "<meta",
        "NC804",
        "content",
    ),
    (
        "<meta http-equiv=Refresh content=\"0; URL='javascript:alert(1)'\">",
        "<meta",
        "NC804",
        "content",
    ),
    ('<a href="&#x6A;&#x61;vascript:alert(1)">x</a>', "<a ", "NC804", "javascript:"),
    ('<a href="&#106;avascript&colon;alert(1)">x</a>', "<a ", "NC804", "javascript:"),
    ('<a href="java&Tab;script:alert(1)">x</a>', "<a ", "NC804", "javascript:"),
    ('<a href="java&#x0A;script:alert(1)">x</a>', "<a ", "NC804", "javascript:"),
    ('<a href="java&#13;script:alert(1)">x</a>', "<a ", "NC804", "javascript:"),
    ('<a href="&#1;&#31; javascript:alert(1)">x</a>', "<a ", "NC804", "javascript:"),
    ('<a href="JaVaScRiPt:alert(1)">x</a>', "<a ", "NC804", "javascript:"),
    ("<a href=javascript:alert(1)>x</a>", "<a ", "NC804", "javascript:"),
    ('<a href="vbscript:msgbox(1)">x</a>', "<a ", "NC804", "vbscript:"),
    (
        '<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">x</a>',
        "<a ",
        "NC804",
        "data:",
    ),
    (
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
        "<a ",
        "NC804",
        "data:",
    ),
    (
        '<object data="data:image/svg+xml,&lt;svg onload=alert(1)&gt;"></object>',
        "<object",
        "NC804",
        "data:",
    ),
    ('<base href="javascript:alert(1)//">', "<base", "NC804", "href of <base>"),
    ("<svg><script>alert(1)</script></svg>", "<script", "NC801", "<script>"),
    (
        '<svg><script href="data:text/javascript,alert(1)"></script></svg>',
        "<script",
        "NC804",
        "data:",
    ),
    ("<svg/onload=alert(1)>", "<svg", "NC803", "onload on <svg>"),
    ('<img src="a.jpg"onerror=alert(1)>', "<img", "NC803", "onerror"),
    ("<IMG SRC=x ONERROR=alert(1)>", "<IMG", "NC803", "onerror"),
    ("<svg><style><img src=x onerror=alert(1)></style></svg>", "<img", "NC803", "onerror"),
    (
        '<p title="<img src=x>">a</p><img src="https://e.com/a.jpg" onerror=alert(1)>',
        '<img src="h',
        "NC803",
        "onerror",
    ),
    (
        "<p><!-- <img onerror=1> --></p><img src=y onerror=alert(1)>",
        "<img src=y",
        "NC803",
        "onerror",
    ),
    ("<noscript><script>alert(1)</script></noscript>", "<script", "NC801", "<script>"),
    ("<NoScript><img src=x onerror=alert(1)></NoScript>", "<img", "NC803", "onerror"),
    (
        '<iframe srcdoc="<noscript><img src=x onerror=alert(1)></noscript>"></iframe>',
        "<iframe",
        "NC803",
        "in the document of srcdoc",
    ),
    ("<svg><noscript><script>alert(1)</script></noscript></svg>", "<script", "NC801", "<script>"),
    # a page's parser gives these tags' attributes to its own <html>/<body>
    ("<p>a</p><body onload=alert(1)>", "<body", "NC803", "onload on <body>"),
    ('<p>a</p><BODY\tonpageshow="alert(1)">', "<BODY", "NC803", "onpageshow on <body>"),
    ("<html onmouseover=alert(1)><p>a</p>", "<html", "NC803", "onmouseover on <html>"),
    ("<frameset onload=alert(1)>", "<frameset", "NC803", "onload on <frameset>"),
    ('<body background="javascript:alert(1)">', "<body", "NC804", "background"),
]


@pytest.mark.parametrize(
    ("markup", "at", "code", "words"), BYPASSES, ids=[b[0][:48] for b in BYPASSES]
)
def test_a_bypass_is_found_where_its_tag_is_written(
    markup: str, at: str, code: str, words: str
) -> None:
    result = newscheck.check_text(article(content=CONTENT + markup))
    column = len(CONTENT) + markup.index(at) + 1
    hits = [d for d in result.diagnostics if d.code == code]
    assert [(d.line, d.column) for d in hits] == [(5, column)], result.diagnostics
    assert words in hits[0].message


@pytest.mark.parametrize("markup", [b[0] for b in BYPASSES[:3]])
def test_a_bypass_fails_the_run(markup: str, tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "a.md"
    path.write_text(article(content=CONTENT + markup), encoding="utf-8")
    assert main(["check", "--isolated", "--jobs", "1", "--fail-on", "warning", str(path)]) == 1
    assert "NC80" in capsys.readouterr().out


HARMLESS = [
    '<p title="javascript:alert(1)">javascript:alert(1)</p>',
    '<a href="https://e.com/?next=javascript:alert(1)">x</a>',
    '<a href="https://e.com/a.html" data-onclick="x">x</a>',
    '<noscript><img src="https://e.com/a.jpg"></noscript>',
    "<p><!-- <script>alert(1)</script> --></p>",
    "<textarea><img src=x onerror=alert(1)></textarea>",
    '<svg><a href="https://e.com/"><text>x</text></a><animate attributeName="x" values="javascript:1"/></svg>',
    '<img src="data:image/png;base64,iVBORw0KGgo=">',
    '<meta http-equiv="refresh" content="30">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
]


@pytest.mark.parametrize("markup", HARMLESS, ids=[h[:48] for h in HARMLESS])
def test_harmless_markup_is_not_reported(markup: str) -> None:
    result = newscheck.check_text(article(content=CONTENT + markup))
    assert [d.code for d in result.diagnostics if d.code in {"NC801", "NC803", "NC804"}] == []


def test_a_relative_link_in_svg_is_reported_at_its_tag() -> None:
    markup = '<svg><a xlink:href="/a/1.html"><text>x</text></a></svg>'
    result = newscheck.check_text(article(content=CONTENT + markup))
    hits = [(d.line, d.column, d.message) for d in result.diagnostics if d.code == "NC805"]
    assert hits == [
        (
            5,
            len(CONTENT) + 6,
            "expected an absolute address in xlink:href, found relative '/a/1.html'",
        )
    ]


DEEP = "<div>" * 30_000  # past the parser's bounded work: the tokenizer's tags are judged


@pytest.mark.parametrize(
    ("markup", "at", "code"),
    [
        (DEEP + BYPASSES[0][0], "<img", "NC803"),
        (DEEP + '<svg><a xlink:href="java&#9;script:alert(1)">x</a></svg>', "<a ", "NC804"),
        (DEEP + '<svg><set attributeName="href" to="javascript:alert(1)"/></svg>', "<set", "NC804"),
        (
            "<p " + " ".join(f"a{i}=1" for i in range(5_000)) + " onclick=alert(1)>",
            "<p ",
            "NC803",
        ),
    ],
    ids=["deep-noscript", "deep-svg-href", "deep-set", "attributes-5000"],
)
def test_content_too_costly_to_build_is_judged_by_its_tags(markup: str, at: str, code: str) -> None:
    started = time.monotonic()
    result = newscheck.check_text(article(content=CONTENT + markup))
    assert time.monotonic() - started < 20
    column = len(CONTENT) + markup.index(at) + 1
    assert [(d.line, d.column) for d in result.diagnostics if d.code == code] == [(5, column)]
