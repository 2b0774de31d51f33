"""Corpus statistics per source and period, and drift between periods.

:class:`Collector` takes the results of a run one at a time (after the corpus
rules, so their diagnostics count) and keeps, per source (the link's host) and
period (UTC day or ISO week of the timestamp), a few counters and the body
lengths: memory grows with sources x periods, plus one integer a file.

:func:`drift` finds, per source, the period from which the share of files with
a part (date, image, caption) or with a rule's diagnostics changes abruptly:
the pooled share of the ``window`` periods from it on against the ``window``
periods before it, by at least ``threshold``, with at least ``min_files`` files
on each side. From a run of neighbouring periods that pass, the one with the
largest change is reported, with the first file (by timestamp) that shows the
new state.

The table, JSON and CSV renderings are here too; the HTML report is in
:mod:`newscheck.corpus_page`.
"""

from __future__ import annotations

import array
import collections
import csv
import io
import json
import statistics
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .reporters import csv_cell, json_safe, printable
from .rules import lookup
from .values import FileResult, Severity

PARTS = ("date", "image", "caption")
PART_LABELS = {"date": "date present", "image": "image present", "caption": "caption present"}
NO_SOURCE, NO_PERIOD, ALL = "(unknown)", "(none)", "all"
VERSION = 1

First = tuple[int, int, str]  # timestamp, file number, path: the earliest file wins


@dataclass(frozen=True)
class DriftSettings:
    """How drift is found (see the module's documentation)."""

    period: str = "day"
    threshold: float = 0.5
    window: int = 3
    min_files: int = 5

    def describe(self) -> str:
        unit = self.period + ("s" if self.window != 1 else "")
        return (
            f"share change >= {self.threshold:.2f} between the {self.window} {unit} before and "
            f"the {self.window} {unit} from a {self.period} on, at least {self.min_files} "
            "files on each side"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "period": self.period,
            "threshold": self.threshold,
            "window": self.window,
            "min_files": self.min_files,
        }


@dataclass
class Group:
    """One source in one period."""

    files: int = 0
    parts: collections.Counter[str] = field(default_factory=collections.Counter)
    chars: array.array[int] = field(default_factory=lambda: array.array("q"))
    diagnostics: collections.Counter[str] = field(default_factory=collections.Counter)
    rule_files: collections.Counter[str] = field(default_factory=collections.Counter)
    errors: int = 0  # files with an error
    warnings: int = 0  # files with a warning (and no error)
    earliest: First | None = None
    first_with: dict[str, First] = field(default_factory=dict)
    first_without: dict[str, First] = field(default_factory=dict)

    def share(self, metric: str) -> tuple[int, int]:
        """(files with, files) for a part or a rule code."""
        counted = self.parts if metric in PARTS else self.rule_files
        return counted[metric], self.files

    @property
    def median_chars(self) -> int | None:
        return int(statistics.median(self.chars)) if self.chars else None

    def merge(self, other: Group) -> None:
        """Add ``other``'s counts (for a source's totals; firsts are not kept)."""
        self.files += other.files
        self.parts.update(other.parts)
        self.chars.extend(other.chars)
        self.diagnostics.update(other.diagnostics)
        self.rule_files.update(other.rule_files)
        self.errors += other.errors
        self.warnings += other.warnings


def _earlier(found: First | None, candidate: First) -> bool:
    return found is None or candidate[:2] < found[:2]


def period_of(timestamp: int | None, period: str) -> str:
    """The UTC day (``2020-07-20``) or ISO week (``2020-W30``) of epoch milliseconds."""
    if timestamp is None:
        return NO_PERIOD
    try:
        day = datetime.fromtimestamp(timestamp / 1000, UTC).date()
    except (OverflowError, OSError, ValueError):
        return NO_PERIOD
    if period == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02}"
    return day.isoformat()


