"""Inline suppressions: HTML comments in an article that render invisibly.

``<!-- newscheck: disable=NC301,short-body -->`` silences rules for the whole
file; ``<!-- newscheck: disable-line=NC805 -->`` only on the line that holds
the comment (in a feed-article, the one-line HTML content). A directive that
silences nothing is reported by ``unused-suppression`` (NC011).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from . import selection
from .diagnostics import Diagnostic
from .source import Source, Span

_DIRECTIVE = re.compile(r"<!--\s*newscheck:\s*(disable|disable-line)\s*=\s*([^>]*?)\s*-->")


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
    diagnostics: Iterable[Diagnostic], found: list[Directive]
) -> tuple[list[Diagnostic], list[tuple[Span, str]]]:
    """Drop suppressed diagnostics; return the rest and the unused directives' findings."""
    kept = list(diagnostics)
    problems: list[tuple[Span, str]] = []
    for directive in found:
        try:
            codes = selection.union(directive.selectors)
        except selection.UnknownSelector as error:
            problems.append(
                (directive.span, f"expected known rules in the suppression, found {error}")
            )
            continue
        if not codes:
            problems.append((directive.span, "expected rules to disable, found none"))
            continue

        def hit(
            d: Diagnostic, directive: Directive = directive, codes: frozenset[str] = codes
        ) -> bool:
            return d.code in codes and (directive.kind == "disable" or d.line == directive.line)

        remaining = [d for d in kept if not hit(d)]
        if len(remaining) == len(kept):
            what = ",".join(directive.selectors)
            problems.append(
                (
                    directive.span,
                    f"expected the suppression of {what} to silence something, found nothing",
                )
            )
        kept = remaining
    return kept, problems
