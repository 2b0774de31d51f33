"""The corpus report: one self-contained HTML page.

Everything is inline (CSS, SVG plots drawn here): the page loads nothing,
runs no script and opens as a local file. It is built from aggregates
(:class:`newscheck.stats.Collector`) and a capped list of findings per rule,
so its size depends on the number of sources, periods and rules, not of
files: a corpus of 100,000 files gives a page of a few hundred kilobytes.
Links to files are relative to the page's folder.
"""

from __future__ import annotations

import html
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import quote

from . import __version__
from .reporters import printable
from .rules import lookup
from .stats import PARTS, Collector, Drift, DriftSettings, Group, drift
from .values import FileResult, Severity

# Okabe-Ito and Tableau hues: distinguishable, also for most colour-blind readers.
PALETTE = (
    "#0072b2",
    "#e69f00",
    "#009e73",
    "#cc79a7",
    "#56b4e9",
    "#d55e00",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
    "#000000",
)
PLOTTED_SOURCES = len(PALETTE)
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class Listed:
    path: str
    line: int
    column: int
    message: str
    related: tuple[str, ...] = ()


@dataclass
class RuleFindings:
    code: str
    name: str
    severity: str
    diagnostics: int = 0
    files: int = 0
    listed: list[Listed] = field(default_factory=list)


@dataclass
class Findings:
    """Per rule: counts, and the first ``cap`` diagnostics (in run order)."""

    cap: int = 20
    rules: dict[str, RuleFindings] = field(default_factory=dict)

    def add(self, result: FileResult) -> None:
        seen: set[str] = set()
        for d in result.diagnostics:
            found = self.rules.get(d.code)
            if found is None:
                found = self.rules[d.code] = RuleFindings(d.code, d.rule, str(d.severity))
            found.diagnostics += 1
            if d.code not in seen:
                seen.add(d.code)
                found.files += 1
            if len(found.listed) < self.cap:
                found.listed.append(Listed(result.path, d.line, d.column, d.message, d.related))

    def ordered(self) -> list[RuleFindings]:
        return sorted(
            self.rules.values(), key=lambda r: (SEVERITY_ORDER.get(r.severity, 3), r.code)
        )


def _e(text: object) -> str:
    """Any text the page shows: escaped as every text output is (:func:`printable`),
    markup characters escaped."""
    return html.escape(printable(str(text)), quote=True)


def _inline(text: str) -> str:
    """A rule summary, its reST ``literals`` as <code>."""
    pieces = text.split("``")
    return "".join(
        f"<code>{_e(piece)}</code>" if index % 2 else _e(piece)
        for index, piece in enumerate(pieces)
    )


def _href(path: str, base: str) -> str:
    """A relative link from the report's folder to a checked file."""
    relative = os.path.relpath(os.path.abspath(path), base)
    return quote(os.fsencode(relative.replace(os.sep, "/")))  # the name's own bytes


def _file_link(path: str, base: str, text: str | None = None) -> str:
    return f'<a href="{_e(_href(path, base))}">{_e(text or path)}</a>'


def _percent(with_it: int, files: int) -> str:
    return f"{with_it / files:.0%}" if files else "–"


# Plots


@dataclass(frozen=True)
class Series:
    label: str
    color: str
    points: Sequence[tuple[int, float, str]]  # x index, y in 0..1, tooltip


SCALES = (0.02, 0.05, 0.1, 0.25, 0.5, 1.0)


def scale(series: Sequence[Series]) -> float:
    """The smallest of SCALES that holds every point: low rates stay readable."""
    highest = max((v for s in series for _, v, _ in s.points), default=0.0)
    return next(top for top in SCALES if highest <= top)


