"""Training on the demo shards: the loss falls, the record adds up, a killed run resumes exactly."""
from __future__ import annotations

import json
import math
import shutil

import numpy as np
import pytest

pytest.importorskip("torch")

from tests.trainer.helpers import cli, linked_copy, log_lines, losses, run, set_args  # noqa: E402


def test_tiny_preset_learns_and_records_what_it_read(demo_run, tmp_path):
    out = tmp_path / "run"
    # 300 steps pass the end of the 251-step epoch, so the record also covers an epoch wrap.
    result, lines = run(demo_run, out, verify=True, max_steps=300, eval_interval=300, num_samples=2,
                        sample_tokens=8, checkpoint_interval=300)
    log = losses(out)
    assert sorted(log) == list(range(1, 301))
    first, last20 = log[1], float(np.mean([log[s] for s in range(281, 301)]))
    assert first == pytest.approx(math.log(4096), abs=0.1)
    assert last20 < 0.75 * first, (first, last20)  # measured: 8.30 -> 5.82 (0.70)
    evals = [r for r in log_lines(out) if "val_loss" in r]
    assert len(evals) == 1 and evals[0]["val_loss"] < 0.8 * math.log(4096)  # measured 6.13
    assert evals[0]["val_ppl"] == pytest.approx(math.exp(evals[0]["val_loss"]))
    samples = [r for r in log_lines(out) if "samples" in r]
    assert len(samples[0]["samples"]) == 2 and any("sample:" in line for line in lines)
    row = log_lines(out)[0]
    assert set(row) == {"step", "loss", "lr", "tokens", "tokens_per_s", "mfu", "data_wait_frac", "mem_gb",
                        "elapsed_s"} and row["mfu"] is None

    record = json.loads((out / "trained_on.json").read_text())
    manifest = json.loads((demo_run / "manifest.json").read_text())
    assert record["steps"] == 300 and record["global_batch_tokens"] == 8 * 64
    assert record["tokens"] == 300 * 8 * 64
    assert sum(record["sources"].values()) == record["tokens"] == sum(record["shards"].values())
    assert set(record["sources"]) <= set(manifest["tokens"]["mix"]) | {s for sh in manifest["tokens"]["shards"]
                                                                        for s in sh["sources"]}
    assert record["tokenizer_sha256"] == manifest["tokens"]["tokenizer"]["sha256"]
    # one range per epoch: steps 1-251 (a whole epoch), then 252-300 from the start again
    assert [r["steps"] for r in record["ranges"]] == [[1, 251], [252, 300]]
    assert sum(r["count"] - 1 for r in record["ranges"]) == record["tokens"]
    # sources of the first, whole epoch match the shard's per-source counts (minus the skipped tail)
    shard = next(s for s in manifest["tokens"]["shards"] if s["split"] == "train")
    assert record["ranges"][0]["first"] == 0 and record["ranges"][0]["count"] <= shard["tokens"]


def test_killed_run_resumes_exactly_and_skips_a_damaged_checkpoint(demo_run, tmp_path):
    steps = dict(max_steps=40, checkpoint_interval=10, keep_checkpoints=3)
    straight = tmp_path / "straight"
    run(demo_run, straight, **steps)

    out = tmp_path / "killed"
    proc = cli(["train", "--manifest", str(demo_run), "--out", str(out), "--no-verify", *set_args(**steps)],
               env={"QUARRY_TRAIN_KILL_AT_STEP": "25"})
    assert proc.returncode == -9, proc.stderr  # SIGKILL right after step 25: checkpoints 10 and 20 exist
    assert sorted(p.name for p in (out / "checkpoints").iterdir()) == ["step-000010", "step-000020"]
    assert max(losses(out)) == 25

    # damage the newest: resuming falls back to step 10 (and says so), then equals the straight run
    weights = out / "checkpoints" / "step-000020" / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:1000])
    from trainer.checkpoint import CheckpointError, load_checkpoint

    with pytest.raises(CheckpointError, match=r"checkpoint step-000020 is damaged: model.safetensors"):
        load_checkpoint(str(out / "checkpoints" / "step-000020"))
    result, lines = run(demo_run, out, resume=True, **steps)
    assert result.resumed_from == 10
    assert any("step-000020 is damaged" in line and "falling back" in line for line in lines)
    assert losses(out) == losses(straight)  # exact, every step
    evals = lambda d: [r for r in log_lines(d) if "loss" not in r]  # noqa: E731
    assert evals(out) == evals(straight)
    assert json.loads((out / "trained_on.json").read_text()) == json.loads((straight / "trained_on.json").read_text())
    assert sorted(p.name for p in (out / "checkpoints").iterdir()) == ["step-000020", "step-000030", "step-000040"]


