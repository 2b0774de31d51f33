"""``newscheck schema infer``: propose a declared schema from sample files.

The proposal extends the built-in layout that fits most of the files (or the
one given), and says what the sample shows:

- parts found in some files and missing in others become ``required: false``;
- fields present in every file become ``record.required`` (for a ``yaml``
  block, so do the keys it always holds);
- per link host (a ``sources`` profile): the date forms that occur, in the
  order of their counts, the time zone of forms that carry none (the whole
  hour that puts the dates just before their timestamps, since a feed item
  is published before it is fetched), the fields that host always has, how far
  its timestamps run from its dates (``timestamp-date-skew``), and
  ``empty-date: off`` for a host whose date div is always empty.

Counts go into ``description`` texts, so a user sees what each choice rests on
before editing it.
"""

from __future__ import annotations

import collections
import dataclasses
import math
import os
import statistics
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from .blocks import kind_of
from .choice import choose, host_of, link_host
from .dates import DateReader, Form, Reading, holds_date, reader_of, zone_of
from .engine import Checker
from .parse import parse
from .reading import read_source
from .schema import DEFAULT_SCHEMA, Schema, builtin_names, load_schema
from .shapes import Shape, is_link, layout_of, shape_of
from .yamlpos import dump

if TYPE_CHECKING:
    from .article import Article

_MIN_SKEW_HOURS = 6  # never propose a tighter timestamp-date-skew than this
_SKEW_MARGIN = 1.5  # the largest skew seen, times this


@dataclass
class _Host:
    """What the sample shows of one link host."""

    files: int = 0
    present: collections.Counter[str] = field(default_factory=collections.Counter)
    dates: dict[str, str] = field(default_factory=dict)  # path -> non-empty date text
    empty_dates: int = 0
    forms: collections.Counter[str] = field(default_factory=collections.Counter)
    # the zone a declared form gives its dates, or "" for a date that names its own
    zones: dict[str, str] = field(default_factory=dict)
    unread: list[tuple[str, float | None]] = field(default_factory=list)  # (date, timestamp)
    # form -> timestamp minus the date (its naive dates read as UTC), in hours
    skews: collections.defaultdict[str, list[float]] = field(
        default_factory=lambda: collections.defaultdict(list)
    )

    def add(self, reading: Reading, zone: str | None, stamp: float | None) -> None:
        """A date read in ``zone`` (None: naive, read as UTC; "": its own)."""
        self.forms[reading.form] += 1
        if zone is not None:
            self.zones[reading.form] = zone
        if zone:
            reading = dataclasses.replace(
                reading, start=reading.start.replace(tzinfo=zone_of(zone))
            )
        if stamp is not None:
            moment = datetime.fromtimestamp(stamp, UTC)
            self.skews[reading.form].append(reading.distance(moment) / 3600)

    def read_unread(self) -> str | None:
        """Read the dates no form read with the day order their timestamps
        bear out (the one that reads the most, then the nearest their
        timestamps); the order chosen, or None when neither reads any."""

        def fit(order: str) -> tuple[int, float]:
            reader = DateReader(order=order)
            read = [(reader.read(text), stamp) for text, stamp in self.unread]
            skews = [
                abs(r.distance(datetime.fromtimestamp(s, UTC)))
                for r, s in read
                if isinstance(r, Reading) and s is not None
            ]
            count = sum(isinstance(r, Reading) for r, _ in read)
            return -count, statistics.median(skews) if skews else 0.0

        order = min(("dmy", "mdy"), key=fit)
        if fit(order)[0] == 0:
            return None
        reader, unread, self.unread = DateReader(order=order), self.unread, []
        for text, stamp in unread:
            reading = reader.read(text)
            if isinstance(reading, Reading):
                self.add(reading, "" if reading.zoned else None, stamp)
            else:
                self.unread.append((text, stamp))
        return order


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    return {str: "string", float: "number", list: "array", dict: "object"}.get(type(value), "null")


def _host(value: str) -> str:
    return link_host(value) or "(no host)"


