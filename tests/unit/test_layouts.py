"""The layout language beyond one line per part: yaml blocks, wrapped and
open-ended blocks, 'before', cross-field checks; all from YAML alone."""

from __future__ import annotations

import pytest

import newscheck
from newscheck.schema import SchemaError, load_schema

from ..helpers import article
from ..helpers import write_schema as write


def found(text, schema, path="<text>"):
    result = newscheck.check_text(text, path=path, schema=schema)
    return [(d.code, d.line, d.column, d.message) for d in result.diagnostics]


# A layout nobody ships: YAML front matter, then pretty-printed HTML over any
# number of lines, then a footer line. Declared here, in YAML only.
BLOG = """\
name: blog-post
layout:
  - part: front
    block: yaml
    open: '---'
    close: '---'
  - part: content
    block: html
    until: 'Source: .*'
  - part: footer
    match: 'Source: (?P<url>\\S+)'
    recognise: '(?i)source'
extract:
  heading:
    xpath: '//h1'
  body:
    xpath: '//p//text()'
record:
  required: [front, heading]
  properties:
    front:
      required: [title, published]
      properties:
        title: {type: string}
        published: {type: string}
        tags: {type: array, items: {type: string}}
checks:
  - equal: [front.title, heading]
  - same-day: [front.published, front.updated]
  - filename-date: front.published
rules:
  short-body: {min_chars: 10}
"""

POST = """\
---
title: Night trains return
published: 2024-03-05T08:00:00Z
updated: 2024-03-05T17:30:00Z
tags: [rail, europe]
---
<article>
  <h1>Night trains return</h1>
  <p>The regional operator will run two sleeper
     services a week from May.</p>
</article>
Source: https://example.org/rail/night-trains
"""


@pytest.fixture
def blog(tmp_path):
    return load_schema(write(tmp_path, BLOG))


def test_a_new_layout_declared_in_yaml_accepts_its_files(blog):
    assert [p.name for p in blog.layout] == ["front", "content", "footer"]
    assert found(POST, blog, "2024-03-05-night-trains.md") == []


def test_front_matter_keys_are_fields_with_their_own_positions(blog):
    from newscheck.parse import parse
    from newscheck.source import from_text

    parsed = parse(from_text(POST), blog)
    front = parsed.field("front")
    assert front.value == {
        "title": "Night trains return",
        "published": "2024-03-05T08:00:00Z",  # a time stays the text it was written as
        "updated": "2024-03-05T17:30:00Z",
        "tags": ["rail", "europe"],
    }
    title = parsed.field("front.title")
    source = parsed.source
    start = source.position(title.span.start)
    assert (start.line, start.column) == (2, 8)
    assert source.slice(title.span) == "Night trains return"
    assert parsed.value("heading") == "Night trains return"
    assert parsed.value("url") == "https://example.org/rail/night-trains"
    assert parsed.html_span is not None and source.slice(parsed.html_span).count("\n") == 4


def test_each_declared_check_and_constraint_fires_on_a_defect(blog):
    renamed = POST.replace("<h1>Night trains return</h1>", "<h1>Night buses return</h1>")
    assert found(renamed, blog, "2024-03-05-x.md") == [
        (
            "NC904",
            2,
            8,
            "expected front.title to equal heading 'Night buses return', found 'Night trains return'",
        )
    ]
    next_day = POST.replace("updated: 2024-03-05T17:30", "updated: 2024-03-06T00:30")
    assert [(c, ln, col) for c, ln, col, _ in found(next_day, blog, "2024-03-05-x.md")] == [
        ("NC904", 3, 12)
    ]
    assert [c for c, *_ in found(POST, blog, "2024-03-04-x.md")] == ["NC904"]
    untitled = POST.replace("title: Night trains return\n", "")
    assert found(untitled, blog, "2024-03-05-x.md") == [
        ("NC901", 2, 1, "front: 'title' is a required property")
    ]
    tagged = POST.replace("tags: [rail, europe]", "tags: [rail, 3]")
    assert found(tagged, blog, "2024-03-05-x.md") == [
        ("NC901", 5, 14, "front/tags/1: 3 is not of type 'string'")
    ]


