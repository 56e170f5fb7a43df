"""``flashpoint evaluate muc4 FILE``: the pipeline against the MUC-4 answer keys.

Each line of the file is one FBIS wire report (``docid``, upper-case ``text``) with its
answer-key ``templates`` (none when the report describes no terrorist incident). The
articles go through the whole extraction pipeline; the report gives:

* incident detection, per document: a document with at least one template should give at
  least one event, a document without any should give none;
* per field, over the templates of documents that gave events: each template is aligned
  one-to-one with the event that agrees with it on most fields (greedy, best pairs first);
  a field is then right when the aligned event agrees on it. ``accuracy`` divides by the
  aligned templates that fill the field, ``recall`` by all templates that fill it.

Fields: incident type (through the table in ``data/muc4.toml``), perpetrator organisation
(actor1, compared after normalising the key's names through the actor dictionary),
weapon (instrument type through the same data file), date (exact day; only templates giving
one exact day are scored) and place (the key's most specific named place against the event's
location, admin2 or admin1; a key naming only a country against the event's country).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..actors import ActorDictionary
from ..datafiles import read_toml
from ..model import ArticleResult, Event

FIELDS = ("type", "perpetrator", "weapon", "date", "place", "country")
HALVES = ("all", "even", "odd")
_MONTHS = {m: i + 1 for i, m in enumerate(
    ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"])}
_DAY = re.compile(r"^(\d{1,2}) ([A-Z]{3})[A-Z]* (\d{2})$")


@dataclass(frozen=True)
class Muc4Mapping:
    """The comparison tables of ``data/muc4.toml``."""

    version: str
    incident_types: dict[str, frozenset[str]]
    instrument_types: dict[str, frozenset[str]]

    @classmethod
    def load(cls, path: Path | None = None) -> Muc4Mapping:
        data = read_toml(path, "muc4.toml")
        return cls(
            version=str(data.get("version", "")),
            incident_types={k: frozenset(v) for k, v in data["incident_types"].items()},
            instrument_types={k: frozenset(v) for k, v in data["instrument_types"].items()},
        )


@dataclass(frozen=True)
class Template:
    """The fields of one answer-key template that the evaluation scores."""

    incident_type: str
    exact_days: frozenset[dt.date]  # empty when the key gives no single exact day
    country: str | None
    places: tuple[str, ...]  # named places below the country, folded, most specific last
    perpetrators: tuple[str, ...]  # organisation names as written (alternatives flattened)
    weapons: frozenset[str]  # codebook weapon names


@dataclass(frozen=True)
class KeyDocument:
    docid: str
    text: str
    templates: tuple[Template, ...]


def read_muc4(path: Path, *, mapping: Muc4Mapping, limit: int | None = None) -> list[KeyDocument]:
    docs = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            rec = json.loads(line)
            templates = tuple(parse_template(t, mapping=mapping) for t in rec.get("templates") or ())
            docs.append(KeyDocument(rec["docid"], rec["text"], templates))
            if limit is not None and len(docs) >= limit:
                break
    return docs


def parse_template(raw: dict[str, list[str]], *, mapping: Muc4Mapping) -> Template:
    location = (raw.get("INCIDENT: LOCATION") or ["-"])[0]
    first = _alternatives(location)[0] if location not in ("-", "*") else ""
    parts = [p.strip() for p in re.split(r":|\s-\s", first) if p.strip()]
    country = _fold(parts[0]) if parts else None
    places = tuple(_fold(re.sub(r"\([^)]*\)", "", p)) for p in parts[1:])
    days: set[dt.date] = set()
    for value in raw.get("INCIDENT: DATE", []):
        for alt in _alternatives(value):
            m = _DAY.match(alt.upper())
            if m and m.group(2) in _MONTHS:
                try:
                    days.add(dt.date(1900 + int(m.group(3)), _MONTHS[m.group(2)], int(m.group(1))))
                except ValueError:  # the keys hold a few impossible days ("31 SEP 89")
                    pass
    perps: list[str] = []
    for value in raw.get("PERP: ORGANIZATION ID", []):
        perps += [q for alt in _alternatives(value) if (q := _unquote(alt))]
    weapons: set[str] = set()
    for value in raw.get("INCIDENT: INSTRUMENT TYPE", []):
        for alt in _alternatives(value):
            kind, _, instrument = alt.partition(":")
            names = [k.strip(" ?") for k in kind.split("/")] if instrument else [_unquote(kind)]
            for name in names:
                weapons |= mapping.instrument_types.get(name.upper(), frozenset())
    incident = (raw.get("INCIDENT: TYPE") or [""])[0].strip(" ?")
    return Template(incident, frozenset(days), country, places, tuple(perps), frozenset(weapons))


def _alternatives(value: str) -> list[str]:
    """"A / B / (C)": the key's alternative fills, without brackets around whole fills."""
    alts = [a.strip() for a in re.split(r"\s/\s", value) if a.strip()]
    return [a[1:-1].strip() if a.startswith("(") and a.endswith(")") else a for a in alts]


