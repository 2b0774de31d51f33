"""One file's check through the public API, as a user of its results sees it:
the schema ``"auto"`` chose, fingerprints by the documented recipe, the source
excerpt each diagnostic carries, the first-line-only rule for files that are
not articles, the time budget (NC012) and a parser that fails (NC000).

Fingerprints are literals worked out once from the recipe (the first 16 hex
digits of the SHA-256 of the rule's code, a NUL and the defective text, at
most its first 4096 characters; the message for a diagnostic without text).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import newscheck
from newscheck.values import Span

from ..helpers import CONTENT, ROOT, article
from ..patched import replace_rule, spin

JEKYLL = ROOT / "docs" / "examples" / "jekyll" / "2024-03-05-tram-airport.md"


def seen(result: newscheck.FileResult) -> list[tuple[str, int, int, str]]:
    return [(d.code, d.line, d.column, d.fingerprint) for d in result.diagnostics]


def told(result: newscheck.FileResult) -> list[tuple[str, str, int, int, int, int, str]]:
    """Each diagnostic whole: code, severity, start, end and message."""
    return [
        (d.code, str(d.severity), d.line, d.column, d.end_line, d.end_column, d.message)
        for d in result.diagnostics
    ]


def shown(result: newscheck.FileResult) -> list[tuple[str, int, str, int]]:
    """(code, line, excerpt, excerpt column) of each diagnostic: what --show-source prints."""
    return [(d.code, d.line, d.excerpt, d.excerpt_column) for d in result.diagnostics]


# ---------------------------------------------------------------- --schema auto


def test_schema_auto_through_the_api_chooses_per_file():
    text = JEKYLL.read_text("utf-8")
    result = newscheck.check_text(text, JEKYLL.name, schema="auto")
    assert (result.schema, result.diagnostics) == ("jekyll-feed-article", ())
    # Checked with the Jekyll schema: its own check of the file name's date runs.
    wrong_name = newscheck.check_bytes(text.encode(), "post.md", schema="auto")
    assert wrong_name.schema == "jekyll-feed-article"
    assert [(d.code, d.line, d.column) for d in wrong_name.diagnostics] == [("NC904", 4, 7)]
    assert newscheck.check_text(article(), schema="auto").schema == "feed-article"
    assert newscheck.check_file(JEKYLL, schema="auto").schema == "jekyll-feed-article"
    # Without auto no schema is chosen, and the Jekyll post is no feed-article.
    plain = newscheck.check_file(JEKYLL)
    assert plain.schema is None
    assert [d.code for d in plain.diagnostics][:3] == ["NC101", "NC201", "NC402"]


NOTE = "just a note\nnothing else\n"
NONE_FITS = (
    "expected a file in one of the layouts feed-article, feed-article-dated, jekyll-feed-article, "
    "found a file none of them fits: the closest, feed-article, finds 1 of its 5 parts; its part "
    "'timestamp' is missing at line 1, found 'just a note'"
)


def test_a_file_in_none_of_the_layouts_gets_nc013_alone_unless_a_glob_chose_its_schema(
    tmp_path,
):
    result = newscheck.check_text(NOTE, "n.md", schema="auto")
    assert result.schema == "feed-article"
    assert told(result) == [("NC013", "error", 1, 1, 1, 12, NONE_FITS)]
    assert newscheck.check_text(NOTE, "n.md", schema="auto", ignore=["NC013"]).diagnostics == ()
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "n.md").write_text(NOTE, encoding="utf-8")
    config = tmp_path / "newscheck.toml"
    config.write_text(
        'schema = "auto"\n[[schemas]]\nschema = "feed-article"\nfiles = ["notes/*.md"]\n',
        encoding="utf-8",
    )
    taken = newscheck.check_file(tmp_path / "notes" / "n.md", config=config)
    assert taken.schema == "feed-article"  # the schema's own rules judge it
    assert [d.code for d in taken.diagnostics] == [
        "NC101",
        "NC201",
        "NC401",
        "NC403",
        "NC702",
        "NC006",
    ]


def test_schema_auto_runs_each_files_own_rules_in_one_run(tmp_path):
    """One run, files of two schemas: each is checked with the rules of its own."""
    (tmp_path / "a.md").write_text(article(1), encoding="utf-8")
    (tmp_path / "b.md").write_text(JEKYLL.read_text("utf-8"), encoding="utf-8")
    (tmp_path / "c.md").write_text(article(2, timestamp="<!--NaN-->"), encoding="utf-8")
    results = list(newscheck.check_paths([tmp_path], schema="auto", jobs=1))
    assert [(Path(r.path).name, r.schema) for r in results] == [
        ("a.md", "feed-article"),
        ("b.md", "jekyll-feed-article"),
        ("c.md", "feed-article"),
    ]
    assert [[(d.code, d.line) for d in r.diagnostics] for r in results] == [
        [],
        [("NC904", 4)],
        [("NC102", 1)],
    ]


# ---------------------------------------------------------------- fingerprints


def test_a_fingerprint_reads_at_most_4096_characters_of_the_defect():
    # NC006 spans the trailing line: 4096 x's, then one more character or none.
    capped = "5327c6c3238c0031"  # sha256("NC006\0" + "x" * 4096)[:16]
    for tail in ("", "y", "y" * 900):
        result = newscheck.check_text(article() + "x" * 4096 + tail + "\n")
        assert seen(result) == [("NC006", 6, 1, capped)], tail
    # One character fewer: the 4096th character is part of it.
    shorter = newscheck.check_text(article() + "x" * 4095 + "y\n")
    assert seen(shorter) == [("NC006", 6, 1, "2ce57727806425a0")]


def test_a_fingerprint_of_a_diagnostic_without_text_is_made_of_its_message():
    # sha256("NC007\0expected an article, found an empty file")[:16]
    assert seen(newscheck.check_text("")) == [("NC007", 1, 1, "ecc250b63e9bdbf8")]


def test_a_defect_holding_a_lone_surrogate_has_a_fingerprint():
    """Text from a caller may hold lone surrogates (``surrogateescape``): its
    fingerprint is the recipe's over their UTF-8 form (``surrogatepass``)."""
    result = newscheck.check_text(article() + "x\udcff\n")
    # sha256("NC006\0x\udcff".encode("utf-8", "surrogatepass"))[:16]
    assert seen(result) == [("NC006", 6, 1, "f02dc678cc7ec6c4")]


