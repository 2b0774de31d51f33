"""Load, resolve, extend and validate declared schemas (YAML or JSON).

A declared schema names a layout's parts, the fields to extract from its HTML,
JSON Schema constraints on the record of fields, and rule settings. Each file
is checked against ``schemas/meta-schema.json`` on its own, so every error is
reported as ``file:line:col: message``; ``extends`` then merges it onto its
base. Nothing is fetched from the network: ``$ref`` resolves only to local
files beside the schema and to built-in schemas.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from . import yamlpos
from .diagnostics import RuleSetting, Severity, default_settings, lookup

if TYPE_CHECKING:
    import jsonschema
    import referencing
    from lxml import etree

# jsonschema, referencing and cssselect are imported where they are needed, so
# checking one file with a built-in schema starts fast.

DEFAULT_SCHEMA = "feed-article"
_SUFFIXES = (".yaml", ".yml", ".json")


class SchemaError(Exception):
    """A schema file that cannot be used, located at ``path:line:col``."""

    def __init__(self, path: str, line: int, column: int, message: str) -> None:
        super().__init__(f"{path}:{line}:{column}: {message}")
        self.path, self.line, self.column, self.message = path, line, column, message


@dataclass(frozen=True)
class PartSpec:
    """One part of the layout: a line pattern, or a block running on."""

    name: str
    required: bool
    match: re.Pattern[str] | None
    recognise: re.Pattern[str] | None
    max_lines: int
    block: str | None


@dataclass(frozen=True)
class FieldSpec:
    """A field extracted from the HTML content by an XPath (or CSS) query."""

    name: str
    expression: str  # XPath (CSS selectors are translated when the schema loads)
    value: str
    many: bool

    @functools.cached_property
    def query(self) -> etree.XPath:
        """Compiled on first use: a run served from the cache never needs lxml."""
        from lxml import etree

        return etree.XPath(self.expression)


@dataclass(frozen=True)
class Schema:
    name: str
    path: str
    layout: tuple[PartSpec, ...]
    extract: tuple[FieldSpec, ...]
    record: Any
    rules: Mapping[str, RuleSetting]
    document: Mapping[str, Any]
    ref_dirs: tuple[str, ...] = ()

    @functools.cached_property
    def validator(self) -> jsonschema.protocols.Validator | None:
        if self.record in (None, True, {}):
            return None
        import jsonschema
        import referencing

        cls = jsonschema.validators.validator_for(self.record, jsonschema.Draft202012Validator)
        registry: referencing.Registry[Any] = referencing.Registry(
            retrieve=functools.partial(_retrieve_local, tuple(map(Path, self.ref_dirs)))  # type: ignore[call-arg]
        )
        return cls(self.record, registry=registry, format_checker=cls.FORMAT_CHECKER)

    def with_rules(self, rules: Mapping[str, RuleSetting]) -> Schema:
        return dataclasses.replace(self, rules=rules)


def builtin_dir() -> Path:
    """Where the built-in schemas are: inside the wheel, or the source tree."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "schemas", here.parent / "schemas"):
        if (candidate / "meta-schema.json").is_file():
            return candidate
    raise RuntimeError("newscheck is installed without its built-in schemas")


def builtin_names() -> list[str]:
    """Built-in declared schemas (``*-schema.json`` are newscheck's own JSON Schemas)."""
    return sorted(
        p.stem
        for p in builtin_dir().iterdir()
        if p.suffix in _SUFFIXES and not p.stem.endswith("-schema")
    )


def _retrieve_local(folders: tuple[Path, ...], uri: str) -> referencing.Resource[Any]:
    """A ``$ref`` target from the schemas' own folders or the built-ins; never the network."""
    from urllib.parse import unquote, urlparse

    import referencing.exceptions
    import referencing.jsonschema

    parsed = urlparse(uri)
    if parsed.scheme not in ("", "file"):
        raise referencing.exceptions.NoSuchResource(ref=uri)  # type: ignore[call-arg]
    relative = Path(unquote(parsed.path))
    candidates = [relative] if relative.is_absolute() else [f / relative for f in folders]
    target = next((c for c in candidates if c.is_file()), builtin_dir() / relative.name)
    data, _ = yamlpos.load(target.read_text(encoding="utf-8"))
    return referencing.Resource.from_contents(data, referencing.jsonschema.DRAFT202012)


