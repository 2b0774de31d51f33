"""Each defect class, injected into real corpus files, is reported on the right line."""

from __future__ import annotations

import re

import pytest

import newscheck

from ..helpers import CORPUS, missing

SOURCES = ("voa", "dw", "rfi", "nyt", "reuters", "ft")
PER_SOURCE = 3
DATED = re.compile(r"^<div>(<i>)?[^<]*\d")


def sample_files():
    if not CORPUS.is_dir():
        return []
    files = []
    for source in SOURCES:
        names = sorted((CORPUS / "feed" / source).glob("*.md"))
        files.extend(names[:: max(1, len(names) // PER_SOURCE)][:PER_SOURCE])
    return files


def lines_of(text):
    return text.split("\n")[:-1]


def join(lines):
    return "\n".join(lines) + "\n"


def edit(index, change):
    def inject(text):
        lines = lines_of(text)
        lines[index] = change(lines[index])
        return join(lines)

    return inject


def drop(index):
    def inject(text):
        lines = lines_of(text)
        del lines[index]
        return join(lines)

    return inject


def title(change):
    def rewrite(line):
        found = re.fullmatch(r"\[(.*)\]\((.*)\)", line)
        return change(found.group(1), found.group(2))

    return edit(1, rewrite)


def content(change):
    return edit(4, change)


def title_to_gbk(text):
    """The title line written in GBK, as a scraper with the wrong codec would."""
    first, second, rest = text.split("\n", 2)
    return f"{first}\n".encode() + second.encode("gbk", "replace") + f"\n{rest}".encode()


def mojibake(line):
    match = re.search(r"<p>([^<]{6})", line)
    damaged = match.group(1).encode().decode("cp1252", "ignore")
    return line[: match.start(1)] + damaged + line[match.end(1) :]


# (code, injector, line, applies) — applies(text) says whether the file can carry the defect
CASES = [
    ("NC001", title_to_gbk, 2, None),
    ("NC002", lambda t: "\ufeff" + t, 1, None),
    ("NC003", lambda t: t.replace("\n", "\r\n"), 1, None),
    ("NC004", content(lambda c: c.replace("<p>", "<p>\x00", 1)), 5, "<p>"),
    ("NC005", lambda t: t.rstrip("\n"), 5, None),
    ("NC006", lambda t: t + t, 6, None),
    ("NC101", drop(0), 1, None),
    ("NC102", edit(0, lambda _: "<!--NaN-->"), 1, None),
    ("NC102", edit(0, lambda ts: ts[:-7] + "-->"), 1, None),
    ("NC103", edit(0, lambda _: "<!--0315532800000-->"), 1, None),
    ("NC104", edit(0, lambda ts: f"<!--{int(ts[4:-3]) + 10 * 86400000}-->"), 5, DATED),
    ("NC201", drop(1), 2, None),
    ("NC202", edit(1, lambda line: line[:-1]), 2, None),
    ("NC203", title(lambda t, u: f"[]({u})"), 2, None),
    ("NC204", title(lambda t, u: f"[{t[:3]}\n{t[3:]}]({u})"), 2, None),
    ("NC205", title(lambda t, u: f"[{t}（]({u})"), 2, None),
    ("NC206", title(lambda t, u: f"[{t}&amp;]({u})"), 2, None),
    ("NC207", title(lambda t, u: f"[ {t}]({u})"), 2, None),
    ("NC301", title(lambda t, u: f"[{t}]()"), 2, None),
    ("NC302", title(lambda t, u: f"[{t}]({u.split('/', 3)[3]})"), 2, None),
    ("NC303", title(lambda t, u: f"[{t}](javascript:{u})"), 2, None),
    ("NC304", title(lambda t, u: f"[{t}]({u} x)"), 2, None),
    ("NC305", title(lambda t, u: f"[{t}]({u}/新闻)"), 2, None),
    ("NC401", drop(2), 3, None),
    ("NC402", edit(2, lambda _: "---"), 3, None),
    ("NC403", drop(3), 4, None),
    ("NC501", content(lambda c: re.sub(r"^<div>(<i>)?[^<]*", r"<div>\1yesterday", c)), 5, DATED),
    (
        "NC502",
        content(lambda c: re.sub(r"^<div>(<i>.*?</i>|[^<]*)</div>", "<div></div>", c)),
        5,
        DATED,
    ),
    (
        "NC601",
        content(lambda c: re.sub(r'<img src="[^"]*"', '<img src=""', c, count=1)),
        5,
        '<img src="',
    ),
    (
        "NC602",
        content(lambda c: re.sub(r'<img src="https?:', '<img src="', c, count=1)),
        5,
        '<img src="http',
    ),
    (
        "NC603",
        content(
            lambda c: re.sub(
                r'<img src="[^"]*"', '<img src="https://images.weserv.nl?url="', c, count=1
            )
        ),
        5,
        '<img src="',
    ),
    ("NC701", content(lambda c: "<p> </p>"), 5, None),
    ("NC702", content(lambda c: "<p>点击阅读。</p>"), 5, None),
    ("NC703", content(lambda c: c[: c.rindex("<") + 3]), 5, None),
    ("NC703", content(lambda c: c + "&nbs"), 5, None),
    ("NC704", content(mojibake), 5, re.compile(r"<p>[^<]{6}")),
    ("NC705", content(lambda c: c.replace("<p>", "<p>\ufffd", 1)), 5, "<p>"),
    ("NC801", content(lambda c: c + "<script>alert(1)</script>"), 5, None),
    ("NC802", content(lambda c: c + '<iframe src="https://evil.example/"></iframe>'), 5, None),
    (
        "NC803",
        content(lambda c: c + '<img src="https://a.example/a.jpg" onerror="alert(1)">'),
        5,
        None,
    ),
    ("NC804", content(lambda c: c + '<a href="javascript:alert(1)">x</a>'), 5, None),
    ("NC805", content(lambda c: c + '<a href="/a/1.html">x</a>'), 5, None),
]


def applies(condition, text):
    if condition is None:
        return True
    if isinstance(condition, str):
        return condition in text
    return condition.search(text.split("\n")[4]) is not None


@pytest.mark.parametrize(("code", "inject", "line", "condition"), CASES, ids=[c[0] for c in CASES])
def test_injected_defect_is_reported_on_its_line(code, inject, line, condition):
    files = sample_files()
    if not files:
        missing("the shared corpus (../shared/corpus) is not present")
    checked = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        if not applies(condition, text):
            continue
        injected = inject(text)
        data = (
            injected if isinstance(injected, bytes) else injected.encode("utf-8", "surrogatepass")
        )
        result = newscheck.check_bytes(data, str(path))
        hits = [d.line for d in result.diagnostics if d.code == code]
        assert hits and hits[0] == line, (
            f"{path.name}: {code} expected on line {line}, got {result.diagnostics}"
        )
        assert "NC000" not in [d.code for d in result.diagnostics]
        checked += 1
    assert checked >= 3
