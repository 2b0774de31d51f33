"""What the result cache gives back, through ``newscheck check``: a result
cut short by an internal error is never kept, a whole run is replayed exactly
(clean files around the kept rows, more than one batch of rows, the schemas
``--schema auto`` chose), and a file's content key holds the rules ignored for
its path relative to the configuration, wherever the run starts.

The probe (tests/conftest.py) is an internal error in every file really
checked: a file served from the cache does not show it.
"""

from __future__ import annotations

import pytest

from newscheck.cli import main

from ..helpers import ROOT, article
from ..patched import replace_rule, spin

NAN = "NC102 expected '<!--' + 13 digits (epoch milliseconds) + '-->', found '<!--NaN-->'"


@pytest.fixture
def feed(tmp_path, monkeypatch):
    """An empty folder ``feed`` in the working directory; the cache beside it."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEWSCHECK_CACHE_DIR")
    (tmp_path / "feed").mkdir()
    return tmp_path / "feed"


def run(capsys, *args: str) -> tuple[int, str]:
    code = main(["check", "--output-format", "concise", *args, "feed"])
    return code, capsys.readouterr().out


@pytest.fixture
def trouble(monkeypatch):
    """``trouble.append(kind)``: from then on rule NC207 raises ("bug") or
    runs past the time budget of 0.5 s ("slow"), until ``trouble.clear()``.
    The rule stays the same function, so the run's settings stay the same."""
    kinds: list[str] = []

    def check(article, options):
        if "bug" in kinds:
            raise RuntimeError("a bug")
        spin(1.0 if "slow" in kinds else 0)
        return iter(())

    replace_rule(monkeypatch, "NC207", check)
    return kinds


@pytest.mark.parametrize(
    "kind, shown",
    [
        ("bug", "NC000 rule NC207 title-whitespace failed: RuntimeError: a bug"),
        (
            "slow",
            "NC012 expected the check to finish within 0.5 s, found it still in rule NC207 "
            "title-whitespace; the rest of the file was not checked",
        ),
    ],
)
def test_a_result_cut_short_is_not_kept(feed, capsys, trouble, kind, shown):
    """Neither for the file nor in the whole run: the same run again, once the
    trouble is gone, checks each file again."""
    budget = feed.parent / "budget.yaml"
    budget.write_text("extends: feed-article\nrules:\n  NC012: {seconds: 0.5}\n", "utf-8")
    for n in range(2):
        (feed / f"{n}.md").write_text(article(n), encoding="utf-8")
    trouble.append(kind)
    code, out = run(capsys, "--schema", str(budget))
    assert (code, out) == (
        {"bug": 2, "slow": 1}[kind],
        f"feed/0.md:1:1: {shown}\nfeed/1.md:1:1: {shown}\n",
    )
    trouble.clear()
    assert run(capsys, "--schema", str(budget)) == (0, "")


@pytest.mark.parametrize(
    "defective",
    [(), (0,), (2,)],
    ids=["no-rows", "first-row-only", "last-row-only"],
)
def test_a_whole_run_is_replayed_with_its_clean_files(feed, capsys, probe, defective):
    for n in range(4):
        broken = {"timestamp": "<!--NaN-->"} if n in defective else {}
        (feed / f"{n}.md").write_text(article(n, **broken), encoding="utf-8")
    first = run(capsys)
    assert first == (
        1 if defective else 0,
        "".join(f"feed/{n}.md:1:1: {NAN}\n" for n in defective),
    )
    probe()
    assert run(capsys) == first  # replayed: no file checked, none shows the probe


def test_a_run_of_more_than_one_batch_of_rows_is_replayed_whole(feed, capsys, probe):
    """The rows of a run are kept 512 at a time as the results go by."""
    for n in range(520):
        text = article(n % 100, timestamp="<!--NaN-->", title=f"[标题{n}](https://a.example/{n})")
        (feed / f"{n:03}.md").write_text(text, encoding="utf-8")
    first = run(capsys, "--select", "NC102")
    assert first[0] == 1 and first[1].count(" NC102 ") == 520
    probe()
    assert run(capsys, "--select", "NC102") == first


def test_the_schemas_auto_chose_are_replayed(feed, capsys, probe):
    jekyll = ROOT / "docs" / "examples" / "jekyll" / "2024-03-05-tram-airport.md"
    (feed / jekyll.name).write_bytes(jekyll.read_bytes())
    (feed / "b.md").write_text(article(1), encoding="utf-8")
    (feed / "c.md").write_text(article(2, timestamp="<!--NaN-->"), encoding="utf-8")
    args = ("--output-format", "text", "--schema", "auto")
    first = main(["check", *args, "feed"]), capsys.readouterr().out
    assert first[0] == 1
    assert first[1].splitlines()[-1] == (
        "Schemas chosen by --schema auto: feed-article 2, jekyll-feed-article 1."
    )
    probe()
    assert (main(["check", *args, "feed"]), capsys.readouterr().out) == first


def test_a_content_key_holds_the_rules_ignored_for_the_path_from_any_folder(
    tmp_path, capsys, monkeypatch
):
    """Two files of the same bytes, NC102 ignored for one (by a glob relative
    to the configuration), each checked from its own folder: the other's
    result is not the ignored one's."""
    monkeypatch.delenv("NEWSCHECK_CACHE_DIR")
    (tmp_path / "newscheck.toml").write_text(
        '[per-file-ignores]\n"quiet/*.md" = ["NC102"]\n', encoding="utf-8"
    )
    text = article(timestamp="<!--NaN-->")
    for folder in ("quiet", "loud"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "a.md").write_text(text, encoding="utf-8")
    concise = ["check", "--jobs", "1", "--output-format", "concise", "a.md"]
    monkeypatch.chdir(tmp_path / "quiet")
    assert (main(concise), capsys.readouterr().out) == (0, "")
    monkeypatch.chdir(tmp_path / "loud")
    assert (main(concise), capsys.readouterr().out) == (1, f"a.md:1:1: {NAN}\n")
