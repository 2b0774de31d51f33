"""The worker processes: results in order, a file stuck in one call into C
abandoned (the files checked before it in the same batch checked again), a
worker that dies replaced."""

from __future__ import annotations

import hashlib
import os
import time

import pytest

from newscheck.runner import Workers


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
