"""Corpus rules: defects no single file shows, found across every checked file.

They run over the facts of the whole run (see :mod:`newscheck.corpus_index`) once
every file is checked, so they are reported by ``newscheck check`` over several
files, and not by a check of one text. Each is selected, ignored, configured
and suppressed (``<!-- newscheck: disable=NC951 -->``) like any other rule.
"""

from __future__ import annotations

import array
from collections.abc import Iterator, Mapping
from typing import Any

from ..corpus_index import (
    CorpusFinding,
    CorpusIndex,
    duplicates,
    duration,
    groups,
    longest_non_increasing,
)
from ..examples import examples
from ..registry import corpus_rule
from ._util import shorten

_POSITIVE = {"type": "integer", "minimum": 0}


@corpus_rule("NC951", "duplicate-url", "warning")
@examples(
    elsewhere="tests.corpus.test_crossfile:test_duplicates_name_each_other_and_are_reported_once_per_pair"
)
def duplicate_url(index: CorpusIndex, options: Mapping[str, Any]) -> Iterator[CorpusFinding]:
    """The same article URL is in several files.

    The real archiver's de-duplication is broken: an item that reappears in
    the feed (often with a new publication time) is written again under a new
    id, so readers, search indexes and sites show it twice. Reported on every
    file involved, naming the others. URLs are compared normalised (RFC 3986
    and IDNA): scheme and host case, an IDN host or its punycode, a trailing
    dot on the host, a default port, dot segments, ``~`` or ``%7E`` (any
    unreserved character escaped or not), percent-escape case, fragment and
    trailing slash do not matter, nor ``http`` against ``https``.

    Fail (two files)::

        feed/ft/1048018_每日更新.md: [每日更新：全球新冠疫情追踪](https://cn.ft.com/story/001086884?full=y)
        feed/ft/1048122_每日更新.md: [每日更新：全球新冠疫情追踪](https://cn.ft.com/story/001086884?full=y)

    Pass (one file per URL)::

        feed/ft/1048018_每日更新.md: [每日更新：全球新冠疫情追踪](https://cn.ft.com/story/001086884?full=y)
        feed/ft/1048123_英国脱欧.md: [英国脱欧进入关键时刻](https://cn.ft.com/story/001088650?full=y)
    """
    message = "expected this article URL in one file, found it also in {others}"
    for group in groups(index.urls):
        yield from duplicates(index, group, "url", message, f"url:{index.urls[group[0]]}")


def _long_enough(index: CorpusIndex, options: Mapping[str, Any]) -> Any:
    least = int(options["min_chars"])
    return lambda number: index.chars[number] >= least


@corpus_rule(
    "NC952", "duplicate-content", "warning", min_chars=30, option_schemas={"min_chars": _POSITIVE}
)
@examples(
    elsewhere="tests.corpus.test_crossfile:test_an_ignored_earlier_rule_lets_the_next_one_report_the_pair"
)
def duplicate_content(index: CorpusIndex, options: Mapping[str, Any]) -> Iterator[CorpusFinding]:
    """Several files under different URLs hold exactly the same content.

    The same article re-published under a new URL (a source that puts the
    title in its URLs changed the title) and archived again. Files that
    duplicate-url (NC951) already relates are not reported again. Bodies
    shorter than ``min_chars`` visible characters are left out: a one-line
    video caption may well recur.

    Fail (two files, different URLs, the same content line)::

        dw/1048094_联邦议院立法禁止烟草广告.md: <p>（德国之声中文网）德国联邦议院周四通过…</p>
        dw/1048097_德国联邦议院立法禁止烟草广告.md: <p>（德国之声中文网）德国联邦议院周四通过…</p>

    Pass (every content line once)::

        dw/1048094_联邦议院立法禁止烟草广告.md: <p>（德国之声中文网）德国联邦议院周四通过…</p>
        dw/1048095_默克尔访问布鲁塞尔.md: <p>（德国之声中文网）默克尔周五…</p>

    Options: ``min_chars`` (integer).
    """
    message = "expected this content in one file, found the same content in {others}"
    stronger = (index.urls,) if "NC951" in index.enabled else ()
    for group in groups(index.contents, _long_enough(index, options)):
        key = f"content:{index.contents[group[0]]}"
        yield from duplicates(index, group, "content", message, key, stronger)