def test_a_lone_surrogate_in_a_line_part_is_matched_as_any_character_not_an_internal_error():
    """RE2 reads UTF-8, which holds no lone surrogate: the line parts' patterns
    see one as a character that is none of theirs."""
    stamp = newscheck.check_text(article(timestamp="<!--\ud800-->"), "a.md")
    assert [(d.code, d.line, d.column, d.end_column) for d in stamp.diagnostics] == [
        ("NC102", 1, 1, 9)
    ]
    assert (
        newscheck.check_text(article(title="[中\udcff国](https://a.example/x)")).diagnostics == ()
    )


# ---------------------------------------------------------------- excerpts


def test_the_excerpt_starts_40_characters_before_the_defect_and_ends_100_after():
    body = CONTENT + "<p>" + "x" * 100 + '<a href="/x">a</a>' + "y" * 200 + "</p>"
    result = newscheck.check_text(article(timestamp="<!--NaN-->", content=body))
    excerpt = "x" * 40 + '<a href="/x">a</a>' + "y" * 82  # 140 characters from column 285
    assert shown(result) == [
        ("NC102", 1, "<!--NaN-->", 1),
        ("NC805", 5, excerpt, 285),
    ]
    (_, relative) = result.diagnostics
    assert (relative.column, relative.end_column) == (325, 338)


def test_the_excerpt_of_a_defect_near_its_line_start_starts_with_the_line():
    result = newscheck.check_text(article(title="[标题 ](https://a.example/x)"))
    (d,) = result.diagnostics
    assert (d.code, d.line, d.column) == ("NC207", 2, 4)
    assert (d.excerpt, d.excerpt_column) == ("[标题 ](https://a.example/x)", 1)


