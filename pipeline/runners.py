"""Which Beam runner a job's pipelines run on, fixed in one place for all of them.

Two of Beam's own choices do not suit Quarry, so the runner a user names is swapped here:

- `DirectRunner` (the default) in Beam 2.77 first tries the Prism runner, which downloads a Go
  binary from GitHub at run time; offline it logs the failure and falls back to the FnApiRunner.
  Quarry never reaches the network at run time, so it goes straight to the FnApiRunner, built
  as the DirectRunner builds it (the options reach the workers). `--direct_num_workers` and
  `--direct_running_mode` work as documented for the DirectRunner.
- Beam's `DaskRunner` loses tagged outputs, `finish_bundle` outputs and side branches; it is
  replaced by `pipeline.dask_runner.QuarryDaskRunner` (imported only then: dask is an extra).

One bug in Beam's FnApiRunner loses data, and `fix_input_race` fixes it for every pipeline made
here (see its docstring).
"""
from __future__ import annotations

import logging

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


def fix_input_race() -> None:
    """Stop Beam 2.77's FnApiRunner from losing part of a bundle's input on its way to a worker.

    The runner sends a bundle's input to a gRPC worker by writing every buffered chunk into one
    output stream and closing it (`BundleManager._send_input_to_worker`). Its data server makes
    those streams time-buffered (`worker_handlers.DATA_BUFFER_TIME_LIMIT_MS`, 1,000 ms): a
    timer thread flushes the stream every second by taking its bytes, handing them to the send
    queue, then clearing the stream. `write` takes no lock, so when the send queue is full
    (100 MB) the hand-over blocks, the runner's thread keeps writing chunks, and the clear
    throws those chunks away: no error, the worker never sees them. So it strikes only inputs
    of hundreds of MB, and only with gRPC workers (`--direct_num_workers` above 1).
    `bench/runner_loss.py` shows it: 200,000 elements of 4.7 kB sent to a side-input ParDo,
    162,048 to 193,346 arrive unfixed, all of them fixed.

    The fix: streams are buffered by size only (the time limit set to 0, so no flush thread),
    and each input is written by a thread of its own that flushes after every chunk. Chunks are
    whole encoded elements (what the workers sent, or what the runner grouped), so messages
    still end on element boundaries, and each is about 10 MB instead of whatever was written in
    one second. The writing needs its own thread because the runner sends all of a bundle's
    input before it tells the worker to start: written from the runner's thread, 10 MB messages
    fill the send and receive queues and then wait for a reader that has not started. Idempotent;
    applied by `make_pipeline`.
    """
    import threading

    from apache_beam.runners.portability.fn_api_runner import fn_runner, worker_handlers

    if getattr(fn_runner.BundleManager._send_input_to_worker, "quarry_fixed", False):
        return
    worker_handlers.DATA_BUFFER_TIME_LIMIT_MS = 0

    def send_input_to_worker(self, process_bundle_id: str, read_transform_id: str, byte_streams) -> None:
        data_out = self._worker_handler.data_conn.output_stream(process_bundle_id, read_transform_id)
        chunks = list(byte_streams or [])

        def write() -> None:
            try:
                for chunk in chunks:
                    data_out.write(chunk)
                    data_out.maybe_flush()
                data_out.close()
            except Exception:  # the worker then waits for the rest: say why it never comes
                logging.getLogger(__name__).exception("sending %s's input to its worker failed", process_bundle_id)
                raise

        threading.Thread(target=write, name=f"send-{process_bundle_id}-{read_transform_id}", daemon=True).start()

    send_input_to_worker.quarry_fixed = True
    fn_runner.BundleManager._send_input_to_worker = send_input_to_worker


def make_pipeline(options: PipelineOptions) -> beam.Pipeline:
    """A pipeline on the runner `options` name, with the swaps described above."""
    fix_input_race()
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
