"""Schema patterns give offsets in code points counted from the start of the
text, as ``re`` does, whatever the characters (RE2 matches UTF-8 bytes)."""

from __future__ import annotations

import random
import re

import pytest

from newscheck import patterns

# patterns on which RE2 and re agree (no \w, \b or case folding beyond ASCII)
PATTERNS = [
    r"\[(?P<title>[^\]]*)\]\((?P<url>[^)]+)\)(?P<tail>.*)",
    r"(?P<first>.)(?:é|(?P<emoji>😀+))?.*?(?P<last>[a-z€]+)",
    r"(?P<optional>x)?(?P<rest>.*)",
    r"",
]
PIECES = ["a", "z", "é", "€", "😀", "\n", " ", "[", "](", ")", "x", "[é😀](", "€)"]


@pytest.mark.parametrize("pattern", PATTERNS)
def test_offsets_and_groups_are_those_re_gives(pattern: str) -> None:
    ours, reference = patterns.compile(pattern), re.compile(pattern, re.DOTALL)
    groups = [0, *range(1, reference.groups + 1), *reference.groupindex]
    rnd = random.Random(pattern)
    compared = 0
    for _ in range(5000):
        text = "".join(rnd.choice(PIECES) for _ in range(rnd.randint(0, 14)))
        pos = rnd.randint(0, len(text))
        end = rnd.randint(pos, len(text))
        for how in ("match", "fullmatch", "search"):
            found = getattr(ours, how)(text, pos, end)
            expected = getattr(reference, how)(text[pos:end])
            assert (found is None) == (expected is None), (how, text[pos:end])
            if found is None or expected is None:
                continue
            compared += 1
            assert found.groupdict() == expected.groupdict()
            for group in groups:
                start, stop = expected.span(group)
                if start >= 0:
                    start, stop = start + pos, stop + pos
                assert (found.start(group), found.end(group)) == (start, stop), (text, group)
                assert found.group(group) == expected.group(group)
    assert compared > 50
