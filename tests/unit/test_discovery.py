"""The path globs of the pytest plugin's ``newscheck_files`` (docs/pytest.md):
``*`` and ``?`` stay within a folder, ``**/`` spans any number of folders,
and a glob's fixed folder is where the plugin starts walking."""

from __future__ import annotations

import pytest

from newscheck.discovery import glob_folder, path_globs


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
    assert (path_globs(["corpus/**/*.md"]).fullmatch(path) is not None) is matches


@pytest.mark.parametrize(
    ("glob", "path", "matches"),
    [
        ("*.md", "a.md", True),
        ("*.md", "feed/a.md", False),
        ("feed/?.md", "feed/a.md", True),
        ("feed/?.md", "feed/ab.md", False),
        ("feed/?.md", "feed//.md", False),
        ("feed/[0-9].md", "feed/7.md", True),
        ("feed/[!0-9].md", "feed/7.md", False),
        ("feed/[!0-9].md", "feed/x.md", True),
        ("feed/a+b.md", "feed/a+b.md", True),
        ("feed/a+b.md", "feed/aab.md", False),
    ],
)
def test_one_star_and_a_question_mark_stay_within_a_folder(
    glob: str, path: str, matches: bool
) -> None:
    assert (path_globs([glob]).fullmatch(path) is not None) is matches


def test_any_of_several_globs_matches() -> None:
    pattern = path_globs(["feed/*.md", "archive/**/*.md"])
    assert [p for p in ("feed/a.md", "archive/x/b.md", "c.md") if pattern.fullmatch(p)] == [
        "feed/a.md",
        "archive/x/b.md",
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
