"""Wiring: Settings → the Checker of a run (schemas, rule choices, cache).

The one place that turns a broken schema or configuration met while setting
up into a UsageError, for the commands and the pytest plugin alike.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from .. import selection
from ..choice import AUTO
from ..config import Settings, build_cache, configured
from ..discovery import PerFileIgnores
from ..engine import Checker
from ..reporters import printable
from ..schema import DEFAULT_SCHEMA, Schema, builtin_names, load_schema
from .common import usage_errors


def _warn(message: str) -> None:
    sys.stderr.write(f"newscheck: {printable(message)}\n")


def build_checker(settings: Settings, warn: Callable[[str], object] = _warn) -> Checker:
    """Load the schema (every built-in one for ``auto``) and apply the
    settings' rule choices on top of it and of its source profiles; ``warn``
    hears why the cache is not used, if it is not. Raises UsageError when a
    schema or the configuration cannot be used."""
    assigned: tuple[tuple[tuple[str, ...], Schema], ...] = ()
    with usage_errors():
        if settings.schema == AUTO:
            # the configuration's own schemas: by their globs, else by fit before the built-ins
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
        per_file: PerFileIgnores = tuple(
            (pattern, selection.union(selectors))
            for pattern, selectors in settings.per_file_ignores.items()
        )
        return Checker(
            choices[0],
            per_file_ignores=per_file,
            root=settings.root,
            include=settings.include,
            exclude=settings.exclude,
            cache=(
                build_cache(settings, *choices, *(s for _, s in assigned), warn=warn)
                if settings.cache
                else None
            ),
            choices=choices if len(choices) > 1 else (),
            assigned=assigned,
            inline_suppressions=settings.inline_suppressions,
            unsuppressible=selection.union(settings.unsuppressible),
        )
