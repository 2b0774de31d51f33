"""Hypothesis strategies: article texts for a declared schema, sound or with one defect.

::

    from hypothesis import given
    from newscheck.strategies import articles, defects

    @given(articles(title="固定的标题"))
    def test_reader_accepts_sound_articles(text): ...

    @given(defects())
    def test_reader_rejects_defects(defect):
        text, code, line, rule, message = defect

Texts are derived from the schema: each named group of a layout part gets
values drawn for its name (``timestamp``, ``title``, ``url``, ``date``) when
they fit the group's pattern, and from the group's own pattern otherwise; an
HTML block is built from the fields the schema extracts (a date div for
``date``, lead media for ``images`` and ``caption``, paragraphs for
``body``); the parts are written with the layout's ``render`` templates
(:mod:`newscheck.render`). A sound article draws no diagnostic at all from
the schema's rules.

Importing this module imports hypothesis; nothing else in newscheck does.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple, cast
from urllib.parse import quote

from hypothesis import assume
from hypothesis import strategies as st

from .blocks import kind_of
from .blocks.base import BlockDrawer, Drawing
from .choice import link_host
from .dates import Reading, reader_of
from .examples import Plant
from .mojibake import opening_characters
from .render import (
    DEFAULTS,
    check_templates,
    content_pieces,
    date_div,
    date_text,
    default_date,
    html_block,
    image,
    rendered_parts,
    template_names,
    wrapped,
)
from .rules import all_rules, lookup
from .schema import PartSpec, Profile, Schema, load_schema

__all__ = ["Defect", "articles", "defective_articles", "defects", "injectable_codes"]

SchemaLike = Schema | str | Path


class Defect(NamedTuple):
    """An article text with one injected defect: the code and rule name that
    report it, its line, and a regular expression its message matches (the
    rule's ``@examples(message=...)``)."""

    text: str
    code: str
    line: int
    rule: str
    message: str


# --- field values -------------------------------------------------------------

_EARLIEST_MS, _LATEST_MS = 1_000_000_000_000, 1_735_689_600_000  # 13 digits, 2001..2025
_CJK_WORDS = (
    "中国 美国 香港 台湾 北京 华盛顿 疫情 新冠 贸易战 外交部 国务院 人大 选举 制裁 抗议 "
    "经济 股市 央行 南中国海 东盟 一带一路 华为 习近平 拜登 特朗普 蔡英文 人权 新疆 西藏 "
    "记者 评论 分析 独家 专访 视频 图集 快讯 更新 乌克兰 俄罗斯 欧盟 联合国"
)
_CJK = tuple(_CJK_WORDS.split())
_LATIN_WORDS = "FBI WHO TikTok G7 NBA Apple 5G COVID-19 H&M AP iPhone CEO AI NATO 2020 100"
_LATIN = tuple(_LATIN_WORDS.split())
_PAIRS = (("[", "]"), ("(", ")"), ("（", "）"), ("【", "】"), ("《", "》"), ("「", "」"))
_TITLE_GAPS = ("", " ", "：", "，", "｜", " | ", "|", "　", "  ", "！", "？", "、", "——")
_SENTENCE_ENDS = ("。", "！", "？", "：", "……", ".")
_ENTITIES = ("&amp;", "&nbsp;", "&quot;", "&#8220;", "&#8221;", "&lt;", "&gt;", " H&M ", "\u00a0")
_HOSTS = (
    "www.voachinese.com",
    "www.dw.com",
    "www.rfi.fr",
    "cn.nytimes.com",
    "cn.reuters.com",
    "www.ftchinese.com",
    "www.bbc.com",
)
_IMAGE_HOSTS = ("gdb.voanews.com", "static.dw.com", "s.rfi.fr", "static01.nyt.com")
_AUTHORS = ("", "KARA SWISHER", "  储百亮  ", "Deutsche Welle", "William Yang")


# Strategies are built once: building one is what costs in Hypothesis.

# No controls, no U+FFFD, nothing a mojibake reading opens with (the Latin-1
# block, and what GBK, Big5, Shift-JIS or EUC-KR read from a UTF-8 lead byte and
# a continuation byte): random letters never spell a misreading by chance.
_NOT_MOJIBAKE = "".join(map(chr, range(0x80, 0x100))) + "".join(sorted(opening_characters()))
_SAFE_CHARACTERS = st.characters(
    codec="utf-8",
    categories=("L", "N", "P", "S", "Zs"),
    exclude_characters=_NOT_MOJIBAKE + "\ufffd",
)
_HANZI = st.text(
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF, exclude_characters=_NOT_MOJIBAKE),
    min_size=1,
    max_size=6,
)
_WORDS = st.one_of(st.sampled_from(_CJK), st.sampled_from(_LATIN), _HANZI)


