"""Is a matched name the whole name the text writes? "Orum" out of "Orum al-Kubra", "Ada" out of
"Mvog-Ada", "Temple" out of "Temple Mount" match a town only by a part of the written name (and
"the Qahira Hotel" names a building after a city: descriptions.facility_noun). Resolution
(places/geography.py) lets such a name land only in a country the report is about."""

from __future__ import annotations

from typing import Any

from .context import Context
from .descriptions import designation, facility_noun
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


class _Others:
    """The tokens of the text's other names: ``taken`` less the name's own ``s:e``, and every
    token before ``before``; tested, never copied (a copy per name is quadratic in a long text)."""

    def __init__(self, taken: set[int], s: int, e: int, *, before: int = 0) -> None:
        self.taken, self.s, self.e, self.before = taken, s, e, before

    def __contains__(self, i: int) -> bool:
        return i < self.before or (i in self.taken and not self.s <= i < self.e)


class _Prefix:
    """``tokens[:n]`` without the copy (made once per headline name, it would be quadratic)."""

    def __init__(self, tokens: list[Any], n: int) -> None:
        self.tokens, self.n = tokens, min(n, len(tokens))

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i: int) -> Any:
        if not 0 <= i < self.n:
            raise IndexError(i)
        return self.tokens[i]


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
    article = False  # a glued article ("al-") seen between the name and the word before it
    while j >= 0 and not tokens[j].is_space and not tokens[j + 1].is_sent_start:
        t = tokens[j]
        if t.i in taken:
            if article:  # "Daraa al-Balad": a quarter named after the town, not Iraq's Balad
                extra, first = True, j
            break
        if _glued_hyphen(tokens, j) or t.text.lower() in ctx.name_joiners:  # "Mvog-Ada", "Al-Qusayr"
            article = article or (t.text.lower() in ctx.name_joiners and _glued_hyphen(tokens, j + 1))
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
    return tokens[first].doc[first:last].text  # (a Doc's text is rebuilt per call: a span's is short)


def extra_follows(tokens: list[Any], j: int) -> bool:
    """After a glued hyphen, a lower-case word continues a name only when a capitalised one
    follows ("Croix-des-Bouquets"), not in "Kabul-based" or "US-led"."""
    if tokens[j].text[:1].isupper():
        return True
    return j + 2 < len(tokens) and _glued_hyphen(tokens, j + 1) and tokens[j + 2].text[:1].isupper()


def mark_longer_names(chosen: list[Any], tokens: list[Any], ctx: Context, upper_doc: bool,
                      ent_of: dict[int, Any]) -> None:
    """Mark names that are only part of the name written (``longer_name``), a designation
    ("Base 46") or a building's name (descriptions.py), and every other mention of the same name with them ("the Qahira Hotel
    ... Qahira"). In capitals every word looks like a name; in a title-case headline the
    longer name is the one the tagger reads as one entity ("Oil Field East of Homs")."""
    if upper_doc:
        return
    taken = {t for f in chosen for t in range(f.tok_start, f.tok_end)}
    for f in chosen:
        s, e = f.tok_start, f.tok_end
        # "Orange County", "Homs Province": a name with its own kind; "Valley" alone has none.
        kind = f.region or (e - s > 1 and tokens[e - 1].text.lower() in ctx.region_after)
        if not kind and not f.headline:
            f.longer = longer_name(tokens, s, e, ctx, _Others(taken, s, e))
        elif not kind and (ent := ent_of.get(s)) is not None and ent.end > e:
            f.longer = longer_name(_Prefix(tokens, ent.end), s, e, ctx, _Others(taken, s, e, before=ent.start))
        f.longer = f.longer or (None if f.headline else designation(tokens, s, e))  # "Base 46"
        f.facility = facility_noun(tokens, s, e, ctx)
    marked = {fold(f.text): f for f in chosen if f.longer or f.facility}
    for f in chosen:
        if (m := marked.get(fold(f.text))) is None:
            continue
        f.longer = f.longer or m.longer
        if not f.facility and m.facility:
            # "the Qahira Hotel ... Qahira" is the hotel again; after "at Al-Quds hospital", "the
            # Al-Quds hospital" is that hospital, but "a market in Mogadishu" is the city.
            after = tokens[f.tok_end].text.lower() if f.tok_end < len(tokens) else ""
            if m.facility[:1].isupper() or after == m.facility.lower():
                f.facility = m.facility
