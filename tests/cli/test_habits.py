"""Command-line habits a user expects from a linter: errors in one line with
exit 2, standard input, -V/-q/-v, one name per option, help everywhere."""

from __future__ import annotations

import argparse
import importlib.metadata
import io
import json
import re
import subprocess
import sys

import pytest

from newscheck.cli import COMMANDS, _parser, commands_of, main

from ..helpers import ROOT, article

NAN = article(1, timestamp="<!--NaN-->")
NC102 = (
    "NC102 malformed-timestamp [error] expected '<!--' + 13 digits (epoch milliseconds) + "
    "'-->', found '<!--NaN-->'"
)
SUMMARY = "Checked 1 file: 1 error, 0 warnings, 0 info (1 with errors).\n"


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "nan.md").write_text(NAN, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys, *args):
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("command", ["check", "stats"])
@pytest.mark.parametrize(
    ("option", "selectors", "message"),
    [
        ("--select", "relative-ur", "'relative-ur' (did you mean 'relative-url'?)"),
        ("--ignore", "NC1,NC3O1", "'NC3O1' (did you mean 'NC301'?)"),
        ("--extend-select", "NC999", "'NC999'"),
        ("--select", "no-such-thing", "'no-such-thing'"),
    ],
)
def test_an_unknown_rule_on_the_command_line_is_one_line_and_exit_two(
    project, capsys, command, option, selectors, message
):
    code, out, err = run(capsys, command, "--isolated", option, selectors, "articles")
    assert (code, out) == (2, "")
    assert err == f"newscheck: {option}: unknown rule or code prefix {message}\n"


def test_an_unknown_rule_in_a_configuration_file_says_the_nearest_too(project, capsys):
    (project / "newscheck.toml").write_text('select = ["NC1", "relative-ur"]\n', "utf-8")
    code, out, err = run(capsys, "check", "articles")
    assert (code, out) == (2, "")
    assert err == (
        f"newscheck: {project / 'newscheck.toml'}:1:1: select: unknown rule or code prefix "
        "'relative-ur' (did you mean 'relative-url'?)\n"
    )


def stdin(monkeypatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_dash_checks_standard_input_reported_as_dash(project, capsys, monkeypatch):
    stdin(monkeypatch, NAN.encode())
    assert run(capsys, "check", "--isolated", "-") == (1, f"-:1:1: {NC102}\n{SUMMARY}", "")


def test_stdin_filename_names_it_and_its_per_file_ignores_apply(project, capsys, monkeypatch):
    (project / "newscheck.toml").write_text(
        '[per-file-ignores]\n"articles/*.md" = ["NC102"]\n', "utf-8"
    )
    stdin(monkeypatch, NAN.encode())
    code, out, _ = run(capsys, "check", "-", "--stdin-filename", "articles/new.md")
    assert (code, out) == (0, "Checked 1 file: 0 errors, 0 warnings, 0 info (0 with errors).\n")
    stdin(monkeypatch, NAN.encode())
    code, out, _ = run(capsys, "check", "-", "--stdin-filename", "drafts/new.md")
    assert (code, out) == (1, f"drafts/new.md:1:1: {NC102}\n{SUMMARY}")


def test_stdin_that_is_not_utf8_is_a_diagnostic(project, capsys, monkeypatch):
    stdin(monkeypatch, NAN.encode().replace(b"NaN", b"N\xe9N"))
    code, out, _ = run(capsys, "check", "--isolated", "-", "--output-format", "concise")
    assert code == 1
    assert out.splitlines()[-1] == (
        "-:1:6: NC001 expected UTF-8 text, found bytes that are not UTF-8 "
        "(another encoding such as GBK?)"
    )


def test_stdin_through_a_real_pipe(project):
    done = subprocess.run(
        [sys.executable, "-m", "newscheck", "check", "--isolated", "-", "--stdin-filename", "a.md"],
        input=NAN.encode(),
        capture_output=True,
        cwd=project,
    )
    assert (done.returncode, done.stdout.decode()) == (1, f"a.md:1:1: {NC102}\n{SUMMARY}")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["-", "articles"],
            "'-' (the article on standard input) cannot be checked with other paths",
        ),
        (
            ["--stdin-filename", "a.md", "articles"],
            "--stdin-filename names the article read with the path '-' alone",
        ),
    ],
)
def test_stdin_misuse_is_a_usage_error(project, capsys, args, message):
    assert run(capsys, "check", "--isolated", *args) == (2, "", f"newscheck: {message}\n")


@pytest.mark.parametrize("flag", ["-V", "--version"])
def test_version_flag_prints_the_package_version(flag):
    version = importlib.metadata.version("newscheck")  # the installed distribution's metadata
    done = subprocess.run(
        [sys.executable, "-m", "newscheck", flag], capture_output=True, text=True, cwd=ROOT
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, f"newscheck {version}\n", "")


@pytest.mark.parametrize("form", ["text", "concise"])
def test_quiet_prints_the_summary_alone(project, capsys, form):
    code, out, err = run(capsys, "check", "--isolated", "-q", "--output-format", form, "articles")
    assert (code, out, err) == (1, SUMMARY, "")


def test_quiet_twice_prints_nothing_but_still_fails_and_writes_files(project, capsys):
    code, out, err = run(
        capsys, "check", "--isolated", "-qq", "--output-format", "json:out.json", "articles"
    )
    assert (code, out, err) == (1, "", "")
    written = json.loads((project / "out.json").read_text("utf-8"))
    assert [d["code"] for d in written["files"][0]["diagnostics"]] == ["NC102"]
    assert run(capsys, "check", "--isolated", "--quiet", "--quiet", "articles") == (1, "", "")


