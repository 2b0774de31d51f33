"""The worker processes: results in order, a file stuck in one call into C
abandoned (the files checked before it in the same batch checked again), a
worker that dies replaced; files given in groups and their results taken in
order, those found in the cache without a worker; the cache's writes batched;
a worker past its first group keeps the freed heap for the next file."""

from __future__ import annotations

import hashlib
import os
import platform
import subprocess
import sys
import time

import pytest

from newscheck.budget import Budget, OverBudget
from newscheck.runner import (
    GROUP,
    STORE_EVERY,
    BatchedWrites,
    Workers,
    in_order,
    start_worker,
)


def check(path: str) -> str:
    if path.startswith("stuck"):
        hashlib.pbkdf2_hmac("sha256", b"x", b"y", 2**31 - 1)  # minutes in one call
    if path.startswith("dies"):
        os._exit(3)
    return path.upper()


def abandon(path: str) -> str:
    return f"abandoned {path}"


def run(jobs: int, groups: list[list[str]], deadline: float | None = 0.5) -> list[list[str]]:
    with Workers(jobs, check, abandon, deadline, lambda: None) as workers:
        tasks = [workers.submit(group) for group in groups]
        return [workers.get(task) for task in tasks]


@pytest.mark.parametrize("jobs", [1, 2])
def test_results_come_back_in_order(jobs: int) -> None:
    groups = [[f"f{g}-{n}" for n in range(70)] for g in range(5)]
    assert run(jobs, groups, None) == [[path.upper() for path in group] for group in groups]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_file_stuck_in_one_call_is_abandoned_and_every_other_file_checked(jobs: int) -> None:
    groups = [["a", "b", "stuck", "c"], ["d", "e"], ["f"]]
    started = time.monotonic()
    results = run(jobs, groups)
    assert results == [["A", "B", "abandoned stuck", "C"], ["D", "E"], ["F"]]
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_worker_that_dies_on_a_file_is_replaced(jobs: int) -> None:
    groups = [["a", "dies", "b"], ["dies too", "c"]]
    results = run(jobs, groups, None)
    assert results == [["A", "abandoned dies", "B"], ["abandoned dies too", "C"]]


def test_many_stuck_files_each_get_their_result() -> None:
    groups = [["stuck 1", "a", "stuck 2"], ["stuck 3"], ["b"]]
    results = run(1, groups, 0.3)
    assert results == [
        ["abandoned stuck 1", "A", "abandoned stuck 2"],
        ["abandoned stuck 3"],
        ["B"],
    ]


def budgeted(path: str) -> tuple[str, float]:
    """Each file within a budget of 0.2 s: ``slow`` ones take 0.1 s, ``spin`` forever.
    What the check came to, and after how long."""
    started = time.monotonic()
    try:
        with Budget(0.2) as budget:
            budget.enter(f"the loop of {path}")
            while path.startswith("spin") or time.monotonic() - started < 0.1:
                pass
            budget.finish()
    except OverBudget as over:
        return f"stopped in {over.stage}", time.monotonic() - started
    return "done", time.monotonic() - started


def test_the_budget_timer_shared_by_a_batch_stops_each_runaway_file_on_its_own_deadline() -> None:
    """The files of a batch share one timer: it rings for an earlier file's
    deadline while a later file is within its own budget, and still stops
    every file that runs past its own 0.2 s, not sooner."""
    group = ["slow 1", "slow 2", "slow 3", "spin 1", "slow 4", "slow 5", "spin 2", "slow 6"]
    with Workers(1, budgeted, abandon, 5.0, start_worker) as workers:
        results = workers.get(workers.submit(group))
    assert [outcome for outcome, _ in results] == [
        f"stopped in the loop of {path}" if path.startswith("spin") else "done" for path in group
    ]
    assert all(0.2 <= took < 5 for (outcome, took) in results if outcome != "done")


@pytest.mark.parametrize("jobs", [1, 2])
def test_files_come_back_in_order_the_cached_ones_as_the_cache_has_them(jobs: int) -> None:
    files = [f"f{n}" for n in range(2 * GROUP + 5)]

    def cached(group: list[str]) -> dict[str, str]:
        return {path: f"cached {path}" for path in group if int(path[1:]) % 3 == 0}

    results = list(
        in_order(files, cached, lambda: Workers(jobs, check, abandon, None, lambda: None))
    )
    assert results == [f"cached {p}" if int(p[1:]) % 3 == 0 else p.upper() for p in files]


def test_no_worker_is_started_when_every_file_is_cached() -> None:
    def no_workers() -> Workers:
        raise AssertionError("a worker was started")

    files = [f"f{n}" for n in range(GROUP + 1)]
    results = list(in_order(files, lambda group: {p: p for p in group}, no_workers))
    assert results == files


def test_writes_go_to_the_cache_in_batches_and_the_rest_at_the_end() -> None:
    written: list[list[int]] = []
    writes = BatchedWrites(written.append)
    writes.flush()
    assert written == []  # nothing to write: no transaction
    for number in range(2 * STORE_EVERY + 3):
        writes.add(number)
    assert [len(batch) for batch in written] == [STORE_EVERY, STORE_EVERY]
    writes.flush()
    assert [len(batch) for batch in written] == [STORE_EVERY, STORE_EVERY, 3]
    assert [n for batch in written for n in batch] == list(range(2 * STORE_EVERY + 3))


_FAULTS = """
import ctypes, resource
from newscheck.runner import Workers

libc = ctypes.CDLL(None)
libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
libc.free.argtypes = [ctypes.c_void_p]


def faults_of_a_parse(path):  # what a file's check costs in page faults: 2 MiB, then freed
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    blocks = [libc.malloc(65536) for _ in range(32)]
    for block in blocks:
        ctypes.memset(block, 1, 65536)
    for block in reversed(blocks):
        libc.free(block)
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before


with Workers(1, faults_of_a_parse, str, None, lambda: None) as workers:
    first = workers.get(workers.submit(["a", "b", "c"]))
    second = workers.get(workers.submit(["d", "e", "f"]))
print(min(first), max(second[1:]))
"""


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc",
    reason="M_TOP_PAD is glibc's",
)
def test_a_worker_keeps_the_heap_from_its_second_group_of_files_on() -> None:
    # in a fresh process (whose heap a test run has not shaped); a run of one
    # group (one file, a few) never loads ctypes for it
    done = subprocess.run(
        [sys.executable, "-c", _FAULTS], capture_output=True, text=True, check=True
    )
    first, second = map(int, done.stdout.split())
    assert first >= 256  # each file of the first group faults its memory in again
    assert second < first / 8


def test_a_python_without_ctypes_still_checks_every_group(monkeypatch) -> None:
    # keeping the heap is an optimisation: without it, every file still gets its result
    monkeypatch.setitem(sys.modules, "ctypes", None)  # import ctypes raises ImportError
    assert run(1, [["a"], ["b"], ["c"]], None) == [["A"], ["B"], ["C"]]
