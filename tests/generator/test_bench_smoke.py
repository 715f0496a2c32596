"""A smoke run of the benchmark (bench/run.py) at tiny sizes, so that it keeps working.

The benchmark is not a test: nothing here asserts a timing, only that a run
completes, prints its tables with the expected rows and writes its JSON.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_benchmark_smoke_run(tmp_path):
    out = tmp_path / "results"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    completed = subprocess.run(
        [sys.executable, str(REPO / "bench" / "run.py"), "--sizes", "6", "--sources", "30", "--terms", "10",
         "--repeat", "1", "--serve-edits", "1", "--skip", "b,d,real,profile",
         "--workdir", str(tmp_path / "work"), "--out", str(out)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    table = completed.stdout

    # the targets table, with a verdict for each measured ratio
    assert "## Targets" in table
    rows = {line.split(" | ")[0][2:]: line for line in table.splitlines() if line.startswith("| ")}
    for row in ("6 pages: (c)/(a⁺) cold", "6 pages: (c)/(a⁺) warm", "6 pages: peak memory (c)/(a⁺)",
                "6 pages: serve rebuild (c)/(a⁺)", "bib doubled with uncited entries: time our code adds, cold",
                "glossary terms doubled: time our code adds, warm"):
        assert row in rows, f"no row {row!r} in:\n{table}"
        assert "PASS" in rows[row] or "MISS" in rows[row], rows[row]
    for row in ("6 pages: (c)/(a) cold", "6 pages: (c)/(a) warm",           # information, no target
                "6 pages: (c) with a note style/(a⁺) cold", "6 pages: (c) with a note style/(a⁺) warm"):
        assert "×" in rows[row] and "| info |" in rows[row], rows[row]
    assert "not measured" in rows["6 pages: (c)/(b) cold"]                 # (b) was skipped
    # the builds, the phases of our code and the serve rebuilds
    for variant in ("(a) Material", "(a⁺) Material + trivial pages", "(c) project, cold", "(c) project, warm"):
        assert f"| 6 p × 30 s × 10 t | {variant} | 1 |" in table, variant
    for phase in ("parse bib", "format", "link terms", "generate pages", "late sections", "**our code, total**"):
        assert f"| {phase} |" in table, phase
    assert "## `mkdocs serve` rebuild after editing one page" in table
    assert "## Closing note" in table

    reports = sorted(out.glob("*.json"))
    assert len(reports) == 1 and len(sorted(out.glob("*.md"))) == 1
    data = json.loads(reports[0].read_text(encoding="utf-8"))
    runs = data["runs"]
    assert {(run["variant"], run["mode"]) for run in runs} >= {("a", ""), ("aplus", ""), ("c", "cold"), ("c", "warm")}
    assert all(run["ok"] and run["warnings"] == 0 for run in runs), [run for run in runs if not run["ok"]]
    cold = next(run for run in runs if run["variant"] == "c" and run["mode"] == "cold")
    assert set(cold["timings"]["timings"]) >= {"parse bib", "format", "generate pages", "late sections"}
    assert cold["timings"]["formatter"]["formatted"] > 0
    assert {check["name"] for check in data["checks"]} >= {"6 pages: (c)/(a⁺) cold", "real site: offline zip"}
    # the corpus was generated with the expected shape, and the edited page was restored
    corpus = next((tmp_path / "work").glob("p6-s30-t10-*"))
    counts = json.loads((corpus / "corpus.json").read_text(encoding="utf-8"))["counts"]
    assert counts["pages"] == 6 and counts["glossary_entries"] == 10 and counts["sources"] == 30
    assert "edited sentence" not in (corpus / "docs" / "articles" / "page-001.md").read_text(encoding="utf-8")


def test_the_targets_compare_builds_of_the_same_repetition():
    """The machine's speed drifts across a run: each repetition's own ratio, not the
    ratio of two medians taken from different moments of the run."""
    sys.path.insert(0, str(REPO))
    from bench.measure import Run
    from bench.report import checks, paired_ratio

    walls = {"aplus": [10.0, 12.0, 30.0], "c": [8.0, 24.0, 24.0]}
    runs = [Run("g", variant, "cold" if variant == "c" else "", rep + 1, wall=wall)
            for variant, values in walls.items() for rep, wall in enumerate(values)]
    assert paired_ratio(runs, "g", "c", "cold") == 0.8          # 0.8, 2.0, 0.8
    found = {check.name: check.value for check in checks(
        {"runs": runs, "base_groups": [("g", {"pages": 6})], "serve": {}, "memory": {}, "doubling": {}})}
    assert found["6 pages: (c)/(a⁺) cold"] == 0.8
    assert found["6 pages: (c)/(a⁺) cold, median over median"] == 2.0
