"""A time budget for checking one file (rule NC012).

The engine marks each stage of a check (the parse, each rule) with
:meth:`Budget.enter`, which stops the check once the budget is spent. In the
main thread of a process an alarm signal also stops a stage that runs over
while it runs (a single call into C code, such as one XPath query, finishes
first); elsewhere the budget is only checked between stages.
"""

from __future__ import annotations

import signal
import time
from types import FrameType, TracebackType


class OverBudget(BaseException):
    """The budget is spent in ``stage``. A BaseException, so that the engine's
    guard around each rule (``except Exception``) lets it through."""

    def __init__(self, stage: str) -> None:
        super().__init__(stage)
        self.stage = stage


def _can_alarm() -> bool:
    return (
        hasattr(signal, "setitimer")
        and signal.getitimer(signal.ITIMER_REAL)[0] == 0  # never displace someone's timer
    )


class Budget:
    """``seconds`` for one check (None: no budget), as a context manager."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.stage = ""
        self._deadline = 0.0
        self._armed = False
        self._previous: object = None

    def __enter__(self) -> Budget:
        if self.seconds is not None:
            self._deadline = time.monotonic() + self.seconds
            if _can_alarm():
                try:
                    self._previous = signal.signal(signal.SIGALRM, self._ring)
                except ValueError:  # not the main thread: the budget is checked between stages
                    return self
                self._armed = True
                signal.setitimer(signal.ITIMER_REAL, self.seconds)
        return self

    def enter(self, stage: str) -> None:
        """Start ``stage``; raise :class:`OverBudget` naming the stage before
        it if that one spent the budget."""
        if self.seconds is not None and time.monotonic() > self._deadline:
            raise OverBudget(self.stage)
        self.stage = stage

    def finish(self) -> None:
        """The work is done: from here on the alarm stops nothing."""
        self.enter("")
        self.seconds = None

    def _ring(self, signum: int, frame: FrameType | None) -> None:
        if self.seconds is not None:
            raise OverBudget(self.stage)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._previous)  # type: ignore[arg-type]
            self._armed = False
