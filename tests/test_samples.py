"""The project's own sample files: defective ones match their .expected, valid ones pass.

See samples/README.md for how the samples and the .expected files are made.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import newscheck

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
DEFECTIVE = sorted((SAMPLES / "defective").glob("*.md"))
VALID = sorted((SAMPLES / "valid").glob("*.md"))
SEED = sorted((SAMPLES / "seed").iterdir())
FIELDS = ("code", "rule", "severity", "line", "column", "end_line", "end_column")

Row = tuple[object, ...]


def _rows(result: newscheck.FileResult) -> list[Row]:
    return [
        (d.code, d.rule, str(d.severity), d.line, d.column, d.end_line, d.end_column)
        for d in result.diagnostics
    ]


def _expected(path: Path) -> list[Row]:
    lines = path.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    return [tuple(json.loads(line)[f] for f in FIELDS) for line in lines if line.strip()]


def _ids(paths: list[Path]) -> list[str]:
    return [p.name for p in paths]


def test_samples_exist() -> None:
    assert len(DEFECTIVE) >= 40
    assert len(VALID) >= 8
    assert SEED, "samples/seed is empty"
    for path in DEFECTIVE:
        assert path.with_suffix(".expected").is_file(), f"{path.name} has no .expected file"
    for expected in (SAMPLES / "defective").glob("*.expected"):
        assert expected.with_suffix(".md").is_file(), f"{expected.name} has no sample"
    assert not list((SAMPLES / "valid").glob("*.expected"))


@pytest.mark.parametrize("path", DEFECTIVE, ids=_ids(DEFECTIVE))
def test_defective_sample(path: Path) -> None:
    rows = _rows(newscheck.check_file(path))
    assert rows == _expected(path)
    named = re.match(r"NC[0-9]{3}", path.name)
    assert named, f"{path.name} does not start with a rule code"
    assert named.group() in {row[0] for row in rows}


@pytest.mark.parametrize("path", VALID + SEED, ids=_ids(VALID + SEED))
def test_valid_sample_has_no_error(path: Path) -> None:
    result = newscheck.check_file(path)
    errors = [d for d in result.diagnostics if d.severity is newscheck.Severity.ERROR]
    assert errors == []


def _cli(*paths: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newscheck", "check", *paths],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def test_cli_valid_samples_exit_0() -> None:
    done = _cli("samples/valid", "samples/seed/000_9d3caddefaca2668.txt")
    assert done.returncode == 0, done.stdout + done.stderr


def test_cli_defective_samples_exit_1() -> None:
    done = _cli("samples/defective")
    assert done.returncode == 1, done.stdout + done.stderr
    for path in DEFECTIVE:
        assert str(path.relative_to(ROOT)) in done.stdout, path.name
