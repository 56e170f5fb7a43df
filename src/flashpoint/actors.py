"""Actors: find who is named in a sentence, normalise them, and tell initiator from target.

The names, aliases, categories and validity periods live in ``data/actors.toml`` (documented
there); this module only matches and decides. A surface form shared by several entries
("Syrian army") is resolved by the event's date, so the Assad-era army and the army of the
new administration stay different actors.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, insort
from dataclasses import dataclass, field, replace
from pathlib import Path

from .datafiles import read_text, read_toml
from .model import Actor


@dataclass(frozen=True)
class ActorEntry:
    name: str
    inter: str
    country: str | None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    cues: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()  # where a shared alias means this entry (default: country)
    local: bool = False  # its aliases mean it only in its countries; elsewhere their generic reading
    dissolved: bool = False  # gone at valid_to: a later mention of it names the past, no party

    def ended_by(self, day: dt.date | None) -> bool:
        return bool(self.dissolved and day and self.valid_to and day >= self.valid_to)

    def valid_on(self, day: dt.date) -> bool:
        if self.valid_from and day < self.valid_from:
            return False
        return not (self.valid_to and day >= self.valid_to)


@dataclass(frozen=True)
class AirPower:
    """In one country and period, whose aircraft strike there: Syria's before December 2024,
    Russia's over Ukraine since February 2022 (actors.toml, [[air_power]])."""

    country: str
    actor: ActorEntry
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    not_against: frozenset[str] = frozenset()

    def applies(self, *, where: str, on: dt.date | None, target: str | None) -> bool:
        if where != self.country or on is None or target in self.not_against:
            return False
        return not (self.valid_from and on < self.valid_from) and not (self.valid_to and on >= self.valid_to)


def _air_powers(items: list[dict], entries: list[ActorEntry]) -> list[AirPower]:
    by_name = {e.name: e for e in entries}
    out = []
    for item in items:
        if item["name"] not in by_name:
            raise ValueError(f"actors.toml [[air_power]] in {item['country']}: no [[actor]] named {item['name']!r}")
        out.append(AirPower(item["country"], by_name[item["name"]], item.get("valid_from"), item.get("valid_to"),
                            frozenset(item.get("not_against", ()))))
    return out


@dataclass(frozen=True)
class ActorMatch:
    """A span of text naming an actor, with the entries it may mean."""

    start: int
    end: int
    surface: str
    entries: tuple[ActorEntry, ...] = ()  # dictionary entries sharing the alias
    template: str | None = None  # "Protesters ({country})" ...
    template_inter: str | None = None
    country: str | None = None  # from a demonym in the match ("Syrian armed groups")
    anaphor: bool = False  # "the group": refers back to an earlier actor
    fallback: ActorMatch | None = None  # an anaphor's (or a local alias's) reading as a template


