"""``newscheck schema check|show|infer``: tooling for declared schemas.

- ``check FILE…`` loads each schema as ``newscheck check`` would (meta-schema,
  patterns, queries, record, rule settings, ``extends``, checks, sources) and
  prints ``path:line:col: message`` for the first mistake in each; exit 2 if
  any schema is broken.
- ``show NAME|FILE`` prints the schema fully resolved (``extends`` merged,
  rules by name), as YAML that ``check`` accepts; ``--source HOST`` applies
  the ``sources`` profile for that link host (or ``sources_by`` key).
- ``infer PATHS…`` proposes a schema from sample files (see
  :mod:`newscheck.infer`).
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TextIO

from ..reporters import printable, printable_lines
from ..rules import lookup
from .common import EXIT_ERROR, EXIT_OK, UsageError, usage_errors


def register(commands: Any) -> None:
    """The ``schema`` command and its subcommands."""
    parser = commands.add_parser("schema", help="check, show and infer declared schemas")
    sub = parser.add_subparsers(dest="schema_command", required=True, metavar="COMMAND")
    check = sub.add_parser("check", help="validate schema files (exit 2 if one is broken)")
    check.add_argument("schemas", nargs="+", metavar="NAME|FILE")
    check.set_defaults(run=_check)
    show = sub.add_parser("show", help="print a schema fully resolved, as YAML")
    show.add_argument("schema", metavar="NAME|FILE")
    show.add_argument(
        "--source",
        metavar="HOST",
        help="apply the sources profile for this link host (or sources_by key)",
    )
    show.set_defaults(run=_show)
    infer = sub.add_parser("infer", help="propose a schema from sample article files")
    infer.add_argument("paths", nargs="+", help="files or directories (*.md below them)")
    infer.add_argument("--name", default="inferred", help="the proposed schema's name")
    infer.add_argument(
        "--extends", metavar="NAME|FILE", help="the layout to build on (default: detected)"
    )
    infer.add_argument(
        "--output-dir",
        type=Path,
        metavar="DIR",
        help="write each proposed schema to DIR/NAME.yaml (default: all on stdout)",
    )
    infer.set_defaults(run=_infer)


def _infer(args: argparse.Namespace, out: TextIO) -> int:
    # the layout guesser: not imported to build the parser
    from ..infer import configuration_hint, infer, proposals
    from ..yamlpos import dump

    with usage_errors(ValueError):
        if args.output_dir is None:
            out.write(infer(args.paths, name=args.name, base=args.extends))
            return EXIT_OK
        documents, globs, said = proposals(args.paths, name=args.name, base=args.extends)
    try:
        args.output_dir.mkdir(parents=True, exist_ok=True)
        for document in documents:
            path = args.output_dir / f"{document['name']}.yaml"
            path.write_text(dump(document), encoding="utf-8")
            out.write(f"{printable(str(path))}\n")
    except OSError as error:
        raise UsageError(f"{args.output_dir}: {error.strerror or error}") from None
    out.write(printable(f"# {said}") + "\n")
    if len(documents) > 1:
        hint = configuration_hint(documents, globs, str(args.output_dir / "{name}.yaml"))
        out.write(printable_lines(hint.rstrip("\n")) + "\n")
    return EXIT_OK


def _check(args: argparse.Namespace, out: TextIO) -> int:
    # the schema loader (jsonschema, pyyaml): not imported to build the parser
    from ..schema import SchemaError, _Document, builtin_dir, load_schema, resolve_path

    status = EXIT_OK
    for name in args.schemas:
        try:
            path = resolve_path(name)
            if path.parent == builtin_dir():  # built-ins skip validation when loaded
                _Document(path).validate()
            load_schema(path)
        except SchemaError as error:
            out.write(f"{printable_lines(str(error))}\n")
            status = EXIT_ERROR
        except FileNotFoundError as error:
            out.write(f"{printable(name)}: {printable(str(error))}\n")
            status = EXIT_ERROR
        else:
            out.write(f"{printable(name)}: ok\n")
    return status


def resolved(name: str, host: str | None = None) -> tuple[dict[str, Any], str | None]:
    """A schema's merged document as a schema file would say it (``extends``
    merged, placements dropped, rules by name), with the ``sources`` profile
    for ``host`` applied; and the glob of that profile."""
    from ..schema import _merge, _resolve, load_schema, resolve_path  # as in _check

    path = resolve_path(name)
    schema = load_schema(path)  # validates every file on the way
    data, _, _ = _resolve(path)
    data = {key: value for key, value in data.items() if value not in (None, {}, [])}
    data["layout"] = [
        {k: v for k, v in part.items() if k not in ("after", "before")} for part in data["layout"]
    ]
    glob = None
    if host is not None:
        profile = schema.profile_for(host.lower())
        sources = data.pop("sources", {})
        if profile is not None:
            glob = profile.glob
            data = _with_profile(data, sources[glob], _merge)
    for key in ("rules",):
        if key in data:
            data[key] = _by_name(data[key])
    for profile_data in (data.get("sources") or {}).values():
        if "rules" in profile_data:
            profile_data["rules"] = _by_name(profile_data["rules"])
    order = (
        "name",
        "description",
        "layout",
        "extract",
        "roles",
        "record",
        "rules",
        "checks",
        "sources_by",
        "sources",
    )
    return {
        key: data[key]
        for key in sorted(data, key=lambda k: (k not in order, order.index(k) if k in order else 0))
    }, glob


def _with_profile(data: dict[str, Any], profile: Mapping[str, Any], merge: Any) -> dict[str, Any]:
    data = dict(data)
    rules = {code: dict(setting) for code, setting in (data.get("rules") or {}).items()}
    for code, setting in (profile.get("rules") or {}).items():
        rules[code] = {**rules.get(code, {}), **setting}
    if "dates" in profile:
        rules["NC501"] = {**rules.get("NC501", {}), "formats": profile["dates"]}
    if rules:
        data["rules"] = rules
    if "record" in profile:
        data["record"] = merge(data.get("record") or {}, profile["record"])
    if profile.get("checks"):
        data["checks"] = [*(data.get("checks") or []), *profile["checks"]]
    required = {p["part"]: p["required"] for p in profile.get("layout") or ()}
    data["layout"] = [
        {**part, "required": required[part["part"]]} if part["part"] in required else part
        for part in data["layout"]
    ]
    return data


def _by_name(rules: Mapping[str, Any]) -> dict[str, Any]:
    named = {}
    for code, setting in rules.items():
        rule = lookup(code)
        key = rule.name if rule is not None else code
        only = setting.get("severity") if isinstance(setting, dict) and len(setting) == 1 else None
        named[key] = only if only is not None else setting
    return named


def _show(args: argparse.Namespace, out: TextIO) -> int:
    from ..yamlpos import dump  # pyyaml: not imported to build the parser

    name, host = args.schema, args.source
    with usage_errors():
        data, glob = resolved(name, host)
    header = f"# {Path(name).name if Path(name).is_file() else name}, resolved"
    if host is not None:
        header += f" for {host}: " + (
            f"sources profile {glob!r} applied" if glob else "no sources profile matches"
        )
    out.write(header + "\n" + dump(data))
    return EXIT_OK
