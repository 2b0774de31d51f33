"""`newscheck schema infer` on layouts no built-in fits: the round trip
`infer > s.yaml; check --schema s.yaml` reports only the defects planted."""

from __future__ import annotations

import json

import pytest
import yaml

from newscheck.cli import main

# three sources, each with its own date form in the front matter
SOURCES = {
    "news.example.org": ("2024-03-{day:02d}T08:{minute:02d}:00Z", "Desk"),
    "www.kanal.example.de": ("{day:02d}.03.2024 08:{minute:02d}", "Redaktion"),
    "ribao.example.cn": ("2024年3月{day}日", "编辑部"),
}


def post(source: str, index: int) -> str:
    form, author = SOURCES[source]
    date = form.format(day=index % 28 + 1, minute=index % 60)
    return (
        "---\n"
        f'title: "Report number {index} from {source}"\n'
        f"date: {date}\n"
        f"author: {author}\n"
        f"link: https://{source}/a/{1000 + index}.html\n"
        f"tags: [news, n{index % 3}]\n"
        f"words: {300 + index}\n"
        "---\n"
        "<article>\n"
        f"  <h1>Report number {index}</h1>\n"
        f'  <img src="https://{source}/img/{index}.jpg">\n'
        f"  <p>The council met on day {index} and agreed the budget for the coming\n"
        "  year after a long debate about the roads, the schools and the harbour.</p>\n"
        "  <p>Members will meet again next month to settle the remaining items.</p>\n"
        "</article>\n"
    )


def keyed(index: int) -> str:
    """A layout of header lines: 'Title:', 'Date:', 'Link:', a blank line, text."""
    return (
        f"Title: Notes {index}\n"
        f"Date: 2024-04-{index % 28 + 1:02d} 10:00\n"
        f"Link: https://notes.example.net/{index}\n"
        "\n"
        f"Plain text notes number {index}, written over\n"
        "several lines, with no markup at all.\n"
    )


@pytest.fixture
def archive(tmp_path):
    folder = tmp_path / "posts"
    folder.mkdir()
    for number, source in enumerate(sorted(SOURCES)):
        for index in range(number * 10, number * 10 + 10):
            (folder / f"{index:03d}.md").write_text(post(source, index), encoding="utf-8")
    return folder


def infer_to(folder, tmp_path, capsys, *more):
    assert main(["schema", "infer", str(folder), *more]) == 0
    schema = tmp_path / "s.yaml"
    schema.write_text(capsys.readouterr().out, encoding="utf-8")
    assert main(["schema", "check", str(schema)]) == 0
    capsys.readouterr()
    return schema


def check(schema, folder, capsys) -> tuple[int, list[tuple[str, str, int, int]]]:
    options = ["--isolated", "--no-cache", "--output-format", "json", "--schema", str(schema)]
    code = main(["check", *options, str(folder)])
    files = json.loads(capsys.readouterr().out)["files"]
    found = [
        (f["path"].rsplit("/", 1)[1], d["code"], d["line"], d["column"])
        for f in files
        for d in f["diagnostics"]
    ]
    return code, found


def test_front_matter_and_multi_line_html_from_three_sources(archive, tmp_path, capsys):
    schema = infer_to(archive, tmp_path, capsys)
    data = yaml.safe_load(schema.read_text(encoding="utf-8"))
    assert "extends" not in data
    assert [(p["part"], p.get("block")) for p in data["layout"]] == [
        ("front", "yaml"),
        ("content", "html"),
    ]
    assert sorted(data["extract"]) == ["body", "images"]
    front = data["record"]["properties"]["front"]
    assert front["required"] == ["author", "date", "link", "tags", "title", "words"]
    types = {key: value["type"] for key, value in front["properties"].items()}
    assert types == {
        "author": "string",
        "date": "string",
        "link": "string",
        "tags": "array",
        "title": "string",
        "words": "integer",
    }
    assert front["properties"]["link"]["description"] == "role url: 30 links"
    assert front["properties"]["title"]["description"] == "role title"
    assert front["properties"]["date"]["description"] == (
        "role date: 30 dates; news.example.org: 10 as '%Y-%m-%dT%H:%M:%S%z'; "
        "ribao.example.cn: 10 as '%Y年%m月%d日'; "
        "www.kanal.example.de: 10 as '%d.%m.%Y %H:%M' (day order dmy)"
    )
    assert data["record"]["required"] == ["body", "front", "images"]
    # the keys that play the built-in rules' roles, and the date forms of each link host
    assert data["roles"] == {"title": "front.title", "date": "front.date", "url": "front.link"}
    assert {host: profile["dates"] for host, profile in data["sources"].items()} == {
        "news.example.org": [{"format": "%Y-%m-%dT%H:%M:%S%z"}],
        "ribao.example.cn": [{"format": "%Y年%m月%d日"}],
        "www.kanal.example.de": [{"format": "%d.%m.%Y %H:%M"}],
    }
    # the round trip: the sound archive passes
    assert check(schema, archive, capsys) == (0, [])