@st.composite
def _titles(draw: st.DrawFn) -> str:
    """CJK and mixed-script titles with brackets, pipes and full-width
    punctuation; never blank, never padded, brackets always paired."""
    tokens = []
    for word in draw(st.lists(_WORDS, min_size=1, max_size=6)):
        if draw(st.integers(0, 4)) == 0:
            opening, closing = draw(st.sampled_from(_PAIRS))
            word = f"{opening}{word}{closing}"
        tokens.append(word)
        tokens.append(draw(st.sampled_from(_TITLE_GAPS)))
    return "".join(tokens[:-1])


_WORDS_IN_URLS = st.one_of(
    st.from_regex(r"[a-z0-9][a-z0-9-]{0,11}", fullmatch=True),
    st.integers(1, 9_999_999).map(str),
    st.sampled_from(_CJK).map(quote),
    st.sampled_from(_CJK).map(lambda word: quote(word).lower()),
)
# A wiki-style segment keeps its parentheses, balanced and nested: 'A_(b)', 'A_(b_(c))'.
_PARENTHESISED = st.recursive(
    _WORDS_IN_URLS,
    lambda inner: st.tuples(_WORDS_IN_URLS, inner).map("{0[0]}_({0[1]})".format),
    max_leaves=3,
)
_SEGMENTS = st.one_of(_WORDS_IN_URLS, _PARENTHESISED)


@st.composite
def _urls(draw: st.DrawFn, hosts: tuple[str, ...]) -> str:
    """Normalised http(s) URLs on ``hosts``: percent-encoded CJK (either
    case of hex), RFI's ``//`` in the path, balanced parentheses in a
    segment (as wikis write), a query string now and then."""
    host = draw(st.sampled_from(hosts))
    path = "/".join(draw(st.lists(_SEGMENTS, min_size=1, max_size=4)))
    path += draw(st.sampled_from(("", ".html", "/")))
    slash = draw(st.sampled_from(("/", "/", "//")))
    query = draw(st.sampled_from(("", "", "?utm_source=rss", "?id=1&p=2")))
    scheme = draw(st.sampled_from(("https", "http")))
    return f"{scheme}://{host}{slash}{path}{query}"


