"""Bytes to text: where a binary file ends and a text with stray controls begins,
and the lines every position and excerpt is cut from."""

from __future__ import annotations

import pytest

import newscheck
from newscheck import source

BINARY = ("NC008", "expected a text article, found NUL and control bytes")


def first(data: bytes) -> tuple[str, str]:
    d = newscheck.check_bytes(data).diagnostics[0]
    return d.code, d.message


@pytest.mark.parametrize(
    ("data", "binary"),
    [
        # A file with a NUL is binary when more than a tenth of its first 8 KiB are
        # control bytes: 0-8 and 14-31; tab, newline, VT, FF and CR are text.
        (b"\x00" * 10 + b"a" * 90, False),
        (b"\x00" * 11 + b"a" * 89, True),
        (b"\x00" + b"\x08" * 50 + b"a" * 49, True),
        (b"\x00" + b"\x0e" * 50 + b"a" * 49, True),
        (b"\x00" + b"\x1f" * 50 + b"a" * 49, True),
        (b"\x00" + b"\t" * 50 + b"a" * 49, False),
        (b"\x00" + b"\r" * 50 + b"a" * 49, False),
        (b"\x00" + b" " * 50 + b"a" * 49, False),
        (b"\x08" * 50 + b"a" * 50, False),  # controls without a NUL: text
    ],
)
def test_binary_or_text_with_control_characters(data, binary):
    code, message = first(data)
    if binary:
        assert (code, message) == BINARY
    else:
        assert code == "NC004"
        assert message.startswith("expected text, found control character U+00")


def test_a_binary_signature_is_named():
    assert first(b"%PDF-1.7\n" + b"a" * 100) == (
        "NC008",
        "expected a text article, found a binary file signature b'%PDF'",
    )


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("ab\ncde\nf", ["ab", "cde", "f"]),
        ("ab\ncde\n", ["ab", "cde", ""]),
        ("\n\nx", ["", "", "x"]),
    ],
)
def test_each_line_span_is_its_line_without_the_newline(text, lines):
    read = source.from_text(text)
    assert [read.slice(read.line_span(index)) for index in range(len(lines))] == lines
