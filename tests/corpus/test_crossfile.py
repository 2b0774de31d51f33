"""Checks across files (NC951-NC956): on the real corpus, and on synthetic ones."""

from __future__ import annotations

import collections
import json
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from newscheck.cli import main
from newscheck.corpus_index import filename_id, longest_non_increasing, title_mismatch

from .. import synthetic
from ..helpers import CORPUS, missing

SOURCES = ("voa", "dw", "rfi", "nyt", "reuters", "ft")
LINK = re.compile(r"\]\((\S+?)\)\n-{6}\n")


def check_json(capsys, *args):
    code = main(["check", "--isolated", "--no-cache", "--output-format", "json", *args])
    return code, json.loads(capsys.readouterr().out)


def by_code(report, code):
    """{path: [messages]} of one rule's diagnostics."""
    found = collections.defaultdict(list)
    for entry in report["files"]:
        for d in entry["diagnostics"]:
            if d["code"] == code:
                found[entry["path"]].append(d)
    return dict(found)


# The real corpus


@pytest.fixture(scope="module")
def feed_report():
    if not CORPUS.is_dir():
        missing("the shared corpus (../shared/corpus) is not present")
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(["check", "--isolated", "--no-cache", "--output-format", "json", str(CORPUS / "feed")])
    return json.loads(out.getvalue())


def real_duplicate_urls():
    """Counted here without newscheck: the link's URL, read with a regex, exactly."""
    files = collections.defaultdict(list)
    paths = [p for source in SOURCES for p in (CORPUS / "feed" / source).glob("*.md")]
    for path in sorted(paths):
        found = LINK.search(path.read_text(encoding="utf-8"))
        assert found, path
        files[found.group(1)].append(str(path))
    return {url: paths for url, paths in files.items() if len(paths) > 1}


def test_every_real_duplicate_url_is_found_and_no_false_one(feed_report):
    duplicates = real_duplicate_urls()
    assert len(duplicates) == 2  # FT's daily tracker (3 files) and one VOA item (2 files)
    assert sorted(len(p) for p in duplicates.values()) == [2, 3]
    reported = by_code(feed_report, "NC951")
    assert set(reported) == {p for paths in duplicates.values() for p in paths}
    for paths in duplicates.values():
        for path in paths:
            (d,) = reported[path]
            others = [p for p in paths if p != path]
            assert d["message"].endswith(", ".join(others)), d["message"]
            assert f"{len(others)} other file" in d["message"]
            assert (d["line"], d["severity"]) == (2, "warning")


def test_real_identical_and_near_identical_bodies(feed_report):
    identical = by_code(feed_report, "NC952")
    near = by_code(feed_report, "NC953")
    # DW items re-titled (so a new URL) with the same content: three pairs
    assert len(identical) == 6 and all("/dw/" in p for p in identical)
    assert len(near) == 10 and all("/dw/" in p for p in near)
    assert not set(identical) & set(near)
    assert not set(identical) & set(by_code(feed_report, "NC951"))


def test_real_ids_titles_and_order_agree(feed_report):
    for code in ("NC954", "NC955", "NC956"):
        assert by_code(feed_report, code) == {}, code


