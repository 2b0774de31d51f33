"""File and encoding rules: the bytes before any layout is matched."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from ..article import Article
from ..registry import rule
from ..source import Unreadable
from ..values import Finding, Span
from ._util import first_char

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CRLF = re.compile(r"\r\n")


@rule("NC001", "invalid-utf8", "error", needs_parse=False)
def invalid_utf8(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The file is not valid UTF-8.

    Article files are UTF-8. Bytes in another encoding (GBK, Big5, Latin-1)
    turn into garbage for every consumer. The first bad byte is reported; the
    rest of the file is still checked, with U+FFFD in place of bad bytes.

    Fail (GBK bytes)::

        [\\xd6\\xd0\\xb9\\xfa](https://example.com/a)

    Pass::

        [中国](https://example.com/a)
    """
    if article.source.invalid_utf8 is not None:
        yield (
            first_char(article.source.invalid_utf8),
            ("expected UTF-8 text, found bytes that are not UTF-8 (another encoding such as GBK?)"),
        )


@rule("NC002", "byte-order-mark", "error", needs_parse=False)
def byte_order_mark(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The file starts with a byte-order mark (U+FEFF).

    The generator never writes one, and consumers that look for ``<!--`` at
    the start of the file miss the timestamp behind it.

    Fail::

        \\ufeff<!--1699465144000-->

    Pass::

        <!--1699465144000-->
    """
    if article.source.text.startswith("\ufeff"):
        yield (
            first_char(0),
            "expected the file to start with its first part, found a byte-order mark",
        )


@rule("NC003", "crlf-line-ending", "error", needs_parse=False)
def crlf_line_ending(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Lines end with CR LF instead of LF.

    The generator writes ``\\n`` only; CRLF shows a file that went through a
    tool that rewrote it. The first CRLF is reported with the count.

    Fail::

        <!--1699465144000-->\\r\\n

    Pass::

        <!--1699465144000-->\\n
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
def control_character(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The text holds NUL or another C0 control character.

    Tab, line feed and carriage return are allowed (a bare CR survives inside
    real content); any other control character is corruption. The first is
    reported with the count.

    Fail::

        <p>text\\x00</p>

    Pass::

        <p>text</p>
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


@rule("NC005", "final-newline", "warning", needs_parse=False)
def final_newline(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The file does not end with exactly one newline.

    The generator ends every file with one ``\\n``. A missing newline often
    means the file was cut short; extra blank lines mean another writer.

    Fail::

        <p>body</p>          (no newline at the end)

    Pass::

        <p>body</p>\\n
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
def trailing_content(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Text follows the last part of the layout.

    In a feed-article the HTML content is one line and ends the file; more
    lines after it are usually a second article glued on by a broken writer.

    Fail::

        <p>body</p>
        <!--1699465144000-->

    Pass::

        <p>body</p>
    """
    if article.trailing is not None:
        lines = article.source.slice(article.trailing).count("\n") + 1
        yield (
            article.trailing,
            (f"expected the file to end after its last part, found {lines} more line(s)"),
        )


@rule("NC007", "empty-file", "error", needs_parse=False)
def empty_file(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The file is empty or holds only whitespace.

    A scraper that failed to fetch an item often still writes its file.
    """
    if article.source.unreadable is Unreadable.EMPTY:
        yield Span(0, 0), "expected an article, found an empty file"


@rule("NC008", "binary-file", "error", needs_parse=False)
def binary_file(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The file holds binary data (an image, an archive, NUL-filled bytes).

    Detected from a known signature or from control bytes in the first 8 KiB;
    such a file is not parsed further.
    """
    if article.source.unreadable is Unreadable.BINARY:
        yield Span(0, 0), f"expected a text article, {article.source.detail}"


@rule("NC009", "file-too-large", "error", needs_parse=False, max_bytes=10 * 1024 * 1024)
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
def unreadable_file(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The file could not be read (permissions, not a regular file, vanished).

    Every named file gets a result, so a file that cannot be read is reported
    rather than skipped.
    """
    if article.source.unreadable is Unreadable.IO_ERROR:
        yield Span(0, 0), f"cannot read the file: {article.source.detail}"
