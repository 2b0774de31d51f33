"""Worker processes that check groups of files, and abandon a file that runs
past its deadline.

The time budget (NC012) stops a check between stages, and an alarm stops
Python code mid-stage; neither can stop one long call into C (a parser, an
XPath query, a regular expression). So every check runs in a forked worker.
The worker publishes, in memory it shares with the parent, which file it is
on and since when, and sends its results in batches (every ``_BATCH``
results, or sooner when ``_LATENCY`` seconds have passed since the last
send, and at the end of its files): when a worker has been on one file longer
than the file's deadline, it is killed, the file gets the result ``abandon``
makes for it, the files whose results it had not sent yet are checked again,
and a new worker takes the rest of the group.

The workers are plain ``os.fork`` children talking over two pipes (a length,
then a pickle): the parent imports no ``multiprocessing``, which a run of one
file would pay for.

:func:`in_order` feeds the workers groups of files and gives the results back
in the order of the files; :class:`BatchedWrites` holds what the cache learns
until there is enough of it for one write.
"""

from __future__ import annotations

import collections
import contextlib
import gc
import itertools
import mmap
import os
import pickle
import select
import signal
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Generic, TypeVar

from .budget import disarm, own_alarm

Check = Callable[[str], Any]  # one file's result, made in a worker
T = TypeVar("T")

_BATCH = 32  # results sent at once
_LATENCY = 0.03  # seconds a result may wait in the worker for its batch
_HEADER = 8  # bytes of a message's length
GROUP, AHEAD, STORE_EVERY = 64, 32, 512  # files per task, tasks in flight, entries per write


class Task:
    """A group of files given to the workers; ``results`` fills in (None: not yet)."""

    def __init__(self, paths: list[str]) -> None:
        self.paths = paths
        self.results: list[Any] = [None] * len(paths)
        self.missing = len(paths)

    @property
    def done(self) -> bool:
        return self.missing == 0

    def fill(self, index: int, result: Any) -> None:
        self.results[index] = result
        self.missing -= 1


