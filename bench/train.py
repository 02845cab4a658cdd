"""Training throughput: a plain-PyTorch GPT-2 124M vs `quarry train`, plus the token loader alone.

    .venv/bin/python bench/train.py                         # CUDA (meant for one H100): B=16
    .venv/bin/python bench/train.py --batch 16 64 --manifest demo-out/output/manifest.json
    .venv/bin/python bench/train.py --cpu-smoke             # tiny end-to-end run on a CPU

Everything runs in one invocation on one device; for each `--batch` B (T = `--seq-len`):

(a) reference: a self-contained nanoGPT-style GPT-2 (12 layers, 12 heads, 768 dims, vocab
    `--vocab` 50,304, T=1024, tied token embedding / LM head, learned positions, pre-LN, GELU
    MLP, F.scaled_dot_product_attention(is_causal=True)), bf16 autocast, torch.compile, fused
    AdamW (lr 6e-4, betas 0.9/0.95, wd 0.1 on >=2-D weights), grad clip 1.0, fed random tokens
    that are already on the device (no data loading). `--warmup-steps` untimed steps (compile),
    then `--steps` timed steps between torch.cuda.synchronize() calls. Reports tokens/s, MFU
    and the peak memory allocated (torch.cuda.max_memory_allocated).
(b) quarry: `python -m pipeline train` (until that is wired up, `python -m trainer.cli train`)
    as a subprocess at the same size and batch (--preset 124m, micro_batch=B, seq_len=T,
    global_batch_tokens=B*T so no gradient accumulation, compile on, log_interval=
    `--log-interval`, eval and checkpoints out of the way, progress bar off), for warmup+steps
    steps, fed from token shards on disk: `--manifest PATH`, or else synthetic shards (uniform random
    ids below 50,257, EOS-terminated documents) written with `write_token_shard` beside a
    tokenizer.json (a tiny byte-level BPE from `train_bpe`, padded with filler tokens to
    exactly 50,257 ids so the LM head is GPT-2's) and a manifest pointing at it. The settings
    go in a YAML file passed with --config (`--quarry-arg` appends raw arguments). OUT/log.jsonl
    is parsed; steady state = the log lines from step >= warmup on: tokens/s = B*T*(step
    delta) / (elapsed_s delta) between the first such line and the last; data-wait % = mean
    data_wait_frac of the lines after the first; the trainer's own `mfu` is shown beside ours.
    The synthetic manifest gets --no-verify (it lists no documents output).
    When `quarry train` is missing or fails, (b) is skipped with a message (exit status 0)
    and the loader ratio uses the reference's tokens/s.
(c) loader: TokenDataset.batches(B, T) over the same shards (page cache warmed first), each
    (B, T+1) batch copied into a pinned host buffer (int64) and on to the GPU with
    non_blocking=True (two buffers, an event per buffer; a plain CPU copy without CUDA),
    repeated for at least `--loader-seconds`. tokens/s counts B*T per batch; the ratio is
    loader tokens/s / quarry's training tokens/s (goal >= 10x).

MFU = flops_per_token x tokens/s / (`--peak-tflops` x 1e12), with nanoGPT's estimate
    flops_per_token = 6*N + 12*L*H*Q*T     (L layers, H heads, Q head dim, T seq_len)
and N counted as nanoGPT's get_num_params() does: every parameter EXCEPT the position
embeddings; the token embedding is counted (once), because, tied, it is the LM head's weight
and its matmul is real work. So N depends on the vocabulary: each side's MFU uses its own
vocab (the reference 50,304; quarry the manifest's, e.g. 50,257 synthetic or 4,096 for the
demo, whose LM head is far cheaper: its MFU is then not comparable). The attention term
counts the full T x T scores, as nanoGPT does (no halving for causality). Peak default
989.5 TFLOPS = H100 SXM bf16 dense. Quarry's N is our reference architecture at the preset's
shape (124m: 12/12/768; 350m: 24/16/1024) with its vocab, unless a JSON file the trainer
writes in OUT names n_layer / n_head / n_embd / vocab_size.

--cpu-smoke: a 2-layer, 2-head, 64-dim reference (quarry's tiny preset), T=128, B=2, 2 warmup
+ 4 timed steps, no compile, no bf16, no fused AdamW, quarry with --preset tiny on the CPU; the
numbers mean nothing, it only proves the script runs end to end.

Goals (table): quarry/reference tokens/s >= 1.1x, quarry MFU >= 45%, data wait < 1%,
loader/trainer >= 10x.
"""
from __future__ import annotations

