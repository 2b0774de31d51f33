"""The wheel carries the built-in schemas: an installed newscheck finds them."""

from __future__ import annotations

import subprocess
import sys
import zipfile

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


def test_wheel_ships_the_schemas_and_works_outside_the_source_tree(tmp_path):
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
    (wheel,) = tmp_path.glob("newscheck-*.whl")
    # the version is written once, in newscheck/__init__.py; the wheel and its tag say it
    assert wheel.name.startswith(f"newscheck-{newscheck.__version__}-")
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        archive.extractall(site)
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
