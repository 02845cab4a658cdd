"""Two gloo processes under torchrun train exactly what one process does with the same global batch."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

pytest.importorskip("torch")

import json  # noqa: E402

from tests.trainer.helpers import REPO, log_lines, losses, run, set_args  # noqa: E402


def test_two_process_gloo_equals_one_process(demo_run, tmp_path):
    steps = dict(max_steps=12, micro_batch=4, global_batch_tokens=2 * 4 * 64, threads=1, eval_interval=12)
    single = tmp_path / "single"
    run(demo_run, single, **steps)  # one process: 2 accumulation steps of 4 windows

    ddp = tmp_path / "ddp"
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2",
           "-m", "trainer.cli", "train", "--manifest", str(demo_run), "--out", str(ddp), "--no-verify",
           *set_args(**steps)]
    env = {**os.environ, "PYTHONPATH": str(REPO), "OMP_NUM_THREADS": "1"}
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    assert "world 2" in proc.stdout and "2 x 1 accumulation" in proc.stdout
    a, b = losses(single), losses(ddp)
    assert sorted(a) == sorted(b) == list(range(1, 13))
    for step in a:
        assert b[step] == pytest.approx(a[step], rel=1e-5), step
    val = [[r["val_loss"] for r in log_lines(d) if "val_loss" in r] for d in (single, ddp)]
    assert val[1] == pytest.approx(val[0], rel=1e-5)  # the same val windows, split over the ranks
    one, two = (json.loads((d / "trained_on.json").read_text()) for d in (single, ddp))
    assert one["ranges"] == two["ranges"] and one["sources"] == two["sources"] and one["tokens"] == 12 * 512
