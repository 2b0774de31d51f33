"""Writing a file the user named, atomically: all of it or none of it.

The text goes to a new file in the folder of the file the name leads to (a
symbolic link is written through, never replaced by a file), which gets the
mode of the file it replaces (a new one the usual mode under the umask) and is
then renamed over it. On any failure the new file is removed: nothing is left
behind and the old file stays as it was.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path


def write_text(target: str | os.PathLike[str], text: str) -> None:
    """Replace ``target``'s content with ``text`` (UTF-8) atomically."""
    final = Path(os.path.realpath(target))
    try:
        mode: int | None = stat.S_IMODE(os.stat(final).st_mode)
    except FileNotFoundError:
        mode = None
    temporary = final.with_name(f".{final.name}.{secrets.token_hex(4)}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(temporary, flags, 0o666)  # the umask applies, as to any new file
    try:
        with open(descriptor, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, final)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
