"""The configuration's own schemas (`schemas`), chosen among by `auto`: by
their file globs, else by their layout, before the built-ins; a file in none
of the layouts gets one diagnostic, NC013 no-layout-fits."""

from __future__ import annotations

import json

from newscheck.cli import main

from ..helpers import article

NOTES = """\
name: notes
layout:
  - part: title
    match: 'Title: (?P<title>\\S.*)'
    recognise: 'Title'
  - part: date
    match: 'Date: (?P<date>\\S.*)'
    recognise: 'Date'
  - part: blank
    match: ''
  - part: content
    block: text
"""
POSTS = """\
name: posts
layout:
  - part: front
    block: yaml
    open: '---'
    close: '---'
  - part: content
    block: html
"""
NOTE = "Title: Notes\nDate: 2024-04-01 10:00\n\nPlain text.\n"
POST = "---\ntitle: A post\n---\n<p>A post.</p>\n"
CONFIG = """\
[[schemas]]
schema = "posts.yaml"
files = ["posts/*.md"]
[[schemas]]
schema = "notes.yaml"
"""


def project(tmp_path, monkeypatch, config: str = CONFIG):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "newscheck.toml").write_text(config, encoding="utf-8")
    (tmp_path / "notes.yaml").write_text(NOTES, encoding="utf-8")
    (tmp_path / "posts.yaml").write_text(POSTS, encoding="utf-8")
    for folder in ("posts", "notes", "feed"):
        (tmp_path / folder).mkdir()
    (tmp_path / "posts" / "p.md").write_text(POST, encoding="utf-8")
    (tmp_path / "notes" / "n.md").write_text(NOTE, encoding="utf-8")
    (tmp_path / "feed" / "f.md").write_text(article(), encoding="utf-8")


def test_auto_takes_the_configured_schemas_by_glob_and_by_layout(tmp_path, monkeypatch, capsys):
    project(tmp_path, monkeypatch)
    assert main(["check", "--show-files", "."]) == 0  # `schemas` alone makes the schema auto
    assert sorted(capsys.readouterr().out.splitlines()) == [
        "./feed/f.md\tfeed-article",
        "./notes/n.md\tnotes",
        "./posts/p.md\tposts",
    ]
    assert main(["check", "--no-cache", "."]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "Schemas chosen by --schema auto: feed-article 1, notes 1, posts 1."
    )


def test_a_glob_gives_its_schema_even_to_a_file_it_does_not_fit(tmp_path, monkeypatch, capsys):
    project(tmp_path, monkeypatch)
    (tmp_path / "posts" / "q.md").write_text(NOTE, encoding="utf-8")  # a note among the posts
    assert main(["check", "--no-cache", "--output-format", "json", "posts/q.md"]) == 1
    (entry,) = json.loads(capsys.readouterr().out)["files"]
    assert entry["schema"] == "posts"
    assert [(d["code"], d["line"], d["column"]) for d in entry["diagnostics"]] == [
        ("NC902", 1, 1)  # missing-part: the posts layout's front matter
    ]


def test_a_file_in_none_of_the_layouts_gets_one_diagnostic(tmp_path, monkeypatch, capsys):
    project(tmp_path, monkeypatch)
    (tmp_path / "x.md").write_text("Just a line of text\nand another\n", encoding="utf-8")
    assert main(["check", "--no-cache", "x.md"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "x.md:1:1: NC013 no-layout-fits [error] expected a file in one of the layouts "
        "notes, feed-article, feed-article-dated, jekyll-feed-article, found a file none "
        "of them fits: the closest, notes, finds 1 of its 4 parts; its part 'title' is "
        "missing at line 1, found 'Just a line of text'",
        "Checked 1 file: 1 error, 0 warnings, 0 info (1 with errors).",
        "Schemas chosen by --schema auto: notes 1.",
    ]


def test_a_configured_schema_that_is_not_there_exits_two(tmp_path, monkeypatch, capsys):
    project(tmp_path, monkeypatch, CONFIG.replace("notes.yaml", "nope.yaml"))
    assert main(["check", "."]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"newscheck: {tmp_path / 'newscheck.toml'}:")
    assert "schemas: no schema file or built-in schema 'nope.yaml'" in err
    project_config = CONFIG.replace('files = ["posts/*.md"]', 'globs = ["posts/*.md"]')
    (tmp_path / "newscheck.toml").write_text(project_config, encoding="utf-8")
    assert main(["check", "."]) == 2
    assert "globs" in capsys.readouterr().err
