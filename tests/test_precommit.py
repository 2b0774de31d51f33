"""The pre-commit hooks (.pre-commit-hooks.yaml), run by pre-commit itself.

pre-commit installs a hook repository from a git commit, so the test commits a
snapshot of this working tree (tracked and untracked files, as git sees them)
to a throwaway repository and points a corpus repository's
``.pre-commit-config.yaml`` at it with ``repo:`` and ``rev:``, exactly as a user
would. Installing the hook environment (a virtualenv with newscheck and its
dependencies from the package index) takes a few seconds and happens once per
session: every test shares one ``PRE_COMMIT_HOME``. Deselect with
``-m "not precommit"`` where no package index can be reached.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from .helpers import ROOT, article

pytestmark = [
    pytest.mark.precommit,
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
]

HOOKS = ("newscheck", "newscheck-corpus")
VALID = article()
DEFECTIVE = article(timestamp="<!--NaN-->")  # NC102 malformed-timestamp
DEFECT = "NC102"
_IGNORED = shutil.ignore_patterns(
    ".git", "__pycache__", "*.egg-info", ".*_cache", ".hypothesis", "build", "dist", ".venv"
)


def _environment(tmp: Path) -> dict[str, str]:
    """A hermetic environment for git and pre-commit (no outer hook's GIT_DIR, no user config)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("GIT_", "PRE_COMMIT")) and key not in ("GITHUB_ACTIONS", "SKIP")
    }
    empty = tmp / "gitconfig"
    empty.touch()
    env.update(
        GIT_CONFIG_GLOBAL=str(empty),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="newscheck tests",
        GIT_AUTHOR_EMAIL="tests@newscheck.invalid",
        GIT_COMMITTER_NAME="newscheck tests",
        GIT_COMMITTER_EMAIL="tests@newscheck.invalid",
        PRE_COMMIT_HOME=str(tmp / "pre-commit-home"),
        NO_COLOR="1",
    )
    return env


