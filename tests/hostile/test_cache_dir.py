"""The cache folder: newscheck writes and deletes only what it created.

``newscheck clean`` once deleted any folder that held a ``.gitignore``; a
``cache-dir`` in a checked tree's configuration could point anywhere. Each
way of aiming the cache, or ``clean``, at what is not newscheck's is here.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from newscheck.cli import main

from ..helpers import article

TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This folder is newscheck's result cache; `newscheck clean` removes it.\n"
)


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A project: a .git folder, a .gitignore, articles; cwd = its root."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEWSCHECK_CACHE_DIR")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (tmp_path / ".gitignore").write_text("*.pyc\n")
    (tmp_path / "feed").mkdir()
    for index in range(3):
        (tmp_path / "feed" / f"{index}.md").write_text(article(index), encoding="utf-8")
    return tmp_path


def tree(root: Path) -> list[str]:
    """Every path below ``root`` (links not followed)."""
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


def clean(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["clean", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def check(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["check", "--output-format", "concise", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_clean_at_a_repository_root_is_refused(repo, capsys):
    before = tree(repo)
    assert clean(capsys, "--cache-dir", ".") == (
        2,
        "",
        "newscheck: . is not a newscheck cache: it is not a folder newscheck created "
        "(no CACHEDIR.TAG written by newscheck in it); nothing was removed\n",
    )
    assert tree(repo) == before


@pytest.mark.parametrize("gitignore", ["*\n", "# created by newscheck\n*\nmore\n"])
def test_a_folder_holding_a_gitignore_only_is_not_a_cache(repo, capsys, gitignore):
    (repo / "other").mkdir()
    (repo / "other" / ".gitignore").write_text(gitignore)
    code, _, err = clean(capsys, "--cache-dir", "other")
    assert code == 2 and "other is not a newscheck cache" in err
    assert (repo / "other" / ".gitignore").read_text() == gitignore


def test_a_cache_of_an_older_newscheck_marked_by_its_gitignore_is_cleaned(repo, capsys):
    (repo / "old").mkdir()
    (repo / "old" / ".gitignore").write_text("# created by newscheck\n*\n")
    (repo / "old" / "results-v3.sqlite3").write_bytes(b"SQLite format 3\0")
    assert clean(capsys, "--cache-dir", "old") == (0, "Removed old.\n", "")
    assert not (repo / "old").exists()


@pytest.mark.parametrize("value", ["..", "../elsewhere", ".", "/tmp/newscheck-cache", "out/c"])
def test_a_configuration_cache_dir_outside_its_folder_is_refused(
    repo, capsys, value, tmp_path_factory
):
    outside = tmp_path_factory.mktemp("outside")
    (repo / "feed" / "out").symlink_to(outside)  # a link below the folder, to elsewhere
    (repo / "feed" / "pyproject.toml").write_text(f'[tool.newscheck]\ncache-dir = "{value}"\n')
    before = tree(repo)
    for run in (clean, check):
        code, out, err = run(capsys, "--config", "feed/pyproject.toml")
        assert (code, out) == (2, "")
        assert err == (
            f"newscheck: feed/pyproject.toml:2:1: cache-dir: {value!r} is not a folder "
            "below this configuration's folder feed (name another one with --cache-dir "
            "or $NEWSCHECK_CACHE_DIR)\n"
        )
    assert tree(repo) == before and not list(outside.iterdir())


def test_a_configuration_cache_dir_below_its_folder_is_used_and_cleaned(repo, capsys):
    (repo / "pyproject.toml").write_text('[tool.newscheck]\ncache-dir = "build/cache"\n')
    assert check(capsys, "feed")[0] == 0
    assert sorted(os.listdir(repo / "build" / "cache")) == [
        ".gitignore",
        "CACHEDIR.TAG",
        "results-v6.sqlite3",
    ]
    assert (repo / "build" / "cache" / "CACHEDIR.TAG").read_text() == TAG
    assert clean(capsys) == (0, f"Removed {repo}/build/cache.\n", "")
    assert os.listdir(repo / "build") == []


def test_the_command_line_and_the_environment_may_point_anywhere(
    repo, capsys, monkeypatch, tmp_path_factory
):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    assert check(capsys, "--cache-dir", str(elsewhere / "a"), "feed")[0] == 0
    monkeypatch.setenv("NEWSCHECK_CACHE_DIR", str(elsewhere / "b"))
    assert check(capsys, "feed")[0] == 0
    assert sorted(os.listdir(elsewhere)) == ["a", "b"]
    assert clean(capsys)[:2] == (0, f"Removed {elsewhere}/b.\n")
    assert clean(capsys, "--cache-dir", str(elsewhere / "a"))[:2] == (
        0,
        f"Removed {elsewhere}/a.\n",
    )
    assert os.listdir(elsewhere) == []


def test_a_symlinked_cache_dir_is_neither_used_nor_cleaned(repo, capsys, tmp_path_factory):
    target = tmp_path_factory.mktemp("target")
    (target / "keep.txt").write_text("mine\n")
    (repo / ".newscheck_cache").symlink_to(target)
    code, out, err = check(capsys, "feed")
    assert (code, out) == (0, "")
    assert err == (
        "newscheck: not using the cache .newscheck_cache: it is a symbolic link "
        "(newscheck never writes or deletes through one)\n"
    )
    assert os.listdir(target) == ["keep.txt"]
    code, out, err = clean(capsys)
    assert (code, out) == (2, "")
    assert err.startswith("newscheck: .newscheck_cache is not a newscheck cache: it is a symbolic")
    assert (repo / ".newscheck_cache").is_symlink() and os.listdir(target) == ["keep.txt"]


def test_a_marker_that_is_a_link_does_not_make_a_cache(repo, capsys, tmp_path_factory):
    real = tmp_path_factory.mktemp("real") / "CACHEDIR.TAG"
    real.write_text(TAG)
    (repo / "docs").mkdir()
    (repo / "docs" / "guide.txt").write_text("keep\n")
    (repo / "docs" / "CACHEDIR.TAG").symlink_to(real)
    code, _, err = clean(capsys, "--cache-dir", "docs")
    assert (
        code == 2 and "docs is not a newscheck cache: it is not a folder newscheck created" in err
    )
    assert tree(repo / "docs") == ["CACHEDIR.TAG", "guide.txt"] and real.read_text() == TAG


def test_a_database_that_is_a_link_makes_the_folder_unusable(repo, capsys, tmp_path_factory):
    victim = tmp_path_factory.mktemp("victim") / "notes.txt"
    victim.write_text("precious\n")
    cache = repo / ".newscheck_cache"
    cache.mkdir()
    (cache / "CACHEDIR.TAG").write_text(TAG)
    (cache / "results-v6.sqlite3").symlink_to(victim)
    code, out, err = check(capsys, "feed")
    assert (code, out) == (0, "")
    assert err == (
        "newscheck: not using the cache .newscheck_cache: results-v6.sqlite3 in it is not a "
        "regular file\n"
    )
    assert clean(capsys)[0] == 2
    assert victim.read_text() == "precious\n"


def test_a_folder_of_someone_elses_named_as_cache_is_left_untouched(repo, capsys):
    (repo / "docs").mkdir()
    (repo / "docs" / "guide.txt").write_text("keep\n")
    code, _, err = check(capsys, "--cache-dir", "docs", "feed")
    assert code == 0
    assert err == (
        "newscheck: not using the cache docs: it is not a folder newscheck created "
        "(no CACHEDIR.TAG written by newscheck in it)\n"
    )
    assert os.listdir(repo / "docs") == ["guide.txt"]


def test_clean_keeps_what_newscheck_did_not_write(repo, capsys):
    assert check(capsys, "feed")[0] == 0
    (repo / ".newscheck_cache" / "notes.txt").write_text("mine\n")
    assert clean(capsys) == (
        0,
        "Removed newscheck's files from .newscheck_cache; kept the folder, which holds notes.txt.\n",
        "",
    )
    assert os.listdir(repo / ".newscheck_cache") == ["notes.txt"]


def test_clean_of_a_cache_that_cannot_be_written_is_a_clear_error(repo, capsys, monkeypatch):
    assert check(capsys, "feed")[0] == 0

    def refuse(path, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(os, "unlink", refuse)  # as a read-only folder does (root writes anyway)
    assert clean(capsys) == (
        2,
        "",
        "newscheck: cannot remove the cache .newscheck_cache: Permission denied\n",
    )
    assert (repo / ".newscheck_cache" / "CACHEDIR.TAG").read_text() == TAG


def test_clean_of_no_cache_and_of_a_file(repo, capsys):
    assert clean(capsys) == (0, "No cache at .newscheck_cache.\n", "")
    (repo / ".newscheck_cache").write_text("not a folder\n")
    code, _, err = clean(capsys)
    assert code == 2 and "it is not a folder" in err
    assert (repo / ".newscheck_cache").read_text() == "not a folder\n"
