"""``flashpoint evaluate events GOLD``: the pipeline's events against hand-coded whole articles.

    report = evaluate_events(gold_path, pipeline=Pipeline(Resources.load()), half="all")
    print(report.format(details=True))

GOLD is JSON Lines, one article a line (``id``, ``title``, ``text``, ``published``,
``source``) with ``events``: every event a careful coder codes from it, some marked
``optional``. The figures are those of the reference scorer ``../shared/tools/score_events.py``
and must stay equal to them for the same events. The matching rule, per article:

* gold events are taken in order, required ones before optional ones;
* a system event can match a gold event when it is within 50 km of it (or, when the gold
  event has no coordinates, names the same place) and their dates are at most 2 days apart
  (an unknown date does not block);
* among those, the one that agrees on sub-event type, then event type, then is nearest, is
  taken; each system event matches at most one gold event;
* a required gold event left unmatched is a miss; an optional one costs nothing when missed
  and counts as a hit when matched; every system event left unmatched is a false event.

Articles are split into two fixed halves by a hash of their id: the typing and place rules
are studied on the even half, and the odd half is reported beside it as held out.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..ingest import read_inputs
from ..model import Event, ItemError

Record = dict[str, Any]  # one event as JSON: a gold event, or a system Event.to_dict()

HALVES = ("all", "even", "odd")
NEAR_KM = 50  # farther than this, two events are not the same event
CLOSE_KM = 25  # a matched pair this close counts as agreeing on the place
DATE_TOLERANCE_DAYS = 2
AGREEMENT_FIELDS = ("event_type", "sub_event_type", "within_25km", "date", "fatalities", "actor1")
_EARTH_RADIUS_KM = 6371
_EVIDENCE_CHARS = 140


@dataclass(frozen=True)
class GoldArticle:
    id: str
    events: tuple[Record, ...]
    title: str = ""

    @property
    def half(self) -> str:
        return half_of(self.id)


def read_gold(path: Path) -> list[GoldArticle]:
    """The articles of a gold file, in file order; ValueError naming the line of a bad one."""
    articles = []
    with Path(path).open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as exc:
                raise ValueError(f"{path}:{n}: invalid JSON ({exc})") from None
            if not isinstance(row, dict) or "id" not in row or not isinstance(row.get("events"), list):
                raise ValueError(f"{path}:{n}: a gold article needs an 'id' and an 'events' list")
            articles.append(GoldArticle(str(row["id"]), tuple(row["events"]), str(row.get("title") or "")))
    return articles


def half_of(article_id: str) -> str:
    """"even" or "odd": fixed by the id alone, so no change to the file moves an article."""
    return "even" if int(hashlib.sha1(article_id.encode("utf-8")).hexdigest(), 16) % 2 == 0 else "odd"


def in_half(article_id: str, half: str) -> bool:
    return half == "all" or half_of(article_id) == half


# ---------------------------------------------------------------------------
# Matching
# ---------------------------------------------------------------------------


def distance_km(a: Record, b: Record) -> float:
    """Great-circle distance; infinite when either event has no coordinates."""
    a_lat, a_lon, b_lat, b_lon = a.get("latitude"), a.get("longitude"), b.get("latitude"), b.get("longitude")
    if a_lat is None or a_lon is None or b_lat is None or b_lon is None:
        return math.inf
    # Computed in the reference scorer's order of operations, so that a distance on the 25 or
    # 50 km line, or a tie between two candidates, comes out the same to the last bit.
    p1, p2 = math.radians(a_lat), math.radians(b_lat)
    dp, dl = p2 - p1, math.radians(b_lon - a_lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return _EARTH_RADIUS_KM * 2 * math.asin(math.sqrt(h))


def days_apart(a: Any, b: Any) -> int:
    """Days between two ISO dates; 0 when either is missing or unreadable (it does not block)."""
    try:
        return abs((dt.date.fromisoformat(a[:10]) - dt.date.fromisoformat(b[:10])).days)
    except (TypeError, ValueError):
        return 0


def normalise_name(name: str | None) -> str:
    return re.sub(r"[^a-z0-9 ]", "", (name or "").lower().replace("-", " ")).strip()


def same_name(a: str | None, b: str | None) -> bool:
    """Same place or actor: one name holds the other, or most words of the shorter are shared
    ("Deir ez-Zor" ~ "Deir ez-Zor Governorate"). Two empty names are the same."""
    a, b = normalise_name(a), normalise_name(b)
    if not a or not b:
        return a == b
    if a in b or b in a:
        return True
    words_a, words_b = set(a.split()), set(b.split())
    return len(words_a & words_b) / max(1, min(len(words_a), len(words_b))) >= 0.6


def can_match(system: Record, gold: Record, km: float) -> bool:
    # A gold event the coder could not place on the map is found by its place name.
    near = km <= NEAR_KM or (gold.get("latitude") is None and same_name(system.get("location"), gold.get("location")))
    return near and days_apart(system.get("event_date"), gold.get("event_date")) <= DATE_TOLERANCE_DAYS


def preference(system: Record, gold: Record, km: float) -> tuple[bool, bool, float]:
    """Sorts the candidates for a gold event: same sub-event type, then same event type, then nearest."""
    return (system.get("sub_event_type") != gold.get("sub_event_type"),
            system.get("event_type") != gold.get("event_type"), km)


@dataclass(frozen=True)
class Pair:
    gold: Record
    system: Record | None  # None: nothing matched this gold event
    km: float


@dataclass(frozen=True)
class ArticleMatch:
    article: GoldArticle
    pairs: tuple[Pair, ...]
    false: tuple[Record, ...]  # system events that matched no gold event

    @property
    def misses(self) -> list[Record]:
        return [p.gold for p in self.pairs if p.system is None and not p.gold.get("optional")]


def match_article(article: GoldArticle, system_events: Sequence[Record]) -> ArticleMatch:
    pool = list(system_events)
    pairs = []
    # Required first, so an optional event never takes the system event a required one needs;
    # the sort is stable, so the coder's order decides among equals.
    for gold in sorted(article.events, key=lambda e: bool(e.get("optional"))):
        best: tuple[tuple[bool, bool, float], int] | None = None
        for i, system in enumerate(pool):
            km = distance_km(system, gold)
            if not can_match(system, gold, km):
                continue
            key = preference(system, gold, km)
            if best is None or key < best[0]:  # strictly better: on a tie the earlier event stays
                best = (key, i)
        if best is None:
            pairs.append(Pair(gold, None, math.inf))
        else:
            pairs.append(Pair(gold, pool.pop(best[1]), best[0][2]))
    return ArticleMatch(article, tuple(pairs), tuple(pool))


def events_by_article(records: Iterable[Record]) -> dict[str, list[Record]]:
    """System events under each article that their sources name (once per article), in order."""
    grouped: dict[str, list[Record]] = {}
    for record in records:
        ids = (s.get("article_id") for s in record.get("sources") or [])
        for article_id in dict.fromkeys(i for i in ids if i):
            grouped.setdefault(article_id, []).append(record)
    return grouped


# ---------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------


def agreements(pair: Pair) -> dict[str, bool]:
    """Which fields of a matched pair agree (empty on both sides counts as agreeing)."""
    system, gold = pair.system or {}, pair.gold
    return {
        "event_type": system.get("event_type") == gold.get("event_type"),
        "sub_event_type": system.get("sub_event_type") == gold.get("sub_event_type"),
        "within_25km": pair.km <= CLOSE_KM,
        "date": (system.get("event_date") or "")[:10] == (gold.get("event_date") or "")[:10],
        # As text: the gold may write a count where the system gives a number, and None == None.
        "fatalities": str(system.get("fatalities")) == str(gold.get("fatalities")),
        "actor1": same_name(system.get("actor1"), gold.get("actor1")),
    }


@dataclass(frozen=True)
class Scores:
    articles: int = 0
    matched: int = 0
    false: int = 0
    missed: int = 0
    agree: Mapping[str, int] = field(default_factory=dict)
    no_event_articles: int = 0
    no_event_false: int = 0  # false events in articles with no gold event at all

    @classmethod
    def of(cls, matches: Iterable[ArticleMatch]) -> Scores:
        matches = list(matches)
        agree: Counter[str] = Counter({name: 0 for name in AGREEMENT_FIELDS})
        for m in matches:
            for pair in m.pairs:
                if pair.system is not None:
                    agree.update(name for name, ok in agreements(pair).items() if ok)
        return cls(
            articles=len(matches),
            matched=sum(p.system is not None for m in matches for p in m.pairs),
            false=sum(len(m.false) for m in matches),
            missed=sum(len(m.misses) for m in matches),
            agree=dict(agree),
            no_event_articles=sum(not m.article.events for m in matches),
            no_event_false=sum(len(m.false) for m in matches if not m.article.events),
        )

    @property
    def precision(self) -> float:
        return self.matched / (self.matched + self.false) if self.matched + self.false else 0.0

    @property
    def recall(self) -> float:
        return self.matched / (self.matched + self.missed) if self.matched + self.missed else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def figures(self) -> dict[str, float | int]:
        """The reference scorer's figures, under its names and in its order."""
        out: dict[str, float | int] = {"event_precision": self.precision, "event_recall": self.recall,
                                       "event_f1": self.f1}
        for name in AGREEMENT_FIELDS:
            out[f"{name}_on_matched"] = self.agree.get(name, 0) / max(1, self.matched)
        out["false_events_per_no_event_article"] = self.no_event_false / max(1, self.no_event_articles)
        out["matched"], out["false"], out["missed"] = self.matched, self.false, self.missed
        return out


