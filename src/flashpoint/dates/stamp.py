"""The article's own date: the date a text states for itself at its head (its "stamp").

"Saturday 11 April 2015 18:05 ...", "30-04-2016 ...", "Published October 17 2016",
"<headline> AFP Thursday 25 Sep 2014 ...", "BEIRUT, 3 May 2016 --". The rules are in the header
of ``data/dates.toml``; :class:`~flashpoint.dates.finder.DateFinder` holds a :class:`HeadStamps`
and delegates to it (``head_stamp``, ``article_date``, and the "stamp" kind of ``find``).
"""

from __future__ import annotations

import datetime as dt
import re

from .lexicon import DateLexicon, TemporalExpression, _alt

HEAD_CHARS = 250  # the article's own date stands in its first 250 characters (after a headline
HEAD_LINES = 3  # that opens the text), in its first three lines, before its first sentence ends
_STAMP_CHARS = 120  # a dateline or "Published ..." date sits within the first line or two
# "... in Syria. A suicide bomber": a sentence ends (not "U.S. Strikes", "Feb. 6").
_SENTENCE_END = re.compile(r"[a-z0-9%)][.!?][\"'”’)]*\s+(?=[\"“‘'(]?[A-Z])")
_DATELINE_BEFORE = re.compile(r"^\s*[^\n,.]{2,40},\s*$")
_DATELINE_AFTER = re.compile(r"^\s*(?:\([^)\n]*\)\s*)?(?:--|—|–|-\s|:)")


class HeadStamps:
    """Finds the article's own date among the matches at a text's head; built once per finder.

    ``month`` and ``weekday`` are the finder's month and weekday patterns, passed in so that a
    fused stamp ("Feb 092015") names months and weekdays exactly as the master pattern does.
    """

    def __init__(self, lexicon: DateLexicon, *, month: str, weekday: str) -> None:
        self.lexicon = lexicon
        lx = lexicon
        cues = _alt(lx.stamp_cues) if lx.stamp_cues else "(?!)"
        self.cue = re.compile(rf"\b{cues}(?:\s+(?:on|at))?\s*[:|–—-]?\s*$", re.I)
        # The most characters other than white space a match of ``cue`` holds: a cue's letters,
        # "on" or "at", a colon or dash. No match ending at a date starts before the point
        # where more of them stand before it (``placed`` looks no further back).
        self._cue_letters = max((len("".join(c.split())) for c in lx.stamp_cues), default=0) + 3
        sources = {w for s in lx.stamp_sources for w in (s, s.upper())}
        sources_alt = "|".join(re.escape(w) for w in sorted(sources, key=len, reverse=True))
        self._source = re.compile(  # case-sensitive: "AFP", "Reuters", an acronym
            rf"(?:^|[\s(\[|,–—-])\(?(?:{sources_alt + '|' if sources else ''}[A-Z]{{2,8}})\)?"
            r"[\s,:|–—-]*$"
        )
        self._not_after = re.compile(
            rf"\b(?:{_alt(lx.month_cues)}|and|or|to|between|the|dated)[\s,]*$", re.I
        )
        # "Feb 092015": a scraped page fused the day and the year (stamps only)
        self._fused = re.compile(
            rf"\b(?:{weekday},?\s+)?(?P<m>{month})\s*(?P<d>0[1-9]|[12]\d|3[01])"
            r"(?P<y>(?:19|20)\d\d)(?!\d)",
            re.I,
        )

    def head(self, text: str, title: str | None) -> int:
        """Where the head ends: the offset a stamp must start before."""
        return self._head_end(text, after_title(text, title))

    def find(
        self, text: str, matches: list[re.Match], published: dt.date | None, title: str | None
    ) -> TemporalExpression | None:
        """The stamp among the finder's ``matches`` (left to right, at least up to the head)."""
        title_end = after_title(text, title)
        head = self._head_end(text, title_end)
        found: list[tuple[int, int, dt.date, bool]] = []  # start, end, date, in digits
        for m in matches:
            if m.start() >= head:
                break
            date = self._value(m, published)
            if date is not None and m.end() <= head + 40:
                found.append((m.start(), m.end(), date, m.lastgroup in ("num", "iso")))
        for m in self._fused.finditer(text, 0, head):
            date = _safe_date(int(m["y"]), self._month(m["m"]), int(m["d"]))
            if date is not None:
                found.append((m.start(), m.end(), date, False))
        for start, end, date, digits in sorted(found):
            if self._stands_apart(text, start, end, title_end, digits):
                return TemporalExpression(start, end, text[start:end], date, 1, "stamp")
        return None

    def placed(self, text: str, start: int, end: int) -> bool:
        """True for a date placed as a stamp: after a stamp cue ("Published"), or opening the
        text or following a dateline ("BEIRUT, 3 May 2016 --") within its first line or two."""
        # (the cue is searched for in the words just before the date, not in its whole line: a
        # page flattened to one line has thousands of dates)
        reach = self._cue_reach(text, start)
        nl = text.rfind("\n", reach, start)
        if self.cue.search(text, nl + 1 if nl >= 0 else reach, start):
            return True
        if start >= _STAMP_CHARS:
            return False
        if not text[:start].strip():
            return True
        if not _DATELINE_BEFORE.match(text[text.rfind("\n", 0, start) + 1 : start]):
            return False
        line_end = text.find("\n", end)
        return bool(_DATELINE_AFTER.match(text[end : len(text) if line_end < 0 else line_end]))

    def _cue_reach(self, text: str, start: int) -> int:
        """The earliest offset a stamp cue ending at ``start`` can begin at."""
        i, letters = start, 0
        while i > 0 and letters <= self._cue_letters:
            i -= 1
            letters += not text[i].isspace()
        return i

    def _head_end(self, text: str, title_end: int) -> int:
        end = min(len(text), title_end + HEAD_CHARS)
        lines = 0
        for m in re.finditer(r"[^\n]*\S[^\n]*", text[:end]):  # the first non-blank lines
            lines += 1
            if lines == HEAD_LINES:
                end = m.end()
                break
        sentence = _SENTENCE_END.search(text, title_end, end)
        return sentence.start() + 1 if sentence else end

    def _value(self, m: re.Match, published: dt.date | None) -> dt.date | None:
        """The day of a date with its year ("dmy", "mdy", "num", "iso" matches), else None."""
        kind = m.lastgroup
        if kind == "dmy" and (m.group("dmy_y") or m.group("dmy_yy")):
            year = _year(m.group("dmy_y"), m.group("dmy_yy"), published)
            return _safe_date(year, self._month(m.group("dmy_m")), _int(m.group("dmy_d")))
        if kind == "mdy" and m.group("mdy_y"):
            return _safe_date(int(m.group("mdy_y")), self._month(m.group("mdy_m")),
                              _int(m.group("mdy_d")))
        if kind == "iso":
            return _safe_date(int(m.group("iso_y")), int(m.group("iso_m")), int(m.group("iso_d")))
        if kind == "num":
            return _numeric(m, published)
        return None

    def _stands_apart(self, text: str, start: int, end: int, title_end: int, digits: bool) -> bool:
        line_start = text.rfind("\n", 0, start) + 1
        before = text[max(line_start, title_end if title_end <= start else 0):start]
        if not before.strip(" \t|:,;([·•–—-"):
            return True  # it opens the text, a line, or what follows the headline
        if self.placed(text, start, end):
            return True  # "Published October 17 2016", a dateline's "BEIRUT, 3 May 2016 --"
        if self._not_after.search(before):
            return False  # "... ON 3 JAN 1990": the narrative's date
        return digits or bool(self._source.search(before))  # "... AFP Thursday 25 Sep"

    def _month(self, word: str) -> int:
        return self.lexicon.months[word.rstrip(".").lower()]


