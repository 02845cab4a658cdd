"""`quarry train`: the command line. Importing this module does not import PyTorch.

    quarry train --manifest out/ [--config train.yaml] [--out DIR] [--resume] [--no-verify]
                 [--preset tiny|124m|350m] [--max-steps N] [--device auto|cpu|cuda] [--seed S]
                 [--set key=value ...]

Flags override the config file; with --resume, OUT/config.json (the run's resolved config)
comes first, then the config file, then flags. Multi-GPU: `torchrun --nproc_per_node 8 -m
trainer.cli train ...` (or `quarry train` under torchrun).
"""
from __future__ import annotations

from pipeline.cli_common import fail as _fail

import argparse
import sys

INSTALL_HINT = "quarry train needs PyTorch: pip install 'quarry[train]'"


def _train(args: argparse.Namespace, extra: list[str]) -> int:
    if extra:
        return _fail(f"unrecognized arguments: {' '.join(extra)}")
    try:
        import torch  # noqa: F401
    except ImportError:
        return _fail(INSTALL_HINT)
    from manifests.schema import ManifestError
    from tokenizer.reader import TokenDataError
    from trainer.config import TrainError, parse_set
    from trainer.loop import TrainRequest, train

    try:
        overrides = parse_set(args.set or [])
        for key in ("preset", "max_steps", "device", "seed"):
            value = getattr(args, key)
            if value is not None:
                overrides[key] = value
        req = TrainRequest(manifest=args.manifest, out=args.out, config_file=args.config, resume=args.resume,
                           verify=not args.no_verify, overrides=overrides)
        result = train(req, echo=lambda text: print(text, flush=True))
    except (TrainError, ManifestError, TokenDataError) as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return _fail("interrupted: resume from the last checkpoint with --resume")
    if result.last_loss is not None:
        print(f"trained {result.steps} steps, last loss {result.last_loss:.4f}: {result.out}")
    return 0


def add_train_command(sub: argparse._SubParsersAction) -> None:
    """Register `train` on the `quarry` subparsers; its handler is (args, extra) -> exit code."""
    p = sub.add_parser("train", help="train a GPT-2-style model on a run's token shards (needs PyTorch)",
                       description="Train a GPT-2-style decoder on the token shards a manifest lists.")
    p.add_argument("--manifest", required=True, help="manifest.json, or the output folder holding it")
    p.add_argument("--config", help="YAML (or .json) file of config keys")
    p.add_argument("--out", help="run folder: config.json, log.jsonl, trained_on.json, checkpoints/ "
                                 "(default train-runs/<job>)")
    p.add_argument("--resume", action="store_true", help="continue from the newest good checkpoint in --out")
    p.add_argument("--no-verify", action="store_true", help="train even if the manifest does not match its shards")
    p.add_argument("--preset", choices=("tiny", "124m", "350m"), help="model shape (default tiny)")
    p.add_argument("--max-steps", type=int, help="optimizer steps to train to")
    p.add_argument("--device", choices=("auto", "cpu", "cuda"))
    p.add_argument("--seed", type=int)
    p.add_argument("--set", action="append", metavar="KEY=VALUE", help="any config key (repeatable)")
    p.set_defaults(handler=_train)


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry (`python -m trainer.cli train ...`), e.g. under torchrun."""
    parser = argparse.ArgumentParser(prog="quarry")
    add_train_command(parser.add_subparsers(dest="command", required=True, metavar="COMMAND"))
    args, extra = parser.parse_known_args(argv)
    return args.handler(args, extra)


if __name__ == "__main__":
    sys.exit(main())
