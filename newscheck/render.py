"""Article text from field values: the inverse of parsing.

A layout part may declare a ``render`` template, ``str.format`` syntax over
the part's named groups (``'[{title}]({url})'``); a block's template names the
block itself (``'{content}'``). :func:`render` writes the parts top to bottom,
each followed by one ``\\n``, so rendering the fields of a sound article gives
back its text byte for byte (:func:`fields_of` reads them).

:class:`ArticleFactory` builds a sound article for a schema from defaults and
the fields a test gives, and checks that the text reads back as given.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from datetime import UTC, datetime
from html import escape
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from .article import Article, Status
from .blocks import kind_of
from .blocks.base import RenderError, wrapped
from .dates import zone_of
from .parse import parse
from .source import from_text

if TYPE_CHECKING:
    from .schema import PartSpec, Schema


def template_names(part: PartSpec) -> tuple[str, ...]:
    """The field names a part's ``render`` template uses, in order."""
    if part.render is None:
        return ()
    return tuple(
        name for _, name, _, _ in string.Formatter().parse(part.render) if name is not None
    )


def check_templates(schema: Schema) -> None:
    """Raise :class:`RenderError` unless every part of the layout has a template."""
    for part in schema.layout:
        if part.render is None:
            raise RenderError(
                f"schema {schema.name!r}: part {part.name!r} has no 'render' template"
            )


def rendered_parts(schema: Schema, fields: Mapping[str, str | None]) -> tuple[tuple[str, str], ...]:
    """Each written part's name and text, top to bottom.

    An optional part (``required: false``) is left out when none of its
    fields has a value; a required part must have them all.
    """
    check_templates(schema)
    written = []
    for part in schema.layout:
        assert part.render is not None
        names = template_names(part)
        absent = [name for name in names if fields.get(name) is None]
        if absent and not part.required and len(absent) == len(names):
            continue
        if absent:
            raise RenderError(f"part {part.name!r} needs a value for {absent[0]!r}")
        written.append((part.name, part.render.format_map({n: fields[n] for n in names})))
    return tuple(written)


def render(schema: Schema, fields: Mapping[str, str | None]) -> str:
    """The article text: every part rendered, each ending with ``\\n``."""
    return "".join(text + "\n" for _, text in rendered_parts(schema, fields))


def fields_of(article: Article) -> dict[str, str]:
    """What :func:`render` needs to write ``article`` back: the named groups
    of its matched line parts and the text of its blocks."""
    assert article.schema is not None
    values: dict[str, str] = {}
    for spec in article.schema.layout:
        part = article.part(spec.name)
        if part is None or part.status is not Status.OK:
            continue
        if spec.block is None:
            values.update({name: field.value for name, field in part.fields.items()})
        else:
            values[spec.name] = article.source.slice(part.span)
    return values


# The feed's HTML, as feedx.net writes it (see FORMAT.md): a date div, lead
# media with a caption, then the body.


def date_div(date: str, author: str | None = None, italic: bool = True) -> str:
    """``<div><i>DATE</i></div>``, with ``AUTHOR<br>`` before the date, or
    (``italic=False``, as RFI writes it) ``<div>DATE</div>``."""
    text = escape(date, quote=False)
    if author is not None:
        text = f"{escape(author, quote=False)}<br>{text}"
    return f"<div><i>{text}</i></div>" if italic else f"<div>{text}</div>"


def image(src: str, caption: str | None = None, attributes: str = "") -> str:
    """An ``<img>``, with the caption div that follows it when ``caption`` is given."""
    html = f'<img src="{escape(src)}"{attributes}>'
    if caption is not None:
        html += f'<div><small style="color: #999;">{escape(caption, quote=False)}</small></div>'
    return html


def date_text(form: Mapping[str, Any], when: datetime) -> str:
    """``when`` (aware) written in a date form of the ``unparseable-date``
    rule: with its own offset where the form has ``%z``, else in the form's
    zone (its ``utc_offset`` or ``timezone``; UTC without either)."""
    if "%z" not in form["format"]:
        when = when.astimezone(zone_of(form.get("utc_offset") or form.get("timezone")))
    return when.strftime(form["format"])


