"""Command line: `python -m pipeline.demo OUT_DIR [--size-mb N] [--seed S] [--bad-inputs DIR]`."""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from . import generate_demo
from .bad_inputs import write_bad_inputs


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m pipeline.demo", description=__doc__)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--size-mb", type=float, default=3.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--bad-inputs", type=Path, default=None, help="also write broken inputs here")
    args = parser.parse_args()
    started = time.perf_counter()
    summary = generate_demo(args.out_dir, size_mb=args.size_mb, seed=args.seed)
    if args.bad_inputs:
        summary["bad_inputs"] = {k: str(v) for k, v in write_bad_inputs(args.bad_inputs).items()}
    summary["seconds"] = round(time.perf_counter() - started, 2)
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
