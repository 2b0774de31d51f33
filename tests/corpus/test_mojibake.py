"""NC704 on real text: the corpus garbled by every codec, and left as it is.

The test set is built from the real files in ../shared/corpus (skipped when
absent): the CJK runs of a file's first paragraph are garbled by a codec
(only runs the codec reads and writes back with no loss, so no U+FFFD gives
the damage away) and the file must get NC704 naming that codec; the original
file must not. The detector's thresholds were set looking at VOA, DW and RFI
only; the recall asserted here is measured on the three held-out sources.
"""

from __future__ import annotations

import re

import pytest

import newscheck

from ..helpers import CORPUS

HELD_OUT = ("nyt", "reuters", "ft")
# label in the message: (codec, how many times the text was misread)
CODECS = {
    "GBK": ("gb18030", 1),
    "Big5": ("cp950", 1),
    "Shift-JIS": ("cp932", 1),
    "EUC-KR": ("cp949", 1),
    "CP1252": ("cp1252", 1),
    "CP1252 twice": ("cp1252", 2),
}
PARAGRAPH = re.compile(r"<p>([^<]+)</p>")
# Runs of CJK text of two characters or more: ideographs, kana, hangul, CJK
# and full-width punctuation (general punctuation such as '•' left out).
CJK_RUN = re.compile("[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3\uff01-\uff65]{2,}")


def garble(text: str, codec: str, times: int = 1) -> tuple[str, int]:
    """``text`` with its first paragraph's CJK runs read as ``codec`` (``times``
    over), and how many."""
    paragraph = PARAGRAPH.search(text)
    if paragraph is None:
        return text, 0
    count = 0

    def misread(run: re.Match[str]) -> str:
        nonlocal count
        damaged = run.group()
        for _ in range(times):
            try:
                before, damaged = damaged, damaged.encode().decode(codec)
            except UnicodeDecodeError:
                return run.group()
            if damaged.encode(codec) != before.encode():
                return run.group()
        count += 1
        return damaged

    inner = CJK_RUN.sub(misread, paragraph.group(1))
    return text[: paragraph.start(1)] + inner + text[paragraph.end(1) :], count


def mojibake_codecs(text: str) -> list[str]:
    return [
        d.message.rsplit(" read as ", 1)[1].split(" (")[0]
        for d in newscheck.check_text(text).diagnostics
        if d.code == "NC704"
    ]


@pytest.fixture(scope="module")
def held_out():
    if not CORPUS.is_dir():
        pytest.skip("the shared corpus (../shared/corpus) is not present")
    return [
        path.read_text(encoding="utf-8")
        for source in HELD_OUT
        for path in sorted((CORPUS / "feed" / source).glob("*.md"))
    ]


@pytest.mark.parametrize("label", CODECS)
def test_garbled_real_paragraphs_are_found_as_their_codec(held_out, label):
    positives = found = named = 0
    for text in held_out:
        damaged, runs = garble(text, *CODECS[label])
        if not runs:
            continue
        positives += 1
        codecs = mojibake_codecs(damaged)
        found += bool(codecs)
        named += codecs[:1] == [label]
    assert positives >= 10, "too few runs of this codec to judge"
    assert found >= 0.98 * positives, f"recall {found}/{positives}"
    assert named >= 0.97 * positives, f"codec named right {named}/{positives}"


def test_no_real_file_of_any_folder_is_mojibake(corpus):
    """The feed is counted by test_corpus (NC704 is an error there); here the
    seed and the other layouts, each checked with the layout that fits it."""
    paths = [p for p in sorted(corpus.rglob("*")) if p.is_file() and "feed" not in p.parts]
    paths = [p for p in paths if p.suffix in (".md", ".txt")]
    assert len(paths) >= 18
    alarms = [
        (p.name, d.message)
        for p in paths
        for d in newscheck.check_bytes(p.read_bytes(), str(p), schema="auto").diagnostics
        if d.code == "NC704"
    ]
    assert alarms == []
