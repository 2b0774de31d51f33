"""Ctrl-C during a long run: prompt exit 130, a summary line, no traceback, no
worker left behind, and a cache that holds only finished files."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import newscheck
from newscheck.cache import decode
from newscheck.cli import main

from ..helpers import CONTENT, article
from ..offline import sitecustomize as offline

TOTAL = 2000  # every tenth file has an error: its diagnostic is one line of output
STOPPED = re.compile(
    r"newscheck: interrupted after checking ([\d,]+) files? \(([\d,]+) with errors\); "
    r"no partial result was cached\n"
)


def _group(pgid: int) -> list[str]:
    """The live processes of a process group."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[2] == str(pgid) and fields[0] != "Z":
            found.append(pid)
    return found


def test_ctrl_c_stops_the_workers_reports_and_caches_only_finished_files(
    tmp_path, monkeypatch, capsys, probe
):
    feed = tmp_path / "feed"
    feed.mkdir()
    for index in range(TOTAL):
        broken = {"timestamp": "<!--NaN-->"} if index % 10 == 0 else {}
        own = CONTENT.replace("。</p>", f"。{index}</p>")  # no two files share a cache entry
        text = article(content=own, **broken)
        (feed / f"{index:05}.md").write_text(text, encoding="utf-8")
    cache = tmp_path / "cache"
    command = [sys.executable, "-m", "newscheck", "check", "--jobs", "2", "--ignore", "NC95"]
    run = subprocess.Popen(
        [*command, "--cache-dir", str(cache), "feed"],
        cwd=tmp_path,
        # the newscheck this test imports (an installed copy has another code version: its
        # cache entries would not be this process's)
        env=offline.environment(PYTHONPATH=str(Path(newscheck.__file__).parent.parent)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, as a terminal gives a command
        bufsize=0,
    )
    assert run.stdout is not None
    seen = b""
    while seen.count(b"\n") < 60:  # some 600 files checked: one batch is in the cache
        chunk = run.stdout.read(4096)
        assert chunk, "the run ended before it could be interrupted"
        seen += chunk
    os.killpg(run.pid, signal.SIGINT)  # Ctrl-C reaches every process of the group
    started = time.monotonic()
    try:
        out, err = run.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(run.pid, signal.SIGKILL)
        run.communicate()
        pytest.fail("the interrupted run did not stop")
    assert time.monotonic() - started < 10
    assert run.returncode == 130
    assert _group(run.pid) == []
    stopped = STOPPED.fullmatch(err.decode())  # the whole of stderr: no traceback
    assert stopped, err.decode()
    checked, failing = (int(group.replace(",", "")) for group in stopped.groups())
    printed = {line.split(":")[0] for line in (seen + out).decode().splitlines()}
    assert 590 < checked < TOTAL
    assert len(printed) <= failing <= len(printed) + 1  # the last may not have been written

    (database,) = cache.glob("*.sqlite3")
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        rows = connection.execute(
            "SELECT files.path, results.data FROM files LEFT JOIN results USING (key)"
        ).fetchall()
    connection.close()
    assert 0 < len(rows) <= checked
    assert all(data is not None and decode(path, data) is not None for path, data in rows)

    monkeypatch.chdir(tmp_path)
    probe()  # a file checked again shows NC000; one from the cache does not
    code = main([*command[3:], "--output-format", "concise", "--cache-dir", str(cache), "feed"])
    again = capsys.readouterr().out.splitlines()
    assert code == 2  # the probe's internal errors
    assert len({line.split(":")[0] for line in again if "NC000" in line}) == TOTAL - len(rows)
    assert sum("NC102" in line for line in again) == TOTAL // 10


def test_an_interrupt_during_a_cache_write_stores_nothing_of_that_batch(tmp_path):
    """Ctrl-C between the two tables' inserts: the whole batch is rolled back."""
    from newscheck.cache import Cache, Entry

    entries = [Entry(f"/feed/{n}.md", 1, 1, f"key{n}", "[{}]") for n in range(3)]

    class Interrupting:
        path, size, key, data = "/feed/x.md", 1, "keyx", "[{}]"

        @property
        def mtime_ns(self):
            raise KeyboardInterrupt

    cache = Cache(tmp_path, "run")
    cache.store(entries[:1])
    with pytest.raises(KeyboardInterrupt):
        cache.store([entries[1], Interrupting()])
    cache.store(entries[2:])  # the cache goes on working
    cache.close()
    (database,) = tmp_path.glob("*.sqlite3")
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        keys = connection.execute("SELECT key FROM results ORDER BY key").fetchall()
        paths = connection.execute("SELECT path FROM files ORDER BY path").fetchall()
    connection.close()
    assert (keys, paths) == ([("key0",), ("key2",)], [("/feed/0.md",), ("/feed/2.md",)])
