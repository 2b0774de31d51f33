"""The real corpus in ../shared/corpus (skipped when absent)."""

from __future__ import annotations

import collections
import re

import pytest

import newscheck
from newscheck import Severity

from ..helpers import ROOT

SOURCES = ("voa", "dw", "rfi", "nyt", "reuters", "ft")


@pytest.fixture(scope="module")
def feed_results():
    from ..helpers import CORPUS, missing

    if not CORPUS.is_dir():
        missing("the shared corpus (../shared/corpus) is not present")
    return list(newscheck.check_paths([CORPUS / "feed"], corpus=True))


def documented_counts():
    table = (ROOT / "docs" / "calibration.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (NC\d{3}) \| ([a-z0-9-]+) \| (\w+) \| (\d+) \| (\d+) \|$", table, re.M)
    return {
        code: (name, severity, int(count), int(files))
        for code, name, severity, count, files in rows
    }


def test_every_feed_file_gets_a_result_and_none_an_internal_error(feed_results):
    assert len(feed_results) == 3599
    assert not [r.path for r in feed_results for d in r.diagnostics if d.code == "NC000"]


def test_fewer_than_one_percent_of_real_files_carry_an_error(feed_results):
    with_errors = [r for r in feed_results if not r.ok]
    assert len(with_errors) < 36
    error_codes = {
        d.code for r in with_errors for d in r.diagnostics if d.severity is Severity.ERROR
    }
    assert error_codes <= {"NC204", "NC206", "NC601"}


def test_per_rule_counts_match_docs_calibration(feed_results):
    counts = collections.Counter()
    files = collections.defaultdict(set)
    for result in feed_results:
        for d in result.diagnostics:
            counts[d.code] += 1
            files[d.code].add(result.path)
    measured = {
        rule.code: (
            rule.name,
            str(rule.severity or "off"),
            counts[rule.code],
            len(files[rule.code]),
        )
        for rule in newscheck.all_rules()
        if counts[rule.code]
    }
    assert measured == documented_counts()


def test_seed_file_is_clean(corpus):
    result = newscheck.check_file(corpus / "seed" / "000_9d3caddefaca2668.txt")
    assert result.ok
    assert [d.code for d in result.diagnostics] == ["NC805"]


def test_other_layouts_never_crash(corpus):
    results = list(newscheck.check_paths([corpus / "other-layouts"], jobs=1))
    assert len(results) == 17
    assert not [d for r in results for d in r.diagnostics if d.code == "NC000"]