def _read_all(texts: Sequence[Any]) -> tuple[list[Reading], str | None] | None:
    """``texts`` read as dates by the grammar, with the numeric day order that
    reads them all when the grammar alone does not; None when none does."""
    for order in (None, "dmy", "mdy"):
        reader = DateReader(order=order)
        readings = [reader.read(t) if isinstance(t, str) else None for t in texts]
        if all(isinstance(r, Reading) for r in readings):
            return [r for r in readings if isinstance(r, Reading)], order
    return None


def _role_of(key: str, values: Sequence[Any]) -> str | None:
    """The role a front-matter key's values suggest: ``url`` (links),
    ``date`` (dates the grammar reads), ``title`` (by its name); None."""
    if values and all(is_link(v) for v in values):
        return "url"
    if values and _read_all(values) is not None:
        return "date"
    return "title" if key.casefold() in ("title", "headline") else None


def _role(key: str, values: Sequence[Any], hosts: Sequence[str] | None) -> str:
    """The role a key's values suggest, said with what it rests on: for a
    date, its forms per source host (the host of the link key's value)."""
    role = _role_of(key, values)
    if role == "url":
        return f"role url: {len(values)} links"
    if role != "date":
        return "" if role is None else f"role {role}"
    if hosts is None or len(hosts) != len(values):
        hosts = ["(all)"] * len(values)
    by_host: dict[str, list[Any]] = collections.defaultdict(list)
    for host, value in zip(hosts, values, strict=True):
        by_host[host].append(value)
    forms = []
    for host, texts in sorted(by_host.items()):
        read = _read_all(texts)  # every host's dates read, since all of them do
        assert read is not None
        counts = collections.Counter(r.form for r in read[0])
        said = ", ".join(f"{n} as {form!r}" for form, n in counts.most_common())
        forms.append(f"{host}: {said}" + (f" (day order {read[1]})" if read[1] else ""))
    return f"role date: {len(values)} dates; " + "; ".join(forms)


def _sources(paths: Sequence[str]) -> list[Any]:
    checker = Checker(load_schema())
    found = []
    for path in checker.discover(paths):
        source = read_source(path, checker.max_bytes)
        if source.unreadable is None:
            found.append(source)
    return found


@dataclass
class _Group:
    """Files of one layout: the schema they are learnt with, and what it is."""

    schema: Schema
    sources: list[Any]
    why: str
    extends: str | None  # the built-in extended, or None for a new layout
    document: dict[str, Any] = field(default_factory=dict)  # a new layout's own parts


def _builtins() -> tuple[Schema, ...]:
    names = [DEFAULT_SCHEMA, *(n for n in builtin_names() if n != DEFAULT_SCHEMA)]
    return tuple(load_schema(n) for n in names)


def _groups(sources: Sequence[Any]) -> tuple[list[_Group], int]:
    """The layouts of the files, each with its files, and how many files fit
    none of them: a built-in layout, or a new one for files no built-in fits
    (by their shape, :mod:`newscheck.shapes`). A layout needs a tenth of the
    files and at least two (a few misfits are defects, not a layout); the built-in fitting
    most is kept when nothing else is."""
    schemas = _builtins()
    least = max(min(2, len(sources)), math.ceil(len(sources) / 10))
    chosen: dict[str, list[Any]] = collections.defaultdict(list)
    shaped: dict[Shape, list[tuple[Any, dict[int, str]]]] = collections.defaultdict(list)
    for source in sources:
        schema, layout = choose(source, schemas)
        chosen[schema.name].append(source)
        if layout.misfit:  # read for its shape only when no built-in fits it
            shape, values = shape_of(source.text)
            if shape.body != "none":
                shaped[shape].append((source, values))
    groups, taken = [], set[int]()
    for shape, found in sorted(shaped.items(), key=lambda item: -len(item[1])):
        if len(found) >= least:
            groups.append(_new_layout(shape, found, len(sources)))
            taken.update(id(source) for source, _ in found)
    for name, found in sorted(chosen.items(), key=lambda item: -len(item[1])):
        found = [s for s in found if id(s) not in taken]
        if found and (len(found) >= least or not groups):
            why = f"the {name} layout fits {len(found)} of {len(sources)} files best"
            groups.append(_Group(load_schema(name), found, why, name))
            taken.update(id(s) for s in found)
    return groups, len(sources) - len(taken)


