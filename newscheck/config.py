"""Configuration: ``[tool.newscheck]`` in pyproject.toml, or newscheck.toml.

Found by walking up from the working directory (``.newscheck.toml``, then
``newscheck.toml``, then a ``pyproject.toml`` that has the table; one inside
a checked folder below it is not read: the checked files may be anyone's), or
named with ``--config``; ``--isolated`` ignores every file. ``extend`` names another
file whose settings this one overrides. The table is validated against
``schemas/config-schema.json``: unknown keys, unknown rules and bad values are
errors naming the file, the line and the key. The checker of a run is built
from the settings in :mod:`newscheck.cli.wiring`.
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from . import selection
from .cache import DIRECTORY, Cache, key_file, run_key
from .cachedir import problem
from .choice import AUTO
from .registry import RuleSetting, option_reason, with_options
from .rules import lookup
from .schema import (
    DEFAULT_SCHEMA,
    Schema,
    SchemaError,
    builtin_dir,
    read_text,
    resolve_path,
)
from .suppress import UNSUPPRESSIBLE
from .values import Severity

if TYPE_CHECKING:
    import jsonschema

CONFIG_NAMES = (".newscheck.toml", "newscheck.toml", "pyproject.toml")
_TOML_POSITION = re.compile(r"\((?:at line (\d+), column (\d+)|at end of document)\)")


class ConfigError(Exception):
    """A configuration file or option that cannot be used."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where, self.message = where, message


@dataclass(frozen=True)
class Settings:
    """The resolved settings of a run, and where each one came from."""

    schema: str = DEFAULT_SCHEMA
    # the configuration's own schemas for ``auto``: (schema, the globs of the files it takes)
    schemas: tuple[tuple[str, tuple[str, ...]], ...] = ()
    include: tuple[str, ...] = ("*.md",)
    exclude: tuple[str, ...] = ()
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    severity: Mapping[str, str] = field(default_factory=dict)
    rules: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    output_format: tuple[str, ...] = ("text",)
    reference_time: int | None = None
    fail_on: str = "error"
    show_source: bool = False
    statistics: bool = False
    inline_suppressions: bool = True
    unsuppressible: tuple[str, ...] = UNSUPPRESSIBLE
    cache: bool = True
    cache_dir: str | None = None
    period: str = "day"  # newscheck stats/report: "day" or "week"
    drift_threshold: float = 0.5  # the smallest change of a share that is drift
    drift_window: int = 3  # periods pooled on each side of a change
    drift_min_files: int = 5  # files needed on each side
    root: str = ""
    origins: Mapping[str, str] = field(default_factory=dict)


