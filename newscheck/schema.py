"""Load, resolve, extend and validate declared schemas (YAML or JSON).

A declared schema names a layout's parts, the fields to extract from its HTML,
JSON Schema constraints on the record of fields, and rule settings. Each file
is checked against ``schemas/meta-schema.json`` on its own, so every error is
reported as ``file:line:col: message``; ``extends`` then merges it onto its
base. Nothing is fetched from the network: ``$ref`` resolves only to local
files beside the schema and to built-in schemas.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fnmatch
import functools
import json
import re
import string
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlparse

from . import patterns, yamlpos
from . import source as sources
from .article import ROLES
from .blocks import KINDS
from .patterns import Pattern
from .registry import RuleSetting, option_reason, with_options
from .rules import default_settings, lookup
from .rules.checks import NORMALISE
from .values import Severity

if TYPE_CHECKING:
    import jsonschema
    import referencing
    from lxml import etree

# jsonschema, referencing, lxml and cssselect are imported where they are
# needed, so checking one file with a built-in schema starts fast.

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
    match: Pattern | None
    recognise: Pattern | None
    max_lines: int
    block: str | None
    render: str | None = None  # a str.format template writing the part back from its fields
    open: Pattern | None = None  # a block's first line (consumed)
    close: Pattern | None = None  # a block's last line (consumed)
    until: Pattern | None = None  # the line that ends a block (not consumed)

    @property
    def fields(self) -> tuple[str, ...]:
        """The names a ``render`` template may use: the ``match`` groups, or
        for a block its own name (the block's text)."""
        return tuple(self.match.groupindex) if self.match is not None else (self.name,)


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
        from lxml import etree  # here: heavy (see the note at the top)

        return etree.XPath(self.expression)


@dataclass(frozen=True)
class CheckSpec:
    """A cross-field check declared under ``checks``: its kind (``equal``,
    ``same-time``, ``same-day``, ``filename-date``), the fields it compares,
    its options (``max_skew``, ``utc_offset``, ``pattern``, ``normalise``,
    ``prefix``, ``suffix``) and its own severity (None: the rule's)."""

    kind: str
    fields: tuple[str, ...]
    options: Mapping[str, Any]
    severity: Severity | None = None


@dataclass(frozen=True)
class Profile:
    """A ``sources`` entry: the schema as it applies to files whose source key
    (see ``Schema.sources_by``) matches ``glob`` (its rules, record and
    checks), and the parts whose ``required`` flag it changes."""

    glob: str
    pattern: re.Pattern[str]
    schema: Schema
    required: Mapping[str, bool]


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
    checks: tuple[CheckSpec, ...] = ()
    profiles: tuple[Profile, ...] = ()
    # role -> the field that plays it (``roles:``; a field named after a role plays it)
    roles: Mapping[str, str] = dataclasses.field(default_factory=lambda: MappingProxyType({}))
    # what ``sources`` globs match: ("host", FIELD) the host of a URL-valued
    # field, ("value", FIELD) a field's value (any item of a list); FIELD None
    # is the field playing the ``url`` role
    sources_by: tuple[str, str | None] = ("host", None)

    def profile_for(self, *keys: str | None) -> Profile | None:
        """The first ``sources`` profile whose glob matches one of ``keys``."""
        for profile in self.profiles:
            if any(profile.pattern.match(key) for key in keys if key):
                return profile
        return None

    @functools.cached_property
    def field_names(self) -> frozenset[str]:
        """Every field the layout and ``extract`` declare; a ``yaml`` block's
        fields are its name and ``NAME.KEY`` for each key it holds."""
        names = {spec.name for spec in self.extract}
        for part in self.layout:
            if part.match is not None:
                names.update(part.match.groupindex)
            elif part.block is not None and KINDS[part.block].mapping:
                names.add(part.name)
        return frozenset(names)

    @functools.cached_property
    def validator(self) -> jsonschema.protocols.Validator | None:
        if self.record in (None, True, {}):
            return None
        import jsonschema  # here: heavy (see the note at the top)
        import referencing  # here: heavy (see the note at the top)

        cls = jsonschema.validators.validator_for(self.record, jsonschema.Draft202012Validator)
        registry: referencing.Registry[Any] = referencing.Registry(
            retrieve=functools.partial(_retrieve_local, tuple(map(Path, self.ref_dirs)))  # type: ignore[call-arg]
        )
        return cls(self.record, registry=registry, format_checker=cls.FORMAT_CHECKER)

    def with_rules(self, rules: Mapping[str, RuleSetting]) -> Schema:
        return dataclasses.replace(self, rules=rules)

    def with_profiles(self, profiles: tuple[Profile, ...]) -> Schema:
        return dataclasses.replace(self, profiles=profiles)


def read_text(path: Path, what: str = "schema") -> str:
    """A schema's (or configuration's) text: strict UTF-8 from a regular file,
    else a :class:`SchemaError` at the first byte that is not UTF-8 (1:1 when
    the file cannot be read at all)."""
    if not path.is_file() and path.exists():  # a directory, or a pipe that would block
        raise SchemaError(str(path), 1, 1, f"cannot read {what}: not a regular file")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SchemaError(str(path), 1, 1, f"cannot read {what}: {error.strerror}") from None
    text = sources.from_bytes(data, str(path))
    if text.unreadable == sources.Unreadable.BINARY:
        raise SchemaError(str(path), 1, 1, f"{what} is a binary file: {text.detail}")
    if text.invalid_utf8 is not None:
        at = text.position(text.invalid_utf8)
        raise SchemaError(str(path), at.line, at.column, f"{what} is not UTF-8 text")
    return text.text


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


def example_names() -> list[str]:
    """The example schemas shipped beside the built-ins (``examples/NAME``)."""
    folder = builtin_dir() / "examples"
    if not folder.is_dir():
        return []
    return sorted(f"examples/{p.stem}" for p in folder.iterdir() if p.suffix in _SUFFIXES)


def _retrieve_local(folders: tuple[Path, ...], uri: str) -> referencing.Resource[Any]:
    """A ``$ref`` target from the schemas' own folders or the built-ins; never the network."""
    import referencing.exceptions  # here: heavy (see the note at the top)
    import referencing.jsonschema  # here: heavy (see the note at the top)

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
        if builtin.is_file() and text in (*builtin_names(), *example_names()):
            return builtin
    if candidate.exists():
        raise FileNotFoundError(f"schema {text!r} is not a file")
    known = ", ".join(builtin_names())
    raise FileNotFoundError(f"no schema file or built-in schema {text!r} (built-ins: {known})")


@functools.cache
def _meta_validator(kinds: tuple[str, ...]) -> jsonschema.Draft202012Validator:
    """The meta-schema, with ``kinds`` (the registry's) as the enum of ``block``."""
    import jsonschema  # here: heavy (see the note at the top)

    meta = json.loads((builtin_dir() / "meta-schema.json").read_text(encoding="utf-8"))
    meta["$defs"]["part"]["properties"]["block"]["enum"] = list(kinds)
    meta["properties"]["roles"]["propertyNames"]["enum"] = list(ROLES)
    meta["$defs"]["check"]["properties"]["normalise"]["items"]["enum"] = list(NORMALISE)
    return jsonschema.Draft202012Validator(meta)


class _Document:
    """One schema file's data with its positions, for located errors."""

    def __init__(self, path: Path) -> None:
        self.path = path
        text = read_text(path)
        try:
            self.data, self.positions = yamlpos.load(text, trusted=path.parent == builtin_dir())
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
        import jsonschema  # here: heavy (see the note at the top)

        errors = sorted(
            _meta_validator(tuple(sorted(KINDS))).iter_errors(self.data), key=lambda e: list(e.path)
        )
        if errors:
            error = jsonschema.exceptions.best_match(errors)
            where = ".".join(str(p) for p in error.absolute_path) or "schema"
            self.fail(tuple(error.absolute_path), f"{where}: {error.message}{_guess(error)}")
        if "extends" not in self.data and "layout" not in self.data:
            self.fail((), "a schema needs a 'layout' (or 'extends' a schema that has one)")
        for index, part in enumerate(self.data.get("layout", [])):
            for key in ("match", "recognise", "open", "close", "until"):
                if key in part:
                    _compile_pattern(self, ("layout", index, key), part[key])
        for name, spec in (self.data.get("extract") or {}).items():
            if spec is not None:
                _compile_query(self, ("extract", name), spec)
        self.check_record(self.data.get("record"), ("record",))
        for key, setting in (self.data.get("rules") or {}).items():
            _rule_setting(self, key, setting)
        self.compile_check_patterns(self.data.get("checks"), ("checks",))
        for glob, profile in (self.data.get("sources") or {}).items():
            self.validate_profile(glob, profile)

    def check_record(self, record: Any, where: tuple[Any, ...]) -> None:
        """A ``record`` must be a valid JSON Schema whose ``$ref``s are local."""
        if not isinstance(record, dict):
            return
        import jsonschema  # here: heavy (see the note at the top)

        cls = jsonschema.validators.validator_for(record, jsonschema.Draft202012Validator)
        try:
            cls.check_schema(record)
        except jsonschema.SchemaError as error:
            self.fail((*where, *error.path), f"record is not a valid JSON Schema: {error.message}")
        self.check_refs(record, where)

    def validate_profile(self, glob: str, profile: Mapping[str, Any]) -> None:
        """A ``sources`` entry: its record, rule settings and date forms."""

        where = ("sources", glob)
        self.check_record(profile.get("record"), (*where, "record"))
        rules = profile.get("rules") or {}
        for key, setting in rules.items():
            _rule_setting(self, key, setting, where)
        if "dates" in profile:
            if any(
                _rule_code(key) == "NC501" and _declares_formats(setting)
                for key, setting in rules.items()
            ):
                self.fail(
                    (*where, "dates"),
                    "give a source's date forms in 'dates' or in rules.unparseable-date, not both",
                )
            _rule_setting(self, "NC501", {"formats": profile["dates"]}, (*where, "dates"))
        self.compile_check_patterns(profile.get("checks"), (*where, "checks"))

    def compile_check_patterns(self, checks: Any, where: tuple[Any, ...]) -> None:
        for index, check in enumerate(checks or []):
            for key in _CHECK_PATTERNS:
                if key in check:
                    _compile_pattern(self, (*where, index, key), check[key])

    def check_refs(self, node: Any, where: tuple[Any, ...]) -> None:
        """Every ``$ref`` must name a local file or a built-in: never the network."""
        for ref, at in _refs(node, where):
            self.check_ref(ref, at)

    def check_ref(self, ref: str, where: tuple[Any, ...]) -> None:
        """A ``$ref`` to another file: the file and the place in it must exist
        (one within the record is checked once ``extends`` is merged)."""
        target, _, fragment = ref.partition("#")
        if not target:
            return
        if urlparse(target).scheme not in ("", "file"):
            self.fail(
                where,
                f"$ref {ref!r} is remote: newscheck never fetches schemas, "
                "copy it beside this file",
            )
        try:
            resource = _retrieve_local((self.path.parent,), target)
        except OSError:
            self.fail(where, f"$ref {ref!r} is neither beside this schema nor a built-in")
        except yamlpos.YamlError as error:
            self.fail(where, f"$ref {ref!r} cannot be read: {error.message}")
        if not _points_to_schema(resource.contents, fragment):
            self.fail(where, f"$ref {ref!r} points to no schema in {target}")

    def check_pointers(self, record: Any, where: tuple[Any, ...]) -> None:
        """Every ``$ref`` within ``record`` (``#/...``) points to a part of it."""
        for ref, at in _refs(record, where):
            if ref.startswith("#") and not _points_to_schema(record, ref[1:]):
                self.fail(at, f"$ref {ref!r} points to no schema in the record")
            if _ref_loops(record, tuple(map(str, at[len(where) : -1]))):
                message = "leads into a loop of schemas that reads no value (it would never end)"
                self.fail(at, f"$ref {ref!r} {message}")


def _refs(node: Any, where: tuple[Any, ...]) -> Iterator[tuple[str, tuple[Any, ...]]]:
    """Every ``$ref`` below ``node``, with where it is."""
    if isinstance(node, list):
        for index, item in enumerate(node):
            yield from _refs(item, (*where, index))
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value, (*where, key)
            else:
                yield from _refs(value, (*where, key))


_IN_PLACE = frozenset({"allOf", "anyOf", "oneOf", "not", "if", "then", "else"})


def _ref_loops(record: Any, start: tuple[str, ...]) -> bool:
    """Whether the schema at ``start`` can come back to itself, or to a schema
    on the way, through ``$ref`` and in-place applicators (``allOf`` …) alone,
    that is without going into the value: a validator would recurse for ever."""
    on_path: set[tuple[str, ...]] = {start}
    done: set[tuple[str, ...]] = set()
    stack = [(start, iter(_in_place_edges(record, start)))]
    while stack:
        path, edges = stack[-1]
        step = next(edges, None)
        if step is None:
            stack.pop()
            on_path.discard(path)
            done.add(path)
        elif step in on_path:
            return True
        elif step not in done:
            on_path.add(step)
            stack.append((step, iter(_in_place_edges(record, step))))
    return False


def _in_place_edges(record: Any, path: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    """The schemas that apply to the same value as the one at ``path``: its
    in-place sub-schemas, and what its local ``$ref`` points to."""
    node: Any = record
    for step in path:
        if isinstance(node, list) and step.isdigit() and int(step) < len(node):
            node = node[int(step)]
        elif isinstance(node, dict):
            node = node.get(step)
        else:
            return
    if not isinstance(node, dict):
        return
    for key in _IN_PLACE:
        value = node.get(key)
        if isinstance(value, dict):
            yield (*path, key)
        elif isinstance(value, list):
            yield from ((*path, key, str(i)) for i in range(len(value)))
    ref = node.get("$ref")
    if isinstance(ref, str) and (ref == "#" or ref.startswith("#/")):
        tokens = unquote(ref[1:]).split("/")[1:]
        yield tuple(t.replace("~1", "/").replace("~0", "~") for t in tokens)


def _points_to_schema(document: Any, fragment: str) -> bool:
    """Whether a JSON pointer (``/a/0``, or none) finds a schema (a mapping,
    true or false) in ``document``; an anchor name is left to the validator."""
    if fragment and not fragment.startswith("/"):
        return True
    node = document
    for token in unquote(fragment).split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return False
    return isinstance(node, dict | bool)


def _guess(error: jsonschema.ValidationError) -> str:
    """`` (did you mean 'rules'?)`` for a misspelt key, else nothing."""
    import difflib  # here: only for a schema with a mistake

    if error.validator != "additionalProperties" or not isinstance(error.instance, dict):
        return ""
    known = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
    for key in error.instance:
        if key not in known:
            close = difflib.get_close_matches(str(key), list(known), n=1)
            return f" (did you mean {close[0]!r}?)" if close else ""
    return ""


def _compile_pattern(doc: _Document, where: tuple[Any, ...], pattern: str) -> Pattern:
    """A schema's pattern for RE2 (linear time, :mod:`newscheck.patterns`)."""
    try:
        return patterns.compile(pattern)
    except patterns.PatternError as error:
        doc.fail(where, f"invalid regular expression {pattern!r}: {error}")
        raise  # unreachable: fail raises


def _xpath_of(doc: _Document, where: tuple[Any, ...], spec: Mapping[str, Any]) -> str:
    """A field's query as XPath: CSS selectors translated by cssselect."""
    if "css" not in spec:
        return str(spec["xpath"])
    from cssselect import HTMLTranslator, SelectorError  # here: heavy (see the note at the top)

    try:
        return str(HTMLTranslator().css_to_xpath(spec["css"]))
    except SelectorError as error:
        doc.fail((*where, "css"), f"invalid CSS selector {spec['css']!r}: {error}")
        raise


def _compile_query(doc: _Document, where: tuple[Any, ...], spec: Mapping[str, Any]) -> None:
    """Fail at the field when its query does not compile or evaluate."""
    from lxml import etree  # here: heavy (see the note at the top)

    expression = _xpath_of(doc, where, spec)
    try:
        etree.XPath(expression)(etree.fromstring("<html><body><p>x</p></body></html>"))
    except (etree.XPathSyntaxError, etree.XPathEvalError) as error:
        # unknown functions and variables only show when the query is evaluated
        key = "css" if "css" in spec else "xpath"
        doc.fail((*where, key), f"invalid XPath {expression!r}: {error}")


def _rule_setting(
    doc: _Document,
    key: str,
    setting: Any,
    within: tuple[Any, ...] = (),
    base: RuleSetting | None = None,
) -> tuple[str, RuleSetting]:
    """A rule's setting, validated against its options (located at
    ``within + ("rules", key)``; for a profile's ``dates``, at ``within``),
    on top of ``base`` (the rule's defaults when None)."""
    dates = within[-1:] == ("dates",)  # a profile's dates: the formats list itself
    where = within if dates else (*within, "rules", key)
    rule = lookup(key)
    if rule is None:
        doc.fail((*where, yamlpos.KEY), f"unknown rule {key!r} (see 'newscheck rule --all')")
        raise AssertionError

    if rule.code == "NC000":
        doc.fail(
            (*where, yamlpos.KEY), "internal-error cannot be configured: it is always an error"
        )
    setting = _as_setting(setting)
    error = rule.options_error(setting)
    if error is not None:
        path = list(error.absolute_path)
        if dates and path[:1] == ["formats"]:
            path = path[1:]
        doc.fail((*where, *path), f"rule {rule.code} {rule.name}: {option_reason(error)}")
    options = {k: v for k, v in setting.items() if k != "severity"}
    severity = setting.get("severity")
    start = base or RuleSetting(rule.severity, rule.options)
    resolved = start.severity if severity is None else _severity(severity)
    return rule.code, RuleSetting(resolved, MappingProxyType(with_options(start.options, options)))


def _declares_formats(setting: Any) -> bool:
    return isinstance(setting, dict) and bool({"formats", "extend-formats"} & set(setting))


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


_PLACES = ("after", "before")
_BLOCK_KEYS = ("open", "close", "until")


def _merge_layout(doc: _Document, base: list[Any], child: list[Any]) -> list[Any]:
    """Patch parts by name; a new part goes after ``after:``, before
    ``before:``, or at the end."""
    layout = [dict(p) for p in base]
    for index, part in enumerate(child):
        names = [p["part"] for p in layout]
        place = next((key for key in _PLACES if key in part), None)
        if part["part"] in names:
            if place is not None:
                doc.fail(
                    ("layout", index, place),
                    f"part {part['part']!r} exists: '{place}' places new parts",
                )
            at = names.index(part["part"])
            patched = {**layout[at], **part}
            if "block" in part:
                patched.pop("match", None)
                patched.pop("recognise", None)
            elif "match" in part:
                for key in ("block", *_BLOCK_KEYS):
                    patched.pop(key, None)
            if ("match" in part or "block" in part) and "render" not in part:
                patched.pop("render", None)  # written for the base's pattern
            given = [key for key in _BLOCK_KEYS if key in part]
            if given and "block" not in patched:
                doc.fail(
                    ("layout", index, given[0]),
                    f"part {part['part']!r}: '{given[0]}' belongs to a block, not a 'match' part",
                )
            layout[at] = patched
        elif place is not None:
            if part[place] not in names:
                verb = "follow" if place == "after" else "precede"
                doc.fail(("layout", index, place), f"no part {part[place]!r} to {verb}")
            at = names.index(part[place]) + (place == "after")
            layout.insert(at, {k: v for k, v in part.items() if k not in _PLACES})
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
        data["rules"] = _rules_by_code(data["rules"])
    if data.get("sources"):
        data["sources"] = {
            glob: {**profile, "rules": _rules_by_code(profile["rules"])}
            if profile.get("rules")
            else profile
            for glob, profile in data["sources"].items()
        }
    parent = data.pop("extends", None)
    if parent is None:
        for index, part in enumerate(data["layout"]):
            for place in _PLACES:
                if place in part:
                    doc.fail(
                        ("layout", index, place),
                        f"'{place}' places a new part when extending a schema",
                    )
        _check_references(doc, data, data)
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
    if "checks" in base or "checks" in data:
        merged["checks"] = [*base.get("checks", []), *data.get("checks", [])]
    if "sources_by" in data:
        merged["sources_by"] = data["sources_by"]  # one key: the child's replaces the base's
    _check_references(doc, merged, data)
    return merged, doc, (path.parent, *base_dirs)


def _rules_by_code(rules: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Rule settings keyed by code, a rule named twice merged key by key."""
    merged: dict[str, dict[str, Any]] = {}
    for key, setting in rules.items():
        code = _rule_code(key)
        merged[code] = {**merged.get(code, {}), **_as_setting(setting)}
    return merged


def _declared_fields(data: Mapping[str, Any]) -> tuple[set[str], set[str]]:
    """The field names a merged schema declares, and its ``yaml`` blocks."""
    fields = {name for name, spec in (data.get("extract") or {}).items() if spec is not None}
    blocks = set()
    for part in data.get("layout", []):
        if "match" in part:
            with contextlib.suppress(patterns.PatternError):  # reported where it is compiled
                fields.update(patterns.compile(part["match"]).groupindex)
        elif "block" in part and KINDS[part["block"]].mapping:
            blocks.add(part["part"])
    return fields | blocks, blocks


def _check_references(doc: _Document, merged: Mapping[str, Any], own: Mapping[str, Any]) -> None:
    """The fields a file's ``checks`` compare and the parts its ``sources``
    mark required exist in the merged schema."""
    fields, blocks = _declared_fields(merged)
    parts = {part["part"] for part in merged.get("layout", [])}

    def check_fields(where: tuple[Any, ...], checks: list[Any]) -> None:
        for index, check in enumerate(checks):
            kind = next(k for k in _CHECK_KINDS if k in check)
            named = check[kind] if isinstance(check[kind], list) else [check[kind]]
            for position, name in enumerate(named):
                if name not in fields and name.partition(".")[0] not in blocks:
                    known = ", ".join(sorted(fields)) or "none"
                    at = (*where, index, kind, position) if isinstance(check[kind], list) else ()
                    doc.fail(
                        at or (*where, index, kind),
                        f"check {kind} names no field {name!r} (fields: {known})",
                    )
            if "utc_offset" in check and kind not in ("same-day", "filename-date"):
                doc.fail((*where, index, "utc_offset"), f"'utc_offset' does not apply to {kind}")

    check_fields(("checks",), own.get("checks") or [])
    named = [(("roles", role), name) for role, name in (own.get("roles") or {}).items()]
    named += [(("sources_by", how), name) for how, name in (own.get("sources_by") or {}).items()]
    for where, name in named:
        if name is not None and name not in fields and name.partition(".")[0] not in blocks:
            known = ", ".join(sorted(fields)) or "none"
            doc.fail(where, f"{where[0]}: no field {name!r} in the schema (fields: {known})")
    for glob, profile in (own.get("sources") or {}).items():
        check_fields(("sources", glob, "checks"), profile.get("checks") or [])
        for index, part in enumerate(profile.get("layout") or []):
            if part["part"] not in parts:
                doc.fail(
                    ("sources", glob, "layout", index, "part"),
                    f"no part {part['part']!r} in the layout",
                )


_CHECK_KINDS = ("equal", "same-time", "same-day", "filename-date")
_CHECK_PATTERNS = ("pattern", "prefix", "suffix")


def _build(data: dict[str, Any], doc: _Document, ref_dirs: tuple[Path, ...]) -> Schema:
    layout = []
    for index, part in enumerate(data["layout"]):
        if "match" not in part and "block" not in part:
            doc.fail(("layout", index), f"part {part['part']!r} needs 'match' or 'block'")
        given = [key for key in _BLOCK_KEYS if key in part]
        if "block" not in part and given:
            doc.fail(
                ("layout", index, given[0]),
                f"part {part['part']!r}: '{given[0]}' belongs to a block, not a 'match' part",
            )
        patterns = {key: _compile_pattern(doc, ("layout", index, key), part[key]) for key in given}
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
                render=part.get("render"),
                **patterns,
            )
        )
        _check_template(doc, index, layout[-1])
    for kind in KINDS.values():
        if kind.content and sum(p.block == kind.name for p in layout) > 1:
            doc.fail(("layout",), f"a layout has at most one 'block: {kind.name}' part")
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
    doc.check_pointers(data.get("record"), ("record",))
    rules = default_settings()
    for key, setting in (data.get("rules") or {}).items():
        code, resolved = _rule_setting(doc, key, setting)
        rules[code] = resolved
    fields, _ = _declared_fields(data)
    roles = {role: role for role in ROLES if role in fields}
    roles.update(data.get("roles") or {})
    how, by = next(iter((data.get("sources_by") or {"host": None}).items()))
    schema = Schema(
        name=data.get("name", doc.path.stem),
        path=str(doc.path),
        layout=tuple(layout),
        extract=extract,
        record=data.get("record"),
        rules=MappingProxyType(rules),
        document=MappingProxyType(data),
        ref_dirs=tuple(str(d) for d in ref_dirs),
        checks=_checks(data.get("checks") or ()),
        roles=MappingProxyType({role: name for role, name in roles.items() if name is not None}),
        sources_by=(how, by),
    )
    profiles = tuple(
        _profile(doc, schema, glob, profile)
        for glob, profile in (data.get("sources") or {}).items()
    )
    return schema.with_profiles(profiles) if profiles else schema


_CHECK_OPTIONS: dict[str, dict[str, Any]] = {
    "equal": {"normalise": (), "prefix": None, "suffix": None},
    "same-time": {"max_skew": 0},
    "same-day": {"utc_offset": "+00:00"},
    "filename-date": {"utc_offset": "+00:00", "pattern": r"(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})-"},
}


def _checks(entries: Any) -> tuple[CheckSpec, ...]:
    checks = []
    for entry in entries:
        kind = next(k for k in _CHECK_KINDS if k in entry)
        named = entry[kind]
        defaults = _CHECK_OPTIONS.get(kind, {})
        options = {key: entry.get(key, default) for key, default in defaults.items()}
        if kind == "equal":
            options["normalise"] = tuple(options["normalise"])
        fields = tuple(named) if isinstance(named, list) else (named,)
        severity = entry.get("severity")
        if severity in ("off", False):
            continue  # kept in the file, checked nowhere
        checks.append(
            CheckSpec(
                kind,
                fields,
                MappingProxyType(options),
                None if severity is None else Severity.parse(severity),
            )
        )
    return tuple(checks)


def _profile(doc: _Document, schema: Schema, glob: str, data: Mapping[str, Any]) -> Profile:
    """A ``sources`` entry built on the schema: rules and record merged onto
    the schema's, checks added to its checks."""
    where = ("sources", glob)
    rules = dict(schema.rules)
    for key, setting in (data.get("rules") or {}).items():
        code, resolved = _rule_setting(doc, key, setting, where, rules[_rule_code(key)])
        rules[code] = resolved
    if "dates" in data:
        code, resolved = _rule_setting(
            doc, "NC501", {"formats": data["dates"]}, (*where, "dates"), rules["NC501"]
        )
        rules[code] = resolved
    record = schema.record
    if "record" in data:
        record = _merge(record if isinstance(record, dict) else {}, data["record"])
        doc.check_pointers(record, (*where, "record"))
    profiled = dataclasses.replace(
        schema,
        name=f"{schema.name}[{glob}]",
        record=record,
        rules=MappingProxyType(rules),
        checks=(*schema.checks, *_checks(data.get("checks") or ())),
    )
    required = {part["part"]: part["required"] for part in data.get("layout") or ()}
    pattern = re.compile(fnmatch.translate(glob), re.IGNORECASE)
    return Profile(glob, pattern, profiled, MappingProxyType(required))


def _check_template(doc: _Document, index: int, part: PartSpec) -> None:
    """A ``render`` template may name only the part's own fields."""
    if part.render is None:
        return
    try:
        names = [
            name for _, name, _, _ in string.Formatter().parse(part.render) if name is not None
        ]
    except ValueError as error:
        doc.fail(("layout", index, "render"), f"invalid render template: {error}")
    for name in names:
        if name not in part.fields:
            known = ", ".join(part.fields) or "none"
            doc.fail(
                ("layout", index, "render"),
                f"render template of part {part.name!r} names {{{name}}}, "
                f"not one of its fields ({known})",
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
