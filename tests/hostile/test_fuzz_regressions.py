"""Inputs the fuzzers found newscheck failing on, minimised, with the result a
user now gets for each (docs/robustness.md, "Fuzzing")."""

from __future__ import annotations

import pytest

import newscheck
from tests.helpers import found

from .fuzz_target import check


def test_control_character_in_front_matter_is_a_located_yaml_error():
    # pyyaml refused the form feed before parsing: an internal error (NC000)
    data = b"---\ntitle: a\x0c\n---\n"
    assert ("NC903", 2, 9) in found(data, "jekyll-feed-article")
    check(data)


def test_control_character_in_a_schema_file_is_a_located_schema_error(tmp_path):
    path = tmp_path / "schema.yaml"
    path.write_bytes(b'name: x\nextends: feed-article\ndescription: "a\x0cb"\n')
    with pytest.raises(newscheck.SchemaError) as error:
        newscheck.load_schema(path)
    message = "unacceptable character U+000C: special characters are not allowed"
    assert str(error.value) == f"{path}:3:16: {message}"


def test_unclosed_bracket_before_the_host_is_an_invalid_url():
    # the per-file facts asked the URL for its host: ValueError escaped check_bytes
    data = b"<!--1595267727000-->\n[t](https://[x)\n------\n\n<p>b</p>\n"
    assert ("NC305", 2, 5) in found(data)
    assert newscheck.check_bytes(data).facts["host"] is None
    check(data)


def test_a_failure_in_the_facts_is_an_internal_error_of_that_file(monkeypatch):
    # the facts for the checks across files ran outside the engine's guard
    from tests.helpers import article

    def broken(article):
        raise ValueError("no host")

    monkeypatch.setattr("newscheck.engine.facts", broken)
    result = newscheck.check_text(article())
    assert [(d.code, d.message) for d in result.diagnostics] == [
        ("NC000", "the facts for the checks across files failed: ValueError: no host")
    ]
    assert result.facts == {}
