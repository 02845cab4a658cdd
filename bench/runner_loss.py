"""Beam's FnApiRunner losing elements: the plain-Beam reproduction behind `pipeline.runners.fix_input_race`.

    .venv/bin/python bench/runner_loss.py                     # 200,000 elements of 4.7 kB, 3 tries each
    .venv/bin/python bench/runner_loss.py --elements 50000 --tries 1

A stage makes N elements; a downstream ParDo counts them. Run first on Beam as shipped, then
with `fix_input_race` applied (as `pipeline.runners.make_pipeline` applies it), with gRPC
workers (`--direct_running_mode=multi_processing`, or `multi_threading`). As shipped, when the
ParDo's main input is a buffer of hundreds of MB that the runner sends to a worker, part of it
never arrives, a different number each run, with no error: the runner's time-buffered output
stream throws away what was written while its flush thread waited on a full send queue (see
the docstring of `fix_input_race`). The ParDo here has a side input derived from its own main
input because that keeps it out of the producing stage, so its input crosses the runner; a
Reshuffle in front instead sends it as a grouped buffer in one write per key, which dodges the
race. Printed: elements expected and arrived per runner, case and try.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import apache_beam as beam  # noqa: E402
from apache_beam.options.pipeline_options import PipelineOptions  # noqa: E402
from apache_beam.pvalue import AsDict, AsList  # noqa: E402

from pipeline.runners import _direct_runner, fix_input_race  # noqa: E402

SEEDS = 64
CASES = {
    "side input from the elements": "self",
    "side input from the elements, through a shuffle": "shuffled",
    "side input from elsewhere (ParDo fused with the producer)": "elsewhere",
    "side input from the elements, Reshuffle in front": "reshuffled",
}


def _few(docs):
    return docs | "Few" >> beam.Filter(lambda kv: kv[0].endswith("000")) | "One" >> beam.Map(lambda kv: (kv[0], 1))


def run(case: str, elements: int, size: int, workers: int, mode: str, out: Path) -> int:
    """Elements that reached the side-input ParDo in one run of `case`."""
    per_seed = elements // SEEDS

    def make(seed: int):
        for i in range(per_seed):
            yield f"{seed:03d}-{i:07d}", os.urandom(size // 2).hex()

    options = PipelineOptions([f"--direct_num_workers={workers}", f"--direct_running_mode={mode}"])
    target = out / "count"
    with beam.Pipeline(runner=_direct_runner(options), options=options) as p:
        docs = p | "Seeds" >> beam.Create(range(SEEDS)) | "Spread" >> beam.Reshuffle() | "Make" >> beam.FlatMap(make)
        if case == "elsewhere":
            side = AsList(p | "Other" >> beam.Create([1]))
        elif case == "shuffled":
            side = AsDict(_few(docs) | "Group" >> beam.GroupByKey() | "Keys" >> beam.Map(lambda kv: (kv[0], 1)))
        else:
            side = AsDict(_few(docs))
        if case == "reshuffled":
            docs = docs | "Reshuffle" >> beam.Reshuffle()
        (docs
         | "WithSide" >> beam.Map(lambda kv, _: kv, side)
         | "Count" >> beam.combiners.Count.Globally()
         | "Write" >> beam.Map(lambda n: target.write_text(str(n))))
    return int(target.read_text())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--elements", type=int, default=200_000, help="elements made (a multiple of 64)")
    ap.add_argument("--size", type=int, default=4700, help="bytes per element")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--mode", default="multi_processing", choices=["multi_processing", "multi_threading"])
    ap.add_argument("--tries", type=int, default=3)
    ap.add_argument("--cases", nargs="+", choices=sorted(CASES.values()), default=list(CASES.values()))
    args = ap.parse_args()
    expected = args.elements // SEEDS * SEEDS
    print(f"{args.workers} workers, {args.mode}\n")
    print("| runner | case | expected | arrived per try |\n|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        # Beam as shipped first: the fix patches the runner for the rest of the process.
        for fixed in (False, True):
            if fixed:
                fix_input_race()
            label = "with fix_input_race" if fixed else "Beam 2.77 as shipped"
            for name, case in CASES.items():
                if case not in args.cases:
                    continue
                got = [run(case, args.elements, args.size, args.workers, args.mode, Path(tmp))
                       for _ in range(args.tries)]
                print(f"| {label} | {name} | {expected:,} | {', '.join(f'{n:,}' for n in got)} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
