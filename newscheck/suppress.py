"""Inline suppressions: HTML comments in an article that render invisibly.

``<!-- newscheck: disable=NC301,short-body -->`` silences rules for the whole
file; ``<!-- newscheck: disable-line=NC805 -->`` only on the line that holds
the comment (in a feed-article, the one-line HTML content). A directive that
silences nothing is reported by ``unused-suppression`` (NC011), and so is one
that would silence a rule no suppression may silence (``unsuppressible``: by
default the HTML-safety rules, which an article's own author must not be able
to switch off); that rule's diagnostics stay.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from . import selection
from .source import Source
from .values import Diagnostic, Span

# script-element, embedded-frame, event-handler-attribute, javascript-url
UNSUPPRESSIBLE = ("NC801", "NC802", "NC803", "NC804")

# The selectors run to the next '<' at most, and their spaces are stripped after
# the match: no run of spaces is tried both ways (the pattern stays linear).
_DIRECTIVE = re.compile(r"<!--\s*newscheck:\s*(disable|disable-line)\s*=([^<>]*?)-->")


@dataclass(frozen=True)
class Directive:
    kind: str
    selectors: tuple[str, ...]
    span: Span
    line: int


def directives(source: Source) -> list[Directive]:
    if "newscheck:" not in source.text:
        return []
    found = []
    for match in _DIRECTIVE.finditer(source.text):
        selectors = tuple(s.strip() for s in match.group(2).split(",") if s.strip())
        span = Span(match.start(), match.end())
        found.append(Directive(match.group(1), selectors, span, source.position(span.start).line))
    return found


def apply(
    diagnostics: Iterable[Diagnostic],
    found: list[Directive],
    deferred: frozenset[str] = frozenset(),
    forbidden: frozenset[str] = frozenset(),
) -> tuple[list[Diagnostic], list[tuple[Span, str]]]:
    """Drop suppressed diagnostics; return the rest and findings for the
    selectors that silenced nothing, name no rule, or would silence a
    ``forbidden`` rule (whose diagnostics stay). A selector naming a
    ``deferred`` rule (checked later, across files) is never called unused."""
    kept = list(diagnostics)
    problems: list[tuple[Span, str]] = []
    for directive in found:
        if not directive.selectors:
            problems.append((directive.span, "expected rules to disable, found none"))
        for selector in directive.selectors:
            try:
                codes = selection.codes(selector)
            except selection.UnknownSelector as error:
                problems.append(
                    (directive.span, f"expected known rules in the suppression, found {error}")
                )
                continue
            line = directive.line if directive.kind == "disable-line" else None
            covered = [d for d in kept if d.code in codes and line in (None, d.line)]
            refused = sorted({d.code for d in covered if d.code in forbidden})
            if refused:
                problems.append(
                    (
                        directive.span,
                        f"expected no suppression of {', '.join(refused)}, which no suppression "
                        f"may silence (unsuppressible), found {selector}",
                    )
                )
            silenced = {id(d) for d in covered if d.code not in forbidden}
            remaining = [d for d in kept if id(d) not in silenced]
            if len(remaining) == len(kept) and not refused and not codes & deferred:
                problems.append(
                    (
                        directive.span,
                        f"expected {selector} to silence something here, found nothing",
                    )
                )
            kept = remaining
    return kept, problems


def deferred_codes(
    found: list[Directive], deferred: frozenset[str], forbidden: frozenset[str] = frozenset()
) -> list[list[object]]:
    """``[line, [codes]]`` of the directives that silence ``deferred`` rules
    (line 0: the whole file), to apply once those rules have run; never the
    ``forbidden`` ones."""
    kept: list[list[object]] = []
    for directive in found:
        codes: set[str] = set()
        for selector in directive.selectors:
            try:
                codes |= (selection.codes(selector) & deferred) - forbidden
            except selection.UnknownSelector:
                continue
        if codes:
            line = directive.line if directive.kind == "disable-line" else 0
            kept.append([line, sorted(codes)])
    return kept
