"""Worker processes that check groups of files, and abandon a file that runs
past its deadline.

The time budget (NC012) stops a check between stages, and an alarm stops
Python code mid-stage; neither can stop one long call into C (a parser, an
XPath query, a regular expression). So every check runs in a forked worker
that sends each file's result as soon as it has it: when a worker has been
on one file longer than the file's deadline, it is killed, the file gets the
result ``abandon`` makes for it, and a new worker takes the rest of the group.
"""

from __future__ import annotations

import collections
import multiprocessing
import time
from collections.abc import Callable
from multiprocessing.connection import Connection, wait
from typing import Any

Check = Callable[[str], Any]  # one file's result, made in a worker


class Task:
    """A group of files given to the workers; ``results`` fills in, in order."""

    def __init__(self, paths: list[str]) -> None:
        self.paths = paths
        self.results: list[Any] = []

    @property
    def done(self) -> bool:
        return len(self.results) == len(self.paths)


class _Worker:
    def __init__(self, check: Check, start: Callable[[], None]) -> None:
        context = multiprocessing.get_context("fork")
        self.conn, theirs = context.Pipe()
        self.process = context.Process(target=_serve, args=(theirs, check, start), daemon=True)
        self.process.start()
        theirs.close()
        self.task: Task | None = None
        self.since = 0.0  # when it started its current file

    def give(self, task: Task) -> None:
        self.task, self.since = task, time.monotonic()
        self.conn.send(task.paths[len(task.results) :])

    def kill(self) -> None:
        self.process.kill()
        self.process.join()
        self.conn.close()


def _serve(conn: Connection, check: Check, start: Callable[[], None]) -> None:
    start()
    while True:
        try:
            paths = conn.recv()
        except EOFError:
            return
        for path in paths:
            conn.send(check(path))


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
        self.jobs, self.check, self.abandon, self.deadline = jobs, check, abandon, deadline
        self.start = start
        self.workers: list[_Worker] = []
        self.queue: collections.deque[Task] = collections.deque()

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        for worker in self.workers:
            worker.kill()
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
        busy = {w.conn: w for w in self.workers if w.task is not None}
        if self.deadline is not None and busy:
            due = min(w.since for w in busy.values()) + self.deadline - time.monotonic()
            timeout = max(0.0, due if timeout is None else min(timeout, due))
        if len(busy) == 1:  # one worker (--jobs 1): no selector to build
            (conn,) = busy
            ready = [conn] if conn.poll(timeout) else []
        else:
            ready = wait(list(busy), timeout)  # type: ignore[assignment]
        for conn in ready:
            worker = busy[conn]
            try:
                while True:  # every result already sent, then back to waiting
                    self._took(worker, worker.conn.recv())
                    if worker.task is None or not worker.conn.poll():
                        break
            except (EOFError, OSError):  # the worker died: its file is abandoned
                self._abandon(worker)
        if self.deadline is not None:
            now = time.monotonic()
            for worker in [w for w in self.workers if w.task and now - w.since > self.deadline]:
                self._abandon(worker)
        self._dispatch()

    def _took(self, worker: _Worker, result: Any) -> None:
        task = worker.task
        assert task is not None
        task.results.append(result)
        worker.since = time.monotonic()
        if task.done:
            worker.task = None

    def _abandon(self, worker: _Worker) -> None:
        """Kill a worker stuck on (or dead in) its current file: the file is
        abandoned, the rest of the group goes first to the next worker."""
        task = worker.task
        assert task is not None
        worker.kill()
        self.workers.remove(worker)
        task.results.append(self.abandon(task.paths[len(task.results)]))
        if not task.done:
            self.queue.appendleft(task)
