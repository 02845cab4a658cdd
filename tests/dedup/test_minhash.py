"""MinHash core: bit-identity with datasketch, batching, estimates, band keys, S-curve."""
from __future__ import annotations

import random

import numpy as np
import pytest
from datasketch import MinHash

from dedup.minhash import (
    MinHasher,
    band_keys,
    candidate_probability,
    estimated_jaccard,
    shingles,
    simplify_text,
)

_LETTERS = "abcdefghijklmnopqrstuvwxyz"
# Letters only: simplify_text maps every digit run to "0", so "w1"/"w2" would be one word.
VOCAB = sorted({"".join(random.Random(i).choices(_LETTERS, k=3 + i % 6)) for i in range(3000)}) + [
    "Café", "naïve", "Zürich", "don't", "e-mail", "2024", "3.14", "ÉTÉ",
]


def random_text(rng: random.Random, n_words: int) -> str:
    seps = [" ", " ", " ", ", ", ". ", "\n", "\t", "! "]
    return "".join(rng.choice(VOCAB) + rng.choice(seps) for _ in range(n_words)).strip()


def edit(rng: random.Random, text: str, fraction: float) -> str:
    """Replace `fraction` of the words with fresh words not in VOCAB."""
    words = text.split()
    for i in rng.sample(range(len(words)), max(1, int(len(words) * fraction))):
        words[i] = "".join(rng.choices(_LETTERS, k=12))
    return " ".join(words)


def datasketch_signature(text: str, num_perm: int, seed: int, scheme: str) -> np.ndarray:
    m = MinHash(num_perm=num_perm, seed=seed, scheme=scheme)
    sh = shingles(text)
    if sh:
        m.update_batch(sh)
    return m.hashvalues


# ---------------------------------------------------------------- text simplification

def test_simplify_text():
    assert simplify_text("  Héllo,\tWORLD!!  Çà  va?\n") == "hello world ca va"
    assert simplify_text("Call 555-1234 on 2024/10/04.") == "call 00 on 000"
    assert simplify_text("don't stop_me — now…") == "dont stopme now"
    assert simplify_text("") == "" and simplify_text(" \n\t ") == ""
    assert simplify_text("?!.,;") == ""


def test_simplify_ascii_fast_path_agrees_with_unicode_path():
    import string

    rng = random.Random(5)
    for _ in range(500):
        t = "".join(rng.choices(string.printable, k=rng.randrange(0, 80)))
        assert simplify_text(t + " é") == (simplify_text(t) + " e").strip(), repr(t)
    # Spacing marks (Mc) stay, nonspacing (Mn) go; non-ASCII punctuation/symbols go.
    assert simplify_text("भाषा «naïve» 12€") == "भाषा naive 0"


def test_shingles_short_and_empty():
    assert shingles("") == [] and shingles("...") == []
    assert shingles("One two") == [b"one two"]
    assert shingles("a b c d e") == [b"a b c d e"]
    assert shingles("a b c d e f") == [b"a b c d e", b"b c d e f"]
    assert shingles("a b c", n=1) == [b"a", b"b", b"c"]


# ---------------------------------------------------------------- bit-identity

@pytest.mark.parametrize("scheme", ["legacy", "affine32"])
@pytest.mark.parametrize("num_perm,seed", [(112, 1), (128, 42), (7, 0)])
def test_bit_identical_to_datasketch(scheme, num_perm, seed):
    rng = random.Random(seed)
    texts = [random_text(rng, rng.choice([0, 1, 3, 5, 6, 40, 200, 900])) for _ in range(120)]
    hasher = MinHasher(num_perm=num_perm, seed=seed, scheme=scheme, chunk_rows=1000)
    sigs = hasher.signatures(texts)
    expected = np.stack([datasketch_signature(t, num_perm, seed, scheme) for t in texts])
    assert sigs.shape == (len(texts), num_perm)
    assert sigs.dtype == expected.dtype
    np.testing.assert_array_equal(sigs, expected)


def test_permutations_match_datasketch():
    for scheme in ("legacy", "affine32"):
        h = MinHasher(num_perm=112, seed=1, scheme=scheme)
        a, b = MinHash(num_perm=112, seed=1, scheme=scheme).permutations
        np.testing.assert_array_equal(h.a, a)
        np.testing.assert_array_equal(h.b, b)