def test_broken_blocks_are_malformed_with_their_own_message(blog):
    unclosed = POST.replace("updated: 2024-03-05T17:30:00Z\n", "updated: 'x\n")
    codes = found(unclosed, blog, "2024-03-05-x.md")
    assert codes[0][:3] == ("NC903", 5, 21)  # where the YAML ends, unterminated
    assert codes[0][3].startswith("expected YAML in part 'front', found an error:")
    a_list = POST.replace("title: Night trains return\n", "- one\n")
    assert found(a_list, blog, "2024-03-05-x.md")[0][0] == "NC903"
    no_close = "---\ntitle: x\n<article><h1>x</h1></article>\nSource: https://a.example/\n"
    assert found(no_close, blog, "2024-03-05-x.md") == [
        ("NC701", 5, 1, "expected the article's HTML content, found the end of the file"),
        ("NC902", 5, 1, "expected part 'footer', found the end of the file"),
        (
            "NC903",
            5,
            1,
            "expected a line matching '---' to close part 'front', found the end of the file",
        ),
    ]  # and no record error about 'front' or 'heading': their parts are reported
    no_front = POST.split("---\n", 2)[2]
    assert found(no_front, blog, "2024-03-05-x.md")[0] == (
        "NC902",
        1,
        1,
        "expected part 'front', found '<article>'",
    )


def test_a_wrapped_block_holds_at_most_max_lines_between_its_wrapper_lines(tmp_path):
    schema = load_schema(
        write(
            tmp_path,
            """\
            layout:
              - part: content
                block: html
                open: '<div>'
                close: '</div>'
                max_lines: 1
            """,
        )
    )
    assert found("<div>\n<p>一行文字就够了，这是正文。</p>\n</div>\n", schema) == []
    two = "<div>\n<p>一行文字就够了，这是正文。</p>\n<p>second</p>\n</div>\n"
    assert found(two, schema) == [
        (
            "NC903",
            3,
            1,
            "expected at most 1 line(s) in part 'content' before its closing line, "
            "found 2: '<p>second</p>'",
        )
    ]
    unwrapped = found("<p>no wrapper, no content</p>\n", schema)
    assert [c for c, *_ in unwrapped] == ["NC006", "NC701"]  # not content, so trailing


def test_until_ends_a_block_before_its_line_and_open_consumes_its_own(tmp_path):
    schema = load_schema(
        write(
            tmp_path,
            """\
            layout:
              - part: notes
                block: text
                open: '== notes =='
                until: '== end =='
              - part: end
                match: '== end =='
              - part: content
                block: html
            """,
        )
    )
    text = "== notes ==\nline one\nline two\n== end ==\n<p>正文的内容在这里，足够长。</p>\n"
    assert found(text, schema) == []
    from newscheck.parse import parse
    from newscheck.source import from_text

    parsed = parse(from_text(text), schema)
    assert parsed.source.slice(parsed.part("notes").span) == "== notes ==\nline one\nline two"


def trailing(line: int, more: int) -> tuple[str, int, int, str]:
    return (
        "NC006",
        line,
        1,
        f"expected the file to end after its last part, found {more} more line(s)",
    )


def no_content(line: int) -> tuple[str, int, int, str]:
    return ("NC701", line, 1, "expected the article's HTML content, found the end of the file")


WRAPPED = """\
layout:
  - part: content
    block: html
    open: '<div>'
    close: '</div>'
    max_lines: 2
"""
UNTIL = """\
layout:
  - part: content
    block: html
    until: '-- end --'
    max_lines: 2
  - part: end
    match: '-- end --'
"""
P = "<p>正文的内容在这里，足够长。</p>"
LONG = f"expected at most 2 line(s) in part 'content' before its closing line, found 3: {P!r}"


