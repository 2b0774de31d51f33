"""Which configuration checks which path: the project's (the nearest one at
or above the working directory) for every path named, whatever folder a
path is in; configurations nested in checked folders only when the project
says ``nested-configs = true``, each then for the files below its folder."""

from __future__ import annotations

import pytest

from newscheck.cli import main

from ..helpers import article

_numbers = iter(range(100))  # each file its own article: no NC951 duplicates


def nan() -> str:
    return article(next(_numbers), timestamp="<!--NaN-->")  # NC102 malformed-timestamp (error)


def space() -> str:
    n = next(_numbers)
    return article(n, title=f"[标题 ](https://a.example/{n})")  # NC207 (warning)


def check(capsys, *args: str) -> tuple[int, list[str]]:
    """The exit code and each diagnostic as 'path code'."""
    code = main(["check", "--jobs", "1", "--no-cache", "--output-format", "concise", *args])
    out = capsys.readouterr().out
    found = [
        line.split(": ")[0].rsplit(":", 2)[0] + " " + line.split(": ")[1].split(" ")[0]
        for line in out.splitlines()
        if ": NC" in line
    ]
    return code, found


@pytest.fixture
def projects(tmp_path, monkeypatch):
    """Two projects side by side; the working directory is the first."""
    for name, ignore in (("one", "NC207"), ("two", "NC102")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "newscheck.toml").write_text(f'ignore = ["{ignore}"]\n')
        (tmp_path / name / "a.md").write_text(nan(), encoding="utf-8")
        (tmp_path / name / "b.md").write_text(space(), encoding="utf-8")
    monkeypatch.chdir(tmp_path / "one")
    return tmp_path


@pytest.mark.parametrize("order", [("a.md", "../two/b.md"), ("../two/b.md", "a.md")])
def test_a_second_path_does_not_take_another_projects_settings(projects, capsys, order):
    # the working directory's configuration ignores NC207, the other project's NC102
    code, found = check(capsys, *order, "../two/a.md")
    assert code == 1
    assert sorted(found) == ["../two/a.md NC102", "a.md NC102"]


def test_every_path_takes_the_configuration_of_the_working_directory(projects, capsys, monkeypatch):
    monkeypatch.chdir(projects)  # no configuration here or above: the defaults for both
    code, found = check(capsys, "one/b.md", "two/b.md")
    assert (code, sorted(found)) == (0, ["one/b.md NC207", "two/b.md NC207"])


@pytest.fixture
def nested(tmp_path, monkeypatch):
    """A project whose folder 'sub' holds a configuration of its own."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "newscheck.toml").write_text('ignore = ["NC207"]\n')
    for folder in ("", "sub/", "sub/deep/"):
        (tmp_path / folder).mkdir(exist_ok=True)
        (tmp_path / f"{folder}a.md").write_text(nan(), encoding="utf-8")
        (tmp_path / f"{folder}b.md").write_text(space(), encoding="utf-8")
    (tmp_path / "sub" / "newscheck.toml").write_text('ignore = ["NC102"]\n')
    return tmp_path


def test_a_nested_configuration_is_not_read_by_default(nested, capsys):
    code, found = check(capsys, ".")
    assert (code, found) == (1, ["./a.md NC102", "./sub/a.md NC102", "./sub/deep/a.md NC102"])
    assert check(capsys, "sub/deep/a.md") == (1, ["sub/deep/a.md NC102"])


def test_nested_configs_apply_each_to_the_files_below_it(nested, capsys):
    (nested / "newscheck.toml").write_text('ignore = ["NC207"]\nnested-configs = true\n')
    code, found = check(capsys, ".")
    assert (code, found) == (1, ["./a.md NC102", "./sub/b.md NC207", "./sub/deep/b.md NC207"])
    # a file or folder named below it: the nearest configuration decides
    assert check(capsys, "sub/deep/b.md", "a.md") == (1, ["a.md NC102", "sub/deep/b.md NC207"])
    assert check(capsys, "sub/deep") == (0, ["sub/deep/b.md NC207"])
    code = main(["check", "--show-files", "."])
    assert capsys.readouterr().out.splitlines() == [
        "./a.md",
        "./b.md",
        "./sub/a.md",
        "./sub/b.md",
        "./sub/deep/a.md",
        "./sub/deep/b.md",
    ]


def test_the_deepest_nested_configuration_wins_and_the_command_line_applies_to_all(nested, capsys):
    (nested / "newscheck.toml").write_text('ignore = ["NC207"]\nnested-configs = true\n')
    (nested / "sub" / "deep" / "newscheck.toml").write_text('ignore = ["NC1", "NC2"]\n')
    code, found = check(capsys, ".")
    assert (code, found) == (1, ["./a.md NC102", "./sub/b.md NC207"])
    # the command line's --ignore replaces each configuration's ignore
    assert check(capsys, ".", "--ignore", "NC2") == (
        1,
        ["./a.md NC102", "./sub/a.md NC102", "./sub/deep/a.md NC102"],
    )


def test_a_broken_nested_configuration_is_a_usage_error(nested, capsys):
    (nested / "newscheck.toml").write_text("nested-configs = true\n")
    (nested / "sub" / "newscheck.toml").write_text("ignore = 1\n")
    assert main(["check", "."]) == 2
    assert capsys.readouterr().err == (
        f"newscheck: {nested / 'sub' / 'newscheck.toml'}:1:1: ignore: 1 is not of type 'array'\n"
    )
