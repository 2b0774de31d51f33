"""The fixtures: ``newscheck``, ``article_factory`` and ``article_snapshot``."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

import newscheck
from newscheck.parse import parse
from newscheck.render import RenderError, fields_of, render
from newscheck.source import from_text

from ..helpers import article
from .conftest import cli_lines, shows, write

NAN_EMPTY_TITLE = article(timestamp="<!--NaN-->", title="[](https://a.example/1)")


def test_the_newscheck_fixture_checks_as_the_project_config_says(pytester):
    pytester.makepyprojecttoml('[tool.newscheck]\nignore = ["NC203"]\n')
    write(pytester, "corpus/bad.md", NAN_EMPTY_TITLE)
    pytester.makepyfile(
        f"""
        from pathlib import Path

        TEXT = {NAN_EMPTY_TITLE!r}

        def test_check_text(newscheck):
            assert [d.code for d in newscheck.check_text(TEXT).diagnostics] == ["NC102"]

        def test_check_file(newscheck):
            result = newscheck.check_file("corpus/bad.md")
            assert [(d.code, d.line) for d in result.diagnostics] == [("NC102", 1)]

        def test_allowed_by_code_prefix_or_name(newscheck):
            newscheck.assert_valid(TEXT, allow=["NC102"])
            newscheck.assert_valid(TEXT, allow=["NC1"])
            newscheck.assert_valid(TEXT.encode(), allow=["malformed-timestamp"])

        def test_text_fails(newscheck):
            newscheck.assert_valid(TEXT)

        def test_file_fails(newscheck):
            newscheck.assert_valid(Path("corpus/bad.md"))
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=3, failed=2)
    shown = [line for line in result.stdout.lines if line.startswith("E ")]
    cli = cli_lines("corpus/bad.md")
    assert shown == [
        "E       AssertionError: <text>: 1 diagnostic(s) at or above error:",
        *(f"E       {line.replace('corpus/bad.md', '<text>')}" for line in cli),
        "E       AssertionError: corpus/bad.md: 1 diagnostic(s) at or above error:",
        *(f"E       {line}" for line in cli),
    ]


def test_assert_valid_lists_every_diagnostic_but_fails_on_fail_on(newscheck):
    padded = article(title="[韩正 ](https://a.example/1)", timestamp="<!--NaN-->")
    with pytest.raises(AssertionError) as failed:
        newscheck.assert_valid(padded)
    assert str(failed.value).splitlines()[0] == "<text>: 1 diagnostic(s) at or above error:"
    assert [line.split(" ")[1] for line in str(failed.value).splitlines()[1::3]] == [
        "NC102",
        "NC207",
    ]
    assert newscheck.assert_valid(article(title="[韩正 ](https://a.example/1)")).diagnostics


# article_factory: the fixture, used directly (the plugin is active in this suite).


def test_the_factory_default_is_a_sound_feed_article(article_factory, newscheck):
    text = article_factory()
    assert text == (
        "<!--1595267727000-->\n"
        "[韩正表态愿与美加强沟通](https://www.voachinese.com/a/7346550.html)\n"
        "------\n"
        "\n"
        "<div><i>Mon, 20 Jul 2020 17:55:27 GMT</i></div>"
        '<img src="https://images.weserv.nl?url=gdb.voanews.com/a.jpg">'
        '<div><small style="color: #999;">资料照：布林肯在纽约。</small></div>'
        "<p>中国国家副主席韩正周三表示，中美双方进行高层对话有助于改善两国关系。</p>\n"
    )
    assert newscheck.check_text(text).diagnostics == ()


def test_the_factory_overrides_any_field(article_factory, newscheck):
    text = article_factory(
        title="[视频]北京｜香港（更新）",
        image=None,
        body_html="<p>这是一段足够长的正文，用来测试渲染器的输出结果。</p>",
        timestamp=datetime(2021, 3, 4, 5, 6, 7, tzinfo=UTC),
    )
    assert text.split("\n") == [
        "<!--1614834367000-->",
        "[[视频]北京｜香港（更新）](https://www.voachinese.com/a/7346550.html)",
        "------",
        "",
        "<div><i>Thu, 04 Mar 2021 05:06:07 GMT</i></div>"
        "<p>这是一段足够长的正文，用来测试渲染器的输出结果。</p>",
        "",
    ]
    assert newscheck.check_text(text).diagnostics == ()
    assert article_factory(timestamp=1614834367000) == article_factory(
        timestamp=datetime(2021, 3, 4, 5, 6, 7)  # naive: UTC
    )