@pytest.mark.parametrize(
    ("layout", "text", "diagnostics", "status", "part", "html"),
    [
        # wrapper lines: nothing, two lines (the most), three, no closing line
        (WRAPPED, "<div>\n</div>\n", [], "OK", "<div>\n</div>", ""),
        (WRAPPED, f"<div>\n{P}\n{P}\n</div>\n", [], "OK", f"<div>\n{P}\n{P}\n</div>", f"{P}\n{P}"),
        (
            WRAPPED,
            f"<div>\n<p>1</p>\n<p>2</p>\n{P}\n</div>\n",
            [("NC903", 4, 1, LONG)],
            "MALFORMED",
            f"<div>\n<p>1</p>\n<p>2</p>\n{P}\n</div>",
            f"<p>1</p>\n<p>2</p>\n{P}",
        ),
        (
            WRAPPED,
            f"<div>\n{P}\n",
            [
                (
                    "NC903",
                    3,
                    1,
                    "expected a line matching '</div>' to close part 'content', "
                    "found the end of the file",
                )
            ],
            "MALFORMED",
            f"<div>\n{P}",
            None,
        ),
        # an end line: at once, after one line, after two (the most), after three
        (
            UNTIL,
            "-- end --\n",
            [no_content(1)],
            "MISSING",
            "-- end --",
            None,
        ),
        (UNTIL, f"{P}\n-- end --\n", [], "OK", P, P),
        (UNTIL, f"{P}\n{P}\n-- end --\n", [], "OK", f"{P}\n{P}", f"{P}\n{P}"),
        (
            UNTIL,
            f"{P}\n{P}\n{P}\n-- end --\n",
            [
                trailing(3, 2),
                ("NC902", 3, 1, f"expected part 'end', found {P!r}"),
            ],
            "OK",
            f"{P}\n{P}",
            f"{P}\n{P}",
        ),
    ],
)
def test_where_a_block_ends(tmp_path, layout, text, diagnostics, status, part, html):
    from newscheck.parse import parse
    from newscheck.source import from_text

    schema = load_schema(write(tmp_path, layout))
    assert found(text, schema) == diagnostics
    parsed = parse(from_text(text), schema)
    content = parsed.part("content")
    assert (content.status.name, parsed.source.slice(content.span)) == (status, part)
    shown = parsed.html_span and parsed.source.slice(parsed.html_span)
    assert shown == html


def test_before_places_a_new_part_ahead_of_a_base_part(tmp_path):
    schema = load_schema(
        write(
            tmp_path,
            """\
            extends: feed-article
            layout:
              - part: banner
                before: timestamp
                match: '# (?P<banner>.+)'
            """,
        )
    )
    assert [p.name for p in schema.layout][:2] == ["banner", "timestamp"]
    assert found("# 新闻\n" + article(), schema) == []


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        (
            "layout:\n  - {part: a, match: x, open: y}\n",
            2,
            5,
            "should not be valid under",
        ),
        ("layout:\n  - {part: a, block: html, open: '('}\n", 2, 34, "invalid regular expression"),
        ("layout:\n  - {part: a, block: html, close: x, until: y}\n", 2, 5, "should not be valid"),
        ("layout:\n  - {part: a, block: json}\n", 2, 22, "'json' is not one of"),
        (
            "extends: feed-article\nlayout:\n  - {part: title, open: '<'}\n",
            3,
            25,
            "'open' belongs to a block",
        ),
        (
            "extends: feed-article\nchecks:\n  - equal: [title, headline]\n",
            3,
            20,
            "check equal names no field 'headline'",
        ),
        (
            "extends: feed-article\nchecks:\n  - filename-date: front.date\n",
            3,
            20,
            "check filename-date names no field 'front.date'",
        ),
        ("extends: feed-article\nchecks:\n  - equal: [title]\n", 3, 12, "is too short"),
        (
            "extends: feed-article\nchecks:\n  - {equal: [title, url], max_skew: 3}\n",
            3,
            5,
            "'same-time' is a dependency of 'max_skew'",
        ),
        (
            "extends: feed-article\nchecks:\n  - {equal: [title, url], utc_offset: '+01:00'}\n",
            3,
            39,
            "'utc_offset' does not apply to equal",
        ),
        (
            "extends: feed-article\nchecks:\n  - {equal: [title, url], same-day: [title, url]}\n",
            3,
            5,
            "is valid under each of",
        ),
        (
            "extends: feed-article\nlayout:\n  - {part: x, match: y, before: nowhere}\n",
            3,
            33,
            "no part 'nowhere' to precede",
        ),
    ],
)
def test_mistakes_in_the_new_keys_are_located(tmp_path, text, line, column, words):
    path = write(tmp_path, text)
    with pytest.raises(SchemaError) as caught:
        load_schema(path)
    error = caught.value
    assert words in error.message
    assert (error.line, error.column) == (line, column), error.message