def test_a_file_that_is_not_an_article_shows_its_first_line_only():
    """At most one sound part (a secret named by mistake, any text): the
    diagnostics of its other lines carry no excerpt."""
    result = newscheck.check_text("hello\nsecret line two\n")
    assert shown(result) == [
        ("NC101", 1, "hello", 1),
        ("NC201", 1, "hello", 1),
        ("NC401", 1, "hello", 1),
        ("NC403", 1, "hello", 1),
        ("NC702", 1, "hello", 1),
        ("NC006", 2, "", 1),
    ]
    jekyll = newscheck.check_file(JEKYLL)  # a Jekyll post against feed-article
    assert [(code, line, text) for code, line, text, _ in shown(jekyll)] == [
        ("NC101", 1, "---"),
        ("NC201", 1, "---"),
        ("NC402", 1, "---"),
        ("NC403", 2, ""),
        ("NC702", 2, ""),
        ("NC006", 3, ""),
    ]


def test_a_file_with_two_sound_parts_shows_its_other_lines():
    # The timestamp and (any text passes for one) the body.
    result = newscheck.check_text("<!--1595267727000-->\nsecret\n")
    assert shown(result) == [
        ("NC201", 2, "secret", 1),
        ("NC401", 2, "secret", 1),
        ("NC403", 2, "secret", 1),
        ("NC702", 2, "secret", 1),
    ]


def test_each_source_profile_runs_with_its_own_rule_settings(tmp_path):
    """One run: a profile that turns NC207 off for its host, between files of another host."""
    schema = tmp_path / "profiles.yaml"
    schema.write_text(
        "extends: feed-article\nsources:\n  a.example:\n    rules:\n      NC207: 'off'\n",
        encoding="utf-8",
    )
    hosts = ["www.voachinese.com", "a.example", "www.voachinese.com"]
    for n, host in enumerate(hosts):
        text = article(n, title=f"[标题 ](https://{host}/a/{n})")
        (tmp_path / f"{n}.md").write_text(text, encoding="utf-8")
    results = newscheck.check_paths([tmp_path / f"{n}.md" for n in range(3)], schema, jobs=1)
    assert [[(d.code, d.line) for d in r.diagnostics] for r in results] == [
        [("NC207", 2)],
        [],
        [("NC207", 2)],
    ]


# ---------------------------------------------------------------- the time budget (NC012)


@pytest.fixture
def slow(monkeypatch):
    """Rule NC805 takes 1.5 s."""

    def check(article, options):
        spin(1.5)
        return iter(())

    replace_rule(monkeypatch, "NC805", check)


def budget(folder: Path, setting: str) -> newscheck.Schema:
    path = folder / "budget.yaml"
    path.write_text(f"extends: feed-article\nrules:\n  check-time-budget: {setting}\n", "utf-8")
    return newscheck.load_schema(path)


STOPPED = (
    "expected the check to finish within 0.5 s, found it still in rule NC805 relative-link; "
    "the rest of the file was not checked"
)


def test_a_check_over_its_budget_reports_nc012_naming_the_stage(tmp_path, slow):
    result = newscheck.check_text(article(), "a.md", budget(tmp_path, "{seconds: 0.5}"))
    (d,) = result.diagnostics
    assert (d.code, d.rule, d.severity, d.message) == (
        "NC012",
        "check-time-budget",
        newscheck.Severity.ERROR,
        STOPPED,
    )
    assert (d.line, d.column, d.end_line, d.end_column) == (1, 1, 1, 1)
    assert d.fingerprint == "09de294a0183346b"  # sha256("NC012\0" + STOPPED)[:16]
    assert result.facts == {}  # no facts from a check cut short


def test_the_budget_keeps_the_severity_given_and_what_was_found_before(tmp_path, slow):
    schema = budget(tmp_path, "{severity: warning, seconds: 0.5}")
    text = article(timestamp="<!--NaN-->", title="[标题 ](https://a.example/x)")
    result = newscheck.check_text(text, "a.md", schema)
    assert [(d.code, d.line, str(d.severity)) for d in result.diagnostics] == [
        ("NC012", 1, "warning"),
        ("NC102", 1, "error"),
        ("NC207", 2, "warning"),
    ]
    # A check cut short still shows the lines of the article it found.
    assert result.diagnostics[2].excerpt == "[标题 ](https://a.example/x)"


