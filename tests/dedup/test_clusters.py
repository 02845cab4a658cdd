"""Cluster resolution: components must be the graph's connected components, whatever the order."""
from __future__ import annotations

import random
from collections import deque

import pytest

from dedup.clusters import UnionFind, cluster_assignments, pick_representative


def bfs_components(ids: list[str], pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    adj: dict[str, set[str]] = {i: set() for i in ids}
    for a, b in pairs:
        adj[a].add(b)
        adj[b].add(a)
    seen: set[str] = set()
    out: dict[str, list[str]] = {}
    for start in ids:
        if start in seen:
            continue
        comp, queue = [], deque([start])
        seen.add(start)
        while queue:
            x = queue.popleft()
            comp.append(x)
            for y in adj[x]:
                if y not in seen:
                    seen.add(y)
                    queue.append(y)
        out[min(comp)] = sorted(comp)
    return out


def random_graph(rng: random.Random) -> tuple[list[str], list[tuple[str, str]]]:
    n = rng.randint(1, 60)
    ids = [f"d{rng.randrange(10**6):06d}" for _ in range(n)]
    ids = sorted(set(ids))
    m = rng.randint(0, 2 * len(ids))
    pairs = [(rng.choice(ids), rng.choice(ids)) for _ in range(m)]
    return ids, pairs


@pytest.mark.parametrize("seed", range(40))
def test_components_match_bfs(seed):
    rng = random.Random(seed)
    ids, pairs = random_graph(rng)
    uf = UnionFind(ids)
    for a, b in pairs:
        uf.union(a, b)
    expected = bfs_components(ids, pairs)
    assert uf.components() == expected
    for label, members in expected.items():
        for x in members:
            assert uf.find(x) == label == min(members)


@pytest.mark.parametrize("seed", range(20))
def test_invariant_to_pair_order_and_direction(seed):
    rng = random.Random(1000 + seed)
    ids, pairs = random_graph(rng)
    reference = cluster_assignments(pairs)
    for _ in range(5):
        shuffled = [(b, a) if rng.random() < 0.5 else (a, b) for a, b in pairs]
        rng.shuffle(shuffled)
        assert cluster_assignments(shuffled) == reference
    assert set(reference) == {x for p in pairs for x in p}


def test_label_is_smallest_id_regardless_of_union_order():
    # union by size would make "z" (the big tree's root) the internal root; label is still "a"
    uf = UnionFind()
    uf.union("z", "y")
    uf.union("z", "x")
    assert uf.union("a", "z") == "a"
    assert {uf.find(i) for i in "axyz"} == {"a"}
    assert uf.components() == {"a": ["a", "x", "y", "z"]}


def test_singletons_and_self_pairs():
    uf = UnionFind(["b", "a"])
    uf.union("c", "c")
    assert uf.components() == {"a": ["a"], "b": ["b"], "c": ["c"]}
    assert "c" in uf and len(uf) == 3
    assert cluster_assignments([("q", "q")]) == {"q": "q"}
    assert cluster_assignments([]) == {}


def test_cluster_assignments_example():
    pairs = [("d3", "d1"), ("d4", "d5"), ("d1", "d2"), ("d9", "d5")]
    assert cluster_assignments(pairs) == {
        "d1": "d1", "d2": "d1", "d3": "d1", "d4": "d4", "d5": "d4", "d9": "d4",
    }


@pytest.mark.parametrize("reverse", [False, True])
def test_long_chain_no_recursion(reverse):
    n = 100_000
    ids = [f"id{i:06d}" for i in range(n)]
    pairs = list(zip(ids, ids[1:]))
    if reverse:
        pairs = [(b, a) for a, b in reversed(pairs)]
    assignments = cluster_assignments(pairs)
    assert len(assignments) == n
    assert set(assignments.values()) == {"id000000"}


def test_long_chain_worst_case_linking():
    # link each new id under a one-element tree, then find from the deepest end
    n = 100_000
    uf = UnionFind()
    for i in range(n - 1, 0, -1):
        uf.union(str(i).zfill(6), str(i - 1).zfill(6))
    assert uf.find(str(n - 1).zfill(6)) == "000000"
    assert len(uf.components()) == 1


def test_pick_representative_rules():
    assert pick_representative([("b", 0.5), ("a", 0.4), ("c", 0.9)]) == "c"
    # ties -> lowest id
    assert pick_representative([("c", 0.9), ("b", 0.9), ("z", 0.1)]) == "b"
    # None is worst, even below negative scores
    assert pick_representative([("a", None), ("b", -5.0)]) == "b"
    # all None -> lowest id
    assert pick_representative([("c", None), ("b", None)]) == "b"
    # NaN treated as missing
    assert pick_representative([("a", float("nan")), ("b", 0.0)]) == "b"
    assert pick_representative([("only", None)]) == "only"
    with pytest.raises(ValueError):
        pick_representative([])


@pytest.mark.parametrize("seed", range(20))
def test_pick_representative_order_independent(seed):
    rng = random.Random(seed)
    members = [
        (f"d{i}", rng.choice([None, 0.0, 0.5, 1.0, float("nan"), rng.random()]))
        for i in rng.sample(range(100), 12)
    ]
    first = pick_representative(members)
    for _ in range(10):
        rng.shuffle(members)
        assert pick_representative(members) == first
