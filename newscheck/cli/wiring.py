"""Wiring: Settings → the Checker of a run, for the commands and the pytest
plugin: :func:`newscheck.api.build` with a broken schema or configuration
met while setting up turned into a UsageError, and warnings on stderr."""

from __future__ import annotations

import sys
from collections.abc import Callable

from ..api import build
from ..config import Settings
from ..engine import Checker
from ..reporters import printable
<<<<<<< HEAD
=======
from ..schema import DEFAULT_SCHEMA, Schema, builtin_names, load_schema
>>>>>>> main
from .common import usage_errors


def _warn(message: str) -> None:
    sys.stderr.write(f"newscheck: {printable(message)}\n")


def build_checker(settings: Settings, warn: Callable[[str], object] = _warn) -> Checker:
    """The run's checker (:func:`newscheck.api.build`), with its cache; ``warn``
    hears why the cache is not used, if it is not. Raises UsageError when a
    schema or the configuration cannot be used."""
    assigned: tuple[tuple[tuple[str, ...], Schema], ...] = ()
    with usage_errors():
<<<<<<< HEAD
        return build(settings, warn)
=======
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
>>>>>>> main
