"""An article's temporal expressions indexed by position, for dating its sentences one by one.

:func:`~flashpoint.dates.event.event_date` looks, for one sentence, at the expressions inside
it, the last point before it, the first point after it in its paragraph, the captions and the
stamps. Over a plain list each look is a pass over the whole article, so dating every sentence
of a long article (a page flattened to one line of 1M characters has thousands of sentences
and expressions) took time quadratic in its length; here each is a binary search or a short
walk from the sentence.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator

from .lexicon import TemporalExpression

_DAY = dt.timedelta(days=1)


class Timeline:
    """``expressions`` (in text order, as :func:`~flashpoint.dates.find_temporal_expressions`
    returns them) of ``text``, with the article's own date ``published`` and its item openers
    ``threads`` (:meth:`~flashpoint.dates.DateFinder.thread_openers`). Read-only."""

    def __init__(self, expressions: list[TemporalExpression], *, text: str, published: dt.date | None,
                 threads: list[tuple[int, int]]) -> None:
        starts = [e.start for e in expressions]
        if any(a > b for a, b in zip(starts, starts[1:])):
            raise ValueError("temporal expressions must be in text order")
        self.expressions = expressions
        self.text = text
        self.published = published
        self.threads = threads
        self._starts = starts
        self._dropped: frozenset[int] = frozenset()  # ids left out by ``without``
        self._points = [e for e in expressions if e.kind == "point"]
        self._point_starts = [e.start for e in self._points]
        # A date after publication cannot be the narrative's anchor: for each point, the index
        # of the latest one at or before it that can.
        limit = published + _DAY if published is not None else None
        self._last_usable: list[int] = []
        for i, e in enumerate(self._points):
            usable = limit is None or e.date is None or e.date <= limit
            self._last_usable.append(i if usable else (self._last_usable[-1] if i else -1))
        self._thread_starts = [a for a, _ in threads]
        self._breaks: list[int] | None = None  # where paragraphs end, read when first needed
        self._caption_days: dict[dt.date, TemporalExpression] = {}  # the first caption of each day
        for e in expressions:
            if e.kind == "caption" and e.date is not None:
                self._caption_days.setdefault(e.date, e)
        self._sorted_caption_days = sorted(self._caption_days)
        self.first_stamp = next((e.date for e in expressions if e.kind == "stamp" and e.date is not None), None)

    def without(self, dropped: list[TemporalExpression]) -> Timeline:
        """The same timeline less ``dropped`` (points of one sentence: the days it gives an
        earlier event, ``prior_days``)."""
        self._paragraph_breaks()  # (read here, once for the copies too)
        other = object.__new__(Timeline)
        other.__dict__.update(self.__dict__)
        other._dropped = self._dropped | {id(e) for e in dropped}
        return other

    def between(self, start: int, end: int) -> Iterator[TemporalExpression]:
        """The expressions that start in ``[start, end]``, in text order."""
        lo, hi = bisect_left(self._starts, start), bisect_right(self._starts, end)
        return (e for e in self.expressions[lo:hi] if id(e) not in self._dropped)

    def within(self, start: int, end: int) -> list[TemporalExpression]:
        """The expressions that start in ``[start, end)``, in text order (a sentence's own)."""
        return [e for e in self.between(start, end) if e.start < end]

    def thread_start(self, offset: int) -> int:
        """Where the item of the report holding ``offset`` begins: the end of the latest opener
        that starts at or before it; 0 when none does."""
        i = bisect_right(self._thread_starts, offset) - 1
        return self.threads[i][1] if i >= 0 else 0

    def anchor_before(self, start: int, thread: int = 0) -> TemporalExpression | None:
        """The last point that ends by ``start`` and starts at or after ``thread`` (a round-up's
        items each have their own day), not dated after publication: the narrative's anchor."""
        i = bisect_right(self._point_starts, start) - 1
        while i >= 0:
            i = self._last_usable[i]
            if i < 0:
                return None
            e = self._points[i]
            if e.start < thread:
                return None
            if e.end <= start and id(e) not in self._dropped:
                return e
            i -= 1
        return None

    def paragraph_end(self, end: int) -> int:
        """Where the paragraph holding offset ``end`` ends: the next paragraph break, or the
        next item opener of a round-up ("Meanwhile, ... last night"), or the text's end."""
        breaks = self._paragraph_breaks()
        i = bisect_left(breaks, end)
        para_end = breaks[i] if i < len(breaks) else len(self.text)
        j = bisect_left(self._thread_starts, end)
        return min(self._thread_starts[j], para_end) if j < len(self._thread_starts) else para_end

    def _paragraph_breaks(self) -> list[int]:
        if self._breaks is None:
            # Paragraphs end at blank lines in hard-wrapped wire copy, else at every line break.
            pattern = r"\n(?=\n)" if "\n\n" in self.text else r"\n"
            self._breaks = [m.start() for m in re.finditer(pattern, self.text)]
        return self._breaks

    def points_from(self, start: int, end: int) -> Iterator[TemporalExpression]:
        """The points that start in ``[start, end)``, in text order."""
        i = bisect_left(self._point_starts, start)
        while i < len(self._points) and self._points[i].start < end:
            if id(self._points[i]) not in self._dropped:
                yield self._points[i]
            i += 1

    def caption_for(self, day: dt.date) -> TemporalExpression | None:
        """The caption whose date is the only caption date from six days before ``day`` to
        ``day`` (it then fixes the day of a result known only to within a few days)."""
        days = self._sorted_caption_days
        low = day - 6 * _DAY if day.toordinal() > 6 else dt.date.min
        lo, hi = bisect_left(days, low), bisect_right(days, day)
        return self._caption_days[days[lo]] if hi - lo == 1 else None