def test_only_damaged_checkpoints_is_a_clear_error(demo_run, tmp_path, capsys):
    from trainer.cli import main

    out = tmp_path / "run"
    run(demo_run, out, max_steps=4, checkpoint_interval=2)
    for step in ("step-000002", "step-000004"):
        state = out / "checkpoints" / step / "state.pt"
        state.write_bytes(state.read_bytes()[:-50])
    code = main(["train", "--manifest", str(demo_run), "--out", str(out), "--resume", "--no-verify",
                 *set_args(max_steps=6, checkpoint_interval=2)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and err[-1].startswith("quarry: error: checkpoint step-000004 is damaged: state.pt")
    # without --resume, a folder with checkpoints is refused rather than overwritten
    code = main(["train", "--manifest", str(demo_run), "--out", str(out), "--no-verify", *set_args(max_steps=6)])
    assert code == 2 and "pass --resume" in capsys.readouterr().err


def test_mismatches_fail_before_the_first_step(demo_run, tmp_path, capsys):
    from trainer.cli import main

    out = tmp_path / "run"
    run(demo_run, out, max_steps=2, checkpoint_interval=2)
    before = log_lines(out)

    other = linked_copy(demo_run, tmp_path / "other")
    manifest = json.loads((other / "manifest.json").read_text())
    manifest["tokens"]["tokenizer"]["sha256"] = "0" * 64
    (other / "manifest.json").write_text(json.dumps(manifest))
    code = main(["train", "--manifest", str(other), "--out", str(out), "--resume", *set_args(max_steps=4)])
    err = capsys.readouterr().err
    assert code == 2 and "quarry: error: checkpoint step-000002 was trained with tokenizer sha256" in err
    assert log_lines(out) == before  # nothing ran

    code = main(["train", "--manifest", str(demo_run), "--out", str(out), "--resume",
                 *set_args(max_steps=4, global_batch_tokens=1024)])
    assert code == 2 and "checkpoint step-000002 has global_batch_tokens 512, the config says 1024" in \
        capsys.readouterr().err

    code = main(["train", "--manifest", str(demo_run), "--out", str(tmp_path / "v"), *set_args(vocab_size=50257)])
    assert code == 2 and "vocab_size 50257 differs from the manifest's tokenizer (4096)" in capsys.readouterr().err

    code = main(["train", "--manifest", str(demo_run), "--out", str(tmp_path / "g"),
                 *set_args(global_batch_tokens=1000)])
    assert code == 2 and "not a multiple of micro_batch x seq_len" in capsys.readouterr().err


def test_a_changed_shard_is_refused_unless_no_verify(demo_run, tmp_path, capsys):
    from trainer.cli import main

    other = linked_copy(demo_run, tmp_path / "other")
    tokens = other / "tokens"
    tokens.unlink()
    shutil.copytree(demo_run / "tokens", tokens)
    shard = next((tokens / "train").glob("*.arrow"))
    data = bytearray(shard.read_bytes())
    data[-200] ^= 0xFF
    shard.write_bytes(bytes(data))
    code = main(["train", "--manifest", str(other), "--out", str(tmp_path / "o"), *set_args(max_steps=2)])
    err = capsys.readouterr().err
    assert code == 2 and "does not match its files" in err and "--no-verify" in err
    assert not (tmp_path / "o" / "log.jsonl").exists()
