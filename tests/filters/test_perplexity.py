"""KenLM perplexity: the LM normalization, a model trained here, CCNet's formula and buckets.

The model is trained in the test session from generated English articles (a few hundred KB,
about a second). lmplz and build_binary are built once from the kenlm sdist if this machine has
none yet (`python -m filters.kenlm_build`; needs the Debian packages it names).
"""
from __future__ import annotations

import math
import pickle
import random
from pathlib import Path

import pytest

from filters import kenlm_build
from filters.lm_text import lm_lines
from filters.perplexity import (
    BUCKET,
    BUCKET_FIELD,
    REASON_MAX,
    VALUE,
    BucketCutoffs,
    CorpusTooSmallError,
    ModelLoadError,
    PerplexityScorer,
    bucket_of,
    cutoffs_from_sample,
    train_lm,
)
from pipeline.demo.text import generator

LM_MEMORY = "200M"  # lmplz's sorting memory; the default share of RAM is far more than needed


def article(rng: random.Random) -> str:
    head, paragraphs = generator("en").article(rng)
    return "\n".join([head, *paragraphs])


@pytest.fixture(scope="session")
def kenlm_tools() -> kenlm_build.KenLMTools:
    try:
        return kenlm_build.ensure_tools(build=True)
    except kenlm_build.KenLMBuildError as err:
        pytest.fail(f"KenLM's lmplz/build_binary are needed and could not be built: {err}")


@pytest.fixture(scope="session")
def model_path(kenlm_tools, tmp_path_factory) -> Path:
    rng = random.Random(0)
    texts = [article(rng) for _ in range(300)]
    return train_lm(texts, tmp_path_factory.mktemp("lm") / "en.bin", order=3, memory=LM_MEMORY)


@pytest.fixture(scope="session")
def scorer(model_path) -> PerplexityScorer:
    return PerplexityScorer(model_path)


# -- normalization -------------------------------------------------------------------------

def test_lowercases_and_strips_accents():
    assert lm_lines("Ça Coûte CHER à São Paulo, Øresund ß") == ["ca coute cher a sao paulo, øresund ß"]


def test_every_digit_becomes_zero_in_any_script():
    assert lm_lines("In 2019: ٣٤ and १२ and ４２ and １") == ["in 0000: 00 and 00 and 00 and 0"]


def test_unicode_punctuation_is_mapped_like_ccnet():
    text = "«Oui», „ja“ — it’s… ok？ 【a】（b）：c；d、e。f，g％ h–i"
    assert lm_lines(text) == ['"oui", "ja" - it\'s... ok? [a](b):c;d,e.f,g% h-i']


def test_other_punctuation_is_kept():
    assert lm_lines("Hello, world! (Yes) 'no' #1") == ["hello, world! (yes) 'no' #0"]


def test_lines_are_kept_and_whitespace_collapsed():
    # CCNet normalizes the whole document and its control-character step removes "\n", gluing
    # "2019!" to "second"; here every line stays a sentence of its own.
    text = "  First   line, in 2019!\nSecond\u00a0line.  \n\n   \nThird\tline\r\n"
    assert lm_lines(text) == ["first line, in 0000!", "second line.", "third line"]


def test_non_printing_characters_are_removed():
    assert lm_lines("a\x00b\x07c \x85d\x9f e\u200bf") == ["abc d e\u200bf"]
    assert lm_lines("lone\ud800 surrogate") == ["lone surrogate"]  # KenLM needs valid UTF-8


def test_kenlm_reserved_tokens_are_dropped():
    assert lm_lines("<s> a </S> b <UNK>\n<s>") == ["a b"]


def test_empty_and_blank_texts_have_no_lines():
    assert lm_lines("") == []
    assert lm_lines(" \n\t\n \x00 ") == []


# -- training ------------------------------------------------------------------------------

def test_too_small_corpus_is_a_clear_error(kenlm_tools, tmp_path):
    out = tmp_path / "tiny.bin"
    with pytest.raises(CorpusTooSmallError, match="words"):
        train_lm(["Only a handful of words here."], out, order=3, memory=LM_MEMORY)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []  # no half-written model left behind


def test_order_out_of_range_is_refused(tmp_path):
    with pytest.raises(ValueError, match="order"):
        train_lm(["a b c"], tmp_path / "m.bin", order=7)


# -- perplexity ----------------------------------------------------------------------------

def test_natural_text_beats_shuffled_words_beats_random_characters(scorer):
    held_out = article(random.Random(12345))
    rng = random.Random(1)
    shuffled_lines = []
    for line in held_out.split("\n"):
        words = line.split()
        rng.shuffle(words)
        shuffled_lines.append(" ".join(words))
    shuffled = "\n".join(shuffled_lines)
    gibberish = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz    ") for _ in range(len(held_out)))
    natural, mixed, noise = (scorer.perplexity(t) for t in (held_out, shuffled, gibberish))
    assert natural < mixed < noise
    assert mixed > 3 * natural


def test_one_line_equals_kenlm_model_perplexity(scorer, model_path):
    import kenlm

    model = kenlm.Model(str(model_path))
    for line in ["the city council approved the plan", "zebra quantum xylophone nonsense words"]:
        assert scorer.perplexity(line) == pytest.approx(model.perplexity(line), rel=1e-9)