import argparse
import contextlib
import gc
import json
import math
import os
import platform
import shlex
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

GPT2_VOCAB, PADDED_VOCAB = 50_257, 50_304
# (n_layer, n_head, n_embd) of the trainer's presets (trainer/config.py)
PRESETS = {"tiny": (2, 2, 64), "124m": (12, 12, 768), "350m": (24, 16, 1024)}


# -- the reference model (nanoGPT-style) ------------------------------------------------------

@dataclass
class GPTConfig:
    n_layer: int = 12
    n_head: int = 12
    n_embd: int = 768
    vocab_size: int = PADDED_VOCAB
    block_size: int = 1024


class CausalSelfAttention(nn.Module):
    def __init__(self, c: GPTConfig):
        super().__init__()
        self.n_head = c.n_head
        self.c_attn = nn.Linear(c.n_embd, 3 * c.n_embd)
        self.c_proj = nn.Linear(c.n_embd, c.n_embd)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        B, T, C = x.shape
        q, k, v = self.c_attn(x).split(C, dim=2)
        q, k, v = (t.view(B, T, self.n_head, C // self.n_head).transpose(1, 2) for t in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        return self.c_proj(y.transpose(1, 2).contiguous().view(B, T, C))


class MLP(nn.Module):
    def __init__(self, c: GPTConfig):
        super().__init__()
        self.c_fc = nn.Linear(c.n_embd, 4 * c.n_embd)
        self.c_proj = nn.Linear(4 * c.n_embd, c.n_embd)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.c_proj(F.gelu(self.c_fc(x), approximate="tanh"))


class Block(nn.Module):
    def __init__(self, c: GPTConfig):
        super().__init__()
        self.ln_1, self.attn = nn.LayerNorm(c.n_embd), CausalSelfAttention(c)
        self.ln_2, self.mlp = nn.LayerNorm(c.n_embd), MLP(c)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class GPT(nn.Module):
    def __init__(self, c: GPTConfig):
        super().__init__()
        self.config = c
        self.wte = nn.Embedding(c.vocab_size, c.n_embd)
        self.wpe = nn.Embedding(c.block_size, c.n_embd)
        self.h = nn.ModuleList(Block(c) for _ in range(c.n_layer))
        self.ln_f = nn.LayerNorm(c.n_embd)
        self.lm_head = nn.Linear(c.n_embd, c.vocab_size, bias=False)
        self.lm_head.weight = self.wte.weight  # tied
        self.apply(self._init)
        for name, p in self.named_parameters():
            if name.endswith("c_proj.weight"):
                nn.init.normal_(p, mean=0.0, std=0.02 / math.sqrt(2 * c.n_layer))

    @staticmethod
    def _init(m: nn.Module) -> None:
        if isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, mean=0.0, std=0.02)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.Embedding):
            nn.init.normal_(m.weight, mean=0.0, std=0.02)

    def forward(self, idx: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        T = idx.size(1)
        x = self.wte(idx) + self.wpe(torch.arange(T, device=idx.device))
        for block in self.h:
            x = block(x)
        logits = self.lm_head(self.ln_f(x))
        return F.cross_entropy(logits.float().view(-1, logits.size(-1)), targets.view(-1))


def flop_params(c: GPTConfig) -> int:
    """nanoGPT's N: all parameters (the tied token embedding once) minus the position embeddings."""
    d, L, V = c.n_embd, c.n_layer, c.vocab_size
    per_block = 2 * 2 * d + (3 * d * d + 3 * d) + (d * d + d) + (4 * d * d + 4 * d) + (4 * d * d + d)
    return L * per_block + V * d + 2 * d  # blocks, tied wte/lm_head, ln_f


def flops_per_token(c: GPTConfig, seq_len: int) -> float:
    """nanoGPT's estimate_mfu: 6N + 12*L*H*Q*T (H*Q = n_embd)."""
    return 6 * flop_params(c) + 12 * c.n_layer * c.n_embd * seq_len


def mfu(c: GPTConfig, seq_len: int, tokens_per_s: float, peak_tflops: float) -> float:
    return flops_per_token(c, seq_len) * tokens_per_s / (peak_tflops * 1e12)


# -- helpers ----------------------------------------------------------------------------------

def cuda() -> bool:
    return torch.cuda.is_available()


def sync() -> None:
    if cuda():
        torch.cuda.synchronize()


def peak_mem_gb() -> float | None:
    if cuda():
        return torch.cuda.max_memory_allocated() / 1e9
    return None


def fmt(value: float | None, spec: str, suffix: str = "") -> str:
    return "n/a" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:{spec}}{suffix}"


