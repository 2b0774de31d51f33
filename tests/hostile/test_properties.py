"""Never crash: whatever the bytes, every built-in schema (and ``--schema
auto``'s choice among them) gives the file a result with no internal error
(NC000), every diagnostic inside the file, and reports that render.

The inputs: arbitrary bytes, text built from layout-like lines, and real and
generated articles with hostile mutations (ranges deleted, duplicated or
swapped, bytes replaced, snippets inserted). :func:`fuzz_target.check` states
the property; it is also the target of ``fuzz/check_bytes.py``.
"""

from __future__ import annotations

import functools
from pathlib import Path

from hypothesis import HealthCheck, given, settings, target
from hypothesis import strategies as st

from newscheck.schema import builtin_names
from newscheck.strategies import articles
from tests.helpers import ROOT

from .fuzz_target import PATH, check

HOSTILE = (
    b"<",
    b">",
    b"]]",
    b"](",
    b")",
    b"&#0;",
    b"&#x110000;",
    b"&",
    b"\r",
    b"\r\n",
    b"\n",
    b"\x00",
    b"\x0c",
    b"\x1b[31m",
    b"<!--",
    b"-->",
    b"<!--1595267727000-->",
    b"------",
    b"---\n",
    b"<div",
    b"<p>",
    b"</p",
    b"<img src=",
    b"<script>",
    b"<![CDATA[",
    b"<?xml version='1.0'?>",
    b'<!DOCTYPE html SYSTEM "http://example.com/a.dtd">',
    b"https://[",
    b"\xef\xbb\xbf",  # a byte order mark
    "😀".encode(),
    "日期：".encode(),
    "\u2028".encode(),
    b"\xff",  # invalid UTF-8: a byte never used, a lone continuation, a truncated sequence
    b"\x80",
    b"\xe6\x97",
    b"\xed\xa0\x80",  # an encoded surrogate
)
LINES = (
    "<!--1595267727000-->",
    "[韩正表态](https://www.voachinese.com/a/7346550.html)",
    "------",
    "",
    "---",
    "layout: post",
    "title: 韩正表态",
    "date: 2021-01-08T23:56:08.000Z",
    "from: https://www.rfi.fr/cn/1",
    "日期：2020-07-20",
    "<div><i>Mon, 20 Jul 2020 17:00:00 GMT</i></div><p>中国国家副主席韩正周三表示。</p>",
    '<img src="https://gdb.voanews.com/a.jpg">',
)
PROPERTY = settings(max_examples=150, deadline=None)
MANY = settings(max_examples=300, deadline=None)


@st.composite
def mutated(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` with one to four hostile mutations."""
    for _ in range(draw(st.integers(1, 4))):
        start = draw(st.integers(0, len(data)))
        end = draw(st.integers(start, len(data)))
        kind = draw(st.sampled_from(("delete", "insert", "duplicate", "swap", "replace")))
        if kind == "delete":
            data = data[:start] + data[end:]
        elif kind == "insert":
            snippet = draw(st.sampled_from(HOSTILE) | st.binary(min_size=1, max_size=16))
            data = data[:start] + snippet * draw(st.integers(1, 3)) + data[start:]
        elif kind == "duplicate":
            data = data[:end] + data[start:end] + data[end:]
        elif kind == "swap":
            after = draw(st.integers(end, len(data)))
            data = data[:start] + data[end:after] + data[start:end] + data[after:]
        else:
            data = data[:start] + bytes([draw(st.integers(0, 255))]) + data[start + 1 :]
    return data


@functools.cache
def real_files(corpus: Path) -> list[bytes]:
    """A handful of real files: the seed, the first of each source and layout."""
    folders = sorted((corpus / "feed").iterdir()) + sorted((corpus / "other-layouts").iterdir())
    files = [corpus / "seed" / "000_9d3caddefaca2668.txt"]
    files += [min(f for f in folder.iterdir() if f.suffix == ".md") for folder in folders]
    return [f.read_bytes() for f in files]


@MANY
@given(st.binary(max_size=2000))
def test_arbitrary_bytes(data):
    assert all(result.path == PATH for result in check(data))


@MANY
@given(st.text(max_size=2000))
def test_arbitrary_text(text):
    check(text)


@PROPERTY
@given(st.lists(st.sampled_from(LINES) | st.text(max_size=40), max_size=12), st.booleans())
def test_text_of_layout_like_lines(lines, crlf):
    check(("\r\n" if crlf else "\n").join(lines))


@settings(PROPERTY, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mutated_real_articles(corpus, data):
    original = data.draw(st.sampled_from(real_files(corpus)))
    check(data.draw(mutated(original)))


@settings(max_examples=60, deadline=None)  # drawing an article costs more than checking it
@given(data=st.data())
def test_mutated_generated_articles(data):
    text = data.draw(st.sampled_from(builtin_names()).flatmap(articles))
    check(data.draw(mutated(text.encode())))


SEEDS = sorted(
    path
    for folder in (ROOT / "samples", ROOT / "docs" / "examples")
    for path in folder.rglob("*")
    if path.suffix in (".md", ".txt")
)


def test_the_seeds_hold_each_built_in_layout():
    layouts = {check(seed.read_bytes())[-1].schema for seed in SEEDS}
    assert set(builtin_names()) <= layouts


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_short_fuzz_run_from_the_samples(data):
    """The in-suite run of the fuzz target: the project's samples and examples
    (the seeds of fuzz/check_bytes.py) mutated, steered towards inputs that
    draw many codes."""
    seed = data.draw(st.sampled_from(SEEDS))
    results = check(data.draw(mutated(seed.read_bytes())))
    target(float(len({d.code for r in results for d in r.diagnostics})), label="codes")
