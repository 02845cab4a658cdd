"""A DaskRunner that runs Quarry's pipelines on a dask.distributed cluster.

Beam's own `apache_beam.runners.dask.dask_runner.DaskRunner` (2.77) cannot run Quarry's jobs:

1. it keys Dask bags by the producing transform, so every tagged output of a multi-output ParDo
   (`.with_outputs(...)`) lands in one bag and every consumer sees every output;
2. it collects a DoFn's outputs before `finish_bundle`, so outputs emitted there (Quarry's
   funnel tallies, the last batch of `BatchElements`) are lost;
3. it computes only the last bag, so side branches (stats files, error rows, shard lists)
   may never run;
4. `beam.io.Read` (ReadFromText, ReadFromParquet) and `Impulse` translate to nothing, and side
   inputs are computed again inside each task.

`QuarryDaskRunner` fixes these: bags are keyed by output PCollection; a ParDo runs once per
partition returning `(tag, value)` pairs, then one filtered bag per output tag; outputs are
collected after `finish_bundle`; side inputs are materialised once (a Dask `Item`) and passed
to the tasks that need them; every leaf bag is computed in a single `client.compute` call, so
shared upstream work runs once.

Name it on the command line either way:

    --runner=pipeline.dask_runner.QuarryDaskRunner --dask_client_address=HOST:PORT
    --runner=apache_beam.runners.dask.dask_runner.DaskRunner ...   (swapped in by run_job)

Windowing is dropped between steps (everything is in the global window), as in Beam's runner.
"""
from __future__ import annotations

import hashlib
import itertools
import pickle
from typing import Any

import apache_beam as beam
from apache_beam import pvalue
from apache_beam.internal import pickler
from apache_beam.pipeline import AppliedPTransform, PipelineVisitor
from apache_beam.runners.common import DoFnContext, DoFnInvoker, DoFnSignature, Receiver, _OutputHandler
from apache_beam.runners.dask.dask_runner import DaskOptions, DaskRunner, DaskRunnerResult
from apache_beam.runners.dask.overrides import (_Create, _Flatten, _GroupAlsoByWindow, _GroupByKeyOnly,
                                                _Read, _Reshuffle, dask_overrides)
from apache_beam.runners.runner import PipelineState
from apache_beam.transforms.core import Impulse
from apache_beam.transforms.sideinputs import SideInputMap
from apache_beam.transforms.window import GlobalWindow
from apache_beam.utils.windowed_value import WindowedValue

BEAM_DASK_RUNNER = "apache_beam.runners.dask.dask_runner.DaskRunner"
RUNNER_NAMES = {BEAM_DASK_RUNNER, "DaskRunner"}
_MAIN = "__main__"  # the tag of a ParDo's main output in the (tag, value) pairs


def _windowed(item: Any) -> WindowedValue:
    if isinstance(item, WindowedValue):
        return item
    return WindowedValue(item, 0, (GlobalWindow(),))


class _ListReceiver(Receiver):
    def __init__(self, tag, out: list):
        self.tag, self.out = tag, out

    def receive(self, windowed_value):
        self.out.append((self.tag, windowed_value.value))


class _Receivers(dict):
    def __init__(self, out: list):
        super().__init__()
        self.out = out

    def __missing__(self, key):
        self[key] = _ListReceiver(_MAIN if key is None else key, self.out)
        return self[key]


def _run_dofn(items, label, payload, window_fn_blob, side_specs, *side_values):
    """Runs one bundle (a Dask partition) through a DoFn; returns (tag, value) pairs."""
    fn, args, kwargs = pickler.loads(payload)
    window_fn = pickler.loads(window_fn_blob) if window_fn_blob else None
    side_inputs = [SideInputMap(view_class, view_options, [_windowed(v) for v in values])
                   for (view_class, view_options), values in zip(side_specs, side_values)]
    out: list = []
    receivers = _Receivers(out)
    handler = _OutputHandler(
        window_fn=window_fn, main_receivers=receivers[None], tagged_receivers=receivers,
        per_element_output_counter=None, output_batch_converter=None,
        process_yields_batches=False, process_batch_yields_elements=False)
    invoker = DoFnInvoker.create_invoker(
        DoFnSignature(fn), handler, context=DoFnContext(label, state=None), side_inputs=side_inputs,
        input_args=list(args), input_kwargs=kwargs, user_state_context=None,
        bundle_finalizer_param=beam.DoFn.BundleFinalizerParam())
    invoker.invoke_setup()
    try:
        invoker.invoke_start_bundle()
        for item in items:
            invoker.invoke_process(_windowed(item))
        invoker.invoke_finish_bundle()  # outputs from finish_bundle land in `out` too
    finally:
        invoker.invoke_teardown()
    return out


def _value(pair):
    return pair[1]


def _stable_hash(key) -> int:
    """A hash equal in every worker process (str hashes are salted per process)."""
    return int.from_bytes(hashlib.blake2b(pickle.dumps(key, protocol=4), digest_size=8).digest(), "big")


def _hash_of_key(item) -> int:
    return _stable_hash(item[0])


def _regroup(bucket):
    """(hash, [(k, v), ...]) -> [(k, [v, ...]), ...]: split hash collisions back into keys."""
    groups: dict = {}
    for k, v in bucket[1]:
        groups.setdefault(pickle.dumps(k, protocol=4), (k, []))[1].append(v.value if isinstance(v, WindowedValue) else v)
    return list(groups.values())


def _read_bundle(bundles):
    for bundle in bundles:
        source = pickler.loads(bundle)
        yield from source.read(source.get_range_tracker(None, None))