def test_document_perplexity_pools_log_probabilities_over_lines(scorer, model_path):
    import kenlm

    model = kenlm.Model(str(model_path))
    text = "The City council met.\n\nIn 2021 the mayor SPOKE!\n"
    lines = ["the city council met.", "in 0000 the mayor spoke!"]
    expected = 10 ** (-sum(model.score(l) for l in lines) / sum(len(l.split()) + 1 for l in lines))
    assert scorer.perplexity(text) == pytest.approx(expected, rel=1e-9)
    # the per-line perplexities are not averaged: long lines weigh more
    assert scorer.perplexity(text) != pytest.approx((model.perplexity(lines[0]) + model.perplexity(lines[1])) / 2)


def test_text_without_words_has_no_perplexity(scorer):
    assert math.isnan(scorer.perplexity(" \n\x00\n"))
    verdict = scorer.judge(" \n ")
    assert verdict.keep and verdict.signals == {}


# -- buckets and the judge -----------------------------------------------------------------

def test_cutoffs_from_sample_are_percentiles():
    scores = [float(x) for x in range(1, 101)] + [math.nan, math.inf]
    assert cutoffs_from_sample(scores) == pytest.approx((30.7, 60.4))
    assert cutoffs_from_sample([5.0, 1.0, 3.0], head=0, tail=100) == (1.0, 5.0)
    with pytest.raises(ValueError):
        cutoffs_from_sample([math.nan])
    with pytest.raises(ValueError):
        cutoffs_from_sample([1.0, 2.0], head=70, tail=60)


def test_bucket_of_follows_ccnet_strict_bounds():
    cutoffs = BucketCutoffs(head=100.0, tail=200.0)
    assert [bucket_of(pp, cutoffs) for pp in (50, 99.9, 100, 150, 199.9, 200, 1e6)] == [
        "head", "head", "middle", "middle", "middle", "tail", "tail"]


def test_judge_records_value_bucket_and_drops_above_max(model_path, scorer):
    rng = random.Random(7)
    natural = article(rng)
    words = natural.split()
    rng.shuffle(words)
    shuffled = " ".join(words)
    gibberish = "".join(rng.choice("qxzjkvw ") for _ in range(2000))
    texts = [natural, shuffled, gibberish]
    pps = [scorer.perplexity(t) for t in texts]
    cutoffs = BucketCutoffs((pps[0] + pps[1]) / 2, (pps[1] + pps[2]) / 2)
    judge = PerplexityScorer(model_path, max_perplexity=pps[2] / 2, cutoffs=cutoffs)
    verdicts, facts = judge.judge_batch_fields(texts)
    assert [v.signals[VALUE] for v in verdicts] == pytest.approx(pps)
    assert [v.signals[BUCKET] for v in verdicts] == [0.0, 1.0, 2.0]
    assert [f[BUCKET_FIELD] for f in facts] == ["head", "middle", "tail"]
    assert [v.reason for v in verdicts] == [None, None, REASON_MAX]
    assert judge.judge_batch(texts) == verdicts
    assert judge.judge(gibberish) == verdicts[2]
    assert BUCKET not in scorer.judge(natural).signals  # no cutoffs, no bucket (CCNet's "all")


def test_scorer_survives_pickling(model_path):
    judge = PerplexityScorer(model_path, max_perplexity=1000.0, cutoffs=(10.0, 20.0))
    copy = pickle.loads(pickle.dumps(judge))
    assert copy.cutoffs == BucketCutoffs(10.0, 20.0)
    assert copy.perplexity("the plan was approved") == judge.perplexity("the plan was approved")


# -- model files ---------------------------------------------------------------------------

def test_missing_model_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="KenLM model not found"):
        PerplexityScorer(tmp_path / "absent.bin")


def test_corrupt_model_is_a_clear_error(tmp_path, model_path):
    garbage = tmp_path / "garbage.bin"
    garbage.write_bytes(b"this is not a language model\n" * 10)
    truncated = tmp_path / "truncated.bin"
    truncated.write_bytes(model_path.read_bytes()[: model_path.stat().st_size // 2])
    empty = tmp_path / "empty.bin"
    empty.write_bytes(b"")
    for path in (garbage, truncated, empty, tmp_path):
        with pytest.raises(ModelLoadError, match="KenLM model"):
            PerplexityScorer(path)


# -- building the tools --------------------------------------------------------------------

def test_missing_build_packages_are_named_with_the_apt_line(monkeypatch, tmp_path):
    monkeypatch.setattr(kenlm_build, "missing_build_dependencies", lambda: ["libboost-test-dev", "cmake"])
    with pytest.raises(kenlm_build.KenLMBuildError) as info:
        kenlm_build.build_tools(tmp_path)
    message = str(info.value)
    assert "libboost-test-dev cmake" in message
    assert "apt-get install -y --no-install-recommends " + " ".join(kenlm_build.APT_PACKAGES) in message


def test_tools_are_found_after_the_build(kenlm_tools):
    assert kenlm_build.find_tools() is not None
    assert kenlm_tools.lmplz.name == "lmplz" and kenlm_tools.build_binary.name == "build_binary"
