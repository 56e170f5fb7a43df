"""A name judged to be a place, before resolution (the record ``toponyms.find`` hands to
``resolve.py``), and the evidence score at which a name counts as one."""

from __future__ import annotations

from dataclasses import dataclass, field

from .gazetteer import Candidate

ACCEPT = 1.5  # evidence score at which a name counts as a place


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
    within: Found | None = None  # "Hadar village in Quneitra province": the name it is said to lie in
    settlement: str | None = None  # "X village", "the town of X": the kind of place a noun makes it
    in_capitals: bool = False  # wire copy in capitals, where the tagger's place labels say little
