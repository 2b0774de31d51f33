"""The built-in body query reads the same text nodes as the one it replaced.

The body of ``feed-article`` is every text of the content but the date div's,
the scripts', the styles' and the captions'. Its query once asked, of each
text, for a branch under the date div that is an ``<i>`` or the text itself;
the date div holds no element but ``<i>``, so every text under it is on such
a branch, and the query now asks only whether the text is under the date div
(a third less time a file). Both queries run here on generated content of
the elements that matter to either (date divs with and without attributes,
other elements, text before them, nested divs, scripts, styles, captions,
comments) and on every real article: the same text nodes, in the same order.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from newscheck import source as sources
from newscheck.blocks.html import _parse_html
from newscheck.parse import parse
from newscheck.schema import DEFAULT_SCHEMA, load_schema

from ..helpers import CORPUS, missing

BEFORE = etree.XPath(
    "/html/body/descendant::text()[not(ancestor::script or ancestor::style or ancestor::small)]"
    "[not(ancestor-or-self::node()[parent::div[parent::body]][self::i or self::text()]"
    " and ancestor::div[parent::body][not(preceding-sibling::*[1])][not(@*)]"
    "[not(*[not(self::i)][1])])]"
)
SCHEMA = load_schema(DEFAULT_SCHEMA)
BODY = next(f for f in SCHEMA.extract if f.name == "body").query

TAGS = ["div", "i", "small", "script", "style", "b", "p", "br", "span", "img"]
ATTRIBUTES = ["", ' class="x"', ' id="date"']


def markup() -> st.SearchStrategy[str]:
    leaf = st.sampled_from(["", "2020-07-20", " 文字 ", "\n", "<!-- c -->", "a&amp;b"])

    def element(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.builds(
            lambda tag, attributes, children, tail: (
                f"<{tag}{attributes}>{''.join(children)}</{tag}>{tail}"
            ),
            st.sampled_from(TAGS),
            st.sampled_from(ATTRIBUTES),
            st.lists(inner, max_size=4),
            leaf,
        )

    return st.lists(st.recursive(leaf, element, max_leaves=20), max_size=6).map("".join)


def texts(query: etree.XPath, root: etree._Element) -> list[tuple[str, etree._Element, bool]]:
    return [(str(t), t.getparent(), t.is_tail) for t in query(root)]


@settings(max_examples=400, deadline=None)
@given(markup())
def test_the_body_query_reads_the_texts_the_former_one_read(content):
    root = _parse_html(content)
    if root is not None:
        assert texts(BODY, root) == texts(BEFORE, root)


def test_the_body_query_reads_the_texts_the_former_one_read_in_every_real_article():
    if not CORPUS.is_dir():
        missing(f"the real corpus is not at {CORPUS}")
    compared = 0
    for path in sorted(CORPUS.rglob("*.md")):
        root = parse(sources.from_bytes(path.read_bytes(), str(path)), SCHEMA).html
        if root is not None:
            assert texts(BODY, root) == texts(BEFORE, root), path
            compared += 1
    assert compared > 3000
