"""Shared helpers for the trainer tests: small CPU runs on the demo shards."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# Tiny and fast: 2 layers, 64 dims, 64-token windows, 8 per micro-batch; deterministic on 2 threads.
SMALL = {"preset": "tiny", "seq_len": 64, "micro_batch": 8, "lr": 5e-3, "warmup_steps": 10, "log_interval": 1,
         "eval_interval": 1_000_000, "checkpoint_interval": 1_000_000, "threads": 2, "num_samples": 0,
         "progress": False, "device": "cpu"}


def run(manifest, out, verify=False, resume=False, echo=None, **overrides):
    from trainer.loop import TrainRequest, train

    lines: list[str] = []
    result = train(TrainRequest(str(manifest), out=str(out), verify=verify, resume=resume,
                                overrides={**SMALL, **overrides}), echo=echo or lines.append)
    return result, lines


def set_args(**overrides) -> list[str]:
    args = []
    for key, value in {**SMALL, **overrides}.items():
        args += ["--set", f"{key}={json.dumps(value) if isinstance(value, bool) else value}"]
    return args


def cli(args: list[str], env: dict | None = None, prelude: str = "") -> subprocess.CompletedProcess:
    code = f"import sys\n{prelude}\nfrom trainer.cli import main\nsys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, *args], cwd=REPO, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})}, timeout=300)


def log_lines(out) -> list[dict]:
    with open(Path(out) / "log.jsonl", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def losses(out) -> dict[int, float]:
    return {r["step"]: r["loss"] for r in log_lines(out) if "loss" in r}


def linked_copy(src: Path, dst: Path) -> Path:
    """A folder of symlinks to the run's files, with its own (writable) manifest.json."""
    dst.mkdir()
    for entry in src.iterdir():
        if entry.name == "manifest.json":
            (dst / entry.name).write_bytes(entry.read_bytes())
        else:
            (dst / entry.name).symlink_to(entry)
    return dst
