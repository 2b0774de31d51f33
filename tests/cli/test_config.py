"""Configuration files, rule selection and the run's exit policy, as a user sees them."""

from __future__ import annotations

import json
import tomllib

import pytest

from newscheck.cli import main

from ..helpers import article

NAN = article(1, timestamp="<!--NaN-->")
SPACE = article(2, title="[标题 ](https://a.example/x)")


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "nan.md").write_text(NAN, encoding="utf-8")
    (tmp_path / "corpus" / "space.md").write_text(SPACE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(capsys, *args):
    code = main(["check", "--jobs", "1", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def lines(out):
    return [line.split(" ")[1] for line in out.splitlines() if line.startswith("corpus/")]


def test_pyproject_table_is_found_walking_up(project, capsys):
    (project / "pyproject.toml").write_text(
        '[tool.newscheck]\nignore = ["NC102"]\n', encoding="utf-8"
    )
    code, out, _ = check(capsys, "corpus")
    assert (code, lines(out)) == (0, ["NC207"])


def test_pyproject_without_the_table_is_skipped(project, capsys):
    (project / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    (project.parent / "newscheck.toml").write_text('ignore = ["NC2"]\n', encoding="utf-8")
    try:
        _, out, _ = check(capsys, "corpus")
        assert lines(out) == ["NC102"]
    finally:
        (project.parent / "newscheck.toml").unlink()


def test_dot_newscheck_toml_wins_over_pyproject_in_the_same_folder(project, capsys):
    (project / "pyproject.toml").write_text(
        '[tool.newscheck]\nignore = ["NC102"]\n', encoding="utf-8"
    )
    (project / ".newscheck.toml").write_text('ignore = ["NC207"]\n', encoding="utf-8")
    assert lines(check(capsys, "corpus")[1]) == ["NC102"]


def test_isolated_ignores_config_and_config_names_one(project, capsys):
    (project / "newscheck.toml").write_text('ignore = ["ALL"]\n', encoding="utf-8")
    (project / "other.toml").write_text('select = ["title-whitespace"]\n', encoding="utf-8")
    assert lines(check(capsys, "corpus")[1]) == []
    assert lines(check(capsys, "--isolated", "corpus")[1]) == ["NC102", "NC207"]
    assert lines(check(capsys, "--config", "other.toml", "corpus")[1]) == ["NC207"]


def test_extend_takes_shared_settings_and_overrides_them(project, capsys):
    (project / "shared.toml").write_text(
        'ignore = ["NC102"]\nseverity = {NC207 = "error"}\n', encoding="utf-8"
    )
    (project / "newscheck.toml").write_text(
        'extend = "shared.toml"\nseverity = {NC102 = "info"}\n', encoding="utf-8"
    )
    code, out, _ = check(capsys, "corpus")
    assert code == 1
    assert "NC207 title-whitespace [error]" in out and "NC102" not in out


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--select", "NC1"], ["NC102"]),
        (["--select", "title-whitespace,NC102"], ["NC102", "NC207"]),
        (["--select", "ALL", "--ignore", "NC2"], ["NC102"]),
        (["--ignore", "NC102", "--ignore", "NC207"], []),
        (["--select", "NC1", "--extend-select", "NC207"], ["NC102", "NC207"]),
    ],
)
def test_select_and_ignore_by_code_prefix_name_and_all(project, capsys, args, expected):
    assert lines(check(capsys, *args, "corpus")[1]) == expected


def test_per_file_ignores_by_glob(project, capsys):
    (project / "newscheck.toml").write_text(
        '[per-file-ignores]\n"corpus/nan.md" = ["malformed-timestamp"]\n', encoding="utf-8"
    )
    assert lines(check(capsys, "corpus")[1]) == ["NC207"]


def test_rule_options_and_reference_time_from_config(project, capsys):
    (project / "corpus" / "short.md").write_text(
        article(3, content="<p>韩正周三表示中美双方进行高层对话有助于改善两国关系。</p>"),
        encoding="utf-8",
    )
    (project / "newscheck.toml").write_text(
        'ignore = ["NC102", "NC207"]\nreference-time = "2019-01-01T00:00:00"\n[rules]\nshort-body = {min_chars = 30}\n',
        encoding="utf-8",
    )
    _, out, _ = check(capsys, "corpus")
    assert lines(out) == ["NC103", "NC702", "NC103"]
    assert "in the future" in out


def test_include_and_exclude_globs(project, capsys):
    (project / "corpus" / "x.txt").write_text(NAN, encoding="utf-8")
    (project / "corpus" / "drafts").mkdir()
    (project / "corpus" / "drafts" / "d.md").write_text(NAN, encoding="utf-8")
    (project / "newscheck.toml").write_text(
        'include = ["*.md", "*.txt"]\nexclude = ["drafts", "space.md"]\n', encoding="utf-8"
    )
    _, out, _ = check(capsys, "--show-files", "corpus")
    assert out.splitlines() == ["corpus/nan.md", "corpus/x.txt"]


def test_an_exclude_glob_with_a_slash_matches_the_path_from_the_config_folder(
    project, capsys, monkeypatch
):
    for folder in ("corpus/old", "corpus/new/old"):
        (project / folder).mkdir(parents=True)
        (project / folder / "a.md").write_text(NAN, encoding="utf-8")
    (project / "newscheck.toml").write_text('exclude = ["corpus/old/*.md"]\n', encoding="utf-8")
    assert check(capsys, "--show-files", "corpus")[1].splitlines() == [
        "corpus/nan.md",
        "corpus/space.md",
        "corpus/new/old/a.md",
    ]
    monkeypatch.chdir(project / "corpus")  # the configuration is found above: the same files
    assert check(capsys, "--show-files", ".")[1].splitlines() == [
        "./nan.md",
        "./space.md",
        "./new/old/a.md",
    ]


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('selct = ["NC1"]\n', "newscheck.toml:1:1: unknown key 'selct' (did you mean 'select'?)"),
        ('ignore = ["NC999"]\n', "newscheck.toml:1:1: ignore: unknown rule or code prefix 'NC999'"),
        (
            '[rules]\nshort-body = {min_chars = "x"}\n',
            "newscheck.toml:2:1: rules: rule NC702 short-body: 'x' is not of type 'integer'",
        ),
        (
            "[rules]\nshort-body = {min_char = 3}\n",
            "newscheck.toml:2:1: rules: rule NC702 short-body: Additional properties are not allowed ('min_char' was unexpected)",
        ),
        (
            '[severity]\nNC102 = "loud"\n',
            "newscheck.toml:2:1: severity.NC102: 'loud' is not one of",
        ),
        ("ignore = [\n", "newscheck.toml:2:1: invalid TOML"),
        ('fail-on = "info"\n', "newscheck.toml:1:1: fail-on: 'info' is not one of"),
        ('extend = "missing.toml"\n', "missing.toml is not a configuration file"),
        (
            'reference-time = "tomorrow"\n',
            "reference time 'tomorrow' is neither epoch seconds nor ISO 8601",
        ),
    ],
)
def test_config_errors_name_file_line_and_key_and_exit_two(project, capsys, toml, message):
    (project / "newscheck.toml").write_text(toml, encoding="utf-8")
    code, out, err = check(capsys, "corpus")
    assert code == 2 and out == ""
    assert err.startswith("newscheck: ") and message in err
    assert "Traceback" not in err


