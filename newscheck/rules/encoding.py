"""File and encoding rules: the bytes before any layout is matched."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ..article import Article
from ..examples import CONTENT, Fail, article, examples, html, text
from ..registry import rule
from ..source import Unreadable
from ..values import Finding, Span
from ._util import first_char

if TYPE_CHECKING:
    from ..schema import Schema

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CRLF = re.compile(r"\r\n")


def _last_block_takes_every_line(schema: Schema) -> bool:
    """Whether the layout ends in a block with no line limit (nothing trails it)."""
    last = schema.layout[-1]
    return last.block is not None and last.max_lines == 0


@rule("NC001", "invalid-utf8", "error", needs_parse=False)
@examples(
    Fail(
        article(title="[中国](https://a.example/x)")
        .encode()
        .replace("中国".encode(), "中国".encode("gbk")),
        [("NC001", "error", 2, 2)],
        note="GBK bytes",
    ),
    passing=[article(title="[中国](https://a.example/x)")],
)
def invalid_utf8(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The file is not valid UTF-8.

    Article files are UTF-8. Bytes in another encoding (GBK, Big5, Latin-1)
    turn into garbage for every consumer. The first bad byte is reported; the
    rest of the file is still checked, with U+FFFD in place of bad bytes.
    """
    if article.source.invalid_utf8 is not None:
        yield (
            first_char(article.source.invalid_utf8),
            ("expected UTF-8 text, found bytes that are not UTF-8 (another encoding such as GBK?)"),
        )


