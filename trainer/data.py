"""Training batches for one rank: windows of T+1 tokens, prefetched on a background thread.

Micro-batches are numbered by a run-wide counter k = step * accumulation + i. Micro-batch k is
the reader's batch k % batch_count of this rank: when the train split runs out the next epoch
starts over in the same order (deterministic, so a resumed run sees what an uninterrupted one
saw; the counter k is the checkpoint's data position). The reader's rank slicing interleaves
the windows, so at every micro-batch the ranks' batches together are the contiguous global
windows a single process with the same global batch takes over its accumulation steps.
"""
from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator

import numpy as np
import torch

from trainer.config import TrainError
from tokenizer.reader import TokenDataset

_DONE = object()


def micro_batches(dataset: TokenDataset, batch_size: int, seq_len: int, rank: int, world_size: int,
                  start: int) -> Iterator[tuple[int, np.ndarray]]:
    """(k, int64 array (B, T+1)) for micro-batches k = start, start+1, ... forever (epochs repeat)."""
    count = dataset.batch_count(batch_size, seq_len, world_size)
    if count < 1:
        raise TrainError(f"the {dataset.split} split has {dataset.total_windows(seq_len):,} windows of "
                         f"{seq_len + 1} tokens: too few for one micro-batch of {batch_size} x {world_size} rank(s)")
    k = start
    while True:
        for batch in dataset.batches(batch_size, seq_len, rank=rank, world_size=world_size, start_batch=k % count):
            yield k, batch.astype(np.int64)  # copies out of the read-only memory map
            k += 1


class Prefetcher:
    """A thread that keeps up to `depth` micro-batches ready as (pinned, on CUDA) int64 tensors.

    `next()` returns (k, tensor) and adds the time it blocked on the queue to `wait_s`.
    """

    def __init__(self, source: Iterator[tuple[int, np.ndarray]], depth: int, pin: bool):
        self._queue: queue.Queue = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        self._pin = pin
        self._source = source
        self.wait_s = 0.0
        self._thread = threading.Thread(target=self._run, name="quarry-prefetch", daemon=True)
        self._thread.start()

    def _put(self, item) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _run(self) -> None:
        try:
            for k, array in self._source:
                tensor = torch.from_numpy(array)
                if self._pin:
                    tensor = tensor.pin_memory()
                if not self._put((k, tensor)):
                    return
        except BaseException as exc:  # handed to the training loop, which raises it
            self._put(exc)
            return
        self._put(_DONE)

    def next(self) -> tuple[int, torch.Tensor]:
        started = time.perf_counter()
        item = self._queue.get()
        self.wait_s += time.perf_counter() - started
        if isinstance(item, BaseException):
            raise item
        if item is _DONE:
            raise StopIteration
        return item

    def close(self) -> None:
        self._stop.set()
        try:
            while True:
                self._queue.get_nowait()
        except queue.Empty:
            pass
        self._thread.join(timeout=5)


def to_device(tensor: torch.Tensor, device: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
    """Inputs and targets of a (B, T+1) batch on the device (asynchronous from pinned memory)."""
    tensor = tensor.to(device, non_blocking=True)
    return tensor[:, :-1], tensor[:, 1:]
