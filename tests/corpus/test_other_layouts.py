"""The real files of ../shared/corpus/other-layouts against their built-in
schemas, the Jekyll cross-checks on injected mismatches, and --schema auto."""

from __future__ import annotations

import collections
import re

import pytest

import newscheck
from newscheck import Severity
from newscheck.schema import load_schema

LAYOUTS = {
    "dated-no-timestamp": ("feed-article-dated", 7),
    "jekyll-front-matter": ("jekyll-feed-article", 10),
}


@pytest.mark.parametrize("folder", sorted(LAYOUTS))
def test_every_real_file_passes_its_built_in_schema(corpus, folder):
    name, count = LAYOUTS[folder]
    results = list(newscheck.check_paths([corpus / "other-layouts" / folder], schema=name, jobs=1))
    assert len(results) == count
    errors = [(r.path, d.code, d.message) for r in results for d in r.diagnostics]
    assert not [e for e in errors if e[1] == "NC000"]
    assert all(r.ok for r in results), errors


@pytest.fixture(scope="module")
def jekyll(tmp_path_factory):
    from ..helpers import CORPUS, missing

    folder = CORPUS / "other-layouts" / "jekyll-front-matter"
    if not folder.is_dir():
        missing("the shared corpus (../shared/corpus) is not present")
    path = folder / "2021-01-13-中国股市收盘下跌遭遇获利了结 医药及消费股走低.md"
    return path.name, path.read_text(encoding="utf-8")


def check(name, text, schema="jekyll-feed-article"):
    result = newscheck.check_text(text, path=f"_posts/{name}", schema=schema)
    return [
        (d.code, d.line, d.column, d.message)
        for d in result.diagnostics
        if d.severity is Severity.ERROR
    ]


def test_the_untouched_jekyll_file_is_clean(jekyll):
    assert check(*jekyll) == []


def test_front_matter_title_against_the_link_title(jekyll):
    name, text = jekyll
    edited = text.replace('title: "中国股市', 'title: "美国股市', 1)
    assert check(name, edited) == [
        (
            "NC904",
            3,
            8,
            "expected front.title to equal title '中国股市收盘下跌遭遇获利了结 医药及消费股走低', "
            "found '美国股市收盘下跌遭遇获利了结 医药及消费股走低'",
        )
    ]


def test_front_matter_from_against_the_link_url(jekyll):
    name, text = jekyll
    edited = text.replace("from: https://cn.reuters.com/", "from: http://cn.reuters.com/", 1)
    ((code, line, column, message),) = check(name, edited)
    assert (code, line, column) == ("NC904", 6, 7)
    assert message.startswith("expected front.from to equal url 'https://cn.reuters.com/")


def test_front_matter_date_against_the_timestamp(jekyll):
    name, text = jekyll
    edited = text.replace("date: 2021-01-13T08:23:15.000Z", "date: 2021-01-13T08:23:16.000Z", 1)
    assert check(name, edited) == [
        (
            "NC904",
            4,
            7,
            "expected front.date at the time of timestamp (2021-01-13 08:23:15 UTC, give or take "
            "0 s), found 2021-01-13 08:23:16 UTC (+1 s)",
        )
    ]


def test_file_name_date_against_the_front_matter_date(jekyll):
    name, text = jekyll
    assert check(name.replace("2021-01-13", "2021-01-14"), text) == [
        (
            "NC904",
            4,
            7,
            "expected front.date on the file name's date 2021-01-14, found 2021-01-13 (UTC)",
        )
    ]
    ((code, _, _, message),) = check("中国股市.md", text)
    assert code == "NC904" and "expected the file name to start with front.date's date" in message


def test_the_default_schema_does_not_know_these_checks(jekyll):
    name, text = jekyll
    edited = text.replace('title: "中国股市', 'title: "美国股市', 1)
    assert "NC904" not in {code for code, *_ in check(name, edited, schema="feed-article")}


def test_jekyll_html_on_two_lines_or_unwrapped_is_reported(jekyll):
    name, text = jekyll
    lines = text.split("\n")
    two = "\n".join([*lines[:15], "<p>第二行。</p>", *lines[15:]])
    assert check(name, two)[0][:3] == ("NC903", 16, 1)
    unwrapped = text.replace("\n</div>\n", "\n")
    assert check(name, unwrapped)[0][:3] == ("NC903", 16, 1)


def test_auto_picks_each_layout_by_its_lines(corpus):
    results = list(newscheck.check_paths([corpus / "other-layouts"], schema="auto", jobs=1))
    chosen = collections.Counter((r.path.split("/")[-2], r.schema) for r in results)
    assert chosen == {
        ("dated-no-timestamp", "feed-article-dated"): 7,
        ("jekyll-front-matter", "jekyll-feed-article"): 10,
    }
    assert all(r.ok for r in results)