def test_a_parse_over_its_budget_reports_nc012_in_the_parser(tmp_path, monkeypatch):
    import newscheck.parse

    parse = newscheck.parse.parse

    def slow_parse(*args, **kwargs):
        spin(1.5)
        return parse(*args, **kwargs)

    monkeypatch.setattr(newscheck.parse, "parse", slow_parse)
    result = newscheck.check_text(article(), "a.md", budget(tmp_path, "{seconds: 0.5}"))
    assert [(d.code, d.line, d.column, d.message) for d in result.diagnostics] == [
        (
            "NC012",
            1,
            1,
            "expected the check to finish within 0.5 s, found it still in the parser; "
            "the rest of the file was not checked",
        )
    ]


NAN = "expected '<!--' + 13 digits (epoch milliseconds) + '-->', found '<!--NaN-->'"


def test_a_rule_that_fails_is_an_internal_error_and_the_other_rules_run(monkeypatch):
    def broken(article, options):
        raise ValueError("a bug")

    replace_rule(monkeypatch, "NC805", broken)
    result = newscheck.check_text(article(timestamp="<!--NaN-->"), "a.md")
    failed = "rule NC805 relative-link failed: ValueError: a bug"
    assert told(result) == [
        ("NC000", "error", 1, 1, 1, 1, failed),
        ("NC102", "error", 1, 1, 1, 11, NAN),
    ]


def test_a_parser_that_fails_is_an_internal_error_and_the_other_rules_run(monkeypatch):
    import newscheck.parse

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(newscheck.parse, "parse", broken)
    result = newscheck.check_text(article().rstrip("\n"), "a.md")
    message = "the parser failed: RuntimeError: a bug"
    assert told(result) == [
        ("NC000", "error", 1, 1, 1, 1, message),
        (
            "NC005",
            "warning",
            5,
            222,
            5,
            222,
            "expected a newline at the end of the file, found none",
        ),
    ]
    assert result.diagnostics[0].fingerprint == "1d07f900112c3482"  # of "NC000\0" + message
    chosen = newscheck.check_text(article(), "a.md", schema="auto")  # chosen before the parse
    assert (chosen.schema, [d.message for d in chosen.diagnostics]) == ("feed-article", [message])


def test_a_file_whose_budget_is_ignored_is_checked_to_the_end(tmp_path, monkeypatch):
    def slow(article, options):  # NC805 takes 0.7 s, then finds what it finds
        spin(0.7)
        yield Span(0, 1), "slow but found"

    replace_rule(monkeypatch, "NC805", slow)
    budget(tmp_path, "{seconds: 0.2}")  # written to budget.yaml, which the configuration names
    (tmp_path / "a.md").write_text(article(), "utf-8")
    (tmp_path / "b.md").write_text(article(1), "utf-8")
    config = tmp_path / "newscheck.toml"
    config.write_text(
        'schema = "budget.yaml"\n[per-file-ignores]\n"a.md" = ["NC012"]\n', encoding="utf-8"
    )
    a, b = (newscheck.check_file(tmp_path / n, config=config) for n in ("a.md", "b.md"))
    assert [(d.code, d.message) for d in a.diagnostics] == [("NC805", "slow but found")]
    assert [d.code for d in b.diagnostics] == ["NC012"]


def test_a_file_stuck_past_its_budget_in_one_call_is_abandoned_and_the_others_checked(
    tmp_path, monkeypatch
):
    import signal
    import time

    def stuck(article, options):  # one call the budget's alarm cannot stop (as C code)
        if article.source.path.endswith("b.md"):
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
            time.sleep(60)
        return iter(())

    replace_rule(monkeypatch, "NC805", stuck)  # in the workers, forked from here
    for name in ("a.md", "b.md", "c.md"):
        (tmp_path / name).write_text(article(ord(name[0]) - 97), encoding="utf-8")
    schema = budget(tmp_path, "{seconds: 0.2}")  # stopped at 0.2 x 1.5 + 1 s
    started = time.monotonic()
    results = list(newscheck.check_paths([tmp_path], schema, jobs=2))
    assert time.monotonic() - started < 20
    message = (
        "expected the check to finish within 0.2 s, found it still running well past that; "
        "its worker process was stopped and the file was not checked"
    )
    assert [(Path(r.path).name, told(r)) for r in results] == [
        ("a.md", []),
        ("b.md", [("NC012", "error", 1, 1, 1, 1, message)]),
        ("c.md", []),
    ]


