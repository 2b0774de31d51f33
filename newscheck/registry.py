"""The registry of rules: what a rule is, the decorators that register one,
and its options.

A rule is a small pure function registered with :func:`rule`: it receives an
:class:`~newscheck.article.Article` and its options and yields ``(span,
message)`` findings. The engine stamps each finding with the rule's code, name
and severity and turns the span into positions, so a rule never deals with
line numbers or configuration. The rule's docstring is its user documentation.

The modules of :mod:`newscheck.rules` import this one to register their
rules; everything else asks :mod:`newscheck.rules` (``all_rules``,
``lookup``), which registers the built-in rules first.
"""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from . import dates, patterns
from .values import SEVERITY_NAMES, Finding, Severity

if TYPE_CHECKING:
    import jsonschema

    from .article import Article
    from .corpus_index import CorpusFinding, CorpusIndex
    from .examples import Examples

Check = Callable[["Article", Mapping[str, Any]], Iterator[Finding]]
# A check over the whole corpus (see newscheck.corpus_index): the index of
# every file's facts in, findings on files by their number out.
CorpusCheck = Callable[["CorpusIndex", Mapping[str, Any]], Iterator["CorpusFinding"]]

# Where the project, and its rules reference (docs/rules.md, generated from the rules), live.
PROJECT_URL = "https://github.com/newscheck/newscheck"
DOCS_URL = f"{PROJECT_URL}/blob/main/docs/rules.md"


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
    def examples(self) -> Examples | None:
        """The rule's examples (see :mod:`newscheck.examples`); None: it has none."""
        return getattr(self.corpus_check or self.check, "examples", None)

    @property
    def doc(self) -> str:
        """The docstring, then the ``Fail::`` and ``Pass::`` blocks of the examples."""
        documented = self.corpus_check or self.check
        first, _, rest = (documented.__doc__ or "").partition("\n")
        doc = (first.strip() + "\n" + textwrap.dedent(rest)).strip()
        shown = self.examples.doc() if self.examples else ""
        return doc + "\n\n" + shown if shown else doc

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
        import jsonschema  # here: only a configuration or schema that sets options needs it

        validator = jsonschema.Draft202012Validator(
            self.options_schema(), format_checker=_option_formats()
        )
        return jsonschema.exceptions.best_match(validator.iter_errors(options))


@functools.cache
def _option_formats() -> Any:
    """The formats of rule options: ``regex``, a pattern RE2 compiles (it runs
    them); ``zone``, a time zone the date rules read (+08:00 or an IANA name)."""
    import jsonschema  # here: see Rule.options_error

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


def code_of(code_or_name: str) -> str:
    """The code of the rule named ``code_or_name`` (its code or its name)."""
    return _BY_NAME.get(code_or_name, code_or_name.upper())


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

    It receives the :class:`~newscheck.corpus_index.CorpusIndex` of every
    checked file's facts and its options, and yields findings on files by
    number (see :mod:`newscheck.corpus_run`). The rule is selected, ignored and configured like
    any other; the per-file engine skips it (it has nothing to see in one file),
    and :func:`newscheck.corpus_run.merged` runs it once every file's result
    is in.
    """

    def register(check: CorpusCheck) -> CorpusCheck:
        rule(code, name, severity, option_schemas=option_schemas, **options)(_no_file_check)
        REGISTRY[code] = replace(REGISTRY[code], corpus_check=check)
        return check

    return register


@functools.cache
def claimed_states() -> frozenset[str]:
    """``part:status`` pairs that a dedicated built-in rule reports (asked by
    a rule's check, so once every built-in rule is registered)."""
    return frozenset(state for r in REGISTRY.values() for state in r.reports)
