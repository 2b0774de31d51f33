"""``newscheck record FILE…``: each file's parts and fields with their positions.

The schema is chosen as ``newscheck check`` chooses it (``--schema``, the
configuration, ``auto``), then the file's ``sources`` profile applies, so what
is printed is what the rules read (:mod:`newscheck.record`). Text output
shortens long values; ``--output-format json`` gives them whole.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping
from typing import Any, TextIO

from ..reporters import json_safe, printable
from .common import EXIT_OK, add_config_options, configuration, usage_errors

_SHOWN = 72  # characters of a value that text output shows


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "record", help="print the parts and fields newscheck extracts from files"
    )
    parser.add_argument("paths", nargs="+", help="files or directories (*.md below them)")
    add_config_options(parser)
    parser.add_argument(
        "--schema", help="built-in schema name, schema file, or 'auto' (default: as check)"
    )
    parser.add_argument("--output-format", choices=("text", "json"), default="text")
    parser.set_defaults(run=_record)


def _record(args: argparse.Namespace, out: TextIO) -> int:
    # the engine and the schema loader: not imported to build the parser
    from ..config import override
    from ..reading import read_source
    from ..record import record_of
    from .wiring import build_checker

    settings = override(configuration(args), schema=args.schema, cache=False)
    checker = build_checker(settings)
    schemas = checker.choices or (checker.schema,)
    with usage_errors():
        paths = list(checker.discover(args.paths))
    records = [record_of(read_source(path, checker.max_bytes), schemas) for path in paths]
    if args.output_format == "json":
        out.write(json_safe(json.dumps(records, ensure_ascii=False, indent=2)) + "\n")
    else:
        for record in records:
            out.write(_text(record))
    return EXIT_OK


def _at(entry: Mapping[str, Any]) -> str:
    start, end = entry["start"], entry["end"]
    return f"{start['line']}:{start['column']}-{end['line']}:{end['column']}"


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return printable(text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…")


def _text(record: Mapping[str, Any]) -> str:
    path = printable(record["path"])
    if "unreadable" in record:
        return f"{path}: unreadable ({record['unreadable']}): {printable(record['detail'])}\n"
    head = f"{path}: schema {printable(record['schema'])}"
    if "profile" in record:
        head += f", sources profile {printable(repr(record['profile']))}"
    lines = [head]
    for part in record["parts"]:
        line = f"  part {part['name']} {part['status']} {_at(part)}"
        if not part["required"]:
            line += " (optional)"
        if "found" in part:
            line += f" found {_shown(part['found'])}"
        if "problem" in part:
            line += f": {printable(part['problem'])}"
        lines.append(printable(line, controls=False))
    for field in record["fields"]:
        lines.append(f"  field {printable(field['name'])} {_at(field)} {_shown(field['value'])}")
        for index, item in enumerate(field.get("items", ())):
            lines.append(f"    [{index}] {_at(item)} {_shown(item['value'])}")
    if "trailing" in record:
        lines.append(f"  trailing {_at(record['trailing'])}")
    return "\n".join(lines) + "\n"