def _git(cwd: Path, env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, f"git {' '.join(args)} failed:\n{done.stdout}{done.stderr}"
    return done.stdout.strip()


def _snapshot(target: Path, env: dict[str, str]) -> None:
    """Copy this project's working tree (what git would commit, or the whole tree)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        check=False,
    )
    if listed.returncode != 0:  # not a git checkout (an unpacked sdist)
        shutil.copytree(ROOT, target, ignore=_IGNORED)
        return
    for name in listed.stdout.decode("utf-8").split("\0"):
        source = ROOT / name
        if name and source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


@dataclass
class Corpus:
    """A throwaway corpus repository whose .pre-commit-config.yaml uses both hooks."""

    path: Path
    env: dict[str, str]

    @classmethod
    def create(cls, path: Path, env: dict[str, str], hooks: Path, rev: str) -> Corpus:
        path.mkdir()
        corpus = cls(path, env)
        _git(path, env, "init", "-q", "-b", "main")
        config = (
            "repos:\n"
            f"  - repo: {hooks.as_posix()}\n"
            f"    rev: {rev}\n"
            "    hooks:\n"
            "      - id: newscheck\n"
            "      - id: newscheck-corpus\n"
        )
        corpus.write(".pre-commit-config.yaml", config)
        return corpus

    def write(self, name: str, text: str, *, commit: bool = True) -> None:
        (self.path / name).parent.mkdir(parents=True, exist_ok=True)
        (self.path / name).write_text(text, encoding="utf-8", newline="\n")
        _git(self.path, self.env, "add", name)
        if commit:
            _git(self.path, self.env, "commit", "-q", "--no-verify", "-m", f"add {name}")

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", *args],
            cwd=self.path,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )

    def hook(self, hook: str, *files: str) -> subprocess.CompletedProcess[str]:
        return self.run("run", hook, "--color", "never", "--verbose", "--files", *files)

    def commit(self, message: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["git", "commit", "-m", message],
            cwd=self.path,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )


@dataclass(frozen=True)
class HookRepo:
    path: Path
    rev: str
    env: dict[str, str]


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> HookRepo:
    """This working tree committed to a throwaway repository, its hook environment installed.

    The installation (a virtualenv, newscheck and its dependencies) is the slow
    part; it lands in a PRE_COMMIT_HOME that every test of the session shares.
    """
    try:
        import pre_commit  # noqa: F401
    except ImportError:
        pytest.fail("pre-commit is not installed: pip install -e '.[test]'")
    if not (ROOT / ".pre-commit-hooks.yaml").is_file():
        pytest.fail(f"{ROOT / '.pre-commit-hooks.yaml'} is missing")
    tmp = tmp_path_factory.mktemp("precommit")
    env = _environment(tmp)
    repo = tmp / "newscheck"
    repo.mkdir()
    _snapshot(repo, env)
    _git(repo, env, "init", "-q", "-b", "main")
    _git(repo, env, "add", "-A")
    _git(repo, env, "commit", "-q", "--no-verify", "-m", "snapshot of the working tree")
    rev = _git(repo, env, "rev-parse", "HEAD")
    probe = Corpus.create(tmp / "probe", env, repo, rev)
    done = probe.run("install-hooks")
    assert done.returncode == 0, f"pre-commit install-hooks failed:\n{_output(done)}"
    return HookRepo(repo, rev, env)


@pytest.fixture
def corpus(tmp_path: Path, hook_repo: HookRepo) -> Corpus:
    return Corpus.create(tmp_path / "corpus", hook_repo.env, hook_repo.path, hook_repo.rev)


def _output(done: subprocess.CompletedProcess[str]) -> str:
    return done.stdout + done.stderr


def _pre_commit(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def test_manifest_is_valid() -> None:
    done = _pre_commit("validate-manifest", ".pre-commit-hooks.yaml")
    assert done.returncode == 0, _output(done)


def test_ci_md_example_config_is_valid(tmp_path: Path) -> None:
    """The .pre-commit-config.yaml shown in docs/ci.md passes pre-commit's own validation."""
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    (example,) = [
        body
        for body in re.findall(r"^```yaml\n(.*?)^```", text, re.M | re.S)
        if body.startswith("# .pre-commit-config.yaml")
    ]
    (tmp_path / "config.yaml").write_text(example, encoding="utf-8")
    done = _pre_commit("validate-config", "config.yaml", cwd=tmp_path)
    assert done.returncode == 0, _output(done)


@pytest.mark.parametrize("hook", HOOKS)
def test_valid_article_passes(corpus: Corpus, hook: str) -> None:
    corpus.write("articles/voa/1.md", VALID)
    done = corpus.hook(hook, "articles/voa/1.md")
    assert done.returncode == 0, _output(done)
    assert "Passed" in done.stdout
    assert "Checked 1 file:" in done.stdout  # newscheck really ran, on the one article


@pytest.mark.parametrize("hook", HOOKS)
def test_defective_article_fails_with_its_code(corpus: Corpus, hook: str) -> None:
    corpus.write("articles/voa/1.md", VALID)
    corpus.write("articles/voa/2.md", DEFECTIVE)
    done = corpus.hook(hook, "articles/voa/2.md")
    assert done.returncode != 0, _output(done)
    assert "Failed" in done.stdout
    assert f"articles/voa/2.md:1:1: {DEFECT} malformed-timestamp" in done.stdout
    assert "- exit code: 1" in done.stdout  # newscheck's "defects found", not a crash


def test_file_hook_checks_only_the_named_files(corpus: Corpus) -> None:
    corpus.write("articles/voa/1.md", VALID)
    corpus.write("articles/voa/2.md", DEFECTIVE)
    done = corpus.hook("newscheck", "articles/voa/1.md")
    assert done.returncode == 0, _output(done)
    assert DEFECT not in done.stdout


def test_corpus_hook_checks_the_whole_corpus(corpus: Corpus) -> None:
    corpus.write("articles/voa/1.md", VALID)
    corpus.write("articles/dw/2.md", DEFECTIVE)
    done = corpus.hook("newscheck-corpus", "articles/voa/1.md")
    assert done.returncode != 0, _output(done)
    assert f"articles/dw/2.md:1:1: {DEFECT}" in done.stdout
    assert "Checked 2 files" in done.stdout  # both articles; not .pre-commit-config.yaml


@pytest.mark.parametrize("hook", HOOKS)
def test_hooks_skip_when_no_article_changed(corpus: Corpus, hook: str) -> None:
    corpus.write("articles/dw/2.md", DEFECTIVE)
    corpus.write("notes.txt", "not an article\n")
    done = corpus.hook(hook, "notes.txt")
    assert done.returncode == 0, _output(done)
    assert "Skipped" in done.stdout


def test_git_commit_runs_both_hooks(corpus: Corpus) -> None:
    installed = corpus.run("install")
    assert installed.returncode == 0, _output(installed)

    corpus.write("articles/voa/1.md", VALID, commit=False)
    good = corpus.commit("valid article")
    assert good.returncode == 0, _output(good)
    assert _output(good).count("Passed") == 2

    corpus.write("articles/voa/2.md", DEFECTIVE, commit=False)
    bad = corpus.commit("defective article")
    assert bad.returncode != 0, _output(bad)
    assert _output(bad).count("Failed") == 2
    assert DEFECT in _output(bad)
    assert _git(corpus.path, corpus.env, "log", "--format=%s", "-1") == "valid article"


@pytest.mark.parametrize("hook", HOOKS)
def test_hooks_leave_out_what_the_configuration_excludes(corpus: Corpus, hook: str) -> None:
    """--force-exclude: README.md, named by pre-commit, is not checked as an article."""
    corpus.write("pyproject.toml", '[tool.newscheck]\nextend-exclude = ["README.md"]\n')
    corpus.write("README.md", "# A corpus\n\nNot an article.\n")
    corpus.write("articles/voa/1.md", VALID)
    done = corpus.hook(hook, "README.md", "articles/voa/1.md")
    assert done.returncode == 0, _output(done)
    assert "Checked 1 file:" in done.stdout
    assert "README.md" not in done.stdout


def test_file_hook_skips_when_only_excluded_files_changed(corpus: Corpus) -> None:
    corpus.write("pyproject.toml", '[tool.newscheck]\nextend-exclude = ["docs/"]\n')
    corpus.write("docs/guide.md", DEFECTIVE)
    done = corpus.hook("newscheck", "docs/guide.md")
    assert done.returncode == 0, _output(done)
    assert "Checked 0 files" in done.stdout
    assert DEFECT not in done.stdout


@pytest.mark.parametrize("hook", HOOKS)
def test_hooks_are_restricted_to_the_default_include(corpus: Corpus, hook: str) -> None:
    """A .markdown file (a markdown type for pre-commit) is not an article: not sent."""
    corpus.write("notes.markdown", DEFECTIVE)
    done = corpus.hook(hook, "notes.markdown")
    assert done.returncode == 0, _output(done)
    assert "Skipped" in done.stdout