def _numeric(m: re.Match, published: dt.date | None) -> dt.date | None:
    """"30-04-2016", "26.11.2014", "05/08/2013" as an article's date.

    A part above 12 settles it. Otherwise "-" and "." are day-first ("01-10-2014" is 1
    October); with "/" the reading nearest to ``published`` wins, day-first when there is
    no ``published`` or on a tie.
    """
    a, b, raw = int(m.group("num_a")), int(m.group("num_b")), m.group("num_y")
    year = _year(raw if len(raw) == 4 else None, raw if len(raw) == 2 else None, published)
    day_first, month_first = _safe_date(year, b, a), _safe_date(year, a, b)
    if day_first is None or month_first is None:
        return day_first or month_first
    if m.group("num_s") == "/" and published is not None and day_first != month_first:
        return min((day_first, month_first), key=lambda d: abs((d - published).days))
    return day_first


def after_title(text: str, title: str | None) -> int:
    """Offset just after ``title`` when the text opens with it (letters and digits compared,
    case and punctuation ignored), else 0."""
    want = [c.lower() for c in title or "" if c.isalnum()]
    if len(want) < 10:
        return 0  # too short to tell a headline from the first words of the story
    j = 0
    for i, c in enumerate(text):
        if c.isalnum():
            if c.lower() != want[j]:
                return 0
            j += 1
            if j == len(want):
                return i + 1
    return 0


# Day-building helpers, shared with the finder's resolvers; they live here because the finder
# imports this module (not the other way round).


def _int(day: str) -> int:
    return int(re.match(r"\d+", day).group())


def _year(four: str | None, two: str | None, ref: dt.date | None) -> int | None:
    if four:
        return int(four)
    if two is None:
        return None
    yy = int(two)
    if ref is None:
        return (1900 if yy >= 50 else 2000) + yy
    base = ref.year - ref.year % 100
    return min((base - 100 + yy, base + yy, base + 100 + yy), key=lambda y: abs(y - ref.year))


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
