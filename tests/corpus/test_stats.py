"""newscheck stats: per source and period, and drift, on synthetic corpora."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from newscheck.cli import main
from newscheck.stats import DriftSettings, period_of

from .. import synthetic

RELATIVE = (
    '这是第{n}篇来自dw的报道，记者在现场采访了多位当地居民和官员。<a href="/a/1.html">更多</a>'
)


def stats(capsys, *args):
    code = main(["stats", "--no-cache", "--jobs", "1", *args])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out


@pytest.fixture
def small(tmp_path, monkeypatch):
    """voa: one file of day 1 without image; dw: no captions on day 2, one relative link."""

    def change(item):
        if item.source == "voa" and item.number == 1:
            return replace(item, image=False)
        if item.source == "dw" and item.day == 1:
            text = RELATIVE.format(n=item.number) if item.number == 4 else ""
            return replace(item, caption=False, text=text)
        return item

    synthetic.write(tmp_path / "corpus", synthetic.items(days=2, per_day=3, change=change))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_stats_json_is_exact(small, capsys):
    document = json.loads(stats(capsys, "--isolated", "--format", "json", "corpus"))
    nothing = {"files_with_errors": 0, "files_with_warnings": 0, "diagnostics": {}}
    assert document == {
        "version": 1,
        "files": 12,
        "period": "day",
        "sources": [
            {
                "source": "www.dw.com",
                "files": 6,
                "date": 1.0,
                "image": 1.0,
                "caption": 0.5,
                "median_body_chars": 31,
                "files_with_errors": 0,
                "files_with_warnings": 1,
                "diagnostics": {"NC805": 1},
                "periods": [
                    {
                        "period": "2020-07-01",
                        "files": 3,
                        "date": 1.0,
                        "image": 1.0,
                        "caption": 1.0,
                        "median_body_chars": 31,
                        **nothing,
                    },
                    {
                        "period": "2020-07-02",
                        "files": 3,
                        "date": 1.0,
                        "image": 1.0,
                        "caption": 0.0,
                        "median_body_chars": 31,
                        "files_with_errors": 0,
                        "files_with_warnings": 1,
                        "diagnostics": {"NC805": 1},
                    },
                ],
            },
            {
                "source": "www.voachinese.com",
                "files": 6,
                "date": 1.0,
                "image": 0.8333,
                "caption": 0.8333,
                "median_body_chars": 32,
                **nothing,
                "periods": [
                    {
                        "period": "2020-07-01",
                        "files": 3,
                        "date": 1.0,
                        "image": 0.6667,
                        "caption": 0.6667,
                        "median_body_chars": 32,
                        **nothing,
                    },
                    {
                        "period": "2020-07-02",
                        "files": 3,
                        "date": 1.0,
                        "image": 1.0,
                        "caption": 1.0,
                        "median_body_chars": 32,
                        **nothing,
                    },
                ],
            },
        ],
        "drift": {"period": "day", "threshold": 0.5, "window": 3, "min_files": 5, "findings": []},
    }


def test_stats_csv_is_exact(small, capsys):
    assert stats(capsys, "--isolated", "--format", "csv", "corpus") == (
        "source,period,files,date,image,caption,median_body_chars,files_with_errors,"
        "files_with_warnings,NC805\n"
        "www.dw.com,2020-07-01,3,1.0000,1.0000,1.0000,31,0,0,0\n"
        "www.dw.com,2020-07-02,3,1.0000,1.0000,0.0000,31,0,1,1\n"
        "www.dw.com,all,6,1.0000,1.0000,0.5000,31,0,1,1\n"
        "www.voachinese.com,2020-07-01,3,1.0000,0.6667,0.6667,32,0,0,0\n"
        "www.voachinese.com,2020-07-02,3,1.0000,1.0000,1.0000,32,0,0,0\n"
        "www.voachinese.com,all,6,1.0000,0.8333,0.8333,32,0,0,0\n"
    )


def test_stats_table(small, capsys):
    assert stats(capsys, "--isolated", "corpus") == (
        "source              period      files  date  image  caption  median  diagnostics\n"
        "www.dw.com          2020-07-01      3  100%   100%     100%      31  -\n"
        "www.dw.com          2020-07-02      3  100%   100%       0%      31  NC805:1\n"
        "www.dw.com          all             6  100%   100%      50%      31  NC805:1\n"
        "www.voachinese.com  2020-07-01      3  100%    67%      67%      32  -\n"
        "www.voachinese.com  2020-07-02      3  100%   100%     100%      32  -\n"
        "www.voachinese.com  all             6  100%    83%      83%      32  -\n"
        "\n"
        "Drift (share change >= 0.50 between the 3 days before and the 3 days from a day on, "
        "at least 5 files on each side):\n"
        "  none\n"
        "12 files, 2 sources.\n"
    )


# Drift


def loses_date(item):
    """voa's date div vanishes from the sixth day (2020-07-06) on."""
    return replace(item, date=False) if item.source == "voa" and item.day >= 5 else item


