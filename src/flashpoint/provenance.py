"""Field-level provenance of a stored event: for each field, the sentence of the source that gave it.

Each source's evidence sentences carry the fields they gave in that article's own reading
(``Evidence.fields``, set by ``events/provenance.py``). When linking merged several sources
(``link.merge``), a field's value came from the source the merge rule chose, and the field's
history (``FieldChange``) records which one; so the sentence shown for a field is that source's
sentence for it: the highest toll's, the most precise date's and place's, the actor filled in.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from .events.mention_actors import UNIDENTIFIED
from .link import Linked
from .model import PROVENANCE_FIELDS, Event, FieldProvenance


class Change(Protocol):
    """A field's recorded change (``link.FieldChange`` or its stored row)."""

    field: str
    article_id: str
    rule: str


# Why a field has no sentence of its own, when none gave it.
_NO_SENTENCE = {
    "event_type": "no single sentence: typed from the incident's sentences together",
    "event_date": "no sentence states the day: the article's publication date",
    "location": "no sentence of the event names the place: the article's dateline or headline",
    "actor1": "no sentence of the event names it: the group that claimed it, or whose aircraft strike there "
              "(data/actors.toml)",
    "actor2": "no sentence names it",
    "fatalities": "no sentence of the event gives a toll",
    "injured": "no sentence of the event gives a number of injured",
    "weapons": "no sentence names a weapon",
    "certainty": "the sources' certainties together",
}


_CROWDS = ("Protesters (", "Rioters (")


def _value(event: Event, name: str) -> Any:
    if name == "event_type":
        return f"{event.event_type}: {event.sub_event_type}"
    value = getattr(event, name)
    return value.isoformat() if hasattr(value, "isoformat") else value


def _shown(event: Event, name: str) -> bool:
    """Fields with a value to trace; a toll of 0 is shown (its absence of a sentence says why)."""
    value = getattr(event, name)
    return name == "fatalities" or value not in (None, "", [])


def field_provenance(linked: Linked, history: Sequence[Change] = ()) -> list[FieldProvenance]:
    """Each provenance field of ``linked``'s event with the source sentence that gave its value."""
    event = linked.event
    sources = {s.article_id: s for s in event.sources}
    first = event.sources[0].article_id if event.sources else None
    changed = {h.field: h for h in history}  # the last change of each field wins
    out: list[FieldProvenance] = []
    for name in PROVENANCE_FIELDS:
        if not _shown(event, name):
            continue
        article_id, why = first, ""
        if name in changed and changed[name].article_id in sources:
            article_id, why = changed[name].article_id, changed[name].rule
        if name == "fatalities" and len(linked.figures) > 1:
            top = next((f for f in linked.figures if f.fatalities == event.fatalities), None)
            if top is not None and top.article_id in sources:
                article_id, why = top.article_id, "highest conservative count of any source"
        source = sources.get(article_id) if article_id else None
        sentence = next((e for e in source.evidence if name in e.fields), None) if source else None
        if sentence is None and name == "weapons":
            # weapons are the union of the sources: any source's sentence that names one
            source = next((s for s in event.sources if any(name in e.fields for e in s.evidence)), source)
            sentence = next((e for e in source.evidence if name in e.fields), None) if source else None
            why = why or "union of sources"
        if sentence is None:
            default = _NO_SENTENCE[name]
            if name == "actor1" and str(event.actor1).startswith(UNIDENTIFIED):
                default = "codebook default: no sentence names the initiator"
            elif name == "actor1" and str(event.actor1).startswith(_CROWDS):
                default = "codebook: the crowd of a demonstration is its actor1"
            out.append(FieldProvenance(name, _value(event, name), None, None, why or default))
            continue
        out.append(FieldProvenance(name, _value(event, name), source.article_id, sentence, why))
    return out