# -- (a) reference ----------------------------------------------------------------------------

def run_reference(args: argparse.Namespace, B: int, c: GPTConfig) -> dict:
    T, dev = args.seq_len, torch.device("cuda" if cuda() else "cpu")
    torch.manual_seed(0)
    if cuda():
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats()
    model = GPT(c).to(dev)
    total_params = sum(p.numel() for p in model.parameters())
    assert total_params - c.block_size * c.n_embd == flop_params(c), "flop_params out of step with the model"
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=6e-4, betas=(0.9, 0.95), eps=1e-8, fused=cuda())
    step_model = torch.compile(model) if args.compile else model
    autocast = (torch.autocast("cuda", dtype=torch.bfloat16) if cuda() and not args.no_bf16
                else contextlib.nullcontext())
    gen = torch.Generator(device=dev).manual_seed(0)
    pool = [torch.randint(0, c.vocab_size, (B, T + 1), device=dev, generator=gen) for _ in range(4)]
    pool = [(b[:, :-1].contiguous(), b[:, 1:].contiguous()) for b in pool]

    def step(i: int) -> torch.Tensor:
        x, y = pool[i % len(pool)]
        with autocast:
            loss = step_model(x, y)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)
        return loss

    t0 = time.perf_counter()
    for i in range(args.warmup_steps):
        loss = step(i)
    sync()
    warm_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for i in range(args.steps):
        loss = step(i)
    sync()
    seconds = time.perf_counter() - t0
    tps = B * T * args.steps / seconds
    out = {"tokens_per_s": tps, "mfu": mfu(c, T, tps, args.peak_tflops), "mem_gb": peak_mem_gb(),
           "step_ms": seconds / args.steps * 1e3, "warmup_s": warm_s, "loss": float(loss.item()),
           "params": total_params, "flop_params": flop_params(c)}
    return out


def free_reference(args: argparse.Namespace) -> None:
    """After run_reference has returned (its model and optimizer gone): drop compiled graphs and cached memory."""
    gc.collect()
    if args.compile:
        torch._dynamo.reset()
    if cuda():
        torch.cuda.empty_cache()


# -- data: a manifest with token shards ---------------------------------------------------------

