"""Roles and profiles keyed on a front-matter field, on the real Jekyll posts
of ../shared/corpus/other-layouts (read in place) and on variants of them."""

from __future__ import annotations

import collections

import pytest

import newscheck
from newscheck import Severity
from newscheck.schema import load_schema

# The front matter plays the title, link and date roles; profiles key on the
# author. RFI's (法广) profile asks for long bodies, to see which files it reaches.
SCHEMA = """\
extends: jekyll-feed-article
roles:
  title: front.title
  url: front.from
  date: front.date
sources_by: {value: front.author}
sources:
  法广:
    rules:
      short-body: {min_chars: 100000}
"""
NAME = "2021-01-13-中国股市收盘下跌遭遇获利了结 医药及消费股走低.md"


@pytest.fixture
def posts(corpus):
    return corpus / "other-layouts" / "jekyll-front-matter"


@pytest.fixture
def schema(tmp_path):
    path = tmp_path / "roles.yaml"
    path.write_text(SCHEMA, encoding="utf-8")
    return load_schema(path)


def errors(text, schema, name=NAME):
    result = newscheck.check_text(text, path=f"_posts/{name}", schema=schema)
    return [(d.code, d.line, d.column) for d in result.diagnostics if d.severity is Severity.ERROR]


def test_every_real_post_passes_with_the_front_matter_in_the_roles(posts, schema):
    results = list(newscheck.check_paths([posts], schema=schema, jobs=1))
    assert len(results) == 10
    assert all(r.ok for r in results), [(r.path, r.diagnostics) for r in results if not r.ok]


def test_the_author_profile_reaches_exactly_the_authors_posts(posts, schema):
    results = list(newscheck.check_paths([posts], schema=schema, jobs=1))
    short = collections.Counter(d.code for r in results for d in r.diagnostics if d.code == "NC702")
    assert short == {"NC702": 3}  # the three posts whose author is 法广


def test_a_front_date_in_the_future_is_reported_at_its_value(posts, schema):
    text = (posts / NAME).read_text(encoding="utf-8")
    future = text.replace("date: 2021-01-13T08:23:15.000Z", "date: 2099-01-13T08:23:15.000Z")
    assert errors(future, schema) == [
        ("NC104", 4, 7),  # the date role against the timestamp: 78 years apart
        ("NC504", 4, 7),  # the date role: in the future
        ("NC904", 4, 7),  # same-time with the timestamp
        ("NC904", 4, 7),  # the file name's date
    ]
    assert errors(text, schema) == []


def test_front_title_and_link_get_the_title_and_url_rules(posts, schema):
    text = (posts / NAME).read_text(encoding="utf-8")
    spaced = text.replace('title: "中国', 'title: " 中国', 1)
    result = newscheck.check_text(spaced, path=f"_posts/{NAME}", schema=schema)
    assert [(d.code, d.line, d.column) for d in result.diagnostics] == [
        ("NC207", 3, 8),  # title-whitespace, at the front matter's title
        ("NC904", 3, 8),  # and it no longer equals the link's title
    ]
    relative = text.replace("from: https://cn.reuters.com", "from: ", 1)
    assert errors(relative, schema) == [("NC302", 6, 7), ("NC904", 6, 7)]
    # under the built-in, the roles are the link's: the same edits reach no title/url rule
    assert [c for c, _, _ in errors(relative, "jekyll-feed-article")] == ["NC904"]
