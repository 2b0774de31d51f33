"""Checks across files in `newscheck check` (jobs, cache), and `newscheck report`."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote

import pytest

from newscheck.cli import main
from newscheck.registry import REGISTRY

from .. import synthetic
from ..helpers import CORPUS, missing


@pytest.fixture
def messy(tmp_path, monkeypatch):
    """60 files, with every kind of cross-file defect, cwd = tmp_path."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEWSCHECK_CACHE_DIR")
    corpus = synthetic.items(days=5, per_day=6)
    corpus[7] = replace(corpus[7], when=corpus[7].when + timedelta(days=3))  # out of order
    paths = synthetic.write(Path("feed"), corpus)
    paths[corpus[1]].write_text(synthetic.render(corpus[1], url=corpus[0].url))  # same URL
    paths[corpus[31]].write_text(synthetic.render(corpus[30]))  # the same file twice (dw)
    paths[corpus[32]].write_text(synthetic.render(corpus[33], url=corpus[32].url))  # content
    paths[corpus[40]].rename(paths[corpus[40]].with_name(f"{corpus[41].id}_dw报道第10篇.md"))
    paths[corpus[50]].rename(paths[corpus[50]].with_name(f"{corpus[50].id}_另一个标题.md"))
    return tmp_path


def run(capsys, *args):
    code = main(["check", "--output-format", "json", *args, "feed"])
    return code, capsys.readouterr().out


def test_corpus_diagnostics_are_the_same_with_jobs_and_cache(messy, capsys, monkeypatch):
    code, one = run(capsys, "--jobs", "1", "--no-cache")
    assert code == 1
    for code in ("NC951", "NC952", "NC954", "NC955", "NC956"):
        assert f'"code": "{code}"' in one, code
    assert run(capsys, "--jobs", "2", "--no-cache") == (1, one)
    assert run(capsys, "--jobs", "2") == (1, one)  # cold cache
    assert (messy / ".newscheck_cache").is_dir()

    def boom(article, options):
        raise RuntimeError("checked")

    rule = REGISTRY["NC207"]  # any file really checked now reports an internal error
    monkeypatch.setitem(REGISTRY, "NC207", type(rule)(**{**rule.__dict__, "check": boom}))
    assert run(capsys, "--jobs", "2") == (1, one)  # warm: every result from the cache
    assert run(capsys, "--jobs", "1") == (1, one)


def test_baseline_records_and_drops_corpus_diagnostics(messy, capsys):
    assert main(["check", "--no-cache", "--write-baseline", "base.json", "feed"]) == 0
    assert "Wrote 10 diagnostics in 60 files" in capsys.readouterr().out
    assert main(["check", "--no-cache", "--baseline", "base.json", "feed"]) == 0
    assert (
        capsys.readouterr().out
        == "Checked 60 files: 0 errors, 0 warnings, 0 info (0 with errors).\n"
    )


# The report


@pytest.fixture
def report(messy, capsys):
    (messy / "out").mkdir()
    code = main(["report", "--no-cache", "--max-findings", "1", "feed", "-o", "out/report.html"])
    assert code == 0
    assert capsys.readouterr().out == (
        "Wrote out/report.html: 60 files, 2 sources, 0 drift findings.\n"
    )
    return (messy / "out" / "report.html").read_text(encoding="utf-8")


def test_report_is_self_contained(report):
    assert report.startswith("<!DOCTYPE html>")
    for reference in re.findall(r'(?:src|href|xlink:href)\s*=\s*"([^"]*)"', report):
        assert not re.match(r"(?i)[a-z][a-z0-9+.-]*:|//", reference), reference
    for forbidden in ("<script", "<link", "<iframe", "<img", "@import", "url("):
        assert forbidden not in report.lower(), forbidden
    assert "<style>" in report and report.count("<svg") == 5


def test_report_has_the_tables_plots_and_links_to_files(messy, report):
    assert '<section id="sources">' in report
    for source in ("www.voachinese.com", "www.dw.com"):
        assert f"<tr><th>{source}</th>" in report
    assert "Files with date present" in report and "Files with errors" in report
    links = [unquote(h) for h in re.findall(r'href="([^"#][^"]*)"', report)]
    assert links and all((messy / "out" / link).is_file() for link in links), links
    # one listed per rule, then a count of the others
    assert re.search(r'<details id="nc951" open>.*?<li class="more">3 more</li>', report, re.S)
    assert html.escape("expected this article URL in one file") in report


def test_report_lists_drift_with_its_first_file(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)

    def loses_date(item):
        return replace(item, date=False) if item.source == "dw" and item.day >= 5 else item

    corpus = synthetic.items(change=loses_date)
    paths = synthetic.write(Path("feed"), corpus)
    assert main(["report", "--no-cache", "feed", "-o", "report.html"]) == 0
    assert "1 drift findings" in capsys.readouterr().out
    page = Path("report.html").read_text(encoding="utf-8")
    first = next(i for i in corpus if i.source == "dw" and i.day == 5 and i.when.hour == 6)
    assert (
        "<tr><th>www.dw.com</th><td>date present</td><td>2020-07-06</td>"
        '<td class="n">100% (18)</td><td class="n">0% (18)</td>'
        f'<td><a href="{paths[first]}">{paths[first]}</a></td></tr>'
    ) in page
    assert "Flagged: share change &gt;= 0.50 between the 3 days before" in page


def test_report_of_the_real_corpus_lists_its_duplicates(tmp_path, capsys):
    if not CORPUS.is_dir():
        missing("the shared corpus (../shared/corpus) is not present")
    output = tmp_path / "report.html"
    assert (
        main(["report", "--isolated", "--no-cache", str(CORPUS / "feed"), "-o", str(output)]) == 0
    )
    page = output.read_text(encoding="utf-8")
    assert "3,599" in page and page.count("<tr><th>") >= 6
    assert re.search(r'id="nc951" open>.*?5 in 5 files', page, re.S)
    assert len(page) < 400_000
