"""What the words around a name say about it, beyond "is it a place": that it names a
province ("the province of Aleppo", "Quneitra southern province"), where it lies ("Hadar
village in Quneitra province"), that it is only part of a designation ("Base 46"), and that a
capital names a government rather than a scene ("the claim was denied by Brussels").

The word lists are those of ``data/places_context.toml`` (see README-places.md)."""

from __future__ import annotations

from bisect import bisect_left
from typing import Any

from .context import Context
from .normalise import fold

# Words that determine a noun phrase ("a", "the", "its", "Syria's"): before "X hospital" they make
# X a modifier saying where the hospital is.
_DETERMINERS = frozenset({"a", "an", "the", "this", "that", "these", "those", "another", "one", "any",
                          "each", "every", "some", "no", "its", "his", "her", "their", "our", "my", "your"})
_DETERMINER_TAGS = frozenset({"DT", "PRP$", "POS", "CD", "WP$", "PDT"})
_MONTH_WORDS = frozenset({"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct",
                          "nov", "dec", "january", "february", "march", "april", "june", "july",
                          "august", "september", "october", "november", "december"})


def _words(tokens: list[Any], start: int, stop: int) -> list[Any]:
    """The tokens ``start:stop`` without the line breaks of wire copy."""
    return [t for t in tokens[max(0, start):stop] if not t.is_space]


def admin_of(tokens: list[Any], s: int, ctx: Context) -> str | None:
    """"the province of Aleppo", "the neighbouring governorate of Idlib": the administrative
    word the name is "of"; the name is then that province, not its namesake city."""
    w = _words(tokens, s - 4, s)
    if len(w) >= 2 and w[-1].text.lower() == "of" and w[-2].text.lower() in ctx.admin_of:
        return w[-2].text.lower()
    return None


def admin_after(tokens: list[Any], e: int, ctx: Context) -> int:
    """"Homs province", "Quneitra southern province", "Aleppo's eastern countryside": the token
    index just past the administrative word after the name (a compass word may stand between),
    or 0 when none follows."""
    j = e
    while j < len(tokens) and tokens[j].is_space:
        j += 1
    if j < len(tokens) and tokens[j].text.lower() in ctx.admin_after:
        return j + 1
    if (j + 2 < len(tokens) and tokens[j].text.lower() in ctx.name_qualifiers and tokens[j].is_lower
            and tokens[j + 1].text.lower() in ctx.admin_of and tokens[j + 2].text.lower() != "of"):
        return j + 2  # not "Damascus central district" (a quarter of the city)
    return 0


def designation(tokens: list[Any], s: int, e: int) -> str | None:
    """"Base 46", "Hill 60", "Route 5": a name followed by a number (not a date: "Aleppo 12
    July") is a designation of which the name is only part."""
    if e >= len(tokens) or tokens[e].is_space or not tokens[e - 1].whitespace_:
        return None
    num = tokens[e]
    if not (num.is_digit and len(num.text) <= 3):
        return None
    nxt = tokens[e + 1] if e + 1 < len(tokens) else None
    if nxt is not None and (nxt.text.lower().rstrip(".") in _MONTH_WORDS or nxt.text in ("-", "/", ":", ".")
                            and e + 2 < len(tokens) and tokens[e + 2].is_digit):
        return None  # "Aleppo 12 July", "Homs 12/07"
    if nxt is not None and (nxt.text[:1].isupper() or nxt.tag_ in ("NNS", "NNPS")):
        return None  # "Closer to Azaz 6 ISIS Bombers Killed", "shelled Homs 3 times": the number counts
    return num.doc[s : num.i + 1].text  # (a Doc's text is rebuilt per call: a span's is short)


def facility_noun(tokens: list[Any], s: int, e: int, ctx: Context) -> str | None:
    """"the Qahira Hotel", "at Al-Quds hospital": the facility word after a name that makes it a
    building's name. A capitalised one always does. A lower-case one does only when nothing
    determines the noun phrase: "X hospital" with no article is the hospital's own name (English
    needs a determiner before a common singular noun), while "a Benghazi hospital", "the
    Benghazi hospital", "Guatemala's Washington embassy" are buildings in Benghazi, Washington."""
    if e >= len(tokens) or tokens[e].text.lower() not in ctx.facility_after:
        return None
    if tokens[e].text[:1].isupper():
        return tokens[e].text
    if not tokens[e].is_lower or tokens[e].tag_ in ("NNS", "NNPS"):
        return None
    before = _words(tokens, s - 1, s)
    if before and (before[0].tag_ in _DETERMINER_TAGS or before[0].text.lower() in _DETERMINERS):
        return None
    return tokens[e].text


