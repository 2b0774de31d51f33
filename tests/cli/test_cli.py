"""The command line as a user runs it: output bytes and exit codes."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from newscheck.cli import main

from ..helpers import CONTENT, ROOT, article


def run(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "newscheck", *args], capture_output=True, text=True, cwd=cwd or ROOT
    )


@pytest.fixture
def tree(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "good.md").write_text(article(), encoding="utf-8")
    (tmp_path / "a" / "bad.md").write_text(article(1, timestamp="<!--NaN-->"), encoding="utf-8")
    (tmp_path / "a" / "warn.md").write_text(
        article(2, title="[标题 ](https://a.example/x)"), encoding="utf-8"
    )
    (tmp_path / "a" / "notes.txt").write_text("not an article", encoding="utf-8")
    (tmp_path / "a" / ".hidden").mkdir()
    (tmp_path / "a" / ".hidden" / "x.md").write_text("", encoding="utf-8")
    return tmp_path


def test_discovery_walks_folders_in_sorted_order_without_following_links(tmp_path, capsys):
    for folder in ("b", "a/z", "a/c", "a/.git", "outside"):
        (tmp_path / folder).mkdir(parents=True)
    for file in ("b/2.md", "b/10.md", "a/z/x.md", "a/c/y.md", "a/top.md", "a/.git/no.md"):
        (tmp_path / file).write_text(article(), encoding="utf-8")
    (tmp_path / "outside" / "far.md").write_text(article(), encoding="utf-8")
    (tmp_path / "a" / "linked").symlink_to(tmp_path / "outside", target_is_directory=True)
    (tmp_path / "a" / "link.md").symlink_to(tmp_path / "b" / "2.md")
    assert main(["check", "--show-files", str(tmp_path / "a"), str(tmp_path / "b")]) == 0
    shown = [
        Path(line).relative_to(tmp_path).as_posix() for line in capsys.readouterr().out.split()
    ]
    assert shown == ["a/top.md", "a/c/y.md", "a/z/x.md", "b/10.md", "b/2.md"]  # no link


def test_text_output_and_exit_code_one_on_errors(tree, capsys):
    assert main(["check", str(tree / "a"), "--jobs", "1"]) == 1
    out = capsys.readouterr().out
    bad, warn = str(tree / "a" / "bad.md"), str(tree / "a" / "warn.md")
    assert out == (
        f"{bad}:1:1: NC102 malformed-timestamp [error] expected '<!--' + 13 digits "
        "(epoch milliseconds) + '-->', found '<!--NaN-->'\n"
        f"{warn}:2:4: NC207 title-whitespace [warning] expected no whitespace after the title, found some\n"
        "Checked 3 files: 1 error, 1 warning, 0 info (1 with errors).\n"
    )


def test_warnings_alone_exit_zero(tree, capsys):
    assert main(["check", str(tree / "a" / "warn.md"), str(tree / "a" / "good.md")]) == 0
    assert "Checked 2 files: 0 errors, 1 warning" in capsys.readouterr().out


def test_named_files_of_any_extension_are_checked(tree, capsys):
    assert main(["check", str(tree / "a" / "notes.txt")]) == 1
    assert "NC101 missing-timestamp" in capsys.readouterr().out


def test_json_output_lists_every_file(tree, capsys):
    assert main(["check", "--output-format", "json", str(tree / "a")]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["version"] == 1
    assert [f["path"] for f in report["files"]] == [
        str(tree / "a" / n) for n in ("bad.md", "good.md", "warn.md")
    ]
    assert report["files"][1]["diagnostics"] == []
    assert report["files"][0]["diagnostics"] == [
        {
            "code": "NC102",
            "rule": "malformed-timestamp",
            "severity": "error",
            "message": "expected '<!--' + 13 digits (epoch milliseconds) + '-->', found '<!--NaN-->'",
            "line": 1,
            "column": 1,
            "end_line": 1,
            "end_column": 11,
        }
    ]
    assert report["summary"] == {
        "files": 3,
        "files_with_errors": 1,
        "errors": 1,
        "warnings": 1,
        "info": 0,
    }


def test_paths_are_reported_as_given(tree):
    result = run("check", "a/bad.md", cwd=tree)
    assert result.stdout.startswith("a/bad.md:1:1: NC102")
    assert result.returncode == 1


def test_python_dash_m_and_the_console_script_agree(tree):
    script = Path(sys.executable).parent / "newscheck"
    module = run("check", str(tree / "a"))
    console = subprocess.run(
        [str(script), "check", str(tree / "a")], capture_output=True, text=True
    )
    assert module.returncode == console.returncode == 1
    assert module.stdout == console.stdout


def test_jobs_two_gives_the_same_bytes_as_jobs_one(tree, capsys):
    for index in range(40):
        (tree / "a" / f"n{index:02}.md").write_text(
            article(timestamp=f"<!--{index}-->"), encoding="utf-8"
        )
    main(["check", "--output-format", "json", "--jobs", "1", str(tree / "a")])
    one = capsys.readouterr().out
    main(["check", "--output-format", "json", "--jobs", "2", str(tree / "a")])
    assert capsys.readouterr().out == one


@pytest.fixture
def groups(tmp_path, monkeypatch):
    """More files than three worker tasks hold (runner.GROUP is 64): every
    defective sample, five times over, so the copies are also duplicates of
    each other across folders (NC951-NC953)."""
    samples = sorted((ROOT / "samples" / "defective").glob("*.md"))
    for copy in range(5):
        (tmp_path / f"g{copy}").mkdir()
        for sample in samples:
            (tmp_path / f"g{copy}" / sample.name).write_bytes(sample.read_bytes())
    assert 5 * len(samples) > 3 * 64
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("form", ["json", "text"])
@pytest.mark.parametrize("across", [[], ["--ignore", "NC95"]], ids=["across-files", "per-file"])
def test_jobs_two_gives_the_same_bytes_as_jobs_one_over_several_worker_tasks(
    groups, capsys, form, across
):
    def run(jobs):
        args = ["check", "--no-cache", "--output-format", form, "--jobs", jobs, *across, "."]
        return main(args), capsys.readouterr().out

    one = run("1")
    assert one[0] == 1
    assert ("NC951" in one[1]) == (not across)
    if form == "json":
        listed = [entry["path"] for entry in json.loads(one[1])["files"]]
        assert len(listed) == len(set(listed)) == len(list(groups.glob("g*/*.md")))
    else:
        listed = [line.split(":")[0] for line in one[1].splitlines()[:-1]]
    assert listed == sorted(listed)  # the order files were found in
    assert run("2") == one


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["check", "--schema", "no-such-schema", "."],
            "no schema file or built-in schema 'no-such-schema'",
        ),
        (["check", "--output-format", "xml", "."], "unknown output format 'xml'"),
        (["check", "--jobs", "0", "."], "--jobs must be at least 1"),
        (["stats", "--jobs", "0", "."], "--jobs must be at least 1"),
        (["report", "-j", "0", "."], "--jobs must be at least 1"),
        (
            ["stats", "--schema", "no-such-schema", "."],
            "no schema file or built-in schema 'no-such-schema'",
        ),
        (
            ["schema", "show", "no-such-schema"],
            "no schema file or built-in schema 'no-such-schema'",
        ),
        (["rule", "NC999"], "unknown rule 'NC999'"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
    ],
)
def test_usage_errors_exit_two(args, message):
    result = run(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "command",
    [
        "check",
        "clean",
        "rule",
        "schema",
        "schema check",
        "schema show",
        "schema infer",
        "record",
        "stats",
        "report",
    ],
)
def test_every_command_prints_its_own_help(command, capsys):
    with pytest.raises(SystemExit) as exited:
        main([*command.split(), "--help"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: newscheck {command} [-h]")


def test_the_help_lists_every_command(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    assert "{check,clean,rule,schema,record,stats,report}" in capsys.readouterr().out


def test_broken_schema_exits_two_with_its_position(tmp_path):
    schema = tmp_path / "broken.yaml"
    schema.write_text(
        "extends: feed-article\nrules:\n  short-body: {min_chars: lots}\n", encoding="utf-8"
    )
    (tmp_path / "x.md").write_text(article(), encoding="utf-8")
    result = run("check", "--schema", str(schema), str(tmp_path / "x.md"))
    assert result.returncode == 2
    assert result.stderr == (
        f"newscheck: {schema}:3:27: rule NC702 short-body: 'lots' is not of type 'integer'\n"
    )
    assert result.stdout == ""


def test_a_missing_path_is_a_diagnostic_not_a_crash(tmp_path, capsys):
    assert main(["check", str(tmp_path / "gone.md")]) == 1
    assert (
        f"{tmp_path / 'gone.md'}:1:1: NC010 unreadable-file [error] cannot read the file: No such file"
        in (capsys.readouterr().out)
    )


def test_internal_error_exits_two(tree, capsys, monkeypatch):
    from newscheck.registry import REGISTRY

    def boom(article, options):
        raise RuntimeError("boom")

    rule = REGISTRY["NC207"]
    monkeypatch.setitem(REGISTRY, "NC207", type(rule)(**{**rule.__dict__, "check": boom}))
    assert main(["check", "--no-cache", str(tree / "a" / "good.md")]) == 2
    assert (
        "NC000 internal-error [error] rule NC207 title-whitespace failed: RuntimeError: boom"
        in (capsys.readouterr().out)
    )


def test_rule_prints_its_documentation(capsys):
    assert main(["rule", "NC102"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("NC102 malformed-timestamp\n\nDefault severity: error\n\n")
    assert "\nFail:\n\n    <!--NaN-->\n" in out and "\nPass:\n" in out
    assert "::" not in out and "``" not in out  # plain text, not reST
    assert main(["rule", "short-body"]) == 0
    assert "Options (with their defaults):\n  min_chars = 20\n" in capsys.readouterr().out


def test_rule_lists_a_list_option_s_defaults_in_full(capsys):
    assert main(["rule", "NC501"]) == 0
    out = capsys.readouterr().out
    assert (
        "Options (with their defaults):\n"
        "  formats:\n"
        '    - {"format": "%a, %d %b %Y %H:%M:%S GMT", "utc_offset": "+00:00"}\n'
        '    - {"format": "%d/%m/%Y - %H:%M"}\n'
        "  order = null\n"
        "  timezone = null\n"
    ) in out
    assert "[...]" not in out and "``" not in out and "Fail::" not in out
    assert "formats: strptime-like formats" in out  # ``formats`` without its backticks


def test_rule_all_documents_every_rule(capsys):
    from newscheck import all_rules
    from newscheck.docs import plain_docstring

    assert main(["rule", "--all"]) == 0
    out = capsys.readouterr().out
    for rule in all_rules():
        assert f"{rule.code} {rule.name}\n" in out
        assert plain_docstring(rule.summary) in out


def test_a_file_named_twice_or_inside_a_named_folder_is_checked_once(tree, capsys):
    bad = str(tree / "a" / "bad.md")
    assert main(["check", "--output-format", "concise", bad, bad, str(tree / "a")]) == 1
    assert capsys.readouterr().out.count("bad.md:1:1: NC102") == 1


@pytest.fixture
def two(tmp_path, monkeypatch):
    """t/a.md: NC207 and two NC805 on a long line of wide characters; t/b.md: NC102, NC502."""
    (tmp_path / "t").mkdir()
    links = '<p><a href="/x">a</a><a href="/y">b</a></p>'
    (tmp_path / "t" / "a.md").write_text(
        article(4, title="[标题 ](https://a.example/x)", content=CONTENT + links), "utf-8"
    )
    body = "<p>中国国家副主席韩正周三表示，中美双方进行高层对话有助于改善两国关系。</p>"
    (tmp_path / "t" / "b.md").write_text(
        article(5, timestamp="<!--NaN-->", content="<div></div>" + body), "utf-8"
    )
    monkeypatch.chdir(tmp_path)


def shown(capsys, *args):
    code = main(["check", "--isolated", "--no-cache", "--jobs", "1", *args, "t"])
    return code, capsys.readouterr().out


NC207 = "NC207 title-whitespace [warning] expected no whitespace after the title, found some"
NC805 = "NC805 relative-link [warning] expected an absolute address in href, found relative"
NC102 = (
    "NC102 malformed-timestamp [error] expected '<!--' + 13 digits (epoch milliseconds) + "
    "'-->', found '<!--NaN-->'"
)
NC502 = "NC502 empty-date [info] expected a date in the date div, found it empty"
TWO = "Checked 2 files: 1 error, 3 warnings, 1 info (1 with errors).\n"


def test_color_always_paints_place_code_and_severity(two, capsys):
    bold, end = "\x1b[1m", "\x1b[0m"
    assert shown(capsys, "--color", "always") == (
        1,
        f"{bold}t/a.md:2:4:{end} \x1b[1;33mNC207{end} title-whitespace \x1b[33m[warning]{end} "
        "expected no whitespace after the title, found some\n"
        f"{bold}t/a.md:5:225:{end} \x1b[1;33mNC805{end} relative-link \x1b[33m[warning]{end} "
        "expected an absolute address in href, found relative '/x'\n"
        f"{bold}t/a.md:5:243:{end} \x1b[1;33mNC805{end} relative-link \x1b[33m[warning]{end} "
        "expected an absolute address in href, found relative '/y'\n"
        f"{bold}t/b.md:1:1:{end} \x1b[1;31mNC102{end} malformed-timestamp \x1b[31m[error]{end} "
        "expected '<!--' + 13 digits (epoch milliseconds) + '-->', found '<!--NaN-->'\n"
        f"{bold}t/b.md:5:1:{end} \x1b[1;36mNC502{end} empty-date \x1b[36m[info]{end} "
        "expected a date in the date div, found it empty\n" + TWO,
    )


def test_show_source_marks_the_span_under_wide_characters(two, capsys):
    # The carets sit under '<a href="/x">' as a terminal shows it: each CJK
    # character two columns wide, '…' (where the excerpt starts mid-line) one.
    wide = "国国家副主席韩正周三表示，中美双方进行高层对话有助于改善两国关系。"
    assert shown(capsys, "--show-source") == (
        1,
        f"t/a.md:2:4: {NC207}\n"
        "2 | [标题 ](https://a.example/x)\n"
        + " " * 9
        + "^\n"
        + f"t/a.md:5:225: {NC805} '/x'\n"
        + f'5 | …{wide}</p><p><a href="/x">a</a><a href="/y">b</a></p>\n'
        + " " * 78
        + "^" * 13
        + "\n"
        + f"t/a.md:5:243: {NC805} '/y'\n"
        + f'5 | …{wide[18:]}</p><p><a href="/x">a</a><a href="/y">b</a></p>\n'
        + " " * 60
        + "^" * 13
        + "\n"
        + f"t/b.md:1:1: {NC102}\n"
        + "1 | <!--NaN-->\n"
        + "    "
        + "^" * 10
        + "\n"
        + f"t/b.md:5:1: {NC502}\n"
        + f"5 | <div></div><p>中{wide}</p>\n"
        + "    ^^^^^\n"
        + TWO,
    )


def test_statistics_count_each_rule_most_frequent_first(two, capsys):
    code, out = shown(capsys, "--statistics")
    assert code == 1
    assert out.splitlines()[5:] == [
        "2  NC805 relative-link",
        "1  NC102 malformed-timestamp",
        "1  NC207 title-whitespace",
        "1  NC502 empty-date",
        TWO.strip(),
    ]


def test_the_summary_counts_the_schemas_auto_chose(two, capsys):
    jekyll = ROOT / "docs" / "examples" / "jekyll" / "2024-03-05-tram-airport.md"
    (Path("t") / jekyll.name).write_bytes(jekyll.read_bytes())
    code, out = shown(capsys, "--schema", "auto")
    assert (code, out.splitlines()[-2:]) == (
        1,
        [
            "Checked 3 files: 1 error, 3 warnings, 1 info (1 with errors).",
            "Schemas chosen by --schema auto: feed-article 2, jekyll-feed-article 1.",
        ],
    )


def test_the_pytest_plugins_snapshots_are_not_walked(tmp_path, monkeypatch, capsys):
    files = {
        "corpus/a.md": article(),
        "tests/test_render.py": "",
        "tests/snapshots/test_render/voa-item.md": article(),  # a.md's URL again
        "tests/snapshots/notes/b.md": article(1),  # no module notes.py: not a snapshot folder
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--no-cache", "--show-files"]) == 0
    assert capsys.readouterr().out.split() == ["./corpus/a.md", "./tests/snapshots/notes/b.md"]
    assert main(["check", "--no-cache"]) == 0  # and no duplicate URL across them
    assert "NC951" not in capsys.readouterr().out
    named = ["check", "--no-cache", "--show-files", "tests/snapshots/test_render"]
    assert main(named) == 0  # named, they are checked
    assert capsys.readouterr().out.split() == ["tests/snapshots/test_render/voa-item.md"]


def test_the_command_exits_at_once_yet_every_byte_of_a_long_output_arrives(tmp_path):
    for n in range(300):  # ~60 KB of JSON: more than one pipe's and one stdout buffer's worth
        text = article(n % 100, timestamp="<!--NaN-->" if n % 3 == 0 else None)
        (tmp_path / f"{n:03}.md").write_text(text, encoding="utf-8")
    args = ["check", "--isolated", "--output-format", "json", "--cache-dir", str(tmp_path / "c")]
    shown = run(*args, str(tmp_path))
    results = json.loads(shown.stdout)["files"]
    assert (shown.returncode, len(results)) == (1, 300)
    assert sum(any(d["code"] == "NC102" for d in r["diagnostics"]) for r in results) == 100
    written = run(*args, "--output-file", str(tmp_path / "out.json"), str(tmp_path))
    assert written.returncode == 1
    assert json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["files"] == results
    with contextlib.closing(sqlite3.connect(tmp_path / "c" / "results-v6.sqlite3")) as cache:
        stored = [
            cache.execute(f"SELECT count(*) FROM {t}").fetchone() for t in ("files", "results")
        ]
    assert stored == [(300,), (200,)]  # every file, and each of the 200 contents: all committed


def test_a_reader_that_goes_away_ends_the_command_quietly_with_exit_code_2(tmp_path):
    for n in range(400):
        (tmp_path / f"{n:03}.md").write_text(article(n % 100, timestamp="<!--NaN-->"), "utf-8")
    command = [
        sys.executable,
        "-m",
        "newscheck",
        "check",
        "--isolated",
        "--no-cache",
        str(tmp_path),
    ]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout.readline().startswith(str(tmp_path).encode())
        process.stdout.close()  # as `| head -1` does
        error = process.stderr.read()
    assert (process.returncode, error) == (2, b"")


def test_main_leaves_the_callers_garbage_collector_as_it_found_it(tree, capsys):
    import gc

    for enabled in (True, False):
        (gc.enable if enabled else gc.disable)()
        try:
            assert main(["check", "--isolated", "--no-cache", str(tree / "a" / "good.md")]) == 0
            assert gc.isenabled() is enabled
        finally:
            gc.enable()


def test_under_a_profiler_the_command_exits_as_usual_so_the_profile_is_written(tree):
    profile = tree / "check.prof"
    command = ["-m", "cProfile", "-o", str(profile), "-m", "newscheck", "check", "--isolated"]
    done = subprocess.run(
        [sys.executable, *command, "--no-cache", str(tree / "a" / "bad.md")],
        capture_output=True,
        text=True,
    )
    assert "NC102" in done.stdout  # (cProfile exits 0 whatever the program's exit code)
    assert profile.stat().st_size > 0