@dataclass
class ActorDictionary:
    """The compiled actor dictionary. Build once with :meth:`load` and pass it around."""

    version: str
    entries: list[ActorEntry]
    _alias_index: dict[str, list[tuple[str, ...]]]
    _alias_map: dict[str, tuple[ActorEntry, ...]]
    _templates: list[tuple[re.Pattern[str], str, str, frozenset[str]]]
    _anaphora_re: re.Pattern[str]
    demonyms: dict[str, str]  # demonym -> country
    countries: dict[str, str] = field(default_factory=dict)  # lower-case country -> name
    heads: frozenset[str] = frozenset()  # "troops" in "FMLN troops": part of the named actor
    head_modifiers: frozenset[str] = frozenset()  # "urban" in "FMLN urban guerrillas"
    coreferent: frozenset[str] = frozenset()  # templates that, beside a named group, may be it
    readings: tuple[Reading, ...] = ()  # a template's words read as a known actor in one country
    air_powers: tuple[AirPower, ...] = ()  # whose unattributed air strikes they are, by country
    acronyms: dict[str, tuple[ActorEntry, ...]] = field(default_factory=dict)  # case-sensitive
    cased_demonyms: frozenset[str] = frozenset()  # demonyms that count only as written ("US")

    @classmethod
    def load(cls, path: Path | None = None, *, countries_path: Path | None = None) -> ActorDictionary:
        raw = read_toml(path, "actors.toml")
        countries_text = read_text(countries_path, "countries.tsv")
        demonyms: dict[str, str] = {}
        cased: set[str] = set()  # "US": a demonym written in capitals counts only so written ("let us")
        countries: dict[str, str] = {}
        for line in countries_text.splitlines():
            if not line or line.startswith("#") or line.startswith("iso2\t"):
                continue
            _iso2, country, dems = line.split("\t")
            countries[country.lower()] = country
            for dem in dems.split(","):
                demonyms[dem.strip().lower()] = country
                if dem.strip().isupper():
                    cased.add(dem.strip())

        entries: list[ActorEntry] = []
        alias_map: dict[str, list[ActorEntry]] = {}
        acronyms: dict[str, list[ActorEntry]] = {}
        for item in raw.get("actor", []):
            entry = ActorEntry(
                name=item["name"],
                inter=item["inter"],
                country=item.get("country"),
                valid_from=item.get("valid_from"),
                valid_to=item.get("valid_to"),
                cues=tuple(c.lower() for c in item.get("cues", [])),
                countries=tuple(item.get("countries", [item["country"]] if item.get("country") else [])),
                local=bool(item.get("local", False)),
                dissolved=bool(item.get("dissolved", False)),
            )
            entries.append(entry)
            for alias in [*item.get("aliases", []), *item.get("descriptions", []), item["name"]]:
                alias_map.setdefault(_norm(alias), []).append(entry)
            for acronym in item.get("acronyms", []):
                acronyms.setdefault(acronym, []).append(entry)
        # Aliases are looked up by their first token: one dict probe per word of the text,
        # far cheaper than one regular expression with hundreds of alternatives.
        alias_index: dict[str, list[tuple[str, ...]]] = {}
        for alias in alias_map:
            toks = tuple(_TOKEN.findall(alias))
            if toks:
                alias_index.setdefault(toks[0], []).append(toks)
        for seqs in alias_index.values():
            seqs.sort(key=len, reverse=True)
        templates = []
        coreferent = {item["name"] for item in raw.get("template", []) if item.get("corefers")}
        for item in raw.get("template", []):
            for pattern in item["patterns"]:
                # Any one or two words stand in for {demonym}; find() keeps real demonyms
                # only (a regex alternation of every demonym is slow at every position).
                # One word is tried first: "Russian air strikes" is "Russian" + "air strikes",
                # not "Russian air" + "strikes".
                rx = pattern.replace("{demonym}", r"(?P<dem>[\w.]+(?:\s[\w.]+)??)")
                # Every match contains one of the pattern's words: skip texts with none.
                literal = re.sub(r"\w\?", "", pattern.replace("{demonym}", ""))  # "groups?" -> "group"
                words = frozenset(re.findall(r"[a-z]{3,}", literal))
                templates.append(
                    (re.compile(r"(?<![\w-])" + rx + r"(?![\w-])", re.IGNORECASE), item["name"],
                     item["inter"], words)
                )
        anaphora = [re.escape(p) for p in raw.get("anaphora", {}).get("phrases", [])]
        anaphora += raw.get("anaphora", {}).get("patterns", [])
        anaphora_re = re.compile(
            r"(?<![\w-])(" + "|".join(anaphora) + r")(?![\w-])", re.IGNORECASE
        ) if anaphora else re.compile(r"(?!x)x")
        return cls(
            version=str(raw.get("version", "0")),
            entries=entries,
            _alias_index=alias_index,
            _alias_map={k: tuple(v) for k, v in alias_map.items()},
            _templates=templates,
            _anaphora_re=anaphora_re,
            demonyms=demonyms,
            cased_demonyms=frozenset(cased),
            countries=countries,
            heads=frozenset(w.lower() for w in raw.get("heads", {}).get("words", [])),
            head_modifiers=frozenset(w.lower() for w in raw.get("heads", {}).get("modifiers", [])),
            coreferent=frozenset(coreferent),
            readings=tuple(
                Reading(
                    template=item["template"],
                    pattern=re.compile(r"(?:" + "|".join(item["patterns"]) + r")$", re.IGNORECASE),
                    country=item["country"],
                    name=item["name"],
                    inter=item["inter"],
                    valid_from=item.get("valid_from"),
                    valid_to=item.get("valid_to"),
                )
                for item in raw.get("reading", [])
            ),
            acronyms={k: tuple(v) for k, v in acronyms.items()},
            air_powers=tuple(_air_powers(raw.get("air_power", []), entries)),
        )

    def air_power(self, *, where: str | None, on: dt.date | None, target: str | None) -> ActorEntry | None:
        """Whose air or drone strike it is when no sentence names an initiator: the air power
        of the country struck on that day (``target``: the struck side's name), else None."""
        return next((a.actor for a in self.air_powers if where and a.applies(where=where, on=on, target=target)),
                    None)

    # -- finding ---------------------------------------------------------------------------

    def find(self, text: str, *, offset: int = 0, templates: bool = True) -> list[ActorMatch]:
        """Every actor named in ``text``; overlapping matches keep the longest.

        ``templates=False`` finds dictionary actors only (cheap: for whole articles).
        """
        found: list[ActorMatch] = []
        lowered = text.lower().replace("’", "'")
        tokens = [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(lowered)]
        for i, (tok, start, _end) in enumerate(tokens):
            for seq in self._alias_index.get(tok, ()):
                n = len(seq)
                got = tuple(t for t, _, _ in tokens[i : i + n])
                end = tokens[i + n - 1][2] if len(got) == n else 0
                if got != seq:
                    # Wire copy stripped of apostrophes: "the Syrian armys artillery",
                    # "Jeish al-Fatahs positions" still name the actor.
                    if len(got) != n or got[:-1] != seq[:-1] or got[-1] != seq[-1] + "s" or len(seq[-1]) < 3:
                        continue
                if (start > 0 and (lowered[start - 1].isalnum() or lowered[start - 1] in "-_")) or (
                    end < len(lowered) and (lowered[end].isalnum() or lowered[end] in "-_")
                ):
                    continue  # "Hezbollah-run" is not a mention of Hezbollah
                entries = self._alias_map.get(" ".join(seq)) or self._alias_map.get(_norm(text[start:end]))
                if entries:
                    found.append(ActorMatch(offset + start, offset + end, text[start:end], entries=entries))
                break
        if self.acronyms and _mostly_lower(text):
            # Acronyms that are also words ("IS") count only as written, in ordinary text.
            for m in _ACRONYM.finditer(text):
                entries = self.acronyms.get(m.group(0))
                if entries:
                    found.append(ActorMatch(offset + m.start(), offset + m.end(), m.group(0), entries=entries))
        lower_text = _mostly_lower(text)
        for rx, name, inter, words in self._templates if templates else ():
            if not any(w in lowered for w in words):
                continue
            for m in rx.finditer(text):
                start, country = m.start(), None
                if "dem" in rx.groupindex:
                    written = m.group("dem")
                    if written.lower() not in self.demonyms:
                        written = written.split()[-1]
                        start = m.end("dem") - len(written)
                    country = self.demonyms.get(written.lower()) if self.is_demonym(written) else None
                    if country is None or (written in self.cased_demonyms and not lower_text):
                        continue  # "US" counts as written in ordinary text, never in all capitals
                found.append(
                    ActorMatch(
                        offset + start,
                        offset + m.end(),
                        text[start : m.end()],
                        template=name,
                        template_inter=inter,
                        country=country,
                    )
                )
        for m in self._anaphora_re.finditer(text):
            found.append(ActorMatch(offset + m.start(), offset + m.end(), m.group(0), anaphor=True))
        found = self._absorb_heads(found, text, offset)
        # "the Shiite militant group" is a description of a known group, not a pointer back.
        # (Named matches by end, and below the kept ones by start: a whole article has thousands,
        # and testing each against all the others took time quadratic in its length.)
        named_from: dict[int, int] = {}  # end -> the latest start of a named match ending there
        for g in found:
            if g.entries:
                named_from[g.end] = max(named_from.get(g.end, g.start), g.start)
        found = [f for f in found if not (f.anaphor and named_from.get(f.end, f.start - 1) >= f.start)]
        # Longest first, then earliest: a dictionary alias beats a template of the same span.
        found.sort(key=lambda a: (-(a.end - a.start), a.template is not None, a.start))
        templated = [f for f in found if f.template]
        kept: list[ActorMatch] = []
        spans: list[tuple[int, int]] = []  # the kept matches' (start, end), sorted: none overlap
        for match in found:
            # Of the kept ones that start before it ends, the last ends last: it must end by its start.
            i = bisect_left(spans, (match.end, match.start))
            if i == 0 or spans[i - 1][1] <= match.start:
                if match.anaphor:
                    inner = [f for f in templated if match.start <= f.start and f.end <= match.end]
                    match = replace(match, fallback=max(inner, key=lambda f: f.end - f.start, default=None))
                elif match.entries and any(e.local for e in match.entries):
                    # "Iranian militias" outside Syria: the words' generic reading, if any.
                    same = [f for f in templated if f.start == match.start and f.end == match.end]
                    match = replace(match, fallback=same[0] if same else None)
                kept.append(match)
                insort(spans, (match.start, match.end))
        kept.sort(key=lambda a: a.start)
        return self._shared_heads(kept, text, offset, templates=templates)

    def _shared_heads(self, kept: list[ActorMatch], text: str, offset: int, *, templates: bool) -> list[ActorMatch]:
        """"Syrian and Russian warplanes", "Iraqi and Kurdish forces": each demonym of a
        coordination shares the noun after the last one, so each names an actor (the match
        covers the demonym alone; the parse makes it a conjunct of the other)."""
        out = list(kept)
        for m in kept:
            first, _, rest = m.surface.partition(" ")
            if not rest or not self.is_demonym(first):
                continue
            before = _COORDINATED.search(text, max(0, m.start - offset - 40), m.start - offset)
            if before is None or not self.is_demonym(before.group("dem")):
                continue
            phrase = f"{before.group('dem')} {rest}"
            shared = [x for x in self.find(phrase, templates=templates) if x.start == 0 and x.end == len(phrase)]
            if shared and not any(k.start <= offset + before.start("dem") < k.end for k in kept):
                start, end = offset + before.start("dem"), offset + before.end("dem")
                out.append(replace(shared[0], start=start, end=end, surface=before.group("dem")))
        out.sort(key=lambda a: a.start)
        return out

    def _absorb_heads(self, found: list[ActorMatch], text: str, offset: int) -> list[ActorMatch]:
        """A generic noun next to a named actor belongs to that actor.

        After it: "FMLN [Farabundo ...] troops", "Hezbollah fighters", "Shining Path terrorist
        organization", "FMLN urban guerrillas" (an editor's bracketed gloss and a few modifiers
        may sit between). Before it, joined by "of": "terrorists of the FMLN", "guerrillas of
        the so-called Camilist Union" -- one actor, not an unnamed group beside a named one.
        """
        if not self.heads:
            return found
        out = list(found)
        for named in [f for f in found if f.entries]:
            pos, end = named.end - offset, None
            gloss = _GLOSS.match(text, pos)
            pos = gloss.end() if gloss else pos
            for _ in range(3):  # "terrorist group members": at most three words
                m = _WORD_AFTER.match(text, pos)
                if not m:
                    break
                word = m.group("word").lower()
                if word in self.heads:
                    end = m.end()
                elif word not in self.head_modifiers:
                    break
                pos = m.end()
            if end is not None:
                out.append(replace(named, end=offset + end, surface=text[named.start - offset : end]))
            window = max(0, named.start - offset - 60)  # the "of" phrase is short: look back a little
            before = _HEAD_OF.search(text, window, named.start - offset)
            if before and before.group("head").lower() in self.heads:
                start = before.start("head")
                out.append(replace(named, start=offset + start, surface=text[start : named.end - offset]))
        return out

    # -- normalising -----------------------------------------------------------------------

    def resolve(
        self, match: ActorMatch, *, on: dt.date | None, country: str | None, context: str = "",
        readings: bool = True,
    ) -> Actor | None:
        """The normalised actor a match stands for on a given day, or None if undecidable.

        ``country`` is the country of the event's place, used by templates that name none.
        ``readings=False`` keeps a template's plain meaning (no country-specific reading).
        """
        if match.entries:
            entry = self._choose(match.entries, on=on, context=context, country=country)
            if entry is not None and entry.local and country and country not in entry.countries:
                # A local name ("Iranian militias" = Syria's pro-Iranian militia) elsewhere.
                return self.resolve(match.fallback, on=on, country=country) if match.fallback else None
            if entry is None or entry.ended_by(on):
                return None  # "since the fall of the Assad regime" in 2025: the past, not a party
            return Actor(entry.name, entry.inter, entry.country)
        if match.template:
            where = match.country or country
            if not where:
                return None
            for reading in self.readings if readings else ():
                if reading.applies(match, where=where, on=on):
                    return Actor(reading.name, reading.inter, reading.country)
            name = match.template.format(country=where)
            # A template naming a state's forces maps onto that state's dated entry, if any.
            dated = [e for e in self.entries if e.name.replace(" of the ", " of ", 1).startswith(name + " (")]
            if dated:
                # The words themselves may name the period: "regime forces" are the Assad-era army.
                words = match.surface.lower()
                named = [e for e in dated if any(c in words for c in e.cues)]
                entry = named[0] if len(named) == 1 else self._choose(
                    tuple(dated), on=on, context=context, country=where)
                if entry is not None and entry.ended_by(on):
                    return None
                if entry and (on is None or entry.valid_on(on)):
                    return Actor(entry.name, entry.inter, entry.country)
            # No dated entry covers the day: the undated name is right, a wrong period is not.
            return Actor(name, match.template_inter or "Political militia", where)
        return None

    def _choose(
        self, entries: tuple[ActorEntry, ...], *, on: dt.date | None, context: str, country: str | None = None
    ) -> ActorEntry | None:
        if len(entries) == 1:
            return entries[0]
        # "Islamic State" in Iraq is Islamic State (Iraq): the event's country picks the branch.
        local = tuple(e for e in entries if country and country in e.countries)
        if local and len({e.countries for e in entries}) > 1:
            entries = local
            if len(entries) == 1:
                return entries[0]
        if on is not None:
            valid = [e for e in entries if e.valid_on(on)]
            if valid:
                return valid[0]
        lowered = context.lower()
        cued = [e for e in entries if any(c in lowered for c in e.cues)]
        if len(cued) == 1:
            return cued[0]
        if on is None:
            # No date and no cue: the entry still in force today is the least surprising.
            current = [e for e in entries if e.valid_to is None]
            return current[-1] if current else entries[-1]
        return None

    def country_of_demonym(self, word: str) -> str | None:
        return self.demonyms.get(word.lower()) if self.is_demonym(word) else None

    def is_demonym(self, word: str) -> bool:
        """A demonym as written: "US" but not "us" (nor "US" in a text all in capitals, where
        "LET US" is written so too; callers that know the text is so check it)."""
        low = word.lower()
        return low in self.demonyms and (low.upper() not in self.cased_demonyms or word == low.upper())