@corpus_rule(
    "NC953", "near-duplicate-body", "info", min_chars=30, option_schemas={"min_chars": _POSITIVE}
)
@examples(
    elsewhere="tests.corpus.test_crossfile:test_duplicates_name_each_other_and_are_reported_once_per_pair"
)
def near_duplicate_body(index: CorpusIndex, options: Mapping[str, Any]) -> Iterator[CorpusFinding]:
    """Several files hold the same text but for whitespace and markup.

    The text of one article, with a different image, video or link around it:
    often the same item re-published with new media, sometimes a deliberate
    update, hence info. Files already related by duplicate-url (NC951) or
    duplicate-content (NC952) are not reported again. Bodies shorter than
    ``min_chars`` visible characters are left out.

    Fail (two files, the same text, different videos)::

        a.md: <p>分析师Fraser Howie…</p><video src="https://…/bchi200707_004_analyst_01i_sd_sor.mp4">
        b.md: <p>分析师Fraser Howie…</p><video src="https://…/bchi200707_001_finanz_01i_sd_sor.mp4">

    Pass (different texts)::

        a.md: <p>分析师Fraser Howie…</p>
        b.md: <p>德国联邦议院周四通过…</p>

    Options: ``min_chars`` (integer).
    """
    message = "expected this text in one file, found the same text in {others}"
    stronger = tuple(
        keys
        for code, keys in (("NC951", index.urls), ("NC952", index.contents))
        if code in index.enabled
    )
    for group in groups(index.bodies, _long_enough(index, options)):
        key = f"body:{index.bodies[group[0]]}"
        yield from duplicates(index, group, "content", message, key, stronger)


def _id_order(index: CorpusIndex) -> Iterator[list[int]]:
    """Per folder, the numbers of the files with an id, by id (newest first),
    and by timestamp (newest first) among equal ids. The numbers are parted
    into an array per folder first, and each folder sorted on its own: a
    sort's Python objects exist for one folder at a time."""
    folders: dict[int, array.array[int]] = {}
    for number, ident in enumerate(index.ids):
        if ident >= 0:
            folder = index.folders[number]
            if folder not in folders:
                folders[folder] = array.array("q")
            folders[folder].append(number)
    ids, times = index.ids, index.times
    for folder in sorted(folders):
        yield sorted(folders.pop(folder), key=lambda n: (ids[n], -times[n], n))


@corpus_rule("NC954", "id-collision", "error")
@examples(
    elsewhere="tests.corpus.test_crossfile:test_colliding_ids_in_one_folder_not_across_folders"
)
def id_collision(index: CorpusIndex, options: Mapping[str, Any]) -> Iterator[CorpusFinding]:
    """Several files in one folder carry the same id in their names.

    The archiver names files ``<id>.md`` (older: ``<id>_<title>.md``) with an
    id it counts down from 0xFFFFF per folder, so an id is the file's
    identity: anything keyed on it (a site, an index, a sync) keeps one file
    and loses the others. Ids are per folder; the same id in two folders is
    normal.

    Fail (one folder)::

        articles/voa/1047747.md
        articles/voa/1047747_停止邪恶打压.md

    Pass::

        articles/voa/1047747.md
        articles/voa/1047748.md
    """
    for folder in _id_order(index):
        start = 0
        for end in range(1, len(folder) + 1):
            if end < len(folder) and index.ids[folder[end]] == index.ids[folder[start]]:
                continue
            if end - start > 1:
                ident = index.ids[folder[start]]
                message = (
                    f"expected id {ident} in one file of this folder, found it also in {{others}}"
                )
                group = sorted(folder[start:end])
                yield from duplicates(index, group, "file", message, f"id:{ident}")
            start = end


