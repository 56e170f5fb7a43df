"""Checks of the ``events`` filters whose values come from a closed list (event types,
countries): a value that can never match says so, with the nearest known ones, instead of
printing nothing."""

from __future__ import annotations

import click

from ..suggest import country_names, did_you_mean, nearest

# the API's sorts (store.cursor.SORTS; a test keeps the two equal), written out here because
# importing the store loads the pipeline, which every command would then wait for
SORTS = tuple(p + k for k in ("event_date", "fatalities", "updated", "event_type", "country") for p in ("", "-"))


def event_type(_ctx, _param, value: str | None) -> str | None:
    """``--type``: one of the codebook's event types or sub-event types (any case)."""
    if value is None:
        return None
    from ..model import SUB_EVENT_TYPES

    types = list(dict.fromkeys(SUB_EVENT_TYPES.values()))
    known = types + list(SUB_EVENT_TYPES)
    if value.strip().lower() in {k.lower() for k in known}:
        return value.strip()
    hint = did_you_mean(nearest(value, known)) or f"; the event types are {', '.join(types)} (and their sub-event types)"
    raise click.BadParameter(f"{value!r} is not an event type or sub-event type of the codebook{hint}")


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
        hint = did_you_mean(nearest(wanted, country_names())) or " (a region? --admin1 takes those)"
        raise click.BadParameter(f"{value!r} is not a country name or ISO3 code{hint}")
    if wanted.lower() in (place.country.lower(), place.iso3.lower()):
        return wanted
    click.echo(f"flashpoint: --country {value!r}: events in {place.country} ({place.iso3})", err=True)
    return place.iso3
