"""The registry of layout block kinds: a kind registered in one place is
accepted by the meta-schema, parsed, written by the factory, drawn by the
strategies and read by the record rule and ``schema infer``."""

from __future__ import annotations

import json
from dataclasses import replace
from types import MappingProxyType

import pytest
import yaml
from hypothesis import given, settings

import newscheck
from newscheck.article import Field, Status
from newscheck.blocks import KINDS
from newscheck.blocks.base import BlockKind, Parsed
from newscheck.infer import infer
from newscheck.render import ArticleFactory
from newscheck.schema import SchemaError, builtin_dir
from newscheck.strategies import articles

# feed-article with a line of JSON after the timestamp
NOTED = """\
name: noted
extends: feed-article
layout:
  - {part: meta, block: json, max_lines: 1, render: '{meta}', after: timestamp}
record:
  properties:
    meta:
      type: object
      required: [id]
      properties: {id: {type: integer}}
"""


def _parse(part, span, source):
    try:
        data = json.loads(source.slice(span))
    except ValueError as error:
        malformed = replace(part, status=Status.MALFORMED)
        return Parsed(malformed, (span, f"expected JSON in part {part.name!r}: {error.msg}"))
    fields = {part.name: Field(part.name, data, span)}
    for key, value in data.items():
        fields[f"{part.name}.{key}"] = Field(f"{part.name}.{key}", value, span)
    return Parsed(replace(part, fields=MappingProxyType(fields)))


def _write(schema, part, values, milliseconds, data=None):
    return json.dumps({"id": 7} if data is None else data, sort_keys=True)


def _strategy(schema, part, drawing):
    data = drawing.values(schema.record["properties"][part.name], part.name)
    return lambda draw, values, milliseconds: _write(schema, part, values, milliseconds, draw(data))


JSON = BlockKind("json", _parse, mapping=True, write=_write, strategy=_strategy)


@pytest.fixture
def noted(tmp_path):
    path = tmp_path / "noted.yaml"
    path.write_text(NOTED, encoding="utf-8")
    return path


def errors(text, schema):
    result = newscheck.check_text(text, schema=schema)
    return [(d.code, d.line, d.column, d.message) for d in result.diagnostics]


def test_the_shipped_meta_schema_lists_the_registered_kinds():
    meta = json.loads((builtin_dir() / "meta-schema.json").read_text(encoding="utf-8"))
    assert meta["$defs"]["part"]["properties"]["block"]["enum"] == sorted(KINDS)
    assert sorted(KINDS) == ["html", "text", "yaml"]


def test_a_kind_not_registered_is_refused(noted):
    with pytest.raises(SchemaError) as error:
        newscheck.load_schema(noted)
    assert str(error.value) == (
        f"{noted}:4:25: layout.0.block: 'json' is not one of ['html', 'text', 'yaml']"
    )


def test_a_registered_kind_is_parsed_written_drawn_and_inferred(noted, tmp_path, monkeypatch):
    monkeypatch.setitem(KINDS, "json", JSON)
    schema = newscheck.load_schema(noted)

    text = ArticleFactory(schema)()
    lines = text.split("\n")
    assert lines[:3] == [
        "<!--1595267727000-->",
        '{"id": 7}',
        "[韩正表态愿与美加强沟通](https://www.voachinese.com/a/7346550.html)",
    ]
    assert errors(text, schema) == []

    wrong = "\n".join([lines[0], '{"id": "a"}', *lines[2:]])
    assert errors(wrong, schema) == [("NC901", 2, 1, "meta/id: 'a' is not of type 'integer'")]
    broken = "\n".join([lines[0], '{"id": 7', *lines[2:]])
    assert errors(broken, schema) == [
        ("NC903", 2, 1, "expected JSON in part 'meta': Expecting ',' delimiter")
    ]

    @settings(max_examples=20, deadline=None)
    @given(articles(schema))
    def sound(drawn):
        assert errors(drawn, schema) == []
        assert isinstance(json.loads(drawn.split("\n")[1])["id"], int)

    sound()

    folder = tmp_path / "articles"
    folder.mkdir()
    for number in (1, 2):
        (folder / f"{number}.md").write_text(
            text.replace('{"id": 7}', f'{{"id": {number}, "n": 0}}'), encoding="utf-8"
        )
    proposed = yaml.safe_load(infer([str(folder)], base=str(noted)))
    assert proposed["record"]["properties"] == {
        "meta": {
            "required": ["id", "n"],
            "properties": {"id": {"type": "integer"}, "n": {"type": "integer"}},
        }
    }


def test_a_kind_without_a_strategy_is_given_not_drawn(noted, monkeypatch):
    monkeypatch.setitem(KINDS, "json", JSON._replace(strategy=None))
    schema = newscheck.load_schema(noted)
    with pytest.raises(
        ValueError,
        match=r"no values are drawn for a json block: give part 'meta' of schema noted as meta=",
    ):
        articles(schema)

    @settings(max_examples=5, deadline=None)
    @given(articles(schema, meta='{"id": 3}'))
    def given_meta(drawn):
        assert drawn.split("\n")[1] == '{"id": 3}'
        assert errors(drawn, schema) == []

    given_meta()