def test_the_factory_writes_defects_it_is_given(article_factory, newscheck):
    text = article_factory(date="yesterday", caption="", image="//cdn.example/a.jpg")
    assert [d.code for d in newscheck.check_text(text).diagnostics] == ["NC501", "NC602"]


@pytest.mark.parametrize(
    "fields",
    [
        {"title": "中方\n回应"},
        {"title": "[[视频]]"},
        {"url": "https://a.example/a%20b?x=(1)"},
        {"url": "https://zh.wikipedia.org/wiki/A_(b_(c))"},
        {"url": "https://a.example/a\\(b"},
        {"date": "A & B <i>"},
        {"caption": "图：<b>&amp;</b>"},
    ],
)
def test_the_factory_text_reads_back_as_given(article_factory, fields):
    text = article_factory(**fields)
    schema = newscheck.load_schema()
    parsed = parse(from_text(text), schema)
    for name, value in fields.items():
        assert parsed.value(name) == value
    assert render(schema, fields_of(parsed)) == text


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"url": "https://a.example/a)b"}, "article_factory: part 'title' is malformed"),
        ({"url": "https://a.example/a%20b?x=(1"}, "article_factory: part 'title' is malformed"),
        ({"timestamp": "NaN"}, "article_factory: part 'timestamp' is malformed"),
        ({"title": "a]b", "url": "x](y"}, "article_factory: title='a]b' does not read back"),
    ],
)
def test_the_factory_refuses_what_would_not_read_back(article_factory, fields, message):
    with pytest.raises(RenderError) as refused:
        article_factory(**fields)
    assert str(refused.value).startswith(message)


def test_the_factory_names_its_fields(article_factory):
    with pytest.raises(TypeError) as refused:
        article_factory(titel="x")
    assert str(refused.value) == (
        "article_factory() got unknown field 'titel' (fields of feed-article: "
        "timestamp, title, url, content, date, image, caption, body_html)"
    )


def test_the_factory_follows_the_configured_schema(pytester):
    pytester.makepyprojecttoml('[tool.newscheck]\nschema = "dated.yaml"\n')
    write(
        pytester,
        "dated.yaml",
        """\
name: dated
layout:
  - {part: title, match: '\\[(?P<title>.*)\\]\\((?P<url>[^)\\n]*)\\)', render: '[{title}]({url})'}
  - {part: dateline, match: '日期：(?P<date>.+)', recognise: '日期', render: '日期：{date}'}
  - {part: blank, match: '', render: ''}
  - {part: content, block: html, render: '{content}'}
extract:
  body: {xpath: '//text()', value: text}
""",
    )
    pytester.makepyfile(
        """
        def test_dated(article_factory, newscheck):
            text = article_factory(date="Sat, 27 Jun 2020 13:30:55 +0000")
            assert text.split("\\n")[:3] == [
                "[韩正表态愿与美加强沟通](https://www.voachinese.com/a/7346550.html)",
                "日期：Sat, 27 Jun 2020 13:30:55 +0000",
                "",
            ]
            newscheck.assert_valid(text)
        """
    )
    pytester.runpytest().assert_outcomes(passed=1)


PROJECT_SCHEMA = """\
name: project
extends: feed-article
sources:
  '*.voachinese.com':
    dates:
      - {format: '%Y/%m/%d %H:%M', utc_offset: '+08:00'}
    record:
      required: [date]
"""

PROJECT_TESTS = """
from hypothesis import Phase, given, settings
from newscheck.strategies import articles

@settings(
    max_examples=40, deadline=None, derandomize=True, database=None, phases=[Phase.generate]
)
@given(articles(schema="project"))
def test_project_articles(newscheck, text):
    newscheck.assert_valid(text)
"""


def test_strategies_draw_the_project_schema_from_another_folder(pytester, monkeypatch):
    pytester.makepyprojecttoml('[tool.newscheck]\nschema = "schemas/project.yaml"\n')
    write(pytester, "schemas/project.yaml", PROJECT_SCHEMA)
    write(pytester, "tests/test_project.py", PROJECT_TESTS)
    (pytester.path / "elsewhere").mkdir()
    monkeypatch.chdir(pytester.path / "elsewhere")
    pytester.runpytest("../tests").assert_outcomes(passed=1)
    # the profile's required date decides: the default schema's articles fail it
    write(
        pytester,
        "tests/test_project.py",
        PROJECT_TESTS.replace('articles(schema="project")', "articles()"),
    )
    pytester.runpytest("../tests").assert_outcomes(failed=1)