def test_checks_are_appended_when_extending(tmp_path):
    write(tmp_path, "extends: jekyll-feed-article\nchecks:\n  - equal: [front.author, title]\n")
    schema = load_schema(tmp_path / "schema.yaml")
    assert [c.kind for c in schema.checks] == [
        "equal",
        "equal",
        "same-time",
        "filename-date",
        "equal",
    ]
    assert schema.checks[-1].fields == ("front.author", "title")


EXTRACTED = """\
layout:
  - part: content
    block: html
extract:
  paragraphs: {xpath: 'count(//p)'}
  first: {xpath: 'string(//p)'}
  heading: {xpath: '//h1', value: html}
  heading_text: {xpath: '//h1', value: text}
  links: {xpath: '//a', value: '@href', many: true}
  hrefs: {xpath: '//a/@href', value: text}
  tables: {xpath: '//table', many: true}
  words: {xpath: '//p//text()'}
  last: {xpath: '//i/text()', value: last-text}
"""


def test_each_kind_of_extracted_value_and_where_it_is(tmp_path):
    from newscheck.parse import parse
    from newscheck.source import from_text

    text = (
        "<h1>Title<br><b>bold</b></h1>tail\n"
        "<p>One <a href='/x'>a</a> and\n"
        "<a href='/y'>b</a>.</p><p><i>two</i></p>\n"
    )
    parsed = parse(from_text(text), load_schema(write(tmp_path, EXTRACTED)))

    def at(span):
        start, end = parsed.source.position(span.start), parsed.source.position(span.end)
        return start.line, start.column, end.line, end.column

    fields = {
        name: (field.name, field.value, at(field.span)) for name, field in parsed.fields.items()
    }
    assert fields == {
        # an XPath function's number or string: its text, at the content's start
        "paragraphs": ("paragraphs", "2.0", (1, 1, 1, 1)),
        "first": ("first", "One a and\nb.", (1, 1, 1, 1)),
        # an element as HTML (without its tail), or as its text; at its start tag
        "heading": ("heading", "<h1>Title<br><b>bold</b></h1>", (1, 1, 1, 5)),
        "heading_text": ("heading_text", "Titlebold", (1, 1, 1, 5)),
        # many: every value, at the first
        "links": ("links", ("/x", "/y"), (2, 8, 2, 21)),
        "tables": ("tables", (), (1, 1, 1, 1)),
        # text nodes (or attribute values): all of them, whitespace folded
        "hrefs": ("hrefs", "/x /y", (2, 8, 2, 21)),
        "words": ("words", "One a and b . two", (2, 1, 2, 4)),
        "last": ("last", "two", (3, 27, 3, 30)),
    }
    links = parsed.field("links").items
    assert [(f.name, f.value, at(f.span)[:2]) for f in links] == [
        ("links", "/x", (2, 8)),
        ("links", "/y", (3, 1)),
    ]


LATE = """\
layout:
  - part: head
    match: '# .*'
  - part: content
    block: html
    open: '<div>'
    close: '</div>'
    max_lines: 2
  - part: foot
    match: 'Source: .*'
"""
WIDE = "<p>" + "长" * 70 + "</p>"


def test_a_wrapped_block_after_the_last_line_or_too_long_before_the_next_part(tmp_path):
    schema = load_schema(write(tmp_path, LATE))
    assert found("# t\n", schema) == [
        no_content(2),
        ("NC902", 2, 1, "expected part 'foot', found the end of the file"),
    ]
    text = f"# t\n<div>\n<p>1</p>\n<p>2</p>\n{WIDE}\n</div>\nSource: x\n"
    assert (
        found(text, schema)
        == [  # the line cut at 60 characters; the next part found
            (
                "NC903",
                5,
                1,
                "expected at most 2 line(s) in part 'content' before its closing line, "
                f"found 3: '{WIDE[:59]}…'",
            )
        ]
    )