def _unquote(text: str) -> str:
    text = text.strip().lstrip("?").strip()
    if text in ("*", "-", '"-"'):
        return ""
    return re.sub(r"\[[^\]]*\]", "", text.strip('"').replace('\\"', '"')).strip()


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text.lower() if c.isalpha())


# ---------------------------------------------------------------------------------------
# Scoring
# ---------------------------------------------------------------------------------------


@dataclass
class FieldScore:
    scored: int = 0  # templates that fill the field
    aligned: int = 0  # ... of which aligned with an event
    correct: int = 0

    @property
    def accuracy(self) -> float:
        return self.correct / self.aligned if self.aligned else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.scored if self.scored else 0.0


@dataclass
class Muc4Report:
    version: str
    documents: int = 0
    tp: int = 0  # documents with templates that gave events
    fp: int = 0
    fn: int = 0
    tn: int = 0
    templates: int = 0
    aligned: int = 0
    events: int = 0
    fields: dict[str, FieldScore] = field(default_factory=lambda: {f: FieldScore() for f in FIELDS})
    errors: int = 0

    def format(self) -> str:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        acc = (self.tp + self.tn) / self.documents if self.documents else 0.0
        lines = [
            f"MUC-4: {self.documents} documents, {self.templates} templates, {self.events} events "
            f"(mapping {self.version}; {self.errors} documents failed)",
            "",
            "incident detection (document has >= 1 template vs >= 1 event)",
            f"  precision {p:.3f}  recall {r:.3f}  F1 {f1:.3f}  accuracy {acc:.3f}"
            f"  (TP {self.tp} FP {self.fp} FN {self.fn} TN {self.tn})",
            f"  templates aligned with an event: {self.aligned}/{self.templates}",
            "",
            f"{'field':<13}{'scored':>8}{'aligned':>9}{'correct':>9}{'accuracy':>10}{'recall':>9}",
        ]
        for name in FIELDS:
            s = self.fields[name]
            lines.append(f"{name:<13}{s.scored:>8}{s.aligned:>9}{s.correct:>9}{s.accuracy:>10.3f}{s.recall:>9.3f}")
        lines.append("accuracy = correct / aligned templates filling the field; recall = correct / all such templates")
        return "\n".join(lines)


@dataclass(frozen=True)
class _Checks:
    """Which fields of one template an event gets right (None: the template leaves it empty)."""

    values: dict[str, bool | None]

    @property
    def agreement(self) -> int:
        return sum(1 for v in self.values.values() if v)


def check_event(t: Template, e: Event, *, mapping: Muc4Mapping, actors: ActorDictionary) -> _Checks:
    accepted = mapping.incident_types.get(t.incident_type, frozenset())
    gold_place = t.places[-1] if t.places else None
    names = {_fold(n) for n in (e.location, e.admin2, e.admin1) if n}
    values: dict[str, bool | None] = {
        "type": e.sub_event_type in accepted,
        "perpetrator": perpetrator_matches(t, e, actors=actors) if t.perpetrators else None,
        "weapon": bool(t.weapons & set(e.weapons)) if t.weapons else None,
        "date": (e.event_date in t.exact_days) if t.exact_days else None,
        "place": (gold_place in names) if gold_place else (
            _fold(e.country or "") == t.country if t.country else None),
        "country": (_fold(e.country or "") == t.country) if t.country else None,
    }
    return _Checks(values)


