"""Cluster resolution: candidate duplicate pairs -> connected components -> one survivor each.

MinHash-LSH (or any pairwise matcher) only emits *candidate pairs*; duplication is then taken
to be transitive, so the clusters are the connected components of the pair graph and one
document per component is kept (RULES.md §5c: BigCode, SlimPajama, datatrove).

Why the care about determinism: a Beam runner hands us pairs in an arbitrary order, and
union-find's internal roots depend on that order. Everything this module *returns* is
therefore labelled by the component's smallest id, and representatives are chosen by a total
order on (score, id), so two runs over the same pairs agree whatever the shuffling.

Everything is iterative (no recursion), so a 100k-long chain of pairs is fine.
"""
from __future__ import annotations

from typing import Iterable, Iterator, Sequence


class UnionFind:
    """Disjoint sets over string ids, with path compression and union by size.

    Ids are added on first sight (by `add`, `union` or `find`). `find` returns the
    component's smallest id, not the internal root, so its answer never depends on the
    order in which unions happened.
    """

    __slots__ = ("_parent", "_size", "_label")

    def __init__(self, ids: Iterable[str] = ()) -> None:
        self._parent: dict[str, str] = {}
        self._size: dict[str, int] = {}  # only meaningful for internal roots
        self._label: dict[str, str] = {}  # internal root -> smallest id in its set
        for i in ids:
            self.add(i)

    def __len__(self) -> int:
        return len(self._parent)

    def __contains__(self, x: object) -> bool:
        return x in self._parent

    def __iter__(self) -> Iterator[str]:
        """Every id seen so far, in insertion order."""
        return iter(self._parent)

    def add(self, x: str) -> None:
        """Register `x` as a singleton if unseen (no-op otherwise)."""
        if x not in self._parent:
            self._parent[x] = x
            self._size[x] = 1
            self._label[x] = x

    def _root(self, x: str) -> str:
        """Internal root of x's set, compressing the path (two passes, no recursion)."""
        self.add(x)
        parent = self._parent
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def find(self, x: str) -> str:
        """Canonical label of x's component: its smallest id."""
        return self._label[self._root(x)]

    def union(self, a: str, b: str) -> str:
        """Merge the sets of `a` and `b`; returns the merged component's canonical label."""
        ra, rb = self._root(a), self._root(b)
        if ra == rb:
            return self._label[ra]
        if self._size[ra] < self._size[rb]:
            ra, rb = rb, ra
        # rb hangs under ra (the bigger tree keeps depth logarithmic)
        self._parent[rb] = ra
        self._size[ra] += self._size.pop(rb)
        label = min(self._label[ra], self._label.pop(rb))
        self._label[ra] = label
        return label

    def components(self) -> dict[str, list[str]]:
        """{smallest id: sorted member ids} for every component, singletons included."""
        groups: dict[str, list[str]] = {}
        for x in self._parent:
            groups.setdefault(self.find(x), []).append(x)
        return {label: sorted(members) for label, members in sorted(groups.items())}


def _rank_key(member: tuple[str, float | None]) -> tuple[bool, float, str]:
    """Sort key where the smallest key is the best member.

    None (no score) sorts after every real score; among equal scores the lowest id wins.
    NaN is treated like None: it compares false with everything and would make the
    choice depend on input order.
    """
    doc_id, score = member
    missing = score is None or score != score
    return (missing, 0.0 if missing else -float(score), doc_id)  # type: ignore[arg-type]


def pick_representative(members: Sequence[tuple[str, float | None]]) -> str:
    """Id of the member to keep: highest quality score, None worst, ties -> lowest id."""
    if not members:
        raise ValueError("pick_representative needs at least one member")
    return min(members, key=_rank_key)[0]


def cluster_assignments(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """{id: cluster id} for every id appearing in `pairs`; cluster id = component's smallest id.

    Ids that appear in no pair are not listed: they are their own singleton cluster.
    """
    uf = UnionFind()
    for a, b in pairs:
        uf.union(a, b)
    return {x: uf.find(x) for x in sorted(uf)}
