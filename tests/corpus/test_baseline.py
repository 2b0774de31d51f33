"""Baselines on the real corpus: old defects stay quiet after lines shift, new ones show."""

from __future__ import annotations

import json
import shutil

from newscheck.cli import main

from ..helpers import CORPUS, article, missing

MULTILINE_BODY = "extends: feed-article\nlayout:\n  - {part: content, max_lines: 0}\n"


def test_baseline_survives_shifted_lines_and_reports_new_defects(tmp_path, capsys, monkeypatch):
    if not CORPUS.is_dir():
        missing("the shared corpus (../shared/corpus) is not present")
    corpus = tmp_path / "feed"
    shutil.copytree(CORPUS / "feed", corpus)
    (tmp_path / "schema.yaml").write_text(MULTILINE_BODY, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    args = ["check", "--schema", "schema.yaml", "feed"]
    assert main([*args, "--write-baseline", "baseline.json"]) == 0
    written = capsys.readouterr().out
    assert written.startswith("Wrote ") and "in 3599 files to baseline.json" in written
    entries = json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))["entries"]
    assert {e["code"] for e in entries} >= {"NC601", "NC204", "NC206", "NC805"}

    # Insert a line at the top of the body of every file that has a diagnostic there.
    with_diagnostics = {e["path"] for e in entries if e["code"] in ("NC601", "NC805", "NC705")}
    for name in sorted(with_diagnostics):
        path = tmp_path / name
        lines = path.read_text(encoding="utf-8").split("\n")
        lines.insert(4, "<p>编者按：本文已更新。</p>")
        path.write_text("\n".join(lines), encoding="utf-8")
    assert len(with_diagnostics) >= 200
    assert main([*args, "--baseline", "baseline.json"]) == 0
    assert (
        capsys.readouterr().out
        == "Checked 3599 files: 0 errors, 0 warnings, 0 info (0 with errors).\n"
    )

    # A new defect of a rule the baseline already holds for that file is still reported.
    edited = corpus / "dw" / "1047892_贝拉·巴托克：钢琴康塔塔.md"
    assert "feed/dw/1047892_贝拉·巴托克：钢琴康塔塔.md" in with_diagnostics
    lines = edited.read_text(encoding="utf-8").split("\n")
    lines.insert(4, '<p>新图：<img src=""></p>')
    edited.write_text("\n".join(lines), encoding="utf-8")
    assert main([*args, "--baseline", "baseline.json"]) == 1
    out = capsys.readouterr().out
    assert out.splitlines() == [
        f"feed/dw/{edited.name}:5:7: NC601 empty-image-src [error] expected an image address in src, found it empty",
        "Checked 3599 files: 1 error, 0 warnings, 0 info (1 with errors).",
    ]


def test_a_fixed_defect_drops_out_when_the_baseline_is_rewritten(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.md").write_text(article(timestamp="<!--NaN-->"), encoding="utf-8")
    main(["check", "--write-baseline", "b.json", "a.md"])
    assert len(json.loads((tmp_path / "b.json").read_text())["entries"]) == 1
    (tmp_path / "a.md").write_text(article(), encoding="utf-8")
    main(["check", "--write-baseline", "b.json", "a.md"])
    assert json.loads((tmp_path / "b.json").read_text())["entries"] == []
    (tmp_path / "a.md").write_text(article(timestamp="<!--NaN-->"), encoding="utf-8")
    capsys.readouterr()
    assert main(["check", "--baseline", "b.json", "a.md"]) == 1


def test_a_broken_baseline_is_a_usage_error(tmp_path, capsys):
    (tmp_path / "b.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "a.md").write_text(article(), encoding="utf-8")
    assert main(["check", "--baseline", str(tmp_path / "b.json"), str(tmp_path / "a.md")]) == 2
    assert "not a newscheck baseline" in capsys.readouterr().err