@corpus_rule(
    "NC955", "id-order", "warning", tolerance=86400, option_schemas={"tolerance": _POSITIVE}
)
@examples(elsewhere="tests.corpus.test_crossfile:test_an_id_whose_timestamp_contradicts_the_order")
def id_order(index: CorpusIndex, options: Mapping[str, Any]) -> Iterator[CorpusFinding]:
    """A file's id and timestamp contradict the order of the other files.

    The archiver gives each new item the next lower id, so in one folder a
    higher id is an older article: its timestamp should be earlier. The files
    are sorted by id, the longest run whose timestamps agree with that order
    is taken as sound, and each other file is reported when its timestamp is
    more than ``tolerance`` seconds newer than the nearest sound file with a
    lower id, or older than the nearest with a higher id (naming it). A file
    copied in from elsewhere, renumbered, or whose timestamp is wrong shows
    this way. The real corpus shows no contradiction at all; the default
    tolerance of a day leaves room for a feed that lists an item late.

    Fail (1047748: a higher id than 1047747, yet a day newer)::

        articles/voa/1047746.md: <!--1595280000000-->
        articles/voa/1047747.md: <!--1595274082000-->
        articles/voa/1047748.md: <!--1595374082000-->
        articles/voa/1047749.md: <!--1595270000000-->

    Pass::

        articles/voa/1047746.md: <!--1595280000000-->
        articles/voa/1047747.md: <!--1595274082000-->
        articles/voa/1047748.md: <!--1595272000000-->
        articles/voa/1047749.md: <!--1595270000000-->

    Options: ``tolerance`` (seconds).
    """
    tolerance = int(options["tolerance"]) * 1000
    for folder in _id_order(index):
        timed = [n for n in folder if index.times[n] >= 0]
        times = [index.times[n] for n in timed]
        chain = longest_non_increasing(times)
        if len(chain) == len(timed):
            continue
        sound = set(chain)
        before = [-1] * len(timed)  # the nearest sound position at or before each
        last = -1
        for position in range(len(timed)):
            last = position if position in sound else last
            before[position] = last
        after = [-1] * len(timed)
        last = -1
        for position in reversed(range(len(timed))):
            last = position if position in sound else last
            after[position] = last
        for position, number in enumerate(timed):
            if position in sound:
                continue
            yield from _out_of_order(
                index, number, timed, before[position], after[position], tolerance
            )


def _out_of_order(
    index: CorpusIndex, number: int, timed: list[int], newer: int, older: int, tolerance: int
) -> Iterator[CorpusFinding]:
    time, ident = index.times[number], index.ids[number]
    key = f"order:{ident}:{time}"
    if newer != -1:
        other = timed[newer]
        if time > index.times[other] + tolerance:
            gap = duration(time - index.times[other])
            message = (
                f"expected id {ident} to be older than id {index.ids[other]} (a higher id "
                f"is an older article), found its timestamp {gap} newer than {{other}}'s"
            )
            yield CorpusFinding(number, "timestamp", message, key, (other,), 1)
            return
    if older != -1:
        other = timed[older]
        if time < index.times[other] - tolerance:
            gap = duration(index.times[other] - time)
            message = (
                f"expected id {ident} to be newer than id {index.ids[other]} (a lower id "
                f"is a newer article), found its timestamp {gap} older than {{other}}'s"
            )
            yield CorpusFinding(number, "timestamp", message, key, (other,), 1)


@corpus_rule("NC956", "filename-title", "warning")
@examples(elsewhere="tests.corpus.test_crossfile:test_file_name_title_mismatch")
def filename_title(index: CorpusIndex, options: Mapping[str, Any]) -> Iterator[CorpusFinding]:
    """The title in a ``<id>_<title>.md`` file name is not the link's title.

    The older archiver named files after the feed title as it came (not
    stripped), with ``/`` written as ``--`` and a newline kept (``%0A`` in
    copies that cannot hold one). A different title means the file was
    renamed, or its content replaced by another article's. Surrounding
    whitespace and Unicode normalisation do not count, nor a name the file
    system cut short.

    Fail::

        1047913_港民主派公布电子票结果.md: [中联办: 初选涉违国安法](https://www.dw.com/zh/…/a-54165848)

    Pass (``/`` as ``--``, a newline as ``%0A``)::

        1048042_英国为香港BNO提供居留--入籍方便.md: [英国为香港BNO提供居留/入籍方便](https://cn.reuters.com/…)
        1048029_如何影響香港金融中心地位%0A.md: [如何影響香港金融中心地位](https://www.dw.com/zh/…)
    """
    for number, (expected, found) in sorted(index.titles.items()):
        yield CorpusFinding(
            number,
            "title",
            f"expected the file name to carry the link title {shorten(expected)}, "
            f"found {shorten(found)}",
            f"title:{expected}\0{found}",
        )