@dataclass
class Collector:
    """Per source and period counters over a stream of results."""

    period: str = "day"
    groups: dict[tuple[str, str], Group] = field(default_factory=dict)
    files: int = 0
    counts: collections.Counter[Severity] = field(default_factory=collections.Counter)

    def add(self, result: FileResult) -> None:
        number = self.files
        self.files += 1
        facts = result.facts
        timestamp = facts.get("timestamp")
        timestamp = timestamp if isinstance(timestamp, int) else None
        source = facts.get("host") or NO_SOURCE
        key = (source, period_of(timestamp, self.period))
        group = self.groups.get(key)
        if group is None:
            group = self.groups[key] = Group()
        group.files += 1
        states = {
            "date": facts.get("date") == "present",
            "image": bool(facts.get("images")),
            "caption": bool(facts.get("caption")),
        }
        for part, present in states.items():
            group.parts[part] += present
        if facts.get("body_chars") is not None:
            group.chars.append(int(facts["body_chars"]))
        codes = set()
        worst = 0
        for d in result.diagnostics:
            group.diagnostics[d.code] += 1
            codes.add(d.code)
            worst = max(worst, int(d.severity))
            self.counts[d.severity] += 1
        group.rule_files.update(codes)
        group.errors += worst == Severity.ERROR
        group.warnings += worst == Severity.WARNING
        if timestamp is None:
            return
        first = (timestamp, number, result.path)
        for code in codes - group.first_with.keys() - group.first_without.keys():
            if group.earliest is not None:  # every file so far lacked it
                group.first_without[code] = group.earliest
        states.update({code: code in codes for code in group.rule_files})
        for metric, present in states.items():
            firsts = group.first_with if present else group.first_without
            if _earlier(firsts.get(metric), first):
                firsts[metric] = first
        if _earlier(group.earliest, first):
            group.earliest = first

    def sources(self) -> list[str]:
        return sorted({source for source, _ in self.groups})

    def periods(self, source: str) -> list[str]:
        return sorted(period for s, period in self.groups if s == source)

    def total(self, source: str) -> Group:
        total = Group()
        for period in self.periods(source):
            total.merge(self.groups[(source, period)])
        return total


def collect(results: Iterable[FileResult], period: str = "day") -> Collector:
    collector = Collector(period)
    for result in results:
        collector.add(result)
    return collector


@dataclass(frozen=True)
class Drift:
    """An abrupt change of one share in one source, from ``period`` on."""

    source: str
    metric: str  # a part name or a rule code
    period: str
    before: float
    after: float
    files_before: int
    files_after: int
    first_file: str | None

    @property
    def label(self) -> str:
        if self.metric in PART_LABELS:
            return PART_LABELS[self.metric]
        rule = lookup(self.metric)
        return f"{self.metric} {rule.name}" if rule else self.metric

    def describe(self) -> str:
        where = f"; first file: {printable(self.first_file)}" if self.first_file else ""
        return (
            f"{printable(self.source)}: {self.label} {self.before:.0%} -> {self.after:.0%} "
            f"from {self.period} on ({self.files_before} files before, "
            f"{self.files_after} from then){where}"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "metric": self.metric,
            "label": self.label,
            "period": self.period,
            "before": round(self.before, 4),
            "after": round(self.after, 4),
            "files_before": self.files_before,
            "files_after": self.files_after,
            "first_file": self.first_file,
        }


def _pooled(groups: list[Group], metric: str) -> tuple[float, int]:
    hits = files = 0
    for group in groups:
        with_it, count = group.share(metric)
        hits, files = hits + with_it, files + count
    return (hits / files if files else 0.0), files


def _source_drift(collector: Collector, source: str, settings: DriftSettings) -> Iterator[Drift]:
    periods = [p for p in collector.periods(source) if p != NO_PERIOD]
    groups = [collector.groups[(source, p)] for p in periods]
    codes = sorted({code for g in groups for code in g.rule_files})
    window = settings.window
    for metric in (*PARTS, *codes):
        candidates: list[tuple[int, float, float, int, int]] = []
        for index in range(1, len(groups)):
            before, files_before = _pooled(groups[max(0, index - window) : index], metric)
            after, files_after = _pooled(groups[index : index + window], metric)
            if min(files_before, files_after) < settings.min_files:
                continue
            if abs(after - before) >= settings.threshold:
                candidates.append((index, before, after, files_before, files_after))
        for run in _runs(candidates):
            index, before, after, files_before, files_after = max(
                run, key=lambda c: (abs(c[2] - c[1]), -c[0])
            )
            rising = after > before
            first: First | None = None
            for group in groups[index : index + window]:  # in time order
                first = (group.first_with if rising else group.first_without).get(metric)
                if first is not None:
                    break
            yield Drift(
                source,
                metric,
                periods[index],
                before,
                after,
                files_before,
                files_after,
                first[2] if first else None,
            )