def default_date(schema: Schema, milliseconds: int) -> str:
    """An epoch time in milliseconds in the schema's first date form."""
    form = schema.rules["NC501"].options["formats"][0]
    return date_text(form, datetime.fromtimestamp(milliseconds // 1000, UTC))


# The pieces of an HTML block, each with the extracted field that reads it
# back: a piece is written only when the schema extracts that field.
# ``body_html``, the rest of the block, is always written.
CONTENT_PIECES = MappingProxyType({"date": "date", "image": "images", "caption": "caption"})

DEFAULTS = MappingProxyType(
    {
        "timestamp": "1595267727000",
        "title": "韩正表态愿与美加强沟通",
        "url": "https://www.voachinese.com/a/7346550.html",
        "image": "https://images.weserv.nl?url=gdb.voanews.com/a.jpg",
        "caption": "资料照：布林肯在纽约。",
        "body_html": "<p>中国国家副主席韩正周三表示，中美双方进行高层对话有助于改善两国关系。</p>",
    }
)  # and "date": the timestamp's time, as default_date() writes it


def html_block(schema: Schema) -> PartSpec | None:
    """The layout's content block (``block: html``), if it has one."""
    return next((part for part in schema.layout if (k := kind_of(part)) and k.content), None)


def content_pieces(schema: Schema) -> tuple[str, ...]:
    """The piece keywords that build this schema's HTML block (none without one)."""
    if html_block(schema) is None:
        return ()
    extracted = {spec.name for spec in schema.extract}
    found = [piece for piece, name in CONTENT_PIECES.items() if name in extracted]
    return (*found, "body_html")


class ArticleFactory:
    """Sound article text for a schema, with any field given explicitly.

    Keywords are the names the layout's templates use (for feed-article
    ``timestamp``, ``title``, ``url`` and ``content``, the whole HTML line)
    and the pieces of the HTML block: ``date`` (the date div's text),
    ``image`` (a src), ``caption`` and ``body_html``. ``None`` leaves a piece
    or an optional part out. ``timestamp`` also takes an int (epoch
    milliseconds) or a datetime (naive means UTC); ``date`` follows it unless
    given. Values are written as given, so a test can build a defect too.
    """

    def __init__(self, schema: Schema) -> None:
        check_templates(schema)
        self.schema = schema
        self.block = html_block(schema)
        self.groups = tuple(
            name for part in schema.layout if part.block is None for name in template_names(part)
        )
        self.pieces = content_pieces(schema)
        self.written = {
            part: kind.write for part in schema.layout if (kind := kind_of(part)) and kind.write
        }  # the blocks the factory writes when a test gives none
        blocks = [part.name for part in (self.block, *self.written) if part is not None]
        self.names = tuple(dict.fromkeys([*self.groups, *blocks, *self.pieces]))

    def __call__(self, **fields: Any) -> str:
        unknown = sorted(set(fields) - set(self.names))
        if unknown:
            raise TypeError(
                f"article_factory() got unknown field {unknown[0]!r} "
                f"(fields of {self.schema.name}: {', '.join(self.names)})"
            )
        given = {name: _text(name, value) for name, value in fields.items()}
        values: dict[str, str | None] = {k: v for k, v in DEFAULTS.items() if k in self.names}
        values.update(given)
        if "date" in self.names and "date" not in given:
            stamp = values.get("timestamp") or DEFAULTS["timestamp"]
            values["date"] = default_date(self.schema, int(stamp)) if stamp.isdigit() else None
        if self.block is not None and self.block.name not in given:
            values[self.block.name] = wrapped(self.block, self.content(values))
        stamp = values.get("timestamp") or DEFAULTS["timestamp"]
        for part, write in self.written.items():
            if part.name not in given:
                milliseconds = int(stamp) if stamp.isdigit() else int(DEFAULTS["timestamp"])
                values[part.name] = write(self.schema, part, values, milliseconds)
        text = render(self.schema, values)
        self._check(text, values, given)
        return text

    def content(self, values: Mapping[str, str | None]) -> str:
        """The HTML block from its pieces: date div, image and caption, body."""
        html = ""
        date, src = values.get("date"), values.get("image")
        if "date" in self.pieces and date is not None:
            html += date_div(date)
        if "image" in self.pieces and src is not None:
            html += image(src, values.get("caption") if "caption" in self.pieces else None)
        return html + (values.get("body_html") or "")

    def _check(self, text: str, values: Mapping[str, str | None], given: Mapping[str, Any]) -> None:
        """Every part is found and every field given reads back as given."""
        article = parse(from_text(text), self.schema)
        for part in article.parts.values():
            if part.status is Status.MALFORMED or (part.status is Status.MISSING and part.required):
                raise RenderError(
                    f"article_factory: part {part.name!r} is {part.status.value} "
                    f"in the written text {text!r}"
                )
        if article.trailing is not None:
            raise RenderError(f"article_factory: the written text runs past the layout: {text!r}")
        for name, value in given.items():
            if value is None or name not in (*self.groups, "date", "image", "caption"):
                continue
            if name == "image":
                found = (article.value("images") or (None,))[0]
            elif name == "caption" and values.get("image") is None:
                continue
            else:
                found = article.value(name)
            if found != value:
                raise RenderError(
                    f"article_factory: {name}={value!r} does not read back: "
                    f"the parser finds {found!r}"
                )


def _text(name: str, value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if name == "timestamp" and isinstance(value, datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        return str(round(aware.timestamp() * 1000))
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise TypeError(f"article_factory(): {name} must be a string, not {type(value).__name__}")
