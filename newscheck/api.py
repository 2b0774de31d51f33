"""The Python API: check texts, bytes, files and folders with the settings
the command line takes (see ``docs/api.md``), and the one place that turns
Settings into the Checker of a run, for the API, the command line and the
pytest plugin alike.

``schema`` is a built-in schema's name, a schema file, a loaded
:class:`~newscheck.schema.Schema` or ``"auto"``; ``select``, ``extend_select``
and ``ignore`` are selectors as ``--select`` takes them (codes, prefixes, rule
names, ``ALL``); ``config`` is a configuration file (TOML, as ``--config``
names one) or a mapping of the keys its table holds. A configuration is read
only when named: the API never looks for one. Mistakes raise
:class:`~newscheck.config.ConfigError`, :class:`~newscheck.schema.SchemaError`
or :class:`~newscheck.selection.UnknownSelector` (a ValueError).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypedDict, Unpack

from . import selection
from . import source as sources
from .choice import AUTO
from .config import (
    Settings,
    build_cache,
    configured,
    discovery,
    load_settings,
    override,
    per_file_ignores,
)
from .discovery import Discovery
from .engine import Checker
from .schema import DEFAULT_SCHEMA, Schema, builtin_names, load_schema
from .source import Source
from .values import FileResult

SchemaLike = Schema | str | Path | None
Selectors = Iterable[str] | None
ConfigLike = str | os.PathLike[str] | Mapping[str, Any] | None


def build(settings: Settings, warn: Callable[[str], object] | None = None) -> Checker:
    """The checker of a run with ``settings``: the schema (for ``auto``, the
    configuration's own schemas, by their globs, else by fit before the
    built-in ones) with the settings' rule choices on top of it and of its
    source profiles, and the cache when ``warn`` is given (it hears why the
    cache is not used, if it is not)."""
    assigned: tuple[tuple[tuple[str, ...], Schema], ...] = ()
    if settings.schema == AUTO:
        own = [(files, configured(settings, load_schema(s))) for s, files in settings.schemas]
        assigned = tuple((files, schema) for files, schema in own if files)
        names = [DEFAULT_SCHEMA, *(n for n in builtin_names() if n != DEFAULT_SCHEMA)]
        listed = {schema.name for _, schema in own}
        choices = (
            *(schema for files, schema in own if not files),
            *(configured(settings, load_schema(n)) for n in names if n not in listed),
        )
    else:
        choices = (configured(settings, load_schema(settings.schema)),)
    every = (*choices, *(schema for _, schema in assigned))
    cache = build_cache(settings, *every, warn=warn) if settings.cache and warn else None
    return Checker(
        choices[0],
        per_file_ignores=per_file_ignores(settings),
        root=settings.root,
        discovery=discovery(settings),
        cache=cache,
        choices=choices if len(choices) > 1 else (),
        assigned=assigned,
        inline_suppressions=settings.inline_suppressions,
        unsuppressible=selection.union(settings.unsuppressible),
    )


class Options(TypedDict, total=False):
    """The settings every API function takes as keyword arguments."""

    select: Selectors
    extend_select: Selectors
    ignore: Selectors
    config: ConfigLike


def checker(schema: SchemaLike = None, **settings: Unpack[Options]) -> Checker:
    """The checker the API functions use (no cache): build it once to check
    many texts with the same settings (``checker(...).check_source(...)``)."""
    if all(value is None for value in settings.values()):
        if isinstance(schema, Schema):  # as loaded: its own rule settings
            return Checker(schema)
        if schema != AUTO:  # the schema's own rule settings: no configuration to apply
            return Checker(load_schema(schema or DEFAULT_SCHEMA))
    elif isinstance(schema, Schema):
        raise TypeError("with select, ignore or config, name a schema (or its file), not a Schema")
    config = settings.get("config")
    given = config if config is None or isinstance(config, Mapping) else Path(config)
    given_selectors = {
        "select": settings.get("select"),
        "extend_select": settings.get("extend_select"),
        "ignore": settings.get("ignore"),
    }
    chosen = {k: None if v is None else tuple(v) for k, v in given_selectors.items()}
    for selectors in chosen.values():
        selection.union(selectors or ())  # an unknown one raises, with the nearest rule
    named = None if schema is None else str(schema)
    return build(override(load_settings(given), "the API", schema=named, **chosen))


def check_source(
    source: Source, schema: SchemaLike = None, **settings: Unpack[Options]
) -> FileResult:
    """Parse ``source`` against ``schema`` and run every enabled rule."""
    return checker(schema, **settings).check_source(source)


def check_text(
    text: str, path: str = "<text>", schema: SchemaLike = None, **settings: Unpack[Options]
) -> FileResult:
    """Check an article given as text, reported under ``path`` (whose
    per-file-ignores apply)."""
    return check_source(sources.from_text(text, path), schema, **settings)


def check_bytes(
    data: bytes, path: str = "<bytes>", schema: SchemaLike = None, **settings: Unpack[Options]
) -> FileResult:
    """Check an article given as raw bytes (decoded as strict UTF-8)."""
    return check_source(sources.from_bytes(data, path), schema, **settings)


def check_file(
    path: str | os.PathLike[str], schema: SchemaLike = None, **settings: Unpack[Options]
) -> FileResult:
    """Check one article file."""
    return checker(schema, **settings).check_file(path)


def discover(paths: Iterable[str | os.PathLike[str]]) -> Iterator[str]:
    """The files ``check_paths`` would check: named files, and ``*.md`` below directories."""
    return Discovery().discover(paths)


def check_paths(
    paths: Iterable[str | os.PathLike[str]],
    schema: SchemaLike = None,
    jobs: int | None = None,
    corpus: bool = False,
    **settings: Unpack[Options],
) -> Iterator[FileResult]:
    """Check every file under ``paths`` (directories: the configuration's
    ``include``, ``*.md`` by default) on ``jobs`` processes.

    Results stream in discovery order. With ``corpus``, the checks across
    files (NC95x: duplicates, ids and order) are merged in too, as
    ``newscheck check`` does; results then come once the last file is checked.
    """
    chosen = checker(schema, **settings)
    results = chosen.check_paths(paths, jobs)
    return chosen.with_corpus(results) if corpus else results