def _concat_partitions(parts):
    return list(itertools.chain.from_iterable(parts))


def _as_list(part):
    return list(part)


def _count(part):
    return [sum(1 for _ in part)]


class _BagVisitor(PipelineVisitor):
    """Translates the (overridden) pipeline's leaf transforms into Dask bags, one per PCollection."""

    def __init__(self, bag_kwargs: dict):
        self.bag_kwargs = bag_kwargs
        self.bags: dict = {}  # PCollection -> dask bag
        self.consumed: set = set()  # PCollections some transform reads

    def _bag(self, pcoll):
        try:
            return self.bags[pcoll]
        except KeyError:
            raise NotImplementedError(f"QuarryDaskRunner: no bag for {pcoll} (made by {pcoll.producer.full_label})")

    def visit_transform(self, node: AppliedPTransform) -> None:
        from dask import bag as db

        transform = node.transform
        inputs = [i for i in node.inputs if not isinstance(i, pvalue.PBegin)]
        self.consumed.update(inputs)
        self.consumed.update(si.pvalue for si in node.side_inputs)
        outputs = node.outputs

        def single(bag):
            for pcoll in outputs.values():
                self.bags[pcoll] = bag

        if isinstance(transform, _Create):
            values = list(transform.values)
            single(db.from_sequence(values, npartitions=max(1, min(len(values), self._npartitions()))))
        elif isinstance(transform, Impulse):
            single(db.from_sequence([b""], npartitions=1))
        elif isinstance(transform, _Read):
            bundles = [pickler.dumps(b.source if (b.start_position, b.stop_position) == (None, None)
                                     else _RangeSource(b.source, b.start_position, b.stop_position))
                       for b in transform.source.split(desired_bundle_size=64 << 20)]
            bag = db.from_sequence(bundles or [pickler.dumps(transform.source)], npartitions=max(1, len(bundles)))
            single(bag.map_partitions(_read_bundle))
        elif isinstance(transform, (_Reshuffle, _GroupAlsoByWindow)):
            single(self._bag(inputs[0]))
        elif isinstance(transform, _GroupByKeyOnly):
            grouped = self._bag(inputs[0]).groupby(_hash_of_key).map(_regroup).flatten()
            single(grouped)
        elif isinstance(transform, _Flatten):
            bags = [self._bag(i) for i in inputs]
            single(db.concat(bags) if bags else db.from_sequence([], npartitions=1))
        elif isinstance(transform, beam.ParDo):  # WindowInto too
            self._pardo(node, inputs[0])
        elif not outputs:
            return
        else:
            raise NotImplementedError(f"QuarryDaskRunner cannot run {type(transform).__name__} ({node.full_label})")

    def _npartitions(self) -> int:
        return self.bag_kwargs.get("npartitions") or 8

    def _pardo(self, node: AppliedPTransform, main_input) -> None:
        transform = node.transform
        args, kwargs = transform.raw_side_inputs
        payload = pickler.dumps((transform.fn, tuple(args), kwargs))
        window_fn = getattr(getattr(main_input, "windowing", None), "windowfn", None)
        window_fn_blob = pickler.dumps(window_fn) if window_fn is not None else None
        side_specs, side_items = [], []
        for si in node.side_inputs:
            side_specs.append((type(si), si._view_options()))
            side_items.append(self._bag(si.pvalue).reduction(_as_list, _concat_partitions))
        pairs = self._bag(main_input).map_partitions(
            _run_dofn, node.full_label, payload, window_fn_blob, side_specs, *side_items)
        for tag, pcoll in node.outputs.items():
            key = _MAIN if tag is None or tag == "None" else tag
            self.bags[pcoll] = pairs.filter(_partial_has_tag(key)).map(_value)

    def leaves(self) -> list:
        seen, out = set(), []
        for pcoll, bag in self.bags.items():
            if pcoll not in self.consumed and bag.name not in seen:
                seen.add(bag.name)
                out.append(bag)
        return out


class _partial_has_tag:
    """A picklable, tokenizable tag filter."""

    def __init__(self, tag):
        self.tag = tag

    def __call__(self, pair) -> bool:
        return pair[0] == self.tag

    def __dask_tokenize__(self):
        return ("has_tag", self.tag)


class _RangeSource:
    """A source bundle (source, start, stop) that reads only its range."""

    def __init__(self, source, start, stop):
        self.source, self.start, self.stop = source, start, stop

    def get_range_tracker(self, _start, _stop):
        return self.source.get_range_tracker(self.start, self.stop)

    def read(self, tracker):
        return self.source.read(tracker)


class QuarryDaskRunner(DaskRunner):
    """Beam's DaskRunner with tagged outputs, finish_bundle outputs, reads and all branches fixed."""

    def run_pipeline(self, pipeline, options):
        import dask.distributed as ddist

        dask_options = options.view_as(DaskOptions).get_all_options(drop_default=True, current_only=True)
        bag_kwargs = DaskOptions._extract_bag_kwargs(dask_options)
        client = ddist.Client(**dask_options)
        pipeline.replace_all(dask_overrides())
        visitor = _BagVisitor(bag_kwargs)
        pipeline.visit(visitor)
        leaves = [bag.map_partitions(_count) for bag in visitor.leaves()]
        futures = client.compute(leaves, optimize_graph=False) if leaves else []
        return _Result(client, futures)


class _Result(DaskRunnerResult):
    def wait_until_finish(self, duration=None) -> str:
        try:
            return super().wait_until_finish(duration)
        finally:
            if self._state in (PipelineState.DONE, PipelineState.FAILED):
                self.client.close()
