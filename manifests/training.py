"""A training run beside its manifest: the realized training mix and the loss curve.

`quarry train` writes `trained_on.json` (which tokens of which manifest each step read, and
tokens per source) and `log.jsonl` (loss, throughput, eval lines) into its run folder. This
module reads them for `quarry manifest show/report --train-run DIR`, and checks that the run
trained on this very manifest (its sha256).
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any

from manifests.schema import Manifest, ManifestError
from pipeline.fsio import sha256_file


@dataclass
class TrainRun:
    path: str
    trained_on: dict[str, Any]
    log: list[dict[str, Any]] = field(default_factory=list)

    @property
    def losses(self) -> list[tuple[int, float]]:
        return [(r["step"], r["loss"]) for r in self.log if "loss" in r]

    @property
    def val_losses(self) -> list[tuple[int, float]]:
        return [(r["step"], r["val_loss"]) for r in self.log if "val_loss" in r]


def load_train_run(path: str) -> TrainRun:
    """The run folder's trained_on.json and log.jsonl; ManifestError (one line) when unreadable."""
    try:
        with open(os.path.join(path, "trained_on.json"), encoding="utf-8") as handle:
            trained_on = json.load(handle)
    except (OSError, json.JSONDecodeError) as exc:
        raise ManifestError(f"{path}: no readable trained_on.json ({exc})") from None
    log = []
    log_path = os.path.join(path, "log.jsonl")
    if os.path.exists(log_path):
        with open(log_path, encoding="utf-8") as handle:
            log = [json.loads(line) for line in handle if line.strip()]
    return TrainRun(path, trained_on, log)


def training_mix(manifest: Manifest, run: TrainRun, manifest_file: str) -> tuple[list[dict], list[str]]:
    """Per source: the manifest's target and token-shard weights beside what training consumed."""
    notes = []
    if run.trained_on.get("manifest_sha256") != sha256_file(manifest_file):
        notes.append("this run trained on another manifest (sha256 differs): figures compare different data")
    seen = run.trained_on.get("sources", {})
    total = sum(seen.values())
    mix = manifest.tokens.mix if manifest.tokens else {}
    rows = []
    for source in sorted(set(mix) | set(seen)):
        m = mix.get(source)
        rows.append({"source": source, "target_weight": m.target_weight if m else None,
                     "shard_weight": m.realized_weight if m else None, "trained_tokens": seen.get(source, 0),
                     "trained_weight": seen.get(source, 0) / total if total else 0.0})
    return rows, notes
