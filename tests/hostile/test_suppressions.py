"""Untrusted content cannot switch off its own checks.

An article's inline suppression cannot silence an unsuppressible rule (by
default the HTML-safety rules NC801-NC804) and is itself reported when it
tries; ``--no-inline-suppressions`` / ``allow-inline-suppressions = false``
ignore them all. A configuration inside a checked folder is not read: the
project's (found from the working directory) or ``--config``'s applies.
"""

from __future__ import annotations

import pytest

from newscheck.cli import main

from ..helpers import CONTENT, article

UNSAFE = CONTENT.replace("</p>", '<a href="javascript:alert(1)">点击</a></p>', 1)
HANDLER = CONTENT.replace("<p>", '<p onclick="steal()">', 1)
SCRIPT = CONTENT.replace("</p>", "<script>alert(1)</script></p>", 1)
SHORT = CONTENT.replace(
    "中国国家副主席韩正周三表示，中美双方进行高层对话有助于改善两国关系。", "短。"
)


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "feed").mkdir()
    return tmp_path


def check(capsys, *args: str, form: str = "concise") -> tuple[int, list[str]]:
    code = main(["check", "--no-cache", "--output-format", form, *args])
    return code, capsys.readouterr().out.splitlines()


def codes(lines: list[str]) -> list[str]:
    return [line.split(": ")[1].split(" ")[0] for line in lines if ": NC" in line]


@pytest.mark.parametrize(
    "comment",
    [
        "<!-- newscheck: disable=ALL -->",
        "<!-- newscheck: disable=NC804 -->",
        "<!-- newscheck: disable=javascript-url -->",
        "<!-- newscheck: disable=NC8 -->",
        "<!-- newscheck: disable=NC80 -->",
        "<!-- newscheck: disable-line=NC804 -->",
        "<!--newscheck:disable=NC1,NC804,NC2-->",
        "<!-- newscheck: disable=NC804 --><!-- newscheck: disable=ALL -->",
    ],
)
def test_a_javascript_link_cannot_be_suppressed_by_its_article(folder, capsys, comment):
    (folder / "feed" / "a.md").write_text(article(content=UNSAFE + comment), encoding="utf-8")
    code, lines = check(capsys, "feed")
    assert code == 1
    assert "NC804" in codes(lines) and "NC011" in codes(lines)
    refused = [line for line in lines if "NC011 expected no suppression" in line]
    assert refused
    for line in refused:
        selector = line.rsplit("found ", 1)[1]
        assert selector in comment and line.endswith(
            "expected no suppression of NC804, which no suppression may silence "
            f"(unsuppressible), found {selector}"
        )


@pytest.mark.parametrize(("content", "code"), [(HANDLER, "NC803"), (SCRIPT, "NC801")])
def test_the_other_html_safety_rules_stay_too(folder, capsys, content, code):
    text = article(content=content + "<!-- newscheck: disable=ALL -->")
    (folder / "feed" / "a.md").write_text(text, encoding="utf-8")
    status, lines = check(capsys, "--fail-on", "warning", "feed")
    assert status == 1 and code in codes(lines) and "NC011" in codes(lines)


def test_other_rules_may_still_be_suppressed(folder, capsys):
    text = article(content=SHORT + "<!-- newscheck: disable=short-body -->")
    (folder / "feed" / "a.md").write_text(text, encoding="utf-8")
    assert check(capsys, "feed", form="text") == (
        0,
        ["Checked 1 file: 0 errors, 0 warnings, 0 info (0 with errors)."],
    )


def test_disable_all_on_a_sound_file_reports_nothing(folder, capsys):
    """ALL names the checks across files too, which run later: never unused."""
    text = article(content=CONTENT + "<!-- newscheck: disable=ALL -->")
    (folder / "feed" / "a.md").write_text(text, encoding="utf-8")
    assert check(capsys, "feed") == (0, [])


@pytest.mark.parametrize("how", ["flag", "config"])
def test_inline_suppressions_can_be_ignored_altogether(folder, capsys, how):
    text = article(content=SHORT + "<!-- newscheck: disable=short-body -->")
    (folder / "feed" / "a.md").write_text(text, encoding="utf-8")
    args = ["feed"]
    if how == "flag":
        args.insert(0, "--no-inline-suppressions")
    else:
        (folder / "newscheck.toml").write_text("allow-inline-suppressions = false\n")
    code, lines = check(capsys, *args)
    assert code == 0
    assert codes(lines) == ["NC702"]  # the comment is not a directive at all: no NC011