# article_snapshot

RENDER_TESTS = """
import os

def test_voa(article_snapshot, article_factory):
    article_snapshot.assert_match(article_factory(title=os.environ.get("TITLE", "标题")))

def test_two(article_snapshot, article_factory):
    article_snapshot.assert_match(article_factory(), "first")
    article_snapshot.assert_match(article_factory(image=None), "second")
"""

REFUSED_TEST = """
def test_refused(article_snapshot, article_factory):
    article_snapshot.assert_match(article_factory(title=""))
"""


def summary(result):
    """The lines of the 'newscheck snapshots' section."""
    lines = result.stdout.lines
    start = next(i for i, line in enumerate(lines) if " newscheck snapshots " in line)
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("==="))
    return [line for line in lines[start + 1 : end] if line]


def test_snapshots_are_written_compared_and_refused(pytester, monkeypatch):
    pytester.makepyfile(test_render=RENDER_TESTS, test_refused=REFUSED_TEST)
    snapshots = pytester.path / "snapshots" / "test_render"

    first = pytester.runpytest()
    first.assert_outcomes(failed=3)
    assert shows(
        first,
        "E       AssertionError: no snapshot snapshots/test_render/test_voa.md: "
        "run pytest with --newscheck-update-snapshots to write it",
    )
    assert shows(
        first,
        "E       AssertionError: refusing snapshot snapshots/test_refused/test_refused.md: "
        "the article does not validate",
        "E       <text>: 1 diagnostic(s) at or above error:",
        "E       <text>:2:1: NC203 empty-title [error] expected a title inside '[]', found nothing",
        "E       2 | [](https://www.voachinese.com/a/7346550.html)",
        "E           ^^",
    )

    written = pytester.runpytest("--newscheck-update-snapshots")
    written.assert_outcomes(passed=2, failed=1)
    assert summary(written) == [
        "3 written:",
        "  snapshots/test_render/test_voa.md",
        "  snapshots/test_render/first.md",
        "  snapshots/test_render/second.md",
    ]
    assert sorted(p.name for p in snapshots.iterdir()) == ["first.md", "second.md", "test_voa.md"]
    assert not (pytester.path / "snapshots" / "test_refused").exists()

    pytester.runpytest("test_render.py").assert_outcomes(passed=2)

    monkeypatch.setenv("TITLE", "新标题")
    changed = pytester.runpytest("test_render.py")
    changed.assert_outcomes(passed=1, failed=1)
    assert shows(
        changed,
        "E       AssertionError: the article differs from snapshot "
        "snapshots/test_render/test_voa.md (--newscheck-update-snapshots rewrites it):",
        "E       --- snapshots/test_render/test_voa.md",
        "E       +++ rendered",
        "E       @@ -1,5 +1,5 @@",
        "E        <!--1595267727000-->",
        "E       -[标题](https://www.voachinese.com/a/7346550.html)",
        "E       +[新标题](https://www.voachinese.com/a/7346550.html)",
    )
    pytester.runpytest("test_render.py", "--newscheck-update-snapshots")
    assert "[新标题]" in (snapshots / "test_voa.md").read_text(encoding="utf-8")


def test_unused_snapshots_are_reported_and_deleted_only_after_a_complete_run(pytester):
    pytester.makepyfile(test_render=RENDER_TESTS)
    pytester.runpytest("--newscheck-update-snapshots").assert_outcomes(passed=2)
    stale = write(pytester, "snapshots/test_render/old.md", "stale")

    reported = pytester.runpytest()
    assert reported.ret == 0
    assert summary(reported) == [
        "1 unused (no test used them):",
        "  snapshots/test_render/old.md",
        "a passing run with --newscheck-update-snapshots deletes unused snapshots",
    ]
    failing = pytester.runpytest("--newscheck-fail-unused-snapshots")
    failing.assert_outcomes(passed=2)
    assert failing.ret == 1
    assert summary(failing)[:2] == [
        "1 unused (no test used them):",
        "  snapshots/test_render/old.md",
    ]

    # a module where a test was deselected, named alone or skipped is not judged:
    # the snapshots of the tests that did not run are not called unused
    partial_runs = [
        ("-k", "voa"),
        ("test_render.py::test_two",),
        ("-n", "2", "-k", "two"),
    ]
    for args in partial_runs:
        partial = pytester.runpytest(
            "--newscheck-update-snapshots", "--newscheck-fail-unused-snapshots", *args
        )
        assert partial.ret == 0, args
        assert " newscheck snapshots " not in partial.stdout.str(), args
    assert stale.exists()

    complete = pytester.runpytest("--newscheck-update-snapshots")
    assert summary(complete) == ["1 deleted (no test used them):", "  snapshots/test_render/old.md"]
    assert not stale.exists()
    assert sorted(p.name for p in stale.parent.iterdir()) == [
        "first.md",
        "second.md",
        "test_voa.md",
    ]