def test_auto_checks_the_feed_corpus_as_the_default_does(corpus):
    default = {r.path: r.diagnostics for r in newscheck.check_paths([corpus / "feed"])}
    auto = list(newscheck.check_paths([corpus / "feed"], schema="auto"))
    assert {r.schema for r in auto} == {"feed-article"}
    assert {r.path: r.diagnostics for r in auto} == default


def test_auto_chooses_by_line_matching_alone(corpus, monkeypatch):
    """Detection parses no HTML and no YAML: only the chosen schema's blocks are."""
    from newscheck.blocks import html as parsing
    from newscheck.choice import choose
    from newscheck.source import from_bytes

    calls = []
    monkeypatch.setattr(parsing, "_parse_html", lambda text: calls.append(text))
    schemas = tuple(
        load_schema(n) for n in ("feed-article", "feed-article-dated", "jekyll-feed-article")
    )
    for path in sorted((corpus / "other-layouts").glob("*/*.md")):
        chosen, layout = choose(from_bytes(path.read_bytes(), str(path)), schemas)
        assert layout.misfit == 0
        assert chosen.name == LAYOUTS[path.parent.name][0]
    assert calls == []


def test_a_broken_file_is_checked_with_the_nearest_layout(corpus):
    path = next((corpus / "other-layouts" / "dated-no-timestamp").glob("*.md"))
    text = path.read_text(encoding="utf-8")
    broken = re.sub(r"^日期：.*\n", "日期: yesterday\n", text, flags=re.M)
    result = newscheck.check_text(broken, path=path.name, schema="auto")
    assert result.schema == "feed-article-dated"
    assert [d.code for d in result.diagnostics if d.severity is Severity.ERROR] == ["NC903"]


def _round_trip(folder, tmp_path) -> tuple[int, dict[str, list[str]]]:
    """``infer > s.yaml; check --schema s.yaml``: files, and the error codes of each failing one."""
    from newscheck.infer import infer

    schema = tmp_path / "s.yaml"
    schema.write_text(infer([str(folder)]), encoding="utf-8")
    return _errors(folder, schema)


def _errors(folder, schema) -> tuple[int, dict[str, list[str]]]:
    results = list(newscheck.check_paths([folder], schema=schema, jobs=1))
    failing = {
        r.path: [d.code for d in r.diagnostics if d.severity is Severity.ERROR]
        for r in results
        if not r.ok
    }
    return len(results), failing


@pytest.mark.parametrize("folder", sorted(LAYOUTS))
def test_infer_round_trip_on_each_real_layout_reports_no_error(corpus, folder, tmp_path):
    assert _round_trip(corpus / "other-layouts" / folder, tmp_path) == (LAYOUTS[folder][1], {})


def _variant(corpus, tmp_path, folder: str, rewrite) -> object:
    """The real files of ``folder`` rewritten into a layout no built-in has."""
    target = tmp_path / folder
    target.mkdir()
    for path in sorted((corpus / "other-layouts" / folder).glob("*.md")):
        (target / path.name).write_text(rewrite(path.read_text(encoding="utf-8")), "utf-8")
    return target


def _front_and_html(text: str) -> str:
    """Front matter, then the HTML one element a line (no timestamp, title link or rule)."""
    front, _, rest = text.partition("\n---\n")
    body = "\n".join(rest.split("\n")[4:])
    return front + "\n---\n" + body.replace("><", ">\n<")


def _header_lines(text: str) -> str:
    """'Title:' and 'Source:' lines for the title link, then the dateline, a blank, the HTML."""
    lines = text.split("\n")
    found = re.fullmatch(r"\[(.*)\]\((.*)\)", lines[0])
    assert found is not None
    return "\n".join([f"Title: {found[1]}", f"Source: {found[2]}", lines[2], "", *lines[4:]])


@pytest.mark.parametrize(
    ("folder", "rewrite", "parts"),
    [
        ("jekyll-front-matter", _front_and_html, ["front", "content"]),
        ("dated-no-timestamp", _header_lines, ["title", "url", "date", "blank", "content"]),
    ],
)
def test_infer_proposes_a_new_layout_for_variants_of_real_files(
    corpus, tmp_path, folder, rewrite, parts
):
    import yaml

    from newscheck.infer import infer

    target = _variant(corpus, tmp_path, folder, rewrite)
    data = yaml.safe_load(infer([str(target)]))
    assert "extends" not in data
    assert [p["part"] for p in data["layout"]] == parts
    assert _round_trip(target, tmp_path) == (LAYOUTS[folder][1], {})
    # a planted defect: the first file cut off before its HTML
    first = sorted(target.glob("*.md"))[0]
    text = first.read_text(encoding="utf-8")
    first.write_text(text[: text.index("\n<") + 1], encoding="utf-8")
    assert _errors(target, tmp_path / "s.yaml") == (LAYOUTS[folder][1], {str(first): ["NC701"]})