# Epoch milliseconds: whole seconds as the generator writes them, and now and
# then another millisecond, as downstream copies have.
_TIMESTAMPS = st.builds(  # whole seconds as often as not; no two draws make one value
    lambda seconds, milliseconds: seconds * 1000 + milliseconds,
    st.integers(_EARLIEST_MS // 1000, _LATEST_MS // 1000 - 1),
    st.just(0) | st.integers(1, 999),
)
_TITLES = _titles()
_ZONES = st.sampled_from([timezone(timedelta(hours=h)) for h in (0, 8, -5, 1)])  # for %z


# Forms the date grammar reads without a declaration, as strftime writes them.
GRAMMAR_SAMPLES = (
    "%Y-%m-%dT%H:%M:%S.%fZ",
    "%Y-%m-%d %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
    "%B %d, %Y %I:%M %p",
    "%a, %d %b %Y %H:%M:%S %z",
)


@dataclass(frozen=True)
class _Dates:
    """The date forms a schema reads (the ``unparseable-date`` formats), and
    how far (seconds) a date may stray from the timestamp so that
    ``timestamp-date-skew`` stays quiet."""

    formats: tuple[Mapping[str, Any], ...]
    drift: int

    @classmethod
    def of(cls, schema: Schema, fits: Callable[[str], bool] = lambda _: True) -> _Dates:
        skew_rule = schema.rules["NC104"]
        max_skew = int(skew_rule.options["max_skew"]) if skew_rule.severity else None
        drift = 43200 if max_skew is None else min(43200, max_skew // 4)
        sample = datetime(2020, 7, 8, 19, 22, 3, 152000, UTC)
        options = schema.rules["NC501"].options
        zone = {"timezone": options["timezone"]} if options.get("timezone") else {}
        grammar = ({"format": f, **zone} for f in GRAMMAR_SAMPLES)
        reader = reader_of(options)

        def reads_back(form: Mapping[str, Any]) -> bool:
            """Whether the schema reads a date in ``form`` as the time written
            (not so when a declared form of another zone reads it first)."""
            found = reader.read(date_text(form, sample))
            return isinstance(found, Reading) and found.distance(sample) == 0

        formats = tuple(
            form
            for form in (*options["formats"], *grammar)
            if fits(sample.strftime(form["format"]))
            # a date without a time is up to a day off
            and ("%H" in form["format"] or max_skew is None or 86400 + drift < max_skew)
            and reads_back(form)
        )
        return cls(formats, drift)

    def draw(self, draw: st.DrawFn, milliseconds: int) -> str:
        """A date in one of the forms, near ``milliseconds``."""
        form = draw(st.sampled_from(self.formats))
        seconds = milliseconds // 1000 + draw(st.integers(-self.drift, self.drift))
        when = datetime.fromtimestamp(seconds, UTC)
        return date_text(form, when.astimezone(draw(_ZONES)) if "%z" in form["format"] else when)


# --- the HTML block -----------------------------------------------------------


@st.composite
def _sentences(draw: st.DrawFn) -> str:
    words = draw(st.lists(_WORDS, min_size=2, max_size=10))
    text = "".join(f" {w} " if w.isascii() else w for w in words).strip()
    if draw(st.integers(0, 3)) == 0:
        text += draw(st.sampled_from(_ENTITIES)) + draw(_WORDS)
    return text + draw(st.sampled_from(_SENTENCE_ENDS))


_SENTENCES = _sentences()


@st.composite
def _paragraphs(draw: st.DrawFn) -> str:
    text = "".join(draw(st.lists(_SENTENCES, min_size=1, max_size=5)))
    shape = draw(st.integers(0, 9))
    if shape == 0:
        link = f"https://{draw(st.sampled_from(_HOSTS))}/a/{draw(st.integers(1, 9_999_999))}.html"
        return f'<p>{text}<a href="{link}">{draw(_WORDS)}</a></p>'
    if shape == 1:
        return f"<p><strong>{draw(_WORDS)}</strong>{text}</p>"
    if shape == 2:
        return f"<blockquote><p>{text}</p></blockquote>"
    if shape == 3:
        return f"{text}<br /><br />"
    return f"<p>{text}</p>"


_PARAGRAPHS = _paragraphs()


@st.composite
def _bodies(draw: st.DrawFn, min_chars: int) -> str:
    """Paragraphs, the first one long enough for ``short-body``; now and
    then a long body (the same paragraphs many times)."""
    lead = "".join(draw(st.lists(st.sampled_from(_CJK), min_size=1, max_size=12)))
    lead = (lead * (min_chars // len(lead) + 1))[: max(min_chars, len(lead))]
    body = f"<p>{lead}。</p>" + "".join(draw(st.lists(_PARAGRAPHS, max_size=8)))
    return body * draw(st.sampled_from((1, 1, 1, 2, 40)))


@st.composite
def _image_srcs(draw: st.DrawFn) -> str:
    target = f"{draw(st.sampled_from(_IMAGE_HOSTS))}/{draw(st.integers(1, 10**8))}.jpg"
    proxies = ("https://images.weserv.nl?url=", "https://images.weserv.nl/?url=", "https://")
    return draw(st.sampled_from(proxies)) + target


_IMAGE_SRCS = _image_srcs()
_CAPTIONS = st.one_of(st.none(), st.just(""), _SENTENCES)


@st.composite
def _media(
    draw: st.DrawFn, srcs: st.SearchStrategy[str], captions: st.SearchStrategy[str | None] | None
) -> str:
    """Lead media: images (a caption after some, when ``captions``), now
    and then a video."""
    html = ""
    for _ in range(draw(st.integers(0, 3))):
        if draw(st.integers(0, 5)) == 0:
            poster, clip = draw(_IMAGE_SRCS), draw(st.integers(1, 10**6))
            html += (
                f'<video poster="{poster}" src="https://example.com/{clip}.mp4" controls></video>'
            )
            continue
        attributes = draw(st.sampled_from(("", ' width="100%"', ' alt=""')))
        caption = draw(captions) if captions is not None else None
        html += image(draw(srcs), caption, attributes)
    return html


# --- drafts: an article's values before they are written ------------------------


@dataclass(frozen=True)
class _Draft:
    """Everything an article is written from: the template values, the
    pieces of its HTML block, the timestamp dates follow, and its date."""

    schema: Schema
    values: Mapping[str, str | None]
    pieces: Mapping[str, str]  # date_div, media, body (the HTML block's parts)
    milliseconds: int
    date: str | None

    def all_values(self) -> Mapping[str, str | None]:
        block = html_block(self.schema)
        if block is None or block.name in self.values:
            return self.values
        pieces = self.pieces
        html = pieces["date_div"] + pieces["media"] + pieces["body"]
        return {**self.values, block.name: wrapped(block, html)}

    def parts(self) -> tuple[tuple[str, str], ...]:
        return rendered_parts(self.schema, self.all_values())

    @property
    def text(self) -> str:
        return "".join(text + "\n" for _, text in self.parts())

    def line(self, part: str) -> int:
        """The first line of ``part`` (or where it would be)."""
        line = 1
        for name, text in self.parts():
            if name == part:
                return line
            line += text.count("\n") + 1
        return line

    def content_line(self) -> int:
        """The first line of the HTML block's content (after its opening line)."""
        block = html_block(self.schema)
        assert block is not None
        return self.line(block.name) + (block.open is not None)

    def with_values(self, **changes: str | None) -> _Draft:
        return replace(self, values={**self.values, **changes})

    def with_pieces(self, **changes: str) -> _Draft:
        return replace(self, pieces={**self.pieces, **changes})


def _group_pattern(pattern: str, name: str) -> str:
    """The text of group ``name``'s sub-pattern in ``pattern``."""
    start = pattern.index(f"(?P<{name}>") + len(f"(?P<{name}>")
    depth, index, in_class, class_start = 0, start, False, 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]" or index == class_start
        elif char == "[":
            in_class, class_start = True, index + 1
            if pattern[index + 1 : index + 2] == "^":
                class_start += 1
        elif char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                return pattern[start:index]
            depth -= 1
        index += 1
    raise re.error(f"group {name!r} is not closed")


# --- what the schema's record asks of a field -----------------------------------


def _field_schema(schema: Schema, name: str) -> Mapping[str, Any]:
    """The record's JSON Schema for field ``name`` (empty when it says nothing)."""
    record = schema.record if isinstance(schema.record, dict) else {}
    found = record.get("properties", {}).get(name)
    return found if isinstance(found, dict) else {}


def _allows(schema: Schema, subschema: Mapping[str, Any]) -> Callable[[Any], bool]:
    """Whether a value meets ``subschema``, a part of the schema's record."""
    validator = schema.validator
    if not subschema or validator is None:
        return lambda value: True
    return validator.evolve(schema=subschema).is_valid  # type: ignore[no-any-return]


@dataclass(frozen=True)
class _Wanted:
    """What the record asks of one field: the values it allows outright
    (``const``, ``enum``), whether the field must be there, and a test for a
    drawn value."""

    choices: tuple[str, ...]
    required: bool
    allows: Callable[[Any], bool]

    @classmethod
    def of(cls, schema: Schema, name: str) -> _Wanted:
        subschema = _field_schema(schema, name)
        listed = [subschema["const"]] if "const" in subschema else subschema.get("enum", ())
        record = schema.record if isinstance(schema.record, dict) else {}
        return cls(
            tuple(v for v in listed if isinstance(v, str)),
            name in record.get("required", ()),
            _allows(schema, subschema),
        )

    def draw(self, draw: st.DrawFn, drawn: Callable[[], str]) -> str:
        """One of the allowed values, else a value ``drawn`` that the record allows."""
        if self.choices:
            return draw(st.sampled_from(self.choices))
        value = drawn()
        assume(self.allows(value))
        return value


# --- link hosts: which source profile an article falls under --------------------

_HOST_CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789-"


def _host_of_glob(glob: str) -> str:
    """A host that a profile's glob matches: ``www`` for ``*``, a letter for
    ``?``, the first character a ``[...]`` set admits."""

    def member(found: re.Match[str]) -> str:
        token = found.group()
        if token == "*":
            return "www"
        return next((c for c in _HOST_CHARACTERS if fnmatch.fnmatchcase(c, token)), "a")

    return re.sub(r"\*|\?|\[!?\]?[^\]]*\]", member, glob.lower())


def _hosts(schema: Schema, profile: Profile | None) -> tuple[str, ...]:
    """Link hosts of the articles ``profile`` applies to (None: those no
    profile applies to): sample hosts, and one written from the profile's glob."""
    candidates = _HOSTS if profile is None else (*_HOSTS, _host_of_glob(profile.glob))
    return tuple(h for h in dict.fromkeys(candidates) if schema.profile_for(h) is profile)


Drawer = Callable[[st.DrawFn, int], str]  # a value, given the article's timestamp


def _group_drawer(schema: Schema, part: PartSpec, name: str, hosts: tuple[str, ...]) -> Drawer:
    """How a named group's values are drawn: those the record allows (its
    ``const`` or ``enum`` if it lists them), for the group's well-known name
    when such values fit its pattern, else from the pattern itself."""
    drawer = _pattern_drawer(schema, part, name, hosts)
    if not _field_schema(schema, name):
        return drawer
    wanted = _Wanted.of(schema, name)
    return lambda draw, milliseconds: wanted.draw(draw, lambda: drawer(draw, milliseconds))


def _pattern_drawer(schema: Schema, part: PartSpec, name: str, hosts: tuple[str, ...]) -> Drawer:
    """A named group's values as its pattern admits them (links on ``hosts``)."""
    assert part.match is not None
    inner = re.compile(_group_pattern(part.match.pattern, name))

    def fits(value: str) -> bool:
        return inner.fullmatch(value) is not None

    def drawn(strategy: st.SearchStrategy[str]) -> Drawer:
        return lambda draw, milliseconds: draw(strategy)

    if name == "timestamp" and fits(DEFAULTS["timestamp"]):
        return lambda draw, milliseconds: str(milliseconds)
    if name == "date" and (dates := _Dates.of(schema, fits)).formats:

        def date(draw: st.DrawFn, milliseconds: int) -> str:
            value = dates.draw(draw, milliseconds)
            assume(fits(value))
            return value

        return date
    urls = _urls(hosts)
    samples = {"title": ("[视频]北京｜新闻（更新）", _TITLES), "url": (DEFAULTS["url"], urls)}
    if name in samples and fits(samples[name][0]):
        return drawn(samples[name][1].filter(fits))
    return drawn(st.from_regex(inner, fullmatch=True, alphabet=_SAFE_CHARACTERS))


def _reads_back(part: PartSpec, values: Mapping[str, str | None]) -> bool:
    """Whether the written part matches its pattern with the same groups."""
    assert part.match is not None and part.render is not None
    names = template_names(part)
    found = part.match.fullmatch(part.render.format_map({n: values[n] for n in names}))
    return found is not None and all(found.group(n) == values[n] for n in names)


def _profiled(profile: Profile) -> Schema:
    """A profile's schema, its layout's parts required as the profile says."""
    layout = tuple(
        replace(part, required=profile.required.get(part.name, part.required))
        for part in profile.schema.layout
    )
    return replace(profile.schema, layout=layout)


@dataclass(frozen=True)
class _Plan:
    """How the articles of one source are drawn, worked out once per
    strategy: ``schema`` is the schema, or one of its ``sources`` profiles
    (links drawn on hosts the profile applies to)."""

    schema: Schema
    groups: Mapping[str, Mapping[str, Drawer]]  # part name -> group name -> drawer
    pieces: tuple[str, ...]
    dates: _Dates
    date: _Wanted
    bodies: st.SearchStrategy[str]
    media: st.SearchStrategy[str]
    blocks: Mapping[str, BlockDrawer]  # how each block not given is drawn (but the content)

    @classmethod
    def of(
        cls, schema: Schema, given: Collection[str] = (), profile: Profile | None = None
    ) -> _Plan:
        """The plan of ``schema``'s articles that ``profile`` (None: no
        profile) applies to, its blocks but those ``given`` drawn; links on
        any sample host when none is left to the profile."""
        hosts = _hosts(schema, profile) or _HOSTS
        own = schema if profile is None else _profiled(profile)
        groups = {
            part.name: {n: _group_drawer(own, part, n, hosts) for n in template_names(part)}
            for part in own.layout
            if part.block is None
        }
        pieces = content_pieces(own)
        images = _field_schema(own, "images").get("items", {})
        captions = _CAPTIONS.filter(_allows(own, _field_schema(own, "caption")))
        return cls(
            own,
            groups,
            pieces,
            _Dates.of(own),
            _Wanted.of(own, "date"),
            _bodies(int(own.rules["NC702"].options["min_chars"])),
            _media(
                _IMAGE_SRCS.filter(_allows(own, images)),
                captions if "caption" in pieces else None,
            ),
            _block_drawers(own, given),
        )

    def sources(self, given: Collection[str]) -> tuple[_Plan, ...]:
        """This plan and one for each ``sources`` profile of its schema, each
        with link hosts the profile applies to (none when the layout writes
        no link, where no profile can apply); blocks ``given`` not drawn."""
        links = any("url" in template_names(p) for p in self.schema.layout if p.block is None)
        if not links or not self.schema.profiles:
            return (self,)
        own = (self,) if _hosts(self.schema, None) else ()
        return own + tuple(
            _Plan.of(self.schema, given, profile)
            for profile in self.schema.profiles
            if _hosts(self.schema, profile)
        )


@st.composite
def _drafts(draw: st.DrawFn, plan: _Plan, fixed: Mapping[str, str | None]) -> _Draft:
    return _draft(draw, plan, fixed)


def _draft(draw: st.DrawFn, plan: _Plan, fixed: Mapping[str, str | None]) -> _Draft:
    stamp = fixed.get("timestamp")
    milliseconds = int(stamp) if stamp and stamp.isdigit() else draw(_TIMESTAMPS)
    values: dict[str, str | None] = {}
    for part in plan.schema.layout:
        drawers = plan.groups.get(part.name, {})
        given = [name for name in drawers if name in fixed]
        if not drawers or (not part.required and not given and draw(st.booleans())):
            continue  # no fields, or an optional part left out
        for name, drawer in drawers.items():
            values[name] = fixed[name] if name in fixed else drawer(draw, milliseconds)
        if not given:
            assume(_reads_back(part, values))
    date = values.get("date")
    pieces = {"date_div": "", "media": "", "body": ""}
    for part in plan.schema.layout:
        if part.block is None:
            continue
        if part.name in fixed:
            values[part.name] = fixed[part.name]
        elif part.name in plan.blocks:
            values[part.name] = plan.blocks[part.name](draw, values, milliseconds)
        else:  # the content block, from its pieces
            pieces, date = _html_pieces(draw, plan, fixed, milliseconds)
    return _Draft(plan.schema, values, pieces, milliseconds, date)


# --- mapping blocks (yaml): values from the record's JSON Schema ---------------

_JSON_KEYWORDS = frozenset(
    [
        "type",
        "properties",
        "required",
        "items",
        "minItems",
        "maxItems",
        "minLength",
        "maxLength",
        "enum",
        "const",
        "pattern",
        "description",
        "title",
    ]
)


def _json_values(subschema: Any, where: str) -> st.SearchStrategy[Any]:
    """Values of a small JSON Schema (objects, arrays, plain scalars)."""
    if not isinstance(subschema, dict):
        raise ValueError(f"no values are drawn for {where}: {subschema!r} is not an object")
    unknown = sorted(set(subschema) - _JSON_KEYWORDS)
    if unknown:
        raise ValueError(
            f"no values are drawn for {where}: keyword {unknown[0]!r} (give the block's text)"
        )
    if "const" in subschema:
        return st.just(subschema["const"])
    if "enum" in subschema:
        return st.sampled_from(subschema["enum"])
    kind = subschema.get("type", "string")
    if kind == "object":
        properties = subschema.get("properties", {})
        required = set(subschema.get("required", ()))
        return st.fixed_dictionaries(
            {k: _json_values(v, f"{where}.{k}") for k, v in properties.items() if k in required},
            optional={
                k: _json_values(v, f"{where}.{k}")
                for k, v in properties.items()
                if k not in required
            },
        )
    if kind == "array":
        items = _json_values(subschema.get("items", {}), f"{where}[]")
        least = subschema.get("minItems", 0)
        return st.lists(items, min_size=least, max_size=subschema.get("maxItems", least + 4))
    if kind == "integer":
        return st.integers(0, 10**6)
    if kind == "boolean":
        return st.booleans()
    if kind == "string" and "pattern" in subschema:
        found = st.from_regex(subschema["pattern"], alphabet=_SAFE_CHARACTERS)
        return found.filter(lambda text: "\n" not in text)  # a '$' also matches before one
    if kind == "string":
        least = max(1, subschema.get("minLength", 0))
        text = st.lists(_WORDS, min_size=least, max_size=least + 3).map(" ".join)
        return text.filter(lambda t: len(t) <= subschema.get("maxLength", len(t)))
    raise ValueError(f"no values are drawn for {where}: type {kind!r}")


# What a block kind's strategy draws from.
_DRAWING = Drawing(
    prose=st.lists(_SENTENCES, min_size=1, max_size=6).map("".join), values=_json_values
)


def _html_pieces(
    draw: st.DrawFn, plan: _Plan, fixed: Mapping[str, str | None], milliseconds: int
) -> tuple[dict[str, str], str | None]:
    """The HTML block's date div, media and body, and the date it carries."""
    date: str | None = None
    date_html = ""
    if "date" in plan.pieces:
        wanted = plan.date
        if "date" in fixed:
            date = fixed["date"]
        elif wanted.choices or (
            plan.dates.formats and (wanted.required or draw(st.integers(0, 6)) > 0)
        ):  # DW's videos have no date div
            date = wanted.draw(draw, lambda: plan.dates.draw(draw, milliseconds))
        if date is not None:
            authors = st.none() if wanted.choices else st.sampled_from(_AUTHORS)
            author = draw(st.one_of(st.none(), authors))
            date_html = date_div(date, author, italic=author is not None or draw(st.booleans()))
    media = ""
    if "image" in plan.pieces and "image" in fixed:
        src = fixed["image"]
        caption = fixed.get("caption") if "caption" in plan.pieces else None
        media = "" if src is None else image(src, caption)
    elif "image" in plan.pieces:
        media = draw(plan.media)
    body = (fixed["body_html"] or "") if "body_html" in fixed else draw(plan.bodies)
    return {"date_div": date_html, "media": media, "body": body}, date


PROJECT = "project"


def _loaded(schema: SchemaLike) -> Schema:
    """A schema by name, file or value; ``"project"``: the project's configured one."""
    if isinstance(schema, Schema):
        return schema
    if schema == PROJECT:
        from .pytest_plugin import project_schema  # here: only for "project" (imports pytest)

        return project_schema()
    return load_schema(schema)


def _plan(schema: SchemaLike, fixed: Mapping[str, Any] = MappingProxyType({})) -> _Plan:
    """The schema's plan, once its fixed fields are known to be its own and
    every block it has can be drawn or is given."""
    loaded = _loaded(schema)
    names = {n for part in loaded.layout for n in template_names(part)}
    names |= set(content_pieces(loaded))
    unknown = sorted(set(fixed) - names)
    if unknown:
        raise TypeError(
            f"unknown field {unknown[0]!r} for schema {loaded.name} "
            f"(fields: {', '.join(sorted(names))})"
        )
    check_templates(loaded)
    return _Plan.of(loaded, tuple(fixed))


def _block_drawers(schema: Schema, given: Collection[str]) -> dict[str, BlockDrawer]:
    """How each block of ``schema`` but the content and those ``given`` is
    drawn; a block that cannot be drawn is refused."""
    blocks = {}
    for part in schema.layout:
        kind = kind_of(part)
        if kind is None or kind.content or part.name in given:
            continue
        if kind.strategy is None:
            raise ValueError(
                f"no values are drawn for a {part.block} block: "
                f"give part {part.name!r} of schema {schema.name} as {part.name}=..."
            )
        blocks[part.name] = kind.strategy(schema, part, _DRAWING)  # refuses what it cannot draw
    return blocks


def articles(schema: SchemaLike = "feed-article", **fixed_fields: Any) -> st.SearchStrategy[str]:
    """Sound article texts for ``schema``, with the given fields fixed.

    Fields are the layout's template names (for feed-article ``timestamp``,
    ``title``, ``url`` and ``content``) and the HTML block's pieces
    (``date``, ``image``, ``caption``, ``body_html``); ``None`` leaves a
    piece or an optional part out.

    Articles are drawn for each source the schema's ``sources`` profiles
    tell apart (a link on a host of the profile, its date forms, rules and
    record), and for the hosts no profile applies to; a fixed ``url`` draws
    its own source's. ``schema="project"`` is the schema the project's
    newscheck configuration gives (found from pytest's rootdir).
    """
    fixed = {k: None if v is None else str(v) for k, v in fixed_fields.items()}
    plan = _plan(schema, fixed)
    plans, url = plan.sources(fixed), fixed.get("url")
    if url is not None and len(plans) > 1:
        plans = (_Plan.of(plan.schema, tuple(fixed), plan.schema.profile_for(link_host(url))),)
    return st.one_of([_drafts(p, fixed) for p in plans]).map(lambda draft: draft.text)


# --- defects ------------------------------------------------------------------

Inject = Callable[[_Draft], tuple[str, int]]


def _reporter(part: str, state: str, generic: str) -> str:
    """The rule that reports ``part`` in ``state``: its own, or the generic one."""
    return next((r.code for r in all_rules() if f"{part}:{state}" in r.reports), generic)


def _drop(part: str) -> Inject:
    def inject(draft: _Draft) -> tuple[str, int]:
        kept = [text for name, text in draft.parts() if name != part]
        return "".join(t + "\n" for t in kept), draft.line(part)

    return inject


def _damage(part: PartSpec) -> Inject:
    """The part's line changed so that it is recognised but does not match."""

    def inject(draft: _Draft) -> tuple[str, int]:
        assert part.match is not None and part.recognise is not None
        lines = dict(draft.parts())
        written = lines[part.name]
        cut = [written[:end] for end in range(len(written) - 1, 0, -1)]
        for candidate in (*cut, written + " ", written + "x"):
            if part.recognise.match(candidate) and not part.match.fullmatch(candidate):
                lines[part.name] = candidate
                return "".join(t + "\n" for t in lines.values()), draft.line(part.name)
        raise AssertionError(f"no malformed form of part {part.name!r}")

    return inject


def _home(schema: Schema, name: str) -> PartSpec:
    """The line part whose template writes field ``name``."""
    return next(p for p in schema.layout if p.block is None and name in template_names(p))


def _field(name: str, change: Callable[[str], str]) -> Inject:
    def inject(draft: _Draft) -> tuple[str, int]:
        value = draft.values[name] or ""
        changed = draft.with_values(**{name: change(value)})
        return changed.text, changed.line(_home(draft.schema, name).name)

    return inject


def _html(pieces: Mapping[str, str], append: str) -> Inject:
    """The HTML block with ``pieces`` set, then ``append`` appended to its body."""

    def inject(draft: _Draft) -> tuple[str, int]:
        body = pieces.get("body", draft.pieces["body"]) + append
        changed = draft.with_pieces(**{**pieces, "body": body})
        return changed.text, changed.content_line()

    return inject


def _date_line(draft: _Draft) -> int:
    home = next((p.name for p in draft.schema.layout if "date" in template_names(p)), None)
    return draft.line(home) if home else draft.content_line()


def _set_date(date: str) -> Inject:
    def inject(draft: _Draft) -> tuple[str, int]:
        if "date" in draft.values:
            changed = draft.with_values(date=date)
        else:
            changed = draft.with_pieces(date_div=date_div(date) if date else "<div></div>")
        return changed.text, _date_line(changed)

    return inject


def _skewed(draft: _Draft) -> tuple[str, int]:
    """The timestamp ten days away from the date (a date div is added if there is none)."""
    if draft.date is None:
        draft = draft.with_pieces(date_div=date_div(default_date(draft.schema, draft.milliseconds)))
    days = 10 * 86_400_000
    moved = (
        draft.milliseconds - days
        if draft.milliseconds - days >= _EARLIEST_MS
        else draft.milliseconds + days
    )
    return draft.with_values(timestamp=str(moved)).text, _date_line(draft)


def _planted(schema: Schema, plant: Plant) -> Inject | None:
    """How ``plant`` changes a draft of ``schema`` (None: the schema has nothing it changes)."""
    groups = {n for p in schema.layout if p.block is None for n in template_names(p)}
    pieces = content_pieces(schema)
    if plant.where == "field":
        fits = plant.name in groups and _home(schema, plant.name).max_lines >= plant.lines
        return _field(plant.name, plant.change) if fits else None
    if plant.where == "date":
        dated = "date" in pieces or (not plant.div and "date" in groups)
        return _set_date(plant.value) if dated else None
    if plant.where == "skew":
        return _skewed if "timestamp" in groups and "date" in pieces else None
    if plant.where == "html":
        has = {*pieces, *(spec.name for spec in schema.extract)}
        if html_block(schema) is None or (plant.name and plant.name not in has):
            return None
        return _html(plant.value, plant.change)
    if plant.where == "text":
        change = plant.change
        return lambda draft: change(draft.text)
    raise ValueError(f"unknown plant {plant.where!r}")


def _injections(schema: Schema) -> dict[str, tuple[Inject, ...]]:
    """Every defect this schema can carry, by the code that reports it: a
    required part dropped or damaged (reported by the rule that claims that
    state, or the generic one), and each rule's plants (its ``@examples``)."""
    found: dict[str, list[Inject]] = {}
    for part in schema.layout:
        if part.required and part.render is not None:
            found.setdefault(_reporter(part.name, "missing", "NC902"), []).append(_drop(part.name))
        if part.required and part.match is not None and part.recognise is not None:
            found.setdefault(_reporter(part.name, "malformed", "NC903"), []).append(_damage(part))
    for rule in all_rules():
        for plant in rule.examples.plants(schema) if rule.examples else ():
            inject = _planted(schema, plant)
            if inject is not None:
                found.setdefault(rule.code, []).append(inject)
    enabled = {code: tuple(f) for code, f in found.items() if schema.rules[code].severity}
    return dict(sorted(enabled.items()))


def injectable_codes(schema: SchemaLike = "feed-article") -> tuple[str, ...]:
    """The codes :func:`defective_articles` can inject into ``schema``'s articles."""
    return tuple(_injections(_plan(schema).schema))


class _Turns:
    """Which code each drawn defect gets: the code given least so far, so
    that a run of as many examples as codes draws every one (stratified,
    where drawing the code at random leaves most of them out in 50 examples).

    Hypothesis must get the same defect when it replays an example (to shrink
    it, or to show it): the code is kept under the example's key, so an
    example replayed gets the code it had. The key is every value the draft
    drew, then a ticket drawn last (which also picks the way the defect is
    made: nothing is drawn after the turn): two examples Hypothesis tells apart
    seldom share a key, and each that does wastes a turn (a few in 50). A code
    counts as given once a defect of it is made (an example given up on before
    that does not use its turn)."""

    def __init__(self, codes: tuple[str, ...]) -> None:
        self.given = dict.fromkeys(codes, 0)
        self.kept: dict[object, str] = {}

    def code(self, key: object) -> str:
        if key not in self.kept:
            if len(self.kept) >= _MAX_KEPT:
                self.kept.clear()
            self.kept[key] = min(self.given, key=self.given.__getitem__)
        return self.kept[key]

    def made(self, code: str) -> None:
        self.given[code] += 1


_MAX_KEPT = 100_000  # past this, the codes kept are forgotten (memory stays bounded)
_TICKETS = st.integers(0, 2**64 - 1)


def _defects(
    plan: _Plan, injections: Mapping[str, tuple[Inject, ...]]
) -> st.SearchStrategy[Defect]:
    """Defects of the codes ``injections`` has, the codes in turn (one ``_Turns`` a strategy)."""
    return _drawn_defects(plan, injections, _Turns(tuple(injections)))


@st.composite
def _drawn_defects(
    draw: st.DrawFn, plan: _Plan, injections: Mapping[str, tuple[Inject, ...]], turns: _Turns
) -> Defect:
    drawn: list[object] = []

    def recorded(strategy: st.SearchStrategy[Any], label: Any = None) -> Any:
        drawn.append(draw(strategy, label))
        return drawn[-1]

    # drawn before the turn is taken: a rejected draft takes none
    draft = _draft(cast(st.DrawFn, recorded), plan, {})
    # the key: every value the draft drew (two examples can write one article), and a ticket
    ticket = draw(_TICKETS)
    code = turns.code(repr((*drawn, ticket)))
    ways = injections[code]
    text, line = ways[ticket % len(ways)](draft)  # no draw after the turn: see _Turns
    turns.made(code)
    rule = lookup(code)
    assert rule is not None and rule.examples is not None
    return Defect(text, code, line, rule.name, rule.examples.message)


def defective_articles(code: str, schema: SchemaLike = "feed-article") -> st.SearchStrategy[Defect]:
    """Articles carrying one defect reported as ``code`` (or a rule name), with its line."""
    plan = _plan(schema)
    rule = lookup(code)
    injections = _injections(plan.schema)
    if rule is None or rule.code not in injections:
        raise ValueError(
            f"cannot inject {code!r} into {plan.schema.name} articles "
            f"(injectable: {', '.join(injections)})"
        )
    return _defects(plan, {rule.code: injections[rule.code]})


def defects(schema: SchemaLike = "feed-article") -> st.SearchStrategy[Defect]:
    """Articles carrying one defect of any injectable kind, with its code,
    line, rule and message pattern; the codes in turn, so that a run of as
    many examples as there are codes draws each."""
    plan = _plan(schema)
    return _defects(plan, _injections(plan.schema))
