"""Mutation testing of the core modules with mutmut: which deliberate small
bugs (a ``<`` made ``<=``, a constant changed, a call dropped) the fast tests
do not notice.

    python benchmarks/mutation.py [MODULE ...] [--minutes N] [--work DIR] [--report FILE]
    python benchmarks/mutation.py --survivors [MODULE ...]   # after writing tests

MODULEs are dotted names under ``newscheck`` (default: every core module:
source, reading, parse with the html and yaml block kinds, engine, discovery,
runner, suppress, baseline, cache, cachekey and the reporters). The tracked
files are copied to DIR (default ``build/mutation``, kept between runs: mutmut
keeps each mutant's result while its function is unchanged, so a run goes on
where the last one stopped), mutmut mutates every core module there and runs,
for each mutant of the MODULEs, the tests of the fast subset that reach the
mutated function. Each module's run stops after ``--minutes`` (default 20); the
report (default ``build/mutation/report.md``) gives every core module's score
(killed out of mutants tested) and the diff of every surviving mutant.

It is CPU-heavy: it runs under ``nice`` on one worker unless ``--children``
says otherwise. mutmut needs ``pip install mutmut`` (not a test dependency).
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORE = [
    "source",
    "reading",
    "parse",
    "blocks.html",
    "blocks.yaml",
    "engine",
    "discovery",
    "runner",
    "suppress",
    "baseline",
    "cache",
    "cachekey",
    "reporters.json",
    "reporters.text",
    "reporters.sarif",
    "reporters.gitlab",
    "reporters.github",
    "reporters.junit",
]
# The fast subset: no corpus, no packaging, no pytest-in-pytest, no fuzzing;
# of tests/hostile, the files of a few seconds that test the engine's
# guarantees (the cache's HMACs, links, hostile names, suppressions). The
# battery and the bounded-time tests take tens of seconds (docs/mutation.md).
TESTS = [
    "tests/rules",
    "tests/unit",
    "tests/cli",
    "tests/hostile/test_cache_forgery.py",
    "tests/hostile/test_links.py",
    "tests/hostile/test_names.py",
    "tests/hostile/test_suppressions.py",
]
COPIED = ["samples", "schemas", "docs", "tests"]
KILLED = {"killed", "timeout", "segfault", "suspicious"}  # the tests noticed


def config(modules: list[str]) -> str:
    def listed(name: str, items: list[str]) -> str:
        return f"{name}=\n" + "".join(f"    {item}\n" for item in items)

    files = [f"newscheck/{m.replace('.', '/')}.py" for m in modules]
    return (
        "[mutmut]\n"
        + "source_paths=newscheck\n"
        + listed("only_mutate", files)
        + listed("also_copy", COPIED)
        + listed("pytest_add_cli_args_test_selection", TESTS)
        + listed("pytest_add_cli_args", ["-p", "no:cacheprovider", "-x", "-q"])
    )


def prepare(work: Path, modules: list[str]) -> None:
    """Copy the tracked files to ``work`` (mutmut's own state under
    ``work/mutants`` is kept) and write mutmut's configuration."""
    work.mkdir(parents=True, exist_ok=True)
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    names = {os.fsdecode(name) for name in tracked if name}
    for top in (work, work / "mutants"):  # a module moved or deleted since the last run
        for old in top.glob("*/**/*.py"):
            relative = old.relative_to(top).as_posix()
            if not relative.startswith("mutants/") and relative not in names:
                for stale in (old, *old.parent.glob(old.name + ".*")):  # and mutmut's state of it
                    stale.unlink()
    for module in modules:  # copied plain while not mutated: mutmut would keep the copy
        copy = work / "mutants" / "newscheck" / f"{module.replace('.', '/')}.py"
        if copy.is_file() and "mutmut" not in copy.read_text(encoding="utf-8"):
            copy.unlink()
    for name in filter(None, tracked):
        target = work / os.fsdecode(name)
        if target.parts[len(work.parts)] == "mutants":
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / os.fsdecode(name), target)
    (work / "setup.cfg").write_text(config(modules), encoding="utf-8")