def synthetic_manifest(root: Path, tokens: int, vocab: int = GPT2_VOCAB, shards: int = 4) -> Path:
    """Random EOS-terminated documents in `shards` token shards, a tokenizer.json of exactly `vocab`
    ids (tiny BPE + filler tokens) and a manifest listing both, under `root`."""
    from manifests.schema import (MANIFEST_NAME, Errors, Manifest, RunInfo, SplitInfo, TokenizerInfo, TokenShard,
                                  TokensInfo)
    from tokenizer.bpe import save_tokenizer, tokenizer_sha256, train_bpe
    from tokenizer.shards import shard_relpath, token_dtype, write_token_shard

    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    words = "the of and to in is was for on that with as by at from his her it an were are which this be".split()
    rng = np.random.default_rng(0)
    texts = [" ".join(rng.choice(words, size=40)) + f" {i}." for i in range(2000)]
    tok = train_bpe(texts, vocab_size=512)
    tok.add_tokens([f"<|filler{i}|>" for i in range(vocab - tok.get_vocab_size())])
    if tok.get_vocab_size() != vocab:
        raise RuntimeError(f"tokenizer has {tok.get_vocab_size()} ids, wanted {vocab}")
    eos = tok.token_to_id("<|endoftext|>")
    tok_path = save_tokenizer(tok, root / "tokenizer")
    sha = tokenizer_sha256(tok_path)

    entries, per_shard = [], -(-tokens // shards)
    for index in range(shards):
        lengths = rng.integers(16, 2048, size=per_shard // 1000 + 2)
        bounds = np.cumsum(lengths)
        bounds = bounds[bounds <= per_shard] if bounds[-1] > per_shard else bounds
        flat = rng.integers(0, vocab, size=int(bounds[-1]), dtype=token_dtype(vocab))
        flat[flat == eos] = (eos + 1) % vocab
        flat[bounds - 1] = eos
        rows = [(f"s{index}-{i:07d}", "web", d) for i, d in enumerate(np.split(flat, bounds[:-1]))]
        rel = shard_relpath("train", index, shards)
        info = write_token_shard(str(root / rel), rows, vocab_size=vocab, eos_id=eos, tokenizer_sha256=sha,
                                 split="train")
        entries.append({**info, "path": rel})
    info = TokensInfo(
        tokenizer=TokenizerInfo(path=os.path.relpath(tok_path, root), sha256=sha, vocab_size=vocab, eos_id=eos,
                                trained=True),
        dtype=str(token_dtype(vocab)), seed=0, val_fraction=0.0, token_budget=None, max_epochs=1.0,
        shards=[TokenShard(**e) for e in entries],
        splits={"train": SplitInfo(documents=sum(e["documents"] for e in entries),
                                   tokens=sum(e["tokens"] for e in entries), shards=len(entries))},
        mix={})
    manifest = Manifest(
        manifest_version=1, quarry_version="0.1.0", job="bench-train", config={},
        run=RunInfo(runner="bench", pipeline_options=[], started="", finished="", seconds=0.0),
        inputs=[], funnel=[], sources={}, outputs={}, errors=Errors(total=0, listed=[]), tokens=info)
    path = root / MANIFEST_NAME
    path.write_text(json.dumps(manifest.model_dump(mode="json", by_alias=True)), encoding="utf-8")
    return path


# -- (b) quarry train ---------------------------------------------------------------------------

ENTRIES = (["-m", "pipeline", "train"], ["-m", "trainer.cli", "train"])  # the CLI; trainer's stand-alone entry


def quarry_available() -> tuple[list[str] | None, str]:
    """The first entry whose --help works (`python -m pipeline train`, else `python -m trainer.cli train`)."""
    why = ""
    for entry in ENTRIES:
        try:
            proc = subprocess.run([sys.executable, *entry, "--help"], cwd=ROOT, capture_output=True, text=True,
                                  timeout=120)
        except (OSError, subprocess.TimeoutExpired) as exc:
            why = why or str(exc)
            continue
        if proc.returncode == 0:
            return entry, ""
        last = (proc.stderr.strip() or proc.stdout.strip()).splitlines()
        why = why or (last[-1] if last else f"exit status {proc.returncode}")
    return None, why


def find_model_shape(out: Path, preset: str, vocab: int) -> GPTConfig | None:
    """Quarry's model shape: from any JSON the trainer wrote in OUT naming it, else the preset table."""
    found: dict[str, int] = {}

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("n_layer", "n_head", "n_embd", "vocab_size") and isinstance(value, int):
                    found.setdefault(key, value)
                else:
                    walk(value)

    for path in sorted(out.rglob("*.json")):
        with contextlib.suppress(Exception):
            walk(json.loads(path.read_text(encoding="utf-8")))
    if {"n_layer", "n_head", "n_embd"} <= found.keys():
        return GPTConfig(found["n_layer"], found["n_head"], found["n_embd"], found.get("vocab_size", vocab))
    if preset in PRESETS:
        L, H, d = PRESETS[preset]
        return GPTConfig(L, H, d, found.get("vocab_size", vocab))
    return None


def run_quarry(args: argparse.Namespace, B: int, manifest: Path, vocab: int) -> dict:
    T = args.seq_len
    out = args.work_dir / f"quarry-b{B}"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    max_steps = args.warmup_steps + args.steps
    config = {"micro_batch": B, "seq_len": T, "global_batch_tokens": B * T, "compile": bool(args.compile),
              "log_interval": args.log_interval, "eval_interval": 10 * max_steps + 1_000_000,
              "checkpoint_interval": 10 * max_steps + 1_000_000, "progress": False, "peak_tflops": args.peak_tflops}
    import yaml
    config_path = out.parent / f"quarry-b{B}.yaml"
    config_path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    cmd = [sys.executable, *args.quarry_entry, "--manifest", str(manifest), "--config", str(config_path),
           "--out", str(out), "--preset", args.preset, "--max-steps", str(max_steps),
           "--device", "cuda" if cuda() else "cpu"]
    if args.manifest is None:  # the synthetic manifest has no documents output for the trainer's check
        cmd.append("--no-verify")
    for extra in args.quarry_arg:
        cmd += shlex.split(extra)
    print(f"  $ {shlex.join(cmd)}", flush=True)
    t0 = time.perf_counter()
    log_file = out.parent / f"quarry-b{B}.stdout.txt"
    with open(log_file, "w", encoding="utf-8") as handle:
        try:
            proc = subprocess.run(cmd, cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT, timeout=args.quarry_timeout)
            rc = proc.returncode
        except subprocess.TimeoutExpired:
            rc = "timeout"
    wall = time.perf_counter() - t0
    tail = "\n".join(log_file.read_text(encoding="utf-8", errors="replace").splitlines()[-15:])
    result: dict = {"cmd": shlex.join(cmd), "wall_s": wall}
    if rc != 0:
        return {**result, "error": f"quarry train exited with {rc} after {wall:.0f} s; "
                                   f"last output ({log_file}):\n{tail}"}
    log_path = out / "log.jsonl"
    lines = []
    if log_path.is_file():
        for text in log_path.read_text(encoding="utf-8").splitlines():
            with contextlib.suppress(json.JSONDecodeError):
                row = json.loads(text)
                if isinstance(row, dict) and "step" in row and "elapsed_s" in row:
                    lines.append(row)
    steady = [r for r in lines if r["step"] >= args.warmup_steps]
    if len(steady) < 2:
        return {**result, "error": f"{log_path}: {len(lines)} log lines, {len(steady)} at step >= "
                                   f"{args.warmup_steps}; need 2 for a steady-state rate\n{tail}"}
    first, last = steady[0], steady[-1]
    seconds = float(last["elapsed_s"]) - float(first["elapsed_s"])
    tps = B * T * (int(last["step"]) - int(first["step"])) / seconds
    after = steady[1:]

    def mean(key: str) -> float | None:
        vals = [float(r[key]) for r in after if isinstance(r.get(key), (int, float))]
        return sum(vals) / len(vals) if vals else None

    def median(key: str) -> float | None:
        vals = [float(r[key]) for r in after if isinstance(r.get(key), (int, float))]
        return float(np.median(vals)) if vals else None

    mems = [float(r["mem_gb"]) for r in lines if isinstance(r.get("mem_gb"), (int, float))]
    shape = find_model_shape(out, args.preset, vocab)
    log_tokens = None
    if isinstance(first.get("tokens"), (int, float)) and isinstance(last.get("tokens"), (int, float)):
        log_tokens = (float(last["tokens"]) - float(first["tokens"])) / seconds
    return {**result, "tokens_per_s": tps, "log_tokens_per_s": log_tokens,
            "median_line_tokens_per_s": median("tokens_per_s"),
            "mfu": mfu(shape, T, tps, args.peak_tflops) if shape else None, "shape": shape,
            "trainer_mfu": median("mfu"), "data_wait_frac": mean("data_wait_frac"),
            "mem_gb": max(mems) if mems else None, "lines": len(lines), "steady_lines": len(steady),
            "steps": (int(first["step"]), int(last["step"])), "loss": last.get("loss")}


# -- (c) loader ---------------------------------------------------------------------------------

def run_loader(args: argparse.Namespace, B: int, manifest: Path) -> dict:
    from tokenizer.reader import TokenDataset

    T = args.seq_len
    ds = TokenDataset.open(str(manifest))
    for index in range(len(ds.shards)):  # page cache, as a trainer's second epoch (or a fast disk) sees it
        with open(ds.shard_path(index), "rb") as handle:
            while handle.read(16 << 20):
                pass
    if ds.batch_count(B, T) == 0:
        return {"error": f"no batch of {B}x{T + 1} tokens in {manifest}"}
    on_gpu = cuda()
    hosts = [torch.empty((B, T + 1), dtype=torch.int64, pin_memory=on_gpu) for _ in range(2)]
    views = [h.numpy() for h in hosts]
    devs = [torch.empty((B, T + 1), dtype=torch.int64, device="cuda") for _ in range(2)] if on_gpu else []
    events = [torch.cuda.Event() for _ in range(2)] if on_gpu else []
    stream = torch.cuda.Stream() if on_gpu else None
    batches, i = 0, 0
    sync()
    t0 = time.perf_counter()
    while True:
        for batch in TokenDataset.open(str(manifest)).batches(B, T):
            slot = i % 2
            if on_gpu:
                events[slot].synchronize()  # the copy that last read this pinned buffer is done
            np.copyto(views[slot], batch, casting="unsafe")
            if on_gpu:
                with torch.cuda.stream(stream):
                    devs[slot].copy_(hosts[slot], non_blocking=True)
                    events[slot].record(stream)
            i += 1
            batches += 1
        if time.perf_counter() - t0 >= args.loader_seconds:
            break
    sync()
    seconds = time.perf_counter() - t0
    return {"tokens_per_s": batches * B * T / seconds, "batches": batches, "seconds": seconds,
            "pinned": on_gpu, "batch_count": ds.batch_count(B, T)}


# -- main ---------------------------------------------------------------------------------------

def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--batch", type=int, nargs="+", default=None, help="micro-batch size(s) B (default 16; 2 smoke)")
    p.add_argument("--seq-len", type=int, default=None, help="T (default 1024; 128 with --cpu-smoke)")
    p.add_argument("--steps", type=int, default=None, help="timed steps (default 100; 4 smoke)")
    p.add_argument("--warmup-steps", type=int, default=None,
                   help="untimed steps first, compilation included (default 20; 2 smoke); quarry runs "
                        "warmup+steps and its log lines from step >= warmup count")
    p.add_argument("--log-interval", type=int, default=None,
                   help="quarry's log_interval (default 10; 1 smoke); make warmup and steps multiples of it")
    p.add_argument("--peak-tflops", type=float, default=989.5,
                   help="peak for MFU (default 989.5: H100 SXM bf16 dense; H100 PCIe is 756)")
    p.add_argument("--vocab", type=int, default=PADDED_VOCAB, help="reference vocab (default 50304)")
    p.add_argument("--manifest", type=Path, default=None,
                   help="a manifest with token shards for (b) and (c); default: synthetic shards, vocab 50257")
    p.add_argument("--synthetic-tokens-millions", type=float, default=None,
                   help="size of the synthetic shards (default: enough for the run at the largest B, min 8M)")
    p.add_argument("--preset", default=None, help="quarry --preset (default 124m; tiny with --cpu-smoke)")
    p.add_argument("--quarry-arg", action="append", default=[],
                   help="extra argument(s) for `quarry train`, shell-split, e.g. --quarry-arg='--set foo=1'")
    p.add_argument("--quarry-timeout", type=float, default=1800.0, help="seconds before (b) gives up (default 1800)")
    p.add_argument("--loader-seconds", type=float, default=3.0, help="minimum duration of (c) (default 3)")
    p.add_argument("--work-dir", type=Path, default=ROOT / ".bench" / "train",
                   help="synthetic shards, quarry configs, outputs and stdout (default .bench/train)")
    p.add_argument("--no-compile", dest="compile", action="store_false", help="torch.compile off on both sides")
    p.add_argument("--no-bf16", action="store_true", help="reference without bf16 autocast")
    p.add_argument("--skip-reference", action="store_true")
    p.add_argument("--skip-quarry", action="store_true")
    p.add_argument("--skip-loader", action="store_true")
    p.add_argument("--cpu-smoke", action="store_true",
                   help="tiny end-to-end run: 2 layers, 2 heads, 64 dims, T=128, B=2, no compile/bf16")
    args = p.parse_args()
    smoke = args.cpu_smoke
    defaults = {"batch": [2] if smoke else [16], "seq_len": 128 if smoke else 1024, "steps": 4 if smoke else 100,
                "warmup_steps": 2 if smoke else 20, "log_interval": 1 if smoke else 10,
                "preset": "tiny" if smoke else "124m"}
    for key, value in defaults.items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    if smoke:
        args.compile, args.no_bf16 = False, True
    if args.steps < 1 or args.warmup_steps < 0 or args.log_interval < 1:
        p.error("--steps must be >= 1, --warmup-steps >= 0, --log-interval >= 1")
    return args


def main() -> int:
    args = parse_args()
    command = shlex.join([sys.executable, *sys.argv])
    device = torch.cuda.get_device_name() if cuda() else f"CPU ({platform.processor() or platform.machine()}, " \
                                                          f"{os.cpu_count()} cores; no CUDA)"
    if not cuda() and not args.cpu_smoke:
        print("warning: no CUDA device: running at full size on the CPU will be very slow (try --cpu-smoke)",
              file=sys.stderr)
    print(f"device: {device}; torch {torch.__version__}; Python {platform.python_version()}")
    print(f"command: {command}")
    T = args.seq_len
    if args.cpu_smoke:
        ref_cfg = GPTConfig(2, 2, 64, args.vocab, T)  # the trainer's tiny preset
    else:
        ref_cfg = GPTConfig(12, 12, 768, args.vocab, T)
    print(f"reference: {ref_cfg}, N (nanoGPT: all but position embeddings) = {flop_params(ref_cfg):,}, "
          f"flops/token = {flops_per_token(ref_cfg, T) / 1e9:.3f} GFLOP; compile={args.compile}, "
          f"bf16={cuda() and not args.no_bf16}, fused AdamW={cuda()}; T={T}, B={args.batch}, "
          f"warmup {args.warmup_steps} + {args.steps} timed steps; peak {args.peak_tflops} TFLOPS")
    args.work_dir.mkdir(parents=True, exist_ok=True)

    manifest, vocab = args.manifest, None
    need_data = not (args.skip_quarry and args.skip_loader)
    if need_data:
        if manifest is None:
            needed = (args.warmup_steps + args.steps + 5) * max(args.batch) * (T + 1)
            tokens = int(args.synthetic_tokens_millions * 1e6) if args.synthetic_tokens_millions else \
                max(int(needed * 1.25), 8_000_000 if not args.cpu_smoke else 200_000)
            t0 = time.perf_counter()
            manifest = synthetic_manifest(args.work_dir / "data", tokens)
            print(f"synthetic shards: {tokens:,} tokens, vocab {GPT2_VOCAB:,}, written in "
                  f"{time.perf_counter() - t0:.1f} s: {manifest}")
        from tokenizer.reader import TokenDataset
        ds = TokenDataset.open(str(manifest))
        vocab = ds.vocab_size
        print(f"data: {manifest}: {ds.num_tokens:,} tokens in {len(ds.shards)} shards, vocab {vocab:,}")
        for B in args.batch:
            have, want = ds.batch_count(B, T), args.warmup_steps + args.steps
            if have < want:
                print(f"  warning: B={B}: {have} batches of {B}x{T} in the data, the run takes {want} steps "
                      f"(the trainer must wrap around epochs)")
        if vocab != GPT2_VOCAB:
            print(f"  note: vocab {vocab:,} differs from GPT-2's: quarry's LM head flops differ from the "
                  f"reference's; each side's MFU uses its own vocab")

    entry, why = (None, "skipped (--skip-quarry)") if args.skip_quarry else quarry_available()
    quarry_ok, args.quarry_entry = entry is not None, entry
    if entry is None and not args.skip_quarry:
        print(f"(b) quarry train is not available: {why}; skipping (b)")
    elif entry is not None and entry != ENTRIES[0]:
        print(f"(b) note: `python -m pipeline train` is not wired up yet; using `python -m {entry[1]} train`")

    results = []
    for B in args.batch:
        row: dict = {"B": B}
        if not args.skip_reference:
            print(f"(a) reference B={B} ...", flush=True)
            try:
                row["ref"] = r = run_reference(args, B, ref_cfg)
            except torch.cuda.OutOfMemoryError as exc:
                row["ref"] = r = {"error": f"out of memory: {str(exc).splitlines()[0]}"}
            free_reference(args)
            if "error" in r:
                print(f"  FAILED: {r['error']}")
            else:
                print(f"  {r['tokens_per_s']:,.0f} tokens/s, {r['step_ms']:.1f} ms/step, MFU {r['mfu']:.2%}, "
                      f"mem {fmt(r['mem_gb'], '.2f', ' GB')}, warmup {r['warmup_s']:.1f} s, loss {r['loss']:.3f}, "
                      f"params {r['params']:,} (N {r['flop_params']:,})")
        if quarry_ok:
            print(f"(b) quarry train B={B} ...", flush=True)
            row["quarry"] = q = run_quarry(args, B, manifest, vocab)
            if "error" in q:
                print(f"  FAILED: {q['error']}")
            else:
                shape = q["shape"]
                print(f"  {q['tokens_per_s']:,.0f} tokens/s over steps {q['steps'][0]}..{q['steps'][1]} "
                      f"({q['steady_lines']} of {q['lines']} log lines); log lines' median tokens_per_s "
                      f"{fmt(q['median_line_tokens_per_s'], ',.0f')}, 'tokens' delta rate "
                      f"{fmt(q['log_tokens_per_s'], ',.0f')}")
                print(f"  MFU {fmt(q['mfu'], '.1%')} (ours, shape {shape.n_layer}/{shape.n_head}/{shape.n_embd} "
                      f"vocab {shape.vocab_size:,}, N {flop_params(shape):,}) / {fmt(q['trainer_mfu'], '.1%')} "
                      f"(trainer's log), data wait {fmt(q['data_wait_frac'], '.2%')}, mem "
                      f"{fmt(q['mem_gb'], '.2f', ' GB')}, loss {q['loss']}, wall {q['wall_s']:.0f} s"
                      if shape else f"  MFU n/a (unknown shape for preset {args.preset}); trainer's "
                      f"{fmt(q['trainer_mfu'], '.1%')}, data wait {fmt(q['data_wait_frac'], '.2%')}")
        if not args.skip_loader:
            print(f"(c) loader B={B} ...", flush=True)
            row["loader"] = ld = run_loader(args, B, manifest)
            if "error" in ld:
                print(f"  FAILED: {ld['error']}")
            else:
                print(f"  {ld['tokens_per_s']:,.0f} tokens/s ({ld['batches']:,} batches in {ld['seconds']:.1f} s, "
                      f"{'pinned host -> GPU' if ld['pinned'] else 'CPU copy'})")
        results.append(row)

    print_table(args, results, device, command)
    return 0


def print_table(args: argparse.Namespace, results: list[dict], device: str, command: str) -> None:
    def ok(cond: bool | None) -> str:
        return "" if cond is None else ("ok" if cond else "MISS")

    print()
    print(f"device: {device} | torch {torch.__version__} | T={args.seq_len} | peak {args.peak_tflops} TFLOPS | "
          f"warmup {args.warmup_steps} + {args.steps} steps")
    print(f"command: {command}")
    head = f"{'B':>4}  {'metric':<30} {'reference':>14} {'quarry':>14}  {'goal':<10} status"
    print(head)
    print("-" * len(head))
    for row in results:
        B, ref, q, ld = row["B"], row.get("ref") or {}, row.get("quarry") or {}, row.get("loader") or {}
        q_ok = "tokens_per_s" in q
        rt, qt = ref.get("tokens_per_s"), q.get("tokens_per_s")
        lines = [
            ("tokens/s", fmt(rt, ",.0f"), fmt(qt, ",.0f") if q_ok else "n/a", "", None),
            ("quarry / reference", "", fmt(qt / rt, ".2f", "x") if q_ok and rt else "n/a", ">= 1.1x",
             (qt / rt >= 1.1) if q_ok and rt else None),
            ("MFU (ours, own vocab)", fmt(ref.get("mfu"), ".2%"), fmt(q.get("mfu"), ".2%"), ">= 45%",
             (q["mfu"] >= 0.45) if q.get("mfu") is not None else None),
            ("MFU (trainer's log)", "", fmt(q.get("trainer_mfu"), ".1%"), "", None),
            ("data wait", "0 (on device)", fmt(q.get("data_wait_frac"), ".2%"), "< 1%",
             (q["data_wait_frac"] < 0.01) if q.get("data_wait_frac") is not None else None),
            ("peak memory", fmt(ref.get("mem_gb"), ".2f", " GB"), fmt(q.get("mem_gb"), ".2f", " GB"), "", None),
        ]
        lt = ld.get("tokens_per_s")
        consumer, who = (qt, "quarry") if q_ok else (rt, "reference")
        lines.append(("loader tokens/s", "", fmt(lt, ",.0f"), "", None))
        lines.append((f"loader / {who} trainer", "", fmt(lt / consumer, ",.1f", "x") if lt and consumer else "n/a",
                      ">= 10x", (lt / consumer >= 10) if lt and consumer else None))
        for name, a, b, goal, cond in lines:
            print(f"{B:>4}  {name:<30} {a:>14} {b:>14}  {goal:<10} {ok(cond)}")
        if "error" in ref:
            print(f"{B:>4}  reference: {ref['error']}")
        if q and not q_ok:
            print(f"{B:>4}  quarry: {q.get('error', 'not run').splitlines()[0]}")
    if not any("quarry" in r for r in results):
        print("quarry train: not run (see above); the loader ratio is against the reference's tokens/s")


if __name__ == "__main__":
    sys.exit(main())
