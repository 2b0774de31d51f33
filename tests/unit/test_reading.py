"""Reading one file through the API (``newscheck.check_file``): special files
are reported without being opened, a file the kernel makes up (its size is not
its content's) is not shown, the size limit (NC009) holds to the byte, and no
descriptor is left open.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

import newscheck

from ..helpers import article


def said(path: str | Path, schema: object = None) -> list[tuple[str, int, int, str]]:
    result = newscheck.check_file(path, schema)
    assert result.path == os.fspath(path)
    return [(d.code, d.line, d.column, d.message) for d in result.diagnostics]


def unreadable(detail: str) -> list[tuple[str, int, int, str]]:
    return [("NC010", 1, 1, f"cannot read the file: {detail}")]


def test_a_directory(tmp_path):
    (tmp_path / "x.md").mkdir()
    assert said(tmp_path / "x.md") == unreadable("it is a directory, not a regular file")


def test_a_named_pipe_is_never_opened(tmp_path):
    os.mkfifo(tmp_path / "x.md")  # opening it to read would block: the test would hang
    assert said(tmp_path / "x.md") == unreadable("it is a named pipe (FIFO), not a regular file")


def test_a_socket(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a socket's path is short
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind("x.md")
        assert said("x.md") == unreadable("it is a socket, not a regular file")
    finally:
        server.close()


def test_a_character_device():
    assert said("/dev/null") == unreadable("it is a character device, not a regular file")


def test_a_missing_file_and_a_dangling_link(tmp_path):
    assert said(tmp_path / "gone.md") == unreadable("No such file or directory")
    os.symlink(tmp_path / "gone.md", tmp_path / "link.md")
    assert said(tmp_path / "link.md") == unreadable(
        "it is a symbolic link to a file that does not exist"
    )


MADE_UP = unreadable(
    "its content is not the size it has on disk (a file the kernel makes up, as in /proc "
    "or /sys, or one changed while read)"
)


def test_a_file_of_size_zero_with_content_is_not_shown():
    """/proc/self/environ says size 0 and holds this process's secrets."""
    assert os.stat("/proc/self/environ").st_size == 0
    assert said("/proc/self/environ") == MADE_UP


def test_a_file_shorter_than_its_size_is_not_shown():
    """A /sys file says 4096 bytes and holds a few."""
    path = "/sys/devices/system/cpu/online"
    if not os.path.exists(path) or os.stat(path).st_size <= len(Path(path).read_bytes()):
        pytest.skip(f"no {path} shorter than its size here")
    assert said(path) == MADE_UP


@pytest.fixture
def limited(tmp_path):
    """A schema whose size limit is the size of a sound article."""
    size = len(article().encode())
    path = tmp_path / "limit.yaml"
    path.write_text(f"extends: feed-article\nrules:\n  file-too-large: {{max_bytes: {size}}}\n")
    return newscheck.load_schema(path), size


def test_the_size_limit_holds_to_the_byte(tmp_path, limited):
    schema, size = limited
    (tmp_path / "a.md").write_text(article(), encoding="utf-8")
    assert said(tmp_path / "a.md", schema) == []
    (tmp_path / "b.md").write_text(article() + "\n", encoding="utf-8")
    message = f"expected at most {size} bytes, found {size + 1} bytes"
    assert said(tmp_path / "b.md", schema) == [("NC009", 1, 1, message)]


def open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


def test_no_descriptor_is_left_open(tmp_path):
    for n in range(20):
        (tmp_path / f"{n:02}.md").write_text(article(n), encoding="utf-8")
    before = open_descriptors()
    for n in range(20):
        assert said(tmp_path / f"{n:02}.md") == []
    assert open_descriptors() == before


# What a file can become between two looks at it: its status is read, then it
# is opened and its status read again from the descriptor. The first look is
# made to see what it saw a moment earlier.


FIELDS = ("st_mode", "st_ino", "st_dev", "st_nlink", "st_uid", "st_gid", "st_size")  # in order


def looked_at_as(monkeypatch, path: Path, *, stat=None, fstat=None) -> None:
    """``os.stat`` of ``path`` gives ``stat``'s fields, and ``os.fstat`` of
    any descriptor of it ``fstat``'s (each a dict of fields to change)."""
    real_stat, real_fstat, real_open = os.stat, os.fstat, os.open
    opened: set[int] = set()

    def changed(result: os.stat_result, fields: dict[str, int]) -> os.stat_result:
        values = list(result)
        for name, value in fields.items():
            values[FIELDS.index(name)] = value
        return os.stat_result(values)

    def fake_stat(name, *args, **kwargs):
        result = real_stat(name, *args, **kwargs)
        return changed(result, stat) if stat and os.fspath(name) == str(path) else result

    def fake_open(name, *args, **kwargs):
        descriptor = real_open(name, *args, **kwargs)
        if os.fspath(name) == str(path):
            opened.add(descriptor)
        return descriptor

    def fake_fstat(descriptor):
        result = real_fstat(descriptor)
        return changed(result, fstat) if fstat and descriptor in opened else result

    monkeypatch.setattr(os, "stat", fake_stat)
    monkeypatch.setattr(os, "open", fake_open)
    monkeypatch.setattr(os, "fstat", fake_fstat)


REGULAR = 0o100644  # st_mode of a regular file


def test_a_file_that_became_a_named_pipe_after_its_status_is_opened_without_blocking(
    tmp_path, monkeypatch
):
    os.mkfifo(tmp_path / "x.md")  # no writer: a blocking open would never return
    looked_at_as(monkeypatch, tmp_path / "x.md", stat={"st_mode": REGULAR, "st_size": 10})
    assert said(tmp_path / "x.md") == unreadable("it is a named pipe (FIFO), not a regular file")


def test_a_file_of_a_kind_this_system_does_not_name_is_a_special_file(tmp_path, monkeypatch):
    (tmp_path / "x.md").write_text(article(), encoding="utf-8")
    looked_at_as(monkeypatch, tmp_path / "x.md", stat={"st_mode": 0o644})  # no type bits
    assert said(tmp_path / "x.md") == unreadable("it is a special file, not a regular file")


def test_a_file_that_grew_after_its_status_is_read_whole(tmp_path, monkeypatch):
    text = article(title="[标题 ](https://a.example/x)")  # NC207 on line 2, past the first bytes
    (tmp_path / "x.md").write_text(text, encoding="utf-8")
    whole = said(tmp_path / "x.md")
    assert [d[:3] for d in whole] == [("NC207", 2, 4)]
    looked_at_as(monkeypatch, tmp_path / "x.md", fstat={"st_size": 20})
    assert said(tmp_path / "x.md") == whole


def test_a_file_that_grew_past_the_limit_after_its_status_is_too_large(
    tmp_path, monkeypatch, limited
):
    schema, size = limited
    (tmp_path / "x.md").write_text(article() + "\n" * 50, encoding="utf-8")
    looked_at_as(monkeypatch, tmp_path / "x.md", stat={"st_size": 20}, fstat={"st_size": 20})
    message = f"expected at most {size} bytes, found {size + 1} bytes"  # read no further
    assert said(tmp_path / "x.md", schema) == [("NC009", 1, 1, message)]