def test_unused_snapshots_of_a_module_with_a_skipped_test_are_kept(pytester):
    pytester.makepyfile(
        test_render=RENDER_TESTS + "\nimport pytest\n\n@pytest.mark.skip\ndef test_later():\n"
        "    pass\n"
    )
    pytester.runpytest("--newscheck-update-snapshots").assert_outcomes(passed=2, skipped=1)
    kept = write(pytester, "snapshots/test_render/test_later.md", "written before the skip")
    result = pytester.runpytest("--newscheck-update-snapshots", "--newscheck-fail-unused-snapshots")
    assert result.ret == 0
    assert kept.exists()


COLLIDING_TESTS = """
import pytest

def test_x(article_snapshot, article_factory):
    article_snapshot.assert_match(article_factory(title="module"))

class TestGroup:
    def test_x(self, article_snapshot, article_factory):
        article_snapshot.assert_match(article_factory(title="class"))

@pytest.mark.parametrize("title", ["x y", "x_y", "x/y", "标题"])
def test_p(article_snapshot, article_factory, title):
    article_snapshot.assert_match(article_factory(title=title))
"""


def test_snapshot_names_come_from_the_whole_node_id(pytester):
    pytester.makepyfile(test_names=COLLIDING_TESTS)
    written = pytester.runpytest("--newscheck-update-snapshots")
    written.assert_outcomes(passed=6)
    assert summary(written) == [
        "6 written:",
        "  snapshots/test_names/test_x.md",
        "  snapshots/test_names/TestGroup.test_x.md",
        "  snapshots/test_names/test_p[x%20y].md",
        "  snapshots/test_names/test_p[x_y].md",
        "  snapshots/test_names/test_p[x%2Fy].md",
        "  snapshots/test_names/test_p[%5Cu6807%5Cu9898].md",  # pytest's id: \\u6807\\u9898
    ]
    folder = pytester.path / "snapshots" / "test_names"
    assert "[class]" in (folder / "TestGroup.test_x.md").read_text(encoding="utf-8")
    assert "[x_y]" in (folder / "test_p[x_y].md").read_text(encoding="utf-8")
    # stable: a second update writes nothing, and a check passes
    again = pytester.runpytest("--newscheck-update-snapshots", "--newscheck-fail-unused-snapshots")
    assert again.ret == 0
    assert " newscheck snapshots " not in again.stdout.str()


def test_two_tests_that_name_one_snapshot_fail_the_run(pytester):
    pytester.makepyfile(
        test_shared="""
        def test_one(article_snapshot, article_factory):
            article_snapshot.assert_match(article_factory(title="一"), "item")

        def test_two(article_snapshot, article_factory):
            article_snapshot.assert_match(article_factory(title="二"), "item")

        def test_three(article_snapshot, article_factory):
            article_snapshot.assert_match(article_factory(title="三"), "ITEM")
        """
    )
    for args in ((), ("-n", "2")):
        result = pytester.runpytest("--newscheck-update-snapshots", *args)
        assert result.ret == 1, args
        assert summary(result)[:4] == [
            "ERROR: 3 tests use snapshot snapshots/test_shared/item.md (give each its own name):",
            "  test_shared.py::test_one",
            "  test_shared.py::test_three",
            "  test_shared.py::test_two",
        ], args


def test_a_snapshot_name_is_used_once_per_test(pytester):
    pytester.makepyfile(
        test_twice="""
        def test_twice(article_snapshot, article_factory):
            article_snapshot.assert_match(article_factory(), "same")
            article_snapshot.assert_match(article_factory(), "same")
        """
    )
    result = pytester.runpytest("--newscheck-update-snapshots")
    assert shows(
        result,
        "E       ValueError: snapshot snapshots/test_twice/same.md is used twice in this test: "
        "give each a name",
    )
