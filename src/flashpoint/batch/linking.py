"""The batch's second stage: cross-article linking, the same for both engines.

``flashpoint ingest`` links each article's events, in input order, against the events
stored before them (:func:`flashpoint.link.link_mention`). A batch reproduces that result:

* **Duplicates.** An article sharing an id, URL, raw text or normalised content with an
  earlier input item adds no events (the store skips it).
* **Near-copies.** An article whose MinHash signature agrees with that of an earlier article
  (not a duplicate, not failed; copies count) at the ``[near_duplicate]`` threshold, found
  through a shared band, adds no events (the store keeps it as a copy, not new evidence).
* **Components.** Linking a mention only ever looks at events indexed under its query keys
  (storyline reach, a superset of the merge reach), and a linked event's index keys are those
  of one of its mentions. So mentions fall into independent groups: connect two mentions when
  one's index keys meet the other's query keys; linking each connected group in input order
  gives exactly what linking everything in input order gives. The local engine links
  everything in order with one in-memory index; Spark groups mentions by blocking key, finds
  the connected groups with the large-star/small-star algorithm (:func:`large_star`,
  :func:`small_star`), and links each group in one task.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

from ..link import BlockKey, Linked, LinkRules, MemoryIndex, index_keys, link_mention, query_keys
from ..model import Event
from ..store.dedup import NearDuplicates

Order = tuple[int, int]  # (input item seq, event position in the article)


def block_keys(event: Event, rules: LinkRules) -> tuple[list[BlockKey], list[BlockKey]]:
    """(keys the event is indexed under, keys it looks up): what connects two mentions."""
    return index_keys(event, rules), query_keys(event, rules, storyline=True)


@dataclass
class InOrderLinker:
    """Links mentions in input order with one in-memory index (the local engine)."""

    rules: LinkRules
    index: MemoryIndex = field(init=False)
    first_seen: dict[str, Order] = field(default_factory=dict)  # event_id -> its first mention
    seen_keys: set[str] = field(default_factory=set)
    duplicates: int = 0
    copies: int = 0
    mentions: int = 0
    near: NearDuplicates = field(init=False)
    # every kept article's signature (64-bit rows) and band lookup: about 1.5 KB per article
    signatures: list[np.ndarray] = field(default_factory=list)
    bands: dict[int, int | list[int]] = field(default_factory=dict)  # band key -> signature rows

    def __post_init__(self) -> None:
        self.index = MemoryIndex(self.rules)
        self.near = NearDuplicates.from_settings(self.rules.near_duplicate)

    def is_duplicate(self, keys: Iterable[str]) -> bool:
        """Whether an earlier input item shares a dedup key (all keys are remembered)."""
        keys = list(keys)
        dup = any(k in self.seen_keys for k in keys)
        self.seen_keys.update(keys)
        self.duplicates += dup
        return dup

    def is_copy(self, signature: Sequence[int] | None) -> bool:
        """Whether an earlier kept article (copies included, as the store keeps them) sharing a
        band is similar enough (the store's measure); then remembers this one. Call after
        :meth:`is_duplicate`."""
        if not signature:
            return False
        sig = np.array(signature, dtype=np.uint64)
        # band i's hash as an int key (the first 60 bits of the hex digest, then the band)
        keys = [int(h[:15], 16) * self.near.bands + i for i, h in enumerate(self.near.band_hashes(list(signature)))]
        rows: set[int] = set()
        for key in keys:
            found = self.bands.get(key)
            rows.update((found,) if isinstance(found, int) else found or ())
        copy = any(self.near.is_copy(sig, self.signatures[r]) for r in rows)
        row = len(self.signatures)
        for key in keys:
            found = self.bands.get(key)
            if found is None:
                self.bands[key] = row  # most bands are one article's: no list for them
            elif isinstance(found, int):
                self.bands[key] = [found, row]
            else:
                found.append(row)
        self.signatures.append(sig)
        self.copies += copy
        return copy

    def add(self, order: Order, mention: Event) -> None:
        self.mentions += 1
        outcome = link_mention(mention, self.index, self.rules)
        self.index.apply(outcome)
        self.first_seen.setdefault(outcome.linked.event_id, order)

    def events(self) -> Iterator[Linked]:
        """Linked events ordered by their first mention, as the Spark engine orders them."""
        for event_id in sorted(self.index.events, key=lambda i: self.first_seen[i]):
            yield self.index.events[event_id]


def copies_in_band(members: Iterable[tuple[int, Sequence[int]]], near: NearDuplicates) -> list[int]:
    """Of the (seq, signature) articles sharing one band, those similar enough to an earlier
    one (the Spark engine's near-copy test; :meth:`InOrderLinker.is_copy` is the local one)."""
    ordered = sorted(members, key=lambda m: m[0])
    return [seq for j, (seq, sig) in enumerate(ordered)
            if any(near.is_copy(sig, earlier) for _, earlier in ordered[:j])]


def link_group(mentions: Iterable[tuple[Order, Event]], rules: LinkRules) -> list[tuple[Order, Linked]]:
    """Link one connected group of mentions in input order: (first mention's order, event)."""
    linker = InOrderLinker(rules)
    for order, mention in sorted(mentions, key=lambda m: m[0]):
        linker.add(order, mention)
    return [(linker.first_seen[linked.event_id], linked) for linked in linker.events()]


# ---------------------------------------------------------------------------
# Connected groups: one step each of large-star and small-star (Kiveris et al. 2014,
# "Connected Components in MapReduce and Beyond"). Alternated until no edge changes, every
# edge is (node, smallest node of its group).
# ---------------------------------------------------------------------------


def large_star(node: int, neighbours: Iterable[int]) -> list[tuple[int, int]]:
    """Link every larger neighbour to the smallest node of the neighbourhood."""
    nbrs = set(neighbours)
    low = min(nbrs | {node})
    return [(v, low) for v in nbrs if v > node]


def small_star(node: int, neighbours: Iterable[int]) -> list[tuple[int, int]]:
    """Link the node and its smaller neighbours to the smallest of them."""
    group = {v for v in neighbours if v <= node} | {node}
    low = min(group)
    return [(v, low) for v in group if v != low]


def star_edges(members: list[int]) -> list[tuple[int, int]]:
    """The edges joining one blocking key's mentions: each to the smallest."""
    low = min(members)
    return [(m, low) for m in members if m != low]


def groups_in_memory(edges: Iterable[tuple[int, int]]) -> dict[int, int]:
    """node -> group label by the same star steps, in memory (to test the algorithm)."""
    current = {(max(u, v), min(u, v)) for u, v in edges if u != v}
    while True:
        both: dict[int, set[int]] = {}
        for u, v in current:
            both.setdefault(u, set()).add(v)
            both.setdefault(v, set()).add(u)
        step = {e for u, nb in both.items() for e in large_star(u, nb)}
        down: dict[int, set[int]] = {}
        for u, v in step:
            hi, lo = max(u, v), min(u, v)
            down.setdefault(hi, set()).add(lo)
        step = {e for u, nb in down.items() for e in small_star(u, nb)}
        if step == current:
            return {u: v for u, v in current}
        current = step