@rule("NC002", "byte-order-mark", "error", needs_parse=False)
@examples(
    Fail("\ufeff" + article(), [("NC002", "error", 1, 1)]),
    passing=[article()],
    plant=text(lambda written: ("\ufeff" + written, 1)),
    message=r"expected the file to start with its first part, found a byte-order mark",
)
def byte_order_mark(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The file starts with a byte-order mark (U+FEFF).

    The generator never writes one, and consumers that look for ``<!--`` at
    the start of the file miss the timestamp behind it.
    """
    if article.source.text.startswith("\ufeff"):
        yield (
            first_char(0),
            "expected the file to start with its first part, found a byte-order mark",
        )


@rule("NC003", "crlf-line-ending", "error", needs_parse=False)
@examples(
    Fail(article().replace("\n", "\r\n"), [("NC003", "error", 1, 21)]),
    passing=[article()],
    plant=text(lambda written: (written.replace("\n", "\r\n"), 1)),
    message=r"expected LF line endings, found CRLF on \d+ line\(s\)",
)
def crlf_line_ending(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Lines end with CR LF instead of LF.

    The generator writes ``\\n`` only; CRLF shows a file that went through a
    tool that rewrote it. The first CRLF is reported with the count.
    """
    text = article.source.text
    first = _CRLF.search(text)
    if first:
        count = text.count("\r\n")
        yield (
            Span(first.start(), first.end()),
            f"expected LF line endings, found CRLF on {count} line(s)",
        )


@rule("NC004", "control-character", "error", needs_parse=False)
@examples(
    Fail(article(content=CONTENT.replace("周三", "周\x00三")), [("NC004", "error", 5, 194)]),
    passing=[article(content=CONTENT.replace("周三", "周\t三"))],
    plant=html("<p>\x01</p>"),
    message=r"expected text, found control character U\+00[01][0-9A-F]",
)
def control_character(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The text holds NUL or another C0 control character.

    Tab, line feed and carriage return are allowed (a bare CR survives inside
    real content); any other control character is corruption. The first is
    reported with the count.
    """
    text = article.source.text
    first = _CONTROL.search(text)
    if first:
        count = len(_CONTROL.findall(text))
        yield (
            first_char(first.start()),
            (
                f"expected text, found control character U+{ord(first.group()):04X}"
                + (f" ({count} in the file)" if count > 1 else "")
            ),
        )


def _truncated(written: str) -> tuple[str, int]:
    """A file cut in the middle of its last line, as a writer that stopped
    early leaves it (reported on that line), and the line reported."""
    whole = written.rstrip("\n")
    start = whole.rfind("\n") + 1
    cut = whole[: start + max(1, (len(whole) - start) // 2)]
    return cut, cut.count("\n") + 1


@rule("NC005", "final-newline", "warning", needs_parse=False)
@examples(
    Fail(article().rstrip("\n"), [("NC005", "warning", 5, 222)], note="no newline at the end"),
    Fail(article() + "\n\n", [("NC005", "warning", 6, 1)], note="blank lines at the end"),
    passing=[article()],
    plant=[
        text(lambda written: (written.rstrip("\n"), written.count("\n"))),
        text(_truncated),
    ],
    message=r"expected a newline at the end of the file, found none",
)
def final_newline(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The file does not end with exactly one newline.

    The generator ends every file with one ``\\n``. A missing newline often
    means the file was cut short; extra blank lines mean another writer.
    """
    text = article.source.text
    if not text:
        return
    if not text.endswith("\n"):
        yield Span(len(text), len(text)), "expected a newline at the end of the file, found none"
        return
    stripped = text.rstrip("\r\n")
    extra = text[len(stripped) :].count("\n") - 1
    if extra > 0:
        end = len(stripped) + text[len(stripped) :].index("\n") + 1
        yield (
            Span(end, len(text)),
            f"expected one newline at the end of the file, found {extra} blank line(s) more",
        )


@rule("NC006", "trailing-content", "error")
@examples(
    Fail(article() + article(), [("NC006", "error", 6, 1)]),
    passing=[article()],
    plant=lambda schema: (
        ()
        if _last_block_takes_every_line(schema)
        else text(
            lambda written: (written + written.split("\n", 1)[0] + "\n", written.count("\n") + 1)
        )
    ),
    message=r"expected the file to end after its last part, found \d+ more line\(s\)",
)
def trailing_content(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Text follows the last part of the layout.

    In a feed-article the HTML content is one line and ends the file; more
    lines after it are usually a second article glued on by a broken writer.
    """
    if article.trailing is not None:
        lines = article.source.slice(article.trailing).count("\n") + 1
        yield (
            article.trailing,
            (f"expected the file to end after its last part, found {lines} more line(s)"),
        )


@rule("NC007", "empty-file", "error", needs_parse=False)
@examples(
    Fail("", [("NC007", "error", 1, 1)], note="an empty file"),
    Fail("  \n\n", [("NC007", "error", 1, 1)]),
    passing=[article()],
    plant=[text(lambda written: ("", 1)), text(lambda written: (" \n" * written.count("\n"), 1))],
    message=r"expected an article, found an empty file",
)
def empty_file(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The file is empty or holds only whitespace.

    A scraper that failed to fetch an item often still writes its file.
    """
    if article.source.unreadable is Unreadable.EMPTY:
        yield Span(0, 0), "expected an article, found an empty file"


@rule("NC008", "binary-file", "error", needs_parse=False)
@examples(
    Fail(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", [("NC008", "error", 1, 1)], note="a PNG image"),
    passing=[article()],
)
def binary_file(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The file holds binary data (an image, an archive, NUL-filled bytes).

    Detected from a known signature or from control bytes in the first 8 KiB;
    such a file is not parsed further.
    """
    if article.source.unreadable is Unreadable.BINARY:
        yield Span(0, 0), f"expected a text article, {article.source.detail}"


@rule("NC009", "file-too-large", "error", needs_parse=False, max_bytes=10 * 1024 * 1024)
@examples(
    Fail(
        article(content=CONTENT + "<p>" + "很长。" * 100 + "</p>"),
        [("NC009", "error", 1, 1)],
        note="with max_bytes = 1000",
    ),
    passing=[article()],
    schema="extends: feed-article\nrules:\n  NC009: {max_bytes: 1000}\n",
)
def file_too_large(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The file is larger than ``max_bytes`` (default 10 MiB).

    The size is taken from the file system before the file is read, so a huge
    file costs nothing. Real articles are a few kilobytes.

    Options: ``max_bytes`` (integer).
    """
    if article.source.unreadable is Unreadable.TOO_LARGE:
        yield (
            Span(0, 0),
            (f"expected at most {options['max_bytes']} bytes, found {article.source.size} bytes"),
        )


@rule("NC010", "unreadable-file", "error", needs_parse=False)
@examples(elsewhere="tests.hostile.test_battery:test_a_fifo_is_reported_and_never_opened")
def unreadable_file(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The file could not be read (permissions, not a regular file, vanished).

    Every named file gets a result, so a file that cannot be read is reported
    rather than skipped.
    """
    if article.source.unreadable is Unreadable.IO_ERROR:
        yield Span(0, 0), f"cannot read the file: {article.source.detail}"
