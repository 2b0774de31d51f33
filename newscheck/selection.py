"""Rule selectors: a code (``NC301``), a code prefix (``NC3``), a rule name
(``relative-url``) or ``ALL`` — as used by --select/--ignore, configuration,
per-file-ignores and inline suppressions."""

from __future__ import annotations

from collections.abc import Iterable

from .rules import all_rules, lookup


class UnknownSelector(ValueError):
    """A selector that names no rule."""


def codes(selector: str) -> frozenset[str]:
    """The codes a selector stands for; raises UnknownSelector if none."""
    text = selector.strip()
    if text.upper() == "ALL":
        return frozenset(r.code for r in all_rules())
    rule = lookup(text)
    if rule is not None:
        return frozenset({rule.code})
    prefix = text.upper()
    matched = frozenset(r.code for r in all_rules() if r.code.startswith(prefix))
    if not matched or not prefix.startswith("NC"):
        raise UnknownSelector(f"unknown rule or code prefix {selector!r}")
    return matched


def union(selectors: Iterable[str]) -> frozenset[str]:
    found: set[str] = set()
    for selector in selectors:
        found |= codes(selector)
    return frozenset(found)