def format_figures(figures: Mapping[str, float | int]) -> list[str]:
    """``name = value`` lines, floats to 3 places, as the reference scorer prints them."""
    return [f"{k} = {v:.3f}" if isinstance(v, float) else f"{k} = {v}" for k, v in figures.items()]


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------


@dataclass
class EventsReport:
    half: str  # the articles the figures and details are about: "all", "even" or "odd"
    matches: list[ArticleMatch]  # those articles
    halves: dict[str, Scores]  # "even" and "odd", whatever ``half`` is
    events: list[Event] = field(default_factory=list)  # the system events of those articles
    skipped: list[ItemError] = field(default_factory=list)  # gold articles the pipeline could not read

    @property
    def scores(self) -> Scores:
        return Scores.of(self.matches)

    def format(self, *, details: bool = False) -> str:
        lines = self._details() if details else []
        lines += format_figures(self.scores.figures())
        lines += ["", f"by half (scored above: {self.half}; rules are studied on even, odd is held out)"]
        even, odd = self.halves["even"], self.halves["odd"]
        lines.append(f"{'':<16}{'even':>7}{'odd':>7}")
        lines.append(f"{'articles':<16}{even.articles:>7}{odd.articles:>7}")
        for name, e, o in (("event_precision", even.precision, odd.precision),
                           ("event_recall", even.recall, odd.recall), ("event_f1", even.f1, odd.f1)):
            lines.append(f"{name:<16}{e:>7.3f}{o:>7.3f}")
        return "\n".join(lines)

    def _details(self) -> list[str]:
        lines = []
        for m in self.matches:
            if not m.misses and not m.false:
                continue
            title = f": {m.article.title}" if m.article.title else ""
            lines.append(f"== {m.article.id}{title}")
            lines += [f"   MISS  {_describe(g)} | {_shorten(_gold_evidence(g))}" for g in m.misses]
            lines += [f"   FALSE {_describe(s)} | {_shorten(_system_evidence(s))}" for s in m.false]
        return lines + ([""] if lines else [])


