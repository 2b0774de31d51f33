"""The built-in rules, one module per part of the layout, and the way to ask
for them.

Importing this package registers every rule in
:data:`newscheck.registry.REGISTRY`; ask for rules here (:func:`all_rules`,
:func:`lookup`), not in the registry, so that they are registered first.
"""

from __future__ import annotations

from ..registry import REGISTRY, Rule, RuleSetting, code_of
from . import (  # noqa: F401  (each registers its rules)
    body,
    checks,
    corpus,
    date,
    encoding,
    header,
    html,
    layout,
    media,
    meta,
    record,
    title,
    url,
)


def all_rules() -> list[Rule]:
    """Every registered rule, by code."""
    return [REGISTRY[code] for code in sorted(REGISTRY)]


def lookup(code_or_name: str) -> Rule | None:
    """A rule by its code (``NC101``) or its name (``missing-timestamp``)."""
    return REGISTRY.get(code_of(code_or_name))


def default_settings() -> dict[str, RuleSetting]:
    """Each rule's own severity and options, before any schema or configuration."""
    return {r.code: RuleSetting(r.severity, r.options) for r in all_rules()}
