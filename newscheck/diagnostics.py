"""Severities, diagnostics, and the registry of rules.

A rule is a small pure function registered with :func:`rule`: it receives an
:class:`~newscheck.article.Article` and its options and yields ``(span,
message)`` findings. The engine stamps each finding with the rule's code, name
and severity and turns the span into positions, so a rule never deals with
line numbers or configuration. The rule's docstring is its user documentation.
"""

from __future__ import annotations

import enum
import functools
import re
import textwrap
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jsonschema

    from .article import Article
    from .corpus import CorpusFinding, CorpusIndex
    from .source import Span

Finding = tuple["Span", str]
Check = Callable[["Article", Mapping[str, Any]], Iterator[Finding]]
# A check over the whole corpus (see newscheck.corpus): the index of every
# file's facts in, findings on files by their number out.
CorpusCheck = Callable[["CorpusIndex", Mapping[str, Any]], Iterator["CorpusFinding"]]


class Severity(enum.IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    def __str__(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        return cls[text.upper()]


SEVERITY_NAMES = ("error", "warning", "info", "off")
# Where the project, and its rules reference (docs/rules.md, generated from the rules), live.
PROJECT_URL = "https://github.com/newscheck/newscheck"
DOCS_URL = f"{PROJECT_URL}/blob/main/docs/rules.md"


_CODE = re.compile(r"NC[0-9]{3}")
_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_LARGEST = 2**31  # no line or column of a file newscheck reads comes near it
_UNDECODED = re.compile("[\ud800-\udfff]")


def undecoded_shown(text: str) -> str:
    """``text`` with what could not be decoded (a file name's bytes that are
    not UTF-8, held as lone surrogates) written out as ``\\xNN``: text that
    any encoder takes, as every report writes paths and messages."""
    if text.isascii():
        return text
    return _UNDECODED.sub(lambda found: escaped(found.group()), text)


def escaped(char: str) -> str:
    """One character as a visible escape: ``\\xNN`` for a byte that is not
    UTF-8 (as Python decodes a name), else as Python writes it (``\\n``, ``\\u202e``)."""
    if "\udc80" <= char <= "\udcff":
        return f"\\x{ord(char) - 0xDC00:02x}"
    return repr(char)[1:-1]


@dataclass(frozen=True)
class Diagnostic:
    """One defect at one place.

    ``fingerprint`` identifies the defect by its rule and the defective
    content, not by its position, so it survives edits that shift lines;
    ``excerpt`` is the start of the source line from ``excerpt_column``.
    """

    code: str
    rule: str
    severity: Severity
    message: str
    line: int
    column: int
    end_line: int
    end_column: int
    fingerprint: str = field(default="", compare=False, repr=False)
    excerpt: str = field(default="", compare=False, repr=False)
    excerpt_column: int = field(default=1, compare=False, repr=False)
    # the other files a check across files relates this one to (newscheck.corpus)
    related: tuple[str, ...] = field(default=(), compare=False, repr=False)

    def as_row(self) -> tuple[Any, ...]:
        """The fields as a plain tuple, for the cache and the corpus spill file."""
        return (
            self.code,
            self.rule,
            int(self.severity),
            self.message,
            self.line,
            self.column,
            self.end_line,
            self.end_column,
            self.fingerprint,
            self.excerpt,
            self.excerpt_column,
        )

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> Diagnostic:
        """The inverse of :meth:`as_row`; raises ValueError or TypeError on a
        row that is not one newscheck writes: every field is checked (a row
        may come from a cache file someone else wrote)."""
        code, rule, severity, message, line, column, end_line, end_column, *extra = row
        fingerprint, excerpt, excerpt_column = extra
        if not (isinstance(code, str) and _CODE.fullmatch(code)):
            raise ValueError(f"not a rule's code: {code!r}")
        if not (isinstance(rule, str) and _NAME.fullmatch(rule)):
            raise ValueError(f"not a rule's name: {rule!r}")
        if type(severity) is not int:
            raise TypeError(f"not a severity: {severity!r}")
        for text in (message, fingerprint, excerpt):
            if not isinstance(text, str):
                raise TypeError(f"not text: {text!r}")
        for number in (line, column, end_line, end_column, excerpt_column):
            if type(number) is not int or not 1 <= number <= _LARGEST:
                raise ValueError(f"not a line or column: {number!r}")
        return cls(
            code,
            rule,
            Severity(severity),
            message,
            line,
            column,
            end_line,
            end_column,
            fingerprint=fingerprint,
            excerpt=excerpt,
            excerpt_column=excerpt_column,
        )

    def sort_key(self) -> tuple[int, int, str]:
        return (self.line, self.column, self.code)

    def to_dict(self) -> dict[str, Any]:
        """The diagnostic as the JSON report (version 1) writes it:
        ``{"code", "rule", "severity": "error", "message", "line", "column",
        "end_line", "end_column"}``."""
        return {
            "code": self.code,
            "rule": self.rule,
            "severity": str(self.severity),
            "message": undecoded_shown(self.message),
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
        }


@dataclass(frozen=True)
class FileResult:
    """Every diagnostic of one file, sorted by position, and the file's facts
    (see :mod:`newscheck.facts`; empty when the file could not be parsed);
    ``schema`` names the schema that ``--schema auto`` chose for the file."""

    path: str
    diagnostics: tuple[Diagnostic, ...]
    facts: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    schema: str | None = None

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity is severity)

    @property
    def ok(self) -> bool:
        return self.count(Severity.ERROR) == 0

    def to_dict(self) -> dict[str, Any]:
        """The file as the JSON report (version 1) writes it: ``{"path",
        "schema" (only when ``--schema auto`` chose it), "diagnostics": [...]}``."""
        entry: dict[str, Any] = {"path": undecoded_shown(self.path)}
        if self.schema is not None:
            entry["schema"] = self.schema
        entry["diagnostics"] = [d.to_dict() for d in self.diagnostics]
        return entry


@dataclass(frozen=True)
class Rule:
    """A registered rule: identity, defaults, documentation and its check."""

    code: str
    name: str
    severity: Severity | None
    check: Check = field(repr=False)
    options: Mapping[str, Any] = field(default_factory=dict)
    option_schemas: Mapping[str, Any] = field(default_factory=dict)
    needs_parse: bool = True
    reports: tuple[str, ...] = ()
    corpus_check: CorpusCheck | None = field(default=None, repr=False)

    @property
    def corpus(self) -> bool:
        """A rule over the whole corpus: the per-file engine skips it."""
        return self.corpus_check is not None

    @property
    def doc(self) -> str:
        documented = self.corpus_check or self.check
        first, _, rest = (documented.__doc__ or "").partition("\n")
        return (first.strip() + "\n" + textwrap.dedent(rest)).strip()

    @property
    def help_uri(self) -> str:
        """The rule's section in the published rules reference."""
        return f"{DOCS_URL}#{self.code.lower()}-{self.name}"

    @property
    def summary(self) -> str:
        return self.doc.split("\n\n", 1)[0].replace("\n", " ")

    def options_schema(self) -> dict[str, Any]:
        """The JSON Schema that a rule's settings must satisfy."""
        properties: dict[str, Any] = {"severity": {"enum": list(SEVERITY_NAMES)}}
        for name, default in self.options.items():
            properties[name] = self.option_schemas.get(name) or _json_type(default)
            if isinstance(default, list | tuple):
                properties[EXTEND + name] = properties[name]
        return {"type": "object", "properties": properties, "additionalProperties": False}

    def options_error(self, options: Mapping[str, Any]) -> jsonschema.ValidationError | None:
        """What is most wrong with a rule's settings (None: nothing), the
        formats of :func:`_option_formats` included."""
        import jsonschema

        validator = jsonschema.Draft202012Validator(
            self.options_schema(), format_checker=_option_formats()
        )
        return jsonschema.exceptions.best_match(validator.iter_errors(options))


@functools.cache
def _option_formats() -> Any:
    """The formats of rule options: ``regex``, a pattern RE2 compiles (it runs
    them); ``zone``, a time zone the date rules read (+08:00 or an IANA name)."""
    import jsonschema

    from . import dates, patterns

    checker = jsonschema.FormatChecker(formats=())
    checker.checks("regex", raises=patterns.PatternError)(patterns.compile)
    checker.checks("zone")(dates.known_zone)
    return checker


def option_reason(error: jsonschema.ValidationError) -> str:
    """A settings error's message, with why a value is not of its format."""
    if error.validator == "format" and error.validator_value == "zone":
        return (
            f"unknown time zone {error.instance!r} "
            "(an offset such as +08:00 or an IANA name: Europe/Paris)"
        )
    if error.validator == "format" and error.cause is not None:
        return f"{error.message}: {error.cause}"
    return error.message


EXTEND = "extend-"  # an option named extend-NAME adds its items to the list option NAME


def with_options(base: Mapping[str, Any], given: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` options updated with ``given`` ones: ``NAME`` replaces a value,
    ``extend-NAME`` appends its items to the list ``NAME`` (after any replacement)."""
    options = dict(base)
    options.update({k: v for k, v in given.items() if not k.startswith(EXTEND)})
    for key, items in given.items():
        if key.startswith(EXTEND):
            name = key[len(EXTEND) :]
            options[name] = [*options.get(name, ()), *items]
    return options


@dataclass(frozen=True)
class RuleSetting:
    """A rule's effective severity (None = off) and options."""

    severity: Severity | None
    options: Mapping[str, Any]


def _json_type(value: Any) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"type": "boolean"}
    if isinstance(value, int):
        return {"type": "integer"}
    if isinstance(value, float):
        return {"type": "number"}
    if isinstance(value, str):
        return {"type": "string"}
    if isinstance(value, list | tuple):
        return {"type": "array"}
    return {}


REGISTRY: dict[str, Rule] = {}
_BY_NAME: dict[str, str] = {}


def rule(
    code: str,
    name: str,
    severity: str,
    *,
    reports: tuple[str, ...] = (),
    needs_parse: bool = True,
    option_schemas: Mapping[str, Any] | None = None,
    **options: Any,
) -> Callable[[Check], Check]:
    """Register the decorated check function as rule ``code``/``name``.

    ``reports`` names the layout states the rule reports, as ``part:missing``
    or ``part:malformed``; the generic missing-part and malformed-part rules
    report the others.
    """

    def register(check: Check) -> Check:
        if code in REGISTRY or name in _BY_NAME:
            raise ValueError(f"rule {code} {name} is registered twice")
        REGISTRY[code] = Rule(
            code=code,
            name=name,
            severity=None if severity == "off" else Severity.parse(severity),
            check=check,
            options=MappingProxyType(options),
            option_schemas=MappingProxyType(dict(option_schemas or {})),
            needs_parse=needs_parse,
            reports=reports,
        )
        _BY_NAME[name] = code
        return check

    return register


def _no_file_check(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    return iter(())


def corpus_rule(
    code: str,
    name: str,
    severity: str,
    *,
    option_schemas: Mapping[str, Any] | None = None,
    **options: Any,
) -> Callable[[CorpusCheck], CorpusCheck]:
    """Register the decorated function as rule ``code``/``name`` over the corpus.

    It receives the :class:`~newscheck.corpus.CorpusIndex` of every checked
    file's facts and its options, and yields findings on files by number (see
    :mod:`newscheck.corpus`). The rule is selected, ignored and configured like
    any other; the per-file engine skips it (it has nothing to see in one file),
    and :meth:`newscheck.engine.Checker.with_corpus` runs it once every file's
    result is in.
    """

    def register(check: CorpusCheck) -> CorpusCheck:
        rule(code, name, severity, option_schemas=option_schemas, **options)(_no_file_check)
        REGISTRY[code] = replace(REGISTRY[code], corpus_check=check)
        return check

    return register


def all_rules() -> list[Rule]:
    from . import rules  # noqa: F401  (registers the built-in rules)

    return [REGISTRY[code] for code in sorted(REGISTRY)]


def lookup(code_or_name: str) -> Rule | None:
    """A rule by its code (``NC101``) or its name (``missing-timestamp``)."""
    all_rules()
    code = _BY_NAME.get(code_or_name, code_or_name.upper())
    return REGISTRY.get(code)


@functools.cache
def claimed_states() -> frozenset[str]:
    """``part:status`` pairs that a dedicated built-in rule reports."""
    return frozenset(state for r in all_rules() for state in r.reports)


def default_settings() -> dict[str, RuleSetting]:
    return {r.code: RuleSetting(r.severity, r.options) for r in all_rules()}
