"""The CI output formats (github, junit, sarif, gitlab) as a user receives them."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import re
import socket
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes, urljoin, urlsplit

import pytest

from newscheck import Diagnostic, FileResult, Severity, __version__, all_rules
from newscheck.cli import main
from newscheck.reporters import ReportContext, Summary, sarif
from newscheck.reporters.github import escape_data, escape_property, plain
from newscheck.reporters.junit import JunitReporter

from ..helpers import CONTENT, ROOT, article, missing

SARIF_SCHEMA = (
    Path(__file__).resolve().parents[2].parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"
)

BAD = article(1, timestamp="<!--50%: NaN-->")
BAD_MESSAGE = "expected '<!--' + 13 digits (epoch milliseconds) + '-->', found '<!--50%: NaN-->'"
WARN = article(2, title="[标题 ](https://a.example/x)")
WARN_MESSAGE = "expected no whitespace after the title, found some"
EMPTY_DATE = article(
    3,
    content=CONTENT.replace(
        "<div><i>Mon, 20 Jul 2020 17:00:00 GMT</i></div>", "<div></div>"
    ).replace("。</p>", "。3</p>"),
)


def bad(n: int) -> str:
    """BAD as another article (not a duplicate of BAD)."""
    return article(10 + n, timestamp="<!--50%: NaN-->")


# sha256("NC102\0<!--50%: NaN-->") and sha256("NC207\0 "), first 16 hex digits
FINGERPRINTS = {"NC102": "3c7193cb558cd814", "NC207": "9e99e49cde7850bd"}
SUMMARY = "Checked 3 files: 1 error, 1 warning, 0 info (1 with errors).\n"


@pytest.fixture
def tree(tmp_path, monkeypatch):
    """a/bad,1.md (one error), a/good.md (clean), a/warn.md (one warning); cwd = tmp_path."""
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "bad,1.md").write_text(BAD, encoding="utf-8")
    (tmp_path / "a" / "good.md").write_text(article(), encoding="utf-8")
    (tmp_path / "a" / "warn.md").write_text(WARN, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)  # as when run outside GitHub Actions
    return tmp_path


def check(capsys, *args):
    code = main(["check", "--isolated", "--jobs", "1", *args])
    return code, capsys.readouterr().out


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a network connection fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


# GitHub Actions workflow commands


def test_github_annotations_escaped_then_the_summary(tree, capsys):
    assert check(capsys, "--output-format", "github", "a") == (
        1,
        "::error file=a/bad%2C1.md,line=1,col=1,endLine=1,endColumn=16,"
        "title=NC102 malformed-timestamp::"
        "expected '<!--' + 13 digits (epoch milliseconds) + '-->', found '<!--50%25: NaN-->'\n"
        "::warning file=a/warn.md,line=2,col=4,endLine=2,endColumn=5,"
        f"title=NC207 title-whitespace::{WARN_MESSAGE}\n" + SUMMARY,
    )


def test_github_info_is_a_notice(tree, capsys):
    (tree / "a" / "date.md").write_text(EMPTY_DATE, encoding="utf-8")
    out = check(capsys, "--output-format", "github", "a/date.md")[1]
    assert out == (
        "::notice file=a/date.md,line=5,col=1,endLine=5,endColumn=6,title=NC502 empty-date::"
        "expected a date in the date div, found it empty\n"
        "Checked 1 file: 0 errors, 0 warnings, 1 info (0 with errors).\n"
    )


def test_github_escaping_rules():
    assert escape_data("100% a:b,c\r\nd") == "100%25 a:b,c%0D%0Ad"
    assert escape_property("100% a:b,c\r\nd") == "100%25 a%3Ab%2Cc%0D%0Ad"
    # Past the cap a line break in a message must not start a command line of its own.
    d = Diagnostic("NC000", "internal-error", Severity.ERROR, "x\n::error::y\r", 1, 1, 1, 1)
    assert plain("p.md", d) == "p.md:1:1: NC000 internal-error [error] x\\n::error::y\\r"


def test_github_annotates_ten_of_each_kind_then_prints_plain_lines(tree, capsys):
    (tree / "a" / "bad,1.md").unlink()
    for n in range(12):
        (tree / "a" / f"e{n:02}.md").write_text(bad(n), encoding="utf-8")
    code, out = check(capsys, "--output-format", "github", "a")
    lines = out.splitlines()
    assert code == 1
    assert len(lines) == 12 + 1 + 1 + 1
    assert [line.split(",")[0] for line in lines[:10]] == [
        f"::error file=a/e{n:02}.md" for n in range(10)
    ]
    assert lines[10:] == [
        f"a/e10.md:1:1: NC102 malformed-timestamp [error] {BAD_MESSAGE}",
        f"a/e11.md:1:1: NC102 malformed-timestamp [error] {BAD_MESSAGE}",
        f"::warning file=a/warn.md,line=2,col=4,endLine=2,endColumn=5,title=NC207 title-whitespace::{WARN_MESSAGE}",
        "Checked 14 files: 12 errors, 1 warning, 0 info (12 with errors).",
        "2 errors, 0 warnings and 0 notices were not annotated"
        " (GitHub shows 10 of each kind per step); they are listed as plain lines in the log",
    ]


def test_github_says_what_was_not_annotated_in_the_step_summary(tree, capsys, monkeypatch):
    summary = tree / "step-summary.md"
    summary.write_text("Earlier step.\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    for n in range(11):
        (tree / "a" / f"e{n:02}.md").write_text(bad(n), encoding="utf-8")
    out = check(capsys, "--output-format", "github", "a")[1]
    assert out.splitlines()[-3:] == [
        f"a/e10.md:1:1: NC102 malformed-timestamp [error] {BAD_MESSAGE}",
        f"::warning file=a/warn.md,line=2,col=4,endLine=2,endColumn=5,title=NC207 title-whitespace::{WARN_MESSAGE}",
        "Checked 14 files: 12 errors, 1 warning, 0 info (12 with errors).",
    ]
    assert summary.read_text(encoding="utf-8") == (
        "Earlier step.\n"
        "newscheck: 2 errors, 0 warnings and 0 notices were not annotated"
        " (GitHub shows 10 of each kind per step); they are listed as plain lines in the log.\n"
    )


def test_github_no_final_notice_at_exactly_ten(tree, capsys):
    for n in range(9):
        (tree / "a" / f"e{n}.md").write_text(bad(n), encoding="utf-8")
    out = check(capsys, "--output-format", "github", "a")[1]
    assert out.count("::error ") == 10
    assert "::notice" not in out
    assert "[error]" not in out


@pytest.mark.parametrize("summary", [None, "no-such-folder/summary.md"])
def test_github_final_notice_counts_in_the_singular(tree, capsys, monkeypatch, summary):
    """The last line of the output without a step summary, or with one that cannot be written."""
    if summary is not None:
        monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tree / summary))
    for n in range(10):
        (tree / "a" / f"e{n}.md").write_text(bad(n), encoding="utf-8")
    out = check(capsys, "--output-format", "github", "a")[1]
    assert out.splitlines()[-1] == (
        "1 error, 0 warnings and 0 notices were not annotated"
        " (GitHub shows 10 of each kind per step); they are listed as plain lines in the log"
    )


# JUnit XML

JUNIT = f"""\
<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="newscheck" tests="3" failures="1" errors="0">
  <testsuite name="newscheck" tests="3" failures="1" errors="0" skipped="0">
    <testcase classname="newscheck" name="a/bad,1.md">
      <failure message="1 diagnostic" type="error">a/bad,1.md:1:1: NC102 malformed-timestamp [error] expected '&lt;!--' + 13 digits (epoch milliseconds) + '--&gt;', found '&lt;!--50%: NaN--&gt;'
