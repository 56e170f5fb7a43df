"""What a round of polls did, as the watcher tells its user (``flashpoint watch`` prints these
lines on stderr): per feed, and for the round."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

# an item's outcome (feed_items.outcome) -> how a report says it
_SAID = {"new": "stored", "duplicate": "already stored", "copy": "near-duplicate copies", "skipped": "skipped",
         "failed": "failed"}


@dataclass
class FeedReport:
    """What polling one feed did, for the user."""

    feed_id: int
    name: str
    url: str
    status: str  # ok | not-modified | failing | interrupted
    error: str | None = None
    outcomes: Counter = field(default_factory=Counter)  # item outcome -> count
    problems: list[str] = field(default_factory=list)  # per item, one line each
    events_new: int = 0
    events_merged: int = 0
    next_poll: dt.datetime | None = None

    def line(self) -> str:
        if self.status == "failing":
            when = f" (next try {self.next_poll:%Y-%m-%d %H:%M} UTC)" if self.next_poll else ""
            return f"{self.name}: failing: {self.error}{when}"
        if self.status == "not-modified":
            return f"{self.name}: not modified"
        if self.status == "interrupted":
            return f"{self.name}: interrupted (its remaining items are polled next time)"
        items = sum(self.outcomes.values())
        said = ", ".join(f"{self.outcomes[k]} {label}" for k, label in _SAID.items() if self.outcomes[k])
        return (f"{self.name}: {items} new item(s){': ' + said if said else ''}; events: {self.events_new} new, "
                f"{self.events_merged} merged")


@dataclass
class RoundReport:
    """What a round did: its feeds' reports, in the order polled."""

    feeds: list[FeedReport] = field(default_factory=list)
    interrupted: bool = False

    def line(self) -> str:
        status = Counter(f.status for f in self.feeds)
        items = sum((f.outcomes for f in self.feeds), Counter())
        return (f"{len(self.feeds)} feed(s) polled ({status['ok']} ok, {status['not-modified']} not modified, "
                f"{status['failing']} failing); items: {items['new']} stored, {items['duplicate']} already stored, "
                f"{items['copy']} near-duplicate copies, {items['skipped']} skipped, {items['failed']} failed; "
                f"events: {sum(f.events_new for f in self.feeds)} new, {sum(f.events_merged for f in self.feeds)} "
                "merged" + ("; interrupted (run again to resume)" if self.interrupted else ""))
