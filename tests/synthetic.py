"""Synthetic corpora for the checks across files, statistics, drift and the report.

Each article is sound on its own (no diagnostic), with its own URL and text,
named ``<id>.md`` in a folder per source, ids counting down as the archiver's
do (a higher id is an older article).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

START = datetime(2020, 7, 1, 6, 0, tzinfo=UTC)
HOSTS = {"voa": "www.voachinese.com", "dw": "www.dw.com"}
TOP_ID = 1048575  # 0xFFFFF


@dataclass(frozen=True)
class Item:
    """One article of a synthetic corpus."""

    source: str
    number: int  # per source, oldest first
    day: int
    when: datetime
    date: bool = True
    image: bool = True
    caption: bool = True
    text: str = ""

    @property
    def id(self) -> int:
        return TOP_ID - 1000 - self.number

    @property
    def url(self) -> str:
        return f"https://{HOSTS[self.source]}/a/{self.source}-{self.number}.html"


def render(item: Item, url: str | None = None, title: str | None = None) -> str:
    stamp = int(item.when.timestamp() * 1000)
    parts = []
    if item.date:
        parts.append(f"<div><i>{format_datetime(item.when, usegmt=True)}</i></div>")
    if item.image:
        parts.append(f'<img src="https://images.example.org/{item.source}/{item.number}.jpg">')
        if item.caption:
            parts.append(f'<div><small style="color: #999;">图片说明 {item.number}</small></div>')
    text = item.text or (
        f"这是第{item.number}篇来自{item.source}的报道，记者在现场采访了多位当地居民和官员。"
    )
    parts.append(f"<p>{text}</p>")
    title = title or f"{item.source}报道第{item.number}篇"
    return f"<!--{stamp}-->\n[{title}]({url or item.url})\n------\n\n{''.join(parts)}\n"


def items(
    days: int = 10,
    per_day: int = 6,
    sources: tuple[str, ...] = ("voa", "dw"),
    change: Callable[[Item], Item] = lambda item: item,
) -> list[Item]:
    """``per_day`` articles a day per source, an hour apart; ``change`` edits each."""
    found = []
    for source in sources:
        number = 0
        for day in range(days):
            for hour in range(per_day):
                when = START + timedelta(days=day, hours=hour)
                found.append(change(Item(source, number, day, when)))
                number += 1
    return found


def write(root: Path, corpus: list[Item]) -> dict[Item, Path]:
    """Each article to ``root/<source>/<id>.md``; the paths written."""
    paths = {}
    for item in corpus:
        folder = root / item.source
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{item.id}.md"
        path.write_text(render(item), encoding="utf-8")
        paths[item] = path
    return paths
