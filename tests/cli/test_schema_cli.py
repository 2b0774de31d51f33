"""`newscheck schema check|show|infer` and `--schema auto` on the command line."""

from __future__ import annotations

import json
import re

import pytest
import yaml

import newscheck
from newscheck import Severity
from newscheck.cli import main

from ..helpers import ROOT, article, missing


def test_schema_check_accepts_good_schemas(capsys):
    assert (
        main(["schema", "check", "feed-article", "jekyll-feed-article", "examples/feedx-sources"])
        == 0
    )
    assert capsys.readouterr().out == (
        "feed-article: ok\njekyll-feed-article: ok\nexamples/feedx-sources: ok\n"
    )


def test_schema_check_locates_the_first_mistake_of_each_and_exits_two(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("extends: feed-article\nchecks:\n  - equal: [title, nope]\n", encoding="utf-8")
    broken = ROOT / "docs" / "examples" / "broken-schema.yaml"
    assert main(["schema", "check", str(bad), str(broken), "feed-article-dated", "nope"]) == 2
    assert capsys.readouterr().out.splitlines() == [
        f"{bad}:3:20: check equal names no field 'nope' "
        "(fields: body, caption, date, images, timestamp, title, url)",
        f"{broken}:4:5: layout.0: Additional properties are not allowed ('recognize' was unexpected) (did you mean 'recognise'?)",
        "feed-article-dated: ok",
        "nope: no schema file or built-in schema 'nope' "
        "(built-ins: feed-article, feed-article-dated, jekyll-feed-article)",
    ]


def test_schema_show_prints_a_resolved_schema_that_loads_the_same(tmp_path, capsys):
    assert main(["schema", "show", "jekyll-feed-article"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# jekyll-feed-article, resolved\nname: jekyll-feed-article\n")
    data = yaml.safe_load(out)
    assert "extends" not in data
    assert [p["part"] for p in data["layout"]] == [
        "front",
        "timestamp",
        "title",
        "rule",
        "blank",
        "content",
    ]
    assert data["layout"][-1]["open"] == "<div>" and data["layout"][-1]["max_lines"] == 1
    shown = tmp_path / "shown.yaml"
    shown.write_text(out, encoding="utf-8")
    assert main(["schema", "check", str(shown)]) == 0
    capsys.readouterr()
    original, copy = newscheck.load_schema("jekyll-feed-article"), newscheck.load_schema(shown)
    assert copy.layout == original.layout
    assert copy.checks == original.checks and copy.record == original.record


def test_schema_show_applies_a_source_profile(capsys):
    assert main(["schema", "show", "examples/feedx-sources", "--source", "www.voachinese.com"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "# examples/feedx-sources, resolved for www.voachinese.com: "
        "sources profile '*.voachinese.com' applied\n"
    )
    data = yaml.safe_load(out)
    assert "sources" not in data
    assert data["record"]["required"] == ["date"]
    assert data["rules"]["unparseable-date"]["formats"] == [
        {"format": "%a, %d %b %Y %H:%M:%S GMT", "utc_offset": "+00:00"}
    ]
    assert main(["schema", "show", "examples/feedx-sources", "--source", "example.com"]) == 0
    out = capsys.readouterr().out
    assert "no sources profile matches" in out.splitlines()[0]
    assert "sources" not in yaml.safe_load(out)


def test_schema_show_of_a_missing_schema_exits_two(capsys):
    assert main(["schema", "show", "nope"]) == 2
    assert capsys.readouterr().err.startswith("newscheck: no schema file or built-in schema 'nope'")


@pytest.fixture(scope="module")
def inferred(tmp_path_factory):
    from ..helpers import CORPUS

    if not (CORPUS / "feed").is_dir():
        missing("the shared corpus (../shared/corpus) is not present")
    from newscheck.infer import infer

    path = tmp_path_factory.mktemp("infer") / "inferred.yaml"
    path.write_text(infer([str(CORPUS / "feed")]), encoding="utf-8")
    return path


def test_infer_proposes_parts_fields_and_per_source_date_forms(inferred):
    data = yaml.safe_load(inferred.read_text(encoding="utf-8"))
    assert data["extends"] == "feed-article"
    assert "layout" not in data  # every part is in every file
    assert data["record"] == {"required": ["body", "images", "timestamp", "title", "url"]}
    sources = data["sources"]
    assert list(sources) == [
        "www.rfi.fr",
        "cn.reuters.com",
        "www.voachinese.com",
        "www.dw.com",
        "cn.ft.com",
        "cn.nytimes.com",
    ]
    assert sources["www.voachinese.com"]["dates"] == [
        {"format": "%a, %d %b %Y %H:%M:%S GMT", "utc_offset": "+00:00"}
    ]
    assert sources["www.rfi.fr"]["dates"] == [
        {"format": "%d/%m/%Y - %H:%M", "utc_offset": "+02:00"}
    ]
    assert sources["cn.nytimes.com"]["dates"][0]["utc_offset"] == "+08:00"
    assert "date" in sources["www.voachinese.com"]["record"]["required"]
    assert "record" not in sources["www.dw.com"]  # 47 DW items have no date div
    assert sources["cn.ft.com"]["rules"] == {"empty-date": "off"}
    assert sources["www.dw.com"]["description"].startswith("457 files; 410 dates as ")


def test_the_inferred_schema_accepts_its_corpus(inferred, capsys):
    from ..helpers import CORPUS

    assert main(["schema", "check", str(inferred)]) == 0
    capsys.readouterr()

    def errors(results):
        return {
            r.path: [d.code for d in r.diagnostics if d.severity is Severity.ERROR] for r in results
        }

    default = errors(newscheck.check_paths([CORPUS / "feed"]))
    assert errors(newscheck.check_paths([CORPUS / "feed"], schema=inferred)) == default


@pytest.mark.parametrize(
    ("source", "old", "new", "code"),
    [
        ("voa", r"<div><i>[^<]*GMT</i></div>", "", "NC901"),  # the date div dropped
        # a form the grammar reads is no error, even where the profile declares another
        ("voa", r"Mon, 20 Jul 2020 19:22:03 GMT", "2020-07-20T19:22:03.000Z", None),
        ("reuters", r"<div><i>2020-07-20T(\d\d)", r"<div><i>2020-07-19T\1", "NC104"),  # 24 h
        ("nyt", r"<br>2020-07-2\d \d\d:\d\d:\d\d</i>", "<br>20/07/2020 - 17:50</i>", None),
        ("ft", r"<div></div>", "<div><i>Mon, 20 Jul 2020 19:22:03 GMT</i></div>", None),
    ],
)
def test_the_inferred_schema_rejects_injected_defects(inferred, source, old, new, code):
    from ..helpers import CORPUS

    path = sorted((CORPUS / "feed" / source).glob("*.md"))[0]
    text = path.read_text(encoding="utf-8")
    broken = re.sub(old, new, text, count=1)
    assert broken != text

    def errors(schema):
        result = newscheck.check_text(broken, path=path.name, schema=schema)
        return [d.code for d in result.diagnostics if d.severity is Severity.ERROR]

    assert errors(None) == []  # the tolerant default lets each of them pass
    assert errors(inferred) == ([code] if code else [])


def test_auto_says_which_schema_each_file_gets(corpus, capsys):
    folder = corpus / "other-layouts"
    assert main(["check", "--schema", "auto", "--show-files", str(folder)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 17
    assert {line.split("\t")[1] for line in lines if "/dated-no-timestamp/" in line} == {
        "feed-article-dated"
    }
    assert {line.split("\t")[1] for line in lines if "/jekyll-front-matter/" in line} == {
        "jekyll-feed-article"
    }
    assert main(["check", "--schema", "auto", str(folder)]) == 0
    summary, chosen = capsys.readouterr().out.splitlines()[-2:]
    assert summary.startswith("Checked 17 files: 0 errors,")
    assert (
        chosen == "Schemas chosen by --schema auto: feed-article-dated 7, jekyll-feed-article 10."
    )
    for cached in (False, True):  # the choice is kept in the cache too
        args = ["check", "--schema", "auto", "--output-format", "json", str(folder)]
        assert main(args) == 0
        files = json.loads(capsys.readouterr().out)["files"]
        assert {f["schema"] for f in files} == {"feed-article-dated", "jekyll-feed-article"}, cached
        assert all(list(f)[:2] == ["path", "schema"] for f in files)


def test_without_auto_json_and_show_files_are_unchanged(tmp_path, capsys):
    (tmp_path / "a.md").write_text(article(), encoding="utf-8")
    assert main(["check", "--show-files", str(tmp_path)]) == 0
    assert capsys.readouterr().out == f"{tmp_path / 'a.md'}\n"
    assert main(["check", "--output-format", "json", str(tmp_path)]) == 0
    assert '{"path": ' in capsys.readouterr().out and '"schema"' not in capsys.readouterr().out


def test_schema_auto_in_the_configuration(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the configuration is the working directory's
    (tmp_path / "newscheck.toml").write_text('schema = "auto"\n', encoding="utf-8")
    (tmp_path / "a.md").write_text(article(), encoding="utf-8")
    (tmp_path / "b.md").write_text(
        "---\ntitle: x\n---\n" + article(1).replace("\n\n", "\n\n<div>\n", 1) + "</div>\n",
        encoding="utf-8",
    )
    assert main(["check", "--show-files", str(tmp_path)]) == 0
    assert capsys.readouterr().out == (
        f"{tmp_path / 'a.md'}\tfeed-article\n{tmp_path / 'b.md'}\tjekyll-feed-article\n"
    )


def test_infer_proposes_one_schema_per_layout_of_a_mixed_folder(corpus, capsys):
    assert main(["schema", "infer", str(corpus / "other-layouts")]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[1:10] == [
        "# 17 files in 2 layouts: inferred-1 10, inferred-2 7; edit before use.",
        "# Several layouts: save each YAML document below as its own schema file and list",
        "# them in newscheck.toml; `--schema auto` then chooses among them per file:",
        "#   [[schemas]]",
        '#   schema = "inferred-1.yaml"',
        '#   files = ["jekyll-front-matter/*.md"]',
        "#   [[schemas]]",
        '#   schema = "inferred-2.yaml"',
        '#   files = ["dated-no-timestamp/*.md"]',
    ]
    jekyll, dated = yaml.safe_load_all(out)
    assert jekyll["extends"] == "jekyll-feed-article"
    assert dated["extends"] == "feed-article-dated"
    front = jekyll["record"]["properties"]["front"]
    assert front["required"] == [
        "author",
        "categories",
        "date",
        "from",
        "layout",
        "tags",
        "title",
    ]
    assert front["properties"]["tags"] == {"type": "array", "items": {"type": "string"}}
    assert front["properties"]["from"] == {"type": "string", "description": "role url: 10 links"}
    assert jekyll["sources"]["www.rfi.fr"]["dates"] == [
        {"format": "%d/%m/%Y - %H:%M", "utc_offset": "+01:00"}  # January: Paris is UTC+1
    ]
    assert dated["sources"]["chinadigitaltimes.net"]["dates"] == [
        {"format": "%a, %d %b %Y %H:%M:%S %z"}
    ]


def test_infer_without_readable_files_exits_two(tmp_path, capsys):
    assert main(["schema", "infer", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (
        "newscheck: no readable article files to infer a schema from\n"
    )
