"""Loading declared schemas: built-ins, extends, located errors, no network."""

from __future__ import annotations

import pytest

import newscheck
from newscheck import yamlpos
from newscheck.schema import SchemaError, builtin_dir, builtin_names, load_schema

from ..helpers import article, codes


def write(tmp_path, text, name="schema.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path):
    with pytest.raises(SchemaError) as caught:
        load_schema(path)
    return caught.value


@pytest.mark.parametrize("name", sorted(p.name for p in builtin_dir().iterdir() if p.is_file()))
def test_a_builtin_schema_read_by_libyaml_has_the_data_and_positions_pyyaml_gives(name):
    text = (builtin_dir() / name).read_text(encoding="utf-8")
    assert yamlpos.load(text, trusted=True) == yamlpos.load(text)
    data, positions = yamlpos.load(text, trusted=True)
    assert data and len(positions) > 10


def test_builtin_feed_article_is_the_default():
    schema = load_schema()
    assert schema.name == "feed-article"
    assert [p.name for p in schema.layout] == ["timestamp", "title", "rule", "blank", "content"]
    assert "feed-article" in builtin_names()


def test_a_json_schema_file_works_too(tmp_path):
    path = write(
        tmp_path, '{"extends": "feed-article", "rules": {"NC702": {"min_chars": 5}}}', "s.json"
    )
    assert load_schema(path).rules["NC702"].options["min_chars"] == 5


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ("layout: [\n  {part: a, match: '('}\n]\n", 2, 20, "invalid regular expression"),
        ("layout:\n  - part: a\n    mtach: x\n", 2, 5, "'mtach' was unexpected"),
        ("extends: feed-article\nrules:\n  NC999: error\n", 3, 3, "unknown rule 'NC999'"),
        ("extends: feed-article\nrules:\n  short-body: {min_char: 3}\n", 3, 15, "NC702 short-body"),
        (
            "extends: feed-article\nrules:\n  short-body: {min_chars: many}\n",
            3,
            27,
            "'many' is not of type 'integer'",
        ),
        ("extends: feed-article\nrules:\n  NC702: loud\n", 3, 10, "rules.NC702"),
        ("layout: [\n  {part: a, match: x\n", 3, 1, "expected"),
        ("- just\n- a list\n", 1, 1, "must be a mapping"),
        ("name: x\n", 1, 1, "needs a 'layout'"),
        ("extends: no-such-schema\n", 1, 10, "no schema file or built-in schema 'no-such-schema'"),
        (
            "extends: feed-article\nextract:\n  date: {xpath: '//div[', value: text}\n",
            3,
            17,
            "invalid XPath",
        ),
        (
            "extends: feed-article\nextract:\n  date: {css: 'div >> i'}\n",
            3,
            15,
            "invalid CSS selector",
        ),
        ("extends: feed-article\nrecord: {type: 12}\n", 2, 16, "not a valid JSON Schema"),
        ("layout:\n  - {part: a, match: x}\n  - {part: a, match: y}\n", 2, 3, "repeated: a"),
    ],
)
def test_broken_schema_is_reported_at_file_line_col(tmp_path, text, line, column, words):
    path = write(tmp_path, text)
    error = error_of(path)
    assert (error.path, error.line, error.column) == (str(path), line, column)
    assert words in error.message
    assert str(error).startswith(f"{path}:{line}:{column}: ")


def test_extends_patches_parts_by_name_and_merges_rules(tmp_path):
    path = write(
        tmp_path,
        "extends: feed-article\nlayout:\n  - {part: timestamp, required: false}\n"
        "rules:\n  NC502: error\n",
    )
    schema = load_schema(path)
    assert [p.name for p in schema.layout][:2] == ["timestamp", "title"]
    assert codes(article(timestamp=None), schema) == []
    assert codes(article(timestamp=None)) == ["NC101"]


