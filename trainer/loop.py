"""The training loop: config -> checks -> model, optimizer, data -> steps, evals, checkpoints, logs.

Everything that can be checked is checked before the first step: the config, the manifest
(validated against its shards unless verify=False), the tokenizer and manifest sha256 a
checkpoint was trained with, the model shape a checkpoint holds. Under `torchrun` (RANK,
WORLD_SIZE, LOCAL_RANK in the environment) each process trains its rank's slice of every
global batch in DistributedDataParallel (nccl on CUDA, gloo on CPU); only rank 0 writes.
"""
from __future__ import annotations

import contextlib
import json
import math
import os
import random
import resource
import signal
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
import torch
import torch.distributed as dist

from manifests.show import load_manifest, manifest_path
from pipeline.fsio import sha256_file
from tokenizer.reader import TokenDataError, TokenDataset
from trainer.checkpoint import CheckpointError, latest_good, list_checkpoints, rng_state, save_checkpoint, set_rng_state
from trainer.config import (H100_BF16_DENSE_TFLOPS, RESUME_KEYS, TrainConfig, TrainError, accumulation_steps,
                            load_saved_config, read_config_file, resolve_config)
from trainer.data import Prefetcher, micro_batches, to_device
from trainer.model import GPT, GPTConfig
from trainer.provenance import Provenance, write_json_atomic

KILL_ENV = "QUARRY_TRAIN_KILL_AT_STEP"  # test hook: SIGKILL this process right after that step


@dataclass
class TrainRequest:
    manifest: str
    out: str | None = None
    config_file: str | None = None
    resume: bool = False
    verify: bool = True
    overrides: dict[str, Any] = field(default_factory=dict)


@dataclass
class TrainResult:
    out: str
    steps: int
    last_loss: float | None
    resumed_from: int | None


def lr_at(cfg: TrainConfig, it: int) -> float:
    """Learning rate for optimizer step index `it` (0-based): linear warmup, cosine to min_lr."""
    if it < cfg.warmup_steps:
        return cfg.lr * (it + 1) / cfg.warmup_steps
    if it >= cfg.lr_decay_steps:
        return cfg.min_lr
    span = max(1, cfg.lr_decay_steps - cfg.warmup_steps)
    ratio = (it - cfg.warmup_steps) / span
    return cfg.min_lr + 0.5 * (1.0 + math.cos(math.pi * ratio)) * (cfg.lr - cfg.min_lr)


def _dist_env() -> tuple[int, int, int]:
    if "WORLD_SIZE" in os.environ and int(os.environ["WORLD_SIZE"]) > 1:
        return int(os.environ["RANK"]), int(os.environ["WORLD_SIZE"]), int(os.environ.get("LOCAL_RANK", 0))
    return 0, 1, 0


def _pick_device(cfg: TrainConfig, local_rank: int) -> torch.device:
    if cfg.device == "cuda" or (cfg.device == "auto" and torch.cuda.is_available()):
        if not torch.cuda.is_available():
            raise TrainError("device cuda asked for, but PyTorch sees no CUDA device (use --device cpu)")
        torch.cuda.set_device(local_rank)
        return torch.device("cuda", local_rank)
    return torch.device("cpu")


def _resolve(req: TrainRequest, out: str, world_size: int) -> TrainConfig:
    layers: list[tuple[str, dict[str, Any]]] = []
    if req.resume:
        layers.append((os.path.join(out, "config.json"), load_saved_config(out)))
    if req.config_file:
        layers.append((req.config_file, read_config_file(req.config_file)))
    layers.append(("command line", req.overrides))
    cfg = resolve_config(layers)
    if cfg.global_batch_tokens is None:
        cfg.global_batch_tokens = cfg.micro_batch * cfg.seq_len * world_size
    return cfg


