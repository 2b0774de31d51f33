"""``pytest --newscheck``: article files collected as test items."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter

from ..helpers import article
from .conftest import cli_lines, failure, write

NAN = article(timestamp="<!--NaN-->")
PADDED = article(title="[韩正表态 ](https://www.voachinese.com/a/7346550.html)")  # NC207, a warning


def test_each_article_file_is_one_item_named_by_its_path(pytester):
    write(pytester, "corpus/voa/1.md", article())
    write(pytester, "corpus/voa/2.md", NAN)
    write(pytester, "corpus/notes.txt", "not an article")
    result = pytester.runpytest("--newscheck", "--collect-only", "-q", "corpus")
    assert result.stdout.lines[:4] == [
        "corpus/voa/1.md",
        "corpus/voa/2.md",
        "newscheck::corpus",  # the checks across files, last
        "",
    ]
    assert result.ret == 0


def test_without_the_option_article_files_are_not_collected(pytester):
    write(pytester, "corpus/1.md", NAN)
    result = pytester.runpytest("corpus")
    assert result.ret == 5  # no tests collected


def test_a_failing_article_shows_what_the_cli_prints_with_the_source(pytester):
    write(pytester, "corpus/good.md", article())
    write(
        pytester, "corpus/bad.md", article(timestamp="<!--NaN-->", title="[](https://a.example/1)")
    )
    result = pytester.runpytest("--newscheck", "corpus")
    result.assert_outcomes(passed=2, failed=1)  # good.md and the corpus item pass
    expected = cli_lines("corpus/bad.md")
    assert failure(result, "corpus/bad.md") == expected
    assert expected == [
        "corpus/bad.md:1:1: NC102 malformed-timestamp [error] expected '<!--' + 13 digits "
        "(epoch milliseconds) + '-->', found '<!--NaN-->'",
        "1 | <!--NaN-->",
        "    ^^^^^^^^^^",
        "corpus/bad.md:2:1: NC203 empty-title [error] expected a title inside '[]', found nothing",
        "2 | [](https://a.example/1)",
        "    ^^",
    ]


def test_a_failure_leads_with_the_diagnostics_that_failed_it(pytester):
    padded = "[ 韩正表态愿与美加强沟通](https://www.voachinese.com/a/7346550.html)"  # a warning
    content = article().split("\n")[4].replace("<p>", '<img src=""><p>', 1)  # an error
    write(pytester, "corpus/bad.md", article(title=padded, content=content))
    result = pytester.runpytest("--newscheck", "-rf", "corpus")
    result.assert_outcomes(passed=1, failed=1)
    shown = failure(result, "corpus/bad.md")
    cli = cli_lines("corpus/bad.md")
    assert [line[:32] for line in cli[::3]] == [
        "corpus/bad.md:2:2: NC207 title-w",
        "corpus/bad.md:5:181: NC601 empty",
    ]
    assert shown == cli[3:] + cli[:3]  # the same lines, the error's first
    summary = next(line for line in result.stdout.lines if line.startswith("FAILED "))
    assert summary.startswith("FAILED corpus/bad.md - corpus/bad.md:5:181: NC601 ")


def test_the_corpus_item_leads_with_the_errors_that_failed_it(pytester):
    write(pytester, "corpus/a/1.md", article())
    write(pytester, "corpus/a/2.md", article())  # the same URL: a warning in each
    write(pytester, "corpus/b/1048575.md", article(1))
    write(pytester, "corpus/b/1048575_标题.md", article(2))  # one id twice: an error in each
    result = pytester.runpytest("--newscheck", "-rf", "corpus")
    result.assert_outcomes(passed=4, failed=1)
    shown, expected = across_files(result, "corpus")
    assert [line.split(" [")[0] for line in shown] == [
        "corpus/b/1048575.md:1:1: NC954 id-collision",
        "corpus/b/1048575_标题.md:1:1: NC954 id-collision",
        "corpus/b/1048575_标题.md:2:2: NC956 filename-title",  # a warning, in a failing file
        "corpus/a/1.md:2:15: NC951 duplicate-url",
        "corpus/a/2.md:2:15: NC951 duplicate-url",
    ]
    assert sorted(shown) == sorted(expected)
    summary = next(line for line in result.stdout.lines if line.startswith("FAILED "))
    assert summary.startswith("FAILED newscheck::corpus - corpus/b/1048575.md:1:1: NC954 ")


def test_paths_are_shown_as_the_cli_shows_them_from_the_same_folder(pytester):
    write(pytester, "project/conftest.py", "")
    write(pytester, "articles/bad.md", NAN)
    os.chdir(pytester.path / "project")
    result = pytester.runpytest(
        "--newscheck", "../articles", "--rootdir", str(pytester.path / "project")
    )
    assert failure(result, "bad.md")[0].startswith("../articles/bad.md:1:1: NC102 ")


def test_warnings_pass_unless_fail_on_says_warning(pytester):
    write(pytester, "corpus/padded.md", PADDED)
    pytester.runpytest("--newscheck", "corpus").assert_outcomes(passed=2)
    result = pytester.runpytest("--newscheck", "--newscheck-fail-on", "warning", "corpus")
    result.assert_outcomes(passed=1, failed=1)
    assert failure(result, "corpus/padded.md")[0].startswith(
        "corpus/padded.md:2:6: NC207 title-whitespace [warning] "
    )


def test_warnings_of_a_passing_article_are_shown_with_rP(pytester):
    write(pytester, "corpus/padded.md", PADDED)
    result = pytester.runpytest("--newscheck", "-rP", "corpus")
    lines = result.stdout.lines
    at = next(i for i, line in enumerate(lines) if " Captured newscheck call " in line)
    assert lines[at + 1 : at + 4] == cli_lines("corpus/padded.md")


def test_ini_options(pytester):
    pytester.makeini(
        """
        [pytest]
        testpaths = tests
        newscheck_files =
            corpus/**/*.md
            extra/one.md
        newscheck_fail_on = warning
        newscheck_schema = strict.yaml
        """
    )
    write(pytester, "strict.yaml", "extends: feed-article\nrules:\n  empty-date: error\n")
    write(pytester, "tests/test_nothing.py", "def test_ok():\n    pass\n")
    write(pytester, "corpus/top.md", article())
    write(pytester, "corpus/voa/padded.md", PADDED)
    empty_date = article(
        content="<div></div><p>中国国家副主席韩正周三表示，中美双方进行高层对话。</p>"
    )
    write(pytester, "corpus/ft/empty-date.md", empty_date)
    write(pytester, "extra/one.md", article())
    write(pytester, "extra/two.md", article())
    collected = pytester.runpytest("--newscheck", "--collect-only", "-q")
    assert collected.stdout.lines[:7] == [
        "tests/test_nothing.py::test_ok",
        "corpus/ft/empty-date.md",
        "corpus/top.md",
        "corpus/voa/padded.md",
        "extra/one.md",
        "newscheck::corpus",
        "",
    ]
    result = pytester.runpytest("--newscheck")
    result.assert_outcomes(passed=3, failed=3)  # the four articles share a URL: NC951 warnings
    assert (
        "[error] expected a date in the date div, found it empty"
        in failure(result, "corpus/ft/empty-date.md")[0]
    )
    assert "NC207 title-whitespace [warning]" in failure(result, "corpus/voa/padded.md")[0]


def test_a_bad_ini_fail_on_stops_the_run(pytester):
    pytester.makeini("[pytest]\nnewscheck_fail_on = warn\n")
    result = pytester.runpytest()
    assert result.ret == 4
    assert result.stderr.lines[0] == (
        "ERROR: newscheck_fail_on: expected error or warning, found 'warn'"
    )


def test_the_project_config_is_honoured(pytester):
    pytester.makepyprojecttoml(
        """
        [tool.newscheck]
        include = ["*.md", "*.txt"]
        exclude = ["drafts"]
        ignore = ["NC102"]
        fail-on = "warning"
        """
    )
    write(pytester, "corpus/nan.txt", NAN)
    write(pytester, "corpus/padded.md", PADDED)
    write(pytester, "corpus/drafts/broken.md", "broken")
    result = pytester.runpytest("--newscheck", "corpus", "-v")
    result.stdout.fnmatch_lines(
        ["corpus/nan.txt PASSED*", "corpus/padded.md FAILED*", "newscheck::corpus FAILED*"],
        consecutive=True,
    )
    result.assert_outcomes(passed=1, failed=2)  # the two share a URL: NC951, a warning


def test_command_line_options_override_the_config(pytester):
    pytester.makepyprojecttoml('[tool.newscheck]\nfail-on = "warning"\n')
    write(pytester, "strict.yaml", "extends: feed-article\nrules:\n  title-whitespace: error\n")
    write(pytester, "corpus/padded.md", PADDED)
    pytester.runpytest("--newscheck", "--newscheck-fail-on", "error", "corpus").assert_outcomes(
        passed=2
    )
    result = pytester.runpytest(
        "--newscheck", "--newscheck-fail-on", "error", "--newscheck-schema", "strict.yaml", "corpus"
    )
    assert "NC207 title-whitespace [error]" in failure(result, "corpus/padded.md")[0]


def test_a_broken_config_stops_the_run_with_its_location(pytester):
    pytester.makepyprojecttoml("[tool.newscheck]\nfail_on = 'warning'\n")
    result = pytester.runpytest("--newscheck")
    assert result.ret == 4
    assert result.stderr.lines[0] == (
        f"ERROR: newscheck: {pytester.path / 'pyproject.toml'}:2:1: unknown key 'fail_on' (did you mean 'fail-on'?)"
    )


def test_an_unknown_schema_stops_the_run(pytester):
    result = pytester.runpytest("--newscheck", "--newscheck-schema", "nope")
    assert result.ret == 4
    result.stderr.fnmatch_lines(["ERROR: newscheck: no schema file or built-in schema 'nope' *"])


def test_the_plugin_can_be_disabled(pytester):
    result = pytester.runpytest("-p", "no:newscheck", "--newscheck")
    assert result.ret == 4
    result.stderr.fnmatch_lines(["*error: unrecognized arguments: --newscheck"])


def test_a_second_run_takes_unchanged_files_from_the_cache(pytester, probe):
    for name in ("1", "2", "3"):
        write(pytester, f"corpus/{name}.md", article())
    write(pytester, "corpus/nan.md", NAN)
    pytester.runpytest("--newscheck", "corpus").assert_outcomes(passed=4, failed=1)
    probe()  # from now on, a file really checked fails with NC000
    second = pytester.runpytest("--newscheck", "corpus")
    second.assert_outcomes(passed=4, failed=1)
    assert "NC000" not in second.stdout.str()
    write(pytester, "corpus/2.md", article(title="[新标题](https://a.example/2)"))
    third = pytester.runpytest("--newscheck", "corpus")
    third.assert_outcomes(passed=3, failed=2)
    assert failure(third, "corpus/2.md")[0] == (
        "corpus/2.md:1:1: NC000 internal-error [error] rule NC207 title-whitespace failed: "
        "RuntimeError: checked"
    )
    pytester.runpytest("--newscheck", "--newscheck-no-cache", "corpus").assert_outcomes(
        passed=1,
        failed=4,  # the corpus item shows only the checks across files
    )


def test_xdist_workers_check_and_cache(pytester, probe):
    for name in ("1", "2", "3"):
        write(pytester, f"corpus/{name}.md", article())
    write(pytester, "corpus/nan.md", NAN)
    result = pytester.runpytest("--newscheck", "-n", "2", "corpus")
    result.assert_outcomes(passed=4, failed=1)
    worker, *lines = failure(result, "corpus/nan.md")
    assert worker.startswith("[gw")
    assert lines == cli_lines("corpus/nan.md")
    probe()  # the workers stored what they checked: nothing is checked again
    pytester.runpytest("--newscheck", "corpus").assert_outcomes(passed=4, failed=1)


def across_files(result, *args: str) -> list[str]:
    """The corpus item's failure, and what ``newscheck check`` prints of the
    checks across files for the same files."""
    shown = failure(result, "newscheck::corpus", "across files")
    return shown, [line for line in cli_lines(*args) if re.search(r" NC95\d ", line)]


def test_checks_across_files_are_one_more_item(pytester):
    write(pytester, "corpus/a.md", article())
    write(pytester, "corpus/b.md", article())  # the same URL as a.md
    write(pytester, "corpus/c.md", article(2))
    passing = pytester.runpytest("--newscheck", "-rP", "corpus")
    passing.assert_outcomes(passed=4)  # duplicate URLs are warnings
    failing = pytester.runpytest("--newscheck", "--newscheck-fail-on", "warning", "corpus")
    failing.assert_outcomes(passed=3, failed=1)
    shown, expected = across_files(failing, "corpus")
    assert shown == expected
    assert shown == [
        "corpus/a.md:2:15: NC951 duplicate-url [warning] expected this article URL in one file, "
        "found it also in 1 other file: corpus/b.md",
        "corpus/b.md:2:15: NC951 duplicate-url [warning] expected this article URL in one file, "
        "found it also in 1 other file: corpus/a.md",
    ]
    lines = passing.stdout.lines
    at = next(i for i, line in enumerate(lines) if " Captured newscheck call " in line)
    assert lines[at + 1 : at + 3] == expected


def test_checks_across_files_cover_the_files_the_session_runs(pytester):
    write(pytester, "articles/a.md", article())
    write(pytester, "articles/b.md", article())
    result = pytester.runpytest(
        "--newscheck", "--newscheck-fail-on", "warning", "articles", "-k", "a.md or corpus"
    )
    result.assert_outcomes(passed=2)  # b.md deselected: a.md's URL is its own


def test_no_corpus_item_when_the_checks_across_files_are_off(pytester):
    pytester.makepyprojecttoml('[tool.newscheck]\nignore = ["NC95"]\n')
    write(pytester, "corpus/a.md", article())
    write(pytester, "corpus/b.md", article())
    result = pytester.runpytest("--newscheck", "--collect-only", "-q", "corpus")
    assert result.stdout.lines[:3] == ["corpus/a.md", "corpus/b.md", ""]


def test_checks_across_files_under_xdist(pytester):
    for name in ("a", "b", "c", "d"):
        write(pytester, f"corpus/{name}.md", article())
    result = pytester.runpytest(
        "--newscheck", "--newscheck-fail-on", "warning", "-n", "2", "corpus"
    )
    result.assert_outcomes(passed=4, failed=1)
    (worker, *shown), expected = across_files(result, "corpus")
    assert worker.startswith("[gw")
    assert shown == expected and len(expected) == 4


ERROR_LINE = re.compile(r"^(\S.*\.md):\d+:\d+: (NC\d{3}) [a-z-]+ \[error\] ")


def test_the_real_corpus_from_a_scratch_project(pytester, corpus):
    feed = os.path.relpath(corpus / "feed", pytester.path)
    # The rootdir is the scratch project: nothing may be written into the shared corpus.
    result = pytester.runpytest(
        "--newscheck", "--rootdir", str(pytester.path), "-p", "no:cacheprovider", feed
    )
    result.assert_outcomes(passed=3599 - 11 + 1, failed=11)  # + the corpus item: warnings only
    errors = {m[1]: m[2] for line in result.stdout.lines if (m := ERROR_LINE.match(line))}
    assert Counter(errors.values()) == {"NC601": 9, "NC204": 1, "NC206": 1}
    title = next(path for path, code in errors.items() if code == "NC206")
    assert title.startswith(f"{feed}/reuters/")
    lines = failure(result, os.path.relpath(title, feed))
    assert lines == cli_lines(title)
    assert lines[0].endswith(
        " NC206 markup-in-title [error] expected plain text in the title, found markup '&quot;'"
    )
    assert lines[2].endswith("^^^^^^")  # under the entity


def test_loading_the_plugin_imports_nothing_else_of_newscheck():
    probe = (
        "import sys, pytest\n"
        "before = set(sys.modules)\n"
        "import newscheck.pytest_plugin\n"
        "print(sorted(set(sys.modules) - before))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "['newscheck', 'newscheck.pytest_plugin']"


def test_snapshots_are_collected_only_when_named(pytester):
    write(pytester, "corpus/a.md", article())
    write(pytester, "tests/test_render.py", "def test_ok():\n    pass\n")
    write(pytester, "tests/snapshots/test_render/voa-item.md", article())  # a.md's URL again
    result = pytester.runpytest("--newscheck")
    result.assert_outcomes(passed=3)  # a.md, test_ok and the corpus item
    assert "NC951" not in result.stdout.str()
    named = pytester.runpytest("--newscheck", "tests/snapshots/test_render/voa-item.md")
    named.assert_outcomes(passed=2)  # the snapshot and the corpus item


def test_links_are_collected_only_when_named(pytester, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside") / "secret.md"
    outside.write_text(article(2), encoding="utf-8")
    write(pytester, "corpus/a.md", article(1))
    (pytester.path / "corpus" / "link.md").symlink_to(outside)
    result = pytester.runpytest("--newscheck", "--collect-only", "-q", "corpus")
    assert result.stdout.lines[:2] == ["corpus/a.md", "newscheck::corpus"]
    result = pytester.runpytest("--newscheck", "--collect-only", "-q", "corpus/link.md")
    assert result.stdout.lines[0] == "corpus/link.md"
