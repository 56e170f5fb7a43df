"""Field-level provenance inside one article: which sentence gave each of an event's fields.

Resolution (``resolve.py``) chooses each field from one of the incident's mentions; this module
finds that mention again from the value chosen and tags its sentence with the field's name
(``Evidence.fields``), so that "388 killed" can be traced to the sentence that says so. A field
no sentence gave (an initiator the codebook's default names, a date taken from the publication
day, a place only the dateline names) gets no sentence: saying so is the honest answer.
"""

from __future__ import annotations

from dataclasses import replace

from ..model import PROVENANCE_FIELDS, Event, Evidence, Mention, Toponym


def _first(mentions: list[Mention], test) -> list[Evidence]:
    found = next((m for m in mentions if test(m)), None)
    return [found.sentence] if found is not None else []


def _containing(evidence: list[Evidence], start: int) -> list[Evidence]:
    return [e for e in evidence if e.start <= start < e.end][:1]


def field_sentences(event: Event, mentions: list[Mention], toponym: Toponym | None,
                    evidence: list[Evidence]) -> dict[str, list[Evidence]]:
    """For each provenance field, the sentences (of ``evidence``) that gave the event's value.

    ``mentions`` are the incident's mentions as resolution saw them (tolls already shared out),
    in text order."""
    out: dict[str, list[Evidence]] = {}
    out["event_type"] = _first(mentions, lambda m: m.sub_event_type == event.sub_event_type)
    date = next((m.date for m in mentions if m.date is not None and m.date.date == event.event_date
                 and m.date.precision == event.date_precision), None)
    if date is not None and date.text:
        # the sentence that writes the day ("on Tuesday"), else the one it was read for
        out["event_date"] = [e for e in evidence if date.text in e.text][:1] or _first(
            mentions, lambda m: m.date == date)
    if toponym is not None and toponym.place is not None:
        out["location"] = _containing(evidence, toponym.start) or _first(
            mentions, lambda m: any(t.start == toponym.start for t in m.toponyms))
    for role in ("actor1", "actor2"):
        name = getattr(event, role)
        if name:
            out[role] = _first(mentions, lambda m, name=name: name in {a.name for a in (m.actor1, m.actor2) if a})
    if event.fatalities > 0:
        out["fatalities"] = _first(mentions, lambda m: m.fatalities == event.fatalities)
    if event.injured is not None:
        out["injured"] = _first(mentions, lambda m: m.injured == event.injured)
    if event.weapons:
        out["weapons"] = list(dict.fromkeys(m.sentence for m in mentions if set(m.weapons) & set(event.weapons)))
    out["certainty"] = _first(mentions, lambda m: m.certainty == event.certainty)
    return {name: found for name, found in out.items() if found}


def tag_evidence(evidence: list[Evidence], sentences: dict[str, list[Evidence]]) -> tuple[Evidence, ...]:
    """``evidence`` with each sentence's ``fields`` set, in :data:`PROVENANCE_FIELDS` order."""
    given: dict[int, set[str]] = {}
    for name, found in sentences.items():
        for e in found:
            given.setdefault(e.start, set()).add(name)
    return tuple(replace(e, fields=tuple(f for f in PROVENANCE_FIELDS if f in given.get(e.start, ())))
                 for e in evidence)