</failure>
    </testcase>
    <testcase classname="newscheck" name="a/good.md" />
    <testcase classname="newscheck" name="a/warn.md">
      <system-out>a/warn.md:2:4: NC207 title-whitespace [warning] {WARN_MESSAGE}
</system-out>
    </testcase>
  </testsuite>
</testsuites>
"""


def test_junit_one_testcase_per_file_failures_only_for_errors(tree, capsys):
    code, out = check(capsys, "--output-format", "junit", "a")
    assert (code, out) == (1, JUNIT)
    suites = ET.fromstring(out)
    assert suites.tag == "testsuites"
    (suite,) = suites
    assert (suite.tag, suite.get("name"), suite.get("tests"), suite.get("failures")) == (
        "testsuite",
        "newscheck",
        "3",
        "1",
    )
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert list(cases) == ["a/bad,1.md", "a/good.md", "a/warn.md"]
    assert [child.tag for child in cases["a/bad,1.md"]] == ["failure"]
    assert cases["a/bad,1.md"][0].text == (
        f"a/bad,1.md:1:1: NC102 malformed-timestamp [error] {BAD_MESSAGE}\n"
    )
    assert list(cases["a/good.md"]) == []
    assert [child.tag for child in cases["a/warn.md"]] == ["system-out"]


def test_junit_failure_counts_every_diagnostic_of_the_file(tree, capsys):
    (tree / "a" / "both.md").write_text(
        article(timestamp="<!--NaN-->", title="[标题 ](https://a.example/x)"), encoding="utf-8"
    )
    out = check(capsys, "--output-format", "junit", "a/both.md")[1]
    (failure,) = ET.fromstring(out).iter("failure")
    assert failure.get("message") == "2 diagnostics"
    assert [line.split(" ")[1] for line in failure.text.splitlines()] == ["NC102", "NC207"]


def test_junit_is_well_formed_for_any_text():
    nasty = "a\x00b\x0bc\x1b[31md\ufffee\udcff <&>\"' ]]> \r\n"
    diagnostic = Diagnostic("NC004", "control-character", Severity.ERROR, nasty, 1, 1, 1, 2)
    stream = io.StringIO()
    reporter = JunitReporter(stream, ReportContext())
    result = FileResult(f"dir/{nasty}.md", (diagnostic,))
    reporter.file(result)
    summary = Summary()
    summary.add(result)
    reporter.finish(summary)
    (case,) = ET.fromstring(stream.getvalue()).iter("testcase")
    # the name and the failure text (the text format's line) show control characters,
    # noncharacters and bytes that are not UTF-8 as escapes, as every text output does
    shown = "a\\x00b\\x0bc\\x1b[31md\\ufffee\\xff <&>\"' ]]> \\r\\n"
    assert case.get("name") == f"dir/{shown}.md"
    assert shown in case[0].text


# SARIF


def sarif_validator():
    if not SARIF_SCHEMA.is_file():
        missing(f"the official SARIF schema ({SARIF_SCHEMA}) is not present")
    from jsonschema.validators import validator_for
    from referencing import Registry

    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    cls = validator_for(schema)
    cls.check_schema(schema)
    # An empty registry: only the schema's own #/definitions resolve, nothing is fetched.
    return cls(schema, registry=Registry())


def assert_valid_sarif(document):
    errors = sorted(sarif_validator().iter_errors(document), key=lambda e: e.json_path)
    assert [f"{e.json_path}: {e.message}" for e in errors] == []


def test_sarif_validates_against_the_official_schema(tree, capsys, no_network):
    code, out = check(capsys, "--output-format", "sarif", "a")
    assert code == 1
    assert_valid_sarif(json.loads(out))


def test_sarif_lists_every_rule(tree, capsys, no_network):
    code, out = check(capsys, "--output-format", "sarif", "a")
    assert code == 1
    document = json.loads(out)
    assert document["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert document["version"] == "2.1.0"
    (run,) = document["runs"]
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": tree.as_uri() + "/"}}
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("newscheck", __version__)
    assert driver["informationUri"].startswith("https://")
    rules = all_rules()
    assert [r["id"] for r in driver["rules"]] == [rule.code for rule in rules]
    nc102 = driver["rules"][[r["id"] for r in driver["rules"]].index("NC102")]
    assert sorted(nc102) == [
        "defaultConfiguration",
        "fullDescription",
        "help",
        "helpUri",
        "id",
        "name",
        "shortDescription",
    ]
    assert nc102["name"] == "malformed-timestamp"
    assert sorted(nc102["help"]) == ["markdown", "text"]
    assert nc102["help"]["text"] == nc102["fullDescription"]["text"]
    assert nc102["shortDescription"] == {
        "text": "The timestamp comment does not hold a 13-digit epoch in milliseconds."
    }
    assert nc102["helpUri"].endswith("/docs/rules.md#nc102-malformed-timestamp")
    assert nc102["defaultConfiguration"] == {"level": "error"}
    assert "<!--NaN-->" in nc102["fullDescription"]["text"]
    assert nc102["help"]["markdown"].startswith("## NC102 malformed-timestamp")
    levels = {r["id"]: r["defaultConfiguration"]["level"] for r in driver["rules"]}
    assert (levels["NC207"], levels["NC502"]) == ("warning", "note")
    bad, warn = run["results"]
    assert bad == {
        "ruleId": "NC102",
        "ruleIndex": [rule.code for rule in rules].index("NC102"),
        "level": "error",
        "message": {"text": BAD_MESSAGE},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": "a/bad%2C1.md", "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 16},
                }
            }
        ],
        "partialFingerprints": {"newscheckFingerprint/v1": FINGERPRINTS["NC102"]},
    }
    assert driver["rules"][warn["ruleIndex"]]["id"] == warn["ruleId"] == "NC207"
    assert warn["level"] == "warning"
    assert warn["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "a/warn.md"
    assert warn["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 2,
        "startColumn": 4,
        "endLine": 2,
        "endColumn": 5,
    }
    assert warn["partialFingerprints"] == {"newscheckFingerprint/v1": FINGERPRINTS["NC207"]}


def test_sarif_info_is_a_note_and_a_clean_run_has_empty_results(tree, capsys, no_network):
    (tree / "a" / "date.md").write_text(EMPTY_DATE, encoding="utf-8")
    document = json.loads(check(capsys, "--output-format", "sarif", "a/date.md")[1])
    assert [r["level"] for r in document["runs"][0]["results"]] == ["note"]
    document = json.loads(check(capsys, "--output-format", "sarif", "a/good.md")[1])
    assert document["runs"][0]["results"] == []
    assert_valid_sarif(document)


def test_sarif_paths_outside_the_working_directory_are_file_uris(tree, capsys, monkeypatch):
    (tree / "elsewhere").mkdir()
    monkeypatch.chdir(tree / "elsewhere")
    document = json.loads(check(capsys, "--output-format", "sarif", str(tree / "a"))[1])
    locations = [
        r["locations"][0]["physicalLocation"]["artifactLocation"]
        for r in document["runs"][0]["results"]
    ]
    assert locations == [
        {"uri": (tree / "a" / "bad,1.md").as_uri()},
        {"uri": (tree / "a" / "warn.md").as_uri()},
    ]


# Names a URI must escape: a scheme-like colon, a percent, a fragment mark, a
# space, a non-ASCII letter, and a byte that is not UTF-8.
URI_NAMES = [
    ("a:b.md", "a%3Ab.md"),
    ("50%.md", "50%25.md"),
    ("#1.md", "%231.md"),
    ("two words.md", "two%20words.md"),
    ("中.md", "%E4%B8%AD.md"),
    (os.fsdecode(b"caf\xe9.md"), "caf%E9.md"),
]


LINKS = "<p>" + '<a href="/x">a</a>' * 3 + "</p>"  # three NC805 of one fingerprint


def test_sarif_identical_defects_in_one_file_get_distinct_fingerprints(tree, capsys):
    (tree / "a" / "links.md").write_text(article(4, content=CONTENT + LINKS), encoding="utf-8")
    (tree / "b").mkdir()
    other = article(5, content=CONTENT + "<p>另一篇。</p>" + LINKS)  # not a duplicate of the first
    (tree / "b" / "links.md").write_text(other, encoding="utf-8")
    document = json.loads(check(capsys, "--output-format", "sarif", "a/links.md", "b")[1])
    assert_valid_sarif(document)
    shown = [
        (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["ruleId"],
            r["partialFingerprints"]["newscheckFingerprint/v1"],
        )
        for r in document["runs"][0]["results"]
    ]
    # sha256 of the code and the defective text, first 16 hex digits; then the occurrence index
    region = document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    line = (
        (tree / "a" / "links.md").read_text(encoding="utf-8").split("\n")[region["startLine"] - 1]
    )
    text = line[region["startColumn"] - 1 : region["endColumn"] - 1]
    assert text == '<a href="/x">'
    first = hashlib.sha256(f"NC805\0{text}".encode()).hexdigest()[:16]
    assert shown == [
        ("a/links.md", "NC805", first),
        ("a/links.md", "NC805", f"{first}:1"),
        ("a/links.md", "NC805", f"{first}:2"),
        ("b/links.md", "NC805", first),
        ("b/links.md", "NC805", f"{first}:1"),
        ("b/links.md", "NC805", f"{first}:2"),
    ]


def test_sarif_keeps_to_25000_results_and_says_how_many_were_left_out(tree, capsys):
    many = "<p>" + '<a href="/x">a</a>' * 25_003 + "</p>"
    (tree / "a" / "many.md").write_text(article(4, content=CONTENT + many), encoding="utf-8")
    code, out = check(capsys, "--output-format", "sarif", "a/many.md", "a/warn.md")
    assert code == 0  # NC805 and NC207 are warnings: the exit code counts every result
    document = json.loads(out)
    assert_valid_sarif(document)
    (run,) = document["runs"]
    results = run["results"]
    assert len(results) == 25_000
    assert {r["ruleId"] for r in results} == {"NC805"}  # the first 25,000 in the report's order
    assert results[-1]["partialFingerprints"]["newscheckFingerprint/v1"].endswith(":24999")
    assert run["invocations"] == [
        {
            "executionSuccessful": True,
            "toolExecutionNotifications": [
                {
                    "level": "warning",
                    "message": {
                        "text": "4 of 25004 results were left out: GitHub code scanning takes"
                        " at most 25000 results and 10 MB gzipped per run."
                        " Run newscheck with another output format to see them all."
                    },
                    "properties": {"resultsLeftOut": 4, "results": 25004},
                }
            ],
        }
    ]


def test_sarif_keeps_within_the_gzipped_size_and_truncates_deterministically(
    tree, capsys, monkeypatch
):
    for n in range(300):
        (tree / "a" / f"e{n:03}.md").write_text(bad(n), encoding="utf-8")
    whole = json.loads(check(capsys, "--output-format", "sarif", "a")[1])["runs"][0]
    total = len(whole["results"])
    assert total > 300 and "invocations" not in whole
    clean = check(capsys, "--output-format", "sarif", "a/good.md")[1]
    limit = len(gzip.compress(clean.encode())) + 3000  # room for a few dozen results
    monkeypatch.setattr(sarif, "MAX_GZIPPED", limit)
    monkeypatch.setattr(sarif, "GZIP_MARGIN", 1000)
    monkeypatch.setattr(sarif, "FLUSH_EVERY", 1000)
    out = check(capsys, "--output-format", "sarif", "a")[1]
    assert len(gzip.compress(out.encode())) <= limit
    document = json.loads(out)
    assert_valid_sarif(document)
    (run,) = document["runs"]
    kept = len(run["results"])
    assert 10 < kept < total
    assert run["results"] == whole["results"][:kept]
    (notification,) = run["invocations"][0]["toolExecutionNotifications"]
    assert notification["properties"] == {"resultsLeftOut": total - kept, "results": total}
    assert notification["message"]["text"].startswith(
        f"{total - kept} of {total} results were left out"
    )
    assert check(capsys, "--output-format", "sarif", "a")[1] == out


def test_sarif_uris_of_odd_names_are_exact_distinct_and_resolve_to_the_file(
    tmp_path, capsys, monkeypatch
):
    (tmp_path / "d i r").mkdir()
    for index, (name, _) in enumerate(URI_NAMES):
        (tmp_path / "d i r" / name).write_text(bad(index), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    document = json.loads(check(capsys, "--output-format", "sarif", "d i r")[1])
    run = document["runs"][0]
    locations = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in run["results"]]
    assert sorted(location["uri"] for location in locations) == sorted(
        f"d%20i%20r/{uri}" for _, uri in URI_NAMES
    )
    assert {location["uriBaseId"] for location in locations} == {"%SRCROOT%"}
    base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    for location in locations:
        # What a SARIF consumer does: resolve against the base, then read the file.
        resolved = urlsplit(urljoin(base, location["uri"]))
        assert resolved.scheme == "file", location["uri"]
        path = os.fsdecode(unquote_to_bytes(resolved.path))
        assert Path(path).read_text(encoding="utf-8").startswith("<!--50%: NaN-->")
    assert len({location["uri"] for location in locations}) == len(URI_NAMES)


def test_sarif_of_the_real_corpus_validates(corpus, capsys, monkeypatch, tmp_path, no_network):
    if not (corpus / "feed").is_dir():
        missing("the shared corpus has no feed/")
    monkeypatch.chdir(corpus)
    main(["check", "--isolated", "--output-format", f"sarif:{tmp_path / 'r.sarif'}", "feed"])
    document = json.loads((tmp_path / "r.sarif").read_text(encoding="utf-8"))
    assert_valid_sarif(document)
    results = document["runs"][0]["results"]
    assert results
    keys = set()
    for result in results:
        location = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert location["uriBaseId"] == "%SRCROOT%"
        assert location["uri"].isascii() and " " not in location["uri"]
        assert (corpus / unquote(location["uri"])).is_file()
        fingerprint = result["partialFingerprints"]["newscheckFingerprint/v1"]
        assert re.fullmatch(r"[0-9a-f]{16}(:[1-9][0-9]*)?", fingerprint)
        keys.add((location["uri"], fingerprint))
    assert len(keys) == len(results)  # code scanning tells every result apart


# GitLab Code Quality


def test_gitlab_issues(tree, capsys):
    code, out = check(capsys, "--output-format", "gitlab", "a")
    assert code == 1
    issues = json.loads(out)
    assert issues == [
        {
            "description": f"NC102 malformed-timestamp: {BAD_MESSAGE}",
            "check_name": "NC102",
            "fingerprint": sha256(f"a/bad,1.md\0{FINGERPRINTS['NC102']}\0{0}"),
            "severity": "major",
            "location": {"path": "a/bad,1.md", "lines": {"begin": 1}},
        },
        {
            "description": f"NC207 title-whitespace: {WARN_MESSAGE}",
            "check_name": "NC207",
            "fingerprint": sha256(f"a/warn.md\0{FINGERPRINTS['NC207']}\0{0}"),
            "severity": "minor",
            "location": {"path": "a/warn.md", "lines": {"begin": 2}},
        },
    ]
    # The same report whether the paths are given relative or absolute.
    assert json.loads(check(capsys, "--output-format", "gitlab", str(tree / "a"))[1]) == issues


def sha256(text):
    return hashlib.sha256(text.encode()).hexdigest()


def test_gitlab_fingerprints_unique_for_identical_diagnostics(tree, capsys):
    links = '<p><a href="/x">a</a><a href="/x">b</a></p>'
    (tree / "a" / "links.md").write_text(article(4, content=CONTENT + links), encoding="utf-8")
    (tree / "a" / "date.md").write_text(EMPTY_DATE, encoding="utf-8")
    issues = json.loads(check(capsys, "--output-format", "gitlab", "a")[1])
    assert [(i["location"]["path"], i["check_name"], i["severity"]) for i in issues] == [
        ("a/bad,1.md", "NC102", "major"),
        ("a/date.md", "NC502", "info"),
        ("a/links.md", "NC805", "minor"),
        ("a/links.md", "NC805", "minor"),
        ("a/warn.md", "NC207", "minor"),
    ]
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_gitlab_clean_run_is_an_empty_array(tree, capsys):
    assert check(capsys, "--output-format", "gitlab", "a/good.md") == (0, "[\n]\n")


# Several outputs in one run


def test_text_to_stdout_and_sarif_and_junit_to_files(tree, capsys, tmp_path):
    code, out = check(
        capsys,
        "--output-format",
        "text",
        "--output-format",
        f"sarif:{tmp_path}/r.sarif",
        "--output-format",
        f"junit:{tmp_path}/r.xml",
        "a",
    )
    assert code == 1
    assert out == (
        f"a/bad,1.md:1:1: NC102 malformed-timestamp [error] {BAD_MESSAGE}\n"
        f"a/warn.md:2:4: NC207 title-whitespace [warning] {WARN_MESSAGE}\n" + SUMMARY
    )
    sarif = json.loads((tmp_path / "r.sarif").read_text(encoding="utf-8"))
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["NC102", "NC207"]
    assert (tmp_path / "r.xml").read_text(encoding="utf-8") == JUNIT


# JSON and JSON lines: the bytes, non-ASCII text unescaped


@pytest.fixture
def chinese(tmp_path, monkeypatch):
    (tmp_path / "文").mkdir()
    (tmp_path / "文" / "好.md").write_text(article(), encoding="utf-8")
    (tmp_path / "文" / "坏.md").write_text(article(1, timestamp="<!--坏-->"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


NC102_BAD = (
    '"code": "NC102", "rule": "malformed-timestamp", "severity": "error", "message": '
    "\"expected '<!--' + 13 digits (epoch milliseconds) + '-->', found '<!--坏-->'\", "
    '"line": 1, "column": 1, "end_line": 1, "end_column": 9}'
)
JSON_SUMMARY = (
    '], "summary": {"files": FILES, "files_with_errors": 1, "errors": 1, "warnings": 0, '
    '"info": 0}}\n'
)


def test_json_bytes(chinese, capsys):
    assert check(capsys, "--output-format", "json", "文") == (
        1,
        '{"version": 1, "files": [\n'
        f'{{"path": "文/坏.md", "diagnostics": [{{{NC102_BAD}]}},\n'
        '{"path": "文/好.md", "diagnostics": []}\n' + JSON_SUMMARY.replace("FILES", "2"),
    )


def test_json_names_the_schema_auto_chose(chinese, capsys):
    jekyll = ROOT / "docs" / "examples" / "jekyll" / "2024-03-05-tram-airport.md"
    (chinese / "文" / jekyll.name).write_bytes(jekyll.read_bytes())
    assert check(capsys, "--schema", "auto", "--output-format", "json", "文") == (
        1,
        '{"version": 1, "files": [\n'
        '{"path": "文/2024-03-05-tram-airport.md", "schema": "jekyll-feed-article", '
        '"diagnostics": []},\n'
        f'{{"path": "文/坏.md", "schema": "feed-article", "diagnostics": [{{{NC102_BAD}]}},\n'
        '{"path": "文/好.md", "schema": "feed-article", "diagnostics": []}\n'
        + JSON_SUMMARY.replace("FILES", "3"),
    )


def test_json_lines_bytes(chinese, capsys):
    assert check(capsys, "--output-format", "jsonl", "文") == (
        1,
        f'{{"path": "文/坏.md", {NC102_BAD}\n',
    )
