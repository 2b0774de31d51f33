"""NC704 mojibake: every common codec confusion found by round trip, and real text
in several scripts left alone. Corpus-independent: the texts are written here
(well-known public-domain sentences) and garbled with Python's own codecs."""

from __future__ import annotations

import re

import pytest

import newscheck

from ..helpers import article

DATE = "<div><i>Mon, 20 Jul 2020 17:00:00 GMT</i></div>"
BODY = "<p>中国国家副主席韩正周三表示，中美双方进行高层对话有助于改善两国关系。</p>"
AT = len(DATE) + len("<p>") + 1  # column of the first character of the garbled paragraph

# Real text of the scripts the corpus languages and their neighbours write.
CJK = {
    "zh-Hans": "学而时习之，不亦说乎？有朋自远方来，不亦乐乎？人不知而不愠，不亦君子乎？"
    "床前明月光，疑是地上霜。举头望明月，低头思故乡。",
    "zh-Hant": "學而時習之，不亦說乎？有朋自遠方來，不亦樂乎？人不知而不慍，不亦君子乎？"
    "床前明月光，疑是地上霜。舉頭望明月，低頭思故鄉。",
    "ja": "吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。"
    "祇園精舎の鐘の声、諸行無常の響きあり。春はあけぼの。やうやう白くなりゆく山ぎは、"
    "すこしあかりて、紫だちたる雲のほそくたなびきたる。",
    "ko": "동해물과 백두산이 마르고 닳도록 하느님이 보우하사 우리나라 만세. "
    "모든 인간은 태어날 때부터 자유로우며 그 존엄과 권리에 있어 동등하다.",
}
OTHER = {
    "fr": "Voix ambiguë d'un cœur qui, au zéphyr, préfère les jattes de kiwis.",
    "de": "Zwölf Boxkämpfer jagen Viktor quer über den großen Sylter Deich.",
    "es": "El pingüino Wenceslao hizo kilómetros bajo exhaustiva lluvia y frío, añoraba a su "
    "querido cachorro.",
    "pt": "À noite, vovô Kowalsky vê o ímã cair no pé do pinguim queixoso e vovó põe açúcar no "
    "chá de tâmaras do jabuti feliz.",
    "tr": "Pijamalı hasta yağız şoföre çabucak güvendi.",
    "cs": "Příliš žluťoučký kůň úpěl ďábelské ódy.",
    "ru": "Съешь же ещё этих мягких французских булок, да выпей чаю.",
    "el": "Ξεσκεπάζω την ψυχοφθόρα βδελυγμία.",
    "symbols": "½ °C ± 5 € — “quoted” · naïve • Ægir ©®™ …",
}
CODECS = {"GBK": "gb18030", "Big5": "cp950", "Shift-JIS": "cp932", "EUC-KR": "cp949"}


def page(text: str) -> str:
    return article(content=f"{DATE}<p>{text}</p>{BODY}")


def mojibake_of(text: str) -> list[newscheck.Diagnostic]:
    return [d for d in newscheck.check_text(page(text)).diagnostics if d.code == "NC704"]


def garbled(text: str, codec: str) -> str | None:
    """``text``'s UTF-8 read as ``codec``, when that reading loses nothing
    (no U+FFFD, and it encodes back to the same bytes)."""
    try:
        damaged = text.encode().decode(codec)
    except UnicodeDecodeError:
        return None
    return damaged if damaged.encode(codec) == text.encode() else None


@pytest.mark.parametrize("text", [*CJK.values(), *OTHER.values()], ids=[*CJK, *OTHER])
def test_real_text_of_every_script_is_not_mojibake(text):
    assert mojibake_of(text) == []