def line_chart(
    title: str, periods: Sequence[str], series: Sequence[Series], scale_top: float = 1.0
) -> str:
    """An inline SVG line chart of shares (0 to ``scale_top``) over ``periods``."""
    width, height = 560, 230
    left, right, top, bottom = 44, 12, 26, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    count = max(len(periods), 1)

    def x(index: int) -> float:
        return left + (plot_w * index / (count - 1) if count > 1 else plot_w / 2)

    def y(share: float) -> float:
        return top + plot_h * (1 - share / scale_top)

    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{_e(title)}">',
        f'<text x="{left}" y="16" class="title">{_e(title)}</text>',
    ]
    for tick in (scale_top * quarter / 4 for quarter in range(5)):
        ty = y(tick)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{ty:.1f}" y2="{ty:.1f}" class="grid"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{ty + 4:.1f}" class="tick" text-anchor="end">'
            f"{_tick(tick)}</text>"
        )
    step = max(1, -(-len(periods) // 7))  # at most about 7 labels
    for index in range(0, len(periods), step):
        parts.append(
            f'<text x="{x(index):.1f}" y="{height - bottom + 16}" class="tick" '
            f'text-anchor="middle">{_e(_short(periods[index]))}</text>'
        )
    dots = len(periods) <= 62
    for line in series:
        coords = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v, _ in line.points)
        if len(line.points) > 1:
            parts.append(
                f'<polyline points="{coords}" fill="none" stroke="{line.color}" '
                'stroke-width="1.8" stroke-linejoin="round"/>'
            )
        if dots or len(line.points) == 1:
            for i, v, tip in line.points:
                parts.append(
                    f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="2.6" fill="{line.color}">'
                    f"<title>{_e(tip)}</title></circle>"
                )
    parts.append("</svg>")
    return "".join(parts)


def _tick(share: float) -> str:
    shown = f"{share * 100:.1f}".removesuffix(".0")
    return f"{shown}%"


def _short(period: str) -> str:
    """``2020-07-20`` as ``07-20``; weeks and others as they are."""
    return period[5:] if len(period) == 10 and period[4] == "-" else period


def _legend(series: Sequence[Series], hidden: int) -> str:
    items = "".join(
        f'<span class="key"><span class="swatch" style="background:{s.color}"></span>'
        f"{_e(s.label)}</span>"
        for s in series
    )
    more = f'<span class="key">and {hidden} smaller sources not plotted</span>' if hidden else ""
    return f'<div class="legend">{items}{more}</div>'


def _plots(collector: Collector) -> str:
    sources = sorted(collector.sources(), key=lambda s: (-collector.total(s).files, s))
    plotted = [s for s in sources if s != "(unknown)"][:PLOTTED_SOURCES]
    periods = sorted({p for (s, p) in collector.groups if s in plotted and p != "(none)"})
    where = {period: index for index, period in enumerate(periods)}

    def series(measure: str) -> list[Series]:
        found = []
        for number, source in enumerate(plotted):
            points = []
            for period in collector.periods(source):
                if period not in where:
                    continue
                group = collector.groups[(source, period)]
                with_it = _count(group, measure)
                share = with_it / group.files if group.files else 0.0
                tip = f"{source} {period}: {share:.0%} ({with_it} of {group.files} files)"
                points.append((where[period], share, tip))
            found.append(Series(source, PALETTE[number], points))
        return found

    hidden = len([s for s in sources if s != "(unknown)"]) - len(plotted)
    coverage = "".join(
        line_chart(f"Files with {part} present", periods, series(part)) for part in PARTS
    )
    errors, warnings = series("errors"), series("warnings")
    defects = line_chart("Files with errors", periods, errors, scale(errors)) + line_chart(
        "Files with warnings (no error)", periods, warnings, scale(warnings)
    )
    legend = _legend(series("date"), hidden)
    return (
        '<section id="coverage"><h2>Part coverage over time</h2>'
        f'{legend}<div class="charts">{coverage}</div></section>'
        '<section id="defects"><h2>Defect rates over time</h2>'
        f'{legend}<div class="charts">{defects}</div></section>'
    )


def _count(group: Group, measure: str) -> int:
    if measure in PARTS:
        return group.parts[measure]
    return group.errors if measure == "errors" else group.warnings


# Tables


def _top_rules(group: Group, limit: int = 4) -> str:
    top = sorted(group.diagnostics.items(), key=lambda item: (-item[1], item[0]))[:limit]
    shown = " ".join(
        f'<a href="#{_e(code.lower())}" class="code">{_e(code)}</a>×{count}' for code, count in top
    )
    rest = len(group.diagnostics) - len(top)
    return shown + (f" +{rest} rules" if rest > 0 else "") or "–"


def _group_cells(group: Group) -> str:
    shares = "".join(
        f'<td class="n">{_percent(group.parts[part], group.files)}</td>' for part in PARTS
    )
    median = "–" if group.median_chars is None else f"{group.median_chars:,}"
    return (
        f'<td class="n">{group.files:,}</td>{shares}<td class="n">{median}</td>'
        f'<td class="n">{_percent(group.errors, group.files)}</td>'
        f'<td class="n">{_percent(group.warnings, group.files)}</td>'
        f"<td>{_top_rules(group)}</td>"
    )


_HEAD = (
    '<th class="n">files</th><th class="n">date</th><th class="n">image</th>'
    '<th class="n">caption</th><th class="n">median body</th>'
    '<th class="n">with errors</th><th class="n">with warnings</th><th>most frequent rules</th>'
)


def _sources_table(collector: Collector) -> str:
    rows = []
    for source in collector.sources():
        total = collector.total(source)
        periods = [p for p in collector.periods(source) if p != "(none)"]
        span = f"{periods[0]} – {periods[-1]}" if periods else "–"
        rows.append(f"<tr><th>{_e(source)}</th><td>{_e(span)}</td>{_group_cells(total)}</tr>")
    return (
        '<section id="sources"><h2>Sources</h2>'
        '<p class="note">Shares of files with each part present; body length in visible '
        "characters; defect rates are shares of files.</p>"
        f"<table><thead><tr><th>source</th><th>periods</th>{_HEAD}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></section>"
    )


def _periods_tables(collector: Collector) -> str:
    blocks = []
    for source in collector.sources():
        rows = "".join(
            f"<tr><th>{_e(period)}</th>{_group_cells(collector.groups[(source, period)])}</tr>"
            for period in collector.periods(source)
        )
        blocks.append(
            f"<details><summary>{_e(source)} ({len(collector.periods(source))} "
            f"{collector.period}s)</summary><table><thead><tr><th>{collector.period}</th>"
            f"{_HEAD}</tr></thead><tbody>{rows}</tbody></table></details>"
        )
    return (
        f'<section id="periods"><h2>Per source and {collector.period}</h2>'
        f"{''.join(blocks)}</section>"
    )


def _drift_section(drifts: Sequence[Drift], settings: DriftSettings, base: str) -> str:
    head = (
        f'<section id="drift"><h2>Drift</h2><p class="note">Flagged: {_e(settings.describe())}.</p>'
    )
    if not drifts:
        return head + "<p>No abrupt change.</p></section>"
    rows = "".join(
        f"<tr><th>{_e(d.source)}</th><td>{_e(d.label)}</td><td>{_e(d.period)}</td>"
        f'<td class="n">{d.before:.0%} ({d.files_before:,})</td>'
        f'<td class="n">{d.after:.0%} ({d.files_after:,})</td>'
        f"<td>{_file_link(d.first_file, base) if d.first_file else '–'}</td></tr>"
        for d in drifts
    )
    return (
        head + "<table><thead><tr><th>source</th><th>share of files with</th><th>from</th>"
        '<th class="n">before (files)</th><th class="n">after (files)</th><th>first file</th>'
        f"</tr></thead><tbody>{rows}</tbody></table></section>"
    )


def _findings_section(findings: Findings, base: str) -> str:
    blocks = []
    for rule in findings.ordered():
        items = "".join(
            f'<li>{_file_link(item.path, base)}<span class="pos">:{item.line}:{item.column}'
            f"</span> {_message(item, base)}</li>"
            for item in rule.listed
        )
        more = rule.diagnostics - len(rule.listed)
        if more > 0:
            items += f'<li class="more">{more:,} more</li>'
        known = lookup(rule.code)
        summary = _inline(known.summary) if known else ""
        blocks.append(
            f'<details id="{_e(rule.code.lower())}"{" open" if _opened(rule) else ""}>'
            f'<summary><span class="code">{_e(rule.code)}</span> {_e(rule.name)} '
            f'<span class="sev {_e(rule.severity)}">{_e(rule.severity)}</span> '
            f"{rule.diagnostics:,} in {rule.files:,} files"
            f'<span class="doc"> — {summary}</span></summary><ul>{items}</ul></details>'
        )
    body = "".join(blocks) or "<p>No diagnostics.</p>"
    return f'<section id="findings"><h2>Findings by rule</h2>{body}</section>'


def _message(item: Listed, base: str) -> str:
    """The message; the other files it names (checks across files) as links."""
    named = ", ".join(item.related)
    at = item.message.rfind(named) if named else -1
    if at == -1:
        return _e(item.message)
    links = ", ".join(_file_link(path, base) for path in item.related)
    return _e(item.message[:at]) + links + _e(item.message[at + len(named) :])


def _opened(rule: RuleFindings) -> bool:
    """Errors and findings across files are shown unfolded."""
    known = lookup(rule.code)
    return rule.severity == "error" or (known is not None and known.corpus)


def _summary(collector: Collector, findings: Findings) -> str:
    counts = collector.counts
    groups = collector.groups.values()
    with_errors = sum(g.errors for g in groups)
    cards = (
        ("files", f"{collector.files:,}"),
        ("sources", f"{len(collector.sources()):,}"),
        ("files with errors", f"{with_errors:,}"),
        ("errors", f"{counts[Severity.ERROR]:,}"),
        ("warnings", f"{counts[Severity.WARNING]:,}"),
        ("info", f"{counts[Severity.INFO]:,}"),
        ("rules reporting", f"{len(findings.rules):,}"),
    )
    return (
        '<section class="cards">'
        + "".join(
            f'<div class="card"><div class="value">{value}</div>'
            f'<div class="label">{label}</div></div>'
            for label, value in cards
        )
        + "</section>"
    )


_CSS = """
:root{--fg:#1d2330;--muted:#5f6b7a;--line:#dde2ea;--bg:#f6f8fb;--accent:#0b63b6}
*{box-sizing:border-box}
body{margin:0;padding:24px 32px 48px;font:14px/1.45 system-ui,-apple-system,"Segoe UI",
"Noto Sans","Noto Sans CJK SC","PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",
sans-serif;color:var(--fg);
background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;padding-bottom:4px;
border-bottom:1px solid var(--line)}
.meta,.note{color:var(--muted);margin:4px 0 10px}
nav a{margin-right:14px}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:16px 0}
.card{background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:8px 14px;
min-width:110px}
.card .value{font-size:20px;font-weight:600}.card .label{color:var(--muted);font-size:12px}
table{border-collapse:collapse;width:100%;margin:6px 0 10px;font-size:13px}
th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
thead th{background:var(--bg);font-weight:600;white-space:nowrap}
tbody th{font-weight:500;white-space:nowrap}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tbody tr:nth-child(even){background:#fbfcfe}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(380px,1fr));gap:12px 16px}
svg.chart{background:#fff;border:1px solid var(--line);border-radius:6px;width:100%;
height:auto}
svg .title{font-size:13px;font-weight:600;fill:var(--fg)}
svg .tick{font-size:10.5px;fill:var(--muted)}svg .grid{stroke:#e9edf3;stroke-width:1}
.legend{display:flex;flex-wrap:wrap;gap:6px 16px;margin:4px 0 10px;color:var(--muted)}
.swatch{display:inline-block;width:14px;height:4px;border-radius:2px;margin-right:6px;
vertical-align:middle}
details{border:1px solid var(--line);border-radius:6px;margin:6px 0;padding:4px 10px}
summary{cursor:pointer;padding:2px 0}
details ul{margin:6px 0 4px;padding-left:18px}details li{margin:2px 0;word-break:break-word}
.code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-weight:600}
.pos{color:var(--muted)}.more{list-style:none;color:var(--muted);font-style:italic}
.doc{color:var(--muted)}code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}
.sev{font-size:11px;border-radius:3px;padding:0 5px;color:#fff;background:#7f7f7f}
.sev.error{background:#c0392b}.sev.warning{background:#b9770e}.sev.info{background:#2e86c1}
"""


def render(
    collector: Collector,
    findings: Findings,
    drifts: Sequence[Drift],
    settings: DriftSettings,
    output: str,
    schema: str = "",
) -> str:
    """The whole page; links relative to the folder of ``output``."""
    base = os.path.dirname(os.path.abspath(output))
    periods = sorted({p for (_, p) in collector.groups if p != "(none)"})
    span = f"{periods[0]} to {periods[-1]}" if periods else "no dated files"
    meta = (
        f"{collector.files:,} files, {len(collector.sources())} sources, {collector.period}s "
        f"from {span}" + (f"; schema {_e(schema)}" if schema else "") + f"; newscheck {__version__}"
    )
    nav = "".join(
        f'<a href="#{anchor}">{label}</a>'
        for anchor, label in (
            ("sources", "Sources"),
            ("coverage", "Coverage"),
            ("defects", "Defect rates"),
            ("drift", "Drift"),
            ("findings", "Findings"),
            ("periods", "Per period"),
        )
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>newscheck corpus report</title><style>{_CSS}</style></head><body>"
        f'<h1>newscheck corpus report</h1><p class="meta">{meta}</p><nav>{nav}</nav>'
        f"{_summary(collector, findings)}{_sources_table(collector)}{_plots(collector)}"
        f"{_drift_section(drifts, settings, base)}{_findings_section(findings, base)}"
        f"{_periods_tables(collector)}</body></html>\n"
    )


def build(
    results: Iterable[FileResult],
    settings: DriftSettings,
    output: str,
    cap: int = 20,
    schema: str = "",
) -> tuple[str, Collector, list[Drift]]:
    """Collect ``results`` and render the page (see :func:`render`)."""
    collector = Collector(settings.period)
    findings = Findings(cap)
    for result in results:
        collector.add(result)
        findings.add(result)
    drifts = drift(collector, settings)
    page = render(collector, findings, drifts, settings, output, schema)
    return page, collector, drifts