NOTES = """\
layout:
  - part: head
    match: '# .*'
  - part: notes
    block: text
    open: '== notes =='
    until: '# .*'
  - part: end
    match: '# .*'
  - part: content
    block: html
"""


@pytest.mark.parametrize(
    ("text", "diagnostics", "notes", "inner"),
    [
        (f"# head\n== notes ==\n# end\n{P}\n", [], ("OK", "== notes =="), ("", (3, 1))),
        (
            f"# head\n== notes ==\nsome\n# end\n{P}\n",
            [],
            ("OK", "== notes ==\nsome"),
            ("some", (3, 1)),
        ),
        (
            "# head\n== notes ==\n",
            [
                no_content(3),
                ("NC902", 3, 1, "expected part 'end', found the end of the file"),
            ],
            ("OK", "== notes =="),
            ("", (3, 1)),
        ),
        (
            "# head\n# end\n",
            [
                ("NC902", 2, 1, "expected part 'notes', found '# end'"),
                no_content(3),
            ],
            ("MISSING", "# end"),
            None,
        ),
    ],
)
def test_an_open_block_ends_at_the_first_end_line_after_its_open_line(
    tmp_path, text, diagnostics, notes, inner
):
    """The end pattern matches the line before the block too: it is not looked at."""
    from newscheck.parse import match_layout
    from newscheck.source import from_text

    schema = load_schema(write(tmp_path, NOTES))
    assert found(text, schema) == diagnostics
    source = from_text(text)
    layout = match_layout(source, schema)
    part = layout.parts["notes"]
    assert (part.status.name, source.slice(part.span)) == notes
    if inner is None:
        assert "notes" not in layout.blocks
    else:
        span = layout.blocks["notes"][1]
        start = source.position(span.start)
        assert (source.slice(span), (start.line, start.column)) == inner


FRONT = "title: Night trains return\npublished: 2024-03-05T08:00:00Z\n"
FRONT += "updated: 2024-03-05T17:30:00Z\ntags: [rail, europe]\n"


@pytest.mark.parametrize(
    ("front", "diagnostic"),
    [
        (
            FRONT.replace("published: 2024", "published: [2024"),
            (
                "NC903",
                4,
                8,
                "expected YAML in part 'front', found an error: expected ',' or ']', but got ':'",
            ),
        ),
        (
            FRONT.replace("title: Night trains return", "title: a: b"),
            (
                "NC903",
                2,
                9,
                "expected YAML in part 'front', found an error: "
                "mapping values are not allowed here",
            ),
        ),
        ("", ("NC901", 2, 1, "front: 'title' is a required property")),
        (
            "just text\n",
            ("NC903", 2, 1, "expected a YAML mapping in part 'front', found str 'just text'"),
        ),
        ("- a\n- b\n", ("NC903", 2, 1, "expected a YAML mapping in part 'front', found a list")),
    ],
)
def test_front_matter_that_is_not_a_mapping_or_not_yaml_is_located(blog, front, diagnostic):
    text = POST.replace(FRONT, front)
    assert found(text, blog, "2024-03-05-x.md")[0] == diagnostic


def test_a_list_item_s_diagnostic_ends_where_the_item_ends(blog):
    text = POST.replace("tags: [rail, europe]", "tags: [rail, 300]")
    result = newscheck.check_text(text, path="2024-03-05-x.md", schema=blog)
    assert [(d.code, d.line, d.column, d.end_line, d.end_column) for d in result.diagnostics] == [
        ("NC901", 5, 14, 5, 17)
    ]


QUOTE = """\
layout:
  - part: quote
    match: '<q>(?P<said>(?s:.*))</q>'
    recognise: '<q>.*'
    max_lines: 3
  - part: end
    match: 'end'
"""
QUOTE_LAST = """\
layout:
  - part: end
    match: 'end'
  - part: quote
    match: '<q>(?P<said>(?s:.*))</q>'
    recognise: '<q>.*'
    max_lines: 3
"""


