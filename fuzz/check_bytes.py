"""Coverage-guided fuzzing of ``check_bytes`` with atheris (``pip install '.[fuzz]'``).

Every input is checked with each built-in schema and with ``--schema auto``;
an exception, an internal error (NC000), a position outside the file or a
result the reporters cannot render is a crash (tests/hostile/fuzz_target.py).

    python fuzz/check_bytes.py [--corpus DIR] [SEED ...] [-- LIBFUZZER-OPTION ...]

SEEDs are files or directories (every file below them); they are copied into
the working corpus DIR (default: a new temporary directory), which the fuzzer
then grows. Without SEEDs, the project's samples/ and docs/examples/ are the
seeds. libFuzzer's options follow ``--``, e.g. ``-max_total_time=1500``,
``-runs=100000``, ``-max_len=8192``; a crash is written to ``crash-<sha1>`` in
the current directory (``-artifact_prefix=`` changes that). Replay one input with
``python fuzz/check_bytes.py -- crash-<sha1>``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

import atheris

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.hostile.fuzz_target, from a clone

with atheris.instrument_imports(include=["newscheck"]):
    from tests.hostile import fuzz_target

    # newscheck imports its parser and rules on first use: import them now, instrumented
    for sample in sorted((ROOT / "samples" / "valid").glob("*.md")):
        fuzz_target.check(sample.read_bytes())


def test_one_input(data: bytes) -> None:
    fuzz_target.check(data)


def seed(corpus: Path, seeds: list[Path]) -> int:
    """Copy the seed files into ``corpus``; how many."""
    files = [p for s in seeds for p in ([s] if s.is_file() else sorted(s.rglob("*")))]
    files = [p for p in files if p.is_file()]
    for number, path in enumerate(files):
        shutil.copyfile(path, corpus / f"seed-{number:05}{path.suffix}")
    return len(files)


def main() -> None:
    argv = sys.argv[1:]
    split = argv.index("--") if "--" in argv else len(argv)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, help="the working corpus (default: a temp dir)")
    parser.add_argument("seeds", nargs="*", type=Path, help="seed files or directories")
    args = parser.parse_args(argv[:split])
    options = argv[split + 1 :]
    if any(not option.startswith("-") for option in options):  # replay these inputs
        atheris.Setup([sys.argv[0], *options], test_one_input)
        atheris.Fuzz()
    corpus = args.corpus or Path(tempfile.mkdtemp(prefix="newscheck-fuzz-"))
    corpus.mkdir(parents=True, exist_ok=True)
    count = seed(corpus, args.seeds or [ROOT / "samples", ROOT / "docs" / "examples"])
    print(f"working corpus {corpus}: {count} seed files", file=sys.stderr)
    atheris.Setup([sys.argv[0], *options, str(corpus)], test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
