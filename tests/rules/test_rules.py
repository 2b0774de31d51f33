"""Every built-in rule: a failing example reported at its place, with every
diagnostic it gives (code, severity, line, column), and a passing one not.

The examples are the rules' own, declared beside each rule with ``@examples``
(newscheck/examples.py): a rule registered without a failing and a passing
example, or without naming the test that shows it, fails.
"""

from __future__ import annotations

import importlib
import inspect

import pytest

import newscheck
from newscheck import Severity
from newscheck.examples import BODY, DATE, JEKYLL

from ..helpers import CONTENT, ROOT, article, codes

RULES = newscheck.all_rules()
# Every failing example: (rule code, schema, text, every diagnostic: (code, severity,
# line, column)); a schema of None is the default one.
FAILING = [
    (rule.code, rule.examples.schema, fail.text, list(fail.hits))
    for rule in RULES
    if rule.examples
    for fail in rule.examples.fail
]
PASSING = [
    (rule.code, rule.examples.schema, text)
    for rule in RULES
    if rule.examples
    for text in rule.examples.passing
]
# Rules a single text cannot show, and the test that shows each of them.
ELSEWHERE = {
    rule.code: rule.examples.elsewhere
    for rule in RULES
    if rule.examples and rule.examples.elsewhere
}

# Every rule's default severity, as `newscheck rule` and the SARIF driver show it.
DEFAULT_SEVERITY = {
    **dict.fromkeys(["NC000", "NC001", "NC002", "NC003", "NC004"], "error"),
    "NC005": "warning",
    **dict.fromkeys(["NC006", "NC007", "NC008", "NC009", "NC010"], "error"),
    "NC011": "warning",
    "NC012": "error",
    "NC013": "error",
    **dict.fromkeys(["NC101", "NC102", "NC103", "NC104"], "error"),
    **dict.fromkeys(["NC201", "NC202", "NC203", "NC204"], "error"),
    "NC205": "warning",
    "NC206": "error",
    "NC207": "warning",
    "NC208": "warning",
    **dict.fromkeys(["NC301", "NC302", "NC303", "NC304"], "error"),
    "NC305": "warning",
    **dict.fromkeys(["NC401", "NC402", "NC403", "NC501"], "error"),
    "NC502": "info",
    "NC503": "warning",
    "NC504": "error",
    "NC601": "error",
    "NC602": "warning",
    **dict.fromkeys(["NC603", "NC701"], "error"),
    "NC702": "warning",
    **dict.fromkeys(["NC703", "NC704"], "error"),
    **dict.fromkeys(["NC705", "NC801"], "warning"),
    "NC802": "info",
    **dict.fromkeys(["NC803", "NC804"], "error"),
    "NC805": "warning",
    **dict.fromkeys(["NC901", "NC902", "NC903", "NC904"], "error"),
    **dict.fromkeys(["NC951", "NC952"], "warning"),
    "NC953": "info",
    "NC954": "error",
    **dict.fromkeys(["NC955", "NC956"], "warning"),
}


def every_hit(result: newscheck.FileResult) -> list[tuple[str, str, int, int]]:
    return [(d.code, str(d.severity), d.line, d.column) for d in result.diagnostics]


def checked(tmp_path, schema: str | None, text: str | bytes) -> newscheck.FileResult:
    """The result of ``text``: as a string with the default schema, else as a
    file (as the command line reads it) with ``schema``, YAML or a built-in name."""
    if schema is None:
        check = newscheck.check_bytes if isinstance(text, bytes) else newscheck.check_text
        return check(text)
    if "\n" in schema:
        (tmp_path / "schema.yaml").write_text(schema, encoding="utf-8")
        schema = newscheck.load_schema(tmp_path / "schema.yaml")
    path = tmp_path / "2024-03-05-tram-airport.md"  # the date a Jekyll post's name starts with
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return newscheck.check_file(path, schema)


def _ids(value: object) -> str:
    return value if isinstance(value, str) and value.startswith("NC") else ""


@pytest.mark.parametrize(("code", "schema", "text", "hits"), FAILING, ids=_ids)
def test_failing_example_is_reported_at_its_place(tmp_path, code, schema, text, hits):
    assert code in {c for c, *_ in hits}
    assert every_hit(checked(tmp_path, schema, text)) == hits


@pytest.mark.parametrize(("code", "schema", "text"), PASSING, ids=_ids)
def test_passing_examples_have_no_diagnostics(tmp_path, code, schema, text):
    assert every_hit(checked(tmp_path, schema, text)) == []


