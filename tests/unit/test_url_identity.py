"""URL identity for duplicate detection: every spelling of one address is one key.

A URL is built from its parts (host labels, path segments as characters, a
query), then spelled in the ways RFC 3986 and IDNA say are the same address:
case of scheme and host, http or https, the IDN host or its punycode (encoded
here by Python's own IDNA codec, not by the code under test), a trailing dot
on the host, a default port, dot segments, unreserved characters escaped or
not, escapes in either case, non-ASCII raw or escaped, a trailing slash, a
fragment. Every spelling must get the same key; another character in the
path must not. The same spellings are made of every real URL of the corpus.

Each key also proves the pattern that reads a URL already in normal form
(the fast path) equal to the library's normalisation wherever it applies.
"""

from __future__ import annotations

import re
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newscheck import facts
from newscheck.corpus_index import url_key
from newscheck.facts import normalise_url

from ..helpers import CORPUS, missing

UNRESERVED = string.ascii_letters + string.digits + "-._~"
# Path characters that are not unreserved: kept as they are (escaping them
# would make another address for some servers), and non-ASCII text.
OTHER = "!$&'()*+,;=:@" + "中文新闻éü"


def key(url: str) -> str:
    fast = facts._normal(url)
    if fast is not None:
        assert fast == facts.by_yarl(url), url
    return url_key(normalise_url(url)[0])


def escaped(char: str, upper: bool) -> str:
    hexes = (f"%{byte:02X}" for byte in char.encode("utf-8"))
    return "".join(h if upper else h.lower() for h in hexes)


ASCII_LABELS = st.text(string.ascii_lowercase + string.digits, min_size=1, max_size=8)
IDN_LABELS = st.text("例子测试新闻пример", min_size=1, max_size=4)
HOSTS = st.lists(st.one_of(ASCII_LABELS, IDN_LABELS), min_size=1, max_size=3).map(
    lambda labels: [*labels, "com"]
)
SEGMENTS = st.lists(st.text(UNRESERVED + OTHER, min_size=1, max_size=6), min_size=1, max_size=4)
QUERIES = st.one_of(
    st.just(""), st.text(string.ascii_letters + string.digits, min_size=1).map("q={}".format)
)


@st.composite
def spellings(draw: st.DrawFn, labels: list[str], segments: list[str], query: str) -> str:
    """One spelling of the address the parts name."""
    scheme = draw(st.sampled_from(["http", "https", "HTTP", "Https"]))
    host_labels = []
    for label in labels:
        if not label.isascii() and draw(st.booleans()):
            label = label.encode("idna").decode("ascii")  # punycode: xn--…
        host_labels.append("".join(c.upper() if draw(st.booleans()) else c for c in label))
    host = ".".join(host_labels) + ("." if draw(st.booleans()) else "")
    if draw(st.booleans()):
        host += ":443" if scheme.lower() == "https" else ":80"
    path = []
    for segment in segments:
        if draw(st.booleans()):  # a dot segment before this one
            path.append(draw(st.sampled_from([".", "x/..", "./y/.."])))
        chars = []
        for char in segment:
            if (char in UNRESERVED or not char.isascii()) and draw(st.booleans()):
                chars.append(escaped(char, draw(st.booleans())))
            else:
                chars.append(char)
        path.append("".join(chars))
    url = f"{scheme}://{host}/" + "/".join(path) + ("/" if draw(st.booleans()) else "")
    if query:
        url += "?" + query
    if draw(st.booleans()):
        url += "#" + draw(st.text(string.ascii_letters, max_size=5))
    return url


@settings(max_examples=300, deadline=None)
@given(data=st.data(), labels=HOSTS, segments=SEGMENTS, query=QUERIES)
def test_every_spelling_of_one_address_is_one_key(data, labels, segments, query):
    first = data.draw(spellings(labels, segments, query))
    second = data.draw(spellings(labels, segments, query))
    assert key(first) == key(second), (first, second)


@settings(max_examples=200, deadline=None)
@given(data=st.data(), labels=HOSTS, segments=SEGMENTS, query=QUERIES)
def test_another_character_in_the_path_is_another_address(data, labels, segments, query):
    index = data.draw(st.integers(0, len(segments) - 1))
    changed = [*segments]
    changed[index] += data.draw(st.sampled_from(UNRESERVED + OTHER))
    first = data.draw(spellings(labels, segments, query))
    second = data.draw(spellings(labels, changed, query))
    assert key(first) != key(second), (first, second)


