"""A battery of hostile inputs: each gets a diagnostic or a clean result, the
exit code it calls for, and its answer within a time bound; nothing hangs,
crashes, reads what it must not, or prints what a terminal would obey.

Big inputs are generated in tmp_path. Bounds are generous (a loaded two-core
CI machine); the times measured on one are in docs/robustness.md.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

import newscheck
from newscheck.cli import main
from newscheck.registry import REGISTRY

from ..helpers import CONTENT, article
from ..offline import sitecustomize as offline

BOUND = 5.0  # seconds for an ordinary hostile file, checked on a loaded machine
BIG = 30.0  # for the multi-megabyte ones (10^6 elements)
LONG_TEXT = "<p>" + "这是一段足够长的正文，用来让正文长度的检查安静下来。" * 2 + "</p>"
PASSWD = re.compile(r"root:.*:0:0:")


def run(capsys: pytest.CaptureFixture[str], *args: str, bound: float = BOUND) -> tuple[int, str]:
    """``newscheck check ARGS`` in this process: exit code and output, within ``bound``."""
    started = time.monotonic()
    code = main(["check", "--isolated", "--jobs", "1", *args])
    elapsed = time.monotonic() - started
    out = capsys.readouterr().out
    assert elapsed < bound, f"took {elapsed:.1f} s"
    return code, out


def located(out: str) -> list[tuple[str, int]]:
    """(code, line) of each diagnostic line of the text output."""
    return [(m[2], int(m[1])) for m in re.finditer(r":(\d+):\d+: (NC\d{3}) ", out)]


# ---------------------------------------------------------------- hostile contents


@dataclass(frozen=True)
class Case:
    name: str
    data: Callable[[], bytes]
    expected: tuple[tuple[str, int], ...]  # (code, line) that must be printed
    exit: int
    bound: float = BOUND
    absent: tuple[str, ...] = ()  # codes that must not be printed


def text(content: str | None = None, **parts: str | None) -> Callable[[], bytes]:
    """An article with its content (and other lines) replaced, as UTF-8."""
    return lambda: article(content=content if content is not None else CONTENT, **parts).encode()


def raw(make: Callable[[], bytes]) -> Callable[[], bytes]:
    return make


N = 100_000
CASES = [
    # libxml2 stops nesting at 256 levels: the text below is dropped, no recursion anywhere
    Case("nesting-100k", text("<div>" * N + "deep text" + "</div>" * N), (("NC701", 5),), 1),
    Case("nesting-100k-unclosed", text("<div>" * N + "deep text"), (("NC701", 5),), 1),
    Case("nesting-100k-mixed", text("<div><b><i><span>" * (N // 4) + "x"), (("NC701", 5),), 1),
    Case("siblings-10^6", text("<p>a</p>" * 1_000_000), (), 0, BIG),
    Case("entity-flood-10^6", text("<p>" + "&amp;" * 1_000_000 + "</p>"), (), 0),
    Case("entity-nul", text(LONG_TEXT + "<p>&#0;</p>"), (), 0),
    Case("entity-surrogate", text(LONG_TEXT + "<p>&#xD800;</p>"), (), 0),
    Case("entity-beyond-unicode", text(LONG_TEXT + "<p>&#x110000;</p>"), (), 0),
    Case("entity-huge-number", text(LONG_TEXT + "<p>&#99999999999;</p>"), (), 0),
    Case(
        "noncharacters",
        text(LONG_TEXT + "<p>\ufffe\uffff\U0010ffff\x85</p>"),
        (),
        0,
        absent=("NC000",),
    ),
    Case(
        "title-1mb", text(title="[" + "长" * 1_000_000 + "](https://x.org/a)"), (("NC208", 2),), 0
    ),
    Case("title-10^5-brackets", text(title="[" * N), (("NC202", 2),), 1),
    Case("title-50k-link-starts", text(title="[" + "](" * 50_000), (("NC202", 2),), 1),
    Case("header-10^6-spaces", text(timestamp=" " * 1_000_000), (("NC101", 1),), 1),
    Case("nul-in-content", text("<p>a\x00b</p>" + LONG_TEXT), (("NC004", 5),), 1),
    Case("binary-nuls", raw(lambda: b"\x00" * 4096), (("NC008", 1),), 1),
    Case("overlong-utf8", raw(lambda: article().encode()[:-1] + b"\xc0\xaf\n"), (("NC001", 5),), 1),
    Case(
        "encoded-surrogate",
        raw(lambda: article().encode().replace(b"<p>", b"<p>\xed\xa0\x80", 1)),
        (("NC001", 5),),
        1,
    ),
    Case("only-bom", raw(lambda: b"\xef\xbb\xbf"), (("NC002", 1), ("NC101", 1)), 1),
    Case(
        "cr-only-line-endings",
        raw(lambda: article().replace("\n", "\r").encode()),
        (("NC102", 1),),
        1,
    ),
    Case("10^5-empty-lines", raw(lambda: b"\n" * N), (("NC007", 1),), 1),
    Case(
        "external-dtd",
        text('<!DOCTYPE html SYSTEM "http://example.com/evil.dtd">' + LONG_TEXT),
        (),
        0,
    ),
    Case(
        "xxe-file",
        text('<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><p>&xxe;</p>' + LONG_TEXT),
        (),
        0,
    ),
    Case(
        "billion-laughs",
        text(
            '<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
            + "".join(
                f'<!ENTITY {b} "{("&" + a + ";") * 10}">'
                for a, b in zip("abcdefgh", "bcdefghi", strict=True)
            )
            + "]><p>&i;</p>"
            + LONG_TEXT
        ),
        (),
        0,
    ),
    Case(
        "xinclude",
        text(
            '<p><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" '
            'href="file:///etc/passwd" parse="text"/></p>' + LONG_TEXT
        ),
        (),
        0,
    ),
    Case("script", text(LONG_TEXT + "<script>alert(1)</script>"), (("NC801", 5),), 0),
    Case(
        "javascript-url",
        text(LONG_TEXT + '<a href=" jav&#x09;ascript:alert(1)">x</a>'),
        (("NC804", 5),),
        1,
    ),
    Case("event-handler", text(LONG_TEXT + '<img src="x" onerror="alert(1)">'), (("NC803", 5),), 1),
    Case(
        "10^5-scripts", text(LONG_TEXT + "<script>x</script>" * N), (("NC801", 5),), 0, BIG
    ),  # 10^5 diagnostics come back from the worker process
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_content(case: Case, tmp_path, capsys):
    path = tmp_path / "a.md"
    path.write_bytes(case.data())
    code, out = run(capsys, "--no-cache", str(path), bound=case.bound)
    found = located(out)
    assert [e for e in case.expected if e not in found] == [], out[-2000:]
    assert not {c for c, _ in found} & {"NC000", *case.absent}, out[-2000:]
    assert code == case.exit, out[-2000:]
    assert not PASSWD.search(out)
    assert "\x1b" not in out


def test_nothing_of_an_entity_or_include_reaches_the_extracted_text(tmp_path):
    """The body text, as rules see it, holds the raw references, never a file's content."""
    content = (
        '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><p>&xxe;</p>'
        '<p><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="/etc/passwd"'
        ' parse="text"/></p>' + LONG_TEXT
    )
    started = time.monotonic()
    from newscheck.parse import parse
    from newscheck.schema import load_schema
    from newscheck.source import from_text

    parsed = parse(from_text(article(content=content)), load_schema("feed-article"))
    assert time.monotonic() - started < BOUND
    body = parsed.value("body")
    assert "&xxe;" in body and not PASSWD.search(body)


