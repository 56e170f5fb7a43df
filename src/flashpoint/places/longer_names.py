"""Is a matched name the whole name the text writes? "Orum" out of "Orum al-Kubra", "Ada" out of
"Mvog-Ada", "Temple" out of "Temple Mount" match a town only by a part of the written name, and
"the Qahira Hotel" names a building after a city. Resolution (places/geography.py) lets such a
name land only in a country the report is about."""

from __future__ import annotations

from typing import Any

from .context import Context
from .normalise import fold

def _glued_hyphen(tokens: list[Any], j: int) -> bool:
    """A hyphen written inside a word ("Mvog-Ada"), not a dash between words."""
    return (0 < j < len(tokens) - 1 and tokens[j].text in ("-", "‑") and not tokens[j - 1].whitespace_
            and not tokens[j].whitespace_)


def _name_part(t: Any, ctx: Context, taken: set[int]) -> bool:
    """Does a capitalised word next to a name make the name a longer one?"""
    w = t.text.lower()
    if t.i in taken or not t.is_alpha or not t.text[:1].isupper():
        return False  # another accepted name ("Aleppo Syria" in copy without commas), or no word
    if (w in ctx.name_qualifiers or w in ctx.region_after or w in ctx.admin_after or w in ctx.place_nouns
            or w in ctx.near_after or w in ctx.org_after or w in ctx.facility_after or w in ctx.titles
            or ctx.demonym(t.text)):
        return False
    if len(t.text) <= 5 and t.text.isupper():
        return False  # an acronym after a name is an organisation's ("Brant OPP", "Aleppo MSF")
    if fold(t.text) in ctx.stopwords and w not in ctx.name_part_words:
        return False  # "Monday", "Meanwhile"
    # A common word capitalised only for opening the sentence ("Meanwhile Aleppo ...").
    return not (t.is_sent_start and t.pos_ != "PROPN")


def longer_name(tokens: list[Any], s: int, e: int, ctx: Context, taken: set[int]) -> str | None:
    """The longer name the text writes, when tokens ``s:e`` are only a part of it; else None.

    ``taken``: tokens of the text's other accepted names, which are names of their own."""
    n = len(tokens)
    first, last, extra = s, e, False
    j = e  # rightwards: "Orum al-Kubra", "Temple Mount", "Croix-des-Bouquets"
    while j < n and not tokens[j].is_space and not tokens[j].is_sent_start:
        t = tokens[j]
        if t.i in taken:
            break
        if _glued_hyphen(tokens, j) or (t.text.lower() in ctx.name_joiners and j + 1 < n
                                        and (tokens[j + 1].text[:1].isupper() or _glued_hyphen(tokens, j + 1))):
            j += 1
            continue
        if _name_part(t, ctx, taken) or (t.is_lower and _glued_hyphen(tokens, j - 1) and extra_follows(tokens, j)):
            extra = True
            last = j + 1
            j += 1
            continue
        break
    j = s - 1  # leftwards: "Mvog-Ada", "Boni Forest"
    while j >= 0 and not tokens[j].is_space and not tokens[j + 1].is_sent_start:
        t = tokens[j]
        if t.i in taken:
            break
        if _glued_hyphen(tokens, j) or t.text.lower() in ctx.name_joiners:  # "Mvog-Ada", "Al-Qusayr"
            j -= 1
            continue
        if _name_part(t, ctx, taken) and t.pos_ == "PROPN":  # not "Republican Orange County"
            extra = True
            first = j
            j -= 1
            continue
        break
    if not extra:
        return None
    return tokens[first].doc.text[tokens[first].idx : tokens[last - 1].idx + len(tokens[last - 1])]


def extra_follows(tokens: list[Any], j: int) -> bool:
    """After a glued hyphen, a lower-case word continues a name only when a capitalised one
    follows ("Croix-des-Bouquets"), not in "Kabul-based" or "US-led"."""
    if tokens[j].text[:1].isupper():
        return True
    return j + 2 < len(tokens) and _glued_hyphen(tokens, j + 1) and tokens[j + 2].text[:1].isupper()


def facility_word(tokens: list[Any], e: int, ctx: Context) -> str | None:
    """"the Qahira Hotel": the capitalised word after a name that makes it a building's name.
    In lower case ("a Benghazi hospital") the name says where the building is."""
    if e < len(tokens) and tokens[e].text[:1].isupper() and tokens[e].text.lower() in ctx.facility_after:
        return tokens[e].text
    return None
