"""Reading an alert rules file (the format is in :mod:`.alerts`' docstring and
``examples/alerts.toml``): every value checked when the watcher starts, with the file, the rule
and the key named, so a typo never becomes a rule that silently matches nothing.

The filters become the API's own :class:`~flashpoint.store.filters.EventFilter`, so a rule means
exactly what the same ``GET /api/events`` query means; closed lists (event types, certainties,
countries) are checked the way the ``events`` command checks them, with the nearest known values.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..model import CERTAINTY_LEVELS, SUB_EVENT_TYPES
from ..store.filters import EventFilter
from ..suggest import country_names, did_you_mean, nearest

NAME_CHARS = 200  # alert_rules.name
TEXT_CHARS = 200  # a filter's text, as the API allows
FILTER_KEYS = ("country", "admin1", "actor", "type", "certainty", "bbox", "min_fatalities", "text")
ACTION_KEYS = ("print", "jsonl", "webhook")
KEYS = ("name", *FILTER_KEYS, "from", *ACTION_KEYS)
STARTS = ("now", "start")


class AlertRulesError(ValueError):
    """A rules file that cannot be used; the message names the file, the rule and the key."""


@dataclass(frozen=True)
class AlertRule:
    """One checked [[rule]] table: the API's filter, the smallest toll, where it begins, its actions."""

    name: str
    filter: EventFilter
    min_fatalities: int = 0
    start: str = "now"  # where a rule the store has not seen begins: "now" or "start"
    print: bool = False
    jsonl: Path | None = None
    webhook: str | None = None


@dataclass(frozen=True)
class AlertRules:
    """The rules of one file, in the file's order (the order in which a check runs them)."""

    path: Path
    rules: tuple[AlertRule, ...]

    @classmethod
    def load(cls, path: str | Path, *, countries: Callable[[str], tuple[str, str] | None] | None = None) -> AlertRules:
        """Read and check a rules file. ``countries`` looks a country up (name or code -> its
        name and ISO3 code, or None); by default the gazetteer, opened only when a rule names one."""
        path = Path(path)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise AlertRulesError(f"{path}: cannot read the alert rules: {exc.strerror or exc}") from None
        except UnicodeDecodeError:
            raise AlertRulesError(f"{path}: not UTF-8 text") from None
        except tomllib.TOMLDecodeError as exc:
            raise AlertRulesError(f"{path}: not valid TOML: {exc}") from None
        return cls(path=path, rules=tuple(parse_rules(data, path, countries)))


# ---------------------------------------------------------------------------
# Reading a rules file
# ---------------------------------------------------------------------------


class GazetteerCountries:
    """Country lookup over the gazetteer (name or code -> its name and ISO3 code), opened at the
    first lookup: a rules file naming no country never opens it."""

    def __init__(self) -> None:
        self._gazetteer: Any = None

    def __call__(self, text: str) -> tuple[str, str] | None:
        if self._gazetteer is None:
            from ..places import Gazetteer

            self._gazetteer = Gazetteer.open()
        code = text.upper() if len(text) in (2, 3) and text.isalpha() else None
        place = self._gazetteer.country(code or text)
        return (place.country, place.iso3) if place is not None and place.iso3 else None

    def close(self) -> None:
        if self._gazetteer is not None:
            self._gazetteer.close()
            self._gazetteer = None


