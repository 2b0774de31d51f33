"""Broken configurations and schemas: exit 2, one line ``file:line:col: sentence``, no traceback.

Each case writes its files into an empty project beside one sound article and
runs ``newscheck check``; ``{root}`` in the expected line is the project folder.
More located schema errors (patterns, queries, rule options) are in
tests/unit/test_schema.py, more configuration errors in tests/cli/test_config.py.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from newscheck.cli import main

from ..helpers import ROOT, article
from ..offline import sitecustomize as offline

NESTED = (
    "extends: feed-article\nrecord:\n  properties:\n    title: "
    + "{not: " * 80
    + "{}"
    + "}" * 80
    + "\n"
)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"

CASES = [
    # configuration files
    (
        "toml-syntax",
        {"newscheck.toml": 'select = ["NC1"]\nignore = [\n'},
        [],
        "{root}/newscheck.toml:3:1: invalid TOML: Invalid value",
    ),
    (
        "pyproject-syntax",
        {"pyproject.toml": "[project]\nname = 'x'\n[tool.newscheck\n"},
        [],
        "{root}/pyproject.toml:3:16: invalid TOML: Expected ']' at the end of a table declaration",
    ),
    (
        "wrong-type",
        {"newscheck.toml": "fail-on = 'error'\nselect = 3\n"},
        [],
        "{root}/newscheck.toml:2:1: select: 3 is not of type 'array'",
    ),
    (
        "wrong-option-type",
        {"newscheck.toml": '[rules]\n  short-body = {min_chars = "x"}\n'},
        [],
        "{root}/newscheck.toml:2:3: rules: rule NC702 short-body: 'x' is not of type 'integer'",
    ),
    (
        "unknown-key",
        {"newscheck.toml": 'selcet = ["NC1"]\n'},
        [],
        "{root}/newscheck.toml:1:1: unknown key 'selcet' (did you mean 'select'?)",
    ),
    (
        "unknown-rule",
        {"newscheck.toml": 'ignore = ["NC1", "NC999"]\n'},
        [],
        "{root}/newscheck.toml:1:1: ignore: unknown rule or code prefix 'NC999'",
    ),
    (
        "config-not-utf8",
        {"newscheck.toml": b'ignore = ["NC1"]\n# caf\xe9\n'},
        [],
        "{root}/newscheck.toml:2:6: configuration is not UTF-8 text",
    ),
    (
        "config-is-a-directory",
        {"conf": None},
        ["--config", "conf"],
        "conf:1:1: cannot read configuration: not a regular file",
    ),
    (
        "config-missing",
        {},
        ["--config", "missing.toml"],
        "missing.toml:1:1: cannot read configuration: No such file or directory",
    ),
    (
        "extend-missing",
        {"newscheck.toml": 'ignore = ["NC1"]\nextend = "base.toml"\n'},
        [],
        "{root}/newscheck.toml:2:1: extend: {root}/base.toml is not a configuration file",
    ),
    (
        "extend-cycle",
        {"newscheck.toml": 'extend = "b.toml"\n', "b.toml": 'extend = "newscheck.toml"\n'},
        [],
        "{root}/b.toml:1:1: extend cycle through {root}/newscheck.toml",
    ),
    (
        "reference-time",
        {"newscheck.toml": 'reference-time = "tomorrow"\n'},
        [],
        "{root}/newscheck.toml:1:1: reference-time: "
        "reference time 'tomorrow' is neither epoch seconds nor ISO 8601",
    ),
    (
        "config-schema-missing",
        {"newscheck.toml": 'schema = "my-layout.yaml"\n'},
        [],
        "{root}/newscheck.toml:1:1: schema: no schema file or built-in schema 'my-layout.yaml' "
        "(built-ins: feed-article, feed-article-dated, jekyll-feed-article)",
    ),
    (
        "config-schema-directory",
        {"newscheck.toml": 'schema = "layouts"\n', "layouts": None},
        [],
        "{root}/newscheck.toml:1:1: schema: schema 'layouts' is not a file",
    ),
    (
        "toml-nested-too-deeply",
        {"newscheck.toml": "select = " + "[" * 2000 + "]" * 2000 + "\n"},
        [],
        "{root}/newscheck.toml:1:1: invalid TOML: nested too deeply",
    ),
    # schema files
    (
        "schema-a-list",
        {"s.yaml": "- layout\n- rules\n"},
        ["--schema", "s.yaml"],
        "{root}/s.yaml:1:1: a schema must be a mapping of layout, extract, record and rules",
    ),
    (
        "schema-a-scalar",
        {"s.yaml": "feed-article\n"},
        ["--schema", "s.yaml"],
        "{root}/s.yaml:1:1: a schema must be a mapping of layout, extract, record and rules",
    ),
    (
        "schema-empty",
        {"s.yaml": ""},
        ["--schema", "s.yaml"],
        "{root}/s.yaml:1:1: a schema must be a mapping of layout, extract, record and rules",
    ),
    (
        "schema-binary",
        {"s.yaml": PNG},
        ["--schema", "s.yaml"],
        "{root}/s.yaml:1:1: schema is a binary file: found a binary file signature b'\\x89PNG'",
    ),
    (
        "schema-not-utf8",
        {"s.yaml": b"extends: feed-article\nname: caf\xe9\n"},
        ["--schema", "s.yaml"],
        "{root}/s.yaml:2:10: schema is not UTF-8 text",
    ),
    (
        "schema-yaml-syntax",
        {"s.yaml": "extends: feed-article\nrules: {short-body: [\n"},
        ["--schema", "s.yaml"],
        "{root}/s.yaml:3:1: expected the node content, but found '<stream end>'",
    ),
    (
        "schema-wrong-type",
        {"s.yaml": "extends: feed-article\nlayout: 3\n"},
        ["--schema", "s.yaml"],
        "{root}/s.yaml:2:9: layout: 3 is not of type 'array'",
    ),
    (
        "schema-unknown-key",
        {"s.yaml": "extends: feed-article\nrulse: {}\n"},
        ["--schema", "s.yaml"],
        "{root}/s.yaml:1:1: schema: Additional properties are not allowed ('rulse' was unexpected) "
        "(did you mean 'rules'?)",
    ),
    (
        "ref-missing-file",
        {"s.yaml": "extends: feed-article\nrecord:\n  properties:\n    title: {$ref: t.json}\n"},
        ["--schema", "s.yaml"],
        "{root}/s.yaml:4:19: $ref 't.json' is neither beside this schema nor a built-in",
    ),
    (
        "ref-missing-pointer",
        {
            "t.json": '{"$defs": {"short": {"maxLength": 9}}}',
            "s.yaml": "extends: feed-article\nrecord:\n  properties:\n"
            "    title: {$ref: 't.json#/$defs/shrot'}\n",
        },
        ["--schema", "s.yaml"],
        "{root}/s.yaml:4:19: $ref 't.json#/$defs/shrot' points to no schema in t.json",
    ),
    (
        "ref-missing-pointer-in-record",
        {
            "s.yaml": "extends: feed-article\nrecord:\n  $defs: {short: {maxLength: 9}}\n"
            "  properties:\n    title: {$ref: '#/$defs/shrot'}\n",
        },
        ["--schema", "s.yaml"],
        "{root}/s.yaml:5:19: $ref '#/$defs/shrot' points to no schema in the record",
    ),
    (
        "ref-to-itself",  # a validator would recurse for ever on every file
        {
            "s.yaml": "extends: feed-article\nrecord:\n  properties:\n"
            "    title: {$ref: '#/properties/title'}\n"
        },
        ["--schema", "s.yaml"],
        "{root}/s.yaml:4:19: $ref '#/properties/title' leads into a loop of schemas that reads no value "
        "(it would never end)",
    ),
    (
        "ref-loop-in-place",
        {
            "s.yaml": "extends: feed-article\nrecord:\n  properties:\n"
            "    title: {allOf: [{$ref: '#/$defs/a'}]}\n"
            "  $defs: {a: {$ref: '#/$defs/b'}, b: {anyOf: [{$ref: '#/$defs/a'}]}}\n",
        },
        ["--schema", "s.yaml"],
        "{root}/s.yaml:4:28: $ref '#/$defs/a' leads into a loop of schemas that reads no value "
        "(it would never end)",
    ),
    (
        "extends-missing",
        {"s.yaml": "extends: my-base\n"},
        ["--schema", "s.yaml"],
        "{root}/s.yaml:1:10: no schema file or built-in schema 'my-base' "
        "(built-ins: feed-article, feed-article-dated, jekyll-feed-article)",
    ),
    (
        "extends-cycle",
        {"s.yaml": "extends: t.yaml\n", "t.yaml": "extends: s.yaml\n"},
        ["--schema", "s.yaml"],
        "{root}/t.yaml:1:10: schema extends itself through {root}/s.yaml",
    ),
    (
        "extends-a-directory",
        {"s.yaml": "extends: base\n", "base": None},
        ["--schema", "s.yaml"],
        "{root}/s.yaml:1:10: schema 'base' is not a file",
    ),
    (
        "schema-nested-too-deeply",
        {"s.yaml": NESTED},
        ["--schema", "s.yaml"],
        "{root}/s.yaml:4:384: document is nested more than 64 levels deep",
    ),
]


@pytest.fixture
def project(tmp_path, monkeypatch):
    root = tmp_path / "project"
    (root / "corpus").mkdir(parents=True)
    (root / "corpus" / "a.md").write_text(article(), encoding="utf-8")
    monkeypatch.chdir(root)
    return root


def _write(root, files):
    for name, content in files.items():
        if content is None:
            (root / name).mkdir()
        elif isinstance(content, bytes):
            (root / name).write_bytes(content)
        else:
            (root / name).write_text(content, encoding="utf-8")


@pytest.mark.parametrize(
    ("files", "args", "expected"), [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_a_broken_configuration_or_schema_is_one_located_line(
    project, capsys, files, args, expected
):
    _write(project, files)
    code = main(["check", "--no-cache", "--jobs", "1", *args, "corpus"])
    captured = capsys.readouterr()
    assert (code, captured.out) == (2, "")
    assert captured.err == f"newscheck: {expected.format(root=project)}\n"
    assert re.fullmatch(r"newscheck: [^\n:]+:\d+:\d+: [^\n]+\n", captured.err)


def test_a_schema_named_on_the_command_line_that_is_a_directory(project, capsys):
    (project / "layouts").mkdir()
    assert main(["check", "--no-cache", "--schema", "layouts", "corpus"]) == 2
    assert capsys.readouterr().err == "newscheck: schema 'layouts' is not a file\n"


def test_the_installed_command_prints_no_traceback(project):
    """The in-process runs above would show a traceback as an exception; a
    real process shows what the user sees."""
    _write(project, {"s.yaml": NESTED, "newscheck.toml": b'ignore = ["NC1"]\n# caf\xe9\n'})
    for args in (["--isolated", "--schema", "s.yaml"], []):
        done = subprocess.run(
            [sys.executable, "-m", "newscheck", "check", *args, "corpus"],
            cwd=project,
            env=offline.environment(PYTHONPATH=str(ROOT)),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert (done.returncode, done.stdout) == (2, "")
        assert len(done.stderr.splitlines()) == 1 and "Traceback" not in done.stderr
        assert re.match(r"newscheck: \S+:\d+:\d+: ", done.stderr)