# URLs of the fast path's shape with each thing that takes them out of yarl's normal form.
NEAR_NORMAL = [
    "https://xn--fsqu00a.xn--0zwm56d/a",
    "http://a.com/a/./b",
    "http://a.com/a/../b",
    "http://a.com/a/..",
    "http://a.com/%7Ea",
    "http://a.com/%e4%b8%ad",
    "http://a.com/a%3Ab",
    "http://a.com/a?b%3Fc",
    "http://a.com/a?b%2Fc",
    "http://a.com/80%%20off",
    "http://a.com/a%2",
    "http://a.com/a[b]",
    "http://a.com/a.b/.c/..d",
]


@pytest.mark.parametrize("url", NEAR_NORMAL)
def test_the_fast_path_reads_only_what_the_library_leaves_as_it_is(url):
    assert facts._normal(url) in (None, facts.by_yarl(url))


LINK = re.compile(r"\]\((\S+?)\)\n-{6}\n")
AUTHORITY = re.compile(r"^(https?)://([^/?#]+)", re.IGNORECASE)


def other_scheme(url: str) -> str:
    scheme, _, rest = url.partition("://")
    return ("HTTPS" if scheme == "http" else "HTTP") + "://" + rest


def host_upper_with_a_dot(url: str) -> str:
    return AUTHORITY.sub(lambda m: f"{m[1]}://{m[2].upper()}.", url, count=1)


def default_port(url: str) -> str:
    port = {"http": 80, "https": 443}
    return AUTHORITY.sub(lambda m: f"{m[1]}://{m[2]}:{port[m[1].lower()]}", url, count=1)


def dot_segments(url: str) -> str:
    return AUTHORITY.sub(lambda m: f"{m[0]}/./x/..", url, count=1)


def lower_escapes(url: str) -> str:
    return re.sub("%[0-9A-F]{2}", lambda m: m.group().lower(), url)


def escaped_unreserved(url: str) -> str:
    found = AUTHORITY.match(url)
    assert found is not None
    rest = url[found.end() :].replace("-", "%2D").replace("_", "%5f").replace("~", "%7E")
    return found.group() + rest


SPELLINGS = (other_scheme, host_upper_with_a_dot, default_port, dot_segments)
MAYBE = (lower_escapes, escaped_unreserved)  # a URL may have nothing to change


def test_every_real_url_spelled_otherwise_is_the_same_key():
    if not CORPUS.is_dir():
        missing("the shared corpus (../shared/corpus) is not present")
    urls = set()
    for path in sorted(CORPUS.glob("*/*/*.md")):
        found = LINK.search(path.read_text(encoding="utf-8", errors="replace"))
        if found and AUTHORITY.match(found.group(1)):
            urls.add(found.group(1))
    assert len(urls) > 3000
    changed = 0
    for url in sorted(urls):
        every = lower_escapes(escaped_unreserved(default_port(dot_segments(other_scheme(url)))))
        for spell in (*SPELLINGS, *MAYBE):
            spelled = spell(url)
            assert spelled != url or spell in MAYBE, (spell.__name__, url)
            changed += spelled != url
            assert key(spelled) == key(url), (spell.__name__, url, spelled)
        assert key(every + "#top") == key(url), (url, every)
    assert changed > len(urls) * len(SPELLINGS)  # escapes and unreserved characters too
    fast = sum(facts._normal(url) is not None for url in urls)
    assert fast > len(urls) * 0.99  # the fast path reads nearly every real URL


# What yarl refuses or would drop characters of: each URL is compared as written.
AS_WRITTEN = ["http://xn--zz.com/a", "http://xn--/", "http://a.com:99999/", "http://a.com/\x00b"]
AS_WRITTEN += ["http://a.com/a\u200db", "http://][  @", "http://@]中ä9~%a[x9.@", "http://..../"]


@given(st.sampled_from(AS_WRITTEN))
def test_what_the_library_refuses_is_compared_as_written(url):
    assert normalise_url(url)[0] == url


@settings(max_examples=500, deadline=None)
@given(
    st.sampled_from(["http://", "https://", "HTTP://", ""]),
    st.text("ab.:/%?#@[]x-n9 \u00e4\u4e2d\x00~\u200d\u2028", max_size=24),
)
def test_any_text_gets_a_key(scheme, rest):
    normal, host = normalise_url(scheme + rest)
    assert isinstance(normal, str) and isinstance(host, str | None)