def _check_checkpoint(ckpt, cfg: TrainConfig, manifest_sha: str, tokenizer_sha: str) -> None:
    state = ckpt.state
    name = os.path.basename(ckpt.path)
    if state["tokenizer_sha256"] != tokenizer_sha:
        raise TrainError(f"checkpoint {name} was trained with tokenizer sha256 {state['tokenizer_sha256'][:12]}…, "
                         f"the manifest's tokenizer is {tokenizer_sha[:12]}…: token ids would mean other things")
    if state["manifest_sha256"] != manifest_sha:
        raise TrainError(f"checkpoint {name} was trained on manifest sha256 {state['manifest_sha256'][:12]}…, "
                         f"this manifest is {manifest_sha[:12]}…: resume with the manifest it was trained on")
    saved = json.loads(state["config"])
    for key in RESUME_KEYS:
        if saved.get(key) != getattr(cfg, key):
            raise TrainError(f"checkpoint {name} has {key} {saved.get(key)!r}, the config says "
                             f"{getattr(cfg, key)!r}: a resumed run keeps its model shape and batch")


class _Log:
    """Rank 0's console lines and OUT/log.jsonl."""

    def __init__(self, out: str | None, echo: Callable[[str], None], resume_step: int | None):
        self.echo = echo
        self.path = os.path.join(out, "log.jsonl") if out else None
        if self.path and resume_step is not None and os.path.exists(self.path):
            with open(self.path, encoding="utf-8") as handle:  # drop lines past the checkpoint we resume from
                kept = [line for line in handle if line.strip() and json.loads(line).get("step", 0) <= resume_step]
            write_lines = "".join(kept)
            tmp = self.path + ".tmp"
            with open(tmp, "w", encoding="utf-8") as handle:
                handle.write(write_lines)
            os.replace(tmp, self.path)
        elif self.path and os.path.exists(self.path):
            os.remove(self.path)

    def line(self, text: str) -> None:
        self.echo(text)

    def record(self, obj: dict[str, Any]) -> None:
        if self.path:
            with open(self.path, "a", encoding="utf-8") as handle:
                handle.write(json.dumps(obj) + "\n")


