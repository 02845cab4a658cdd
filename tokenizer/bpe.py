"""Byte-level BPE: train, save, load. Plain Python over HF `tokenizers`; knows nothing of Beam.

Byte-level (GPT-2 style) because every string is then encodable with no unknown token and
decoding gives back the exact bytes: with normalization "none" nothing is altered on the way
in, so `decode(encode(text)) == text` for any text, tabs, CRLF and emoji included.

Training is reproducible: the same texts and settings give a byte-identical tokenizer.json,
whatever the order of the texts and however many threads `tokenizers` uses (its BPE trainer
counts words into maps and breaks ties between equally frequent pairs by the pair itself, and
the JSON lists vocabulary and merges by id). The tests check this by training twice.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterable, Iterator, Literal, Sequence

import numpy as np
from pipeline.fsio import join, sha256_file, write_bytes_atomic
from tokenizers import AddedToken, Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers

Normalization = Literal["none", "nfc", "nfkc"]
NORMALIZATIONS: tuple[str, ...] = ("none", "nfc", "nfkc")

EOS_TOKEN = "<|endoftext|>"
PAD_TOKEN = "<|pad|>"
DEFAULT_SPECIAL_TOKENS: tuple[str, ...] = (EOS_TOKEN, PAD_TOKEN)
BYTE_ALPHABET_SIZE = 256

TOKENIZER_FILE = "tokenizer.json"
_BATCH = 1000  # texts per batch handed to the Rust trainer: amortizes the Python->Rust call


class TokenizerError(ValueError):
    """A tokenizer that cannot be trained or read; one line for the user."""


def min_vocab_size(special_tokens: Sequence[str] = DEFAULT_SPECIAL_TOKENS) -> int:
    """The 256 byte symbols plus the special tokens: below that no merge fits at all."""
    return BYTE_ALPHABET_SIZE + len(special_tokens)


def new_tokenizer(normalization: Normalization = "none") -> Tokenizer:
    """An untrained byte-level BPE pipeline (the GPT-2 pre-tokenizer regex, no prefix space)."""
    if normalization not in NORMALIZATIONS:
        raise TokenizerError(f"normalization must be one of {', '.join(NORMALIZATIONS)}, not {normalization!r}")
    tok = Tokenizer(models.BPE())
    if normalization == "nfc":
        tok.normalizer = normalizers.NFC()
    elif normalization == "nfkc":
        tok.normalizer = normalizers.NFKC()
    # add_prefix_space=False: a leading space would be invented and decode() would not undo it.
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    tok.decoder = decoders.ByteLevel()
    return tok


def _batches(texts: Iterable[str], size: int = _BATCH) -> Iterator[list[str]]:
    batch: list[str] = []
    for text in texts:
        batch.append(text)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def train_bpe(
    texts: Iterable[str],
    *,
    vocab_size: int,
    min_frequency: int = 2,
    special_tokens: Sequence[str] = DEFAULT_SPECIAL_TOKENS,
    normalization: Normalization = "none",
    show_progress: bool = False,
    length: int | None = None,
) -> Tokenizer:
    """Train a byte-level BPE tokenizer; the special tokens get ids 0..k-1 in the order given.

    `length` is the number of texts, if known, for the progress bar.
    """
    special_tokens = list(special_tokens)
    if len(set(special_tokens)) != len(special_tokens):
        raise TokenizerError(f"special tokens repeat: {special_tokens}")
    if vocab_size < min_vocab_size(special_tokens):
        raise TokenizerError(
            f"vocab size {vocab_size} is too small: byte-level BPE needs at least "
            f"{BYTE_ALPHABET_SIZE} + {len(special_tokens)} special tokens = {min_vocab_size(special_tokens)}"
        )
    if min_frequency < 1:
        raise TokenizerError(f"min frequency must be at least 1, not {min_frequency}")
    tok = new_tokenizer(normalization)
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        min_frequency=min_frequency,
        special_tokens=special_tokens,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=show_progress,
    )
    # Batches cut the Python->Rust calls; the progress bar still counts texts (`length`).
    tok.train_from_iterator(_batches(texts), trainer=trainer, length=length)
    return tok


def save_tokenizer(tok: Tokenizer, directory: str | os.PathLike[str]) -> Path:
    """Write DIR/tokenizer.json (atomically) and the files transformers wants beside it.

    `PreTrainedTokenizerFast.from_pretrained(DIR)` then loads it with eos and pad set. Each file
    goes to a temporary name first and is renamed into place, so a reader never sees half a file.
    """
    directory = str(directory)
    path = join(directory, TOKENIZER_FILE)
    ids = special_ids(tok)
    specials = [token.content for _id, token in _special_tokens(tok)]
    side: dict[str, str] = {}
    if ids.get("eos_id") is not None:
        side.update(eos_token=EOS_TOKEN, bos_token=EOS_TOKEN)  # GPT-2's convention
    if ids.get("pad_id") is not None:
        side["pad_token"] = PAD_TOKEN
    config = {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "model_max_length": 1_000_000_000_000_000_019_884_624_838_656,  # transformers' "no limit"
        "clean_up_tokenization_spaces": False,  # it would alter decoded text: keep the byte round trip
        "additional_special_tokens": [s for s in specials if s not in side.values()],
        **side,
    }
    special_map = {**side, "additional_special_tokens": config["additional_special_tokens"]}
    for name, data in (("tokenizer_config.json", config), ("special_tokens_map.json", special_map)):
        write_bytes_atomic(join(directory, name), (json.dumps(data, indent=2, sort_keys=True) + "\n").encode("utf-8"))
    write_bytes_atomic(path, tok.to_str(pretty=True).encode("utf-8"))  # last: its presence means complete
    return Path(path)


def encode_documents(tok: Tokenizer, texts: Sequence[str], eos_id: int, dtype: np.dtype | str) -> list[np.ndarray]:
    """Token arrays of `texts` (one batch call), each ending with the end-of-document id: the
    rows of a token shard.

    `encode_batch_fast` gives the same ids as `encode_batch` without tracking character offsets,
    which a token shard never stores (about a fifth of the encoding time).
    """
    out = []
    for enc in tok.encode_batch_fast(list(texts), add_special_tokens=False):
        tokens = np.empty(len(enc.ids) + 1, dtype=dtype)
        tokens[:-1] = enc.ids
        tokens[-1] = eos_id
        out.append(tokens)
    return out


def tokenizer_file(path: str | os.PathLike[str]) -> Path:
    """Accept a tokenizer.json or the folder holding one."""
    path = Path(path)
    return path / TOKENIZER_FILE if path.is_dir() else path


def load_tokenizer(path: str | os.PathLike[str]) -> Tokenizer:
    """Load DIR/tokenizer.json or a tokenizer.json; TokenizerError (one line) when unreadable."""
    file = tokenizer_file(path)
    if not file.is_file():
        raise TokenizerError(f"no tokenizer at {file}")
    try:
        return Tokenizer.from_file(str(file))
    except Exception as exc:  # tokenizers raises a bare Exception for bad JSON
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise TokenizerError(f"{file}: not a tokenizer: {message}") from None


def tokenizer_sha256(path: str | os.PathLike[str]) -> str:
    """The sha256 of tokenizer.json's bytes: what manifests and token shards record."""
    return sha256_file(str(tokenizer_file(path)))


def _special_tokens(tok: Tokenizer) -> list[tuple[int, AddedToken]]:
    """The special tokens by id."""
    return sorted((i, t) for i, t in tok.get_added_tokens_decoder().items() if t.special)


def special_ids(tok: Tokenizer) -> dict[str, int | None]:
    """eos_id (<|endoftext|>) and pad_id (<|pad|>), None where the tokenizer lacks one."""
    return {"eos_id": tok.token_to_id(EOS_TOKEN), "pad_id": tok.token_to_id(PAD_TOKEN)}