def test_the_inferred_layout_reports_the_planted_defects(archive, tmp_path, capsys):
    schema = infer_to(archive, tmp_path, capsys)
    first = archive / "000.md"
    text = first.read_text(encoding="utf-8")
    first.write_text(text.replace("words: 300\n", "words: many\n"), encoding="utf-8")
    second = archive / "021.md"
    text = second.read_text(encoding="utf-8")
    second.write_text(text.replace("author: Redaktion\n", ""), encoding="utf-8")
    third = archive / "012.md"
    third.write_text(third.read_text(encoding="utf-8").replace("---\n<article>", "<article>"))
    future = archive / "001.md"
    text = future.read_text(encoding="utf-8")
    future.write_text(text.replace("date: 2024-03-02T08:01:00Z", "date: 2099-03-02T08:01:00Z"))
    impossible = archive / "022.md"
    text = impossible.read_text(encoding="utf-8")
    impossible.write_text(text.replace("date: 23.03.2024", "date: 32.03.2024"))
    code, found = check(schema, archive, capsys)
    assert code == 1
    assert found == [
        ("000.md", "NC901", 7, 8),  # front/words: 'many' is not of type 'integer'
        ("001.md", "NC504", 3, 7),  # the date role: a date in the future
        ("012.md", "NC701", 15, 1),  # the front matter runs to the end: no body
        ("012.md", "NC903", 15, 1),  # ... and has no closing '---'
        ("021.md", "NC901", 2, 1),  # front: 'author' is a required property
        ("022.md", "NC501", 3, 7),  # March has no day 32 (read in the day order dmy)
    ]


def test_header_lines_become_fields_the_built_in_rules_read(tmp_path, capsys):
    folder = tmp_path / "notes"
    folder.mkdir()
    for index in range(12):
        (folder / f"{index}.md").write_text(keyed(index), encoding="utf-8")
    schema = infer_to(folder, tmp_path, capsys)
    data = yaml.safe_load(schema.read_text(encoding="utf-8"))
    assert [(p["part"], p.get("match"), p.get("block")) for p in data["layout"]] == [
        ("title", r"Title\s*[:：]\s*(?P<title>\S.*)", None),
        ("date", r"Date\s*[:：]\s*(?P<date>\S.*)", None),
        ("url", r"Link\s*[:：]\s*(?P<url>\S.*)", None),
        ("blank", "", None),
        ("content", None, "text"),
    ]
    assert data["record"]["required"] == ["date", "title", "url"]
    # naive dates and no timestamp to place them by: no zone is proposed
    assert data["sources"]["notes.example.net"]["dates"] == [{"format": "%Y-%m-%d %H:%M"}]
    assert check(schema, folder, capsys) == (0, [])
    broken = folder / "3.md"
    broken.write_text(keyed(3).replace("2024-04-04 10:00", "2024-04-04 25:00"), encoding="utf-8")
    (folder / "4.md").write_text(keyed(4).replace("https://", "https//"), encoding="utf-8")
    code, found = check(schema, folder, capsys)
    assert code == 1
    assert found == [("3.md", "NC501", 2, 7), ("4.md", "NC302", 3, 7)]  # hour 25; relative


def test_a_folder_of_two_new_layouts_gets_two_schemas_and_their_globs(archive, tmp_path, capsys):
    notes = tmp_path / "notes"
    notes.mkdir()
    for index in range(12):
        (notes / f"{index}.md").write_text(keyed(index), encoding="utf-8")
    out_dir = tmp_path / "proposed"
    assert main(["schema", "infer", str(tmp_path), "--output-dir", str(out_dir)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"{out_dir}/inferred-1.yaml",
        f"{out_dir}/inferred-2.yaml",
        "# 42 files in 2 layouts: inferred-1 30, inferred-2 12",
        "# Several layouts: save each YAML document below as its own schema file and list",
        "# them in newscheck.toml; `--schema auto` then chooses among them per file:",
        "#   [[schemas]]",
        f'#   schema = "{out_dir}/inferred-1.yaml"',
        '#   files = ["posts/*.md"]',
        "#   [[schemas]]",
        f'#   schema = "{out_dir}/inferred-2.yaml"',
        '#   files = ["notes/*.md"]',
    ]
    for name, folder in (("inferred-1", archive), ("inferred-2", notes)):
        assert check(out_dir / f"{name}.yaml", folder, capsys) == (0, []), name
