"""``flashpoint evaluate seeds DIR``: check a directory's ``expected.json``.

expected.json lists, per article file: ``required`` events (each must be matched by its own
emitted event), ``optional`` events (may be emitted), ``must_not`` mistakes, the boilerplate
lines cleaning must remove, and the outlet/dateline. Every emitted event must match a required
or optional entry: an event nobody expected (background coded as news, a duplicate) fails.
Events are matched on type, actors, country/admin, distance to the given point, precision,
fatalities, weapons, certainty and date, as far as the entry gives them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..ingest import read_inputs
from ..model import ArticleResult, Event
from ..places.normalise import fold
from ..places.resolve import haversine


@dataclass
class ArticleCheck:
    file: str
    passed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


@dataclass
class SeedsReport:
    articles: list[ArticleCheck]

    @property
    def passed(self) -> bool:
        return all(not a.failed for a in self.articles)

    def format(self) -> str:
        lines = []
        for a in self.articles:
            lines.append(f"== {a.file}: {len(a.events)} event(s)")
            for e in a.events:
                lines.append(
                    f"   {e.event_date or '?'} {e.sub_event_type} | {e.actor1} vs {e.actor2} | "
                    f"{e.location} ({e.country}, {e.admin1}) prec {e.geo_precision} | "
                    f"deaths {e.fatalities}{'' if e.fatalities_known else '+?'} | {', '.join(e.weapons)} | {e.certainty}"
                )
            lines += [f"   ok    {p}" for p in a.passed]
            lines += [f"   FAIL  {f}" for f in a.failed]
        total_fail = sum(len(a.failed) for a in self.articles)
        total_ok = sum(len(a.passed) for a in self.articles)
        lines.append(f"seeds: {'PASS' if self.passed else 'FAIL'} ({total_ok} checks passed, {total_fail} failed)")
        return "\n".join(lines)


def evaluate_seeds(directory: Path, *, pipeline) -> SeedsReport:
    spec = json.loads((directory / "expected.json").read_text("utf-8"))
    checks = []
    for entry in spec["articles"]:
        published = dt.date.fromisoformat(entry["published"]) if entry.get("published") else None
        items = list(read_inputs([str(directory / entry["file"])], published=published))
        results = list(pipeline.run(items))
        checks.append(check_article(entry, results[0] if results else None))
    return SeedsReport(checks)


def check_article(entry: dict[str, Any], result: ArticleResult | None) -> ArticleCheck:
    check = ArticleCheck(entry["file"])
    if result is None or result.error or result.clean is None:
        check.failed.append(f"article not processed: {result.error.reason if result and result.error else 'no result'}")
        return check
    events, clean = result.events, result.clean
    check.events = events
    _ok(check, not [b for b in entry.get("boilerplate_lines", []) if b in clean.text],
        "boilerplate lines removed from the cleaned text")
    if entry.get("outlet"):
        _ok(check, clean.outlet == entry["outlet"], f"outlet is {entry['outlet']!r} (got {clean.outlet!r})")
    if entry.get("dateline"):
        got = clean.dateline.place if clean.dateline else None
        _ok(check, got == entry["dateline"], f"dateline is {entry['dateline']!r} (got {got!r})")
        _ok(check, not [e for e in events if _same_name(e.location, entry["dateline"])],
            f"no event placed at the dateline {entry['dateline']!r}")

    unmatched = list(range(len(events)))
    for i, req in enumerate(entry.get("required", [])):
        scored = [(len(_mismatches(req, events[j])), j) for j in unmatched]
        best = min(scored, default=None)
        label = f"required #{i + 1} {req['sub_event_type']} at {req.get('location', '?')}"
        if best is not None and best[0] == 0:
            unmatched.remove(best[1])
            check.passed.append(label)
        else:
            why = "; ".join(_mismatches(req, events[best[1]])) if best else "no events at all"
            check.failed.append(f"{label}: closest event differs: {why}")
    for j in list(unmatched):
        if any(not _mismatches(opt, events[j]) for opt in entry.get("optional", [])):
            unmatched.remove(j)
    for j in unmatched:
        e = events[j]
        check.failed.append(f"unexpected event: {e.sub_event_type} at {e.location} on {e.event_date}: "
                            f"{e.sources[0].evidence[0].text[:90]!r}")
    for rule in entry.get("must_not", []):
        verdict = _must_not(rule, events, entry)
        if verdict is True:
            check.passed.append(f"must not: {rule}")
        elif verdict is False:
            check.failed.append(f"must not: {rule}")
    return check


def _ok(check: ArticleCheck, condition: bool, label: str) -> None:
    (check.passed if condition else check.failed).append(label)


def _mismatches(spec: dict[str, Any], e: Event) -> list[str]:
    bad = []
    for key in ("event_type", "sub_event_type", "country", "admin1", "admin2", "certainty",
                "fatalities", "fatalities_known", "date_precision"):
        if key in spec and getattr(e, key) != spec[key]:
            bad.append(f"{key} {getattr(e, key)!r} != {spec[key]!r}")
    if "event_date" in spec and (e.event_date.isoformat() if e.event_date else None) != spec["event_date"]:
        bad.append(f"event_date {e.event_date} != {spec['event_date']}")
    if "location" in spec and not _same_name(e.location, spec["location"]):
        bad.append(f"location {e.location!r} is not {spec['location']!r}")
    actors = {e.actor1, e.actor2, *e.assoc_actor_1.split("; "), *e.assoc_actor_2.split("; ")}
    for group in spec.get("actors_any_of", []):
        if not actors & set(group):
            bad.append(f"no actor among {group} (got {e.actor1!r}, {e.actor2!r})")
    near = spec.get("near")
    if near:
        if e.latitude is None:
            bad.append("no coordinates")
        else:
            km = haversine(e.latitude, e.longitude, near["lat"], near["lon"])
            if km > near["within_km"]:
                bad.append(f"{km:.0f} km from the expected point (> {near['within_km']})")
    if "geo_precision_at_least" in spec and (e.geo_precision or 0) < spec["geo_precision_at_least"]:
        bad.append(f"geo_precision {e.geo_precision} < {spec['geo_precision_at_least']}")
    missing = set(spec.get("weapons_include", [])) - set(e.weapons)
    if missing:
        bad.append(f"weapons lack {sorted(missing)}")
    # Conditions written in an optional entry's note: "acceptable only with geo_precision 3".
    for field_name, value in re.findall(r"(geo_precision|date_precision) (\d)", spec.get("note", "")):
        if "only with" in spec.get("note", "") and getattr(e, field_name) != int(value):
            bad.append(f"{field_name} {getattr(e, field_name)} != {value} (note)")
    for value in re.findall(r"only with certainty '(\w+)'", spec.get("note", "")):
        if e.certainty != value:
            bad.append(f"certainty {e.certainty} != {value} (note)")
    return bad


def _must_not(rule: str, events: list[Event], entry: dict[str, Any]) -> bool | None:
    """Check a must-not rule where its wording says what to look for; None when it cannot
    be read mechanically (those are covered by "every event must be expected")."""
    m = re.search(r"located in (\w[\w ]*?)\b \(", rule) or re.search(r"located in (\w+)", rule)
    if m:
        return not any(_same_name(e.location, m.group(1)) for e in events)
    m = re.search(r"dated (\d{4}-\d{2}-\d{2})", rule)
    if m:
        return not any(e.event_date and e.event_date.isoformat() == m.group(1) for e in events)
    m = re.search(r"dated in (\d{4})", rule)
    if m:
        return not any(e.event_date and e.event_date.year == int(m.group(1)) for e in events)
    m = re.search(r"actor '([^']+)'", rule)
    if m:
        return not any(m.group(1) in (e.actor1, e.actor2) for e in events)
    if "evidence" in rule and ("donation" in rule or "image" in rule):
        lines = set(entry.get("boilerplate_lines", []))
        return not any(ev.text in lines or any(ev.text in b for b in lines)
                       for e in events for s in e.sources for ev in s.evidence)
    return None


def _fold(text: str) -> str:
    return fold(text).replace(" ", "")  # the gazetteer's folding: "Aarsâl" ~ "Arsal"


def _same_name(got: str | None, want: str) -> bool:
    if not got:
        return False
    a, b = _fold(got), _fold(want)
    return bool(a) and bool(b) and (a in b or b in a)