def test_show_settings_prints_toml_values_and_their_origin(project, capsys):
    config = project / "newscheck.toml"
    config.write_text(
        'ignore = ["NC102"]\nshow-source = true\n[severity]\n"title-whitespace" = "off"\n'
        '[per-file-ignores]\n"a b/*.md" = ["NC3"]\n',
        encoding="utf-8",
    )
    code, out, _ = check(capsys, "--show-settings", "--select", "NC1,NC2", "corpus")
    assert code == 0
    assert out == (
        'schema = "feed-article"  # default\n'
        "schemas = []  # default\n"
        'include = ["*.md"]  # default\n'
        'exclude = [".git", ".venv", "venv", "node_modules", "build", "dist", "__pycache__", ".*/"]'
        "  # default\n"
        "extend-exclude = []  # default\n"
        "respect-gitignore = true  # default\n"
        "force-exclude = false  # default\n"
        "nested-configs = false  # default\n"
        'select = ["NC1", "NC2"]  # command line\n'
        "extend-select = []  # default\n"
        f'ignore = ["NC102"]  # {config}\n'
        "extend-ignore = []  # default\n"
        f'per-file-ignores = {{ "a b/*.md" = ["NC3"] }}  # {config}\n'
        "extend-per-file-ignores = {}  # default\n"
        f'severity = {{ title-whitespace = "off" }}  # {config}\n'
        "rules = {}  # default\n"
        'output-format = ["text"]  # default\n'
        "# reference-time is not set  # default\n"
        'fail-on = "error"  # default\n'
        f"show-source = true  # {config}\n"
        "statistics = false  # default\n"
        "allow-inline-suppressions = true  # default\n"
        'unsuppressible = ["NC801", "NC802", "NC803", "NC804"]  # default\n'
        "cache = true  # default\n"
        "# cache-dir is not set  # default\n"
        'period = "day"  # default\n'
        "drift-threshold = 0.5  # default\n"
        "drift-window = 3  # default\n"
        "drift-min-files = 5  # default\n"
    )
    values = tomllib.loads(out)  # the comments aside, TOML a configuration file may hold
    assert values["per-file-ignores"] == {"a b/*.md": ["NC3"]}
    assert values["show-source"] is True and "reference-time" not in values