@pytest.mark.parametrize(
    ("layout", "text", "diagnostics", "parts"),
    [
        (
            QUOTE,
            "<q>one\ntwo\nthree</q>\nend\n",
            [],
            {
                "quote": ("OK", "<q>one\ntwo\nthree</q>", "one\ntwo\nthree"),
                "end": ("OK", "end", None),
            },
        ),
        (
            QUOTE,
            "<q>one\ntwo\nthree\nfour</q>\nend\n",
            [
                ("NC903", 1, 1, "expected part 'quote' to match its pattern, found '<q>one'"),
                trailing(2, 4),
                ("NC902", 2, 1, "expected part 'end', found 'two'"),
            ],
            {"quote": ("MALFORMED", "<q>one", None), "end": ("MISSING", "two", None)},
        ),
        (  # one line at most
            QUOTE.replace("max_lines: 3", "max_lines: 1"),
            "<q>one\ntwo</q>\nend\n",
            [
                ("NC903", 1, 1, "expected part 'quote' to match its pattern, found '<q>one'"),
                trailing(2, 2),
                ("NC902", 2, 1, "expected part 'end', found 'two</q>'"),
            ],
            {"quote": ("MALFORMED", "<q>one", None), "end": ("MISSING", "two</q>", None)},
        ),
        (  # not recognised: one line only is tried
            QUOTE,
            "x<q>one\ntwo</q>\nend\n",
            [
                trailing(1, 3),
                ("NC902", 1, 1, "expected part 'quote', found 'x<q>one'"),
                ("NC902", 1, 1, "expected part 'end', found 'x<q>one'"),
            ],
            {"quote": ("MISSING", "x<q>one", None), "end": ("MISSING", "x<q>one", None)},
        ),
        (  # the last lines of the file
            QUOTE_LAST,
            "end\n<q>one\ntwo</q>",
            [("NC005", 3, 8, "expected a newline at the end of the file, found none")],
            {"end": ("OK", "end", None), "quote": ("OK", "<q>one\ntwo</q>", "one\ntwo")},
        ),
        (
            QUOTE_LAST,
            "end\n<q>one\ntwo",
            [
                ("NC903", 2, 1, "expected part 'quote' to match its pattern, found '<q>one'"),
                trailing(3, 1),
                ("NC005", 3, 4, "expected a newline at the end of the file, found none"),
            ],
            {"end": ("OK", "end", None), "quote": ("MALFORMED", "<q>one", None)},
        ),
    ],
)
def test_a_recognised_line_part_may_span_up_to_max_lines(
    tmp_path, layout, text, diagnostics, parts
):
    from newscheck.parse import match_layout
    from newscheck.source import from_text

    schema = load_schema(write(tmp_path, layout))
    assert found(text, schema) == diagnostics
    source = from_text(text)
    matched = match_layout(source, schema).parts
    assert {
        name: (p.status.name, source.slice(p.span), p.fields["said"].value if p.fields else None)
        for name, p in matched.items()
    } == parts


PLAIN = """\
layout:
  - part: head
    match: '# .*'
  - part: content
    block: html
    max_lines: 1
  - part: foot
    match: 'Source: .*'
"""


@pytest.mark.parametrize(
    ("text", "diagnostics", "content"),
    [
        (
            "# t\n",
            [
                no_content(2),
                ("NC902", 2, 1, "expected part 'foot', found the end of the file"),
            ],
            ("MISSING", ""),
        ),
        (f"# t\n{P}\nSource: x\n", [], ("OK", P)),
        ("# t\n   \nSource: x\n", [], ("OK", "   ")),  # HTML of white space: no tree
    ],
)
def test_a_block_without_wrapper_lines_takes_max_lines(tmp_path, text, diagnostics, content):
    from newscheck.parse import parse
    from newscheck.source import from_text

    schema = load_schema(write(tmp_path, PLAIN))
    assert found(text, schema) == diagnostics
    part = parse(from_text(text), schema).part("content")
    assert (part.status.name, from_text(text).slice(part.span)) == content