def resolve_path(name_or_path: str | Path, relative_to: Path | None = None) -> Path:
    """A schema file for a built-in name or a path (relative to ``relative_to``)."""
    text = str(name_or_path)
    candidate = Path(text)
    if relative_to is not None and not candidate.is_absolute():
        candidate = relative_to / candidate
    if candidate.is_file():
        return candidate.resolve()
    for suffix in _SUFFIXES:
        builtin = builtin_dir() / f"{text}{suffix}"
        if builtin.is_file() and text in builtin_names():
            return builtin
    known = ", ".join(builtin_names())
    raise FileNotFoundError(f"no schema file or built-in schema {text!r} (built-ins: {known})")


@functools.cache
def _meta_validator() -> jsonschema.Draft202012Validator:
    import jsonschema

    meta = json.loads((builtin_dir() / "meta-schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(meta)


class _Document:
    """One schema file's data with its positions, for located errors."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise SchemaError(str(path), 1, 1, f"cannot read schema: {error}") from None
        try:
            self.data, self.positions = yamlpos.load(text)
        except yamlpos.YamlError as error:
            raise SchemaError(str(path), error.line, error.column, error.message) from None
        if not isinstance(self.data, dict):
            self.fail((), "a schema must be a mapping of layout, extract, record and rules")

    def fail(self, where: tuple[Any, ...], message: str) -> SchemaError:
        line, column = yamlpos.position(self.positions, where)
        raise SchemaError(str(self.path), line, column, message)

    def validate(self) -> None:
        """Check the file against the meta-schema, compile its patterns and
        queries, and check its record and rule settings."""
        import jsonschema

        errors = sorted(_meta_validator().iter_errors(self.data), key=lambda e: list(e.path))
        if errors:
            error = jsonschema.exceptions.best_match(errors)
            where = ".".join(str(p) for p in error.absolute_path) or "schema"
            self.fail(tuple(error.absolute_path), f"{where}: {error.message}")
        if "extends" not in self.data and "layout" not in self.data:
            self.fail((), "a schema needs a 'layout' (or 'extends' a schema that has one)")
        for index, part in enumerate(self.data.get("layout", [])):
            for key in ("match", "recognise"):
                if key in part:
                    _compile_pattern(self, ("layout", index, key), part[key])
        for name, spec in (self.data.get("extract") or {}).items():
            if spec is not None:
                _compile_query(self, ("extract", name), spec)
        record = self.data.get("record")
        if isinstance(record, dict):
            cls = jsonschema.validators.validator_for(record, jsonschema.Draft202012Validator)
            try:
                cls.check_schema(record)
            except jsonschema.SchemaError as error:
                self.fail(
                    ("record", *error.path), f"record is not a valid JSON Schema: {error.message}"
                )
            self.check_refs(record, ("record",))
        for key, setting in (self.data.get("rules") or {}).items():
            _rule_setting(self, key, setting)

    def check_refs(self, node: Any, where: tuple[Any, ...]) -> None:
        """Every ``$ref`` must name a local file or a built-in: never the network."""
        if isinstance(node, list):
            for index, item in enumerate(node):
                self.check_refs(item, (*where, index))
        if not isinstance(node, dict):
            return
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                self.check_ref(value, (*where, key))
            else:
                self.check_refs(value, (*where, key))

    def check_ref(self, ref: str, where: tuple[Any, ...]) -> None:
        from urllib.parse import urlparse

        target = ref.split("#", 1)[0]
        if not target:
            return
        if urlparse(target).scheme not in ("", "file"):
            self.fail(
                where,
                f"$ref {ref!r} is remote: newscheck never fetches schemas, "
                "copy it beside this file",
            )
        try:
            _retrieve_local((self.path.parent,), target)
        except OSError:
            self.fail(where, f"$ref {ref!r} is neither beside this schema nor a built-in")
        except yamlpos.YamlError as error:
            self.fail(where, f"$ref {ref!r} cannot be read: {error.message}")


def _compile_pattern(doc: _Document, where: tuple[Any, ...], pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.DOTALL)
    except re.error as error:
        doc.fail(where, f"invalid regular expression {pattern!r}: {error}")
        raise  # unreachable: fail raises


def _xpath_of(doc: _Document, where: tuple[Any, ...], spec: Mapping[str, Any]) -> str:
    """A field's query as XPath: CSS selectors translated by cssselect."""
    if "css" not in spec:
        return str(spec["xpath"])
    from cssselect import HTMLTranslator, SelectorError

    try:
        return str(HTMLTranslator().css_to_xpath(spec["css"]))
    except SelectorError as error:
        doc.fail((*where, "css"), f"invalid CSS selector {spec['css']!r}: {error}")
        raise


def _compile_query(doc: _Document, where: tuple[Any, ...], spec: Mapping[str, Any]) -> None:
    """Fail at the field when its query does not compile or evaluate."""
    from lxml import etree

    expression = _xpath_of(doc, where, spec)
    try:
        etree.XPath(expression)(etree.fromstring("<html><body><p>x</p></body></html>"))
    except (etree.XPathSyntaxError, etree.XPathEvalError) as error:
        # unknown functions and variables only show when the query is evaluated
        key = "css" if "css" in spec else "xpath"
        doc.fail((*where, key), f"invalid XPath {expression!r}: {error}")


def _rule_setting(doc: _Document, key: str, setting: Any) -> tuple[str, RuleSetting]:
    rule = lookup(key)
    if rule is None:
        doc.fail(("rules", key, yamlpos.KEY), f"unknown rule {key!r} (see 'newscheck rule --all')")
        raise AssertionError
    import jsonschema

    if rule.code == "NC000":
        doc.fail(
            ("rules", key, yamlpos.KEY),
            "internal-error cannot be configured: it is always an error",
        )
    setting = _as_setting(setting)
    errors = list(jsonschema.Draft202012Validator(rule.options_schema()).iter_errors(setting))
    if errors:
        error = jsonschema.exceptions.best_match(errors)
        doc.fail(
            ("rules", key, *error.absolute_path),
            f"rule {rule.code} {rule.name}: {error.message}",
        )
    options = {k: v for k, v in setting.items() if k != "severity"}
    severity = setting.get("severity")
    resolved = rule.severity if severity is None else _severity(severity)
    return rule.code, RuleSetting(resolved, MappingProxyType({**rule.options, **options}))


def _rule_code(key: str) -> str:
    rule = lookup(key)
    return rule.code if rule else key


def _as_setting(setting: Any) -> dict[str, Any]:
    """A rule setting as a mapping; YAML reads a bare ``off`` as false."""
    if not isinstance(setting, dict):
        setting = {"severity": setting}
    if setting.get("severity") is False:
        setting = {**setting, "severity": "off"}
    return dict(setting)


def _severity(name: str) -> Severity | None:
    return None if name == "off" else Severity.parse(name)


def _merge(base: Any, child: Any) -> Any:
    """Deep-merge mappings; anything else in the child replaces the base."""
    if isinstance(base, dict) and isinstance(child, dict):
        merged = dict(base)
        for key, value in child.items():
            merged[key] = _merge(base[key], value) if key in base else value
        return merged
    return child


def _merge_layout(doc: _Document, base: list[Any], child: list[Any]) -> list[Any]:
    """Patch parts by name; a new part goes after ``after:`` or at the end."""
    layout = [dict(p) for p in base]
    for index, part in enumerate(child):
        names = [p["part"] for p in layout]
        if part["part"] in names:
            if "after" in part:
                doc.fail(
                    ("layout", index, "after"),
                    f"part {part['part']!r} exists: 'after' places new parts",
                )
            at = names.index(part["part"])
            patched = {**layout[at], **part}
            if "block" in part:
                patched.pop("match", None)
                patched.pop("recognise", None)
            elif "match" in part:
                patched.pop("block", None)
            layout[at] = patched
        elif "after" in part:
            if part["after"] not in names:
                doc.fail(("layout", index, "after"), f"no part {part['after']!r} to follow")
            layout.insert(names.index(part["after"]) + 1, dict(part))
        else:
            layout.append(dict(part))
    return layout


Resolved = tuple[dict[str, Any], "_Document", tuple[Path, ...]]


def _resolve(path: Path, seen: tuple[Path, ...] = ()) -> Resolved:
    """A schema file merged onto its bases, its document, and the folders
    (its own first) where its ``$ref``s resolve."""
    doc = _Document(path)
    if path.parent != builtin_dir():  # built-ins are validated by the test suite
        doc.validate()
    data = dict(doc.data)
    if data.get("rules"):
        rules: dict[str, dict[str, Any]] = {}
        for key, setting in data["rules"].items():
            code = _rule_code(key)
            rules[code] = {**rules.get(code, {}), **_as_setting(setting)}
        data["rules"] = rules
    parent = data.pop("extends", None)
    if parent is None:
        for index, part in enumerate(data["layout"]):
            if "after" in part:
                doc.fail(
                    ("layout", index, "after"), "'after' places a new part when extending a schema"
                )
        return data, doc, (path.parent,)
    try:
        base_path = resolve_path(parent, path.parent)
    except FileNotFoundError as error:
        doc.fail(("extends",), str(error))
    if base_path in (*seen, path):
        doc.fail(("extends",), f"schema extends itself through {base_path}")
    base, _, base_dirs = _resolve(base_path, (*seen, path))
    merged = _merge({k: v for k, v in base.items() if k != "layout"}, data)
    merged["layout"] = _merge_layout(doc, base.get("layout", []), data.get("layout", []))
    extract = {**base.get("extract", {}), **data.get("extract", {})}
    merged["extract"] = {name: spec for name, spec in extract.items() if spec is not None}
    return merged, doc, (path.parent, *base_dirs)


def _build(data: dict[str, Any], doc: _Document, ref_dirs: tuple[Path, ...]) -> Schema:
    layout = []
    for index, part in enumerate(data["layout"]):
        if "match" not in part and "block" not in part:
            doc.fail(("layout", index), f"part {part['part']!r} needs 'match' or 'block'")
        layout.append(
            PartSpec(
                name=part["part"],
                required=part.get("required", True),
                match=_compile_pattern(doc, (), part["match"]) if "match" in part else None,
                recognise=(
                    _compile_pattern(doc, (), part["recognise"]) if "recognise" in part else None
                ),
                max_lines=part.get("max_lines", 1 if "match" in part else 0),
                block=part.get("block"),
            )
        )
    if sum(p.block == "html" for p in layout) > 1:
        doc.fail(("layout",), "a layout has at most one 'block: html' part")
    names = [p.name for p in layout]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        doc.fail(("layout",), f"part names must be unique, repeated: {', '.join(duplicates)}")
    extract = tuple(
        FieldSpec(
            name,
            _xpath_of(doc, ("extract", name), spec),
            spec.get("value", "text"),
            spec.get("many", False),
        )
        for name, spec in (data.get("extract") or {}).items()
        if spec is not None
    )
    rules = default_settings()
    for key, setting in (data.get("rules") or {}).items():
        code, resolved = _rule_setting(doc, key, setting)
        rules[code] = resolved
    return Schema(
        name=data.get("name", doc.path.stem),
        path=str(doc.path),
        layout=tuple(layout),
        extract=extract,
        record=data.get("record"),
        rules=MappingProxyType(rules),
        document=MappingProxyType(data),
        ref_dirs=tuple(str(d) for d in ref_dirs),
    )


@functools.cache
def _load(path: Path) -> Schema:
    return _build(*_resolve(path))


def load_schema(name_or_path: str | Path = DEFAULT_SCHEMA) -> Schema:
    """Load a built-in schema by name, or a schema file by path.

    Raises :class:`SchemaError` (with ``path:line:col``) for a broken schema and
    :class:`FileNotFoundError` for one that does not exist.
    """
    return _load(resolve_path(name_or_path))