def test_html_nesting_is_capped_by_the_parser():
    """libxml2 (huge_tree off) stops nesting at 255 levels, so no tree the rules
    walk is deeper; a relative link at depth 200 is still found and placed."""
    from newscheck.parse import parse
    from newscheck.schema import load_schema
    from newscheck.source import from_text

    schema = load_schema("feed-article")
    started = time.monotonic()
    deep = parse(from_text(article(content="<div>" * N + "x")), schema)
    assert max(len(list(e.iterancestors())) for e in deep.html.iter()) <= 256
    assert time.monotonic() - started < BOUND
    link = "<div>" * 200 + '<a href="/a/1.html">x</a>' + LONG_TEXT
    result = newscheck.check_text(article(content=link))
    assert [(d.code, d.line, d.column) for d in result.diagnostics] == [("NC805", 5, 1001)]


# ---------------------------------------------------------------- size limit (NC009)


def test_a_file_over_the_limit_is_reported_without_being_read(tmp_path, capsys):
    path = tmp_path / "huge.md"
    with open(path, "wb") as handle:  # sparse: 4 GiB that would take long to read
        handle.truncate(4 * 1024**3)
    code, out = run(capsys, "--no-cache", str(path), bound=2.0)
    assert located(out) == [("NC009", 1)]
    assert f"expected at most {10 * 1024 * 1024} bytes, found {4 * 1024**3} bytes" in out
    assert code == 1