def test_empty_document_is_all_max():
    h = MinHasher()
    sigs = h.signatures(["", "!!!", "some real words here now ok"])
    assert (sigs[:2] == (1 << 32) - 1).all()
    assert (sigs[2] < (1 << 32) - 1).any()
    assert h.signatures([]).shape == (0, 112)


@pytest.mark.parametrize("chunk_rows", [1, 3, 64, 1 << 15])
def test_batch_equals_one_at_a_time(chunk_rows):
    rng = random.Random(7)
    texts = [random_text(rng, rng.randrange(0, 300)) for _ in range(60)]
    h = MinHasher(chunk_rows=chunk_rows)
    batch = h.signatures(texts)
    single = np.stack([MinHasher().signatures([t])[0] for t in texts])
    np.testing.assert_array_equal(batch, single)


# ---------------------------------------------------------------- estimates and bands

def true_jaccard(a: str, b: str) -> float:
    sa, sb = set(shingles(a)), set(shingles(b))
    return len(sa & sb) / len(sa | sb)


def test_estimated_jaccard_close_to_true():
    rng = random.Random(3)
    h = MinHasher()
    errors = []
    for fraction in (0.01, 0.03, 0.05, 0.1, 0.2, 0.4):
        for _ in range(10):
            a = random_text(rng, 300)
            b = edit(rng, a, fraction)
            sa, sb = h.signatures([a, b])
            s = true_jaccard(a, b)
            est = estimated_jaccard(sa, sb)
            # 4 standard errors of a 112-sample binomial proportion (>= 0.02 floor for s near 1).
            assert abs(est - s) <= max(0.02, 4 * (s * (1 - s) / 112) ** 0.5), (fraction, s, est)
            errors.append(est - s)
    assert abs(np.mean(errors)) < 0.02  # no systematic bias
    assert estimated_jaccard(np.arange(4), np.array([0, 1, 9, 9])) == 0.5


def test_band_keys_shape_and_identity():
    h = MinHasher()
    text = "The quick brown fox jumps over the lazy dog " * 5
    sigs = h.signatures([text, text.upper() + "!!", "something else entirely, not a fox at all ok"])
    keys = band_keys(sigs)
    assert len(keys) == 3 and all(len(k) == 14 for k in keys)
    assert all(len(k) == 2 + 8 * 4 for k in keys[0])
    assert keys[0] == keys[1]  # identical after simplification
    assert keys[0] == band_keys(sigs[0])  # 1-D form
    assert [k[:2] for k in keys[0]] == [i.to_bytes(2, "big") for i in range(14)]
    assert not set(keys[0]) & set(keys[2])
    # dtype independence: uint32 and uint64 views of the same values give the same keys
    assert band_keys(sigs.astype(np.uint32)) == keys


def block_edit(rng: random.Random, text: str, fraction: float) -> str:
    """Replace one contiguous run of `fraction` of the words (a changed sentence or date line)."""
    words = text.split()
    k = max(1, int(len(words) * fraction))
    start = rng.randrange(len(words) - k)
    words[start : start + k] = ["".join(rng.choices(_LETTERS, k=12)) for _ in range(k)]
    return " ".join(words)


def test_near_duplicates_share_a_band_unrelated_do_not():
    """2% edits: a contiguous 2% change leaves Jaccard ~0.92 (P=0.9999), so every pair must be
    a candidate. 2% of words changed at scattered places destroys up to 5 shingles each, so
    Jaccard drops to ~0.82 (P~0.96 on the S-curve): we require >= 90% of 100 pairs."""
    rng = random.Random(11)
    h = MinHasher()
    m = 100
    originals = [random_text(rng, 200) for _ in range(m)]
    block = [block_edit(rng, t, 0.02) for t in originals]
    scattered = [edit(rng, t, 0.02) for t in originals]
    keys = [set(k) for k in band_keys(h.signatures(originals + block + scattered))]
    for i in range(m):
        assert keys[i] & keys[m + i], f"block-edited near-duplicate {i} missed"
    scattered_hits = sum(bool(keys[i] & keys[2 * m + i]) for i in range(m))
    assert scattered_hits >= 90, scattered_hits
    for i in range(m):
        for j in range(i + 1, m):
            assert not keys[i] & keys[j], f"unrelated {i},{j} collide"


def test_s_curve_matches_rules_table():
    for s, p in [(0.7, 0.565), (0.75, 0.772), (0.8, 0.924), (0.85, 0.988)]:
        assert round(candidate_probability(s, 14, 8), 3) == p
    assert candidate_probability(0.0) == 0.0 and candidate_probability(1.0) == 1.0