def test_fail_on_warning_and_exit_zero(project, capsys):
    assert check(capsys, "--ignore", "NC102", "corpus")[0] == 0
    assert check(capsys, "--ignore", "NC102", "--fail-on", "warning", "corpus")[0] == 1
    assert check(capsys, "--exit-zero", "corpus")[0] == 0


def test_statistics_adds_a_table_to_the_normal_output(project, capsys):
    _, out, _ = check(capsys, "--statistics", "corpus")
    assert out.splitlines()[-3:] == [
        "1  NC102 malformed-timestamp",
        "1  NC207 title-whitespace",
        "Checked 2 files: 1 error, 1 warning, 0 info (1 with errors).",
    ]
    assert out.startswith("corpus/nan.md:1:1: NC102")


def test_show_source_marks_the_defect_under_wide_characters(project, capsys):
    _, out, _ = check(capsys, "--show-source", "--select", "NC207", "corpus")
    assert out.splitlines()[:3] == [
        "corpus/space.md:2:4: NC207 title-whitespace [warning] expected no whitespace after the title, found some",
        "2 | [标题 ](https://a.example/x)",
        "         ^",
    ]


def test_color_always_never_and_no_color(project, capsys, monkeypatch):
    assert "\x1b[" in check(capsys, "--color", "always", "corpus")[1]
    assert "\x1b[" not in check(capsys, "--color", "never", "corpus")[1]
    assert "\x1b[" not in check(capsys, "corpus")[1]  # captured output is not a terminal
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" in check(capsys, "--color", "always", "corpus")[1]


def test_concise_and_jsonl_formats(project, capsys):
    out = check(capsys, "--output-format", "concise", "corpus")[1]
    assert out.splitlines() == [
        "corpus/nan.md:1:1: NC102 expected '<!--' + 13 digits (epoch milliseconds) + '-->', found '<!--NaN-->'",
        "corpus/space.md:2:4: NC207 expected no whitespace after the title, found some",
    ]
    out = check(capsys, "--output-format", "jsonl", "corpus")[1]
    assert [(e["path"], e["code"], e["line"]) for e in map(json.loads, out.splitlines())] == [
        ("corpus/nan.md", "NC102", 1),
        ("corpus/space.md", "NC207", 2),
    ]


def test_github_format_is_the_default_in_github_actions(project, capsys, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert check(capsys, "corpus")[1].startswith("::error file=corpus/nan.md,line=1")
    assert check(capsys, "--output-format", "text", "corpus")[1].startswith("corpus/nan.md:1:1")


def dated(n, date_div):
    return article(
        n, content=date_div + "<p>中国国家副主席韩正周三表示，中美双方进行高层对话。</p>"
    )


def test_an_extend_option_adds_to_a_default_list_and_a_plain_one_replaces_it(project, capsys):
    # the timestamp is 2020-07-20 17:55:27 UTC: 19:55 in Berlin
    (project / "corpus" / "nan.md").unlink()
    (project / "corpus" / "space.md").unlink()
    (project / "corpus" / "de.md").write_text(
        dated(1, "<div><i>20.07.2020 um 19:55 Uhr</i></div>"), encoding="utf-8"
    )
    (project / "corpus" / "rfi.md").write_text(
        dated(2, "<div>20/07/2020 - 17:30</div>"), encoding="utf-8"
    )
    assert lines(check(capsys, "corpus")[1]) == ["NC503"]  # de.md: a form nobody declared
    german = '{ format = "%d.%m.%Y um %H:%M Uhr", timezone = "Europe/Berlin" }'
    table = "[rules]\nunparseable-date = {{ {key} = [{german}] }}\n"
    table += "timestamp-date-skew = {{ max_skew = 600 }}\n"
    (project / "newscheck.toml").write_text(
        table.format(key="extend-formats", german=german), encoding="utf-8"
    )
    code, out, _ = check(capsys, "corpus")
    # de.md reads in Berlin time (no skew); the built-in RFI form still reads (25 min off)
    assert (code, [line.split(" ")[:2] for line in out.splitlines() if "NC" in line]) == (
        1,
        [["corpus/rfi.md:5:1:", "NC104"]],
    )
    (project / "newscheck.toml").write_text(
        table.format(key="formats", german=german), encoding="utf-8"
    )
    assert lines(check(capsys, "corpus")[1]) == ["NC503"]  # rfi.md: its form was replaced


def test_an_unknown_time_zone_in_the_configuration_exits_two(project, capsys):
    (project / "newscheck.toml").write_text(
        '[rules]\nunparseable-date = { timezone = "Mars/Olympus" }\n', encoding="utf-8"
    )
    code, _, err = check(capsys, "corpus")
    assert code == 2
    assert "unknown time zone 'Mars/Olympus'" in err
