"""Read token shards for training: memory-mapped, zero-copy numpy views, exact resume.

    ds = TokenDataset.open("out/", "train")
    for batch in ds.batches(16, 1024, rank=rank, world_size=world_size, start_batch=step):
        inputs, targets = batch[:, :-1], batch[:, 1:]

numpy only (no torch): a trainer wraps the arrays itself. Arrays handed out are read-only
views of the memory map (the map is opened read-only); copy before writing to them, and note
that `torch.from_numpy` warns on a read-only array (`np.array(view)` or
`torch.tensor(view)` copies, which a host-to-device transfer needs anyway).

Windows. Each shard's flat token stream (documents joined by their EOS ids) is cut into
windows of T+1 tokens taken with stride T: window j of a shard is tokens [j*T, j*T+T+1), so
inputs w[:-1] and targets w[1:] together cover every token of the stream once as a target.
Windows never cross a shard boundary; a shard's tail that does not fill a window is skipped
(`skipped_tokens` counts it). Windows are numbered globally in manifest order (shard 0's
windows, then shard 1's, ...); rank r of N takes the windows g with g % N == r, so the ranks'
windows are disjoint, and together cover all windows; the counts come from the manifest alone,
without opening a shard.

Batches. Rank r's batch b is its windows [b*B, (b+1)*B). All ranks yield the same number of
batches, `batch_count` = (windows // N) // B, so a data-parallel step never waits on a rank
that ran out; the few windows past that are dropped. Resume is exact by batch index:
`batches(..., start_batch=k)` yields what the uninterrupted run yielded from its k-th batch
on, and `token_ranges` names the tokens any batches consumed, for a trained-on record.

Shards are mapped lazily, on first use (a dataset of thousands of shards holds only the file
descriptors it has touched); each shard's schema metadata is checked against the manifest
when it is mapped. `verify=True` hashes every shard and checks every header up front.
Memory-mapping needs a local path: copy shards from an object store first.
"""
from __future__ import annotations

import bisect
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from manifests.schema import ManifestError, TokenShard, TokensInfo
from manifests.show import load_manifest, manifest_path
from tokenizer.shards import EOS_KEY, FORMAT, FORMAT_KEY, SHA_KEY, SPLIT_KEY, VOCAB_KEY, token_dtype

_HASH_CHUNK = 8 << 20


class TokenDataError(ValueError):
    """Token shards that cannot be read as their manifest describes them; one line for the user."""


@dataclass(frozen=True)
class Position:
    """Where a global window lies: shard index (in this split), window index within the shard, first token."""

    shard: int
    window: int
    token: int


@dataclass
class _Mapped:
    """One mapped shard: the batch keeps the memory map alive for every view taken from it."""

    batch: pa.RecordBatch
    flat: np.ndarray
    offsets: np.ndarray


