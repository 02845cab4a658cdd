"""Training configuration: defaults < preset < saved config (on --resume) < config file < flags.

No torch here: the CLI resolves and checks a config before it imports PyTorch.
"""
from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass, fields
from typing import Any

import yaml


class TrainError(ValueError):
    """A training run that cannot start or go on; one line for the user."""


# Model shapes. `tiny` trains in seconds on a CPU; 124m / 350m are GPT-2 small / medium.
PRESETS: dict[str, dict[str, Any]] = {
    "tiny": {"n_layer": 2, "n_head": 2, "n_embd": 64, "block_size": 128},
    "124m": {"n_layer": 12, "n_head": 12, "n_embd": 768, "block_size": 1024},
    "350m": {"n_layer": 24, "n_head": 16, "n_embd": 1024, "block_size": 1024},
}
MODEL_KEYS = ("n_layer", "n_head", "n_embd", "block_size")
# Keys a resumed run must share with its checkpoint: they fix the weights' shapes or the data order.
RESUME_KEYS = ("n_layer", "n_head", "n_embd", "block_size", "positions", "bias", "vocab_size",
               "seq_len", "global_batch_tokens")

H100_BF16_DENSE_TFLOPS = 989.5


@dataclass
class TrainConfig:
    # model
    preset: str = "tiny"
    n_layer: int | None = None  # None: the preset's
    n_head: int | None = None
    n_embd: int | None = None
    block_size: int | None = None  # longest sequence the model takes (learned positions table size)
    positions: str = "learned"  # learned | rotary
    bias: bool = True
    dropout: float = 0.0
    vocab_size: int | None = None  # from the manifest; set it only to assert it
    # batch
    seq_len: int | None = None  # None: block_size
    micro_batch: int = 8  # sequences per forward/backward on one device
    global_batch_tokens: int | None = None  # None: micro_batch * seq_len * world_size (no accumulation)
    # optimizer and schedule
    max_steps: int = 1000
    lr: float = 6e-4
    min_lr: float | None = None  # None: lr / 10
    warmup_steps: int = 100
    lr_decay_steps: int | None = None  # cosine reaches min_lr here; None: max_steps (then fixed in config.json)
    weight_decay: float = 0.1
    beta1: float = 0.9
    beta2: float = 0.95
    grad_clip: float = 1.0  # 0: off
    # evaluation, logging, checkpoints
    eval_interval: int = 250
    eval_batches: int = 8
    num_samples: int = 2
    sample_tokens: int = 32
    sample_prompt_tokens: int = 8
    sample_top_k: int = 0  # 0: greedy; else top-k sampling from a generator seeded by (seed, step)
    log_interval: int = 10
    checkpoint_interval: int = 250
    keep_checkpoints: int = 3
    progress: bool = True
    # runtime
    device: str = "auto"  # auto | cpu | cuda
    compile: str = "auto"  # auto (on for CUDA) | true | false
    seed: int = 1337
    prefetch: int = 4
    threads: int | None = None  # torch CPU threads; None: torch's default
    peak_tflops: float | None = None  # None: 989.5 on CUDA (H100 bf16 dense), no MFU on CPU

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


_FIELDS = {f.name: f for f in fields(TrainConfig)}


def parse_set(items: list[str]) -> dict[str, Any]:
    """`key=value` pairs, values read as YAML scalars (`lr=3e-4`, `compile=false`)."""
    out: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise TrainError(f"--set {item!r}: expected key=value")
        try:
            out[key.strip()] = yaml.safe_load(value) if value.strip() else None
        except yaml.YAMLError as exc:
            raise TrainError(f"--set {item!r}: {exc}") from None
    return out