def test_quiet_leaves_a_machine_output_whole(project, capsys):
    plain = run(capsys, "check", "--isolated", "--output-format", "jsonl", "articles")
    assert run(capsys, "check", "--isolated", "-q", "--output-format", "jsonl", "articles") == plain


@pytest.mark.parametrize("command", ["check", "stats"])
def test_verbose_tells_stderr_the_files_and_the_time_and_leaves_stdout_alone(
    project, capsys, command
):
    (project / "articles" / "good.md").write_text(article(), encoding="utf-8")
    args = [command, "--isolated", "--no-cache", "--jobs", "1", "articles"]
    code, out, err = run(capsys, *args)
    assert err == ""
    verbose = run(capsys, command, "--verbose", *args[1:])
    assert verbose[:2] == (code, out)
    assert run(capsys, command, "-v", *args[1:])[2].splitlines()[:3] == verbose[2].splitlines()[:3]
    err = verbose[2]
    lines = err.splitlines()
    assert lines[:3] == [
        "newscheck: configuration folder: none (defaults); schema: feed-article (default)",
        "newscheck: checked articles/good.md",
        "newscheck: checked articles/nan.md",
    ]
    assert re.fullmatch(r"newscheck: 2 files in \d+\.\d\d s", lines[3])
    assert len(lines) == 4


def test_output_file_writes_what_standard_output_would_show(project, capsys):
    shown = run(capsys, "check", "--isolated", "--statistics", "articles")
    assert shown == (
        1,
        f"articles/nan.md:1:1: {NC102}\n1  NC102 malformed-timestamp\n{SUMMARY}",
        "",
    )
    code, out, err = run(
        capsys, "check", "--isolated", "--statistics", "-o", "report.txt", "articles"
    )
    assert (code, out, err) == (1, "", "")
    assert (project / "report.txt").read_text("utf-8") == shown[1]
    code, out, err = run(capsys, "check", "--isolated", "--output-file", "no/such/x", "articles")
    assert (code, out) == (2, "")
    assert err == "newscheck: cannot write no/such/x: No such file or directory\n"


def test_stats_output_format_and_its_old_name_agree_and_go_to_a_file(project, capsys):
    args = ["stats", "--isolated", "--jobs", "1", "articles"]
    code, csv, _ = run(capsys, *args, "--output-format", "csv")
    assert code == 0 and csv.startswith("source,period,")
    assert run(capsys, *args, "--format", "csv") == (0, csv, "")
    assert run(capsys, *args, "--output-format", "csv", "-o", "stats.csv") == (0, "", "")
    assert (project / "stats.csv").read_text("utf-8") == csv


@pytest.mark.parametrize("flag", ["-o", "--output-file", "--output"])
def test_report_writes_the_page_named_by_any_name_of_its_output_option(project, capsys, flag):
    code, out, _ = run(capsys, "report", "--isolated", "--jobs", "1", "articles", flag, "r.html")
    assert code == 0
    assert out == "Wrote r.html: 1 files, 1 sources, 0 drift findings.\n"
    assert (project / "r.html").read_text("utf-8").startswith("<!DOCTYPE html>")


def every_parser() -> list[argparse.ArgumentParser]:
    parser = _parser()
    return [parser, *commands_of(parser)]


def test_every_option_of_every_command_has_help_text():
    parsers = every_parser()
    progs = {parser.prog for parser in parsers}  # the walk reaches commands and subcommands
    assert {"newscheck", "newscheck check", "newscheck stats", "newscheck schema show"} <= progs
    without = [
        f"{parser.prog} {' '.join(action.option_strings) or action.dest}"
        for parser in parsers
        for action in parser._actions
        if not action.help
    ]
    assert without == []


@pytest.mark.parametrize(
    "command", [parser.prog.split()[1:] for parser in every_parser()[1:]], ids=" ".join
)
def test_a_usage_error_shows_the_usage_of_its_own_command(capsys, command):
    with pytest.raises(SystemExit) as exited:
        main([*command, "--no-such-option", "x"])
    err = capsys.readouterr().err
    prog = " ".join(["newscheck", *command])
    assert exited.value.code == 2
    assert err.startswith(f"usage: {prog} [-h]")
    assert err.splitlines()[-1].startswith(f"{prog}: error: ")


def test_an_unknown_option_of_check_is_named_under_check_s_usage(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["check", "--no-such-option", "articles"])
    err = capsys.readouterr().err
    assert exited.value.code == 2
    assert err.startswith("usage: newscheck check [-h] [--config CONFIG]")
    assert err.endswith("\nnewscheck check: error: unrecognized arguments: --no-such-option\n")


@pytest.mark.parametrize("command", COMMANDS)
def test_a_command_built_alone_shows_the_help_it_shows_beside_the_others(command):
    def helps(parser: argparse.ArgumentParser) -> dict[str, str]:
        return {p.prog: p.format_help() for p in commands_of(parser)}

    alone, beside = helps(_parser(command)), helps(_parser())
    assert alone and alone == {prog: text for prog, text in beside.items() if prog in alone}
    assert {prog.split()[1] for prog in alone} == {command}


def test_an_unknown_command_is_told_every_command(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["chek", "articles"])
    assert exited.value.code == 2
    assert "invalid choice: 'chek' (choose from " + ", ".join(map(repr, COMMANDS)) + ")" in (
        capsys.readouterr().err
    )
