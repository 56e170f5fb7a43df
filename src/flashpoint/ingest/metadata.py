"""Metadata at the head of an article: publication date line, dateline, outlet.

* A date at the very top ("Wed 05 Apr 2017 ...", "Posted on April 4 2017 by ...",
  "This story is from March 10, 2002") is a publication date, not a dateline.
* A dateline names where the reporter filed from: "[Damascus]", "BEIRUT (AP) —",
  "DAMASCUS, Feb 6 (Reuters) -", "SAN SALVADOR, 3 JAN 90 --", "KYIV, Ukraine —",
  "new delhi:". Its span is marked, the text is left as it is.
* The outlet is named by a wire agency in the dateline, or by the outlet's own appeal copy
  that the cleaner removed ("X's correspondents ...", a banner image's alt text).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from ..model import Dateline
from .rules import CleaningRules

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|"
    r"aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)"
# Day-month-year, month-day-year, numeric and ISO dates; the year may be fused to the day
# ("Apr 232017", seen in scraped pages) and may have two digits ("3 JAN 90").
_DATE_FORMS = (
    rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th)?[\s-]+{_MONTH}[\s,-]+(?P<y>\d{{4}}|\d{{2}})\b",
    rf"{_MONTH}\s*(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s*(?P<y>\d{{4}})(?!\d)",
    r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b",
    r"(?P<d>\d{1,2})(?P<sep>[./-])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4})",
)
_DATE_RE = tuple(re.compile(f, re.I) for f in _DATE_FORMS)
_WEEKDAY_RE = re.compile(_WEEKDAY, re.I)


def parse_date_at(text: str, pos: int = 0) -> tuple[dt.date, int] | None:
    """A date starting exactly at ``pos`` (weekday allowed): (date, end offset)."""
    m = _WEEKDAY_RE.match(text, pos)
    start = m.end() if m else pos
    for rx in _DATE_RE:
        d = rx.match(text, start)
        if d:
            date = _to_date(d)
            if date is not None:
                return date, d.end()
    return None


def _to_date(m: re.Match[str]) -> dt.date | None:
    groups = m.groupdict()
    mon = groups.get("mon")
    month = MONTHS[mon.lower()[:3]] if mon else int(groups["m"])
    year = int(groups["y"])
    if year < 100:  # fixed pivot, so the same text gives the same date on every run
        year += 2000 if year < 50 else 1900
    try:
        return dt.date(year, month, int(groups["d"]))
    except ValueError:
        return None


# ---------------------------------------------------------------------------
# Publication date at the top
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TopDate:
    date: dt.date
    end: int  # offset just after the date in the text it was found in


def find_top_date(text: str, rules: CleaningRules) -> TopDate | None:
    """A publication date opening the text, after an optional "Posted on"-like prefix."""
    pos = len(text) - len(text.lstrip())
    head = text[pos : pos + 200].lower()
    for prefix in rules.date_prefixes:
        if head.startswith(prefix) and not head[len(prefix) : len(prefix) + 1].isalpha():
            pos += len(prefix)
            pos += len(text[pos:]) - len(text[pos:].lstrip(" :\t"))
            break
    found = parse_date_at(text, pos)
    if found is None:
        return None
    return TopDate(found[0], found[1])


# ---------------------------------------------------------------------------
# Datelines
# ---------------------------------------------------------------------------

_CAPS = r"[A-Z][A-Z'’.\-]*(?:\s[A-Z][A-Z'’.\-]*){0,3}"
_TITLE = r"[A-Z][a-z'’.\-]+(?:\s(?:[A-Z][a-z'’.\-]+|al|el|de|du|of)){0,3}"
# Lower-case datelines (Times of India: "new delhi:", "ahmedabad/vadodara:",
# "kudatini (bellary):", "kumbakonam, tamil nadu:") only ever end in a colon.
_LOWER = r"[a-z][a-z.\-]+(?:[\s/][a-z][a-z.\-]+){0,3}"
_LOWER_REGION = r"(?:,\s*(?P<region>[a-z][a-z.\- ]{1,25})|\s*\((?P<region2>[a-z][a-z.\- ]{1,25})\))"
_REGION = r"(?:,\s*(?P<region>[A-Z][A-Za-z.\-]+(?:\s[A-Z][A-Za-z.\-]+){0,2})|\s*\((?P<region2>[A-Z][A-Za-z.\s\-]{1,30})\))"
_DL_DATE = (
    r"(?:,?\s*(?P<date>\d{1,2}\s[A-Za-z]{3,9}\.?\s\d{2,4}|[A-Za-z]{3,9}\.?\s\d{1,2}(?:,\s*\d{4})?"
    r"|NO DATE))"
)
_AGENCY = r"(?:\s*\((?P<agency>[^()\n]{1,40})\))"
# A hyphen counts as a dateline dash only between spaces: "US-led" is no dateline.
_DASH = r"(?:\s*(?:--|—|–)\s*|\s+-\s+)"

_BRACKET = re.compile(rf"\[(?P<place>{_TITLE}|{_CAPS})\]\s*")
_WIRE = re.compile(rf"(?P<place>{_CAPS}|{_TITLE}){_REGION}?{_DL_DATE}?{_AGENCY}?{_DASH}")
# Title-case "Russia: ..." is a headline, not a dateline, so only lower case and capitals.
_COLON = re.compile(rf"(?P<place>{_CAPS}){_REGION}?:\s+(?=\S)")
_COLON_LOWER = re.compile(rf"(?P<place>{_LOWER}){_LOWER_REGION}?:\s+(?=\S)")


@dataclass(frozen=True)
class DatelineInfo:
    dateline: Dateline | None
    date: dt.date | None  # the dateline's date (also when the place is "NO CITY")
    agency: str | None  # the source in the dateline's parentheses, as written


def find_dateline(
    text: str, rules: CleaningRules, *, start: int = 0, reference: dt.date | None = None
) -> DatelineInfo:
    """The dateline at ``start`` (after leading whitespace), if there is one.

    ``reference`` (the publication date) supplies the year of "Feb 6"-style dates.
    """
    pos = start + len(text[start:]) - len(text[start:].lstrip())
    for rx in (_BRACKET, _WIRE, _COLON, _COLON_LOWER):
        m = rx.match(text, pos)
        if m is None:
            continue
        info = _dateline_from(m, rx, rules, reference)
        if info is not None:
            return info
    return DatelineInfo(None, None, None)


def _dateline_from(m, rx, rules, reference) -> DatelineInfo | None:
    groups = m.groupdict()
    place = " ".join(m.group("place").split()).strip(" .")
    region = groups.get("region") or groups.get("region2")
    region = " ".join(region.split()) if region else None
    date_text, agency = groups.get("date"), groups.get("agency")
    if region and not agency and _is_source(region, rules):
        region, agency = None, region  # "BEIRUT (AP) —": the parentheses hold the source
    if rx is _WIRE and place.istitle() and not (region or date_text or agency):
        # "Damascus - ..." alone is a dateline only with a long dash, not a hyphen.
        if not re.search(r"--|—|–", m.group(0)):
            return None
    if rx in (_COLON, _COLON_LOWER):
        words = re.split(r"[\s/]+", place.lower())
        if len(words) > 4 or any(w in rules.english_function_words for w in words):
            return None
    if place.upper() in rules.not_places:
        if rx in (_COLON, _COLON_LOWER) or not (region or date_text or agency):
            return None
        place = None
        if region and region.upper() not in rules.not_places:
            place = region  # "NO CITY (COLOMBIA)": the country is all we know
    if agency:
        agency = re.sub(r"\s*-\s*", "-", " ".join(agency.split()))
        if agency.upper() in rules.generic_sources:
            agency = None
    date = _dateline_date(date_text, reference) if date_text else None
    dateline = Dateline(place, m.start(), m.end(), date) if place else None
    return DatelineInfo(dateline, date, agency)


def _is_source(name: str, rules: CleaningRules) -> bool:
    key = re.sub(r"\s*-\s*", "-", name.upper())
    return key in rules.agencies or key in rules.generic_sources


def _dateline_date(text: str, reference: dt.date | None) -> dt.date | None:
    found = parse_date_at(text)
    if found is not None:
        return found[0]
    m = re.match(rf"{_MONTH}\s*(?P<d>\d{{1,2}})$", text.strip(), re.I)
    if m is None or reference is None:
        return None
    month = MONTHS[m["mon"].lower()[:3]]
    for year in (reference.year, reference.year - 1):
        try:
            date = dt.date(year, month, int(m["d"]))
        except ValueError:
            return None
        if date <= reference + dt.timedelta(days=2):  # a dateline never lies in the future
            return date
    return None


# ---------------------------------------------------------------------------
# Outlet
# ---------------------------------------------------------------------------


def outlet_from_agency(agency: str | None, rules: CleaningRules) -> str | None:
    """A dateline's "(Reuters)" -> "Reuters"; an unknown named source is kept as written."""
    if not agency:
        return None
    known = rules.agencies.get(agency.upper())
    if known:
        return known
    return agency if any(c.isalpha() for c in agency) else None


def outlet_from_appeal(removed: Iterable[str], text: str, rules: CleaningRules) -> str | None:
    """The outlet that names itself in removed appeal copy, if it does so clearly.

    A candidate must be found by a self-reference rule and be named at least twice in the
    whole article (appeal included), so one stray capitalised phrase is not enough.
    """
    counts: Counter[str] = Counter()
    for line in removed:
        for rx in rules.self_reference:
            for m in rx.finditer(line):
                name = m.group("name").strip()
                if name[:4] == "the ":
                    name = "The " + name[4:]
                if len(name) > 2 and name.split()[-1].upper() not in rules.not_places:
                    counts[name] += 1
    full = "\n".join([text, *removed])
    for name, _ in counts.most_common():
        variants = {name, "the " + name[4:]} if name.startswith("The ") else {name}
        if sum(full.count(v) for v in variants) >= 2:
            return name
    return None
