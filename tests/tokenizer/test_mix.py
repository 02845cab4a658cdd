"""The data mix: rates from target weights, the epochs cap, exact fractional sampling, splits."""
from __future__ import annotations

import random

import pytest

from tokenizer.mix import copies_of, fraction_threshold, is_val, order_key, plan_mix, unit_hash


def test_without_a_budget_the_scarcest_source_is_used_once_and_the_others_sampled_down():
    plans = plan_mix({"web": 1000, "wiki": 100}, {"web": 0.5, "wiki": 0.5}, token_budget=None, max_epochs=4)
    assert plans["wiki"].rate == pytest.approx(1.0)
    assert plans["web"].rate == pytest.approx(0.1)
    assert all(p.note is None for p in plans.values())


def test_a_budget_repeats_small_sources_up_to_the_epochs_cap_and_says_so():
    plans = plan_mix({"web": 1000, "wiki": 100}, {"web": 0.5, "wiki": 0.5}, token_budget=1000, max_epochs=4)
    assert plans["web"].rate == pytest.approx(0.5)
    assert plans["wiki"].rate == 4 and "max_epochs=4" in plans["wiki"].note
    assert plans["wiki"].whole_copies == 4 and plans["wiki"].fraction == 0


def test_no_weights_means_the_natural_mix_and_unlisted_sources_are_left_out():
    natural = plan_mix({"a": 300, "b": 100}, None, token_budget=None, max_epochs=1)
    assert natural["a"].rate == pytest.approx(1.0) and natural["b"].rate == pytest.approx(1.0)
    assert natural["a"].target_weight == pytest.approx(0.75)
    partial = plan_mix({"a": 300, "b": 100}, {"a": 1.0}, token_budget=None, max_epochs=1)
    assert partial["b"].rate == 0 and partial["b"].note == "not in the mix"


def test_the_fraction_threshold_realizes_the_fraction_to_within_one_document():
    rng = random.Random(3)
    items = [(unit_hash("sample", 0, i), rng.randint(10, 500)) for i in range(2000)]
    total = sum(n for _, n in items)
    for fraction in (0.0, 0.01, 0.3, 0.77, 1.0):
        t = fraction_threshold(items, fraction)
        taken = sum(n for h, n in items if h < t)
        assert abs(taken - fraction * total) <= 500, fraction


def test_copies_combine_whole_epochs_and_the_sampled_fraction():
    plan = plan_mix({"s": 100}, None, token_budget=250, max_epochs=4)["s"]
    assert plan.rate == pytest.approx(2.5)
    assert copies_of(plan, 0.4, 0.39) == 3 and copies_of(plan, 0.4, 0.41) == 2


def test_split_and_order_are_keyed_by_seed_and_id_only():
    ids = [f"doc{i}" for i in range(5000)]
    val = [i for i in ids if is_val(0, i, 0.1)]
    assert 400 < len(val) < 600 and val == [i for i in ids if is_val(0, i, 0.1)]
    assert [i for i in ids if is_val(1, i, 0.1)] != val
    assert order_key(0, "a", 0) == order_key(0, "a", 0) != order_key(0, "a", 1)


def test_a_tiny_fraction_takes_no_document_that_would_overshoot_it():
    items = [(0.1, 1000), (0.5, 1000)]
    assert fraction_threshold(items, 1e-9) == 0.1  # nothing taken: one document is far above the quota
    assert fraction_threshold(items, 0.6) == 0.5   # one document (50%) is closer to 60% than two
