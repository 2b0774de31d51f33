"""The rules reference, docs/rules.md, rendered from the registered rules.

Each rule's documentation (:attr:`~newscheck.registry.Rule.doc`) is its
docstring, a one-line summary and paragraphs, followed by reST-style literal
blocks (``Fail::`` / ``Pass::`` followed by indented lines) rendered from its
``@examples`` (:mod:`newscheck.examples`). :func:`rules_markdown` turns them
into GitHub-flavoured Markdown with a ``## NCxxx name`` section per rule, whose
anchor is the rule's ``help_uri``.
Regenerate the file with::

    python -m newscheck.docs > docs/rules.md
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

from .registry import Rule
from .rules import all_rules

REGENERATE = "python -m newscheck.docs > docs/rules.md"

_INTRO = f"""\
# Rules reference

<!-- Generated file: regenerate with `{REGENERATE}`. -->

This file is generated from the rules' docstrings and `@examples` in `newscheck/rules/`: do not
edit it by hand. Each example's `Fail`/`Pass` block shows the lines where it differs from one
sound article (the default schema's, unless the example names another); the tests check every
example. After changing a rule, regenerate it from the repository root with

```sh
{REGENERATE}
```

`tests/test_docs.py` fails while this file is stale. `newscheck rule CODE` prints the same
documentation in a terminal, and `newscheck rule --all` prints every rule.

Rule codes are stable: `NC0xx` file and encoding, `NC1xx` timestamp, `NC2xx` title link, `NC3xx`
URL, `NC4xx` rule and blank line, `NC5xx` date, `NC6xx` media, `NC7xx` body, `NC8xx` HTML safety,
`NC9xx` schema-declared parts and record constraints, `NC95x` checks across files (duplicates,
ids and order; they run over every checked file at once, see [corpus.md](corpus.md)); `NC000` is an
internal error. A rule's `help_uri` (see `newscheck.all_rules()`) links to its section below.

Severities and options are configured in `[tool.newscheck]` of `pyproject.toml` (or in
`newscheck.toml`), by rule code or name:

```toml
[tool.newscheck.severity]
NC702 = "error"          # short-body: warning by default
empty-date = "off"       # NC502

[tool.newscheck.rules.short-body]
min_chars = 40
```
"""

_LITERAL_START = re.compile(r"^(?P<text>.*?)\s*::$")
_DOUBLE_BACKTICKS = re.compile(r"``(?P<code>.+?)``")


def _inline(text: str) -> str:
    """reST inline literals (double backticks) as Markdown code spans."""

    def code_span(match: re.Match[str]) -> str:
        code = match["code"]
        if "`" not in code:
            return f"`{code}`"
        longest = max(len(run) for run in re.findall(r"`+", code))
        fence = "`" * (longest + 1)
        return f"{fence} {code} {fence}"

    return _DOUBLE_BACKTICKS.sub(code_span, text)


def _fence(lines: list[str], language: str = "") -> list[str]:
    """A fenced code block holding ``lines`` verbatim."""
    runs = [len(run) for line in lines for run in re.findall(r"`{3,}", line)]
    fence = "`" * max(3, max(runs, default=0) + 1)
    return [fence + language, *lines, fence]


def _is_indented(line: str) -> bool:
    return line.startswith((" ", "\t"))


def convert_docstring(doc: str) -> str:
    """A rule docstring (reST-ish) as Markdown.

    A line ending in ``::`` introduces a literal block: the indented lines
    after it. The label keeps one colon (``Fail::`` becomes ``Fail:``; a bare
    ``::`` disappears) and the block becomes a fenced code block. Elsewhere,
    ````x```` becomes ```x```.
    """
    lines = doc.split("\n")
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        start = _LITERAL_START.match(line)
        if start is None or _is_indented(line):
            out.append(_inline(line))
            continue
        # Collect the indented block: blank lines, then indented lines (with blank lines
        # between them), up to the first line that is neither.
        block: list[str] = []
        while index < len(lines) and (not lines[index].strip() or _is_indented(lines[index])):
            block.append(lines[index])
            index += 1
        while block and not block[-1].strip():
            block.pop()
        while block and not block[0].strip():
            block.pop(0)
        if not block:  # "::" with no literal block: plain text
            out.append(_inline(line))
            continue
        indent = min(len(b) - len(b.lstrip()) for b in block if b.strip())
        body = [b[indent:] if b.strip() else "" for b in block]
        label = start["text"]
        if label:
            out += [_inline(label + ":"), ""]
        out += [*_fence(body), ""]
    while out and not out[-1].strip():
        out.pop()
    return "\n".join(out)


def plain_docstring(doc: str) -> str:
    """A rule docstring as plain text for a terminal: ``x`` loses its
    backticks and a literal block's label its second colon (``Fail::`` becomes
    ``Fail:``; a bare ``::`` disappears); the indented blocks stay as they are."""
    lines = []
    for line in doc.split("\n"):
        start = _LITERAL_START.match(line)
        if start is not None and not _is_indented(line):
            line = start["text"] + ":" if start["text"] else ""
        lines.append(_DOUBLE_BACKTICKS.sub(lambda m: m["code"], line))
    return "\n".join(lines)


def plain_options(rule: Rule) -> list[str]:
    """A rule's options with their default values in full, as plain text."""
    if not rule.options:
        return []
    lines = ["Options (with their defaults):"]
    for name, default in rule.options.items():
        if isinstance(default, list | tuple) and default:
            lines += [f"  {name}:", *(f"    - {_json(item)}" for item in default)]
        else:
            lines.append(f"  {name} = {_json(default)}")
    return lines


def _anchor(rule: Rule) -> str:
    return rule.help_uri.rpartition("#")[2]


def _severity(rule: Rule) -> str:
    return str(rule.severity) if rule.severity else "off"


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _options(rule: Rule) -> list[str]:
    if not rule.options:
        return []
    lines = ["Options (with their defaults):", ""]
    for name, default in rule.options.items():
        if isinstance(default, list | tuple) and default:
            items = [f"  {_json(item)}," for item in default]
            items[-1] = items[-1].removesuffix(",")
            block = _fence(["[", *items, "]"], "json")
            lines += [f"- `{name}`:", "", *(f"  {line}" for line in block)]
        else:
            lines.append(f"- `{name}` = `{_json(default)}`")
    return [*lines, ""]


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def rule_markdown(rule: Rule) -> str:
    """One rule's section."""
    lines = [
        f"## {rule.code} {rule.name}",
        "",
        f"Default severity: **{_severity(rule)}**",
        "",
        *_options(rule),
        convert_docstring(rule.doc),
    ]
    return "\n".join(lines) + "\n"


def rules_markdown() -> str:
    """The whole rules reference (docs/rules.md) as Markdown."""
    rules = all_rules()
    table = [
        "## Contents",
        "",
        "| Code | Name | Default severity | Summary |",
        "| --- | --- | --- | --- |",
    ]
    for rule in rules:
        table.append(
            f"| [{rule.code}](#{_anchor(rule)}) | `{rule.name}` | {_severity(rule)} "
            f"| {_cell(_inline(rule.summary))} |"
        )
    parts = [_INTRO, "\n".join(table) + "\n", *(rule_markdown(rule) for rule in rules)]
    return "\n".join(parts)


def main() -> int:
    sys.stdout.buffer.write(rules_markdown().encode("utf-8"))
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
