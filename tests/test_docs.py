"""docs/rules.md: generated from the rules, up to date, and every rule documented."""

from __future__ import annotations

import difflib
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

import newscheck
from newscheck import cli
from newscheck.cli.check import _outputs
from newscheck.docs import REGENERATE, convert_docstring, rules_markdown
from newscheck.registry import Rule

ROOT = Path(__file__).resolve().parents[1]
RULES_MD = ROOT / "docs" / "rules.md"
CI_MD = ROOT / "docs" / "ci.md"
RULES = newscheck.all_rules()
# Rules whose defect cannot be shown as one article text.
NO_EXAMPLES = {"NC000", "NC007", "NC008", "NC009", "NC010", "NC012", "NC013", "NC902", "NC903"}
EXAMPLED = [r for r in RULES if r.code not in NO_EXAMPLES]


def _ids(rules: list[Rule]) -> list[str]:
    return [f"{r.code}-{r.name}" for r in rules]


def github_anchor(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading (lower case, punctuation dropped)."""
    text = heading.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def _headings(markdown: str) -> list[str]:
    """Every heading outside fenced code blocks."""
    headings, fenced = [], False
    for line in markdown.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced and line.startswith("#"):
            headings.append(line)
    return headings


def test_rules_md_is_up_to_date() -> None:
    expected = rules_markdown()
    actual = RULES_MD.read_text(encoding="utf-8") if RULES_MD.is_file() else ""
    if actual != expected:
        diff = difflib.unified_diff(
            actual.splitlines(), expected.splitlines(), "docs/rules.md", "generated", lineterm=""
        )
        shown = "\n".join(list(diff)[:40])
        pytest.fail(
            f"docs/rules.md is stale: regenerate it from the repository root with\n"
            f"    {REGENERATE}\n{shown}",
            pytrace=False,
        )


def test_module_is_runnable() -> None:
    """The same bytes from another process (another hash seed): no set order leaks in."""
    done = subprocess.run(
        [sys.executable, "-m", "newscheck.docs"], capture_output=True, check=True, cwd=ROOT
    )
    assert done.stdout.decode("utf-8") == rules_markdown()
    assert done.stderr == b""


@pytest.mark.parametrize("rule", RULES, ids=_ids(RULES))
def test_help_uri_anchor_has_a_section(rule: Rule) -> None:
    url, _, anchor = rule.help_uri.partition("#")
    assert url.endswith("/docs/rules.md")
    headings = _headings(rules_markdown())
    assert f"## {rule.code} {rule.name}" in headings
    anchors = [github_anchor(h.lstrip("#")) for h in headings]
    assert anchors.count(anchor) == 1, f"{anchor!r} is not exactly one heading's anchor"
    # The table of contents links to the section.
    assert f"[{rule.code}](#{anchor})" in rules_markdown()


def test_headings_are_unique() -> None:
    """GitHub suffixes repeated anchors (-1, -2), which would break help_uri links."""
    anchors = [github_anchor(h.lstrip("#")) for h in _headings(rules_markdown())]
    assert len(anchors) == len(set(anchors))


@pytest.mark.parametrize("rule", RULES, ids=_ids(RULES))
def test_docstring_has_a_summary_line(rule: Rule) -> None:
    lines = rule.doc.split("\n")
    first = lines[0]
    assert first.strip() and first == first.strip(), "the docstring starts with a summary line"
    assert first.endswith("."), "the summary is a sentence"
    assert len(lines) == 1 or not lines[1].strip(), "the summary is one line, then a blank line"
    assert rule.summary == first


def _examples(doc: str, label: str) -> list[str]:
    """The literal blocks introduced by ``LABEL::`` or ``LABEL (note)::``."""
    found = re.finditer(
        rf"^{label}(?: \([^\n]*\))?::\n\n((?:(?: {{4}}[^\n]*)?\n)*?(?: {{4}}[^\n]*\S[^\n]*))",
        doc + "\n",
        re.M,
    )
    return [m[1] for m in found]


@pytest.mark.parametrize(
    "rule", [r for r in RULES if r.code not in NO_EXAMPLES], ids=_ids(RULES)[:0] or None
)
def test_docstring_has_fail_and_pass_examples(rule: Rule) -> None:
    assert _examples(rule.doc, "Fail"), f"{rule.code} has no 'Fail::' example"
    assert _examples(rule.doc, "Pass"), f"{rule.code} has no 'Pass::' example"


def test_examples_render_as_fenced_blocks() -> None:
    doc = (
        "Summary with ``code``.\n\nText.\n\nFail (a note)::\n\n    <p>a</p>\n\n"
        "    <p>b</p>\n\nPass::\n\n    <p>c</p>\n\nAfter."
    )
    assert convert_docstring(doc) == (
        "Summary with `code`.\n\nText.\n\nFail (a note):\n\n```\n<p>a</p>\n\n<p>b</p>\n```\n\n"
        "Pass:\n\n```\n<p>c</p>\n```\n\nAfter."
    )


def test_inline_literal_with_a_backtick() -> None:
    assert convert_docstring("A ``x`y`` z.") == "A `` x`y `` z."


def test_every_documented_rule_is_in_the_file() -> None:
    text = rules_markdown()
    for rule in RULES:
        section = text.split(f"## {rule.code} {rule.name}\n", 1)[1].split("\n## ", 1)[0]
        assert f"Default severity: **{rule.severity or 'off'}**" in section
        for option in rule.options:
            assert f"`{option}`" in section
        assert convert_docstring(rule.doc) in section


# docs/ci.md: the examples use the real command line and the real hooks.


def _blocks(text: str) -> list[tuple[str, str]]:
    return re.findall(r"^```(\w*)\n(.*?)^```", text, re.M | re.S)


def _strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from _strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value)


def _ci_commands() -> list[str]:
    text = CI_MD.read_text(encoding="utf-8")
    commands = re.findall(r"`(newscheck [^`]*)`", text)
    for language, body in _blocks(text):
        yaml_block = language == "yaml"
        found = _strings(yaml.safe_load(body)) if yaml_block else iter(body.splitlines())
        commands += [line.strip() for line in found if line.strip().startswith("newscheck ")]
    return commands


def _hook_args() -> list[list[str]]:
    text = CI_MD.read_text(encoding="utf-8")
    args = [shlex.split(a.replace(",", " ")) for a in re.findall(r"`args: \[(.*?)\]`", text)]
    for language, body in _blocks(text):
        if language == "yaml" and "repos" in (config := yaml.safe_load(body)):
            args += [hook.get("args", []) for repo in config["repos"] for hook in repo["hooks"]]
    return args


def test_ci_md_pins_a_commit_or_the_release_tag_of_this_version() -> None:
    text = CI_MD.read_text(encoding="utf-8")
    pinned = set(re.findall(r"^\s*rev: (\S+)", text, re.M))
    pinned |= set(re.findall(r"git\+https://\S*?/newscheck@(\w[\w.]*)", text))
    allowed = re.compile(rf"[0-9a-f]{{40}}|main|v{re.escape(newscheck.__version__)}")
    assert pinned and all(allowed.fullmatch(rev) for rev in pinned), pinned


def test_ci_md_yaml_blocks_parse() -> None:
    blocks = [body for language, body in _blocks(CI_MD.read_text("utf-8")) if language == "yaml"]
    assert len(blocks) >= 4  # two workflows, GitLab CI, pre-commit
    for body in blocks:
        assert isinstance(yaml.safe_load(body), dict)


def test_ci_md_commands_match_the_cli() -> None:
    commands = _ci_commands()
    assert any("sarif:" in c for c in commands) and any("gitlab:" in c for c in commands)
    assert any("--write-baseline" in c for c in commands)
    assert any("--baseline" in c for c in commands)
    for command in commands:
        argv = shlex.split(command)[1:]
        try:
            args = cli._parser().parse_args(argv)
        except SystemExit:
            pytest.fail(f"docs/ci.md: {command!r} is not a valid newscheck command line")
        if args.command == "check" and args.output_format:
            _outputs(args.output_format)  # raises UsageError on a bad format


def test_ci_md_hook_args_match_the_cli() -> None:
    for args in _hook_args():
        try:
            cli._parser().parse_args(["check", *args, "articles/1.md"])
        except SystemExit:
            pytest.fail(f"docs/ci.md: hook args {args!r} are not valid newscheck options")


def test_ci_md_uses_the_shipped_hooks() -> None:
    shipped = {hook["id"] for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert shipped == {"newscheck", "newscheck-corpus"}
    for language, body in _blocks(CI_MD.read_text("utf-8")):
        if language == "yaml" and "repos" in (config := yaml.safe_load(body)):
            used = {hook["id"] for repo in config["repos"] for hook in repo["hooks"]}
            assert used == shipped