@dataclass(frozen=True)
class Reading:
    """In one country and period, a template's words name a known actor: in Syria before
    December 2024, "terrorists" is what the government and its media call the armed
    opposition, so it reads as ``Opposition Rebels (Syria)``, not an unnamed group."""

    template: str
    pattern: re.Pattern[str]  # the match's surface, whole
    country: str
    name: str
    inter: str
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    def applies(self, match: ActorMatch, *, where: str, on: dt.date | None) -> bool:
        if match.template != self.template or where != self.country:
            return False
        if on is not None and ((self.valid_from and on < self.valid_from) or (self.valid_to and on >= self.valid_to)):
            return False
        return bool(self.pattern.match(match.surface.strip()))


_TOKEN = re.compile(r"\w+|[^\w\s]")
_ACRONYM = re.compile(r"(?<![\w-])[A-Z]{2,6}(?![\w-])")


def _mostly_lower(text: str) -> bool:
    """Ordinary text, not upper-case wire copy where every word looks like an acronym."""
    letters = [c for c in text if c.isalpha()]
    return sum(c.islower() for c in letters) > len(letters) / 2
# A demonym coordinated with the next one: "Syrian and ", "Iraqi, Kurdish and " (its end is the next's start)
_COORDINATED = re.compile(r"\b(?P<dem>[A-Z][\w-]+)(?:\s*,\s*|\s+and\s+|\s*,\s*and\s+)$")
_GLOSS = re.compile(r"\s*\[[^\]]{1,80}\]")  # an editor's gloss: "FMLN [Farabundo ...]"
_WORD_AFTER = re.compile(r"\s+(?P<word>\w+)\b")
# "terrorists of the so-called ...": the generic noun, "of", an optional article and label.
_HEAD_OF = re.compile(r"\b(?P<head>\w+)\s+of\s+(?:the\s+)?(?:so-called\s+|self-styled\s+)?$", re.IGNORECASE)


def _norm(text: str) -> str:
    """The lookup key of an alias: lower case, tokens joined by single spaces, no "the"."""
    toks = _TOKEN.findall(text.lower().replace("’", "'"))
    if toks[:1] == ["the"] and len(toks) > 1:
        toks = toks[1:]
    return " ".join(toks)
