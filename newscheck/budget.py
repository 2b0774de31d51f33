"""A time budget for checking one file (rule NC012).

The engine marks each stage of a check (the parse, each rule) with
:meth:`Budget.enter`, which stops the check once the budget is spent. In the
main thread of a process an alarm signal also stops a stage that runs over
while it runs (a single call into C code, such as one XPath query, finishes
first); elsewhere the budget is only checked between stages. A worker
process of newscheck's owns its alarm (:func:`own_alarm`): the handler stays
installed there, and the timer is shared by the checks of a batch of files
(:func:`disarm` at its end). A check sets its deadline and touches the timer
only when it would ring after that deadline; when it rings for a file that is
not yet due (the deadline of an earlier one), the handler sets it again for
the file's own deadline. So the timer is set about once per batch, or per
budget's length of work, not twice per file, and still stops a file on time.
"""

from __future__ import annotations

import _thread
import signal
import time
from types import FrameType, TracebackType


class OverBudget(BaseException):
    """The budget is spent in ``stage``. A BaseException, so that the engine's
    guard around each rule (``except Exception``) lets it through."""

    def __init__(self, stage: str) -> None:
        super().__init__(stage)
        self.stage = stage


_current: Budget | None = None  # the budget whose alarm is set
_KEPT = object()  # no handler to restore: the process owns its alarm
_owner: int | None = None  # the thread whose process owns the alarm (own_alarm)
_NEVER = float("inf")
_rings_at = _NEVER  # when the owned timer rings (monotonic seconds), if it is set


def _ring(signum: int, frame: FrameType | None) -> None:
    global _rings_at
    _rings_at = _NEVER
    budget = _current
    if budget is not None and budget.seconds is not None:
        left = budget._deadline - time.monotonic()
        if left > 0 and budget._previous is _KEPT:  # rang for an earlier file's deadline
            _set(left)
            return
        raise OverBudget(budget.stage)


def _set(seconds: float) -> None:
    """Set the owned timer to ring in ``seconds``."""
    global _rings_at
    _rings_at = time.monotonic() + seconds
    signal.setitimer(signal.ITIMER_REAL, seconds)


def disarm() -> None:
    """A batch of files is done: the owned timer, if set, rings no more."""
    global _rings_at
    if _rings_at != _NEVER:
        _rings_at = _NEVER
        signal.setitimer(signal.ITIMER_REAL, 0)


def own_alarm() -> None:
    """Keep the budgets' alarm handler installed in this process, for this
    thread: for a process of newscheck's own, which nobody else signals."""
    global _owner
    if hasattr(signal, "SIGALRM"):
        signal.signal(signal.SIGALRM, _ring)
        _owner = _thread.get_ident()


def _owned() -> bool:
    return _owner == _thread.get_ident()  # own_alarm's handler stays: nobody else signals


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
        self._previous: object = _KEPT  # the handler to restore, if this check installed its own

    def __enter__(self) -> Budget:
        global _current
        if self.seconds is not None:
            self._deadline = time.monotonic() + self.seconds
            if _owned():  # the timer is shared: set it only if it would ring late
                _current = self
                if _rings_at > self._deadline:
                    _set(self.seconds)
            elif _can_alarm():
                try:
                    self._previous = signal.signal(signal.SIGALRM, _ring)
                except ValueError:  # not the main thread: checked between stages
                    return self
                self._armed = True
                _current = self
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

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        global _current
        _current = None  # an owned timer stays set, for the next file of the batch
        if self._armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            # None: a handler not installed from Python, which Python cannot put back
            previous = signal.SIG_DFL if self._previous is None else self._previous
            signal.signal(signal.SIGALRM, previous)  # type: ignore[arg-type]
            self._previous = _KEPT
            self._armed = False