def test_unsuppressible_is_configurable(folder, capsys):
    text = article(content=SHORT + "<!-- newscheck: disable=short-body -->")
    (folder / "feed" / "a.md").write_text(text, encoding="utf-8")
    (folder / "newscheck.toml").write_text('unsuppressible = ["NC7"]\n')
    lines = check(capsys, "feed")[1]
    assert codes(lines) == ["NC702", "NC011"]
    assert lines[1].endswith(
        "NC011 expected no suppression of NC702, which no suppression may silence "
        "(unsuppressible), found short-body"
    )


def test_unsuppressible_can_be_emptied(folder, capsys):
    text = article(content=UNSAFE + "<!-- newscheck: disable=NC804 -->")
    (folder / "feed" / "a.md").write_text(text, encoding="utf-8")
    (folder / "newscheck.toml").write_text("unsuppressible = []\n")
    assert check(capsys, "feed")[0] == 0


def test_an_unknown_unsuppressible_rule_stops_the_run(folder, capsys):
    (folder / "newscheck.toml").write_text('unsuppressible = ["NC999"]\n')
    assert main(["check", "feed"]) == 2
    assert capsys.readouterr().err == (
        f"newscheck: {folder}/newscheck.toml:1:1: unsuppressible: unknown rule or code prefix "
        "'NC999'\n"
    )


def test_the_suppression_settings_are_part_of_the_cache_key(folder, capsys, monkeypatch):
    monkeypatch.setenv("NEWSCHECK_CACHE_DIR", str(folder / "cache"))
    text = article(content=UNSAFE + "<!-- newscheck: disable=NC804 -->")
    (folder / "feed" / "a.md").write_text(text, encoding="utf-8")
    assert main(["check", "feed"]) == 1
    (folder / "newscheck.toml").write_text("unsuppressible = []\n")
    assert main(["check", "feed"]) == 0
    assert main(["check", "feed", "--no-inline-suppressions"]) == 1
    capsys.readouterr()


HIDDEN = {
    ".newscheck.toml": 'exclude = ["*.md"]\n',
    "newscheck.toml": 'ignore = ["ALL"]\n',
    "pyproject.toml": '[tool.newscheck]\nselect = ["NC000"]\n',
}


@pytest.mark.parametrize("name", list(HIDDEN))
@pytest.mark.parametrize("project", [None, 'fail-on = "error"\n'])
def test_a_configuration_inside_the_checked_folder_is_not_read(folder, capsys, name, project):
    (folder / "feed" / "a.md").write_text(article(timestamp="<!--NaN-->"), encoding="utf-8")
    (folder / "feed" / name).write_text(HIDDEN[name])
    if project is not None:
        (folder / "newscheck.toml").write_text(project)
    code, lines = check(capsys, "feed", form="text")
    assert (code, codes(lines)) == (1, ["NC102"])
    assert lines[-1] == "Checked 1 file: 1 error, 0 warnings, 0 info (1 with errors)."
    code, lines = check(capsys, "feed/a.md")  # a file named in it: the same
    assert (code, codes(lines)) == (1, ["NC102"])


def test_a_nested_configuration_named_with_config_is_read(folder, capsys):
    (folder / "feed" / "a.md").write_text(article(timestamp="<!--NaN-->"), encoding="utf-8")
    (folder / "feed" / ".newscheck.toml").write_text('exclude = ["*.md"]\n')
    code, lines = check(capsys, "--config", "feed/.newscheck.toml", "feed", form="text")
    assert (code, lines) == (0, ["Checked 0 files: 0 errors, 0 warnings, 0 info (0 with errors)."])


def test_the_project_configuration_is_found_from_a_subfolder(folder, capsys, monkeypatch):
    (folder / "feed" / "a.md").write_text(article(timestamp="<!--NaN-->"), encoding="utf-8")
    (folder / "pyproject.toml").write_text('[tool.newscheck]\nignore = ["NC102"]\n')
    monkeypatch.chdir(folder / "feed")
    assert check(capsys, ".")[0] == 0
