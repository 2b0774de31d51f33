"""Every built-in regular expression runs in linear-ish time on adversarial
input: long runs of the characters its repetitions match, with a failing tail.

A pattern that backtracks catastrophically turns one crafted line into a
stalled run. Each must do what the code does with it (search, or match and
fullmatch for the anchored ones) on 20,000 characters in a fraction of a
second: linear time takes about a millisecond, quadratic time seconds.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import time

import pytest

import newscheck
from newscheck import mojibake, patterns
from newscheck.dates import _declared as _compiled
from newscheck.registry import REGISTRY
from newscheck.rules import all_rules
from newscheck.schema import builtin_names, load_schema

N = 20_000
BOUND = 0.5  # seconds for the operations on one input, on a loaded machine
# used only with match or fullmatch (anchored at the start); every schema pattern is too
ANCHORED = {
    "newscheck.corpus_index._NAMED",
    "newscheck.markup._ATTRIBUTE",
    "newscheck.markup._NAME",
    "newscheck.markup._SPACE",
    "newscheck.markup._VALUE",
    "newscheck.rules.html._INERT_DATA",
    "newscheck.rules.html._REFRESH",
    "newscheck.rules.html._SCHEME",
    "newscheck.rules.record._REQUIRED",
    "newscheck.rules.url._PLAIN",
    "newscheck.rules.url._SCHEME",
}


def _module_patterns() -> dict[str, re.Pattern[str]]:
    found = {}
    for info in pkgutil.walk_packages(newscheck.__path__, "newscheck."):
        if info.name.endswith(("__main__", ".docs")):  # the command line; our own docstrings
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern):
                found[f"{info.name}.{name}"] = value
    for field, value in mojibake._scripts()._asdict().items():  # compiled on first use
        found[f"newscheck.mojibake._scripts().{field}"] = value
    return found


def _schema_patterns() -> dict[str, re.Pattern[str] | patterns.Pattern]:
    found = {}
    for schema_name in builtin_names():
        for part in load_schema(schema_name).layout:
            for key in ("match", "recognise", "open", "close", "until"):
                pattern = getattr(part, key, None)
                if isinstance(pattern, (re.Pattern, patterns.Pattern)):  # RE2 for schemas
                    found[f"{schema_name}:{part.name}.{key}"] = pattern
                    ANCHORED.add(f"{schema_name}:{part.name}.{key}")
    return found


def _option_patterns() -> dict[str, re.Pattern[str]]:
    all_rules()
    found: dict[str, re.Pattern[str] | patterns.Pattern] = {
        "NC603.proxy": patterns.compile(REGISTRY["NC603"].options["proxy"])
    }
    for entry in REGISTRY["NC501"].options["formats"]:
        compiled = _compiled(entry["format"])
        if compiled is not None:
            found[f"NC501 {entry['format']}"] = compiled
    ANCHORED.update(found)
    return found


PATTERNS = {**_module_patterns(), **_schema_patterns(), **_option_patterns()}


def _literals(pattern: str) -> str:
    """The characters a pattern names, and a few that markup and URLs are made of."""
    named = {c for c in pattern if c.isprintable() and c not in "\\^$|?*+{}"}
    return "".join(sorted(named | set("a0 \t\n<>[]()&#;:/=-!%")))


def _prefix(pattern: str) -> str:
    """The literal text a pattern starts with (``\\[`` is ``[``)."""
    found = re.match(r"\^?((?:\\[^A-Za-z0-9]|[^\\()\[\].*+?{}|^$])*)", pattern)
    return re.sub(r"\\(.)", r"\1", found[1]) if found else ""


def _adversarial(pattern: str) -> list[str]:
    """Runs of each character, and of each pair of adjacent literal characters
    of the pattern, ending in a character that matches nothing; each also
    after the pattern's literal start, so that an anchored pattern gets going."""
    singles = [c * N + "\x00" for c in _literals(pattern)]
    text = re.sub(r"\\.", "", pattern)
    pairs = {text[i : i + 2] for i in range(len(text) - 1)}
    runs = singles + [pair * (N // 2) + "\x00" for pair in sorted(pairs)]
    start = _prefix(pattern)
    return runs + [start + run for run in runs] if start else runs


def test_every_builtin_pattern_is_found():
    """The collection is not silently empty: the patterns named in the
    robustness notes are among the ones checked."""
    assert "newscheck.suppress._DIRECTIVE" in PATTERNS
    assert "newscheck.rules.title._MARKUP" in PATTERNS
    assert "feed-article:title.match" in PATTERNS
    assert "NC603.proxy" in PATTERNS
    assert len(PATTERNS) > 30


def test_the_adversarial_inputs_catch_a_pattern_that_backtracks():
    """The title pattern as it was: a URL tried at each of 10,000 '](' ."""
    before = re.compile(r"\[(?P<title>.*)\]\((?P<url>[^)\n]*)\)", re.DOTALL)
    assert _prefix(before.pattern) == "["
    started = time.monotonic()
    before.fullmatch("[" + "](" * (N // 2) + "\x00")
    assert time.monotonic() - started > BOUND


# Inputs that reach deeper than the literal start: a run where the pattern's
# later repetitions would begin.
DEEPER = {
    "newscheck.suppress._DIRECTIVE": [
        "<!-- newscheck: disable=" + " " * N + "x",
        "<!-- newscheck: disable=" * (N // 24),
        "<!-- newscheck: disable=NC801" + " ," * N,
    ],
    "newscheck.rules.title._MARKUP": ["&#" + "1" * N, "</a" + " " * N, "<a" * N],
    "NC603.proxy": ["//images.weserv.nl?" + "&" * N, "https://images.weserv.nl/?" + "a&" * N],
}


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_pattern_is_linear_on_adversarial_input(name):
    pattern = PATTERNS[name]
    slowest, worst = 0.0, ""
    for text in _adversarial(pattern.pattern) + DEEPER.get(name, []):
        started = time.monotonic()
        if name not in ANCHORED:
            pattern.search(text)
        pattern.match(text)
        pattern.fullmatch(text)
        elapsed = time.monotonic() - started
        if elapsed > slowest:
            slowest, worst = elapsed, text[:12]
    assert slowest < BOUND, f"{name} took {slowest:.2f} s on {worst!r}…"
