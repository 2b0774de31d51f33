"""The wheel carries the built-in schemas (an installed newscheck finds them)
and its types (``py.typed``: a consumer's ``mypy --strict`` checks its use of the API)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile

import pytest

import newscheck

from .helpers import ROOT

PROBE = """
import newscheck, newscheck.schema as s
print(newscheck.__file__)
print(s.builtin_dir())
print(sorted(s.builtin_names()))
print(newscheck.load_schema().name)
print(newscheck.load_schema("examples/feedx-sources").path)
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """The wheel, built offline, unpacked: (its file names, the folder it is in)."""
    tmp_path = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (built,) = tmp_path.glob("newscheck-*.whl")
    site = tmp_path / "site"
    with zipfile.ZipFile(built) as archive:
        names = archive.namelist()
        archive.extractall(site)
    return names, site


def test_the_wheel_carries_the_version_written_once(wheel):
    names, _ = wheel
    # written in newscheck/__init__.py only; pyproject.toml reads it there
    assert f"newscheck-{newscheck.__version__}.dist-info/METADATA" in names


def test_wheel_ships_the_schemas_and_works_outside_the_source_tree(wheel, tmp_path):
    names, site = wheel
    assert "newscheck/schemas/feed-article.yaml" in names
    assert "newscheck/schemas/meta-schema.json" in names
    assert "newscheck/schemas/feed-article-dated.yaml" in names
    assert "newscheck/schemas/jekyll-feed-article.yaml" in names
    assert "newscheck/schemas/examples/feedx-sources.yaml" in names
    probe = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(site), "PATH": ""},
        check=True,
    )
    module, schemas, names_line, default, example = probe.stdout.splitlines()
    assert module.startswith(str(site))
    assert schemas == str(site / "newscheck" / "schemas")
    assert "'feed-article'" in names_line
    assert default == "feed-article"
    assert "'jekyll-feed-article'" in names_line and "'feed-article-dated'" in names_line
    assert example == str(site / "newscheck" / "schemas" / "examples" / "feedx-sources.yaml")


CONSUMER = """
from __future__ import annotations

from typing import Any

import newscheck
from newscheck import FileResult, Severity


def errors(path: str) -> list[tuple[int, int, str]]:
    result: FileResult = newscheck.check_file(path)
    return [(d.line, d.column, d.code) for d in result.diagnostics if d.severity is Severity.ERROR]


def report(paths: list[str]) -> dict[str, dict[str, Any]]:
    return {result.path: result.to_dict() for result in newscheck.check_paths(paths)}
"""
MISTAKE = """
import newscheck

line: str = newscheck.check_text("").diagnostics[0].line
"""


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory):
    """A bare virtual environment with the wheel unpacked in its site-packages
    (and nothing else: not the source tree's newscheck): its interpreter."""
    names, site = wheel
    env = tmp_path_factory.mktemp("env")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True)
    python = env / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    where = [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]
    purelib = subprocess.run(where, capture_output=True, text=True, check=True).stdout.strip()
    for name in names:
        if name.startswith("newscheck/"):
            target = os.path.join(purelib, name)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copyfile(site / name, target)
    return python


def mypy_strict(python, folder, code):
    """``mypy --strict`` on ``code`` as a consumer of the newscheck ``python`` has installed."""
    (folder / "consumer.py").write_text(code, encoding="utf-8")
    command = [sys.executable, "-m", "mypy", "--strict", "--no-incremental"]
    return subprocess.run(
        [*command, "--python-executable", str(python), "consumer.py"],
        capture_output=True,
        text=True,
        cwd=folder,
    )


def test_the_wheel_is_typed_for_a_strict_consumer(wheel, installed, tmp_path):
    assert "newscheck/py.typed" in wheel[0]
    checked = mypy_strict(installed, tmp_path, CONSUMER)
    assert (checked.returncode, checked.stdout) == (
        0,
        "Success: no issues found in 1 source file\n",
    )
    # The types are the API's own, not Any: a misuse is an error.
    checked = mypy_strict(installed, tmp_path, MISTAKE)
    assert checked.returncode == 1
    assert (
        'Incompatible types in assignment (expression has type "int", variable has type "str")'
        in checked.stdout
    )
