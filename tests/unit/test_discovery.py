"""File selection as a user sees it (``newscheck check --show-files`` and the
diagnostics): one glob dialect, git's ``.gitignore`` patterns, for
``include``, ``exclude``, ``per-file-ignores`` and the pytest plugin's
``newscheck_files``; the walk leaves out what ``.gitignore`` files and
``.git/info/exclude`` leave out and the default-excluded folders;
``--force-exclude`` leaves out named files too."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import newscheck
from newscheck.cli import main
from newscheck.discovery import Discovery, Globs, glob_folder

from ..helpers import article

NAN = article(1, timestamp="<!--NaN-->")  # NC102 malformed-timestamp, line 1


@pytest.mark.parametrize(
    ("path", "matches"),
    [
        ("corpus/a.md", True),
        ("corpus/dw/2024/a.md", True),
        ("corpus/a.txt", False),
        ("other/corpus/a.md", False),
        ("corpus", False),
    ],
)
def test_two_stars_and_a_slash_span_any_number_of_folders(path: str, matches: bool) -> None:
    assert Globs(("corpus/**/*.md",)).matches(path) is matches


@pytest.mark.parametrize(
    ("glob", "path", "matches"),
    [
        ("*.md", "a.md", True),
        ("*.md", "feed/a.md", True),  # no slash: a name at any depth
        ("/*.md", "feed/a.md", False),  # a leading slash anchors it
        ("feed/*.md", "feed/a.md", True),
        ("feed/*.md", "feed/x/a.md", False),
        ("feed/*.md", "x/feed/a.md", False),  # a slash inside anchors it to the root
        ("feed/?.md", "feed/a.md", True),
        ("feed/?.md", "feed/ab.md", False),
        ("feed/[0-9].md", "feed/7.md", True),
        ("feed/[!0-9].md", "feed/7.md", False),
        ("feed/[!0-9].md", "feed/x.md", True),
        ("feed/a+b.md", "feed/a+b.md", True),
        ("feed/a+b.md", "feed/aab.md", False),
        ("drafts", "feed/drafts/a.md", True),  # a folder's pattern covers what it holds
        ("drafts/", "feed/drafts", False),  # a trailing slash: folders only
        ("drafts/", "feed/drafts/a.md", True),
    ],
)
def test_globs_follow_gitignore(glob: str, path: str, matches: bool) -> None:
    assert Globs((glob,)).matches(path) is matches


def test_the_last_matching_glob_decides_and_a_bang_reincludes() -> None:
    globs = Globs(("*.md", "!keep*.md", "keep-not.md"))
    assert [p for p in ("a.md", "keep.md", "keep-not.md", "x/keep.md") if globs.matches(p)] == [
        "a.md",
        "keep-not.md",
    ]


@pytest.mark.parametrize(
    ("glob", "folder"),
    [
        ("corpus/**/*.md", "corpus"),
        ("corpus/feed/*.md", "corpus/feed"),
        ("data/dw[0-9]/*.md", "data"),
        ("*.md", ""),
        ("a.md", ""),
    ],
)
def test_a_glob_starts_from_the_folder_before_its_first_wildcard(glob: str, folder: str) -> None:
    assert glob_folder(glob) == folder


def write(root: Path, *names: str, text: str = NAN) -> None:
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


def files(capsys, *args: str) -> list[str]:
    code = main(["check", "--show-files", *args])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    return out.splitlines()


@pytest.fixture
def tree(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_default_excluded_folders_are_not_walked(tree, capsys) -> None:
    folders = (".git", ".venv", "venv", "node_modules", "build", "dist", "__pycache__", ".tox")
    write(tree, "a.md", *(f"{f}/x.md" for f in folders), *(f"feed/{f}/y.md" for f in folders))
    write(tree, "builder/b.md", "feed/distant.md", "feed/venv.md")  # names alike, not the same
    assert files(capsys, ".") == ["./a.md", "./builder/b.md", "./feed/distant.md", "./feed/venv.md"]


def test_exclude_replaces_the_defaults_and_extend_exclude_adds_to_them(tree, capsys) -> None:
    write(tree, "build/a.md", "drafts/b.md", "feed/c.md")
    (tree / "newscheck.toml").write_text('exclude = ["drafts"]\n', encoding="utf-8")
    assert files(capsys, ".") == ["./build/a.md", "./feed/c.md"]
    (tree / "newscheck.toml").write_text('extend-exclude = ["drafts"]\n', encoding="utf-8")
    assert files(capsys, ".") == ["./feed/c.md"]
    (tree / "newscheck.toml").unlink()
    assert files(capsys, ".", "--extend-exclude", "feed/*.md") == ["./drafts/b.md"]


def test_extend_keys_add_up_along_an_extend_chain(tree, capsys) -> None:
    write(tree, "a/x.md", "b/x.md", "c/x.md")
    (tree / "base.toml").write_text('extend-exclude = ["a"]\n', encoding="utf-8")
    (tree / "newscheck.toml").write_text(
        'extend = "base.toml"\nextend-exclude = ["b"]\n', encoding="utf-8"
    )
    assert files(capsys, ".") == ["./c/x.md"]


def test_an_anchored_exclude_is_relative_to_the_configuration(tree, capsys) -> None:
    write(tree, "feed/old/a.md", "feed/new/old/b.md", "old/c.md")
    (tree / "newscheck.toml").write_text('extend-exclude = ["feed/old"]\n', encoding="utf-8")
    assert files(capsys, "feed", "old") == ["feed/new/old/b.md", "old/c.md"]


def test_a_folder_named_on_the_command_line_is_walked_even_if_excluded(tree, capsys) -> None:
    write(tree, "build/a.md", "build/node_modules/b.md")
    assert files(capsys, "build") == ["build/a.md"]
    assert files(capsys, "--force-exclude", "build", "build/a.md") == []


def git_tree(tree: Path) -> None:
    (tree / ".git" / "info").mkdir(parents=True)  # a work tree, as git finds one


def test_gitignored_files_are_not_walked(tree, capsys) -> None:
    git_tree(tree)
    write(tree, "feed/a.md", "feed/b.md", "feed/tmp/c.md", "other/d.md", "other/e.md")
    write(tree, ".gitignore", text="tmp/\n# a comment\n/other/d.md\n")
    (tree / ".git" / "info" / "exclude").write_text("e.md\n", encoding="utf-8")
    write(tree, "feed/.gitignore", text="b.md\n")
    assert files(capsys, ".") == ["./feed/a.md"]
    # the .gitignore files above a folder named apply below it
    assert files(capsys, "feed") == ["feed/a.md"]
    assert files(capsys, "--no-respect-gitignore", ".") == [
        "./feed/a.md",
        "./feed/b.md",
        "./feed/tmp/c.md",
        "./other/d.md",
        "./other/e.md",
    ]
    (tree / "newscheck.toml").write_text("respect-gitignore = false\n", encoding="utf-8")
    assert len(files(capsys, ".")) == 5


def test_a_deeper_gitignore_overrides_a_shallower_one(tree, capsys) -> None:
    git_tree(tree)
    write(tree, "feed/a.md", "feed/keep.md", "other/keep.md")
    write(tree, ".gitignore", text="*.md\n")
    write(tree, "feed/.gitignore", text="!keep.md\n")
    assert files(capsys, ".") == ["./feed/keep.md"]


def test_anchored_patterns_above_a_named_folder_apply_below_it(tree, capsys, monkeypatch) -> None:
    git_tree(tree)
    write(tree, *(f"feed/voa/{name}" for name in ("a.md", "drafts/b.md", "c.md", "d.md", "x.md")))
    write(tree, "other/drafts/e.md", "voa/x.md")
    write(tree, ".gitignore", text="/feed/voa/drafts/\n")
    write(tree, "feed/.gitignore", text="/voa/c.md\n")
    (tree / ".git" / "info" / "exclude").write_text("/feed/voa/d.md\n/voa/x.md\n", "utf-8")
    kept = ["feed/voa/a.md", "feed/voa/x.md"]  # /voa/x.md of the exclude file is the top's
    assert files(capsys, ".") == [f"./{name}" for name in (*kept, "other/drafts/e.md")]
    assert files(capsys, "feed") == files(capsys, "feed/voa") == kept
    monkeypatch.chdir(tree / "feed")  # the ignore files are found from the folder, not from here
    assert files(capsys, "voa") == ["voa/a.md", "voa/x.md"]
    assert files(capsys, str(tree / "feed" / "voa")) == [str(tree / name) for name in kept]


def test_an_ignore_file_is_read_as_git_reads_it_and_no_further_than_a_megabyte(
    tree, capsys
) -> None:
    git_tree(tree)
    write(tree, "a.md", "b.md", "c.md", "d.md", "e.md", "z.md")
    lines = [b"a.md", b"\xff\xfe is not UTF-8", b"!", b"[z-a].md", b"b.md", b"\\", b"c.md"]
    ignore = b"\n".join(lines) + b"\n" + b"#" * (1 << 20) + b"\nz.md\n"
    (tree / ".gitignore").write_bytes(ignore)  # lines git would not read are left out
    assert files(capsys, ".") == ["./d.md", "./e.md", "./z.md"]


def test_gitignore_files_mean_nothing_outside_a_git_work_tree(tree, capsys) -> None:
    write(tree, "a.md", "b.md")
    write(tree, ".gitignore", text="b.md\n")
    assert files(capsys, ".") == ["./a.md", "./b.md"]


def test_named_files_are_checked_unless_force_exclude(tree, capsys) -> None:
    git_tree(tree)
    write(tree, "README.md", "feed/a.md", "ignored.md")
    write(tree, ".gitignore", text="ignored.md\n")
    (tree / "newscheck.toml").write_text('extend-exclude = ["README.md"]\n', encoding="utf-8")
    named = ("README.md", "feed/a.md", "ignored.md")
    assert files(capsys, *named) == list(named)
    # ruff's --force-exclude: exclude globs only (a named file is not judged by .gitignore)
    assert files(capsys, "--force-exclude", *named) == ["feed/a.md", "ignored.md"]
    (tree / "newscheck.toml").write_text(
        'extend-exclude = ["README.md"]\nforce-exclude = true\n', encoding="utf-8"
    )
    assert files(capsys, *named) == ["feed/a.md", "ignored.md"]


def check(capsys, *args: str) -> tuple[int, list[str]]:
    """The exit code and the NC1xx diagnostics (path:line:col: code) of a run."""
    code = main(
        [
            "check",
            "--jobs",
            "1",
            "--no-cache",
            "--select",
            "NC1",
            "--output-format",
            "concise",
            *args,
        ]
    )
    out = capsys.readouterr().out
    return code, [
        line.split(" ")[0] + " " + line.split(" ")[1] for line in out.splitlines() if ".md:" in line
    ]


def test_per_file_ignores_with_two_stars_reach_every_subfolder(tree, capsys) -> None:
    write(tree, "articles/a.md", "articles/dw/2024/b.md", "other/articles/c.md")
    (tree / "newscheck.toml").write_text(
        '[per-file-ignores]\n"articles/**" = ["NC102"]\n', encoding="utf-8"
    )
    assert check(capsys, ".") == (1, ["./other/articles/c.md:1:1: NC102"])


def test_negated_and_extended_per_file_ignores(tree, capsys) -> None:
    write(tree, "feed/a.md", "other/b.md")
    (tree / "newscheck.toml").write_text(
        '[per-file-ignores]\n"!feed/" = ["NC102"]\n', encoding="utf-8"
    )
    assert check(capsys, ".") == (1, ["./feed/a.md:1:1: NC102"])
    (tree / "newscheck.toml").write_text(
        '[per-file-ignores]\n"!feed/" = ["NC102"]\n[extend-per-file-ignores]\n"feed/*.md" = ["NC1"]\n',
        encoding="utf-8",
    )
    assert check(capsys, ".") == (0, [])


def test_extend_ignore_adds_to_ignore(tree, capsys) -> None:
    write(tree, "a.md")
    (tree / "newscheck.toml").write_text(
        'ignore = ["NC2"]\nextend-ignore = ["NC102"]\n', encoding="utf-8"
    )
    assert check(capsys, ".") == (0, [])


@pytest.mark.parametrize(
    ("key", "value"),
    [("exclude", "['a\\']"), ("per-file-ignores", "{ 'a\\' = [\"NC102\"] }")],
)
def test_a_glob_that_is_not_one_is_a_configuration_error(tree, capsys, key, value) -> None:
    (tree / "newscheck.toml").write_text(f"{key} = {value}\n", encoding="utf-8")
    code = main(["check", "."])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith(f"newscheck: {tree / 'newscheck.toml'}:1:1: {key}: invalid glob 'a\\\\'")


@pytest.mark.parametrize("key", ["exclude", "per-file-ignores"])
def test_a_character_range_written_backwards_is_a_configuration_error(tree, capsys, key) -> None:
    value = "['[z-a].md']" if key == "exclude" else "{ '[z-a].md' = [\"NC102\"] }"
    (tree / "newscheck.toml").write_text(f"{key} = {value}\n", encoding="utf-8")
    assert main(["check", "."]) == 2
    assert capsys.readouterr().err == (
        f"newscheck: {tree / 'newscheck.toml'}:1:1: {key}: invalid glob '[z-a].md': "
        "Invalid git pattern: bad character range z-a\n"
    )


# The same settings through the API, whose checks run in this process.


def ncodes(path: Path, config: Path) -> list[str]:
    result = newscheck.check_file(path, config=config)
    return [d.code for d in result.diagnostics if d.code.startswith("NC1")]


def test_per_file_ignores_negated_nested_and_adding_up(tree) -> None:
    write(tree, "feed/voa/a.md", "feed/b.md", "other/c.md")
    config = tree / "newscheck.toml"
    config.write_text(
        '[per-file-ignores]\n"!feed/" = ["NC102"]\n"feed/voa/*.md" = ["NC102"]\n'
        '"other/*.md" = ["NC2"]\n',
        encoding="utf-8",
    )
    assert ncodes(tree / "feed" / "b.md", config) == ["NC102"]  # no pattern takes it
    assert ncodes(tree / "feed" / "voa" / "a.md", config) == []  # a nested path
    assert ncodes(tree / "other" / "c.md", config) == []  # the negated one, beside another


def test_an_include_glob_with_folders_holds_below_a_folder_named(tree) -> None:
    write(tree, "feed/voa/a.md", "feed/voa/b.txt", "feed/c.txt", "other/d.txt")
    config = tree / "newscheck.toml"
    config.write_text('include = ["feed/**/*.txt"]\n', encoding="utf-8")
    walked = newscheck.check_paths([tree / "feed" / "voa", tree / "other"], config=config, jobs=1)
    assert [r.path for r in walked] == [str(tree / "feed" / "voa" / "b.txt")]


def test_a_link_to_a_folder_is_not_walked(tree) -> None:
    write(tree, "feed/a.md", "elsewhere/secret.md")
    (tree / "feed" / "more").symlink_to(tree / "elsewhere", target_is_directory=True)
    walked = newscheck.check_paths([tree / "feed"], jobs=1)
    assert [r.path for r in walked] == [str(tree / "feed" / "a.md")]


def test_the_plugin_wants_the_files_a_walk_of_the_root_finds(tmp_path) -> None:
    """The pytest plugin asks, file by file, what a walk from the root would find."""
    write(tmp_path, "a.md", "b.txt", "feed/c.md", "feed/voa/d.md", "feed/voa/e.txt")
    write(tmp_path, "drafts/f.md", "feed/drafts/g.md", "build/h.md", "feed/old/i.md", "j.md.bak")
    found = {"include": ("*.md", "feed/voa/*.txt"), "exclude": ("drafts/", "build", "/feed/old")}
    discovery = Discovery(root=str(tmp_path), **found)
    walked = sorted(discovery.discover([str(tmp_path)]))
    every = sorted(str(p) for p in tmp_path.rglob("*") if p.is_file())
    assert [p for p in every if discovery.wants(p)] == walked
    assert [os.path.relpath(p, tmp_path) for p in walked] == [
        "a.md",
        "feed/c.md",
        "feed/voa/d.md",
        "feed/voa/e.txt",
    ]


def test_a_schema_takes_its_files_by_their_place_below_the_configuration(tree, monkeypatch) -> None:
    write(tree, "archive/a.md", "notes/b.md")
    config = tree / "newscheck.toml"
    config.write_text(
        'schema = "auto"\n[[schemas]]\nschema = "feed-article-dated"\nfiles = ["archive/*.md"]\n'
        '[[schemas]]\nschema = "feed-article"\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(
        tree / "notes"
    )  # the globs are the configuration's, wherever the check runs from
    chosen = [
        newscheck.check_file(tree / n, config=config).schema for n in ("archive/a.md", "notes/b.md")
    ]
    assert chosen == ["feed-article-dated", "feed-article"]
