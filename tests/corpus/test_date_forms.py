"""Every real feed file, its date div rewritten into each date form news sites
print (the time its own timestamp says), checks without an error; and
``schema infer`` learns each form (and its zone) back from such a corpus.

Forms come in families; within a family the files take its variants in turn,
so every variant is tried on hundreds of real files of every source.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from newscheck import Severity
from newscheck import source as sources
from newscheck.engine import Checker
from newscheck.rules import all_rules
from newscheck.schema import load_schema

from ..helpers import CORPUS

Writer = Callable[[datetime], str]

# The date div: the first element, a bare div holding text (an author and <br> first) or <i>.
DATE_DIV = re.compile(r"^<div>(?:<i>)?(?:[^<]*<br>)?(?P<date>[^<]*)(?:</i>)?</div>")
CJK_DAYS = "一二三四五六日"
JA_DAYS = "月火水木金土日"
KO_DAYS = "월화수목금토일"


def zoned(hours: float, write: Callable[[datetime], str]) -> Writer:
    """``write`` applied to the time in a fixed zone (the form names the zone)."""
    return lambda when: write(when.astimezone(timezone(timedelta(hours=hours))))


def cjk_time(when: datetime, half: tuple[str, str]) -> str:
    hour = when.hour % 12 or 12
    return f"{half[when.hour >= 12]}{hour}:{when:%M}"


FAMILIES: dict[str, tuple[Writer, ...]] = {
    "rfc-2822": (
        lambda w: w.strftime("%a, %d %b %Y %H:%M:%S GMT"),
        zoned(-5, lambda w: w.strftime("%d %b %Y %H:%M:%S -0500")),
        zoned(-4, lambda w: w.strftime("%a, %d %b %y %H:%M EDT")),
        zoned(-7, lambda w: w.strftime("%a, %d %b %Y %H:%M:%S PDT")),
        zoned(8, lambda w: w.strftime("%a, %d %b %Y %H:%M:%S +08:00")),
        lambda w: w.strftime("%a, %d %b %Y %H:%M:%S UT"),
        lambda w: w.strftime("%d %b %Y %H:%M Z"),
    ),
    "iso-8601": (
        lambda w: w.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
        zoned(8, lambda w: w.isoformat()),
        zoned(-3.5, lambda w: w.strftime("%Y-%m-%dT%H:%M:%S%z")),
        lambda w: w.strftime("%Y-%m-%d %H:%M"),
        lambda w: w.strftime("%Y-%m-%dT%H:%M:%S.%f123Z"),
        lambda w: w.strftime("%Y%m%dT%H%M%SZ"),
    ),
    "iso-day": (lambda w: w.strftime("%Y-%m-%d"),),
    "year-first": (
        lambda w: f"{w.year}/{w.month}/{w.day} {w:%H:%M:%S}",
        lambda w: w.strftime("%Y.%m.%d"),
        lambda w: f"{w.year}-{w.month}-{w.day} {w:%H:%M}",
    ),
    "cjk-day": (
        lambda w: f"{w.year}年{w.month}月{w.day}日",
        lambda w: w.strftime("%Y 年 %m 月 %d 日"),
    ),
    "cjk-time": (
        lambda w: (
            f"{w.year}年{w.month}月{w.day}日 星期{CJK_DAYS[w.weekday()]} "
            + cjk_time(w, ("上午", "下午"))
        ),
        lambda w: w.strftime("%Y年%m月%d日 %H时%M分"),
        lambda w: f"{w.year}年{w.month}月{w.day}日 周{CJK_DAYS[w.weekday()]} {w:%H:%M:%S}",
        lambda w: f"{w.year}年{w.month}月{w.day}日（{CJK_DAYS[w.weekday()]}）{w:%H點%M分}",
        zoned(8, lambda w: f"{w.year}年{w.month}月{w.day}日 {w:%H:%M} 北京时间"),
    ),
    "korean-japanese": (
        lambda w: f"{w.year}년 {w.month}월 {w.day}일 " + cjk_time(w, ("오전 ", "오후 ")),
        lambda w: f"{w.year}年{w.month}月{w.day}日({JA_DAYS[w.weekday()]}) {w:%H:%M}",
        lambda w: f"{w.year}년 {w.month}월 {w.day}일 {KO_DAYS[w.weekday()]}요일",
    ),
    "english": (
        lambda w: w.strftime("%d %B %Y"),
        lambda w: w.strftime("%B %d, %Y"),
        lambda w: w.strftime("%a %d %b %Y"),
        lambda w: w.strftime("%A, %B %d, %Y %I:%M %p"),
        zoned(-4, lambda w: w.strftime("%b %d, %Y at %I:%M %p EDT").upper()),
        zoned(8, lambda w: w.strftime("%a %b %d %Y %H:%M:%S GMT+0800 (China Standard Time)")),
        lambda w: w.strftime("%a %b %d %H:%M:%S %Y"),
    ),
    # declared by the built-in schema (RFI's form)
    "day-first-declared": (lambda w: w.strftime("%d/%m/%Y - %H:%M"),),
    # never guessed: a warning (the message says how to declare it), never an error
    "day-first-undeclared": (lambda w: w.strftime("%d/%m/%Y %H:%M"),),
}


def rewrite(text: str, date: str) -> str:
    """The file with ``date`` in its date div (one is added where it has none):
    the content is the last line (a title may span lines before it)."""
    head, _, content = text.removesuffix("\n").rpartition("\n")
    found = DATE_DIV.match(content)
    if found is None:
        content = f"<div><i>{date}</i></div>" + content
    else:
        content = content[: found.start("date")] + date + content[found.end("date") :]
    return f"{head}\n{content}\n"


def stamp(text: str) -> datetime | None:
    found = re.match(r"<!--(\d{13})-->", text)
    return datetime.fromtimestamp(int(found[1]) // 1000, UTC) if found else None


@pytest.fixture(scope="module")
def feed() -> list[tuple[str, str]]:
    if not CORPUS.is_dir():
        pytest.skip("the shared corpus (../shared/corpus) is not present")
    files = sorted((CORPUS / "feed").rglob("*.md"))
    return [(str(p), p.read_text(encoding="utf-8")) for p in files]


@pytest.fixture(scope="module")
def date_checker() -> Checker:
    """The built-in schema's checks that read the timestamp, the date and the
    layout (the others see nothing the rewrite changed)."""
    others = frozenset(
        r.code for r in all_rules() if not r.code.startswith(("NC0", "NC1", "NC5", "NC9"))
    )
    return Checker(load_schema(), per_file_ignores=(("*", others),))


def rewritten(feed, family):
    writers = FAMILIES[family]
    for index, (path, text) in enumerate(feed):
        when = stamp(text)
        if when is not None:
            yield path, rewrite(text, writers[index % len(writers)](when))


@pytest.fixture(scope="module")
def known_errors(feed, date_checker) -> dict[str, set[str]]:
    """The errors each real file has before any rewrite (real defects)."""
    return {path: errors(date_checker, path, text) for path, text in feed}


def errors(checker: Checker, path: str, text: str) -> set[str]:
    result = checker.check_source(sources.from_text(text, path))
    return {d.code for d in result.diagnostics if d.severity is Severity.ERROR}


@pytest.mark.parametrize("family", FAMILIES)
def test_every_feed_file_in_every_date_form_checks_without_an_error(
    feed, date_checker, known_errors, family
):
    new_errors, warned, checked = [], 0, 0
    for path, text in rewritten(feed, family):
        result = date_checker.check_source(sources.from_text(text, path))
        checked += 1
        new_errors += [
            (path, d.code, d.message)
            for d in result.diagnostics
            if d.severity is Severity.ERROR and d.code not in known_errors[path]
        ]
        warned += any(d.code == "NC503" for d in result.diagnostics)
    assert checked > 3500
    assert new_errors == []
    assert warned == (checked if family == "day-first-undeclared" else 0)


def test_the_real_files_have_few_errors_of_these_checks(known_errors):
    # the baseline the rewrites are measured against: real defects only
    assert sum(bool(codes) for codes in known_errors.values()) < 40


# --- schema infer learns the forms back ------------------------------------------

PER_SOURCE = 40

ROUND_TRIPS: dict[str, tuple[Writer, ...]] = {
    **FAMILIES,
    # naive local times: infer must find the zone from the timestamps
    "naive-beijing": (zoned(8, lambda w: w.strftime("%Y-%m-%d %H:%M:%S")),),
    "naive-beijing-cjk": (zoned(8, lambda w: f"{w.year}年{w.month}月{w.day}日 {w:%H:%M}"),),
    # day first, in Paris summer time, and undeclared: infer must find the order too
    "day-first-paris": (zoned(2, lambda w: w.strftime("%d.%m.%Y %H:%M")),),
}


def run_infer(directory: Path, capsys) -> Path:
    from newscheck.cli import main

    capsys.readouterr()
    assert main(["schema", "infer", str(directory)]) == 0
    schema = directory.parent / f"{directory.name}.yaml"
    schema.write_text(capsys.readouterr().out, encoding="utf-8")
    return schema


def per_file(results) -> dict[str, list[tuple[str, str]]]:
    return {
        Path(r.path).name: [(d.code, str(d.severity)) for d in r.diagnostics if d.code != "NC011"]
        for r in results
    }


@pytest.fixture(scope="module")
def sample(feed) -> list[tuple[str, str]]:
    """Up to PER_SOURCE files of each source, with a timestamp."""
    taken: dict[str, int] = {}
    chosen = []
    for path, text in feed:
        source = Path(path).parent.name
        if stamp(text) is not None and taken.get(source, 0) < PER_SOURCE:
            taken[source] = taken.get(source, 0) + 1
            chosen.append((path, text))
    return chosen


@pytest.mark.parametrize("family", ROUND_TRIPS)
def test_infer_then_check_reports_no_defect_on_a_rewritten_sound_corpus(
    sample, tmp_path, capsys, family
):
    import newscheck

    original, changed = tmp_path / "original", tmp_path / family
    original.mkdir()
    changed.mkdir()
    writers = ROUND_TRIPS[family]
    for index, (path, text) in enumerate(sample):
        name = Path(path).parent.name + "-" + Path(path).name
        (original / name).write_text(text, encoding="utf-8")
        date = writers[index % len(writers)](stamp(text))
        (changed / name).write_text(rewrite(text, date), encoding="utf-8")
    before = per_file(newscheck.check_paths([original], schema=run_infer(original, capsys)))
    inferred = run_infer(changed, capsys)
    after = per_file(newscheck.check_paths([changed], schema=inferred))
    # every file has exactly the diagnostics of its original under its own inferred schema
    assert after == before
    if family.startswith("naive-beijing"):
        assert inferred.read_text(encoding="utf-8").count("utc_offset: +08:00") == 6  # every source
    if family == "day-first-paris":
        text = inferred.read_text(encoding="utf-8")
        assert text.count("format: '%d.%m.%Y %H:%M'") == 6
        assert text.count("utc_offset: +02:00") == 6
        assert text.count("day order dmy, as the timestamps bear out") == 6


@pytest.mark.parametrize(
    "source", ["feed/voa", "feed/dw", "feed/rfi", "feed/nyt", "feed/reuters", "feed/ft"]
)
def test_infer_then_check_on_each_real_source_reports_what_the_default_reports(
    source, tmp_path, capsys
):
    import newscheck

    if not CORPUS.is_dir():
        pytest.skip("the shared corpus (../shared/corpus) is not present")
    directory = CORPUS / source
    from newscheck.cli import main

    capsys.readouterr()
    assert main(["schema", "infer", str(directory)]) == 0
    inferred = tmp_path / "inferred.yaml"
    inferred.write_text(capsys.readouterr().out, encoding="utf-8")

    def errors(results):
        return {
            r.path: sorted(d.code for d in r.diagnostics if d.severity is Severity.ERROR)
            for r in results
        }

    default = errors(newscheck.check_paths([directory]))
    assert errors(newscheck.check_paths([directory], schema=inferred)) == default
