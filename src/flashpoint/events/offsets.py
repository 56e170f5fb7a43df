"""Things found in a text (toponyms, actor matches), looked up by where they start.

Detection reads a text sentence by sentence and wants each sentence's own toponyms and actors;
filtering the text's whole list for every sentence takes time quadratic in the length of the
text (thousands of sentences and names in a long one). Here each lookup is a binary search.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Generic, Protocol, TypeVar


class _Placed(Protocol):
    start: int


T = TypeVar("T", bound=_Placed)


class ByStart(Generic[T]):
    """``items`` (any order) by their ``start`` offset."""

    def __init__(self, items: list[T]) -> None:
        self.items = items
        starts = [x.start for x in items]
        self._in_order = all(a <= b for a, b in zip(starts, starts[1:]))
        self._order = list(range(len(items))) if self._in_order else sorted(range(len(items)), key=starts.__getitem__)
        self._starts = starts if self._in_order else [starts[k] for k in self._order]

    def starting_in(self, start: int, end: int) -> list[T]:
        """The items with ``start <= item.start < end``, in the order of ``items``."""
        lo, hi = bisect_left(self._starts, start), bisect_left(self._starts, end)
        if self._in_order:
            return self.items[lo:hi]
        return [self.items[k] for k in sorted(self._order[lo:hi])]