def drift_of(capsys, *args):
    isolated = () if "--config" in args else ("--isolated",)
    return json.loads(stats(capsys, *isolated, "--format", "json", *args))["drift"]


def test_a_source_losing_its_date_is_flagged_on_that_day_and_source(tmp_path, capsys):
    corpus = synthetic.items(change=loses_date)
    paths = synthetic.write(tmp_path, corpus)
    first = next(i for i in corpus if i.source == "voa" and i.day == 5 and i.when.hour == 6)
    assert drift_of(capsys, str(tmp_path))["findings"] == [
        {
            "source": "www.voachinese.com",
            "metric": "date",
            "label": "date present",
            "period": "2020-07-06",
            "before": 1.0,
            "after": 0.0,
            "files_before": 18,
            "files_after": 18,
            "first_file": str(paths[first]),
        }
    ]
    out = stats(capsys, "--isolated", str(tmp_path))
    assert (
        "  www.voachinese.com: date present 100% -> 0% from 2020-07-06 on (18 files before, "
        f"18 from then); first file: {paths[first]}\n"
    ) in out


def test_a_stable_corpus_is_not_flagged(tmp_path, capsys):
    synthetic.write(tmp_path, synthetic.items())
    assert drift_of(capsys, str(tmp_path))["findings"] == []


def test_day_to_day_noise_is_pooled_away(tmp_path, capsys):
    def wobbling_captions(item):  # 5 of 6 files with a caption on even days, 2 on odd ones
        return replace(item, caption=item.when.hour - 6 < (2 if item.day % 2 else 5))

    synthetic.write(tmp_path, synthetic.items(change=wobbling_captions))
    assert drift_of(capsys, str(tmp_path))["findings"] == []
    # compared day by day, the same corpus drifts every day
    daily = drift_of(capsys, "--drift-window", "1", str(tmp_path))["findings"]
    assert {f["metric"] for f in daily} == {"caption"} and len(daily) == 18


def test_a_defect_appearing_is_flagged_with_its_first_file(tmp_path, capsys):
    def relative_links(item):
        if item.source == "dw" and item.day >= 4 and item.when.hour >= 7:
            return replace(item, text=RELATIVE.format(n=item.number))
        return item

    corpus = synthetic.items(change=relative_links)
    paths = synthetic.write(tmp_path, corpus)
    first = next(i for i in corpus if i.source == "dw" and i.day == 4 and i.when.hour == 7)
    (found,) = drift_of(capsys, str(tmp_path))["findings"]
    assert (found["source"], found["metric"], found["label"], found["period"]) == (
        "www.dw.com",
        "NC805",
        "NC805 relative-link",
        "2020-07-05",
    )
    assert (found["before"], found["after"], found["first_file"]) == (
        0.0,
        0.8333,
        str(paths[first]),
    )


def test_thresholds_from_options_and_configuration_are_printed(tmp_path, capsys):
    synthetic.write(tmp_path / "corpus", synthetic.items(change=loses_date))
    (tmp_path / "newscheck.toml").write_text(
        'period = "week"\ndrift-threshold = 0.9\ndrift-min-files = 20\n', encoding="utf-8"
    )
    drift = drift_of(capsys, "--config", str(tmp_path / "newscheck.toml"), str(tmp_path / "corpus"))
    # weeks: 2020-W27 (1-5 July, dates) and 2020-W28 (6-10 July, none for voa)
    assert {k: v for k, v in drift.items() if k != "findings"} == {
        "period": "week",
        "threshold": 0.9,
        "window": 3,
        "min_files": 20,
    }
    assert [(f["source"], f["period"], f["metric"]) for f in drift["findings"]] == [
        ("www.voachinese.com", "2020-W28", "date")
    ]
    out = stats(
        capsys,
        "--config",
        str(tmp_path / "newscheck.toml"),
        "--drift-min-files",
        "31",
        "--drift-window",
        "1",
        str(tmp_path / "corpus"),
    )
    assert (
        "Drift (share change >= 0.90 between the 1 week before and the 1 week from a week on, "
        "at least 31 files on each side):\n  none\n"
    ) in out


def test_bad_drift_options_are_usage_errors(tmp_path, capsys):
    with pytest.raises(SystemExit) as raised:
        main(["stats", "--drift-threshold", "1.5", str(tmp_path)])
    assert raised.value.code == 2
    assert "expected a share in (0, 1], found 1.5" in capsys.readouterr().err
    (tmp_path / "newscheck.toml").write_text("drift-window = 0\n", encoding="utf-8")
    assert main(["stats", "--config", str(tmp_path / "newscheck.toml"), str(tmp_path)]) == 2
    assert "drift-window" in capsys.readouterr().err


def test_periods_are_utc_days_and_iso_weeks():
    assert period_of(1593561600000, "day") == "2020-07-01"  # midnight UTC
    assert period_of(1593561599999, "day") == "2020-06-30"
    assert period_of(1593561600000, "week") == "2020-W27"
    assert period_of(None, "day") == "(none)"
    assert DriftSettings().describe() == (
        "share change >= 0.50 between the 3 days before and the 3 days from a day on, "
        "at least 5 files on each side"
    )