def containers(found: list[Any], tokens: list[Any], ctx: Context) -> None:
    """Set ``within`` on each name the text says lies in another one it names next: "Hadar
    village in Quneitra southern province", "the Al-Quds hospital in Aleppo", "Kafr Nabl, in
    northern Idlib", "Marea, Aleppo province". Resolution keeps such a name in the other's
    country (resolve.py)."""
    # "in Northern Aleppo province": a compass word taken for a name is still a compass word.
    by_start = {f.tok_start: f for f in found if f.text.lower() not in ctx.name_qualifiers}
    ordered = sorted(found, key=lambda f: f.tok_start)  # for the names of one sentence (_apposed)
    tok_starts = [f.tok_start for f in ordered]
    for f in found:
        j = f.tok_end
        words = []
        while j < len(tokens) and j - f.tok_end < 8 and j not in by_start:
            if not tokens[j].is_space:
                words.append(tokens[j].text.lower())
            j += 1
        g = by_start.get(j)
        if (g is None or g is f or g.demonym is not None or g.common_word
                or tokens[j].sent.start != tokens[f.tok_start].sent.start):
            continue
        rest = list(words)
        while rest and (rest[0] in ctx.place_nouns or rest[0] in ctx.facility_after):
            rest.pop(0)  # "Hadar village in ...", "Al-Quds hospital in ..."
        if rest[:1] == [","]:
            rest.pop(0)
        if rest == [] and words[-1:] == [","] and g.admin_word:
            f.within = g  # "Marea, Aleppo province"
            continue
        if words == [","] and _apposed(f, g, _in_sentence(tokens[f.tok_start].sent, ordered, tok_starts), tokens):
            f.within, f.apposed = g, True  # "Suffolk, England", "Paris, Missouri"
            continue
        if rest[:1] != ["in"]:
            continue
        rest.pop(0)
        if rest[:1] == ["the"]:
            rest.pop(0)
        if all(w in ctx.name_qualifiers for w in rest):
            f.within = g


LIST_LINKS = frozenset({",", "and", "or", "&"})  # words that join the items of a list


def _in_sentence(sent: Any, ordered: list[Any], tok_starts: list[int]) -> list[Any]:
    """The names (``ordered`` by first token, ``tok_starts`` theirs) that start in ``sent``."""
    return ordered[bisect_left(tok_starts, sent.start) : bisect_left(tok_starts, sent.end)]


def _apposed(f: Any, g: Any, found: list[Any], tokens: list[Any]) -> bool:
    """Is "X, Y" (``f``, ``g``) a place and the province or country it lies in ("Suffolk,
    England", "Idlib, Syria") rather than two items of a list ("Alaska, Alabama", "Harasta,
    Aleppo and Homs")? Y must outrank X, and neither may have a sibling of its own rank listed
    beside it: a town listed before X, a name after Y that can be of Y's rank. ``found``: the
    text's names, or at least all those of X's sentence."""
    if g.rank() <= f.rank() or not g.candidates:
        return False
    sent = tokens[f.tok_start].sent
    for other in found:
        if other is f or other is g or other.demonym is not None or not sent.start <= other.tok_start < sent.end:
            continue
        if other.tok_end <= f.tok_start:
            between, sibling_of = tokens[other.tok_end:f.tok_start], f
        elif other.tok_start >= g.tok_end:
            between, sibling_of = tokens[g.tok_end:other.tok_start], g
        else:
            continue
        if not between or not all(t.text.lower() in LIST_LINKS for t in between):
            continue
        # a town listed before X; after Y, any name that can be what Y is ("West Virginia and
        # Wyoming", the state and not the town in Michigan)
        if (other.rank() == f.rank()) if sibling_of is f else other.can_be(g.rank()):
            return False
    return True


def list_mates(found: list[Any], tokens: list[Any]) -> None:
    """Set ``listed`` on each name written in a list with others ("Kansas, Missouri and
    Ohio"): a province listed beside a name says nothing about where that name lies. A name
    and the place it is apposed to ("Paris, Missouri") are no list."""
    ordered = sorted(found, key=lambda f: f.tok_start)
    groups: list[list[Any]] = []
    for prev, f in zip([None] + ordered, ordered):
        linked = (prev is not None and prev.tok_end <= f.tok_start and prev.within is not f
                  and tokens[prev.tok_start].sent.start == tokens[f.tok_start].sent.start
                  and tokens[prev.tok_end:f.tok_start]
                  and all(t.text.lower() in LIST_LINKS for t in tokens[prev.tok_end:f.tok_start]))
        if linked:
            groups[-1].append(f)
        else:
            groups.append([f])
    for group in groups:
        if len(group) > 1:
            names = {fold(f.text) for f in group}
            for f in group:
                f.listed = frozenset(names - {fold(f.text)})