def _describe(event: Record) -> str:
    return f"{event.get('event_date') or '?'} {event.get('sub_event_type')} @ {event.get('location')}"


def _gold_evidence(event: Record) -> str:
    evidence = event.get("evidence") or [""]
    return str(evidence[0])


def _system_evidence(event: Record) -> str:
    evidence = ((event.get("sources") or [{}])[0].get("evidence") or [{}])[0]
    return str(evidence.get("text", "")) if isinstance(evidence, dict) else str(evidence)


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _EVIDENCE_CHARS else text[:_EVIDENCE_CHARS - 1] + "…"


def score_events(gold: Sequence[GoldArticle], system: Iterable[Record], *, half: str = "all") -> EventsReport:
    """Score system events (``Event.to_dict()`` records) against ``gold``; only gold articles count."""
    if half not in HALVES:
        raise ValueError(f"half must be one of {HALVES}, not {half!r}")
    grouped = events_by_article(system)
    matches = [match_article(a, grouped.get(a.id, [])) for a in gold]
    return EventsReport(
        half=half,
        matches=[m for m in matches if in_half(m.article.id, half)],
        halves={h: Scores.of(m for m in matches if m.article.half == h) for h in ("even", "odd")},
    )


def evaluate_events(path: Path, *, pipeline: Any, half: str = "all") -> EventsReport:
    """Run ``pipeline`` over every article of the gold file and score its events.

    Both halves are always run, since both are reported; ``half`` picks the articles whose
    figures, details and events the report gives."""
    gold = read_gold(path)
    events: list[Event] = []
    skipped: list[ItemError] = []
    for result in pipeline.run(read_inputs([str(path)])):
        if result.error is not None:
            skipped.append(result.error)
        else:
            events.extend(result.events)
    # Through JSON, so that what is scored is exactly what `flashpoint extract --format jsonl`
    # writes and the reference scorer reads.
    records = [json.loads(json.dumps(e.to_dict(), ensure_ascii=False)) for e in events]
    return replace(score_events(gold, records, half=half), skipped=skipped,
                   events=[e for e in events if any(in_half(s.article_id, half) for s in e.sources)])
