"""Checkpoints: OUT/checkpoints/step-000123/ = model.safetensors + state.pt + SHA256SUMS + COMPLETE.

Written into a temp folder beside the others (each file fsynced), then the folder is renamed
into place, so a checkpoint folder either is whole or does not exist under its final name.
Loading checks the COMPLETE marker and every file's sha256 before it reads anything, and
`state.pt` is read with `torch.load(weights_only=True)` (tensors and plain types only).
The model's weights are saved without a duplicate: the output layer reuses the token
embedding table (tied), so the state dict holds one tensor for both.
"""
from __future__ import annotations

import json
import os
import random
import re
import shutil
import uuid
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from safetensors import SafetensorError
from safetensors.torch import load_file, save_file

from pipeline.fsio import sha256_file
from trainer.config import TrainError

DIR_PATTERN = re.compile(r"^step-(\d{6,})$")
FILES = ("model.safetensors", "state.pt")


class CheckpointError(TrainError):
    """A checkpoint that cannot be loaded."""


@dataclass
class Checkpoint:
    path: str
    step: int
    weights: dict[str, torch.Tensor]
    state: dict[str, Any]


def step_dir(checkpoints: str, step: int) -> str:
    return os.path.join(checkpoints, f"step-{step:06d}")


def list_checkpoints(checkpoints: str) -> list[tuple[int, str]]:
    """(step, path) of the checkpoint folders, newest first (temp folders are not listed)."""
    if not os.path.isdir(checkpoints):
        return []
    found = []
    for name in os.listdir(checkpoints):
        match = DIR_PATTERN.match(name)
        if match and os.path.isdir(os.path.join(checkpoints, name)):
            found.append((int(match.group(1)), os.path.join(checkpoints, name)))
    return sorted(found, reverse=True)


def _fsync_file(path: str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: str) -> None:
    try:
        _fsync_file(path)
    except OSError:  # some filesystems cannot fsync a directory
        pass


def rng_state() -> dict[str, Any]:
    """Python, numpy and torch (and CUDA) RNG states as tensors and plain lists."""
    version, internal, gauss = random.getstate()
    np_state = np.random.get_state()
    state: dict[str, Any] = {
        "python": [version, list(internal), gauss],
        "numpy": [np_state[0], torch.from_numpy(np_state[1].astype(np.int64)), int(np_state[2]),
                  int(np_state[3]), float(np_state[4])],
        "torch": torch.get_rng_state(),
    }
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def set_rng_state(state: dict[str, Any]) -> None:
    version, internal, gauss = state["python"]
    random.setstate((version, tuple(internal), gauss))
    name, keys, pos, has_gauss, cached = state["numpy"]
    np.random.set_state((name, keys.numpy().astype(np.uint32), pos, has_gauss, cached))
    torch.set_rng_state(state["torch"])
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])


def save_checkpoint(checkpoints: str, step: int, model: torch.nn.Module, state: dict[str, Any],
                    keep: int) -> str:
    """Write step-<step>/ atomically, then delete all but the newest `keep` checkpoints."""
    os.makedirs(checkpoints, exist_ok=True)
    final = step_dir(checkpoints, step)
    tmp = os.path.join(checkpoints, f".tmp-step-{step:06d}-{uuid.uuid4().hex[:8]}")
    os.makedirs(tmp)
    try:
        weights = {k: v.detach().contiguous().cpu() for k, v in model.state_dict().items()}
        save_file(weights, os.path.join(tmp, "model.safetensors"), metadata={"step": str(step)})
        torch.save(state, os.path.join(tmp, "state.pt"))
        sums = "".join(f"{sha256_file(os.path.join(tmp, name))}  {name}\n" for name in FILES)
        with open(os.path.join(tmp, "SHA256SUMS"), "w", encoding="utf-8") as handle:
            handle.write(sums)
        with open(os.path.join(tmp, "COMPLETE"), "w", encoding="utf-8") as handle:
            handle.write(json.dumps({"step": step}) + "\n")
        for name in (*FILES, "SHA256SUMS", "COMPLETE"):
            _fsync_file(os.path.join(tmp, name))
        _fsync_dir(tmp)
        if os.path.exists(final):  # a re-run of the same step (e.g. the final save after a resume)
            shutil.rmtree(final)
        os.rename(tmp, final)
        _fsync_dir(checkpoints)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    for _, old in list_checkpoints(checkpoints)[keep:]:
        shutil.rmtree(old, ignore_errors=True)
    for name in os.listdir(checkpoints):  # temp folders left by a killed run
        if name.startswith(".tmp-step-"):
            shutil.rmtree(os.path.join(checkpoints, name), ignore_errors=True)
    return final


def load_checkpoint(path: str) -> Checkpoint:
    """Read and check one checkpoint folder; CheckpointError names what is wrong with it."""
    name = os.path.basename(os.path.normpath(path))
    match = DIR_PATTERN.match(name)

    def damaged(why: str) -> CheckpointError:
        return CheckpointError(f"checkpoint {name} is damaged: {why}")

    if not os.path.isdir(path):
        raise CheckpointError(f"checkpoint {name}: no such folder ({path})")
    if not os.path.exists(os.path.join(path, "COMPLETE")):
        raise damaged("no COMPLETE marker (the write did not finish)")
    try:
        with open(os.path.join(path, "SHA256SUMS"), encoding="utf-8") as handle:
            sums = dict(reversed(line.split("  ", 1)) for line in handle.read().splitlines() if line)
    except (OSError, ValueError) as exc:
        raise damaged(f"SHA256SUMS unreadable: {exc}") from None
    for file in FILES:
        full = os.path.join(path, file)
        if not os.path.exists(full):
            raise damaged(f"{file} is missing")
        if sums.get(file) != sha256_file(full):
            raise damaged(f"{file} does not match its sha256 in SHA256SUMS ({os.path.getsize(full):,} bytes): "
                          f"truncated or changed")
    try:
        weights = load_file(os.path.join(path, "model.safetensors"))
    except (SafetensorError, OSError, ValueError) as exc:
        raise damaged(f"model.safetensors: {exc}") from None
    try:
        state = torch.load(os.path.join(path, "state.pt"), map_location="cpu", weights_only=True)
    except Exception as exc:  # pickle errors come in many types
        raise damaged(f"state.pt: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None
    step = int(match.group(1)) if match else int(state.get("step", -1))
    if state.get("step") != step:
        raise damaged(f"state.pt is for step {state.get('step')}, the folder for step {step}")
    return Checkpoint(path, step, weights, state)


def latest_good(checkpoints: str, log) -> Checkpoint | None:
    """The newest checkpoint that loads; damaged newer ones are reported through `log` and skipped.

    None when there are none; CheckpointError when there are some and none loads.
    """
    found = list_checkpoints(checkpoints)
    errors = []
    for _, path in found:
        try:
            ckpt = load_checkpoint(path)
        except CheckpointError as exc:
            errors.append(str(exc))
            log(f"{exc}; falling back to the previous checkpoint")
            continue
        return ckpt
    if errors:
        raise CheckpointError(errors[0] + (f" (and {len(errors) - 1} older checkpoint(s) too)" if len(errors) > 1
                                           else "; no older checkpoint to fall back to"))
    return None
