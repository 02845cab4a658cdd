"""Config resolution: presets, layers, --set parsing, accumulation."""
from __future__ import annotations

import pytest

from trainer.config import TrainError, accumulation_steps, parse_set, resolve_config


def test_preset_then_file_then_flags():
    cfg = resolve_config([("file", {"preset": "124m", "n_layer": 4, "lr": 1e-3}),
                          ("flags", parse_set(["lr=3e-4", "compile=false", "seq_len=256"]))])
    assert (cfg.n_layer, cfg.n_head, cfg.n_embd, cfg.block_size) == (4, 12, 768, 1024)
    assert cfg.lr == 3e-4 and cfg.min_lr == pytest.approx(3e-5) and cfg.compile == "false"
    assert cfg.seq_len == 256 and cfg.lr_decay_steps == cfg.max_steps


def test_bad_values_are_clear():
    with pytest.raises(TrainError, match="unknown config key 'lrr'"):
        resolve_config([("flags", {"lrr": 1})])
    with pytest.raises(TrainError, match="unknown preset"):
        resolve_config([("flags", {"preset": "7b"})])
    with pytest.raises(TrainError, match="longer than the model's block_size"):
        resolve_config([("flags", {"seq_len": 4096})])


def test_accumulation_must_divide():
    cfg = resolve_config([("flags", {"seq_len": 64, "micro_batch": 8, "global_batch_tokens": 2048})])
    assert accumulation_steps(cfg, 1) == 4 and accumulation_steps(cfg, 2) == 2
    with pytest.raises(TrainError, match="not a multiple of micro_batch x seq_len x world_size"):
        accumulation_steps(cfg, 3)


def test_model_shapes_and_flops():
    torch = pytest.importorskip("torch")
    from trainer.model import GPT, GPTConfig

    model = GPT(GPTConfig(vocab_size=4000, n_layer=2, n_head=2, n_embd=64, block_size=32, positions="rotary"))
    assert model.wte.weight.shape[0] == 4032  # padded to a multiple of 64
    logits, loss = model(torch.zeros(2, 16, dtype=torch.long), torch.ones(2, 16, dtype=torch.long))
    assert logits.shape == (2, 16, 4000) and loss.item() > 0  # padded ids have no logits
    assert "lm_head.weight" not in model.state_dict()  # tied: one tensor
    n = model.num_params()
    assert model.flops_per_token(32) == 6 * n + 12 * 2 * 2 * 32 * 32