# ---------------------------------------------------------------- suppressions


UNUSED = "<!-- newscheck: disable=NC805 -->"  # nothing of NC805 to silence


def test_inline_suppressions_turned_off_neither_silence_nor_go_unused(tmp_path):
    text = article(timestamp="<!--NaN-->", content=CONTENT + "<!-- newscheck: disable=NC102 -->")
    assert newscheck.check_text(text).diagnostics == ()
    off = newscheck.check_text(text, config={"allow-inline-suppressions": False})
    assert [d.code for d in off.diagnostics] == ["NC102"]
    unused = newscheck.check_text(article(content=CONTENT + UNUSED))
    assert [d.code for d in unused.diagnostics] == ["NC011"]
    assert (
        newscheck.check_text(
            article(content=CONTENT + UNUSED), config={"allow-inline-suppressions": False}
        ).diagnostics
        == ()
    )


def test_an_unused_suppression_is_not_reported_where_nc011_is_ignored(tmp_path):
    (tmp_path / "a.md").write_text(article(content=CONTENT + UNUSED), "utf-8")
    (tmp_path / "b.md").write_text(article(1, content=CONTENT + UNUSED), "utf-8")
    config = tmp_path / "newscheck.toml"
    config.write_text('[per-file-ignores]\n"a.md" = ["NC011"]\n', encoding="utf-8")
    assert newscheck.check_file(tmp_path / "a.md", config=config).diagnostics == ()
    b = newscheck.check_file(tmp_path / "b.md", config=config)
    assert [(d.code, d.line) for d in b.diagnostics] == [("NC011", 5)]


# ---------------------------------------------------------------- facts for the checks across files


def test_facts_that_fail_are_an_internal_error_and_the_diagnostics_stay(monkeypatch):
    import newscheck.engine

    def broken(article):
        raise RuntimeError("a bug")

    monkeypatch.setattr(newscheck.engine, "facts", broken)
    result = newscheck.check_text(article(timestamp="<!--NaN-->"), "a.md")
    failed = "the facts for the checks across files failed: RuntimeError: a bug"
    assert told(result) == [
        ("NC000", "error", 1, 1, 1, 1, failed),
        ("NC102", "error", 1, 1, 1, 11, NAN),
    ]
    assert result.facts == {}


def test_a_files_suppressions_of_checks_across_files_travel_with_its_facts():
    """The checks across files (docs/corpus.md) run after every file: a file's
    own suppressions of them are kept in its facts (line 0: the whole file),
    and are not reported as unused."""
    url = "https://www.voachinese.com/a/7346550.html"
    whole = newscheck.check_text(article(content=CONTENT + "<!-- newscheck: disable=NC951 -->"))
    assert (whole.diagnostics, whole.facts["url"]) == ((), url)
    assert whole.facts["suppress"] == [[0, ["NC951"]]]
    line = newscheck.check_text(article(content=CONTENT + "<!-- newscheck: disable-line=NC95 -->"))
    assert line.diagnostics == ()
    assert line.facts["suppress"] == [[5, ["NC951", "NC952", "NC953", "NC954", "NC955", "NC956"]]]
    other = newscheck.check_text(article(content=CONTENT + "<!-- newscheck: disable=NC805 -->"))
    assert "suppress" not in other.facts and other.facts["url"] == url
    assert [d.code for d in other.diagnostics] == ["NC011"]


def test_no_facts_without_an_article():
    assert newscheck.check_text("").facts == {}
    assert newscheck.check_file("/dev/null").facts == {}
