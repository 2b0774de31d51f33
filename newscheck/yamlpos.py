"""Load YAML (and so JSON) safely, keeping the line and column of every node;
dump YAML as a person would write it.

Errors in schema and configuration files must point at ``file:line:col``; this
module builds plain Python data with pyyaml's safe loader and, beside it, a map
from each node's path (a tuple of keys and indexes) to its 1-based position.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

import yaml

Path = tuple[Hashable, ...]
Positions = dict[Path, tuple[int, int]]

MAX_NODES = 100_000
MAX_DEPTH = 64  # deeper schemas would exhaust the stack of the validators that walk them
KEY = "\x00key"  # appended to a path: the position of that mapping key itself


class YamlError(Exception):
    """A YAML document that cannot be loaded, with its 1-based position."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


def _located(error: yaml.YAMLError) -> YamlError:
    """A pyyaml error as a YamlError at its 1-based position (1:1 when it has none)."""
    if isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return YamlError(error.problem or str(error), line, column)
    return YamlError(str(error))


def _loader(loader_class: type[yaml.SafeLoader], text: str) -> yaml.SafeLoader:
    """A loader of ``text``; a character YAML does not allow is an error at its place."""
    try:
        return loader_class(text)
    except yaml.reader.ReaderError as error:
        before = text[: error.position]
        line, column = before.count("\n") + 1, len(before) - before.rfind("\n")
        message = f"unacceptable character U+{error.character:04X}: {error.reason}"
        raise YamlError(message, line, column) from None


def _too_deep(loader: yaml.SafeLoader) -> YamlError:
    """The error for a document nested deeper than the parser's stack, where it stopped."""
    mark = loader.get_mark()
    message = f"document is nested more than {MAX_DEPTH} levels deep"
    return YamlError(message, mark.line + 1, mark.column + 1)


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _spend(node: yaml.Node, budget: list[int]) -> None:
    """Count one more node against the document's budget (alias bombs stop here)."""
    budget[0] -= 1
    if budget[0] < 0:
        line, column = _mark(node)
        raise YamlError(
            f"document has more than {MAX_NODES} nodes (alias expansion?)", line, column
        )


def _read(
    loader_class: type[yaml.SafeLoader],
    text: str,
    build: Callable[[yaml.SafeLoader, yaml.Node], tuple[Any, Any]],
) -> tuple[Any, Any]:
    """``build`` on the one document of ``text``, its pyyaml errors located."""
    loader = _loader(loader_class, text)
    try:
        node = loader.get_single_node()
        return (None, {}) if node is None else build(loader, node)
    except yaml.YAMLError as error:
        raise _located(error) from None
    except RecursionError:
        raise _too_deep(loader) from None
    finally:
        loader.dispose()


def _walk(node: yaml.Node, path: Path, positions: Positions, budget: list[int]) -> None:
    _spend(node, budget)
    if len(path) > MAX_DEPTH:
        line, column = _mark(node)
        raise YamlError(f"document is nested more than {MAX_DEPTH} levels deep", line, column)
    positions.setdefault(path, _mark(node))
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            positions.setdefault((*path, key.value, KEY), _mark(key))
            _walk(value, (*path, key.value), positions, budget)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), positions, budget)


def load(text: str, trusted: bool = False) -> tuple[Any, Positions]:
    """Parse one YAML/JSON document into plain data and a position map.

    ``trusted`` text (the package's own schemas) is parsed by libyaml where
    pyyaml has it: the same data and positions (a test compares them) in a
    fifth of the time, ~5 ms of every start-up. Text a user or a checked tree
    wrote is parsed by pyyaml's Python parser alone, whose error messages and
    limits the tests pin down."""

    def build(loader: yaml.SafeLoader, node: yaml.Node) -> tuple[Any, Positions]:
        positions: Positions = {}
        _walk(node, (), positions, [MAX_NODES])
        return loader.construct_document(node), positions

    fast = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return _read(fast if trusted else yaml.SafeLoader, text, build)


def position(positions: Positions, path: Path) -> tuple[int, int]:
    """The position of the value at ``path`` (of the key itself when ``path``
    ends with :data:`KEY`), or of its nearest ancestor that has one."""
    while path not in positions and path:
        path = path[:-1]
    return positions.get(path, (1, 1))


# --- YAML inside articles (front matter): values with character spans ------

Spans = dict[Path, tuple[int, int]]


class _TextTimesLoader(yaml.SafeLoader):
    """The safe loader, except that dates and times stay the text they were
    written as (``2021-01-08T09:58:12.000Z``), so a record sees plain JSON data."""


def _timestamp_as_text(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    assert isinstance(node, yaml.ScalarNode)
    return loader.construct_scalar(node)


_TextTimesLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)


def _plain(value: Any) -> Any:
    """A constructed scalar as JSON data: anything else becomes its text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def _build(
    loader: yaml.SafeLoader, node: yaml.Node, path: Path, spans: Spans, budget: list[int]
) -> Any:
    _spend(node, budget)
    spans.setdefault(path, (node.start_mark.index, node.end_mark.index))
    if isinstance(node, yaml.MappingNode):
        mapping = {}
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else str(_plain(key.value))
            mapping[name] = _build(loader, value, (*path, name), spans, budget)
        return mapping
    if isinstance(node, yaml.SequenceNode):
        return [
            _build(loader, item, (*path, index), spans, budget)
            for index, item in enumerate(node.value)
        ]
    return _plain(loader.construct_object(node, deep=True))


def load_spans(text: str) -> tuple[Any, Spans]:
    """Parse one YAML document into JSON data (mapping keys as written, dates
    and times as text) and the character span of every value in ``text``."""

    def build(loader: yaml.SafeLoader, node: yaml.Node) -> tuple[Any, Spans]:
        spans: Spans = {}
        return _build(loader, node, (), spans, [MAX_NODES]), spans

    return _read(_TextTimesLoader, text, build)


class _Dumper(yaml.SafeDumper):
    """Short lists of plain values on one line, the rest as blocks."""


def _represent_list(dumper: yaml.SafeDumper, items: list[Any]) -> yaml.Node:
    flat = all(isinstance(i, str | int | float | bool) for i in items) and len(items) < 12
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=flat)


_Dumper.add_representer(list, _represent_list)


def dump(data: Any) -> str:
    """YAML as a person would write it: keys in order, CJK as is, short lists
    of names on one line."""
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