def train(req: TrainRequest, echo: Callable[[str], None] = print) -> TrainResult:
    rank, world_size, local_rank = _dist_env()
    is_main = rank == 0
    say = echo if is_main else (lambda text: None)

    # -- manifest and config -------------------------------------------------------------------
    mpath = manifest_path(req.manifest)
    manifest = load_manifest(mpath)
    if manifest.tokens is None:
        raise TrainError(f"{mpath}: no tokens section: run the job's `tokens` stage first")
    tok = manifest.tokens.tokenizer
    manifest_sha = sha256_file(mpath)
    out = req.out or os.path.join("train-runs", manifest.job)
    cfg = _resolve(req, out, world_size)
    if cfg.vocab_size is not None and cfg.vocab_size != tok.vocab_size:
        raise TrainError(f"config vocab_size {cfg.vocab_size} differs from the manifest's tokenizer "
                         f"({tok.vocab_size}): token ids come from the manifest")
    cfg.vocab_size = tok.vocab_size
    accumulation = accumulation_steps(cfg, world_size)

    # -- checkpoint to resume from -------------------------------------------------------------
    checkpoints = os.path.join(out, "checkpoints")
    ckpt = None
    if req.resume:
        ckpt = latest_good(checkpoints, say)
        if ckpt is None:
            say(f"no checkpoint in {checkpoints}: starting from step 0")
        else:
            _check_checkpoint(ckpt, cfg, manifest_sha, tok.sha256)
    elif list_checkpoints(checkpoints):
        raise TrainError(f"{out} already holds checkpoints: pass --resume to continue that run, or another --out")
    start_step = ckpt.step if ckpt else 0
    if start_step >= cfg.max_steps:
        raise TrainError(f"checkpoint {os.path.basename(ckpt.path)} is at step {start_step}, max_steps is "
                         f"{cfg.max_steps}: nothing to do (raise --max-steps)")

    # -- data ----------------------------------------------------------------------------------
    if req.verify:
        from manifests.validate import validate_manifest

        report = validate_manifest(mpath)
        if not report.ok:
            problems = report.problems
            raise TrainError(f"{mpath} does not match its files ({len(problems)} problem(s)), first: {problems[0]}; "
                             f"pass --no-verify to train anyway")
    train_ds = TokenDataset.open(mpath, "train")
    try:
        val_ds = TokenDataset.open(mpath, "val")
        if val_ds.batch_count(cfg.micro_batch, cfg.seq_len, world_size) < 1:
            val_ds = None
    except TokenDataError:
        val_ds = None

    # -- runtime -------------------------------------------------------------------------------
    device = _pick_device(cfg, local_rank)
    cuda = device.type == "cuda"
    if cfg.threads:
        torch.set_num_threads(cfg.threads)
    if not cuda:
        torch.use_deterministic_algorithms(True)
    if world_size > 1 and not dist.is_initialized():
        dist.init_process_group(backend="nccl" if cuda else "gloo")
    random.seed(cfg.seed)
    np.random.seed(cfg.seed)
    torch.manual_seed(cfg.seed)

    model_cfg = GPTConfig(vocab_size=cfg.vocab_size, n_layer=cfg.n_layer, n_head=cfg.n_head, n_embd=cfg.n_embd,
                          block_size=cfg.block_size, positions=cfg.positions, bias=cfg.bias, dropout=cfg.dropout)
    model = GPT(model_cfg).to(device)
    if ckpt is not None:
        try:
            model.load_state_dict(ckpt.weights)
        except RuntimeError as exc:
            raise CheckpointError(f"checkpoint {os.path.basename(ckpt.path)} does not fit the model: "
                                  f"{str(exc).splitlines()[0]}") from None
    optimizer = torch.optim.AdamW(model.optimizer_groups(cfg.weight_decay), lr=cfg.lr,
                                  betas=(cfg.beta1, cfg.beta2), **({"fused": True} if cuda else {}))
    if ckpt is not None:
        optimizer.load_state_dict(ckpt.state["optimizer"])
        set_rng_state(ckpt.state["rng"])
    compiled = cfg.compile == "true" or (cfg.compile == "auto" and cuda)
    train_model: torch.nn.Module = torch.compile(model) if compiled else model
    if world_size > 1:
        from torch.nn.parallel import DistributedDataParallel

        train_model = DistributedDataParallel(train_model, device_ids=[local_rank] if cuda else None)
    autocast = (lambda: torch.autocast("cuda", dtype=torch.bfloat16)) if cuda else contextlib.nullcontext

    if is_main:
        os.makedirs(out, exist_ok=True)
        write_json_atomic(os.path.join(out, "config.json"), cfg.to_json())
    log = _Log(out if is_main else None, say, start_step if ckpt else None)
    provenance = Provenance(train_ds, cfg.seq_len, cfg.micro_batch, world_size, accumulation, manifest_sha,
                            json.loads(ckpt.state["trained_on"]) if ckpt else None)
    flops_per_token = model.flops_per_token(cfg.seq_len)
    peak = cfg.peak_tflops if cfg.peak_tflops is not None else (H100_BF16_DENSE_TFLOPS if cuda else None)
    if ckpt is not None:
        say(f"resuming from {ckpt.path} (step {start_step})")
    say(f"model: {model.num_params():,} parameters ({cfg.preset}: {cfg.n_layer} layers, {cfg.n_head} heads, "
        f"{cfg.n_embd} dims, {cfg.positions} positions), vocab {cfg.vocab_size} (padded {model_cfg.padded_vocab}); "
        f"{device}, world {world_size}, global batch {cfg.global_batch_tokens:,} tokens = {cfg.micro_batch} x "
        f"{cfg.seq_len} x {world_size} x {accumulation} accumulation; "
        f"{train_ds.batch_count(cfg.micro_batch, cfg.seq_len, world_size) // accumulation:,} steps per epoch")

    kill_at = int(os.environ.get(KILL_ENV, "0") or 0)
    prefetch = Prefetcher(micro_batches(train_ds, cfg.micro_batch, cfg.seq_len, rank, world_size,
                                        start_step * accumulation), cfg.prefetch, pin=cuda)
    sampler = _Sampler(manifest, mpath, val_ds or train_ds, cfg, device) if is_main else None
    progress = _progress(cfg, is_main, start_step)
    last_loss: float | None = None
    t_last, wait_last, step_last = time.perf_counter(), 0.0, start_step
    t_start = t_last
    try:
        for step in range(start_step + 1, cfg.max_steps + 1):
            lr = lr_at(cfg, step - 1)
            for group in optimizer.param_groups:
                group["lr"] = lr
            train_model.train()
            loss_sum = torch.zeros((), device=device)
            for i in range(accumulation):
                _, batch = prefetch.next()
                x, y = to_device(batch, device)
                sync = world_size == 1 or i == accumulation - 1
                with (contextlib.nullcontext() if sync else train_model.no_sync()), autocast():
                    _, loss = train_model(x, y)
                (loss / accumulation).backward()
                loss_sum += loss.detach()
            if cfg.grad_clip > 0:
                torch.nn.utils.clip_grad_norm_(model.parameters(), cfg.grad_clip)
            optimizer.step()
            optimizer.zero_grad(set_to_none=True)
            if is_main:
                provenance.add_step(step)

            if step % cfg.log_interval == 0 or step == cfg.max_steps or step == start_step + 1:
                mean_loss = loss_sum / accumulation
                if world_size > 1:
                    dist.all_reduce(mean_loss, op=dist.ReduceOp.SUM)
                    mean_loss /= world_size
                last_loss = float(mean_loss.item())
                now = time.perf_counter()
                elapsed = max(now - t_last, 1e-9)
                tokens_per_s = (step - step_last) * cfg.global_batch_tokens / elapsed
                wait_frac = (prefetch.wait_s - wait_last) / elapsed
                mfu = flops_per_token * tokens_per_s / (peak * 1e12) if peak else None
                mem = (torch.cuda.max_memory_allocated(device) / 1e9 if cuda
                       else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6)
                t_last, wait_last, step_last = now, prefetch.wait_s, step
                log.record({"step": step, "loss": last_loss, "lr": lr, "tokens": step * cfg.global_batch_tokens,
                            "tokens_per_s": round(tokens_per_s, 1), "mfu": None if mfu is None else round(mfu, 4),
                            "data_wait_frac": round(wait_frac, 4), "mem_gb": round(mem, 3),
                            "elapsed_s": round(now - t_start, 3)})
                progress.log(f"step {step:>6}  loss {last_loss:.4f}  lr {lr:.2e}  {tokens_per_s:,.0f} tok/s  "
                             f"mfu {'-' if mfu is None else f'{mfu:.1%}'}  data wait {wait_frac:.1%}  "
                             f"mem {mem:.2f} GB", say)

            if step % cfg.eval_interval == 0 or step == cfg.max_steps:
                if val_ds is not None:
                    val_loss = _evaluate(model, val_ds, cfg, rank, world_size, device, autocast)
                    ppl = math.exp(min(val_loss, 50.0))
                    log.record({"step": step, "val_loss": val_loss, "val_ppl": ppl})
                    progress.log(f"step {step:>6}  val loss {val_loss:.4f}  ppl {ppl:,.2f}", say)
                if sampler is not None and cfg.num_samples:
                    samples = sampler.sample(model, step, autocast)
                    if samples:
                        log.record({"step": step, "samples": samples})
                        for s in samples:
                            progress.log(f"  sample: {s['prompt']!r} -> {s['continuation']!r}", say)

            if step % cfg.checkpoint_interval == 0 or step == cfg.max_steps:
                if is_main:
                    state = {"step": step, "optimizer": optimizer.state_dict(), "rng": rng_state(),
                             "data_position": step * accumulation, "config": json.dumps(cfg.to_json()),
                             "manifest_sha256": manifest_sha, "tokenizer_sha256": tok.sha256,
                             "trained_on": provenance.to_json()}
                    path = save_checkpoint(checkpoints, step, model, state, cfg.keep_checkpoints)
                    provenance.write(out)
                    progress.log(f"step {step:>6}  checkpoint {path}", say)
                if world_size > 1:
                    dist.barrier()
            progress.advance()
            if kill_at and step == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
    finally:
        progress.stop()
        prefetch.close()
        if world_size > 1 and dist.is_initialized():
            dist.destroy_process_group()
    return TrainResult(out, cfg.max_steps, last_loss, ckpt.step if ckpt else None)


