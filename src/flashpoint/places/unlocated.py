"""Places the gazetteer lacks, coded to the area the text puts them in.

Reports from the Syrian war name villages and neighbourhoods no gazetteer holds ("al-Nueimeh
village 4 km east of Daraa city", "Mashara town in the eastern countryside of Quneitra
province"). The codebook codes such a village to the province or town it lies in, keeping its
own name: it is still a scene of its own, not the province's other events. A name becomes such
a place when a settlement noun confirms it, or the tagger calls it a place, and the text says
where it lies; the words are in ``data/places_context.toml`` ([unlocated]).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from ..model import Place, Toponym
from .context import Context
from .normalise import fold

_LIST_WORDS = frozenset({"and", "or", ","})
_NOT_AREAS = frozenset({"country", "continent"})
_NOT_SCENES = frozenset({"dateline", "demonym", "metonym", "seat"})
_PLACE_LABELS = frozenset({"GPE", "LOC"})
_NOT_NAME_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT"})


def settlement_of(tokens: list[Any], s: int, e: int, ctx: Context, *, upper_doc: bool = False) -> str | None:
    """The kind of place a settlement noun makes of the name ``tokens[s:e]``: "X village",
    "the town of X", and, in mixed-case text, the names listed after one ("the villages of X,
    Y and Z"; in capitals every word looks like a name); else None."""
    if not _name_shaped(tokens[s:e], ctx, upper_doc=upper_doc):
        return None
    if e < len(tokens) and _body_word(tokens[e].text.lower(), ctx):
        return None  # "Aleppo Syria Live Network": the start of a body's name
    nouns = ctx.settlement_nouns
    if e < len(tokens) and tokens[e].text in nouns:  # lower case: "Besieged Towns" in a headline is no name
        return nouns[tokens[e].text]
    if upper_doc:
        before = [t.text.lower() for t in tokens[max(0, s - 2) : s]]
        return nouns[before[0]] if len(before) == 2 and before[1] == "of" and before[0] in nouns else None
    j, listed = s - 1, False
    while j >= max(0, s - 14):
        word = tokens[j].text.lower()
        if word == "of" and j > 0 and tokens[j - 1].text.lower() in nouns:
            return nouns[tokens[j - 1].text.lower()] if j == s - 1 or listed else None
        if word in _LIST_WORDS:
            listed = True
        elif not (tokens[j].text[:1].isupper() or word in ("al", "el", "-")):
            return None
        j -= 1
    return None


def _name_shaped(words: list[Any], ctx: Context, *, upper_doc: bool) -> bool:
    """Capitalised words and the joining words of Arabic names ("Khirbet al-Maaser"), with no
    date or number in them ("the town of Saraqib on Monday" ends at "Saraqib"). In capitals, where
    every word is capitalised, the tagger's proper nouns: not "THE TOWN"."""
    if len(words) > 1 and words[0].text.lower() in ctx.name_qualifiers and words[1].text.lower() == "of":
        return False  # "Southwest of Aqayrabat town": a direction from the town
    if words and _body_word(words[-1].text.lower(), ctx):
        return False  # "Aleppo Syria Live Network": a body's name
    for t in words:
        if t.ent_type_ in _NOT_NAME_LABELS:
            return False
        joiner = t.text.lower() in ctx.name_joiners or t.text == "-"
        if not joiner and not (t.pos_ == "PROPN" if upper_doc else t.text[:1].isupper()):
            return False
    return True


def _body_word(word: str, ctx: Context) -> bool:
    """A word that makes a name a body's ("Network", "Agency"), not a building's ("Hospital")."""
    return word in ctx.org_after and word not in ctx.facility_after


def place_in_areas(toponyms: list[Toponym], found: dict[int, Any], spacy_doc: Any, ctx: Context, *,
                   countries: Mapping[str, int]) -> list[Toponym]:
    """The toponyms, each unresolved name that is a place (``found[id(toponym)]``, a
    ``found.Found``, tells) and whose area the text gives placed in that area. ``countries``
    are those the text points to (``toponyms.find``): an area elsewhere is a misread name."""
    starts = [sent.start_char for sent in spacy_doc.sents]
    resolved = [t for t in toponyms if t.place is not None and t.relation not in _NOT_SCENES and t.place.country_code]
    # the countries the text names, and the one most of its places lie in
    named = set(countries) | {c for c, _ in Counter(t.place.country_code for t in resolved).most_common(1)}
    areas = [t for t in resolved if t.place.feature not in _NOT_AREAS and t.place.country_code in named]
    by_start = {t.start: t for t in areas}
    # Each area's sentence, and the areas by sentence (in order): a long text has thousands.
    area_sentence = [bisect_right(starts, a.start) - 1 for a in areas]
    by_sentence: dict[int, list[Toponym]] = {}
    for a, k in zip(areas, area_sentence):
        by_sentence.setdefault(k, []).append(a)
    area_starts = [a.start for a in areas]
    in_order = all(x < y for x, y in zip(area_starts, area_starts[1:]))
    parsed_text = None  # the Doc's text, rebuilt per call: read once, when needed
    out = []
    named: dict[str, Place] = {}  # the names placed here, for their other mentions
    for t in toponyms:
        f = found.get(id(t))
        if t.place is not None or f is None or not (f.settlement or _tagged_place(f, spacy_doc)) or (
                t.name.lower() in ctx.name_qualifiers):  # "Eastern" of "in Eastern Homs"
            out.append(t)
            continue
        area, how = None, ""
        if f.within is not None and f.within.start in by_start:
            area, how = by_start[f.within.start].place, "the name it is said to lie in"
        sentence = bisect_right(starts, t.start) - 1
        if area is None:
            parsed_text = spacy_doc.text if parsed_text is None else parsed_text
            area, how = _area_in_sentence(t, by_sentence.get(sentence, []), parsed_text), "named with it"
        if area is None and f.settlement:
            last = _last_before(t.start, areas, area_starts, area_sentence, sentence - ctx.look_back_sentences,
                                in_order)
            if last is not None:
                area, how = last.place, "named just before"
        if area is None:
            out.append(t)
            continue
        place = Place(name=t.name, latitude=area.latitude, longitude=area.longitude, country=area.country,
                      country_code=area.country_code, iso3=area.iso3, admin1=area.admin1, admin2=area.admin2,
                      feature=f.settlement or "locality", within=area)
        why = f"{t.why}; a {f.settlement or 'place'} the gazetteer lacks, in {area.name} ({how})"
        out.append(replace(t, place=place, why=why))
        named.setdefault(fold(t.name), place)
    return _same_name_again(out, found, named) if named else out


def _same_name_again(toponyms: list[Toponym], found: dict[int, Any], named: dict[str, Place]) -> list[Toponym]:
    """"the village of Tall Tawil in Hasakeh ... blew himself up in Tall Tawil": a name the text
    placed once is that place wherever it is written again, also where only a part of it
    matched a town elsewhere ("Tall" of "Tall Tawil" is not Al-Tall near Damascus)."""
    out = []
    for t in toponyms:
        f = found.get(id(t))
        key = fold(f.longer) if f is not None and f.longer else fold(t.name)
        place = named.get(key)
        if place is None or t.place is place or (t.place is not None and not (f is not None and f.longer)):
            out.append(t)
            continue
        out.append(replace(t, place=place, why=f"{t.why}; the {place.feature} '{place.name}' the text placed before"))
    return out


def _tagged_place(f: Any, spacy_doc: Any) -> bool:
    """A name the tagger calls a place, written where a place goes: after a preposition ("in
    Taldao") or in a list. The small model also tags a sentence-opening "Gunmen" a place, and in
    wire copy in capitals its labels say little."""
    if f.label not in _PLACE_LABELS or f.in_capitals or f.tok_start == 0:
        return False
    if f.headline and f.common_words:
        return False  # "in Rocket Fire in Daraa": a headline capitalises the words the body writes small
    before = spacy_doc[f.tok_start - 1]
    return before.pos_ == "ADP" or before.text.lower() in _LIST_WORDS


def _last_before(start: int, areas: list[Toponym], area_starts: list[int], area_sentence: list[int],
                 sentence: int, in_order: bool) -> Toponym | None:
    """The last of ``areas`` that starts before ``start``, in sentence ``sentence`` or later."""
    if not in_order:  # (the geoparser's toponyms are in text order; any list still gets its answer)
        earlier = [a for a, k in zip(areas, area_sentence) if a.start < start and k >= sentence]
        return earlier[-1] if earlier else None
    # In text order, the last area before ``start`` is in the latest sentence of all of them.
    i = bisect_left(area_starts, start) - 1
    return areas[i] if i >= 0 and area_sentence[i] >= sentence else None


def _area_in_sentence(t: Toponym, same: list[Toponym], text: str) -> Place | None:
    """The first place after ``t`` in its sentence (``same``: the areas of that sentence, in
    order) that is not listed with it ("Taldao and al-Houla in Homs province" -> Homs
    province), else the last one before it."""
    for a in (a for a in same if a.start >= t.end):
        between = text[t.end : a.start].replace(",", " , ").split()
        if not all(w.lower() in _LIST_WORDS for w in between):
            return a.place
    before = [a for a in same if a.end <= t.start]
    return before[-1].place if before else None