class _Rule:
    """One [[rule]] table being read: its values, checked one key at a time."""

    def __init__(self, table: dict[str, Any], where: str) -> None:
        self.table, self.where = table, where

    def fail(self, key: str, message: str) -> AlertRulesError:
        return AlertRulesError(f"{self.where}: {key}: {message}")

    def text(self, key: str, limit: int = TEXT_CHARS) -> str | None:
        value = self.table.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, f"give a non-empty string, not {value!r}")
        if len(value) > limit or "\x00" in value:
            raise self.fail(key, f"at most {limit} characters, without NUL")
        return value.strip()

    def closed(self, key: str, known: list[str], what: str) -> str | None:
        value = self.text(key)
        if value is None:
            return None
        for k in known:
            if k.lower() == value.lower():
                return k
        hint = did_you_mean(nearest(value, known)) or f"; one of {', '.join(known)}"
        raise self.fail(key, f"{value!r} is not {what}{hint}")

    def country(self, countries: Callable[[str], tuple[str, str] | None]) -> str | None:
        value = self.text("country")
        if value is None:
            return None
        found = countries(value)
        if found is None:
            hint = did_you_mean(nearest(value, country_names())) or " (a region? admin1 takes those)"
            raise self.fail("country", f"{value!r} is not a country name or ISO3 code{hint}")
        name, iso3 = found  # events carry the gazetteer's name and ISO3 code: another name is its code
        return value if value.lower() in (name.lower(), iso3.lower()) else iso3

    def bbox(self) -> tuple[float, float, float, float] | None:
        value = self.table.get("bbox")
        if value is None:
            return None
        if isinstance(value, str):
            value = value.split(",")
        try:
            box = tuple(float(v) for v in value if not isinstance(v, bool))
        except (TypeError, ValueError):
            box = ()
        if len(box) != 4 or not all(abs(v) <= m for v, m in zip(box, (180, 90, 180, 90))):
            raise self.fail("bbox", f"give [MIN_LON, MIN_LAT, MAX_LON, MAX_LAT] in degrees, not {value!r}")
        if box[0] > box[2] or box[1] > box[3]:
            raise self.fail("bbox", "each minimum before its maximum: [MIN_LON, MIN_LAT, MAX_LON, MAX_LAT]")
        return box  # type: ignore[return-value]

    def count(self, key: str) -> int:
        value = self.table.get(key, 0)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.fail(key, f"give a whole number, 0 or more, not {value!r}")
        return value

    def flag(self, key: str) -> bool:
        value = self.table.get(key, False)
        if not isinstance(value, bool):
            raise self.fail(key, f"give true or false, not {value!r}")
        return value

    def webhook(self) -> str | None:
        value = self.text("webhook", limit=2000)
        if value is None:
            return None
        import httpx

        try:
            url = httpx.URL(value)
        except (httpx.InvalidURL, TypeError, ValueError):
            url = None
        if url is None or url.scheme not in ("http", "https") or not url.host:
            raise self.fail("webhook", f"give an http:// or https:// URL, not {value!r}")
        return value


def _unknown(key: str, known: tuple[str, ...]) -> str:
    return f"unknown key {key!r}" + (did_you_mean(nearest(key, list(known), n=1)) or f"; the keys are {', '.join(known)}")


def parse_rules(data: dict[str, Any], path: Path,
                countries: Callable[[str], tuple[str, str] | None] | None = None) -> list[AlertRule]:
    """The rules of a parsed TOML document (see the module doc), every value checked."""
    for key in data:
        if key != "rule":
            raise AlertRulesError(f"{path}: {_unknown(key, ('rule',))} (each rule is a [[rule]] table)")
    tables = data.get("rule")
    if not isinstance(tables, list) or not tables or not all(isinstance(t, dict) for t in tables):
        raise AlertRulesError(f"{path}: no rules: write each one as a [[rule]] table with a name and an action")
    gazetteer = GazetteerCountries() if countries is None else None
    lookup = countries or gazetteer
    rules, names = [], set()
    types = list(dict.fromkeys(SUB_EVENT_TYPES.values())) + list(SUB_EVENT_TYPES)
    try:
        for number, table in enumerate(tables, 1):
            label = table.get("name")
            where = f"{path}: rule {number}" + (f" ({label!r})" if isinstance(label, str) else "")
            rule = _Rule(table, where)
            for key in table:
                if key not in KEYS:
                    raise rule.fail(key, _unknown(key, KEYS))
            name = rule.text("name", limit=NAME_CHARS)
            if name is None:
                raise rule.fail("name", "every rule needs a name (its identity in the store)")
            if name in names:
                raise rule.fail("name", f"{name!r} names an earlier rule too; names are unique")
            names.add(name)
            flt = EventFilter(
                country=rule.country(lookup), admin1=rule.text("admin1"), actor=rule.text("actor"),
                event_type=rule.closed("type", types, "an event type or sub-event type of the codebook"),
                certainty=rule.closed("certainty", list(CERTAINTY_LEVELS), "a certainty"),
                bbox=rule.bbox(), text=rule.text("text"),
            )
            jsonl = rule.text("jsonl", limit=4096)
            parsed = AlertRule(
                name=name, filter=flt, min_fatalities=rule.count("min_fatalities"),
                start=rule.closed("from", list(STARTS), "where a new rule starts") or "now",
                print=rule.flag("print"), webhook=rule.webhook(),
                jsonl=(path.parent / Path(jsonl).expanduser()) if jsonl else None,
            )
            if not (parsed.print or parsed.jsonl or parsed.webhook):
                raise rule.fail("print", "the rule does nothing: give print = true, jsonl = \"FILE\" or webhook = \"URL\"")
            rules.append(parsed)
    finally:
        if gazetteer is not None:
            gazetteer.close()
    return rules