def mutmut(work: Path, *args: str, timeout: float | None = None, module: bool = True) -> str:
    """Run mutmut (or, not ``module``, Python) in ``work``; its output."""
    command = ["nice", "-n", "15", sys.executable, *(["-m", "mutmut"] if module else []), *args]
    # The copy has no ../shared: its tests skip (never fail, as on CI) for want of it.
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "NEWSCHECK_REQUIRE_CORPUS")}
    env["PYTHONWARNINGS"] = "ignore"
    with subprocess.Popen(
        command,
        cwd=work,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
        start_new_session=True,  # its own group: a timeout stops mutmut's workers too
    ) as run:
        try:
            return run.communicate(timeout=timeout)[0]
        except subprocess.TimeoutExpired:
            os.killpg(run.pid, signal.SIGTERM)
            run.communicate()
            return ""


def statuses(work: Path) -> dict[str, str]:
    """Every mutant's name and status, as ``mutmut results --all`` lists them."""
    listed = mutmut(work, "results", "--all", "true")
    return dict(re.findall(r"^\s*(newscheck\.\S+): (.+?)\s*$", listed, re.MULTILINE))


# `mutmut show` for many mutants in one process (mutmut 3's own functions).
_DIFFS = """
import sys
from mutmut.mutation.diff_apply import get_diff_for_mutant
for name in sys.argv[1:]:
    print("\\0" + name)
    print(get_diff_for_mutant(name))
"""


def diffs(work: Path, names: list[str]) -> dict[str, str]:
    if not names:
        return {}
    shown = mutmut(work, "-c", _DIFFS, *names, module=False)
    return dict(part.split("\n", 1) for part in shown.split("\0")[1:])


def module_of(mutant: str, modules: list[str]) -> str:
    dotted = mutant.removeprefix("newscheck.")
    return max((m for m in modules if dotted.startswith(m + ".")), key=len, default="?")


def report(work: Path, modules: list[str]) -> str:
    found = statuses(work)
    counts: dict[str, collections.Counter[str]] = {m: collections.Counter() for m in modules}
    survivors: dict[str, list[str]] = collections.defaultdict(list)
    for mutant, status in sorted(found.items()):
        module = module_of(mutant, modules)
        if module not in counts:
            continue
        counts[module][status] += 1
        if status == "survived":
            survivors[module].append(mutant)
    lines = [
        "# Surviving mutants",
        "",
        "| module | mutants | tested | killed | survived | no tests | not run | score |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for module, count in counts.items():
        killed = sum(count[s] for s in KILLED)
        tested = killed + count["survived"]
        score = f"{100 * killed / tested:.1f} %" if tested else "-"
        row = [module, sum(count.values()), tested, killed, count["survived"]]
        rest = [count["no tests"], count["not checked"], score]
        lines.append("| " + " | ".join(map(str, [*row, *rest])) + " |")
    shown = diffs(work, [name for names in survivors.values() for name in names])
    for module, names in survivors.items():
        lines += ["", f"## {module}", ""]
        for name in names:
            lines += [f"### {name}", "", "```diff", shown.get(name, "").strip(), "```", ""]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", default=CORE, help="dotted, under newscheck")
    parser.add_argument("--minutes", type=float, default=20, help="per module (default 20)")
    parser.add_argument("--children", type=int, default=1, help="mutants run at once")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "mutation")
    parser.add_argument("--report", type=Path, help="default: WORK/report.md")
    parser.add_argument(
        "--survivors", action="store_true", help="run again only the mutants that survived"
    )
    args = parser.parse_args(argv)
    unknown = [
        m for m in args.modules if not (ROOT / "newscheck" / f"{m.replace('.', '/')}.py").is_file()
    ]
    if unknown:
        parser.error(f"no module newscheck.{unknown[0]}")
    prepare(args.work, CORE)
    survived = statuses(args.work) if args.survivors else {}
    if args.survivors:  # mutmut maps tests to functions once: map the new tests too
        (args.work / "mutants" / "mutmut-stats.json").unlink(missing_ok=True)
    for module in args.modules:
        names = [f"newscheck.{module}.*"]
        if args.survivors:  # after new tests: which survivors they kill
            names = [
                n for n, s in survived.items() if s == "survived" and module_of(n, CORE) == module
            ]
            if not names:
                continue
        print(f"mutating newscheck.{module} (at most {args.minutes:g} min)", flush=True)
        children = ["--max-children", str(args.children)]
        mutmut(args.work, "run", *children, *names, timeout=args.minutes * 60)
    text = report(args.work, CORE)
    target = args.report or args.work / "report.md"
    target.write_text(text, encoding="utf-8")
    print(text.split("\n\n## ")[0])
    print(f"Wrote {target}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
