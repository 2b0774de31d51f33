"""Links and kernel files: nothing outside the checked tree is read or shown.

Walking a folder, a symbolic link (to a file or a folder, inside the tree or
out of it) is neither followed nor checked; a link named on the command line
is followed. A file the kernel makes up as it is read (``/proc``, ``/sys``:
its bytes are not as many as its size says) is reported without a byte of it.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from newscheck.cli import main

from ..helpers import article
from ..offline import sitecustomize as offline

SECRET = "s3cret-7f1c"
LINKED = "linked/environ.md"


@pytest.fixture
def planted(tmp_path, monkeypatch):
    """cwd = tmp_path: a sound article, and links planted beside it."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "good.md").write_text(article(1), encoding="utf-8")
    (tmp_path / "env.md").symlink_to("/proc/self/environ")
    return tmp_path


def newscheck(*args: str) -> subprocess.CompletedProcess[str]:
    """newscheck in a process whose environment holds the secret."""
    env = offline.environment(FOO_TOKEN=SECRET, NO_COLOR="1")
    return subprocess.run(
        [sys.executable, "-m", "newscheck", *args, "--no-cache"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


@pytest.mark.parametrize(
    "output",
    [
        ["--output-format", "text"],
        ["--show-source"],
        ["--output-format", "json"],
        ["--output-format", "github"],
        ["--output-format", "sarif"],
    ],
)
def test_a_link_to_proc_environ_found_in_the_tree_is_not_read(planted, output):
    done = newscheck("check", ".", *output)
    assert SECRET not in done.stdout + done.stderr
    assert "env.md" not in done.stdout
    assert done.returncode == 0


@pytest.mark.parametrize(
    "output", [["--show-source"], ["--output-format", "json"], ["--output-format", "github"]]
)
def test_a_link_to_proc_environ_named_is_reported_without_its_content(planted, output):
    done = newscheck("check", "env.md", *output)
    assert SECRET not in done.stdout + done.stderr
    assert "its content is not the size it has on disk" in done.stdout
    assert done.returncode == 1


def test_stats_and_report_do_not_read_it_either(planted):
    done = newscheck("stats", ".", "--format", "json")
    assert SECRET not in done.stdout + done.stderr and done.returncode == 0
    done = newscheck("report", ".", "-o", "r.html")
    assert done.returncode == 0
    assert SECRET not in (planted / "r.html").read_text(encoding="utf-8")


def test_a_link_to_a_file_outside_the_tree_is_skipped_when_walking(
    planted, capsys, tmp_path_factory
):
    outside = tmp_path_factory.mktemp("outside") / "secret.md"
    outside.write_text(f"token = {SECRET}\n", encoding="utf-8")
    (planted / "secret.md").symlink_to(outside)
    (planted / "inside.md").symlink_to(planted / "good.md")  # inside the tree: checked as good.md
    assert main(["check", "--show-files", "."]) == 0
    assert capsys.readouterr().out == "./good.md\n"
    assert main(["check", "."]) == 0
    out = capsys.readouterr().out
    assert out == "Checked 1 file: 0 errors, 0 warnings, 0 info (0 with errors).\n"


def test_a_link_named_on_the_command_line_is_followed(planted, capsys, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside") / "real.md"
    outside.write_text(article(timestamp="<!--NaN-->"), encoding="utf-8")
    (planted / "named.md").symlink_to(outside)
    assert main(["check", "--output-format", "concise", "named.md"]) == 1
    assert capsys.readouterr().out.startswith("named.md:1:1: NC102 ")


def test_a_link_to_a_folder_is_not_entered(planted, capsys, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside")
    (outside / "far.md").write_text("x\n", encoding="utf-8")
    (planted / "sub").mkdir()
    (planted / "sub" / "far").symlink_to(outside, target_is_directory=True)
    assert main(["check", "--show-files", "."]) == 0
    assert capsys.readouterr().out == "./good.md\n"


@pytest.mark.parametrize("target", ["/proc/self/status", "/proc/self/cmdline"])
def test_other_kernel_files_named_through_a_link_are_not_shown(planted, capsys, target):
    (planted / "k.md").symlink_to(target)
    assert main(["check", "--output-format", "concise", "k.md"]) == 1
    assert capsys.readouterr().out == (
        "k.md:1:1: NC010 cannot read the file: its content is not the size it has on disk "
        "(a file the kernel makes up, as in /proc or /sys, or one changed while read)\n"
    )


def test_a_file_cut_short_while_read_is_not_shown(planted, capsys, monkeypatch):
    """/sys files say 4096 bytes and hold fewer: simulated with a stat that says more."""
    import newscheck.reading as reading

    real = os.fstat

    def bigger(descriptor):
        info = real(descriptor)
        return os.stat_result((info[0], *info[1:6], info.st_size + 100, *info[7:]))

    monkeypatch.setattr(reading.os, "fstat", bigger)
    assert main(["check", "--output-format", "concise", "good.md"]) == 1
    assert "its content is not the size it has on disk" in capsys.readouterr().out


def test_a_fifo_in_the_tree_does_not_hang(planted, capsys):
    os.mkfifo(planted / "pipe.md")
    assert main(["check", "--output-format", "concise", "."]) == 1
    assert capsys.readouterr().out == (
        "./pipe.md:1:1: NC010 cannot read the file: it is a named pipe (FIFO), not a regular file\n"
    )


@pytest.mark.parametrize("output", [["--show-source"], ["--output-format", "json"]])
def test_a_named_file_that_is_not_an_article_is_quoted_only_in_short(planted, capsys, output):
    """A secret file named by mistake: its first line shows in part, nothing more."""
    line = "token=" + "x" * 134 + f"|{SECRET}|"  # the secret starts at character 141
    (planted / "notes.md").write_text(f"{line}\nsecond={SECRET}\n", encoding="utf-8")
    assert main(["check", "notes.md", *output]) == 1
    out = capsys.readouterr().out
    assert "token=xxx" in out and SECRET not in out