def _new_layout(shape: Shape, found: Sequence[tuple[Any, dict[int, str]]], total: int) -> _Group:
    """A group of files no built-in layout fits, with the layout their shape proposes."""
    keyed: dict[int, list[str]] = collections.defaultdict(list)
    for _, values in found:
        for index, value in values.items():
            keyed[index].append(value)
    document = layout_of(shape, keyed, load_schema(DEFAULT_SCHEMA).document)
    schema = _loaded(document)
    if shape.front:  # the roles the front matter's keys play, as its values suggest
        sample = _Sample(schema)
        for source, _ in found:
            sample.add(parse(source, schema))
        roles = sample.roles()
        if roles:
            document["roles"] = roles
            schema = _loaded(document)
    why = f"no built-in layout fits {len(found)} of {total} files; their shape: {shape.describe()}"
    return _Group(schema, [s for s, _ in found], why, None, document)


def _loaded(document: Mapping[str, Any]) -> Schema:
    """A proposed document loaded as a schema (checked as any schema file is)."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "proposed.yaml")
        with open(path, "w", encoding="utf-8") as file:
            file.write(dump({"name": "proposed", **document}))
        return load_schema(path)


def _globs(groups: Sequence[_Group]) -> list[list[str]] | None:
    """Per group, the folder globs that hold its files and no other group's
    (``FOLDER/*.md``, relative to the files' common folder); None when the
    groups share a folder (their layouts then tell them apart)."""
    folders = [{os.path.dirname(os.path.abspath(s.path)) for s in g.sources} for g in groups]
    every = set().union(*folders)
    if any(a & b for i, a in enumerate(folders) for b in folders[i + 1 :]):
        return None
    root = os.path.commonpath(sorted(every))
    if root in every:
        return None
    return [sorted(f"{os.path.relpath(f, root)}/*.md" for f in found) for found in folders]


def _offset_text(hours: int) -> str:
    return f"{'-' if hours < 0 else '+'}{abs(hours):02d}:00"


def _naive_offset(skews: Sequence[float]) -> int:
    """The whole-hour offset of a naive date form: the one that puts the
    earliest timestamps (the 5th percentile) just after their dates."""
    ordered = sorted(skews)
    low = ordered[int(0.05 * (len(ordered) - 1))]
    return max(-12, min(14, -math.floor(low)))


class _Sample:
    """Counts over the parsed sample."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.files = 0
        self.parts: dict[str, collections.Counter[str]] = {
            p.name: collections.Counter() for p in schema.layout
        }
        self.fields: collections.Counter[str] = collections.Counter()
        self.keys: dict[str, collections.Counter[str]] = collections.defaultdict(
            collections.Counter
        )
        # block -> key -> the JSON types and the values seen (for its role)
        self.types: dict[str, dict[str, set[str]]] = collections.defaultdict(
            lambda: collections.defaultdict(set)
        )
        self.values: dict[str, dict[str, list[Any]]] = collections.defaultdict(
            lambda: collections.defaultdict(list)
        )
        self.hosts: dict[str, _Host] = collections.defaultdict(_Host)
        declared = reader_of(schema.rules["NC501"].options)
        # the declared forms without their zones: naive dates read as UTC
        self.reader = DateReader(tuple(Form(f.format) for f in declared.forms), declared.order)
        self.zones = {f.format: f.zone for f in declared.forms if f.zone}

    def add(self, article: Article) -> None:
        self.files += 1
        for name, part in article.parts.items():
            self.parts[name][part.status.value] += 1
        present = {
            name for name, f in article.fields.items() if "." not in name and f.value is not None
        }
        self.fields.update(present)
        for spec in self.schema.layout:
            kind = kind_of(spec)
            data = article.value(spec.name) if kind is not None and kind.mapping else None
            if isinstance(data, dict):
                self.keys[spec.name].update(k for k, v in data.items() if v is not None)
                for key, value in data.items():
                    self.types[spec.name][key].add(_json_type(value))
                    self.values[spec.name][key].append(value)
        host = self.hosts[host_of(article) or "(no host)"]
        host.files += 1
        host.present.update(present)
        date = article.role_value("date")
        if not isinstance(date, str):
            return
        if not date.strip():
            host.empty_dates += 1
            return
        stamp = article.role_value("timestamp")
        seconds = int(stamp) / 1000 if isinstance(stamp, str) and stamp.isdigit() else None
        reading = self.reader.read(date)
        if isinstance(reading, Reading):
            host.add(reading, "" if reading.zoned else self.zones.get(reading.form), seconds)
        elif reading is None and holds_date(date):
            host.unread.append((date, seconds))

    def layout(self) -> list[dict[str, Any]]:
        patches = []
        for spec in self.schema.layout:
            counts = self.parts[spec.name]
            ok, missing = counts["ok"], counts["missing"]
            said = f"found in {ok} of {self.files} files"
            if missing and ok and spec.required:
                patches.append({"part": spec.name, "required": False, "description": said})
            elif not missing and ok and not spec.required:
                patches.append({"part": spec.name, "required": True, "description": said})
        return patches

    def always(self) -> list[str]:
        return sorted(name for name, n in self.fields.items() if n == self.files)

    def record(self) -> dict[str, Any]:
        record: dict[str, Any] = {}
        always = self.always()
        if always:
            record["required"] = always
        properties = {}
        for block, keys in self.keys.items():
            held = sorted(k for k, n in keys.items() if n == self.fields[block])
            if held:
                properties[block] = {"required": held, "properties": self.typed(block, held)}
        if properties:
            record["properties"] = properties
        return record

    def roles(self) -> dict[str, str]:
        """The roles the keys of the mapping blocks suggest (the first key
        for each), for the keys every file holds: role -> ``BLOCK.KEY``."""
        found: dict[str, str] = {}
        for block, keys in self.values.items():
            for key, values in keys.items():
                if len(values) == self.fields[block]:
                    role = _role_of(key, values)
                    if role is not None and role not in found:
                        found[role] = f"{block}.{key}"
        return found

    def typed(self, block: str, keys: Sequence[str]) -> dict[str, Any]:
        """The JSON type of each of a block's ``keys``, and the role its values
        suggest (a link, a date, a title), said in its description."""
        values = self.values[block]
        links = {key for key in keys if all(is_link(v) for v in values[key])}
        hosts = [
            [_host(v) for v in values[key]] for key in sorted(links, key=lambda k: k != "url")
        ][:1]
        typed: dict[str, Any] = {}
        for key in keys:
            types = sorted(self.types[block][key])
            entry: dict[str, Any] = {"type": types[0] if len(types) == 1 else types}
            if types == ["array"]:
                items = {_json_type(i) for v in values[key] for i in v}
                if len(items) == 1:
                    entry["items"] = {"type": items.pop()}
            role = _role(key, values[key], hosts[0] if hosts else None)
            if role:
                entry["description"] = role
            typed[key] = entry
        return typed

    def profile(self, name: str, host: _Host, always: Sequence[str]) -> dict[str, Any]:
        profile: dict[str, Any] = {}
        described = [f"{host.files} files"]
        dates: list[dict[str, Any]] = []
        corrected: list[float] = []
        order = host.read_unread() if host.unread else None
        for form, count in host.forms.most_common():
            entry: dict[str, Any] = {"format": form}
            skews = host.skews.get(form, [])
            zone = host.zones.get(form)
            if zone:
                entry["timezone" if zone[0] not in "+-" else "utc_offset"] = zone
            elif zone is None and skews:
                offset = _naive_offset(skews)
                entry["utc_offset"] = _offset_text(offset)
                skews = [s + offset for s in skews]
            corrected += skews
            dates.append(entry)
            described.append(f"{count} dates as {form!r}")
        if order:
            described.append(f"day order {order}, as the timestamps bear out")
        if host.empty_dates:
            described.append(f"{host.empty_dates} empty date divs")
        if host.unread:
            described.append(
                f"{len(host.unread)} dates in no known form, e.g. {host.unread[0][0]!r}"
            )
        if dates:
            profile["dates"] = dates
        extra = sorted(n for n, c in host.present.items() if c == host.files and n not in always)
        if extra:
            profile["record"] = {"required": sorted({*always, *extra})}
        rules: dict[str, Any] = {}
        if corrected and "timestamp" in always:
            widest = max(abs(s) for s in corrected)
            hours = max(_MIN_SKEW_HOURS, math.ceil(widest * _SKEW_MARGIN))
            rules["timestamp-date-skew"] = {"max_skew": hours * 3600}
            described.append(
                f"timestamps {min(corrected):+.1f} to {max(corrected):+.1f} h from their dates"
            )
        if host.empty_dates == host.files:
            rules["empty-date"] = "off"
        if rules:
            profile["rules"] = rules
        return {"description": "; ".join(described), **profile}

    def sources(self) -> dict[str, Any]:
        always = self.always()
        hosts = sorted(self.hosts.items(), key=lambda item: (-item[1].files, item[0]))
        return {
            name: self.profile(name, host, always) for name, host in hosts if name != "(no host)"
        }


def _propose(group: _Group, name: str) -> dict[str, Any]:
    """A schema for the files of ``group``, as a document."""
    schema = group.schema
    sample = _Sample(schema)
    for source in group.sources:
        sample.add(parse(source, schema))
    document: dict[str, Any] = {
        "name": name,
        "description": (
            f"Proposed by newscheck schema infer from {sample.files} files ({group.why}). "
            "A starting point: review every choice before relying on it."
        ),
    }
    patches = sample.layout()
    if group.extends is not None:
        document["extends"] = group.extends
        if patches:
            document["layout"] = patches
    else:
        required = {patch["part"]: patch for patch in patches}
        own = group.document["layout"]
        document["layout"] = [{**p, **required.get(p["part"], {})} for p in own]
        for key in ("extract", "roles"):
            if key in group.document:
                document[key] = group.document[key]
    record = sample.record()
    if record:
        document["record"] = record
    if "date" in schema.roles:
        sources_ = sample.sources()
        if sources_:
            document["sources"] = sources_
    return document


def proposals(
    paths: Sequence[str], name: str = "inferred", base: str | None = None
) -> tuple[list[dict[str, Any]], list[list[str]] | None, str]:
    """The schemas proposed for the article files under ``paths`` (one per
    layout found, or one extending ``base``), the folder globs that separate
    their files (None: their layouts do), and a line saying what was found."""
    sources = _sources(paths)
    if not sources:
        raise ValueError("no readable article files to infer a schema from")
    if base is not None:
        groups, left = [_Group(load_schema(base), sources, f"extends {base} as asked", base)], 0
    else:
        groups, left = _groups(sources)
    names = [name] if len(groups) == 1 else [f"{name}-{i}" for i in range(1, len(groups) + 1)]
    documents = [_propose(group, n) for group, n in zip(groups, names, strict=True)]
    said = f"{len(sources)} files"
    if len(groups) > 1:
        said += f" in {len(groups)} layouts: " + ", ".join(
            f"{n} {len(g.sources)}" for n, g in zip(names, groups, strict=True)
        )
    if left:
        said += f"; {left} files fit none of them (too few of their shape to be a layout)"
    return documents, (_globs(groups) if len(groups) > 1 else None), said


def infer(paths: Sequence[str], name: str = "inferred", base: str | None = None) -> str:
    """The proposed schemas for the article files under ``paths``, as YAML:
    one document per layout found, after comments that say how to use them."""
    documents, globs, said = proposals(paths, name, base)
    where = ", ".join(os.fspath(p) for p in paths)
    header = f"# newscheck schema infer {where}\n# {said}; edit before use.\n"
    if len(documents) == 1:
        return header + dump(documents[0])
    header += configuration_hint(documents, globs, "{name}.yaml")
    return header + "---\n".join(dump(d) for d in documents)


def configuration_hint(
    documents: Sequence[Mapping[str, Any]], globs: Sequence[Sequence[str]] | None, file: str
) -> str:
    """Comments that say how to use several proposals: each saved as its own
    file (``file`` names it from the schema's name), listed in the
    configuration with the globs that separate them (or their layouts)."""
    lines = [
        "# Several layouts: save each YAML document below as its own schema file and list",
        "# them in newscheck.toml; `--schema auto` then chooses among them per file:",
    ]
    for index, document in enumerate(documents):
        lines += ["#   [[schemas]]", f'#   schema = "{file.format(name=document["name"])}"']
        if globs is not None:
            lines.append("#   files = [" + ", ".join(f'"{g}"' for g in globs[index]) + "]")
    if globs is None:
        lines.append("# (the files share folders: each schema's layout tells its files apart)")
    return "".join(line + "\n" for line in lines)
