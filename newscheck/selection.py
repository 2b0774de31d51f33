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
    """The codes of all ``selectors``; raises UnknownSelector, with the
    nearest rule code or name when one is close, for one that names none."""
    found: set[str] = set()
    for selector in selectors:
        try:
            found |= codes(selector)
        except UnknownSelector as error:
            raise UnknownSelector(f"{error}{_did_you_mean(selector)}") from None
    return frozenset(found)


def _did_you_mean(selector: str) -> str:
    """`` (did you mean 'NC301'?)``: the code (for a selector written as a
    code) or rule name nearest ``selector`` when one is close; else nothing."""
    import difflib  # only for a selector with a mistake

    text = selector.strip()
    if text.upper().startswith("NC"):
        text, known = text.upper(), [r.code for r in all_rules()]
    else:
        text, known = text.lower(), [r.name for r in all_rules()]
    close = difflib.get_close_matches(text, known, n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}?)" if close else ""
