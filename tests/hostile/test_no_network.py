"""No network, no code execution: what hostile schemas and articles cannot make newscheck do.

The test suite refuses every network connection (tests/offline/sitecustomize.py,
installed by tests/conftest.py): a test during which newscheck tried one fails.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time

import pytest

import newscheck
from newscheck.cli import main

from ..helpers import CONTENT, ROOT, article
from ..offline import sitecustomize as offline

REMOTE = "http://192.0.2.1"  # TEST-NET-1: routed nowhere, should anything try


def test_the_guard_refuses_connections_and_lookups_but_not_local_sockets():
    attempts = [
        lambda: socket.create_connection(("192.0.2.1", 80), timeout=1),
        lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM).connect(("192.0.2.1", 80)),
        lambda: socket.socket(socket.AF_INET6, socket.SOCK_STREAM).connect_ex(("::1", 80)),
        lambda: socket.getaddrinfo("example.com", 443),
    ]
    for attempt in attempts:
        with pytest.raises(offline.NetworkRefused, match="the test suite refuses network access"):
            attempt()
    assert offline.taken() == [
        "connection to ('192.0.2.1', 80)",
        "connect to ('192.0.2.1', 80)",
        "connect to ('::1', 80)",
        "name lookup of 'example.com'",
    ]
    left, right = socket.socketpair()  # what multiprocessing's pipes are made of
    with left, right:
        left.sendall(b"x")
        assert right.recv(1) == b"x"


def test_a_swallowed_attempt_still_fails_the_test(pytester):
    pytester.makeconftest("from tests.conftest import _no_connection_attempted  # noqa: F401\n")
    pytester.makepyfile(
        """
        import socket

        def test_swallows():
            try:
                socket.create_connection(("192.0.2.1", 80), timeout=1)
            except OSError:
                pass
        """
    )
    result = pytester.runpytest_inprocess()
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        ["*the test tried to reach the network: connection to ('192.0.2.1', 80)*"]
    )


def test_a_python_subprocess_gets_the_guard_too(tmp_path):
    probe = "import urllib.request; urllib.request.urlopen('http://192.0.2.1/', timeout=1)"
    done = subprocess.run(
        [sys.executable, "-c", probe],
        env=offline.environment(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "test suite: refused network access: connection to ('192.0.2.1', 80)" in done.stderr


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_a_remote_ref_is_refused_at_its_position_and_never_fetched(tmp_path, capsys):
    schema = write(
        tmp_path / "remote.yaml",
        f"extends: feed-article\nrecord:\n  properties:\n    title: {{$ref: '{REMOTE}/t.json'}}\n",
    )
    page = write(tmp_path / "a.md", article())
    assert main(["check", "--no-cache", "--schema", str(schema), str(page)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"newscheck: {schema}:4:19: $ref '{REMOTE}/t.json' is remote: "
        "newscheck never fetches schemas, copy it beside this file\n"
    )


def test_a_yaml_tag_that_would_run_code_is_refused_and_runs_nothing(tmp_path, capsys):
    pwned = tmp_path / "pwned"
    schema = write(
        tmp_path / "evil.yaml",
        f'extends: feed-article\nname: !!python/object/apply:os.system ["touch {pwned}"]\n',
    )
    page = write(tmp_path / "a.md", article())
    assert main(["check", "--no-cache", "--schema", str(schema), str(page)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"newscheck: {schema}:2:7: could not determine a constructor")
    assert "python/object/apply:os.system" in err and len(err.splitlines()) == 1
    assert not pwned.exists()


def _front_matter(extra: str) -> str:
    text = (ROOT / "docs" / "examples" / "jekyll" / "2024-03-05-tram-airport.md").read_text(
        encoding="utf-8"
    )
    return text.replace("layout: post\n", f"layout: post\n{extra}", 1)


def test_a_yaml_tag_in_an_article_runs_nothing(tmp_path):
    pwned = tmp_path / "pwned"
    text = _front_matter(f'evil: !!python/object/apply:os.system ["touch {pwned}"]\n')
    clean = newscheck.check_text(
        _front_matter(""), "2024-03-05-tram-airport.md", "jekyll-feed-article"
    )
    result = newscheck.check_text(text, "2024-03-05-tram-airport.md", "jekyll-feed-article")
    assert result.diagnostics == clean.diagnostics == ()
    assert not pwned.exists()


def _laughs(levels: int) -> str:
    """A billion laughs: each level an alias list of nine of the one below."""
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        below = ", ".join([f"*l{level - 1}"] * 9)
        lines.append(f"l{level}: &l{level} [{below}]")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_schema_is_refused_quickly(tmp_path, capsys):
    schema = write(tmp_path / "bomb.yaml", "extends: feed-article\n" + _laughs(9))
    page = write(tmp_path / "a.md", article())
    started = time.monotonic()
    assert main(["check", "--no-cache", "--schema", str(schema), str(page)]) == 2
    assert time.monotonic() - started < 5
    err = capsys.readouterr().err
    assert re.fullmatch(
        rf"newscheck: {re.escape(str(schema))}:\d+:\d+: "
        r"document has more than 100000 nodes \(alias expansion\?\)\n",
        err,
    )


def test_an_alias_bomb_in_an_article_is_a_diagnostic(tmp_path):
    started = time.monotonic()
    text = _front_matter("bomb:\n" + "".join(f"  {line}\n" for line in _laughs(9).splitlines()))
    result = newscheck.check_text(text, "2024-03-05-tram-airport.md", "jekyll-feed-article")
    assert time.monotonic() - started < 5
    assert [(d.code, d.message) for d in result.diagnostics] == [
        (
            "NC903",
            "expected YAML in part 'front', found an error: "
            "document has more than 100000 nodes (alias expansion?)",
        )
    ]


HOSTILE_HTML = (
    f'<!DOCTYPE html SYSTEM "{REMOTE}/x.dtd">'
    '<!ENTITY secret SYSTEM "file:///etc/passwd">'
    f'<!ENTITY remote SYSTEM "{REMOTE}/e.txt">'
    '<div xmlns:xi="http://www.w3.org/2001/XInclude">'
    f'<xi:include href="{REMOTE}/inc.xml" parse="text"/></div>'
    "<p>&secret;&remote;</p>"
    f'<img src="{REMOTE}/a.jpg"><iframe src="{REMOTE}/f.html"></iframe>'
)


def test_dtds_entities_xincludes_and_sources_in_an_article_are_not_followed(tmp_path, capsys):
    plain = write(tmp_path / "plain.md", article(1))
    hostile = write(tmp_path / "hostile.md", article(2, content=HOSTILE_HTML + CONTENT))
    assert main(["check", "--no-cache", "--jobs", "1", str(plain), str(hostile)]) == 0
    out = capsys.readouterr().out
    assert out == (
        f"{hostile}:5:309: NC802 embedded-frame [info] expected no embedded page, found <iframe>\n"
        "Checked 2 files: 0 errors, 0 warnings, 1 info (0 with errors).\n"
    )


def test_front_matter_nested_too_deeply_is_a_diagnostic():
    text = _front_matter("deep: " + "[" * 3000 + "]" * 3000 + "\n")
    result = newscheck.check_text(text, "2024-03-05-tram-airport.md", "jekyll-feed-article")
    assert [(d.code, d.line, d.message) for d in result.diagnostics] == [
        (
            "NC903",
            3,
            "expected YAML in part 'front', found an error: "
            "document is nested more than 64 levels deep",
        )
    ]
