"""Links, images and bodies as real pages have them: CommonMark link
destinations in the title link, lazy-loaded images, media-only bodies."""

from __future__ import annotations

import pytest

import newscheck

from ..helpers import article

DATE = "<div><i>Mon, 20 Jul 2020 17:00:00 GMT</i></div>"
BODY = "<p>中国国家副主席韩正周三表示，中美双方进行高层对话有助于改善两国关系。</p>"
LINK = "[维基](https://zh.wikipedia.org/wiki/"  # the URL's path starts at column 32


def diagnostics(text: str) -> list[tuple[str, int, int, str]]:
    return [(d.code, d.line, d.column, d.message) for d in newscheck.check_text(text).diagnostics]


@pytest.mark.parametrize(
    "url",
    [
        "https://zh.wikipedia.org/wiki/A_(b)",
        "https://zh.wikipedia.org/wiki/A_(b_(c))",
        "https://zh.wikipedia.org/wiki/A_((b)_(c))",
        "https://zh.wikipedia.org/wiki/A_\\(b",  # an escaped parenthesis needs no pair
        "https://en.wikipedia.org/wiki/(a)_(b)?x=(1)#(c)",
    ],
)
def test_a_url_with_balanced_parentheses_is_a_valid_title_link(url):
    text = article(title=f"[维基]({url})")
    assert diagnostics(text) == []
    assert newscheck.check_text(text).diagnostics == ()


def test_the_url_field_is_the_destination():
    schema = newscheck.load_schema()
    from newscheck.parse import parse
    from newscheck.source import from_text

    for title, url in [
        ("[维基](https://zh.wikipedia.org/wiki/A_(b))", "https://zh.wikipedia.org/wiki/A_(b)"),
        ("[[视频]A](https://a.example/x_(1))", "https://a.example/x_(1)"),
    ]:
        assert parse(from_text(article(title=title)), schema).value("url") == url


@pytest.mark.parametrize(
    ("title", "column", "paren"),
    [
        (LINK + "A_(b)", len(LINK) + 3, "("),
        (LINK + "A_b))", len(LINK) + 4, ")"),
        (LINK + "A_((b)_(c))", len(LINK) + 3, "("),
        (LINK + "A_(b\\))", len(LINK) + 3, "("),  # the escaped ')' closes nothing
    ],
)
def test_an_unpaired_parenthesis_is_reported_where_it_is(title, column, paren):
    assert diagnostics(article(title=title)) == [
        (
            "NC202",
            2,
            column,
            "expected a title link '[TITLE](URL)' whose URL has its parentheses in pairs, "
            f"found an unpaired {paren!r} in {title!r}",
        )
    ]


def test_a_link_with_text_after_it_stays_a_malformed_link():
    title = LINK + "A_(b))x"
    assert diagnostics(article(title=title)) == [
        ("NC202", 2, 1, f"expected a title link '[TITLE](URL)', found {title!r}")
    ]


LAZY = (
    "expected an image address in src, found {found}: a lazy-loaded image the scraper did not "
    "resolve (its address is in {attribute}: {address!r}); fix the scraper to put it in src"
)


@pytest.mark.parametrize(
    ("image", "found", "attribute", "address"),
    [
        (
            '<img data-src="https://static.example.com/a.jpg">',
            "none",
            "data-src",
            "https://static.example.com/a.jpg",
        ),
        (
            '<img src="" data-original="//cdn.example.com/b.png">',
            "it empty",
            "data-original",
            "//cdn.example.com/b.png",
        ),
        (
            '<img data-lazy-src="https://static.example.com/c.webp" alt="x">',
            "none",
            "data-lazy-src",
            "https://static.example.com/c.webp",
        ),
        (
            '<img srcset="https://a.example/a.jpg 1x, https://a.example/b.jpg 2x">',
            "none",
            "srcset",
            "https://a.example/a.jpg",
        ),
        (
            '<img src="data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"'
            ' data-image-dataset="{&quot;url&quot;:&quot;https:\\/\\/s.rfi.fr\\/media\\/a\\/&quot;}">',
            "a placeholder 'data:image/gif;base64,R0lGODlh'",
            "data-image-dataset",
            "https://s.rfi.fr/media/a/",
        ),
    ],
)
def test_a_lazy_image_is_named_as_one_the_scraper_did_not_resolve(image, found, attribute, address):
    assert diagnostics(article(content=DATE + image + BODY)) == [
        ("NC601", 5, len(DATE) + 1, LAZY.format(found=found, attribute=attribute, address=address))
    ]


@pytest.mark.parametrize(
    ("image", "message"),
    [
        ("<img>", "expected an image with a src attribute, found none"),
        ('<img src="" width="100%">', "expected an image address in src, found it empty"),
        ('<img data-caption="a photo">', "expected an image with a src attribute, found none"),
    ],
)
def test_an_image_with_no_address_anywhere_is_lost(image, message):
    assert diagnostics(article(content=DATE + image + BODY)) == [
        ("NC601", 5, len(DATE) + 1, message)
    ]


def test_a_data_image_with_no_lazy_address_is_an_image():
    image = '<img src="data:image/png;base64,iVBORw0KGgo=">'
    assert diagnostics(article(content=DATE + image + BODY)) == []


STRIP = (
    '<figure><img src="https://example.com/strip-1.png"><figcaption>第一格</figcaption></figure>'
    '<figure><img src="https://example.com/strip-2.png"><figcaption>第二格</figcaption></figure>'
)


@pytest.mark.parametrize(
    "content",
    [
        STRIP,
        '<img src="https://example.com/a.jpg"><img src="https://example.com/b.jpg">',
        '<picture><source srcset="https://example.com/a.webp"><img src="https://example.com/a.jpg"></picture>',
        '<video poster="https://example.com/a.jpg" src="https://example.com/a.mp4"></video>',
        '<audio src="https://example.com/a.mp3"></audio><figcaption>播客</figcaption>',
        '<svg viewBox="0 0 10 10"><circle r="5"/></svg>',
        '<object data="https://example.com/a.swf"></object><p> </p>',
    ],
)
def test_a_body_of_media_is_neither_empty_nor_short(content):
    found = diagnostics(article(content=DATE + content))
    assert [d for d in found if d[0] != "NC802"] == []  # an embedded object is NC802 (info)


@pytest.mark.parametrize("content", ["<p> </p><p></p>", "<div></div><figure></figure>", ""])
def test_a_body_with_neither_text_nor_media_is_empty(content):
    text = article(content=DATE + content)
    assert diagnostics(text) == [
        (
            "NC701",
            5,
            1,
            "expected visible text or media in the content, found only markup and whitespace",
        )
    ]


@pytest.mark.parametrize(
    ("content", "found"),
    [
        ('<img src="https://example.com/a.jpg"><p>点击阅读。</p>', "5: '点击阅读。'"),
        (STRIP + "<p>点击阅读。</p>", "13: '第一格 第二格 点击阅读。'"),
    ],
)
def test_a_teaser_beside_its_image_is_still_short(content, found):
    [(code, line, _, message)] = diagnostics(article(content=DATE + content))
    assert (code, line, message) == (
        "NC702",
        5,
        f"expected at least 20 characters of text, found {found}",
    )
