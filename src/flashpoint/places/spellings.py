"""Names copy writes otherwise than the gazetteer spells them, read before the toponyms are
scored (``toponyms.find``): possessives that lost their apostrophe ("Syrias Hasakeh",
"Aleppos southern countryside"), and other romanisations of one Arabic word ("Ras al-Ain" is
GeoNames' "Ra's al 'Ayn": ``[transliteration]`` in ``data/places_context.toml``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .context import Context
from .gazetteer import Candidate, Gazetteer


@dataclass(frozen=True)
class Spellings:
    """What the written forms of one text's names come to."""

    spans: dict[tuple[int, int], str]  # candidate name spans; none opens on a country's possessive
    lookups: dict[str, tuple[Candidate, ...]]  # name -> gazetteer candidates, as written or respelt
    possessors: dict[int, str]  # token -> country code of the country or province it is a possessive of


def read_spellings(doc_text: str, tokens: list[Any], spans: dict[tuple[int, int], str], gazetteer: Gazetteer,
                   context: Context, *, upper_doc: bool) -> Spellings:
    """The spans to look up, their candidates, and the possessives that say where a name lies."""
    # "Syrias Hasakeh": copy that lost its apostrophes writes a country's possessive as one
    # word; the name after it starts at the next token.
    stems = {s: doc_text[tokens[s].idx : tokens[s].idx + len(tokens[s]) - 1]
             for s in {s for s, _ in spans} if tokens[s].text.endswith("s") and len(tokens[s]) > 4}
    stem_lookups = gazetteer.candidates(stems.values())
    possessive = {s for s, stem in stems.items()
                  if any(c.place.feature == "country" and not c.via_base for c in stem_lookups[stem])}
    spans = {(s, e): t for (s, e), t in spans.items() if s not in possessive or e - s == 1}
    # token -> the country its stem names or lies in: "Syrias" (a country), "Aleppos" (a province)
    possessors = {s: next(c.place.country_code for c in stem_lookups[stem] if c.place.feature == "country")
                  for s, stem in stems.items() if s in possessive}
    if not upper_doc:
        possessors.update({s: next(c.place.country_code for c in stem_lookups[stem] if c.place.feature == "admin1")
                           for s, stem in stems.items() if s not in possessive
                           and any(c.place.feature == "admin1" and not c.via_base for c in stem_lookups[stem])})
    lookups = gazetteer.candidates(spans.values())
    # "Ras al-Ain", "Ain al-Arab": unknown as written, known in the gazetteer's romanisation.
    respelt = {text: context.respellings(text) for text in spans.values() if not lookups.get(text)}
    found_again = gazetteer.candidates([r for variants in respelt.values() for r in variants])
    for text, variants in respelt.items():
        hit = next((found_again[r] for r in variants if found_again[r]), None)
        if hit:
            lookups[text] = hit
    # "in Aleppos southern countryside": the same copy writes a province's or a city's
    # possessive as one word; unknown as written and followed by a place noun, it is the
    # place its stem names ("Rest Acres Road" is no Acre).
    for s, stem in stems.items():
        word = spans.get((s, s + 1))
        following = [t for t in tokens[s + 1 : s + 4] if not t.is_space and t.pos_ != "ADJ"][:1]
        possessed = following and following[0].lower_ in context.place_nouns
        if word is not None and possessed and not upper_doc and not lookups.get(word) and s not in possessive and any(
                c.place.feature == "admin1" or c.place.population >= context.prominent_population
                for c in stem_lookups[stem] if not c.via_base):
            lookups[word] = stem_lookups[stem]
    return Spellings(spans=spans, lookups=lookups, possessors=possessors)
