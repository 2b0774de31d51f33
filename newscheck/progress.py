"""Progress on a terminal: files done of the total, rate and time left."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from typing import TextIO, TypeVar

T = TypeVar("T")
_EVERY = 0.1  # seconds between redraws


def _clock(seconds: float) -> str:
    minutes, seconds = divmod(int(seconds + 0.5), 60)
    return f"{minutes}:{seconds:02}"


def line(done: int, total: int, elapsed: float) -> str:
    rate = done / elapsed if elapsed > 0 else 0.0
    left = (total - done) / rate if rate else 0.0
    percent = 100 * done // total if total else 100
    return f"{done}/{total} files ({percent}%)  {rate:,.0f} files/s  {_clock(left)} left"


def track(items: Iterable[T], total: int, stream: TextIO) -> Iterator[T]:
    """Yield ``items`` while redrawing one status line on ``stream``; clear it at the end."""
    start = last = time.monotonic()
    done = 0
    try:
        for item in items:
            done += 1
            now = time.monotonic()
            if now - last >= _EVERY:
                stream.write("\r\x1b[2K" + line(done, total, now - start))
                stream.flush()
                last = now
            yield item
    finally:
        stream.write("\r\x1b[2K")
        stream.flush()