def read_config_file(path: str) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError as exc:
        raise TrainError(f"{path}: {exc.strerror or exc}") from None
    try:
        data = json.loads(text) if path.endswith(".json") else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise TrainError(f"{path}: not valid {'JSON' if path.endswith('.json') else 'YAML'}: "
                         f"{str(exc).splitlines()[0]}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise TrainError(f"{path}: expected a mapping of config keys")
    return data


def _coerce(key: str, value: Any, where: str) -> Any:
    if key not in _FIELDS:
        known = ", ".join(sorted(_FIELDS))
        raise TrainError(f"{where}: unknown config key {key!r} (known: {known})")
    default = _FIELDS[key].default
    kind = type(default) if default is not None else None
    hint = str(_FIELDS[key].type)
    if value is None:
        if default is None:
            return None
        raise TrainError(f"{where}: {key} cannot be empty")
    if kind is bool or (kind is None and "bool" in hint):
        if isinstance(value, bool):
            return value
        raise TrainError(f"{where}: {key} must be true or false, got {value!r}")
    if kind is str:
        if key == "compile" and isinstance(value, bool):
            return "true" if value else "false"
        return str(value)
    want_float = kind is float or "float" in hint
    if isinstance(value, str):  # YAML 1.1 reads 3e-4 as a string
        try:
            value = float(value) if want_float or not value.strip().lstrip("+-").isdigit() else int(value)
        except ValueError:
            raise TrainError(f"{where}: {key} must be a number, got {value!r}") from None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TrainError(f"{where}: {key} must be a number, got {value!r}")
    if want_float:
        return float(value)
    if float(value) != int(value):
        raise TrainError(f"{where}: {key} must be a whole number, got {value!r}")
    return int(value)


def resolve_config(layers: list[tuple[str, dict[str, Any]]]) -> TrainConfig:
    """Merge (where, values) layers in order (later wins), fill in the preset, check the values."""
    merged: dict[str, Any] = {}
    for where, values in layers:
        for key, value in values.items():
            merged[key] = _coerce(key, value, where)
    cfg = TrainConfig(**merged)
    if cfg.preset not in PRESETS:
        raise TrainError(f"unknown preset {cfg.preset!r} (presets: {', '.join(PRESETS)})")
    for key in MODEL_KEYS:
        if getattr(cfg, key) is None:
            setattr(cfg, key, PRESETS[cfg.preset][key])
    if cfg.seq_len is None:
        cfg.seq_len = cfg.block_size
    if cfg.min_lr is None:
        cfg.min_lr = cfg.lr / 10
    if cfg.lr_decay_steps is None:
        cfg.lr_decay_steps = cfg.max_steps
    check_config(cfg)
    return cfg


def check_config(cfg: TrainConfig) -> None:
    choices = {"positions": ("learned", "rotary"), "device": ("auto", "cpu", "cuda"),
               "compile": ("auto", "true", "false")}
    for key, allowed in choices.items():
        if getattr(cfg, key) not in allowed:
            raise TrainError(f"{key} must be one of {', '.join(allowed)}, got {getattr(cfg, key)!r}")
    positive = ("n_layer", "n_head", "n_embd", "block_size", "seq_len", "micro_batch", "max_steps",
                "eval_interval", "log_interval", "checkpoint_interval", "keep_checkpoints", "prefetch",
                "lr_decay_steps")
    for key in positive:
        if getattr(cfg, key) < 1:
            raise TrainError(f"{key} must be >= 1, got {getattr(cfg, key)}")
    for key in ("warmup_steps", "eval_batches", "num_samples", "sample_tokens", "sample_top_k", "grad_clip",
                "weight_decay", "dropout"):
        if getattr(cfg, key) < 0:
            raise TrainError(f"{key} must be >= 0, got {getattr(cfg, key)}")
    if cfg.sample_prompt_tokens < 1:
        raise TrainError(f"sample_prompt_tokens must be >= 1, got {cfg.sample_prompt_tokens}")
    if cfg.n_embd % cfg.n_head:
        raise TrainError(f"n_embd {cfg.n_embd} is not a multiple of n_head {cfg.n_head}")
    if cfg.positions == "rotary" and (cfg.n_embd // cfg.n_head) % 2:
        raise TrainError(f"rotary positions need an even head size, got {cfg.n_embd // cfg.n_head}")
    if cfg.seq_len > cfg.block_size:
        raise TrainError(f"seq_len {cfg.seq_len} is longer than the model's block_size {cfg.block_size}")
    if cfg.lr <= 0 or cfg.min_lr < 0 or cfg.min_lr > cfg.lr:
        raise TrainError(f"need 0 <= min_lr <= lr and lr > 0, got lr {cfg.lr}, min_lr {cfg.min_lr}")
    if cfg.threads is not None and cfg.threads < 1:
        raise TrainError(f"threads must be >= 1, got {cfg.threads}")
    if cfg.global_batch_tokens is not None and cfg.global_batch_tokens < 1:
        raise TrainError(f"global_batch_tokens must be >= 1, got {cfg.global_batch_tokens}")


def accumulation_steps(cfg: TrainConfig, world_size: int) -> int:
    """global_batch_tokens / (micro_batch * seq_len * world_size), which must be a whole number."""
    per_micro = cfg.micro_batch * cfg.seq_len * world_size
    if cfg.global_batch_tokens is None:
        return 1
    if cfg.global_batch_tokens % per_micro:
        raise TrainError(f"global_batch_tokens {cfg.global_batch_tokens:,} is not a multiple of micro_batch x "
                         f"seq_len x world_size = {cfg.micro_batch} x {cfg.seq_len} x {world_size} = {per_micro:,}")
    return cfg.global_batch_tokens // per_micro


def load_saved_config(out_dir: str) -> dict[str, Any]:
    path = os.path.join(out_dir, "config.json")
    if not os.path.exists(path):
        return {}
    return read_config_file(path)