def _runs(
    candidates: list[tuple[int, float, float, int, int]],
) -> Iterator[list[tuple[int, float, float, int, int]]]:
    """Candidates in runs of neighbouring periods changing the same way."""
    run: list[tuple[int, float, float, int, int]] = []
    for candidate in candidates:
        if run and (
            candidate[0] != run[-1][0] + 1
            or (candidate[2] > candidate[1]) != (run[-1][2] > run[-1][1])
        ):
            yield run
            run = []
        run.append(candidate)
    if run:
        yield run


def drift(collector: Collector, settings: DriftSettings) -> list[Drift]:
    """Every abrupt change, by source then period then metric."""
    found = [
        d for source in collector.sources() for d in _source_drift(collector, source, settings)
    ]
    return sorted(found, key=lambda d: (d.source, d.period, d.metric))


# Renderings


def _share(with_it: int, files: int) -> float | None:
    return round(with_it / files, 4) if files else None


def group_dict(group: Group) -> dict[str, Any]:
    return {
        "files": group.files,
        **{part: _share(group.parts[part], group.files) for part in PARTS},
        "median_body_chars": group.median_chars,
        "files_with_errors": group.errors,
        "files_with_warnings": group.warnings,
        "diagnostics": dict(sorted(group.diagnostics.items())),
    }


def as_json(collector: Collector, drifts: list[Drift], settings: DriftSettings) -> str:
    sources = []
    for source in collector.sources():
        periods = [
            {"period": period, **group_dict(collector.groups[(source, period)])}
            for period in collector.periods(source)
        ]
        sources.append(
            {"source": source, **group_dict(collector.total(source)), "periods": periods}
        )
    document = {
        "version": VERSION,
        "files": collector.files,
        "period": collector.period,
        "sources": sources,
        "drift": {**settings.as_dict(), "findings": [d.as_dict() for d in drifts]},
    }
    return json_safe(json.dumps(document, ensure_ascii=False, indent=1)) + "\n"


def _rows(collector: Collector) -> Iterator[tuple[str, str, Group]]:
    for source in collector.sources():
        for period in collector.periods(source):
            yield source, period, collector.groups[(source, period)]
        yield source, ALL, collector.total(source)


def as_csv(collector: Collector) -> str:
    """One row per source and period, and an ``all`` row per source; a column per rule."""
    codes = sorted({code for g in collector.groups.values() for code in g.diagnostics})
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "source",
            "period",
            "files",
            *PARTS,
            "median_body_chars",
            "files_with_errors",
            "files_with_warnings",
            *codes,
        ]
    )
    for source, period, group in _rows(collector):
        shares = [_share(group.parts[part], group.files) for part in PARTS]
        writer.writerow(
            [
                csv_cell(source),
                period,
                group.files,
                *("" if s is None else f"{s:.4f}" for s in shares),
                "" if group.median_chars is None else group.median_chars,
                group.errors,
                group.warnings,
                *(group.diagnostics[code] for code in codes),
            ]
        )
    return out.getvalue()


def _percent(with_it: int, files: int) -> str:
    return f"{with_it / files:.0%}" if files else "-"


def as_table(collector: Collector, drifts: list[Drift], settings: DriftSettings) -> str:
    """The terminal table: per source, a row per period and a total row; then drift."""
    header = ("source", "period", "files", "date", "image", "caption", "median", "diagnostics")
    rows: list[tuple[str, ...]] = []
    for source, period, group in _rows(collector):
        top = sorted(group.diagnostics.items(), key=lambda item: (-item[1], item[0]))
        rows.append(
            (
                printable(source),
                period,
                str(group.files),
                *(_percent(group.parts[part], group.files) for part in PARTS),
                "-" if group.median_chars is None else str(group.median_chars),
                " ".join(f"{code}:{count}" for code, count in top) or "-",
            )
        )
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header) - 1)]
    right = {2, 3, 4, 5, 6}
    lines = []
    for row in [header, *rows]:
        cells = [
            cell.rjust(width) if i in right else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(row[:-1], widths, strict=True))
        ]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    lines.append("")
    lines.append(f"Drift ({settings.describe()}):")
    lines.extend(f"  {d.describe()}" for d in drifts)
    if not drifts:
        lines.append("  none")
    sources = collector.sources()
    lines.append(f"{collector.files} files, {len(sources)} sources.")
    return "\n".join(lines) + "\n"
