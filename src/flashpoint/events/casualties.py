"""Casualties of a sentence: deaths, injuries and captures, with the most conservative count.

A casualty word ("killed", "wounded", "captured", "death toll") is linked through the parse
to the people it affects ("at least six soldiers were killed", "killing a child and two
women", "leaving 7 dead"), whose number is read from digits, number words or vague
quantities (``data/casualties.toml``). Deaths reported without a number ("casualties on both
sides", "killing and wounding dozens") make ``fatalities_known`` false. Ranges give their lower
bound ("between 10 and 15", "two to three" -> 10, 2).

Several sentences about one event (combined in ``resolve._event``): each count is the largest
any one sentence supports, never a sum, because follow-up sentences restate or update the same
toll ("six were killed ... the toll rose to nine" is nine, not fifteen); fatalities stay
unknown only when no sentence gives a number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..datafiles import read_toml

_DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})*$|^\d+$")
_MULTIPLIERS = frozenset({"dozen", "dozens", "hundred", "hundreds", "thousand", "thousands", "million"})


@dataclass(frozen=True)
class Casualties:
    fatalities: int
    fatalities_known: bool
    injured: int | None
    captured: int | None


@dataclass(frozen=True)
class CasualtyLexicon:
    version: str
    killed: frozenset[str]
    injured: frozenset[str]
    captured: frozenset[str]
    unknown_number: frozenset[str]
    numbers: dict[str, int]
    vague: dict[str, int]

    @classmethod
    def load(cls, path: Path | None = None) -> CasualtyLexicon:
        data = read_toml(path, "casualties.toml")
        return cls(
            version=str(data.get("version", "")),
            killed=frozenset(data["killed"]),
            injured=frozenset(data["injured"]),
            captured=frozenset(data["captured"]),
            unknown_number=frozenset(data["unknown_number"]),
            numbers=dict(data["numbers"]),
            vague=dict(data["vague"]),
        )



def _number_value(tok: Any, lex: CasualtyLexicon) -> int | None:
    text = tok.lower_
    if _DIGITS.match(text):
        return int(text.replace(",", ""))
    if text in lex.vague:
        return lex.vague[text]
    parts = text.split("-")
    if parts and all(p in lex.numbers for p in parts) and text not in ("a", "an"):
        return sum(lex.numbers[p] for p in parts)
    return None


def _count(noun: Any, lex: CasualtyLexicon) -> int | None:
    """How many people a noun phrase denotes; None when it does not say."""
    value = _number_value(noun, lex)
    if value is not None and noun.lower_ not in ("both",):
        if noun.lower_ in lex.vague or noun.like_num or noun.lower_ in lex.numbers:
            return value
    nums = []
    for c in noun.children:
        if c.dep_ in ("nummod", "quantmod", "amod", "det", "nmod", "compound") and c.lower_ not in ("a", "an"):
            v = _number_value(c, lex)
            if v is not None:
                nums.append(v)
                for cc in c.children:
                    if cc.dep_ not in ("nummod", "compound", "quantmod") or not (w := _number_value(cc, lex)):
                        continue
                    if c.lower_ in _MULTIPLIERS and w < v:
                        nums[-1] = w * v  # "two hundred", "a dozen"
                    else:
                        nums[-1] = min(nums[-1], w)  # "two to three", "10 or 12": the lower bound
        if c.dep_ == "prep" and c.lower_ == "of" and noun.lower_ in lex.vague:
            return lex.vague[noun.lower_]
    if nums:
        return max(nums)
    if noun.tag_ in ("NN", "NNP") and any(c.lower_ in ("a", "an", "the", "one") for c in noun.children):
        return 1
    if noun.tag_ == "NNP" or noun.ent_type_ == "PERSON":
        return 1
    return None


def _people(noun: Any, lex: CasualtyLexicon) -> tuple[int | None, bool]:
    """The count of a noun and its coordinated nouns ("a child and two women" = 3)."""
    total, known = 0, True
    group = [noun] + [c for c in noun.conjuncts if c.i > noun.i]
    for n in group:
        if any(c.dep_ == "det" and c.lower_ == "no" for c in n.children):
            continue
        v = _count(n, lex)
        if v is None:
            known = False
        else:
            total += v
    return (total, known)


def _patients(tok: Any) -> list[Any]:
    """The nouns a casualty word is about."""
    if tok.pos_ in ("VERB", "AUX"):
        lemma = tok.lemma_.lower()
        passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children)
        # "two were killed and six others injured": the second verb's subject is a patient
        elliptic = (tok.dep_ == "conj" and any(c.dep_ == "auxpass" for c in tok.head.children)) or any(
            c.dep_ == "nsubj" and c.pos_ == "NUM" for c in tok.children
        )
        if lemma == "die" or elliptic:
            deps: tuple[str, ...] = ("nsubj", "nsubjpass")
        else:
            deps = ("nsubjpass",) if passive else ("dobj",)
        found = [c for c in tok.children if c.dep_ in deps]
        if not found and tok.dep_ in ("acl", "relcl", "amod") and tok.head.pos_ in ("NOUN", "PROPN", "NUM", "PRON"):
            found = [tok.head]
        if not found and tok.dep_ == "conj":
            found = _patients(tok.head)
        return found
    if tok.pos_ == "ADJ":  # "five people are dead", "leaving seven dead", "shot dead three"
        if any(c.dep_ == "nummod" for c in tok.children):
            return [tok]
        if tok.head.pos_ in ("VERB", "AUX"):
            objs = [c for c in tok.head.children if c.dep_ == "dobj"]
            if objs or tok.head.lemma_ != "be":
                return objs
            return [c for c in tok.head.children if c.dep_ == "nsubj"]
        return [tok.head] if tok.dep_ == "amod" else []
    # a noun: "the death toll rose to 24", "deaths of five people", "sustained injuries"
    for c in tok.children:
        if c.dep_ in ("nummod",):
            return [tok]
        if c.dep_ == "prep" and c.lower_ == "of":
            return [p for p in c.children if p.dep_ == "pobj"]
    if tok.head.pos_ in ("VERB", "AUX"):
        for c in tok.head.children:
            if c.dep_ == "prep" and c.lower_ in ("to", "at"):
                return [p for p in c.children if p.dep_ == "pobj"]
    return []


def _shared_with(tok: Any, other: frozenset[str]) -> bool:
    """'killing and wounding dozens': the killed word shares its object with an injury word."""
    return any(c.lemma_.lower() in other for c in tok.conjuncts)


def count_casualties(sent: Any, *, lexicon: CasualtyLexicon) -> Casualties:
    """Deaths, injuries and captures the sentence reports (0 / None when it reports none)."""
    lex = lexicon
    fatalities, known = 0, True
    injured: int | None = None
    captured: int | None = None
    for tok in sent:
        lemma = tok.lemma_.lower()
        low = tok.lower_
        if tok.ent_type_ in ("DATE", "TIME") or tok.pos_ in ("PROPN",):
            continue
        if lemma in lex.unknown_number or low in lex.unknown_number:
            counted = any(_number_value(c, lex) for c in tok.children if c.dep_ == "nummod")
            if not counted and not any(c.lower_ == "no" for c in tok.children):
                known = False
            continue
        if lemma in lex.killed or low in lex.killed:
            kind = "killed"
        elif lemma in lex.injured or low in lex.injured:
            kind = "injured"
        elif lemma in lex.captured or low in lex.captured:
            kind = "captured"
        else:
            continue
        if any(c.dep_ == "neg" for c in tok.children):
            continue
        patients = _patients(tok)
        if kind == "killed" and _shared_with(tok, lex.injured) and not [
            p for p in patients if p.head.i == tok.i
        ]:
            known = False  # killed and wounded together: deaths reported, number not
            continue
        if not patients:
            if kind == "killed" and lemma not in ("life", "body", "toll"):
                known = False
            continue
        n, sure = _people(patients[0], lex)
        if kind == "killed":
            if not sure and n == 0:
                known = False
            fatalities = max(fatalities, n or 0)
        elif kind == "injured":
            injured = max(injured or 0, n or 0) if (n or sure) else injured
        else:
            captured = max(captured or 0, n or 0) if (n or sure) else captured
    if fatalities:
        known = True
    return Casualties(fatalities, known, injured, captured)
