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
from newscheck.diagnostics import REGISTRY, lookup

from ..helpers import ROOT, article

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


def test_a_result_with_an_internal_error_is_not_kept(feed, capsys, monkeypatch):
    for n in range(3):
        (feed / f"{n}.md").write_text(article(n), encoding="utf-8")
    with monkeypatch.context() as patch:
        patch.setitem(REGISTRY, "NC207", lookup("NC207"))  # put back at the end

        def boom(article, options):
            raise RuntimeError("a bug")

        rule = REGISTRY["NC207"]
        patch.setitem(REGISTRY, "NC207", type(rule)(**{**rule.__dict__, "check": boom}))
        code, out = run(capsys)
        assert code == 2  # an internal error
        assert out.count("NC000 rule NC207 title-whitespace failed: RuntimeError: a bug") == 3
    # The bug fixed, the same run: each file is checked again, and is clean.
    assert run(capsys) == (0, "")


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
    """Two files of the same bytes, NC102 ignored for one: run from a third
    folder, the other's result is not the ignored one's."""
    monkeypatch.delenv("NEWSCHECK_CACHE_DIR")
    (tmp_path / "newscheck.toml").write_text(
        '[per-file-ignores]\n"quiet/*.md" = ["NC102"]\n', encoding="utf-8"
    )
    for folder in ("quiet", "loud", "here"):
        (tmp_path / folder).mkdir()
    text = article(timestamp="<!--NaN-->")
    (tmp_path / "quiet" / "a.md").write_text(text, encoding="utf-8")
    (tmp_path / "loud" / "a.md").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path / "here")
    concise = ("check", "--jobs", "1", "--output-format", "concise")
    assert main([*concise, "../quiet/a.md"]) == 0
    assert capsys.readouterr().out == ""
    assert main([*concise, "../loud/a.md"]) == 1
    assert capsys.readouterr().out == f"../loud/a.md:1:1: {NAN}\n"
