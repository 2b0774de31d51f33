"""`newscheck record`: the parts and fields of each file, with their positions."""

from __future__ import annotations

import json

from newscheck.cli import main

SOUND = (
    "<!--1594192500000-->\n"
    "[T](https://a.example/x)\n"
    "------\n"
    "\n"
    '<div><i>2020-07-08</i></div><img src="https://a.example/i.jpg"><p>Body text here.</p>\n'
)
# no timestamp line, and a line after the content
BROKEN = "[T](https://a.example/x)\n------\n\n<p>x</p>\nmore\n"


def test_record_prints_parts_and_fields_with_their_positions(tmp_path, capsys):
    (tmp_path / "a.md").write_text(SOUND, encoding="utf-8")
    (tmp_path / "b.md").write_text(BROKEN, encoding="utf-8")
    (tmp_path / "c.md").write_text("", encoding="utf-8")
    paths = [str(tmp_path / n) for n in ("a.md", "b.md", "c.md")]
    assert main(["record", "--isolated", *paths]) == 0
    assert capsys.readouterr().out == (
        f"{paths[0]}: schema feed-article\n"
        "  part timestamp ok 1:1-1:21\n"
        "  part title ok 2:1-2:25\n"
        "  part rule ok 3:1-3:7\n"
        "  part blank ok 4:1-4:1\n"
        "  part content ok 5:1-5:86\n"
        '  field timestamp 1:5-1:18 "1594192500000"\n'
        '  field title 2:2-2:3 "T"\n'
        '  field url 2:5-2:24 "https://a.example/x"\n'
        '  field date 5:1-5:6 "2020-07-08"\n'  # the date div's start tag
        '  field images 5:29-5:64 ["https://a.example/i.jpg"]\n'
        '    [0] 5:29-5:64 "https://a.example/i.jpg"\n'
        '  field body 5:64-5:67 "Body text here."\n'
        f"{paths[1]}: schema feed-article\n"
        '  part timestamp missing 1:1-1:25 found "[T](https://a.example/x)"\n'
        "  part title ok 1:1-1:25\n"
        "  part rule ok 2:1-2:7\n"
        "  part blank ok 3:1-3:1\n"
        "  part content ok 4:1-4:9\n"
        '  field title 1:2-1:3 "T"\n'
        '  field url 1:5-1:24 "https://a.example/x"\n'
        "  field images 4:1-4:1 []\n"
        '  field body 4:1-4:4 "x"\n'
        "  trailing 5:1-5:5\n"
        f"{paths[2]}: unreadable (empty): the file is empty\n"
    )


def test_record_json_gives_whole_values_and_positions(tmp_path, capsys):
    long_title = "长" * 100
    path = tmp_path / "a.md"
    path.write_text(SOUND.replace("[T]", f"[{long_title}]"), encoding="utf-8")
    assert main(["record", "--isolated", "--output-format", "json", str(path)]) == 0
    (record,) = json.loads(capsys.readouterr().out)
    assert record["path"] == str(path) and record["schema"] == "feed-article"
    title = next(f for f in record["fields"] if f["name"] == "title")
    assert title == {
        "name": "title",
        "value": long_title,
        "start": {"line": 2, "column": 2},
        "end": {"line": 2, "column": 102},
    }
    images = next(f for f in record["fields"] if f["name"] == "images")
    assert images["items"] == [
        {
            "name": "images",
            "value": "https://a.example/i.jpg",
            "start": {"line": 5, "column": 29},
            "end": {"line": 5, "column": 64},
        }
    ]
    assert [(p["name"], p["status"]) for p in record["parts"]] == [
        ("timestamp", "ok"),
        ("title", "ok"),
        ("rule", "ok"),
        ("blank", "ok"),
        ("content", "ok"),
    ]


def test_record_shortens_long_values_and_escapes_controls_in_text(tmp_path, capsys):
    path = tmp_path / "a.md"
    title = "\x1b[31m" + "x" * 100
    path.write_text(SOUND.replace("[T]", f"[{title}]"), encoding="utf-8")
    assert main(["record", "--isolated", str(path)]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if "field title" in x)
    # JSON escapes the ESC; 71 characters of the JSON text, then an ellipsis
    assert line == '  field title 2:2-2:107 "\\u001b[31m' + "x" * 60 + "…"


def test_record_yaml_front_matter_fields_sit_at_their_values(tmp_path, capsys):
    path = tmp_path / "2020-07-08-t.md"
    front = '---\ntitle: "T"\ntags: [a, b]\n---\n'
    body = SOUND.replace("\n\n<div><i>", "\n\n<div>\n<div><i>").replace("</p>\n", "</p>\n</div>\n")
    path.write_text(front + body, encoding="utf-8")
    assert main(["record", "--isolated", "--schema", "jekyll-feed-article", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "  part front ok 1:1-4:4" in out
    assert '  field front.title 2:8-2:11 "T"' in out
    assert '  field front.tags 3:7-3:13 ["a", "b"]' in out
    assert '    [1] 3:11-3:12 "b"' in out


def test_record_with_auto_names_the_schema_chosen(tmp_path, capsys):
    path = tmp_path / "a.md"
    dated = "[T](https://a.example/x)\n------\n日期：Sat, 27 Jun 2020 13:30:55 +0000\n\n<p>x</p>\n"
    path.write_text(dated, encoding="utf-8")
    assert main(["record", "--isolated", "--schema", "auto", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{path}: schema feed-article-dated"
    assert '  field date 3:4-3:35 "Sat, 27 Jun 2020 13:30:55 +0000"' in out


def test_record_says_why_a_file_has_no_record_and_a_bad_schema_exits_two(tmp_path, capsys):
    path = tmp_path / "nope.md"
    assert main(["record", "--isolated", str(path)]) == 0
    assert capsys.readouterr().out == (
        f"{path}: unreadable (io-error): No such file or directory\n"
    )
    assert main(["record", "--isolated", "--schema", "nope", str(tmp_path)]) == 2
    assert "no schema file or built-in schema 'nope'" in capsys.readouterr().err
