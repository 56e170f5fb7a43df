"""A name judged to be a place, before resolution (the record ``toponyms.find`` hands to
``resolve.py``), and the evidence score at which a name counts as one."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..model import Place
from .gazetteer import Candidate

ACCEPT = 1.5  # evidence score at which a name counts as a place

# What a name most likely is, by kind: an apposed name ("Suffolk, England") must be of a
# higher rank than the name before it to be where that one lies.
RANK_TOWN, RANK_PROVINCE, RANK_COUNTRY = 1, 2, 3


def size_weight(p: Place) -> float:
    """How much a town's or a province's size says for it as a name's reading: a province
    weighs a point less than a town of its population (resolve._prior's prior)."""
    return 0.9 * math.log10(p.population + 1) - (1.0 if p.feature == "admin1" else 0.0)


@dataclass
class Found:
    """A name judged to be a place, before resolution."""

    start: int  # character span of the name in the text
    end: int
    tok_start: int
    tok_end: int
    text: str
    candidates: tuple[Candidate, ...]
    score: float
    reasons: list[str] = field(default_factory=list)
    label: str = ""
    near: bool = False  # "near X", "X area"
    region: bool = False  # "the X mountains", "X district"
    admin_word: bool = False  # "X province", "the province of X": prefer the province
    kind_end: int = 0  # "Quneitra southern province": the token after the province word the name covers
    cue_country: str | None = None  # "the Syrian town of X" -> "SY"
    owner_country: str | None = None  # "Syrias Kobani", "Aleppos southern X" -> "SY": said to lie there
    demonym: str | None = None  # "Syrian" -> "SY", "European" -> "Europe": a place reference
    dateline: bool = False  # "MOSCOW (Sputnik)", "BEIRUT At least ...": where the reporter was
    headline: bool = False  # in a title-case sentence, where capitals say little
    common: bool = False  # a common word capitalised only for starting a sentence or quote
    sentence: int = 0
    longer: str | None = None  # "Orum al-Kubra": the name the text writes, of which this is a part
    facility: str | None = None  # "Hotel" in "the Qahira Hotel": a building named after the place
    common_word: bool = False  # one word the text also uses as a common word, or a stopword ("Southern")
    common_words: bool = False  # every word is one the text also writes in lower case ("Rocket Fire")
    within: Found | None = None  # "Hadar village in Quneitra province": the name it is said to lie in
    apposed: bool = False  # "Paris, Missouri": ``within`` written after a comma, which binds tighter than "in"
    listed: frozenset[str] = frozenset()  # folded names listed with it ("Kansas, Missouri and Ohio")
    settlement: str | None = None  # "X village", "the town of X": the kind of place a noun makes it
    in_capitals: bool = False  # wire copy in capitals, where the tagger's place labels say little
    modifier: bool = False  # names a body by its place ("Saskatoon police", "EU leaders"): kept as a metonym
    person: bool = False  # a title says it is a person's name ("General Mauricio Colorado")
    noun_after: bool = False  # a settlement word follows: "Soyapango city", "Hadar village"

    def can_be(self, rank: int) -> bool:
        """Has the name a reading of this rank ("Wyoming": a town in Michigan, and a state)?"""
        kinds = {RANK_COUNTRY: ("country",), RANK_PROVINCE: ("admin1",)}.get(rank)
        return any(not c.via_base and (c.place.feature in kinds if kinds else
                                       c.place.feature not in ("country", "admin1", "admin2"))
                   for c in self.candidates)

    def rank(self) -> int:
        """The rank of the name's likeliest reading: a country when it names one, a province
        when its biggest reading is a province that outweighs its biggest town (Missouri,
        England; not Idlib, a city of 130,000 in a province of 440,000), else a town."""
        best_town = best_province = -1.0
        for c in self.candidates:
            if c.via_base:
                continue
            if c.place.feature == "country":
                return RANK_COUNTRY
            if c.place.feature == "admin1":
                best_province = max(best_province, size_weight(c.place))
            elif c.place.feature != "admin2":
                best_town = max(best_town, size_weight(c.place))
        return RANK_PROVINCE if best_province > best_town else RANK_TOWN
