"""Reading one file from disk, safely: never blocking on a special file,
never reading a huge one, never showing what the kernel makes up.

:mod:`newscheck.source` turns the bytes into text.
"""

from __future__ import annotations

import errno
import os
import stat

from . import source as sources
from .source import Source, Unreadable

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


# A file whose bytes are not as many as its size says is made up by the kernel
# as it is read (/proc/self/environ: size 0; /sys: 4096), or was cut short
# while read: its content is not an article and may be a secret, none is shown.
_GENERATED = (
    "its content is not the size it has on disk (a file the kernel makes up, as in /proc "
    "or /sys, or one changed while read)"
)


def _not_regular(mode: int) -> str:
    kind = next((name for test, name in _KINDS if test(mode)), "a special file")
    return f"it is {kind}, not a regular file"


def read_file(path: str, max_bytes: int) -> tuple[bytes, os.stat_result] | Source:
    """A file's bytes and status, or an unreadable Source saying why not: never
    blocking on special files and never reading a huge one.

    A special file is told by its status and never opened; the file is opened
    without blocking and its descriptor checked again, so one that turned into
    a pipe between the two cannot block the read either. A file whose bytes are
    not as many as its size says (``/proc``, ``/sys``) is not shown."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            return sources.unreadable(path, Unreadable.IO_ERROR, _not_regular(info.st_mode))
        if info.st_size > max_bytes:
            return sources.unreadable(path, Unreadable.TOO_LARGE, size=info.st_size)
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
        with open(descriptor, "rb", closefd=True) as handle:
            info = os.fstat(descriptor)
            if not stat.S_ISREG(info.st_mode):
                return sources.unreadable(path, Unreadable.IO_ERROR, _not_regular(info.st_mode))
            size = min(info.st_size, max_bytes)
            data = handle.read(size + 1)  # a buffer of the file's size, not of the limit
            if len(data) < size or (data and not size):  # not the bytes its size says
                return sources.unreadable(path, Unreadable.IO_ERROR, _GENERATED)
            if len(data) > size:  # it grew since: read on, up to the limit
                data += handle.read(max_bytes + 1 - len(data))
    except OSError as error:
        detail = error.strerror or str(error)
        if error.errno == errno.ENOENT and os.path.islink(path):
            detail = "it is a symbolic link to a file that does not exist"
        return sources.unreadable(path, Unreadable.IO_ERROR, detail)
    if len(data) > max_bytes:
        return sources.unreadable(path, Unreadable.TOO_LARGE, size=len(data))
    return data, info


def read_bytes(path: str, max_bytes: int) -> bytes | Source:
    """A file's bytes, or an unreadable Source saying why not (see :func:`read_file`)."""
    read = read_file(path, max_bytes)
    return read if isinstance(read, Source) else read[0]


def read_source(path: str, max_bytes: int) -> Source:
    """Read and decode one file (see :func:`read_file`)."""
    data = read_bytes(path, max_bytes)
    return data if isinstance(data, Source) else sources.from_bytes(data, path)