def test_real_file_names_are_the_title_with_slash_as_double_dash():
    if not CORPUS.is_dir():
        missing("the shared corpus (../shared/corpus) is not present")
    names = {}
    for line in (CORPUS / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        path, _, _, original, *_ = line.split("\t")
        names[path] = original.rsplit("/", 1)[-1]
    slashes = 0
    for path, original in names.items():
        if not path.startswith("feed/"):
            continue
        text = (CORPUS / path).read_text(encoding="utf-8")
        title = text[text.index("\n") + 2 : LINK.search(text).start()]
        _, named = filename_id(path.rsplit("/", 1)[-1])
        assert original.replace("\\n", "%0A") == path.rsplit("/", 1)[-1]
        assert title_mismatch(path, named, title) is None, path
        slashes += "/" in title
    assert slashes == 8


# Synthetic corpora


def test_duplicates_name_each_other_and_are_reported_once_per_pair(tmp_path, capsys):
    corpus = synthetic.items(days=1, per_day=5, sources=("voa",))
    paths = synthetic.write(tmp_path, corpus)
    a, b, c, d, e = (paths[item] for item in corpus)
    b.write_text(synthetic.render(corpus[1], url=corpus[0].url.replace("https:", "http:")))
    c.write_text(synthetic.render(corpus[0]).replace("voa报道第0篇", "voa报道第0篇（更新）"))
    e.write_text(synthetic.render(replace(corpus[3], image=False), url=corpus[4].url))
    code, report = check_json(capsys, str(tmp_path))
    assert code == 0
    # others are named in the order of the run: by name, so c (the lowest id) first
    assert {p: [x["message"] for x in m] for p, m in by_code(report, "NC951").items()} == {
        str(a): [
            f"expected this article URL in one file, found it also in 2 other files: {c}, {b}"
        ],
        str(b): [
            f"expected this article URL in one file, found it also in 2 other files: {c}, {a}"
        ],
        str(c): [
            f"expected this article URL in one file, found it also in 2 other files: {b}, {a}"
        ],
    }
    # a and c also share their content, but NC951 reported that pair already
    assert by_code(report, "NC952") == {}
    near = by_code(report, "NC953")  # d and e: the same text, e without its image
    assert sorted(near) == sorted([str(d), str(e)])
    assert near[str(d)][0]["message"].endswith(f"found the same text in 1 other file: {e}")
    assert (near[str(d)][0]["line"], near[str(d)][0]["column"]) == (5, 1)


def test_urls_are_compared_as_the_same_address(tmp_path, capsys):
    """Case of scheme and host, http or https, a default port, an IDN host or its
    punycode, a trailing dot on the host, dot segments, an escaped unreserved
    character, a fragment, a trailing slash and the case of escapes do not make
    another URL; another port, path, ``//`` run, escaped ``/`` or query does."""
    same = [
        "https://例子.测试/~user/a/%e4%b8%ad",
        "HTTPS://例子.测试./%7Euser/a/%E4%B8%AD/",
        "http://xn--fsqu00a.xn--0zwm56d:80/%7euser/./b/../a/%E4%B8%AD#top",
        "https://XN--FSQU00A.xn--0zwm56d:443/~user/a/%E4%B8%AD",
        "https://例子.测试/~user/a/中",
    ]
    other = [
        "https://例子.测试:8443/~user/a/%E4%B8%AD",
        "http://例子.测试:443/~user/a/%E4%B8%AD",
        "https://例子.测试/~user/a//%E4%B8%AD",
        "https://例子.测试/~user/a%2F%E4%B8%AD",
        "https://例子.测试/~User/a/%E4%B8%AD",
        "https://例子.测试/~user/a/%E4%B8%AD?x=1",
        "https://例子.测试.com/~user/a/%E4%B8%AD",
    ]
    corpus = synthetic.items(days=1, per_day=len(same) + len(other), sources=("voa",))
    paths = synthetic.write(tmp_path, corpus)
    for item, url in zip(corpus, same + other, strict=True):
        paths[item].write_text(synthetic.render(item, url=url), encoding="utf-8")
    _, report = check_json(capsys, str(tmp_path))
    assert sorted(by_code(report, "NC951")) == sorted(str(paths[i]) for i in corpus[: len(same)])


def test_an_ignored_earlier_rule_lets_the_next_one_report_the_pair(tmp_path, capsys):
    corpus = synthetic.items(days=1, per_day=2, sources=("voa",))
    paths = synthetic.write(tmp_path, corpus)
    paths[corpus[1]].write_text(synthetic.render(corpus[0]))  # the same file twice
    _, report = check_json(capsys, str(tmp_path))
    assert sorted(by_code(report, "NC951")) == sorted(map(str, paths.values()))
    assert by_code(report, "NC952") == {}
    _, report = check_json(capsys, "--ignore", "NC951", str(tmp_path))
    assert by_code(report, "NC951") == {}
    assert sorted(by_code(report, "NC952")) == sorted(map(str, paths.values()))


def test_colliding_ids_in_one_folder_not_across_folders(tmp_path, capsys):
    corpus = synthetic.items(days=1, per_day=2)
    paths = synthetic.write(tmp_path, corpus)
    voa = paths[corpus[0]]
    twin = voa.with_name(f"{corpus[0].id}_voa报道第1篇.md")
    voa.with_name(f"{corpus[1].id}.md").rename(twin)
    code, report = check_json(capsys, str(tmp_path))
    assert code == 1  # NC954 is an error
    collisions = by_code(report, "NC954")
    assert sorted(collisions) == sorted([str(voa), str(twin)])
    assert collisions[str(voa)][0]["message"] == (
        f"expected id {corpus[0].id} in one file of this folder, found it also in 1 other file: {twin}"
    )
    assert (collisions[str(voa)][0]["line"], collisions[str(voa)][0]["column"]) == (1, 1)
    # the dw folder holds the same ids: no collision across folders
    assert not [p for p in collisions if "/dw/" in p]


def test_an_id_whose_timestamp_contradicts_the_order(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the configuration is the working directory's
    corpus = synthetic.items(days=3, per_day=4, sources=("voa",))
    moved = corpus[2]  # an old article (high id) stamped two days later
    corpus[2] = replace(moved, when=moved.when + timedelta(days=2))
    paths = synthetic.write(tmp_path, corpus)
    _, report = check_json(capsys, str(tmp_path))
    found = by_code(report, "NC955")
    assert list(found) == [str(paths[corpus[2]])]
    (d,) = found[str(paths[corpus[2]])]
    assert (d["line"], d["column"], d["severity"]) == (1, 5, "warning")
    # its neighbour by id (number 3, written just after it) is 47 hours older
    assert d["message"] == (
        f"expected id {moved.id} to be older than id {corpus[3].id} (a higher id is an older "
        f"article), found its timestamp 2 days newer than {paths[corpus[3]]}'s"
    )
    # within the tolerance (two days), nothing
    (tmp_path / "newscheck.toml").write_text("[rules.id-order]\ntolerance = 172800\n")
    main(["check", "--no-cache", "--output-format", "json", str(tmp_path)])
    assert by_code(json.loads(capsys.readouterr().out), "NC955") == {}


def test_longest_non_increasing_keeps_the_sound_run():
    assert longest_non_increasing([9, 8, 1, 7, 6]) == [0, 1, 3, 4]
    assert longest_non_increasing([5, 5, 4]) == [0, 1, 2]
    assert longest_non_increasing([]) == []


def test_file_name_title_mismatch(tmp_path, capsys):
    corpus = synthetic.items(days=1, per_day=3, sources=("voa",))
    paths = synthetic.write(tmp_path, corpus)
    good = paths[corpus[0]].with_name(f"{corpus[0].id}_美国--中国 报道%0A.md")
    good.write_text(synthetic.render(corpus[0], title="美国/中国 报道"))
    paths[corpus[0]].unlink()
    bad = paths[corpus[1]].with_name(f"{corpus[1].id}_另一篇报道.md")
    paths[corpus[1]].rename(bad)
    _, report = check_json(capsys, str(tmp_path))
    found = by_code(report, "NC956")
    assert list(found) == [str(bad)]
    assert found[str(bad)][0]["message"] == (
        "expected the file name to carry the link title 'voa报道第1篇', found '另一篇报道'"
    )
    assert (found[str(bad)][0]["line"], found[str(bad)][0]["column"]) == (2, 2)


def test_suppressed_inline_and_by_per_file_ignores(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the configuration is the working directory's
    corpus = synthetic.items(days=1, per_day=3, sources=("voa",))
    paths = synthetic.write(tmp_path, corpus)
    a, b, c = (paths[item] for item in corpus)
    text = synthetic.render(corpus[1], url=corpus[0].url)
    b.write_text(text.replace("</p>", "</p><!-- newscheck: disable=duplicate-url -->"))
    c.write_text(synthetic.render(corpus[2], url=corpus[0].url))
    (tmp_path / "newscheck.toml").write_text(f'[per-file-ignores]\n"voa/{c.name}" = ["NC95"]\n')
    main(["check", "--no-cache", "--output-format", "json", str(tmp_path)])
    report = json.loads(capsys.readouterr().out)
    found = by_code(report, "NC951")
    assert list(found) == [str(a)]  # b and c still named: they are duplicates
    assert found[str(a)][0]["message"].endswith(f"2 other files: {c}, {b}")
    assert by_code(report, "NC011") == {}  # the suppression is used, not reported


def test_corpus_rules_need_nothing_but_several_files(tmp_path, capsys):
    corpus = synthetic.items(days=1, per_day=1, sources=("voa",))
    (path,) = synthetic.write(tmp_path, corpus).values()
    assert check_json(capsys, str(path)) == (
        0,
        {
            "version": 1,
            "files": [{"path": str(path), "diagnostics": []}],
            "summary": {"files": 1, "files_with_errors": 0, "errors": 0, "warnings": 0, "info": 0},
        },
    )


@pytest.mark.parametrize(
    "output", ["text", "concise", "json", "jsonl", "github", "junit", "sarif", "gitlab"]
)
def test_every_output_format_carries_corpus_diagnostics(tmp_path, capsys, output):
    corpus = synthetic.items(days=1, per_day=2, sources=("voa",))
    paths = synthetic.write(tmp_path, corpus)
    paths[corpus[1]].write_text(synthetic.render(corpus[1], url=corpus[0].url))
    main(["check", "--isolated", "--no-cache", "--output-format", output, str(tmp_path)])
    out = capsys.readouterr().out
    if output == "sarif":
        results = json.loads(out)["runs"][0]["results"]
        assert [r["ruleId"] for r in results] == ["NC951", "NC951"]
    elif output == "gitlab":
        assert [i["check_name"] for i in json.loads(out)] == ["NC951", "NC951"]
    else:
        assert out.count("NC951") == 2, out


@pytest.mark.parametrize(("third", "reported"), [(1595374082000, True), (1595272000000, False)])
def test_the_documented_id_order_example(tmp_path, capsys, third, reported):
    stamps = {
        1047746: 1595280000000,
        1047747: 1595274082000,
        1047748: third,
        1047749: 1595270000000,
    }
    base = synthetic.items(days=1, per_day=4, sources=("voa",))
    for item, (ident, stamp) in zip(base, stamps.items(), strict=True):
        when = datetime.fromtimestamp(stamp / 1000, UTC)
        (tmp_path / f"{ident}.md").write_text(synthetic.render(replace(item, when=when)))
    _, report = check_json(capsys, str(tmp_path))
    expected = [str(tmp_path / "1047748.md")] if reported else []
    assert list(by_code(report, "NC955")) == expected
