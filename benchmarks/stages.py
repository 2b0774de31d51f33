"""Where a cold check spends its time per file, stage by stage.

Runs each stage of a file's check on its own, in one process, over every
file of a folder (by default ../shared/corpus/feed), and prints the mean
microseconds per file of each: reading, decoding, the layout, the HTML parse
with the extraction, each rule, the facts for the checks across files, and the
diagnostics. Stages run one after another on the same file, as in a check;
the figures add up to a little less than a whole check (the engine's own
bookkeeping is left out).

Usage: python benchmarks/stages.py [FOLDER] [--top 20]
"""

from __future__ import annotations

import argparse
import collections
import sys
import time

from run import FEED  # benchmarks/run.py, beside this script

from newscheck import source as sources
from newscheck.engine import Checker
from newscheck.facts import facts
from newscheck.parse import match_layout, parse
from newscheck.rules import all_rules
from newscheck.runner import keep_heap
from newscheck.schema import DEFAULT_SCHEMA, load_schema


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("folder", nargs="?", default=str(FEED))
    parser.add_argument("--top", type=int, default=20, help="rules listed one by one")
    args = parser.parse_args()
    schema = load_schema(DEFAULT_SCHEMA)
    rules = [
        (rule, schema.rules[rule.code].options)
        for rule in all_rules()
        if schema.rules[rule.code].severity is not None and not rule.corpus
    ]
    files = list(Checker(schema).discover([args.folder]))
    keep_heap()  # as a worker does past its first group of files
    if not files:
        print(f"no files under {args.folder}", file=sys.stderr)
        return 2
    spent: collections.Counter[str] = collections.Counter()
    clock = time.perf_counter
    for path in files:
        start = clock()
        with open(path, "rb") as handle:
            data = handle.read()
        read = clock()
        source = sources.from_bytes(data, path)
        decoded = clock()
        layout = match_layout(source, schema)
        matched = clock()
        article = parse(source, schema, layout)
        parsed = clock()
        spent["read"] += read - start
        spent["decode and index lines"] += decoded - read
        spent["layout"] += matched - decoded
        spent["HTML parse and extraction"] += parsed - matched
        for rule, options in rules:
            before = clock()
            for span, _ in rule.check(article, options):
                source.position(span.start)  # what a diagnostic needs of its span
            spent[f"rule {rule.code} {rule.name}"] += clock() - before
        before = clock()
        facts(article)
        spent["facts"] += clock() - before
    count = len(files)
    total = sum(spent.values())
    ranked = sorted(
        ((name, seconds) for name, seconds in spent.items() if not name.startswith("rule ")),
        key=lambda item: -item[1],
    )
    by_rule = sorted(
        ((name, seconds) for name, seconds in spent.items() if name.startswith("rule ")),
        key=lambda item: -item[1],
    )
    rule_total = sum(seconds for _, seconds in by_rule)
    print(f"{count} files, {1e6 * total / count:.0f} us per file in all")
    for name, seconds in [*ranked, (f"{len(by_rule)} rules", rule_total)]:
        share = 100 * seconds / total
        print(f"  {1e6 * seconds / count:7.1f} us  {share:4.1f}%  {name}")
    print(f"the {min(args.top, len(by_rule))} costliest rules:")
    for name, seconds in by_rule[: args.top]:
        print(f"  {1e6 * seconds / count:7.1f} us  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