def test_extends_can_insert_a_part_after_another(tmp_path):
    path = write(
        tmp_path,
        "extends: feed-article\nlayout:\n  - {part: byline, match: 'By (?P<author>.+)', after: rule}\n"
        "  - {part: blank, required: false}\n",
    )
    schema = load_schema(path)
    assert [p.name for p in schema.layout] == [
        "timestamp",
        "title",
        "rule",
        "byline",
        "blank",
        "content",
    ]
    text = article(blank="By 记者")
    assert codes(text, schema) == []
    assert codes(article(), schema) == ["NC902"]


def test_extends_cycle_is_an_error(tmp_path):
    write(tmp_path, "extends: b.yaml\n", "a.yaml")
    write(tmp_path, "extends: a.yaml\n", "b.yaml")
    assert "extends itself" in error_of(tmp_path / "a.yaml").message


def test_yaml_tags_that_run_code_are_refused(tmp_path):
    path = write(tmp_path, "name: !!python/object/apply:os.system ['echo hi']\nlayout: []\n")
    error = error_of(path)
    assert error.line == 1 and "python/object/apply" in error.message


def test_record_constraints_are_reported_on_the_field(tmp_path):
    path = write(
        tmp_path,
        "extends: feed-article\nrecord:\n  properties:\n    title: {maxLength: 3}\n"
        "  required: [date]\n",
    )
    schema = load_schema(path)
    result = newscheck.check_text(article(), schema=schema)
    assert [(d.code, d.line, d.column) for d in result.diagnostics] == [("NC901", 2, 2)]
    assert "title: '韩正表态愿与美加强沟通' is too long" in result.diagnostics[0].message
    no_date = newscheck.check_text(
        article(content="<p>中国国家副主席韩正周三表示，中美双方进行高层对话。</p>"), schema=schema
    )
    assert [d.message for d in no_date.diagnostics if d.code == "NC901"] == [
        "title: '韩正表态愿与美加强沟通' is too long",
        "record: 'date' is a required property",
    ]


def test_local_ref_resolves_and_remote_ref_is_never_fetched(tmp_path):
    """The suite refuses network access (tests/offline): a fetch would fail the test."""
    write(tmp_path, '{"type": "string", "maxLength": 3}', "short.json")
    local = write(
        tmp_path, "extends: feed-article\nrecord:\n  properties:\n    title: {$ref: short.json}\n"
    )
    assert "NC901" in codes(article(), load_schema(local))
    remote = write(
        tmp_path,
        "extends: feed-article\nrecord:\n  properties:\n    title: {$ref: 'https://example.com/s.json'}\n",
        "remote.yaml",
    )
    error = error_of(remote)
    assert (error.line, error.column) == (4, 19)
    assert "'https://example.com/s.json' is remote" in error.message
    missing = write(
        tmp_path, "extends: feed-article\nrecord: {$ref: nowhere.json}\n", "missing.yaml"
    )
    assert (
        "'nowhere.json' is neither beside this schema nor a built-in" in error_of(missing).message
    )


@pytest.mark.parametrize("name", builtin_names())
def test_builtin_schemas_pass_the_meta_schema(name):
    from newscheck.schema import _Document, resolve_path

    _Document(resolve_path(name)).validate()


def test_xpath_errors_that_show_only_when_evaluated_are_schema_errors(tmp_path):
    path = write(tmp_path, "extends: feed-article\nextract:\n  x: {xpath: '//p[foo()]'}\n")
    error = error_of(path)
    assert (error.line, error.column) == (3, 14)
    assert "invalid XPath '//p[foo()]'" in error.message


def test_internal_error_cannot_be_configured(tmp_path):
    path = write(tmp_path, "extends: feed-article\nrules:\n  internal-error: off\n")
    assert "internal-error cannot be configured" in error_of(path).message


def test_newscheck_own_json_schemas_are_not_layouts():
    assert "config-schema" not in builtin_names()
    with pytest.raises(FileNotFoundError):
        load_schema("config-schema")