@functools.cache
def _config_validator() -> jsonschema.Draft202012Validator:
    import jsonschema  # here: heavy, and a run without a configuration file needs none

    meta = json.loads((builtin_dir() / "config-schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(meta)


def _at(path: Path, text: str, *keys: Any) -> str:
    """``path:line:col`` of the last of ``keys`` that the file sets (TOML keeps
    no positions, so the key is found in the text); ``path:1:1`` for none."""
    for key in reversed(keys):
        name = re.escape(str(key))
        pattern = re.compile(
            rf'^[ \t]*(?:("?{name}"?)[ \t]*=|\[(?:tool\.newscheck\.)?("?{name}"?)\])', re.M
        )
        found = pattern.search(text)
        if found:
            start = found.start(1) if found.group(1) else found.start(2)
            line = text.count("\n", 0, start) + 1
            return f"{path}:{line}:{start - text.rfind(chr(10), 0, start)}"
    return f"{path}:1:1"


def _read_table(path: Path) -> tuple[dict[str, Any] | None, str]:
    import tomllib  # here: a run without a configuration file needs none

    try:
        text = read_text(path, "configuration")
        data = tomllib.loads(text)
    except SchemaError as error:
        raise ConfigError(f"{path}:{error.line}:{error.column}", error.message) from None
    except RecursionError:
        raise ConfigError(f"{path}:1:1", "invalid TOML: nested too deeply") from None
    except tomllib.TOMLDecodeError as error:
        found = _TOML_POSITION.search(str(error))
        if found and found.group(1):
            line, column = found.groups()
        else:  # at the end of the document
            line, column = str(text.count("\n") + 1), str(len(text) - text.rfind("\n"))
        message = _TOML_POSITION.sub("", str(error)).strip()
        raise ConfigError(f"{path}:{line}:{column}", f"invalid TOML: {message}") from None
    if path.name == "pyproject.toml":
        return data.get("tool", {}).get("newscheck"), text
    return data, text


def find_config(start: Path) -> Path | None:
    """The nearest configuration file at or above ``start``."""
    start = start.resolve()
    for directory in [start, *start.parents]:
        for name in CONFIG_NAMES:
            candidate = directory / name
            if candidate.is_file():
                table, _ = _read_table(candidate)
                if table is not None:
                    return candidate
    return None


def _validate(path: Path, table: dict[str, Any], text: str) -> None:
    import jsonschema  # here: see _config_validator

    errors = list(_config_validator().iter_errors(table))
    if not errors:
        return
    error = jsonschema.exceptions.best_match(errors)
    keys = list(error.absolute_path)
    if error.validator == "additionalProperties":
        known = error.schema.get("properties", {})
        unknown = [k for k in error.instance if k not in known]
        keys = [*keys, *unknown[:1]]
        message = f"unknown key {'.'.join(map(str, keys))!r}"
        import difflib  # only for a config with a mistake

        close = difflib.get_close_matches(str(unknown[0]), list(known), n=1)
        if close:
            message += f" (did you mean {close[0]!r}?)"
    else:
        message = f"{'.'.join(map(str, keys)) or 'table'}: {error.message}"
    raise ConfigError(_at(path, text, *keys), message)


def _load(path: Path, seen: tuple[Path, ...] = ()) -> dict[str, tuple[Any, Path]]:
    """A file's settings, each with the file it came from, after ``extend``."""
    table, text = _read_table(path)
    if table is None:
        raise ConfigError(f"{path}:1:1", "no [tool.newscheck] table in this pyproject.toml")
    _validate(path, table, text)
    settings: dict[str, tuple[Any, Path]] = {}
    if "extend" in table:
        parent = (path.parent / table["extend"]).resolve()
        if parent in (*seen, path.resolve()):
            raise ConfigError(_at(path, text, "extend"), f"extend cycle through {parent}")
        if not parent.is_file():
            raise ConfigError(
                _at(path, text, "extend"), f"extend: {parent} is not a configuration file"
            )
        settings = _load(parent, (*seen, path.resolve()))
    for key, value in table.items():
        if key == "extend":
            continue
        if isinstance(value, dict) and key in settings:
            value = {**settings[key][0], **value}
        settings[key] = (value, path)
    for key, (value, origin) in settings.items():
        _check_values(key, value, origin)
    return settings


def _check_values(key: str, value: Any, origin: Path) -> None:
    """Rule names in selectors, severities and options must exist and fit."""
    text = origin.read_text(encoding="utf-8")
    item: Any = None
    try:
        if key in ("select", "extend-select", "ignore", "unsuppressible"):
            selection.union(value)
        elif key == "per-file-ignores":
            for item in value:
                selection.union(value[item])
        elif key in ("severity", "rules"):
            for item, setting in value.items():
                name = item
                rule = lookup(name)
                if rule is None:
                    raise selection.UnknownSelector(f"unknown rule {name!r}")
                if key == "rules":
                    _check_options(rule.code, setting)
    except (selection.UnknownSelector, ValueError) as error:
        raise ConfigError(_at(origin, text, key, item), f"{key}: {error}") from None


def _check_options(code: str, options: Mapping[str, Any]) -> None:
    rule = lookup(code)
    assert rule is not None
    error = rule.options_error(options)
    if error is not None:
        raise ValueError(f"rule {rule.code} {rule.name}: {option_reason(error)}")


def parse_reference_time(value: Any) -> int:
    """Epoch seconds from an integer or an ISO 8601 time (UTC when naive)."""
    if isinstance(value, int):
        return value
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        raise ValueError(
            f"reference time {value!r} is neither epoch seconds nor ISO 8601"
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return int(parsed.timestamp())


FIELDS = {
    "schema": "schema",
    "schemas": "schemas",
    "include": "include",
    "exclude": "exclude",
    "select": "select",
    "extend-select": "extend_select",
    "ignore": "ignore",
    "per-file-ignores": "per_file_ignores",
    "severity": "severity",
    "rules": "rules",
    "output-format": "output_format",
    "reference-time": "reference_time",
    "fail-on": "fail_on",
    "show-source": "show_source",
    "statistics": "statistics",
    "allow-inline-suppressions": "inline_suppressions",
    "unsuppressible": "unsuppressible",
    "cache": "cache",
    "cache-dir": "cache_dir",
    "period": "period",
    "drift-threshold": "drift_threshold",
    "drift-window": "drift_window",
    "drift-min-files": "drift_min_files",
}


def load_settings(config: Path | None) -> Settings:
    """Settings from a configuration file (defaults when ``config`` is None)."""
    if config is None:
        return Settings(origins=MappingProxyType(dict.fromkeys(FIELDS, "default")))
    loaded = _load(config)
    values: dict[str, Any] = {}
    origins = dict.fromkeys(FIELDS, "default")
    for key, (value, origin) in loaded.items():
        attribute = FIELDS[key]
        if key == "schema":
            value = value if value == AUTO else _schema_path(origin, key, value)
        elif key == "schemas":
            value = tuple(
                (_schema_path(origin, key, entry["schema"]), tuple(entry.get("files", ())))
                for entry in value
            )
        elif key == "drift-threshold":
            value = float(value)
        elif key == "cache-dir":
            value = _cache_dir(origin, value)
        elif key == "output-format" and isinstance(value, str):
            value = (value,)
        elif key == "reference-time":
            try:
                value = parse_reference_time(value)
            except ValueError as error:
                text = origin.read_text(encoding="utf-8")
                raise ConfigError(_at(origin, text, key), f"{key}: {error}") from None
        elif key == "per-file-ignores":
            value = {k: tuple(v) for k, v in value.items()}
        elif isinstance(value, list):
            value = tuple(value)
        values[attribute] = value
        origins[key] = str(origin)
    if "schemas" in values and "schema" not in values:  # its own schemas: chosen among
        values["schema"] = AUTO
    return Settings(**values, root=str(config.parent), origins=MappingProxyType(origins))


def _schema_path(origin: Path, key: str, value: str) -> str:
    """A schema named in a configuration: a file relative to it, or a built-in."""
    try:
        resolve_path(value, origin.parent)
    except FileNotFoundError as error:
        text = origin.read_text(encoding="utf-8")
        raise ConfigError(_at(origin, text, key), f"{key}: {error}") from None
    candidate = origin.parent / value
    return str(candidate) if candidate.is_file() else value


def _cache_dir(origin: Path, value: str) -> str:
    """A configuration's ``cache-dir``: a folder below the configuration's own
    (a checked tree may hold a configuration: it must not send the cache, or
    ``newscheck clean``, elsewhere; the command line and the environment may)."""
    folder = origin.parent
    chosen = folder / value
    inside, where = folder.resolve(), chosen.resolve()
    if where == inside or not where.is_relative_to(inside):
        text = origin.read_text(encoding="utf-8")
        raise ConfigError(
            _at(origin, text, "cache-dir"),
            f"cache-dir: {value!r} is not a folder below this configuration's folder "
            f"{folder} (name another one with --cache-dir or $NEWSCHECK_CACHE_DIR)",
        )
    return str(chosen)


def override(settings: Settings, origin: str = "command line", **changes: Any) -> Settings:
    """Settings with command-line values (those not None) on top."""
    given = {k: v for k, v in changes.items() if v is not None}
    if not given:
        return settings
    origins = dict(settings.origins)
    for attribute in given:
        key = next(k for k, a in FIELDS.items() if a == attribute)
        origins[key] = origin
    return replace(settings, **given, origins=MappingProxyType(origins))


def _enabled(settings: Settings, defaults: Mapping[str, RuleSetting]) -> frozenset[str]:
    if settings.select is None:
        enabled = {code for code, setting in defaults.items() if setting.severity is not None}
    else:
        enabled = set(selection.union(settings.select))
    enabled |= selection.union(settings.extend_select)
    enabled -= selection.union(settings.ignore)
    return frozenset(enabled | {"NC000"})


def configured(settings: Settings, schema: Schema) -> Schema:
    """The schema and its profiles with the settings' rule choices on top."""
    configured = schema.with_rules(_rules(settings, schema.rules))
    if not schema.profiles:
        return configured
    return configured.with_profiles(
        tuple(
            replace(p, schema=p.schema.with_rules(_rules(settings, p.schema.rules)))
            for p in schema.profiles
        )
    )


def _rules(settings: Settings, given: Mapping[str, RuleSetting]) -> Mapping[str, RuleSetting]:
    """A schema's rule settings with the configuration's severities, options,
    reference time and selection applied."""
    enabled = _enabled(settings, given)
    rules: dict[str, RuleSetting] = {}
    for code, setting in given.items():
        severity = setting.severity
        options = dict(setting.options)
        rule = lookup(code)
        assert rule is not None
        for key in (code, rule.name):
            if key in settings.severity:
                name = settings.severity[key]
                severity = None if name == "off" else Severity.parse(name)
            options = with_options(options, settings.rules.get(key, {}))
        if code == "NC103" and settings.reference_time is not None:
            options["reference_time"] = settings.reference_time
        if code not in enabled:
            severity = None
        elif severity is None and code in selection.union(settings.select or ()):
            severity = Severity.WARNING
        rules[code] = RuleSetting(severity, MappingProxyType(options))
    return MappingProxyType(rules)


def cache_directory(settings: Settings) -> Path:
    """``cache-dir``; else $NEWSCHECK_CACHE_DIR; else ``.newscheck_cache`` beside
    the configuration file (or in the current directory)."""
    chosen = settings.cache_dir or os.environ.get("NEWSCHECK_CACHE_DIR")
    return Path(chosen or Path(settings.root or ".") / DIRECTORY)


def build_cache(
    settings: Settings, schema: Schema, *more: Schema, warn: Callable[[str], object]
) -> Cache | None:
    """The cache of a run with ``schema`` (or, for ``--schema auto``, with
    ``schema`` and ``more`` to choose from); None, said to ``warn``, when its
    folder must not be used."""
    directory = cache_directory(settings)
    reason = problem(directory)
    if reason is not None:
        warn(f"not using the cache {directory}: {reason}")
        return None
    document: dict[str, Any] = {"schema": schema.document, "rules": schema.rules}
    document["suppressions"] = [
        settings.inline_suppressions,
        sorted(selection.union(settings.unsuppressible)),
    ]
    if settings.per_file_ignores:  # a file's result also depends on the rules ignored for it
        document["per-file-ignores"] = [settings.root, dict(settings.per_file_ignores)]
    if schema.profiles:
        document["profiles"] = [p.schema.rules for p in schema.profiles]
    if settings.schemas:  # which files the configuration's globs give which schema
        document["schemas"] = [settings.root, [list(files) for _, files in settings.schemas]]
    if more:
        document["auto"] = [
            {
                "schema": s.document,
                "rules": s.rules,
                "profiles": [p.schema.rules for p in s.profiles],
            }
            for s in more
        ]
    try:
        return Cache(directory, run_key(document))
    except OSError as error:  # no secret key to be had: the cache could not be trusted
        warn(f"not using the cache {directory}: no key at {key_file()}: {error.strerror or error}")
        return None