class TokenDataset:
    """The token shards of one split of a job's output, as numpy views of memory-mapped files."""

    def __init__(self, root: str, info: TokensInfo, split: str, shards: list[TokenShard]):
        self.root = root
        self.info = info
        self.split = split
        self._shards = shards
        self._mapped: dict[int, _Mapped] = {}
        self._window_cache: dict[int, np.ndarray] = {}

    @classmethod
    def open(cls, manifest_path_or_output_dir: str, split: str = "train", *, verify: bool = False) -> TokenDataset:
        """Open a split from a manifest.json or the output folder holding one.

        Raises ManifestError for an unreadable manifest and TokenDataError for one without
        a tokens section or without this split; with `verify`, also for a shard whose bytes
        or header differ from the manifest's record of it.
        """
        path = manifest_path(manifest_path_or_output_dir)
        manifest = load_manifest(path)
        if manifest.tokens is None:
            raise TokenDataError(f"{path}: no tokens section: the job did not run its `tokens` stage")
        info = manifest.tokens
        shards = [s for s in info.shards if s.split == split]
        if split not in info.splits and not shards:
            have = ", ".join(sorted(info.splits)) or "none"
            raise TokenDataError(f"{path}: no {split!r} split in the tokens section (splits: {have})")
        if info.dtype != token_dtype(info.tokenizer.vocab_size).name:
            raise TokenDataError(f"{path}: tokens dtype {info.dtype} does not fit vocab_size "
                                 f"{info.tokenizer.vocab_size} (expected {token_dtype(info.tokenizer.vocab_size)})")
        dataset = cls(os.path.dirname(os.path.abspath(path)), info, split, shards)
        if verify:
            for index in range(len(shards)):
                dataset.verify_shard(index)
        return dataset

    # -- what the manifest says ---------------------------------------------------------------

    @property
    def vocab_size(self) -> int:
        return self.info.tokenizer.vocab_size

    @property
    def eos_id(self) -> int:
        return self.info.tokenizer.eos_id

    @property
    def tokenizer_sha256(self) -> str:
        return self.info.tokenizer.sha256

    @property
    def dtype(self) -> np.dtype:
        return token_dtype(self.vocab_size)

    @property
    def shards(self) -> list[TokenShard]:
        """This split's shards in manifest order (paths relative to the output folder)."""
        return list(self._shards)

    @property
    def num_tokens(self) -> int:
        return sum(s.tokens for s in self._shards)

    @property
    def num_documents(self) -> int:
        return sum(s.documents for s in self._shards)

    def shard_path(self, index: int) -> str:
        return os.path.join(self.root, self._shards[index].path)

    # -- shards -------------------------------------------------------------------------------

    def verify_shard(self, index: int) -> None:
        """Hash the shard's bytes against the manifest, then check its header (TokenDataError if either differs)."""
        shard, path = self._shards[index], self.shard_path(index)
        digest = hashlib.sha256()
        size = 0
        try:
            with open(path, "rb") as handle:
                while chunk := handle.read(_HASH_CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
        except FileNotFoundError:
            raise TokenDataError(f"{shard.path}: missing (listed in the manifest)") from None
        if size != shard.bytes or digest.hexdigest() != shard.sha256:
            raise TokenDataError(f"{shard.path}: sha256 {digest.hexdigest()[:12]}… ({size:,} bytes) does not match "
                                 f"the manifest's {shard.sha256[:12]}… ({shard.bytes:,} bytes): the file changed")
        self._map(index)

    def _map(self, index: int) -> _Mapped:
        mapped = self._mapped.get(index)
        if mapped is not None:
            return mapped
        shard, path = self._shards[index], self.shard_path(index)
        try:
            reader = pa.ipc.open_file(pa.memory_map(path, "r"))
        except FileNotFoundError:
            raise TokenDataError(f"{shard.path}: missing (listed in the manifest)") from None
        except pa.ArrowInvalid as exc:
            raise TokenDataError(f"{shard.path}: not an Arrow IPC file: {exc}") from None
        self._check_header(shard, reader.schema)
        if reader.num_record_batches != 1:
            raise TokenDataError(f"{shard.path}: {reader.num_record_batches} record batches, {FORMAT} has one")
        batch = reader.get_batch(0)
        tokens = batch.column("tokens")
        offsets = tokens.offsets.to_numpy(zero_copy_only=True)
        if len(offsets) == 0:  # a shard of no documents may store no offsets at all
            offsets = np.zeros(1, dtype=np.int32)
        flat = tokens.values.to_numpy(zero_copy_only=True)[offsets[0]:offsets[-1]]
        if batch.num_rows != shard.documents or flat.size != shard.tokens:
            raise TokenDataError(f"{shard.path}: {batch.num_rows:,} documents / {flat.size:,} tokens, the manifest "
                                 f"says {shard.documents:,} / {shard.tokens:,}")
        mapped = self._mapped[index] = _Mapped(batch, flat, offsets - offsets[0])
        return mapped

    def _check_header(self, shard: TokenShard, schema: pa.Schema) -> None:
        meta = schema.metadata or {}
        if meta.get(FORMAT_KEY) != FORMAT.encode():
            raise TokenDataError(f"{shard.path}: format {meta.get(FORMAT_KEY, b'none').decode()!r}, expected {FORMAT!r}")
        expected = {SHA_KEY: self.tokenizer_sha256, VOCAB_KEY: str(self.vocab_size), EOS_KEY: str(self.eos_id),
                    SPLIT_KEY: self.split}
        for key, want in expected.items():
            got = meta.get(key, b"").decode()
            if got != want:
                raise TokenDataError(f"{shard.path}: {key.decode()} is {got!r} but the manifest says {want!r}: "
                                     f"this shard was not written with the manifest's tokenizer/split")
        value_type = pa.from_numpy_dtype(self.dtype)
        field = schema.field("tokens") if "tokens" in schema.names else None
        if field is None or not pa.types.is_list(field.type) or field.type.value_type != value_type:
            raise TokenDataError(f"{shard.path}: tokens column is {field.type if field else 'missing'}, "
                                 f"expected list<{value_type}>")

    def flat(self, shard_index: int) -> np.ndarray:
        """The shard's packed token stream (documents with their EOS ids), a read-only view of the map."""
        return self._map(shard_index).flat

    def documents(self) -> Iterator[tuple[str, str, np.ndarray]]:
        """(id, source, tokens) of every document in file order; tokens are views ending with EOS."""
        for index in range(len(self._shards)):
            mapped = self._map(index)
            ids = mapped.batch.column("id").to_pylist()
            sources = mapped.batch.column("source").to_pylist()
            bounds = mapped.offsets.tolist()
            flat = mapped.flat
            for row, (doc_id, source) in enumerate(zip(ids, sources)):
                yield doc_id, source, flat[bounds[row]:bounds[row + 1]]

    # -- windows ------------------------------------------------------------------------------

    def _window_starts(self, seq_len: int) -> np.ndarray:
        """Cumulative window counts per shard: shard k holds global windows [starts[k], starts[k+1])."""
        if seq_len < 1:
            raise ValueError(f"seq_len must be >= 1, got {seq_len}")
        starts = self._window_cache.get(seq_len)
        if starts is None:
            per_shard = [max(0, (s.tokens - 1) // seq_len) for s in self._shards]
            starts = self._window_cache[seq_len] = np.concatenate([[0], np.cumsum(per_shard, dtype=np.int64)])
        return starts

    def total_windows(self, seq_len: int) -> int:
        """Windows of T+1 tokens over all shards (all ranks together)."""
        return int(self._window_starts(seq_len)[-1])

    def window_count(self, seq_len: int, rank: int = 0, world_size: int = 1) -> int:
        """Windows rank `rank` of `world_size` gets: the global windows g with g % world_size == rank.

        Ranks below total % world_size get one more than the others.
        """
        _check_rank(rank, world_size)
        return max(0, -(-(self.total_windows(seq_len) - rank) // world_size))

    def skipped_tokens(self, seq_len: int) -> int:
        """Tokens in no window: each shard's tail past its last full window (or the whole of a short shard)."""
        starts = self._window_starts(seq_len)
        used = sum(int(n) * seq_len + 1 if n else 0 for n in np.diff(starts))
        return self.num_tokens - used

    def position(self, window: int, seq_len: int) -> Position:
        """Where global window `window` lies (shard, window in the shard, first token)."""
        starts = self._window_starts(seq_len)
        if not 0 <= window < starts[-1]:
            raise IndexError(f"window {window} is outside 0..{int(starts[-1]) - 1}")
        shard = bisect.bisect_right(starts, window) - 1
        local = window - int(starts[shard])
        return Position(shard, local, local * seq_len)

    def windows(self, seq_len: int, *, rank: int = 0, world_size: int = 1, start: int = 0) -> Iterator[np.ndarray]:
        """Rank `rank`'s windows of T+1 = seq_len+1 tokens, from its `start`-th on, as read-only views.

        Window i of the rank is global window rank + i * world_size; inputs are w[:-1], targets w[1:].
        """
        _check_rank(rank, world_size)
        if start < 0:
            raise ValueError(f"start must be >= 0, got {start}")
        starts = self._window_starts(seq_len).tolist()
        total, width = starts[-1], seq_len + 1
        g = rank + start * world_size
        shard = bisect.bisect_right(starts, g) - 1  # the last shard starting at or before g: skips empty shards
        while g < total:
            base, end = starts[shard], starts[shard + 1]
            if g < end:
                flat = self.flat(shard)
                for local in range(g - base, end - base, world_size):
                    first = local * seq_len
                    yield flat[first:first + width]
                g += -(-(end - g) // world_size) * world_size
            shard += 1

    def batch_count(self, batch_size: int, seq_len: int, world_size: int = 1) -> int:
        """Batches every rank yields: (total windows // world_size) // batch_size, the same on every rank."""
        _check_rank(0, world_size)
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {batch_size}")
        return self.total_windows(seq_len) // world_size // batch_size

    def batches(self, batch_size: int, seq_len: int, *, rank: int = 0, world_size: int = 1,
                start_batch: int = 0) -> Iterator[np.ndarray]:
        """Rank `rank`'s batches of shape (batch_size, seq_len+1), from batch `start_batch` on.

        When a batch's windows all lie in one shard (all but at most one batch per shard
        boundary) the batch is a read-only strided view of the map: rows are world_size*T
        tokens apart and overlap the next row by one token, so no copy is made. A batch that
        straddles shards is stacked into a new array; that copy is unavoidable and small.
        """
        _check_rank(rank, world_size)
        count = self.batch_count(batch_size, seq_len, world_size)
        if start_batch < 0:
            raise ValueError(f"start_batch must be >= 0, got {start_batch}")
        starts = self._window_starts(seq_len)
        width = seq_len + 1
        for b in range(start_batch, count):
            first_g = rank + b * batch_size * world_size
            last_g = first_g + (batch_size - 1) * world_size
            shard = bisect.bisect_right(starts, first_g) - 1
            if last_g < starts[shard + 1]:
                flat = self.flat(shard)
                begin = (first_g - int(starts[shard])) * seq_len
                step = flat.strides[0]
                yield np.lib.stride_tricks.as_strided(flat[begin:], shape=(batch_size, width),
                                                      strides=(world_size * seq_len * step, step), writeable=False)
            else:
                rows = self.windows(seq_len, rank=rank, world_size=world_size, start=b * batch_size)
                yield np.stack([next(rows) for _ in range(batch_size)])

    def token_ranges(self, batch_index: int, batch_size: int, seq_len: int, *, rank: int | None = 0,
                     world_size: int = 1, num_batches: int = 1) -> list[tuple[str, int, int]]:
        """(shard path, first token, token count) triples that batches [batch_index, +num_batches) consumed.

        `rank=None` takes those batches of every rank (a whole data-parallel step). Paths are
        relative to the output folder, as in the manifest; overlapping or touching ranges are
        merged, so a contiguous stretch of training is one triple per shard.
        """
        if batch_index < 0 or num_batches < 0:
            raise ValueError("batch_index and num_batches must be >= 0")
        starts = self._window_starts(seq_len)
        if rank is None or world_size == 1:  # a contiguous run of global windows
            ranks_step = batch_size * world_size
            spans = [(batch_index * ranks_step, (batch_index + num_batches) * ranks_step)]
        else:
            _check_rank(rank, world_size)
            first = batch_index * batch_size
            spans = [(rank + i * world_size, rank + i * world_size + 1)
                     for i in range(first, first + num_batches * batch_size)]
        ranges: list[tuple[str, int, int]] = []
        for lo, hi in spans:
            hi = min(hi, int(starts[-1]))
            while lo < hi:
                shard = bisect.bisect_right(starts, lo) - 1
                stop = min(hi, int(starts[shard + 1]))
                path = self._shards[shard].path
                begin = (lo - int(starts[shard])) * seq_len
                end = (stop - 1 - int(starts[shard])) * seq_len + seq_len + 1
                if ranges and ranges[-1][0] == path and ranges[-1][1] + ranges[-1][2] >= begin:
                    prev_path, prev_begin, prev_count = ranges.pop()
                    begin = prev_begin
                    end = max(end, prev_begin + prev_count)
                ranges.append((path, begin, end - begin))
                lo = stop
        return ranges


def _check_rank(rank: int, world_size: int) -> None:
    if world_size < 1 or not 0 <= rank < world_size:
        raise ValueError(f"rank {rank} is outside 0..{world_size - 1} (world_size {world_size})")


__all__ = ["ManifestError", "Position", "TokenDataError", "TokenDataset"]