@torch.no_grad()
def _evaluate(model: GPT, dataset: TokenDataset, cfg: TrainConfig, rank: int, world_size: int,
              device: torch.device, autocast) -> float:
    """Mean loss over the val split's first eval_batches x micro_batch windows, as a float.

    Each rank takes eval_batches // world_size of its batches, so the windows evaluated (and the
    result) do not depend on the number of ranks when it divides eval_batches."""
    model.eval()
    n = max(1, min(cfg.eval_batches // world_size, dataset.batch_count(cfg.micro_batch, cfg.seq_len, world_size)))
    total = torch.zeros((), device=device, dtype=torch.float64)
    for _, batch in zip(range(n), dataset.batches(cfg.micro_batch, cfg.seq_len, rank=rank, world_size=world_size)):
        x, y = to_device(torch.from_numpy(batch.astype(np.int64)), device)
        with autocast():
            _, loss = model(x, y)
        total += loss.double()
    if world_size > 1:
        dist.all_reduce(total, op=dist.ReduceOp.SUM)
    model.train()
    return float(total.item() / (n * world_size))


class _Sampler:
    """Short continuations of the first tokens of a few val windows, decoded with the manifest's tokenizer."""

    def __init__(self, manifest, mpath: str, dataset: TokenDataset, cfg: TrainConfig, device: torch.device):
        self.cfg, self.device, self.dataset = cfg, device, dataset
        self.eos_id = manifest.tokens.tokenizer.eos_id
        self.path = os.path.join(os.path.dirname(os.path.abspath(mpath)), manifest.tokens.tokenizer.path)
        self.tokenizer = None
        self.failed = False

    def sample(self, model: GPT, step: int, autocast) -> list[dict[str, str]]:
        if self.failed:
            return []
        if self.tokenizer is None:
            try:
                from tokenizer.bpe import load_tokenizer

                self.tokenizer = load_tokenizer(self.path)
            except Exception as exc:  # samples are a nicety: never stop training for them
                print(f"note: no samples: cannot load the tokenizer {self.path}: {exc}")
                self.failed = True
                return []
        cfg = self.cfg
        prompts = [np.array(w[:cfg.sample_prompt_tokens], dtype=np.int64)
                   for _, w in zip(range(cfg.num_samples), self.dataset.windows(cfg.seq_len))]
        if not prompts:
            return []
        generator = torch.Generator().manual_seed(cfg.seed * 1_000_003 + step)
        model.eval()
        with autocast():
            idx = model.generate(torch.from_numpy(np.stack(prompts)).to(self.device), cfg.sample_tokens,
                                 top_k=cfg.sample_top_k, generator=generator)
        model.train()
        out = []
        for prompt, row in zip(prompts, idx.cpu().tolist()):
            cont = row[len(prompt):]
            if self.eos_id in cont:
                cont = cont[:cont.index(self.eos_id)]
            out.append({"prompt": self.tokenizer.decode(prompt.tolist()), "continuation": self.tokenizer.decode(cont)})
        return out


class _Progress:
    def __init__(self, bar=None, task=None):
        self.bar, self.task = bar, task

    def log(self, text: str, say) -> None:
        if self.bar is not None:
            self.bar.console.print(text, highlight=False, markup=False)
        else:
            say(text)

    def advance(self) -> None:
        if self.bar is not None:
            self.bar.advance(self.task)

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def _progress(cfg: TrainConfig, is_main: bool, start_step: int) -> _Progress:
    if not (is_main and cfg.progress):
        return _Progress()
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    console = Console(stderr=True)
    if not console.is_terminal:
        return _Progress()
    bar = Progress(TextColumn("train"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn(),
                   console=console, transient=True)
    task = bar.add_task("train", total=cfg.max_steps, completed=start_step)
    bar.start()
    return _Progress(bar, task)
