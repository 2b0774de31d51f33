"""The shape of a file no built-in layout fits, and the layout it proposes.

A file is read from the top as: YAML front matter between ``---`` lines (or
none), then header lines, each of a kind (a blank line, a timestamp comment,
a title link, a rule, a ``KEY: value`` line), then a body running to the end
of the file, HTML when it holds a tag, else text. Files of one shape share a
layout; :func:`layout_of` writes it as a schema's ``layout`` and ``extract``,
reusing the built-in parts for the lines the built-in layout has, so the
built-in rules tied to those parts run on them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .dates import DateReader, Reading

_FENCE = re.compile(r"---\s*")
_BLANK = re.compile(r"\s*")
_STAMP = re.compile(r"<!--\s*\S+\s*-->\s*")
_RULE = re.compile(r"(?:-{2,}|={2,})\s*")
# a short key (no markup, no link) and its value: 'Date: ...', '日期：...'
_KEYED = re.compile(r"(?P<key>[^\s:：<\[#*>|-][^:：<\[]{0,23}?)\s*[:：]\s*(?P<value>\S.*)")
_TAG = re.compile(r"<[A-Za-z][A-Za-z0-9-]*[\s/>]")
_URL = re.compile(r"https?://\S+")
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")

# the built-in parts a header line of that kind is (feed-article's)
_BUILT_IN = {"timestamp": "timestamp", "title": "title", "blank": "blank", "rule": "rule"}
_BUILT_IN_RULE = "------"
# what the built-in content's fields are that any HTML body has
_BODY_FIELDS = ("images", "body")


@dataclass(frozen=True)
class Line:
    """A header line's kind, and for a ``keyed`` line its key, for a rule its text."""

    kind: str
    key: str = ""


@dataclass(frozen=True)
class Shape:
    """What a layout is made of: front matter or not, the header lines' kinds,
    and the body's kind (``html``, ``text``, or ``none`` for no body)."""

    front: bool
    header: tuple[Line, ...]
    body: str

    def describe(self) -> str:
        said = ["YAML front matter"] if self.front else []
        said += [line.kind + (f" {line.key!r}" if line.key else "") for line in self.header]
        said.append(f"{self.body} body to the end" if self.body != "none" else "no body")
        return ", ".join(said)


def is_link(value: object) -> bool:
    """Whether a value is an absolute http(s) link (a ``url`` role's value)."""
    return isinstance(value, str) and _URL.fullmatch(value.strip()) is not None


def _line(text: str) -> Line | None:
    """The kind of a header line, or None where the body starts."""
    if _BLANK.fullmatch(text):
        return Line("blank")
    if _STAMP.fullmatch(text):
        return Line("timestamp")
    stripped = text.rstrip()
    if stripped.startswith("[") and stripped.endswith(")") and "](" in stripped:
        return Line("title")  # a markdown link (checked without a pattern: no backtracking)
    if _RULE.fullmatch(text):
        return Line("rule", text.strip())
    keyed = _KEYED.fullmatch(text)
    if keyed and not _URL.match(text):
        return Line("keyed", keyed.group("key"))
    return None


def _front_end(lines: Sequence[str]) -> int:
    """The index of the line after the front matter (0 for none)."""
    if lines and _FENCE.fullmatch(lines[0]):
        for index in range(1, len(lines)):
            if _FENCE.fullmatch(lines[index]):
                return index + 1
    return 0


def shape_of(text: str) -> tuple[Shape, dict[int, str]]:
    """A file's shape, and the values of its ``keyed`` header lines by their
    place in the header."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    cursor = _front_end(lines)
    header: list[Line] = []
    values: dict[int, str] = {}
    while cursor < len(lines):
        line = _line(lines[cursor].rstrip("\r"))
        if line is None:
            break
        if line.kind == "keyed":
            found = _KEYED.fullmatch(lines[cursor].rstrip("\r"))
            assert found is not None
            values[len(header)] = found.group("value")
        header.append(line)
        cursor += 1
    while header and header[-1].kind == "blank" and cursor == len(lines):
        header.pop()  # blank lines at the end of a file with no body are not a header
    rest = "\n".join(lines[cursor:])
    body = "none" if not rest.strip() else "html" if _TAG.search(rest) else "text"
    return Shape(_front_end(lines) > 0, tuple(header), body), values


def _field_name(key: str, values: Sequence[str], taken: set[str], index: int) -> str:
    """A keyed line's field: ``date`` when its values read as dates, ``url``
    when they are links, ``title`` for a title key (the names the built-in
    rules read), else the key itself when it is a plain name."""
    reader = DateReader()
    if "date" not in taken and all(isinstance(reader.read(v), Reading) for v in values):
        return "date"
    if "url" not in taken and all(is_link(v) for v in values):
        return "url"
    if "title" not in taken and key.casefold() in ("title", "headline"):
        return "title"
    name = re.sub(r"[^A-Za-z0-9]+", "_", key).strip("_").lower()
    if not _NAME.fullmatch(name) or name in taken:
        name = f"line{index + 1}"
    return name


def layout_of(
    shape: Shape, keyed: Mapping[int, Sequence[str]], builtin: Mapping[str, Any]
) -> dict[str, Any]:
    """The ``layout`` (and ``extract``) of a schema for files of ``shape``;
    ``keyed`` holds each keyed line's values in the sample, ``builtin`` is the
    built-in feed-article schema's document."""
    parts_by_name = {part["part"]: part for part in builtin["layout"]}
    layout: list[dict[str, Any]] = []
    taken: set[str] = set()
    if shape.front:
        layout.append(
            {
                "part": "front",
                "description": "the front matter, YAML between '---' lines",
                "block": "yaml",
                "open": "---",
                "close": "---",
            }
        )
    for index, line in enumerate(shape.header):
        name = _BUILT_IN.get(line.kind)
        if line.kind == "rule" and line.key != _BUILT_IN_RULE:
            name = None
        if name is not None and name not in taken:
            layout.append(dict(parts_by_name[name]))
            taken.update(re.findall(r"\(\?P<(\w+)>", parts_by_name[name].get("match", "")))
        elif line.kind in ("blank", "rule"):
            layout.append(
                {
                    "part": f"{line.kind}{index + 1}",
                    "match": re.escape(line.key) if line.key else "",
                    "recognise": r"\s+$" if line.kind == "blank" else r"(-|=){2,}\s*$",
                }
            )
        elif line.kind == "keyed":
            field = _field_name(line.key, keyed.get(index, ()), taken, index)
            taken.add(field)
            layout.append(
                {
                    "part": field if field not in (p["part"] for p in layout) else f"line{index}",
                    "description": f"the {line.key!r} line",
                    "match": rf"{re.escape(line.key)}\s*[:：]\s*(?P<{field}>\S.*)",
                    "recognise": re.escape(line.key),
                }
            )
        else:  # a second timestamp or title line: a line of its own
            layout.append({"part": f"line{index + 1}", "match": ".*"})
    document: dict[str, Any] = {"layout": layout}
    if shape.body != "none":
        layout.append(
            {
                "part": "content",
                "description": f"the {shape.body.upper() if shape.body == 'html' else 'text'} "
                "body, to the end of the file",
                "block": shape.body,
            }
        )
    if shape.body == "html":
        extract = builtin.get("extract", {})
        document["extract"] = {name: dict(extract[name]) for name in _BODY_FIELDS}
    return document
