"""Which Beam runner a job's pipelines run on, fixed in one place for all of them.

Two of Beam's own choices do not suit Quarry, so the runner a user names is swapped here:

- `DirectRunner` (the default) in Beam 2.77 first tries the Prism runner, which downloads a Go
  binary from GitHub at run time; offline it logs the failure and falls back to the FnApiRunner.
  Quarry never reaches the network at run time, so it goes straight to the FnApiRunner, built
  as the DirectRunner builds it (the options reach the workers). `--direct_num_workers` and
  `--direct_running_mode` work as documented for the DirectRunner.
- Beam's `DaskRunner` loses tagged outputs, `finish_bundle` outputs and side branches; it is
  replaced by `pipeline.dask_runner.QuarryDaskRunner` (imported only then: dask is an extra).
"""
from __future__ import annotations

import apache_beam as beam
from apache_beam.options.pipeline_options import PipelineOptions, StandardOptions

DIRECT_RUNNER_NAMES = {None, "", "DirectRunner", "SwitchingDirectRunner",
                       "apache_beam.runners.direct.direct_runner.DirectRunner"}


def runner_name(options: PipelineOptions) -> str:
    """The runner the user asked for, as the manifest records it."""
    return str(options.view_as(StandardOptions).runner or "DirectRunner")


def _direct_runner(options: PipelineOptions) -> beam.runners.PipelineRunner:
    """The FnApiRunner with the pipeline options provisioned to its workers (as DirectRunner does)."""
    from apache_beam.portability.api import beam_provision_api_pb2
    from apache_beam.runners.portability.fn_api_runner import fn_runner
    from apache_beam.runners.portability.portable_runner import JobServiceHandle

    encoded = JobServiceHandle.encode_pipeline_options(options.get_all_options())
    info = fn_runner.ExtendedProvisionInfo(beam_provision_api_pb2.ProvisionInfo(pipeline_options=encoded))
    return fn_runner.FnApiRunner(provision_info=info)


def make_pipeline(options: PipelineOptions) -> beam.Pipeline:
    """A pipeline on the runner `options` name, with the swaps described above."""
    runner = options.view_as(StandardOptions).runner
    if runner in DIRECT_RUNNER_NAMES:
        return beam.Pipeline(runner=_direct_runner(options), options=options)
    if "dask" in str(runner).lower():
        from pipeline.dask_runner import RUNNER_NAMES, QuarryDaskRunner

        if runner in RUNNER_NAMES:
            return beam.Pipeline(runner=QuarryDaskRunner(), options=options)
    return beam.Pipeline(options=options)


def in_global_window(item):
    """An output of `DoFn.finish_bundle`, which has no input element to take a window from, in the
    global window; a TaggedOutput keeps its tag."""
    from apache_beam.pvalue import TaggedOutput
    from apache_beam.transforms.window import GlobalWindows

    if isinstance(item, TaggedOutput):
        return TaggedOutput(item.tag, GlobalWindows.windowed_value(item.value))
    return GlobalWindows.windowed_value(item)


class SideInputSafe(beam.PTransform):
    """A Reshuffle in front of a ParDo whose side input derives from its own main input.

    Beam 2.77's FnApiRunner with more than one worker loses main-input elements of such a
    ParDo: when the main input is a buffer that the stage producing the side input also
    produced (directly or a few stages on), a few percent of it never reaches the ParDo, at
    random, with no error. `bench/runner_loss.py` reproduces it in plain Beam (200,000
    elements of 4.7 kB: 177,630 to 193,156 arrive with 2 workers, all with 1 worker, all when
    the main input passes a Reshuffle first). A shuffle's GroupingBuffer is filled before any
    consumer runs, so the ParDo reads a complete input. Keep what passes small (ids, paths,
    packed bytes): the FnApiRunner's driver holds every shuffle in memory.
    """

    def expand(self, pcoll):
        return pcoll | "Reshuffle" >> beam.Reshuffle()
