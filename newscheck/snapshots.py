"""Where the pytest plugin's ``article_snapshot`` keeps its golden files.

The snapshots of test module ``tests/test_render.py`` live in
``tests/snapshots/test_render/``; a test's snapshot is named after its node id
within the module, class and parameter ids included
(``TestFeed.test_item[voa%20item].md``), in an encoding that gives two node
ids two names. This module holds that layout, once, for the plugin that
writes the files and for discovery, which leaves them out of a walk.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

FOLDER = "snapshots"
SUFFIX = ".md"
_MAX_NAME = 120  # characters of a name kept before a digest stands for the rest


def folder(module: Path) -> Path:
    """The snapshot folder of a test module."""
    return module.parent / FOLDER / module.stem


def is_folder(path: str) -> bool:
    """Whether ``path`` is a test module's snapshot folder: ``NAME`` inside a
    ``snapshots`` folder that sits beside a module ``NAME.py``."""
    parent, name = os.path.split(path)
    above, snapshots = os.path.split(parent)
    return snapshots == FOLDER and os.path.isfile(os.path.join(above, name + ".py"))


def _escaped(text: str) -> str:
    """``text`` with every character but letters, digits, ``_``, ``-`` and
    ``.`` written as ``%XX`` (its UTF-8 bytes), so no two texts share an
    escape and any file system takes the name."""
    return "".join(
        char if char.isalnum() or char in "_-." else "".join(f"%{b:02X}" for b in char.encode())
        for char in text
    )


def name_of(nodeid: str, given: str | None = None) -> str:
    """The file name of a test's snapshot: ``given`` (escaped), else the node
    id within its module: ``Class.test[ids]`` (names are identifiers, so
    ``.`` joins them unambiguously; the ids are escaped). A long name keeps
    its start and a digest of the whole."""
    if given is not None:
        name = _escaped(given)
    else:
        local = nodeid.split("::", 1)[-1]
        head, bracket, ids = local.partition("[")
        name = ".".join(head.split("::"))
        if bracket:
            name += f"[{_escaped(ids[:-1])}]"
    if len(name) > _MAX_NAME:
        digest = hashlib.sha256(name.encode()).hexdigest()[:16]
        name = f"{name[:_MAX_NAME]}-{digest}"
    return name + SUFFIX