def test_every_registered_rule_has_examples_or_names_the_test_that_shows_it():
    lacking = [
        rule.code
        for rule in RULES
        if not rule.examples
        or bool(rule.examples.elsewhere) == bool(rule.examples.fail and rule.examples.passing)
    ]
    assert lacking == []


@pytest.mark.parametrize("code", sorted(ELSEWHERE))
def test_a_rule_shown_elsewhere_names_a_test_that_shows_it(code):
    module, name = ELSEWHERE[code].split(":")
    test = getattr(importlib.import_module(module), name)
    assert code in inspect.getsource(test)


def test_the_jekyll_example_is_the_documented_post():
    assert (ROOT / "docs" / "examples" / "jekyll" / "2024-03-05-tram-airport.md").read_text(
        "utf-8"
    ) == JEKYLL


def test_every_rule_has_its_default_severity():
    shown = {rule.code: str(rule.severity) for rule in newscheck.all_rules()}
    assert shown == DEFAULT_SEVERITY


def test_a_missing_rule_line_still_lets_title_and_body_be_checked():
    text = article(title="[标题 ](https://a.example/x)", rule=None, content=DATE + "<p>短。</p>")
    assert codes(text) == ["NC207", "NC401", "NC702"]


def test_timestamp_skew_is_configurable(tmp_path):
    schema = tmp_path / "loose.yaml"
    schema.write_text(
        "extends: feed-article\nrules:\n  timestamp-date-skew: {max_skew: 10000000}\n"
    )
    text = article(content=CONTENT.replace("20 Jul", "10 Jul"))
    assert "NC104" in codes(text)
    assert "NC104" not in codes(text, newscheck.load_schema(schema))


def test_future_is_relative_to_the_reference_time(tmp_path):
    schema = tmp_path / "then.yaml"
    schema.write_text("extends: feed-article\nrules:\n  NC103: {reference_time: 1500000000}\n")
    text = article()
    assert "NC103" not in codes(text)
    assert "NC103" in codes(text, newscheck.load_schema(schema))


def test_severity_comes_from_the_schema(tmp_path):
    schema = tmp_path / "strict.yaml"
    schema.write_text("extends: feed-article\nrules:\n  empty-date: error\n  NC805: off\n")
    text = article(content="<div></div>" + BODY + '<a href="/a/1.html">x</a>')
    default = newscheck.check_text(text)
    assert [(d.code, d.severity) for d in default.diagnostics] == [
        ("NC502", Severity.INFO),
        ("NC805", Severity.WARNING),
    ]
    strict = newscheck.check_text(text, schema=newscheck.load_schema(schema))
    assert [(d.code, d.severity) for d in strict.diagnostics] == [("NC502", Severity.ERROR)]


def test_diagnostic_carries_rule_name_message_and_end():
    (d,) = newscheck.check_text(article(timestamp="<!--NaN-->")).diagnostics
    assert (d.code, d.rule, d.severity) == ("NC102", "malformed-timestamp", Severity.ERROR)
    assert (d.line, d.column, d.end_line, d.end_column) == (1, 1, 1, 11)
    assert "13 digits" in d.message and "'<!--NaN-->'" in d.message


def test_invalid_utf8_is_reported_once_without_replacement_noise():
    text = (
        article(title="[中国](https://a.example/x)")
        .encode()
        .replace("中国".encode(), "中国".encode("gbk"))
    )
    assert codes(text) == ["NC001"]


def test_a_crashing_rule_becomes_an_internal_error(monkeypatch):
    from newscheck.registry import REGISTRY

    def boom(article, options):
        raise RuntimeError("boom")

    rule = REGISTRY["NC702"]
    monkeypatch.setitem(REGISTRY, "NC702", type(rule)(**{**rule.__dict__, "check": boom}))
    result = newscheck.check_text(article(timestamp="<!--NaN-->"))
    assert [d.code for d in result.diagnostics] == ["NC000", "NC102"]
    assert "NC702 short-body failed: RuntimeError: boom" in result.diagnostics[0].message


@pytest.mark.parametrize(
    ("length", "shown"), [(60, "y" * 60), (61, "y" * 59 + "…"), (200, "y" * 59 + "…")]
)
def test_what_was_found_instead_is_cut_at_sixty_characters(length, shown):
    text = "y" * length + "\n" + article().split("\n", 1)[1]
    (first, *_) = newscheck.check_text(text).diagnostics
    assert (first.code, first.message) == (
        "NC101",
        f"expected a timestamp comment such as '<!--1699465144000-->', found '{shown}'",
    )