@pytest.mark.parametrize(
    ("damaged", "message"),
    [
        ("缇庡浗鎬荤粺", "'缇庡浗鎬荤粺' is '美国总统' read as GBK"),
        ("蝥賜漲憭批郎", "'蝥賜漲憭批郎' is '纽约大学' read as Big5"),
        ("鄒主嵜", "'鄒主嵜' is '美国' read as Shift-JIS"),
        ("獰롥쎖", "'獰롥쎖' is '美国' read as EUC-KR"),
        ("ä¸\xadå›½", "'ä¸\\xadå›½' is '中国' read as CP1252"),
        ("Ã¤Â¸Â\xadÃ¥Â›Â½", "'Ã¤Â¸Â\\xadÃ¥Â›Â½' is '中国' read as CP1252 twice"),
        ("Ð¡ÑŠÐµÑˆÑŒ", "'Ð¡ÑŠÐµÑˆÑŒ' is 'Съешь' read as CP1252"),
    ],
)
def test_each_codec_is_named_with_the_original(damaged, message):
    [diagnostic] = mojibake_of(damaged)
    assert (diagnostic.line, diagnostic.column) == (5, AT)
    assert diagnostic.end_column == AT + len(damaged)
    assert diagnostic.message == (
        f"expected readable text, found mojibake: {message} (1 run(s) in the file)"
    )


def test_first_run_is_reported_with_the_count():
    text = "新闻".encode().decode("gb18030") + " and " + "日本".encode().decode("gb18030")
    [diagnostic] = mojibake_of(text)
    assert diagnostic.column == AT
    assert diagnostic.message == (
        "expected readable text, found mojibake: '鏂伴椈' is '新闻' read as GBK (2 run(s) in the file)"
    )


def test_a_run_beside_real_text_is_found_in_it():
    damaged = "台湾".encode().decode("gb18030")
    [diagnostic] = mojibake_of(f"中国{damaged}大学")
    assert (diagnostic.column, diagnostic.end_column) == (AT + 2, AT + 2 + len(damaged))


def test_a_byte_lost_by_a_cp1252_decoder_leaves_the_rest_found():
    # the run ends where the lost byte left a lead without its continuations
    # Python's cp1252 with "ignore" drops 0x8D, the middle byte of 卿 (E5 8D BF)
    damaged = "国务卿".encode().decode("cp1252", "ignore")
    diagnostics = mojibake_of(damaged)
    assert [d.message for d in diagnostics] == [
        "expected readable text, found mojibake: 'å›½åŠ¡' is '国务' read as CP1252 "
        "(1 run(s) in the file)"
    ]


def words(text: str) -> list[str]:
    return [w for w in re.split(r"[\s，。、？！.]+", text) if len(w) >= 2]


def windows(text: str) -> set[str]:
    """Every stretch of two to four letters of ``text``'s words."""
    return {
        word[i : i + size]
        for word in words(text)
        for size in (2, 3, 4)
        for i in range(len(word) - size + 1)
    }


# Big5 reads none of these whole words back without loss (its trail bytes skip
# 0x80..0xA0): it is tried on stretches below and on the corpus.
@pytest.mark.parametrize("label", [label for label in CODECS if label != "Big5"])
def test_every_clean_misreading_of_real_cjk_words_is_found(label):
    """Whole words of CJK text garbled by each codec (where the reading loses
    nothing): each one reported, as that codec, with its original."""
    cases = [
        (w, d) for text in CJK.values() for w in words(text) if (d := garbled(w, CODECS[label]))
    ]
    assert len(cases) >= 5
    missed = [
        (word, damaged)
        for word, damaged in cases
        if [(d.message.split(" is ")[1], d.column) for d in mojibake_of(damaged)]
        != [(f"{word!r} read as {label} (1 run(s) in the file)", AT)]
    ]
    assert missed == []


def test_misreadings_of_short_stretches_found_per_codec():
    """Two to four letters, every codec: the weakest evidence. A few are too
    ambiguous to tell (two common letters from two common letters); none is
    reported as another codec."""
    for label, codec in CODECS.items():
        cases = [d for text in CJK.values() for w in windows(text) if (d := garbled(w, codec))]
        found = [mojibake_of(d) for d in cases]
        assert all(
            d[0].message.endswith(f"read as {label} (1 run(s) in the file)") for d in found if d
        )
        assert cases and sum(map(bool, found)) >= 0.95 * len(cases), (label, len(cases))


def test_a_real_quote_after_a_run_is_not_taken_into_it():
    # '”' looks like a continuation byte read as CP1252; after a complete character it is text
    twice = "抗争派".encode().decode("cp1252").encode().decode("cp1252")
    [diagnostic] = mojibake_of(f"“{twice}”")
    assert (diagnostic.column, diagnostic.end_column) == (AT + 1, AT + 1 + len(twice))
    assert diagnostic.message.endswith("is '抗争派' read as CP1252 twice (1 run(s) in the file)")