class _Worker:
    """A forked worker, its pipes, and the memory it shares with the parent:
    ``shared[0]`` when it started its current file (monotonic nanoseconds),
    ``shared[1]`` its progress through the files it was given: ``2k + 1``
    while on file ``k``, ``2k + 2`` once file ``k`` is done."""

    def __init__(self, check: Check, start: Callable[[], None]) -> None:
        self.memory = mmap.mmap(-1, 16)  # anonymous and shared with the child
        self.shared = memoryview(self.memory).cast("q")
        inbox, to_worker = os.pipe()
        from_worker, outbox = os.pipe()
        for stream in (sys.stdout, sys.stderr):  # no buffered text for the child to repeat
            stream.flush()
        gc.freeze()  # the child's collector leaves the parent's objects (and their pages) alone
        pid = os.fork()
        if pid == 0:  # pragma: no cover (the child: coverage does not follow it)
            code = 0
            try:
                os.close(to_worker)
                os.close(from_worker)
                _serve(inbox, outbox, self.shared, check, start)
            except BaseException:
                import traceback  # here: only for a worker that fails

                traceback.print_exc()
                code = 1
            finally:
                os._exit(code)
        gc.unfreeze()
        os.close(inbox)
        os.close(outbox)
        self.pid, self.to_worker, self.from_worker = pid, to_worker, from_worker
        self.task: Task | None = None
        self.indices: list[int] = []  # of the task's files it was given, in order
        self.received = 0  # results of those taken so far

    def give(self, task: Task) -> None:
        self.task, self.received = task, 0
        self.indices = [i for i, result in enumerate(task.results) if result is None]
        self.shared[1] = 0
        _send(self.to_worker, [task.paths[i] for i in self.indices])

    def take(self) -> None:
        """Take one batch of results (EOFError: the worker is gone)."""
        task = self.task
        assert task is not None
        for result in _receive(self.from_worker):
            task.fill(self.indices[self.received], result)
            self.received += 1
        if self.received == len(self.indices):
            self.task = None

    def overdue(self, now: int, deadline: int) -> int | None:
        """Nanoseconds until the current file is overdue (<= 0: it is); None
        when the worker is between files."""
        progress = self.shared[1]
        since = self.shared[0]
        if progress % 2 == 0 or self.shared[1] != progress:
            return None
        return since + deadline - now

    def stuck(self) -> int | None:
        """The index in the task of the file the worker is on, if any (read
        once it is dead: it then holds still)."""
        progress = self.shared[1]
        return self.indices[progress // 2] if progress % 2 else None

    def kill(self) -> None:
        os.kill(self.pid, signal.SIGKILL)  # a dead worker is not reaped before this
        os.waitpid(self.pid, 0)
        os.close(self.to_worker)

    def drain(self) -> None:
        """After the worker is dead: take the whole batches it had sent."""
        try:
            while self.task is not None:
                self.take()
        except (EOFError, OSError):  # the pipe's end, or a batch cut short
            pass
        os.close(self.from_worker)


def _serve(
    inbox: int, outbox: int, shared: memoryview, check: Check, start: Callable[[], None]
) -> None:
    gc.enable()  # a worker parses: it collects, whether or not its parent does
    start()
    for served in itertools.count():
        try:
            paths = _receive(inbox)
        except EOFError:  # the parent is gone
            return
        if served == 1:  # a run of more groups than one: worth loading the C library
            keep_heap()
        batch: list[Any] = []
        sent = time.monotonic()
        for k, path in enumerate(paths):
            shared[0] = time.monotonic_ns()
            shared[1] = 2 * k + 1
            batch.append(check(path))
            shared[1] = 2 * k + 2
            now = time.monotonic()
            if len(batch) == _BATCH or k == len(paths) - 1 or now - sent > _LATENCY:
                _send(outbox, batch)
                batch, sent = [], now
        disarm()  # the checks of these files shared the budget's timer


def keep_heap() -> None:
    """Keep 4 MiB free at the top of the C heap rather than give it back
    after each file (glibc's ``M_TOP_PAD``; a no-op elsewhere).

    Each check frees what its parsers allocated (lexbor's document, lxml's
    tree), and glibc returns the freed top of the heap to the system at
    once; the next file's parse takes it back page by page, each page a fault
    that the kernel zeroes: ~7 faults and ~60 us a file on the 2-core
    machine, a tenth of a check (see docs/performance.md)."""
    # no ctypes in this Python, no C library to load, or not glibc's: nothing to keep
    with contextlib.suppress(ImportError, OSError, AttributeError, TypeError):
        import ctypes  # here: a run of one group never loads it

        ctypes.CDLL(None).mallopt(_M_TOP_PAD, _TOP_PAD)


_M_TOP_PAD, _TOP_PAD = -2, 4 << 20


def _send(fd: int, message: Any) -> None:
    data = pickle.dumps(message, pickle.HIGHEST_PROTOCOL)
    view = memoryview(len(data).to_bytes(_HEADER, "little") + data)
    while view:
        view = view[os.write(fd, view) :]


def _receive(fd: int) -> Any:
    return pickle.loads(_read(fd, int.from_bytes(_read(fd, _HEADER), "little")))


def _read(fd: int, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = os.read(fd, left)
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


class Workers:
    """Up to ``jobs`` worker processes; a file a worker has spent more than
    ``deadline`` seconds on (None: no deadline) gets ``abandon(path)``."""

    def __init__(
        self,
        jobs: int,
        check: Check,
        abandon: Callable[[str], Any],
        deadline: float | None,
        start: Callable[[], None],
    ) -> None:
        self.jobs, self.check, self.abandon = jobs, check, abandon
        self.deadline = None if deadline is None else int(deadline * 1e9)
        self.start = start
        self.workers: list[_Worker] = []
        self.queue: collections.deque[Task] = collections.deque()

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        for worker in self.workers:
            worker.kill()
            os.close(worker.from_worker)
        self.workers.clear()

    def submit(self, paths: list[str]) -> Task:
        task = Task(paths)
        self.queue.append(task)
        self._dispatch()
        return task

    def ready(self, task: Task) -> bool:
        if not task.done:
            self._pump(0)
        return task.done

    def get(self, task: Task) -> list[Any]:
        while not task.done:
            self._pump(None)
        return task.results

    def _dispatch(self) -> None:
        while self.queue:
            idle = next((w for w in self.workers if w.task is None), None)
            if idle is None and len(self.workers) < self.jobs:
                idle = _Worker(self.check, self.start)
                self.workers.append(idle)
            if idle is None:
                return
            idle.give(self.queue.popleft())

    def _pump(self, timeout: float | None) -> None:
        """Take the results the busy workers have sent (waiting up to
        ``timeout``, or until the nearest deadline); abandon overdue files."""
        busy = {w.from_worker: w for w in self.workers if w.task is not None}
        if self.deadline is not None and busy:
            now = time.monotonic_ns()
            dues = [w.overdue(now, self.deadline) for w in busy.values()]
            due = min((d for d in dues if d is not None), default=self.deadline) / 1e9
            timeout = max(0.0, due if timeout is None else min(timeout, due))
        poll = select.poll()
        for fd in busy:
            poll.register(fd, select.POLLIN)
        for fd, _ in poll.poll(None if timeout is None else timeout * 1000):
            worker = busy[fd]
            try:
                worker.take()
            except (EOFError, OSError):  # the worker died
                self._lose(worker)
        if self.deadline is not None:
            now = time.monotonic_ns()
            for worker in [w for w in self.workers if w.task is not None]:
                left = worker.overdue(now, self.deadline)
                if left is not None and left <= 0:
                    self._lose(worker)
        self._dispatch()

    def _lose(self, worker: _Worker) -> None:
        """Kill a worker stuck on (or dead in) a file: that file is abandoned,
        the files whose results did not come back go first to the next worker."""
        task = worker.task
        assert task is not None
        worker.kill()
        stuck = worker.stuck()
        worker.drain()
        self.workers.remove(worker)
        missing = [i for i in worker.indices if task.results[i] is None]
        if missing:  # a worker that died between files: the next file is abandoned
            lost = stuck if stuck in missing else missing[0]
            task.fill(lost, self.abandon(task.paths[lost]))
        if not task.done:
            self.queue.appendleft(task)


def start_worker() -> None:
    """Ctrl-C reaches every process of the terminal's group: a worker leaves it
    to the parent, which stops the pool (no traceback from each worker). The
    worker owns its alarm, for the time budget of each check."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    own_alarm()


def in_order(
    files: Iterable[str],
    cached: Callable[[list[str]], dict[str, Any]],
    workers: Callable[[], Workers],
) -> Iterator[Any]:
    """The results of ``files`` in order: those ``cached`` has for a group of
    them right here, the others checked by ``workers`` (started only when a
    file needs them), ``GROUP`` files to a task, up to ``AHEAD`` tasks ahead."""
    remaining = iter(files)
    groups = iter(lambda: list(itertools.islice(remaining, GROUP)), [])
    with contextlib.ExitStack() as stack:
        pool: Workers | None = None
        pending: collections.deque[tuple[list[str], dict[str, Any], Task | None]] = (
            collections.deque()
        )
        for group in groups:
            found = cached(group)
            uncached = [path for path in group if path not in found]
            task = None
            if uncached:
                if pool is None:
                    pool = stack.enter_context(workers())
                task = pool.submit(uncached)
            pending.append((group, found, task))
            while pending and (len(pending) > AHEAD or _ready(pool, pending[0][2])):
                yield from _group(pool, *pending.popleft())
        while pending:
            yield from _group(pool, *pending.popleft())


def _ready(pool: Workers | None, task: Task | None) -> bool:
    return task is None or (pool is not None and pool.ready(task))


def _group(
    pool: Workers | None, group: list[str], found: dict[str, Any], task: Task | None
) -> Iterator[Any]:
    checked = iter(pool.get(task) if pool is not None and task is not None else ())
    for path in group:
        yield found[path] if path in found else next(checked)


class BatchedWrites(Generic[T]):
    """Items for ``write`` (the cache's), handed over ``STORE_EVERY`` at a time
    and the rest at :meth:`flush`: few transactions, and little lost to an interrupt."""

    def __init__(self, write: Callable[[list[T]], object]) -> None:
        self._write = write
        self._items: list[T] = []

    def add(self, item: T) -> None:
        self._items.append(item)
        if len(self._items) >= STORE_EVERY:
            self.flush()

    def flush(self) -> None:
        if self._items:
            self._write(self._items)
            self._items = []