def perpetrator_matches(t: Template, e: Event, *, actors: ActorDictionary) -> bool:
    """Does actor1 name the key's organisation, once both go through the actor dictionary?"""
    if not e.actor1:
        return False
    day = min(t.exact_days) if t.exact_days else e.event_date
    country = _country_name(t.country, actors)
    wanted = set()
    for name in t.perpetrators:
        wanted.add(_fold(name))
        for match in actors.find(name):
            actor = actors.resolve(match, on=day, country=country, context=name)
            if actor is not None:
                wanted.add(_fold(actor.name))
    return _fold(e.actor1) in wanted


def _country_name(folded: str | None, actors: ActorDictionary) -> str | None:
    if not folded:
        return None
    return next((name for low, name in actors.countries.items() if _fold(low) == folded), None)


def score_document(doc: KeyDocument, events: list[Event], report: Muc4Report, *,
                   mapping: Muc4Mapping, actors: ActorDictionary) -> None:
    report.documents += 1
    report.events += len(events)
    report.templates += len(doc.templates)
    has_key, has_events = bool(doc.templates), bool(events)
    report.tp += has_key and has_events
    report.fp += has_events and not has_key
    report.fn += has_key and not has_events
    report.tn += not has_key and not has_events
    checks = {(i, j): check_event(t, e, mapping=mapping, actors=actors)
              for i, t in enumerate(doc.templates) for j, e in enumerate(events)}
    pairs = sorted(checks, key=lambda ij: (-checks[ij].agreement, ij))
    taken_t: set[int] = set()
    taken_e: set[int] = set()
    aligned: dict[int, _Checks] = {}
    for i, j in pairs:
        if i not in taken_t and j not in taken_e:
            taken_t.add(i)
            taken_e.add(j)
            aligned[i] = checks[(i, j)]
    report.aligned += len(aligned)
    for i, t in enumerate(doc.templates):
        filled = _filled(t)
        for name in FIELDS:
            s = report.fields[name]
            if not filled[name]:
                continue
            s.scored += 1
            if i in aligned:
                s.aligned += 1
                s.correct += bool(aligned[i].values[name])


def _filled(t: Template) -> dict[str, bool]:
    """Which fields the key fills (a field the key leaves empty is not scored)."""
    return {"type": True, "perpetrator": bool(t.perpetrators), "weapon": bool(t.weapons),
            "date": bool(t.exact_days), "place": bool(t.places or t.country), "country": bool(t.country)}


def evaluate_muc4(
    path: Path,
    *,
    extract: Callable[[Path, int | None], Iterable[ArticleResult]],
    actors: ActorDictionary,
    mapping: Muc4Mapping | None = None,
    limit: int | None = None,
    half: str = "all",
) -> Muc4Report:
    """Score ``extract(path, limit)`` (the pipeline's results) against the keys in ``path``.

    ``half`` "even" or "odd" scores only the documents at even or odd 0-based positions in the
    file (of the first ``limit``): rules written looking at one half are checked on the other.
    """
    mapping = mapping or Muc4Mapping.load()
    docs = [d for i, d in enumerate(read_muc4(path, mapping=mapping, limit=limit)) if in_half(i, half)]
    results: dict[str, ArticleResult] = {}
    for result in extract(path, limit):
        if result.article_id is not None:
            results[result.article_id] = result
    report = Muc4Report(version=mapping.version)
    for doc in docs:
        result = results.get(doc.docid)
        if result is None or result.error is not None:
            report.errors += 1
        events = result.events if result is not None else []
        score_document(doc, events, report, mapping=mapping, actors=actors)
    return report


def in_half(index: int, half: str) -> bool:
    """Is the document at 0-based ``index`` in ``half`` ("even", "odd" or "all")?"""
    if half not in HALVES:
        raise ValueError(f"half must be one of {', '.join(HALVES)}, not {half!r}")
    return half == "all" or (index % 2 == 0) == (half == "even")


def pipeline_extract(pipeline: Any, *, half: str = "all") -> Callable[[Path, int | None], Iterable[ArticleResult]]:
    """The extraction the CLI scores: the whole pipeline over the file's articles (only those
    of ``half``, so the other half costs nothing)."""
    from itertools import islice

    from ..ingest import read_inputs

    def run(path: Path, limit: int | None) -> Iterable[ArticleResult]:
        articles = islice(read_inputs([str(path)]), limit)
        return pipeline.run(a for i, a in enumerate(articles) if in_half(i, half))

    return run