def _span_root(tokens: list[Any], s: int, e: int) -> Any | None:
    """The token of tokens[s:e] whose head lies outside the span (or is itself)."""
    inside = range(s, e)
    return next((t for t in tokens[s:e] if t.head.i not in inside or t.head.i == t.i), None)


def speaks_for_government(tokens: list[Any], s: int, e: int, ctx: Context) -> str | None:
    """"Moscow had announced", "the claim was denied by Brussels", "Damascus and Ankara
    protested", "the government told Tehran", "which Washington blames on Damascus": a name
    that is the agent (or the one spoken to or blamed) of a verb of saying, denying or
    protesting names a government, not where anything happened. Returns the verb, or None."""
    root = _span_root(tokens, s, e)
    if root is None:
        return None
    t = root
    while t.dep_ == "conj" and t.head.i != t.i and t.head.pos_ == "PROPN":
        t = t.head  # "Damascus and Ankara protested"
    if t.dep_ == "nsubj" and t.head.lemma_.lower() in ctx.speech_verbs:
        return t.head.lemma_.lower()
    if t.dep_ == "pobj" and t.head.dep_ == "agent" and t.head.head.lemma_.lower() in ctx.speech_verbs:
        return t.head.head.lemma_.lower()
    if t.dep_ in ("dobj", "dative") and t.head.pos_ == "VERB" and t.head.lemma_.lower() in ctx.speech_verbs:
        return t.head.lemma_.lower()  # "had told Tehran", "warned Washington": the one spoken to
    if t.dep_ == "pobj" and t.head.lower_ in _BLAMED_PREPS and t.head.head.pos_ == "VERB" \
            and t.head.head.lemma_.lower() in ctx.speech_verbs:
        return t.head.head.lemma_.lower()  # "blames on Damascus", "complained to Moscow"
    return None


_BLAMED_PREPS = frozenset({"on", "against", "to"})  # whom a verb of saying blames or addresses


def government_subject(tokens: list[Any], s: int, e: int, ctx: Context) -> str | None:
    """"Islamabad must address internal issues", "Washington sent two carriers", "backed by
    Moscow": a capital that acts, as the subject or passive agent of a verb, is its government; unless the verb is one whose subject
    undergoes what happens there (``ctx.scene_verbs``: "Kabul saw three blasts", "Aleppo
    suffered heavy shelling"). Returns the verb, or None."""
    root = _span_root(tokens, s, e)
    if root is not None and root.dep_ == "pobj" and root.head.dep_ == "agent":
        root = root.head  # "the offensive was backed by Moscow": the agent acts, as a subject does
    if root is None or root.dep_ not in ("nsubj", "agent") or root.head.pos_ != "VERB":
        return None
    lemma = root.head.lemma_.lower()
    return None if lemma in ctx.scene_verbs else lemma


def bans(tokens: list[Any], s: int, e: int) -> str | None:
    """"Al-Nusra Front (banned in Russia)", "a group outlawed in Turkey": a country that bans a
    body names its state and law, not a scene. Returns the verb, or None."""
    root = _span_root(tokens, s, e)
    if root is None or root.dep_ != "pobj" or root.head.lower_ != "in":
        return None
    verb = root.head.head
    return verb.lower_ if verb.lemma_.lower() in _BANNING else None


_BANNING = frozenset({"ban", "outlaw", "prohibit", "proscribe"})


def government_modifier(tokens: list[Any], s: int, e: int, ctx: Context) -> str | None:
    """"Damascus ally Hezbollah", "Moscow's envoy", "Kabul authorities": a capital modifying a
    noun of ``ctx.government_nouns`` names the government, not a scene; so does one that
    something is loyal or allied to (``ctx.allegiance_words``). Returns the word."""
    root = _span_root(tokens, s, e)
    if root is not None and root.dep_ == "pobj" and root.head.lower_ in ("to", "with", "by") and (
            root.head.head.lower_ in ctx.allegiance_words):
        return root.head.head.lower_  # "troops loyal to Damascus", "militias allied with Tehran"
    if root is None or root.dep_ not in ("compound", "poss", "nmod", "amod"):
        return None
    head = root.head
    return head.lower_ if head.lower_ in ctx.government_nouns else None


def seat_of(tokens: list[Any], e: int, ctx: Context) -> str | None:
    """"the UK-based Syrian Observatory", "a Britain based monitor", "London-headquartered
    Amnesty": a name followed by one of ``ctx.seat_words`` is where a body sits, not where
    anything happened. Returns the word, or None."""
    for t in tokens[e : e + 2]:
        low = t.lower_.lstrip("-")
        if low in ctx.seat_words:
            return low
        if t.text not in ("-", "–"):
            break
    return None
