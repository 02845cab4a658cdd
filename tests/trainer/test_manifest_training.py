"""`quarry manifest show/report --train-run`: the realized training mix beside the manifest's target."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.trainer.helpers import REPO, run


def _quarry(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=300)


def test_show_and_report_put_the_trained_mix_beside_the_target(demo_run: Path, tmp_path: Path):
    out = tmp_path / "run"
    run(demo_run, out, max_steps=6)
    shown = _quarry("manifest", "show", str(demo_run), "--train-run", str(out))
    assert shown.returncode == 0, shown.stderr
    assert "Training run" in shown.stdout and "trained tokens" in shown.stdout
    assert "another manifest" not in shown.stdout
    page = tmp_path / "report.html"
    made = _quarry("manifest", "report", str(demo_run), "--html", str(page), "--train-run", str(out))
    assert made.returncode == 0, made.stderr
    html = page.read_text(encoding="utf-8")
    assert "<h2>Training run:" in html and "<polyline" in html and "trained weight" in html


def test_a_missing_run_folder_is_one_line(demo_run: Path, tmp_path: Path):
    result = _quarry("manifest", "show", str(demo_run), "--train-run", str(tmp_path / "nowhere"))
    assert result.returncode == 2 and result.stderr.startswith("quarry: error: ")
    assert "no readable trained_on.json" in result.stderr and "Traceback" not in result.stderr
