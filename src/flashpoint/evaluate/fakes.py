"""FA-KES governorate check: the governorate (admin1) of each FA-KES article's main event,
found by the full extract pipeline, against the article's ``location_hint``.

    report = evaluate_fakes(corpus_path, pipeline=Pipeline(Resources.load()),
                            aliases=GovernorateAliases.load())
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..datafiles import read_toml
from ..model import Article


@dataclass(frozen=True)
class GovernorateAliases:
    """``data/places_fakes.toml``: FA-KES hint -> accepted admin1 names."""

    accepted: dict[str, tuple[str, ...]]

    @classmethod
    def load(cls, path: Path | None = None) -> GovernorateAliases:
        data = read_toml(path, "places_fakes.toml")
        return cls({k.lower(): tuple(v) for k, v in data["governorates"].items()})

    def agrees(self, hint: str, admin1: str | None) -> bool:
        return admin1 is not None and admin1 in self.accepted.get(hint.strip().lower(), (hint.title(),))


@dataclass(frozen=True)
class FakesReport:
    articles: int
    with_event: int
    with_admin1: int
    agree: int
    confusion: tuple[tuple[str, str, int], ...]  # (hint, predicted admin1 or "-", count)

    @property
    def agreement(self) -> float:
        """Over articles with an event (an event without a governorate counts as wrong)."""
        return self.agree / self.with_event if self.with_event else 0.0

    def format(self) -> str:
        lines = [
            f"FA-KES: {self.articles} articles, {self.with_event} with an event "
            f"({self.with_event / self.articles:.1%} coverage), {self.with_admin1} with a governorate",
            f"  governorate agreement over articles with an event: {self.agreement:.3f} "
            f"({self.agree}/{self.with_event})",
            f"  over events with a governorate: {self.agree / self.with_admin1 if self.with_admin1 else 0:.3f}",
            "  disagreements (hint -> main event's admin1: count):",
        ]
        lines += [f"    {h} -> {p}: {n}" for h, p, n in self.confusion[:20]]
        return "\n".join(lines)


def fakes_articles(path: Path) -> Iterator[tuple[Article, str]]:
    """FA-KES articles of the shared corpus, each with its ``location_hint``."""
    with Path(path).open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            d = json.loads(line)
            if d.get("source_dataset") != "FA-KES":
                continue
            published = None
            try:
                published = dt.date.fromisoformat(str(d.get("date") or "")[:10])
            except ValueError:
                pass
            yield (Article(id=str(d["id"]), text=d["text"], origin=f"{path}:{n}", title=d.get("title"),
                           published=published, outlet=d.get("outlet")), str(d.get("location_hint") or ""))


HALVES = ("all", "even", "odd")


def evaluate_fakes(path: Path, *, pipeline: Any, aliases: GovernorateAliases,
                   limit: int | None = None, half: str = "all") -> FakesReport:
    """``half``: "even" (FA-KES articles 0, 2, 4, ... in file order: the half the place rules
    were developed on), "odd" (held out) or "all"; ``limit`` applies after the split."""
    if half not in HALVES:
        raise ValueError(f"half must be one of {HALVES}, not {half!r}")
    items = list(fakes_articles(path))
    if half != "all":
        items = items[(0 if half == "even" else 1)::2]
    items = items[:limit]
    hints = {a.id: h for a, h in items}
    articles = with_event = with_admin1 = agree = 0
    confusion: Counter[tuple[str, str]] = Counter()
    for result in pipeline.run(a for a, _ in items):
        articles += 1
        if result.error is not None or not result.events:
            continue
        with_event += 1
        hint = hints[result.article_id]
        admin1 = result.events[0].admin1  # the main event comes first
        with_admin1 += admin1 is not None
        if aliases.agrees(hint, admin1):
            agree += 1
        else:
            confusion[(hint, admin1 or "-")] += 1
    return FakesReport(articles, with_event, with_admin1, agree,
                       tuple((h, p, n) for (h, p), n in confusion.most_common()))