def test_a_10mb_line_under_a_raised_limit_is_checked_in_bounded_time(tmp_path, capsys):
    line = "a" * (10 * 1024 * 1024 + 1)  # one line, no newline: over the default limit
    (tmp_path / "long.md").write_text(line, encoding="ascii")
    (tmp_path / "roomy.yaml").write_text(
        "extends: feed-article\nrules:\n  file-too-large: {max_bytes: 20000000}\n"
    )
    code, out = run(capsys, "--no-cache", str(tmp_path / "long.md"))
    assert located(out) == [("NC009", 1)]
    args = ("--no-cache", "--schema", str(tmp_path / "roomy.yaml"), str(tmp_path / "long.md"))
    code, out = run(capsys, *args)
    assert ("NC101", 1) in located(out) and ("NC005", 1) in located(out)
    assert "NC009" not in out and code == 1


# ---------------------------------------------------------------- special files


@pytest.fixture
def odd(tmp_path, monkeypatch):
    """A folder to fill with odd files, the current directory."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_fifo_is_reported_and_never_opened(odd, capsys):
    os.mkfifo("x.md")
    code, out = run(capsys, "x.md", ".")  # named, and found during discovery: once
    assert out.splitlines()[0] == (
        "x.md:1:1: NC010 unreadable-file [error] cannot read the file: "
        "it is a named pipe (FIFO), not a regular file"
    )
    assert located(out) == [("NC010", 1)] and code == 1


def test_a_socket_is_reported(odd, capsys):
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind("s.md")
        code, out = run(capsys, ".")
    finally:
        server.close()
    assert "./s.md:1:1: NC010 unreadable-file [error] cannot read the file: it is a socket" in out
    assert code == 1


def test_dev_null_named_explicitly(capsys):
    code, out = run(capsys, "/dev/null")
    assert (
        "/dev/null:1:1: NC010 unreadable-file [error] cannot read the file: it is a character device, not a regular file"
        in out
    )
    assert code == 1


def test_a_symlink_loop_and_a_dangling_link(odd, capsys):
    os.symlink("b.md", "a.md")
    os.symlink("a.md", "b.md")
    os.symlink("gone.md", "c.md")
    code, out = run(capsys, "a.md", "b.md", "c.md")  # named: followed (found: not, see test_links)
    lines = out.splitlines()
    assert lines[0].startswith("a.md:1:1: NC010 unreadable-file [error] cannot read the file: ")
    assert "symbolic links" in lines[0] and "symbolic links" in lines[1]
    assert lines[2] == (
        "c.md:1:1: NC010 unreadable-file [error] cannot read the file: "
        "it is a symbolic link to a file that does not exist"
    )
    assert lines[3].startswith("Checked 3 files: 3 errors") and code == 1


@pytest.mark.parametrize("named", ["dir.md", "."])
def test_a_directory_named_like_an_article_is_walked(odd, capsys, named):
    (odd / "dir.md").mkdir()
    (odd / "dir.md" / "in.md").write_text(article(timestamp="<!--NaN-->"), encoding="utf-8")
    code, out = run(capsys, named)
    assert located(out) == [("NC102", 1)]
    assert f"{os.path.join(named, 'in.md') if named == 'dir.md' else './dir.md/in.md'}:1:1" in out
    assert "Checked 1 file:" in out and code == 1


def test_a_file_that_cannot_be_opened(odd, capsys, monkeypatch):
    (odd / "a.md").write_text(article(), encoding="utf-8")
    real = os.open

    def refuse(path, *args, **kwargs):
        if os.fspath(path).endswith("a.md"):
            raise PermissionError(13, "Permission denied", path)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    code, out = run(capsys, "a.md")
    assert out.splitlines()[0] == (
        "a.md:1:1: NC010 unreadable-file [error] cannot read the file: Permission denied"
    )
    assert code == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its mode")
def test_a_file_without_read_permission(odd, capsys):
    (odd / "a.md").write_text(article(), encoding="utf-8")
    os.chmod("a.md", 0)
    code, out = run(capsys, "--no-cache", "a.md")
    assert "a.md:1:1: NC010 unreadable-file [error] cannot read the file: Permission denied" in out
    assert code == 1


def test_a_file_that_vanishes_between_listing_and_reading(odd, capsys, monkeypatch):
    (odd / "a.md").write_text(article(1), encoding="utf-8")
    (odd / "b.md").write_text(article(2), encoding="utf-8")
    real = os.open

    def vanishing(path, flags, *args, **kwargs):  # listed, then gone when it is opened
        if os.fspath(path) == "./a.md" and os.path.exists(path):
            os.unlink(path)
        return real(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", vanishing)
    code, out = run(capsys, "--no-cache", ".")  # no cache: nothing reads the file before its check
    assert out.splitlines()[0] == (
        "./a.md:1:1: NC010 unreadable-file [error] cannot read the file: No such file or directory"
    )
    assert "Checked 2 files: 1 error" in out and code == 1


def test_a_regular_file_that_turns_into_a_fifo_before_the_open_does_not_block(
    odd, capsys, monkeypatch
):
    (odd / "a.md").write_text(article(), encoding="utf-8")
    real = os.open

    def swap(path, flags, *args, **kwargs):
        if os.fspath(path) == "a.md" and stat.S_ISREG(os.stat(path).st_mode):
            os.unlink(path)
            os.mkfifo(path)
        return real(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", swap)
    code, out = run(capsys, "--no-cache", "a.md")
    assert out.splitlines()[0] == (
        "a.md:1:1: NC010 unreadable-file [error] cannot read the file: "
        "it is a named pipe (FIFO), not a regular file"
    )
    assert code == 1


HOSTILE_NAME = "bad\udcff\n\x1b[31mname.md"  # bytes that are not UTF-8, a newline, an escape
FORMATS = {
    "text": "bad\\xff\\n\\x1b[31mname.md:1:1: NC102 malformed-timestamp",
    "concise": "bad\\xff\\n\\x1b[31mname.md:1:1: NC102",
    "github": "::error file=./bad\\xff\\n\\x1b[31mname.md,line=1,col=1,",
    "json": '{"path": "./bad\\\\xff\\n\\u001b[31mname.md", "diagnostics": [{"code": "NC102"',
    "jsonl": '{"path": "./bad\\\\xff\\n\\u001b[31mname.md", "code": "NC102"',
    "gitlab": '"location": {"path": "bad\\\\xff\\n\\u001b[31mname.md", "lines": {"begin": 1}}',
    "sarif": '"uri": "bad%FF%0A%1B%5B31mname.md"',
    "junit": '<testcase classname="newscheck" name="./bad\\xff\\n\\x1b[31mname.md">',
}


@pytest.mark.parametrize("form", FORMATS)
def test_every_reporter_survives_a_hostile_file_name(odd, capsys, form):
    with open(os.fsencode(HOSTILE_NAME), "w", encoding="utf-8") as handle:
        handle.write(article(timestamp="<!--NaN-->"))
    code, out = run(capsys, "--output-format", form, ".")
    assert FORMATS[form] in out, out
    assert "\x1b" not in out and "\udcff" not in out
    assert code == 1


def test_a_hostile_file_name_on_a_strict_utf8_stdout(odd):
    """A real process whose stdout refuses what is not UTF-8 (as under a UTF-8 locale)."""
    with open(os.fsencode(HOSTILE_NAME), "w", encoding="utf-8") as handle:
        handle.write(article(timestamp="<!--NaN-->"))
    env = {**offline.environment(), "PYTHONIOENCODING": "utf-8:strict"}
    done = subprocess.run(
        [sys.executable, "-m", "newscheck", "check", "--isolated", "--no-cache", "."],
        capture_output=True,
        env=env,
        timeout=60,
    )
    assert done.stderr == b""
    assert (
        done.stdout.decode("utf-8")
        .splitlines()[0]
        .startswith("./bad\\xff\\n\\x1b[31mname.md:1:1: NC102 malformed-timestamp [error]")
    )
    assert done.returncode == 1


# ---------------------------------------------------------------- time budget (NC012)


@pytest.fixture
def slow_rule(monkeypatch):
    """Make rule NC805 run ``seconds`` (forever with None)."""

    def arm(seconds: float | None) -> None:
        def slow(article, options):
            deadline = time.monotonic() + (seconds if seconds is not None else 1e9)
            while time.monotonic() < deadline:
                pass
            return iter(())

        rule = REGISTRY["NC805"]
        monkeypatch.setitem(REGISTRY, "NC805", type(rule)(**{**rule.__dict__, "check": slow}))

    return arm


def budget_schema(folder: Path, setting: str) -> str:
    path = folder / "budget.yaml"
    path.write_text(f"extends: feed-article\nrules:\n  check-time-budget: {setting}\n")
    return str(path)


BUDGET_MESSAGE = (
    "a.md:1:1: NC012 check-time-budget [error] expected the check to finish within 0.3 s, "
    "found it still in rule NC805 relative-link; the rest of the file was not checked"
)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_runaway_rule_is_stopped_by_the_budget(odd, capsys, slow_rule, jobs):
    """In this process and in worker processes, the alarm stops a rule that never ends."""
    slow_rule(None)
    for name in ("a.md", "b.md"):  # --jobs 2 needs more than one file to start workers
        (odd / name).write_text(article(1 if name == "a.md" else 2), encoding="utf-8")
    schema = budget_schema(odd, "{seconds: 0.3}")
    started = time.monotonic()
    code = main(["check", "--isolated", "--jobs", jobs, "--schema", schema, "./"])
    assert time.monotonic() - started < 10
    out = capsys.readouterr().out
    assert ("./" + BUDGET_MESSAGE) in out
    assert located(out) == [("NC012", 1), ("NC012", 1)] and code == 1


def test_a_budget_stopped_result_is_not_cached(odd, capsys, slow_rule, monkeypatch):
    (odd / "a.md").write_text(article(), encoding="utf-8")
    schema = budget_schema(odd, "{seconds: 0.3}")
    with monkeypatch.context() as patch:
        patch.setitem(REGISTRY, "NC805", REGISTRY["NC805"])
        slow_rule(None)
        code, out = run(capsys, "--schema", schema, "a.md")
        assert out.startswith(BUDGET_MESSAGE) and code == 1
    code, out = run(capsys, "--schema", schema, "a.md")  # the same run: checked again
    assert located(out) == [] and code == 0


def test_the_budget_is_checked_between_rules_off_the_main_thread(tmp_path, slow_rule):
    """A thread cannot take a signal: the budget stops the check at the next rule."""
    slow_rule(0.5)
    schema = newscheck.load_schema(budget_schema(tmp_path, "{seconds: 0.2}"))
    found: list[newscheck.FileResult] = []
    worker = threading.Thread(
        target=lambda: found.append(newscheck.check_text(article(), schema=schema))
    )
    worker.start()
    worker.join(10)
    (result,) = found
    assert [(d.code, d.line) for d in result.diagnostics] == [("NC012", 1)]
    assert "found it still in rule NC805 relative-link" in result.diagnostics[0].message


def test_no_budget_when_the_rule_is_off(tmp_path, slow_rule):
    slow_rule(0.4)
    schema = newscheck.load_schema(budget_schema(tmp_path, "'off'"))
    result = newscheck.check_text(article(), schema=schema)
    assert result.diagnostics == ()


def test_the_budget_leaves_the_alarm_as_it_found_it(slow_rule):
    """The handler and timer of whoever else uses SIGALRM are restored."""
    rang = []
    previous = signal.signal(signal.SIGALRM, lambda *_: rang.append(True))
    try:
        newscheck.check_text(article())
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
        signal.setitimer(signal.ITIMER_REAL, 0.05)
        time.sleep(0.2)
        assert rang == [True]
        signal.setitimer(signal.ITIMER_REAL, 30)  # someone's timer running: left alone
        newscheck.check_text(article())
        assert 25 < signal.getitimer(signal.ITIMER_REAL)[0] <= 30
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_a_file_that_grew_since_its_size_was_taken_is_read_up_to_the_limit(tmp_path, monkeypatch):
    from newscheck import reading
    from newscheck.source import Source, Unreadable

    path = tmp_path / "grows.md"
    path.write_bytes(b"x" * 100)
    real = os.fstat

    def smaller(descriptor):  # the size as it was before the last 60 bytes were written
        info = real(descriptor)
        return os.stat_result((*info[:6], 40, *info[7:]))

    monkeypatch.setattr(reading.os, "fstat", smaller)
    assert reading.read_bytes(str(path), 10_000) == b"x" * 100
    over = reading.read_bytes(str(path), 50)
    assert isinstance(over, Source) and over.unreadable is Unreadable.TOO_LARGE
    # a file of size 0 that holds something is the kernel's (/proc): tests/hostile/test_links.py
