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
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from .blocks import kind_of
from .choice import choose, host_of
from .dates import DateReader, Form, Reading, holds_date, reader_of, zone_of
from .engine import Checker
from .parse import parse
from .reading import read_source
from .schema import DEFAULT_SCHEMA, Schema, builtin_names, load_schema
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


def _sources(paths: Sequence[str]) -> list[Any]:
    checker = Checker(load_schema())
    found = []
    for path in checker.discover(paths):
        source = read_source(path, checker.max_bytes)
        if source.unreadable is None:
            found.append(source)
    return found


def _base(sources: Sequence[Any], base: str | None) -> tuple[Schema, list[Any], str]:
    """The schema to extend, the files to learn from, and how they were chosen:
    all files for a given base; else the files of the built-in layout that
    fits most of them (the others are left to a run of their own)."""
    if base is not None:
        return load_schema(base), list(sources), f"extends {base} as asked"
    names = [DEFAULT_SCHEMA, *(n for n in builtin_names() if n != DEFAULT_SCHEMA)]
    schemas = tuple(load_schema(n) for n in names)
    chosen = [(choose(source, schemas)[0].name, source) for source in sources]
    votes = collections.Counter(name for name, _ in chosen)
    name, count = votes.most_common(1)[0]
    why = f"the {name} layout fits {count} of {len(sources)} files best"
    if count < len(sources):
        others = ", ".join(f"{n} {c}" for n, c in votes.most_common()[1:])
        why += f"; left out, for a run of their own: {others}"
    return load_schema(name), [s for n, s in chosen if n == name], why


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
        host = self.hosts[host_of(article) or "(no host)"]
        host.files += 1
        host.present.update(present)
        date = article.value("date")
        if not isinstance(date, str):
            return
        if not date.strip():
            host.empty_dates += 1
            return
        stamp = article.value("timestamp")
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
                properties[block] = {"required": held}
        if properties:
            record["properties"] = properties
        return record

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


def infer(paths: Sequence[str], name: str = "inferred", base: str | None = None) -> str:
    """A proposed schema for the article files under ``paths``, as YAML."""
    sources = _sources(paths)
    if not sources:
        raise ValueError("no readable article files to infer a schema from")
    schema, sources, why = _base(sources, base)
    sample = _Sample(schema)
    for source in sources:
        sample.add(parse(source, schema))
    document: dict[str, Any] = {
        "name": name,
        "description": (
            f"Proposed by newscheck schema infer from {sample.files} files ({why}). "
            "A starting point: review every choice before relying on it."
        ),
        "extends": base or schema.name,
    }
    layout = sample.layout()
    if layout:
        document["layout"] = layout
    record = sample.record()
    if record:
        document["record"] = record
    if "date" in schema.field_names:
        sources_ = sample.sources()
        if sources_:
            document["sources"] = sources_
    where = ", ".join(os.fspath(p) for p in paths)
    header = f"# newscheck schema infer {where}\n# {sample.files} files; edit before use.\n"
    return header + dump(document)
