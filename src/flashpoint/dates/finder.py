"""Finding temporal expressions and resolving them against a reference date.

The rules are described in the package docstring (``flashpoint.dates``).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from pathlib import Path

from .lexicon import DateLexicon, TemporalExpression, _alt
from .stamp import HeadStamps, _int, _safe_date, _year

OLD_DAYS = 60  # older than this before the reference: history unless it is in the lede
LEDE_CHARS = 300  # headline + first sentence, where an old date is still the news
FUTURE_SLACK = 14  # a year-less date this far ahead is a scheduled event, not last year's
CAPTION_LINE = 200  # a caption date stands on a line of at most this many characters
DAY = dt.timedelta(days=1)

_APOS = r"(?:'s|’s)?"
_TOKEN = re.compile(r"[^\W_]+")
_WORDS_BEFORE = 5  # "over the past couple of days": the core word is the sixth
_DAYNUM = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\b"
_SINCE_BEFORE = re.compile(r"\bsince\s+(?:the\s+)?(?:[\w-]+\s+)?$", re.I)
_CAPTION_BEFORE = re.compile(r"(?:,|\(|\s[-–—])\s*$")
_CAPTION_AFTER = re.compile(r"\)?\.?\s*$")


class DateFinder:
    """Finds and resolves temporal expressions; build once, reuse for every article."""

    def __init__(self, lexicon: DateLexicon) -> None:
        self.lexicon = lexicon
        lx = lexicon
        abbreviations = set(lx.months) - set(lx.full_months)
        mon = rf"(?:{_alt(lx.full_months)}\b|{_alt(abbreviations)}\b\.?)"  # "Feb." not "May."
        mon_full = _alt(lx.full_months) + r"\b"
        wd_any = _alt(lx.weekdays) + r"\b\.?"
        wd = _alt(lx.full_weekdays)
        pod = _alt(lx.parts_of_day)
        possessed = _alt(lx.possessed_nouns) if lx.possessed_nouns else r"(?!x)x"  # "Tuesdays attack"
        num = r"(?:\d+|" + _alt(lx.numbers) + ")"
        cue = _alt(lx.month_cues)
        yy_end = r"(?=\s*(?:[-–—(),.;:]|$))"  # a two-digit year must end the date
        rules = {
            "dmy": rf"(?:{wd_any},?\s+)?(?:the\s+)?(?P<dmy_d>{_DAYNUM})(?:\s+of)?[\s-]+"
            rf"(?P<dmy_m>{mon})(?:,?[\s-]+(?:(?P<dmy_y>\d{{4}})\b|'?(?P<dmy_yy>\d\d){yy_end}))?",
            "mdy": rf"(?:{wd_any},?\s+)?(?P<mdy_m>{mon})\s+(?P<mdy_d>{_DAYNUM})(?![,.]?\d|\s*%)"
            rf"(?:,?\s+(?P<mdy_y>\d{{4}})\b)?",
            "my": rf"(?:(?P<my_cue>early|mid|late)[-\s]+)?(?P<my_m>{mon}),?\s+(?P<my_y>\d{{4}})\b",
            "iso": r"(?<![\d-])(?P<iso_y>\d{4})-(?P<iso_m>\d\d?)-(?P<iso_d>\d\d?)\b",
            "num": r"(?<![\d/.-])(?P<num_a>\d\d?)(?P<num_s>[/.-])(?P<num_b>\d\d?)(?P=num_s)"
            r"(?P<num_y>\d{4}|\d\d)(?![\d/-]|\.\d)",
            "bm": rf"\b(?P<bm_cue>{cue})[-\s]+(?P<bm_m>{mon_full})(?!\s*\d)",
            "reld": rf"(?:(?P<reld_mod>early|late)\s+)?(?P<reld_w>the\s+day\s+before\s+yesterday|"
            rf"the\s+day\s+after\s+tomorrow|yesterday|today|tonight|tomorrow|last\s+night|"
            rf"this\s+(?:morning|afternoon|evening))\b{_APOS}(?:\s+(?P<reld_pod>{pod})\b)?",
            "ago": rf"\b(?P<ago_n>{num})\s+(?P<ago_u>hour|day|week|month|year|decade)s?\s+ago\b",
            "cal": rf"(?P<cal_q>(?:earlier|later|early|late)\s+(?:this|last|next)|last|this|next"
            rf"|over\s+the|at\s+the|on\s+the|the\s+past|the\s+previous)\s+"
            rf"(?P<cal_u>weekend|week|month|year)\b{_APOS}",
            "recent": rf"(?:(?:in|over|during|within|for|throughout)\s+)?(?:the\s+)?"
            rf"(?P<rc_q>recent|past|last|previous)\s+(?:(?P<rc_n>{num})\s+)?"
            rf"(?P<rc_u>hour|day|week|month|year|decade)(?P<rc_pl>s)?\b",
            "wd": rf"(?:(?P<wd_mod>last|this|next|coming|past|previous|early|late|on)\s+"
            rf"(?:on\s+)?)?(?P<wd_d>{wd})(?:\b{_APOS}|s(?=\s+{possessed}\b))(?:\s+(?P<wd_pod>{pod})\b)?",
            "ord": r"\bon\s+the\s+(?P<ord_d>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)\b"
            r"(?=\s*(?:[,.;:!?)]|$)|\s+(?:and|when|as|at|in|after|before|during)\b)",
            "year": r"(?:(?P<yr_cue>since|in|during|until|by|from|before|after|of)\s+)?"
            r"(?:(?:early|mid|late)[-\s]+)?(?P<yr_y>(?:19|20)\d\d)(?:'?s)?\b(?![,.]?\d|\s*%)",
            "dur": rf"(?:(?P<du_p>for|over|during|within|after|throughout)\s+)?"
            rf"(?:(?P<du_n>{num})\s+)?(?P<du_u>hours|days|weeks|months|years|decades|centuries)\b",
        }
        self._master = re.compile(
            "|".join(f"(?P<{name}>\\b{pattern})" if not pattern.startswith(("(?<", r"\b"))
                     else f"(?P<{name}>{pattern})" for name, pattern in rules.items()),
            re.IGNORECASE,
        )
        # Every expression contains one of these words (or a digit): the master pattern is
        # only tried from the few words before each of them, which keeps a 2,000-character
        # article well under a millisecond.
        self._core = frozenset(
            [*lx.months, *lx.weekdays, *(w + "s" for w in lx.full_weekdays), *lx.background_units,
             "yesterday", "today", "tonight",
             "tomorrow", "night", "morning", "afternoon", "evening", "hour", "hours", "day",
             "days", "week", "weeks", "weekend", "month", "months"]
        )
        verbs = _alt(lx.reporting_verbs)
        # "officials said Thursday", "charged in the capital today" ... and "today said that"
        self._reported_before = re.compile(
            rf"\b{verbs}\s+(?:(?:in|at|on|from)\s+)?(?:[\w-]+\s+){{0,2}}(?:on\s+)?$", re.I
        )
        self._reported_after = re.compile(rf"\s*,?\s*{verbs}\b", re.I)
        # The article's own date (see head_stamp and data/dates.toml).
        self._stamps = HeadStamps(lx, month=mon, weekday=wd_any)
        # Sentences that open a new item of a report (thread_markers in data/dates.toml).
        openers = []
        if lx.thread_markers:
            openers.append(_alt(lx.thread_markers) + r"\b")
        if lx.thread_area_words:
            adjectives = rf"(?:{_alt(lx.thread_area_adjectives)}\s+)*" if lx.thread_area_adjectives else ""
            openers.append(rf"in\s+(?:the\s+)?{adjectives}(?-i:[A-Z])[\w'-]+(?:\s+(?-i:[A-Z])[\w'-]+)*"
                           rf"\s+{_alt(lx.thread_area_words)}\b")
        self._thread = re.compile(
            rf"(?:^|(?<=[.!?])[\"\u201d\u2019']?\s+)(?:{'|'.join(openers)})", re.I | re.M
        ) if openers else None

    @classmethod
    def load(cls, path: Path | None = None) -> DateFinder:
        return cls(DateLexicon.load(path))

    # -- finding -----------------------------------------------------------------------

    def find(
        self,
        text: str,
        *,
        published: dt.date | None,
        dateline_date: dt.date | None = None,
        title: str | None = None,
    ) -> list[TemporalExpression]:
        matches = list(self._matches(text))
        stamp = self._stamps.find(text, matches, published or dateline_date, title)
        # The article's own date, stated at its head, is the clock; else publication.
        ref = _reference(stamp.date if stamp else published, dateline_date)
        out: list[TemporalExpression] = [stamp] if stamp else []
        for m in matches:
            if stamp is not None and m.start() < stamp.end and stamp.start < m.end():
                continue  # the stamp itself: the report's date, never an event's
            resolved = getattr(self, "_r_" + m.lastgroup)(m, ref)
            if resolved is None:  # not a date after all ("duration" needs a cue, bad day...)
                continue
            date, precision, kind, explicit = resolved
            if kind == "point" and (
                m.group().lower().startswith("since")
                or _SINCE_BEFORE.search(text, max(0, m.start() - 40), m.start())
            ):
                kind = "background"  # "since the December 8, 2024, collapse": history
            old = False
            if date is not None and ref is not None and kind == "point":
                last_day = _month_end(date) if precision == 3 else date
                if (ref - last_day).days > OLD_DAYS:
                    old = True
                    kind = "point" if m.start() < LEDE_CHARS else "background"
                elif explicit and date > ref + DAY:
                    kind = "future"
            if explicit and kind == "point":
                kind = _placement(text, m.start(), m.end(), self._stamps) or kind
            out.append(TemporalExpression(
                m.start(), m.end(), m.group(), date, precision if date else None, kind, old
            ))
        out.sort(key=lambda e: e.start)
        return out

    # -- the article's own date ----------------------------------------------------------

    def head_stamp(
        self, text: str, *, published: dt.date | None = None, title: str | None = None
    ) -> TemporalExpression | None:
        """The date the article states for itself at its head, as a "stamp" expression.

        "Saturday 11 April 2015 18:05 ...", "30-04-2016 Suicide bomber ...", "Published
        October 17 2016 ...", "<headline> AFP Thursday 25 Sep 2014 ...", "BEIRUT, 3 May 2016
        --": the first date with day, month and year within the head (the first
        ``stamp.HEAD_CHARS`` characters after ``title`` when the text opens with it, the first
        ``stamp.HEAD_LINES`` lines, and before the first sentence ends) that stands apart from the
        narrative: it opens the text, a line or the part after the headline; or a stamp cue
        ("Published", "Last updated at") or an agency ("AFP") comes right before it; or it is
        a dateline's date; or it is written in digits ("30-04-2016") after no preposition.
        ``published`` only settles "05/08/2013" (see :func:`flashpoint.dates.stamp._numeric`).
        """
        head = self._stamps.head(text, title)
        matches = list(self._matches(text[: head + 60]))  # only the head's dates are needed
        return self._stamps.find(text, matches, published, title)

    def article_date(
        self, text: str, *, published: dt.date | None, title: str | None = None
    ) -> dt.date | None:
        """The article's own date: its head stamp when it states one, else ``published``.

        The stamp wins however far it lies from ``published`` (in either direction): the
        input's field is often the day a page was crawled or re-posted, the stamp is the
        report's own. Relative days and the news window count from this date.
        """
        stamp = self.head_stamp(text, published=published, title=title)
        return stamp.date if stamp is not None else published

    def _matches(self, text: str):
        """Master-pattern matches, left to right, without overlaps, tried near core words."""
        starts: list[int] = []
        cores: list[int] = []
        for token in _TOKEN.finditer(text):
            word = token.group()
            if word[0].isdigit() or word.lower() in self._core:
                cores.append(len(starts))
            starts.append(token.start())
        last_end = 0
        for i in cores:
            if starts[i] < last_end:
                continue
            best = None  # the match reaching furthest, the earliest among equals
            for j in range(max(0, i - _WORDS_BEFORE), i + 1):
                if starts[j] < last_end:
                    continue
                m = self._master.match(text, starts[j])
                if m is not None and m.end() > starts[i] and (best is None or m.end() > best.end()):
                    best = m
            if best is not None:
                last_end = best.end()
                yield best

    def thread_openers(self, text: str) -> list[tuple[int, int]]:
        """The spans, in text order, of the openers of sentences that start a new item of the
        report ("Meanwhile, ...", "In the neighbouring Quneitra province, ..."): computed once
        per article and passed to :func:`flashpoint.dates.event.event_date`."""
        return [] if self._thread is None else [(m.start(), m.end()) for m in self._thread.finditer(text)]

    def is_reporting(self, text: str, expr: TemporalExpression) -> bool:
        """True for a day right after a verb of saying: the report's date ("said Thursday")."""
        return bool(
            self._reported_before.search(text, max(0, expr.start - 40), expr.start)
            or self._reported_after.match(text, expr.end)
        )

    # -- resolvers: (date, precision, kind, explicit) or None to drop the match ----------

    def _r_dmy(self, m, ref):
        year = _year(m.group("dmy_y"), m.group("dmy_yy"), ref)
        return self._day_month(year, self._month(m.group("dmy_m")), _int(m.group("dmy_d")), ref)

    def _r_mdy(self, m, ref):
        year = _year(m.group("mdy_y"), None, ref)
        return self._day_month(year, self._month(m.group("mdy_m")), _int(m.group("mdy_d")), ref)

    def _day_month(self, year, month, day, ref):
        if year is not None:
            date = _safe_date(year, month, day)
            return None if date is None else (date, 1, "point", True)
        if ref is None:
            return (None, 1, "point", False)
        date = _recent(ref, lambda y: _safe_date(y, month, day))
        if date is None:
            return None
        return (date, 1, "future" if date > ref else "point", False)

    def _r_my(self, m, ref):
        return (dt.date(int(m.group("my_y")), self._month(m.group("my_m")), 1), 3, "point", True)

    def _r_iso(self, m, ref):
        date = _safe_date(int(m.group("iso_y")), int(m.group("iso_m")), int(m.group("iso_d")))
        return None if date is None else (date, 1, "point", True)

    def _r_num(self, m, ref):
        a, b = int(m.group("num_a")), int(m.group("num_b"))
        raw = m.group("num_y")
        if m.group("num_s") == "." and len(raw) == 2:
            return None  # "3.5.20" is more often a version or a score than a date
        year = _year(raw if len(raw) == 4 else None, raw if len(raw) == 2 else None, ref)
        readings = [d for d in (_safe_date(year, b, a), _safe_date(year, a, b)) if d]
        if not readings:
            return None
        date = readings[0]  # day-first
        if ref is not None and len(readings) == 2:
            before = [d for d in readings if d <= ref]
            if before:
                date = max(before)
        return (date, 1, "point", True)

    def _r_bm(self, m, ref):
        month = self._month(m.group("bm_m"))
        cue = " ".join(m.group("bm_cue").lower().split())
        if ref is None:
            return (None, 3, "point", False)
        if cue == "next":
            year = ref.year + (month <= ref.month)
            return (dt.date(year, month, 1), 3, "future", False)
        date = dt.date(ref.year, month, 1)
        if date > ref or (cue == "last" and month == ref.month):
            date = dt.date(ref.year - 1, month, 1)
        return (date, 3, "point", False)

    def _r_reld(self, m, ref):
        word = " ".join(m.group("reld_w").lower().split())
        offset = {"the day before yesterday": -2, "yesterday": -1, "last night": -1,
                  "tomorrow": 1, "the day after tomorrow": 2}.get(word, 0)
        kind = "future" if offset > 0 else "point"
        if ref is None:
            return (None, 1, kind, False)
        return (ref + offset * DAY, 1, kind, False)

    def _r_ago(self, m, ref):
        n = self._number(m.group("ago_n"))
        unit = m.group("ago_u").lower()
        if unit in ("year", "decade") or n is None:
            return (None, None, "background", False)
        vague = m.group("ago_n").lower() in self.lexicon.vague_numbers
        days, precision = {"hour": (0, 1), "day": (n, 2 if vague else 1),
                           "week": (7 * n, 2), "month": (30 * n, 3)}[unit]
        if ref is None:
            return (None, precision, "point", False)
        date = ref - days * DAY
        return (date.replace(day=1) if precision == 3 else date, precision, "point", False)

    def _r_recent(self, m, ref):
        unit = m.group("rc_u").lower()
        n = self._number(m.group("rc_n")) if m.group("rc_n") else (2 if m.group("rc_pl") else 1)
        if unit in ("year", "decade") or unit == "month" and n > 1:
            return (None, None, "background", False)
        if unit == "month" or unit == "week" and n > 1:
            precision = 3  # "in recent weeks": the window is wider than a week
        else:
            precision = 2  # "past 24 hours", "in recent days", "the past week"
        return (ref, precision, "point", False)

    def _r_cal(self, m, ref):
        q = " ".join(m.group("cal_q").lower().split())
        unit = m.group("cal_u").lower()
        if unit == "year" or q.startswith(("next", "later")):
            return (None, None, "background" if unit == "year" else "future", False)
        if ref is None:
            return (None, 3 if unit == "month" else 2, "point", False)
        last = q.endswith(("last", "past", "previous"))
        if unit == "month":
            first = ref.replace(day=1)
            return ((first - DAY).replace(day=1) if last else first, 3, "point", False)
        if unit == "weekend":
            if ref.weekday() == 5 and not last:
                return (ref, 2, "point", False)
            sunday = ref - ((ref.weekday() + 1) % 7) * DAY
            if last and ref.weekday() in (5, 6):
                sunday -= 7 * DAY
            return (sunday, 2, "point", False)
        monday = ref - ref.weekday() * DAY
        if last:  # the latest plausible day of last week is its Sunday
            return (monday - DAY, 2, "point", False)
        if q.startswith(("earlier", "early")):
            return (max(monday, ref - DAY), 2, "point", False)
        return (ref, 2, "point", False)  # "this week"

    def _r_wd(self, m, ref):
        wd = self.lexicon.weekdays[m.group("wd_d").lower()]
        mod = (m.group("wd_mod") or "").lower()
        if ref is None:
            return (None, 1, "future" if mod in ("next", "coming") else "point", False)
        if mod in ("next", "coming"):
            return (ref + ((wd - ref.weekday()) % 7 or 7) * DAY, 1, "future", False)
        back = (ref.weekday() - wd) % 7
        if back == 0 and mod in ("last", "past", "previous"):
            back = 7
        return (ref - back * DAY, 1, "point", False)

    def _r_ord(self, m, ref):
        if ref is None:
            return (None, 1, "point", False)
        day = int(m.group("ord_d"))
        date = _recent(ref, None, day=day)
        return None if date is None else (date, 1, "point", False)

    def _r_year(self, m, ref):
        return (None, None, "background", False)

    def _r_dur(self, m, ref):
        unit = m.group("du_u").lower()
        if unit in self.lexicon.background_units:
            return (None, None, "background", False)  # "for years", "decades"
        if not (m.group("du_p") or m.group("du_n")):
            return None  # a bare "days" is not an expression
        return (None, None, "duration", False)

    # -- helpers -------------------------------------------------------------------------

    def _month(self, word: str) -> int:
        return self.lexicon.months[word.rstrip(".").lower()]

    def _number(self, word: str) -> int | None:
        word = " ".join(word.lower().split())
        return int(word) if word.isdigit() else self.lexicon.numbers.get(word)


def _reference(published: dt.date | None, dateline_date: dt.date | None) -> dt.date | None:
    """The day relative words count from: the dateline's when it is plausible, else publication."""
    if dateline_date is None:
        return published
    if published is None or 0 <= (published - dateline_date).days <= 7:
        return dateline_date
    return published


def _recent(ref: dt.date, make, *, day: int | None = None) -> dt.date | None:
    """The most recent date not after ``ref`` (or at most FUTURE_SLACK days ahead)."""
    if day is not None:  # "on the 6th": this month, else the month before
        for back in range(3):
            month_first = (ref.replace(day=1) - dt.timedelta(days=31 * back)).replace(day=1)
            date = _safe_date(month_first.year, month_first.month, day)
            if date is not None and date <= ref:
                return date
        return None
    for year in (ref.year, ref.year - 1, ref.year - 2, ref.year - 4):  # Feb 29 needs a leap year
        date = make(year)
        if date is not None and (date - ref).days <= (FUTURE_SLACK if year == ref.year else 0):
            return date
    return None


def _month_end(date: dt.date) -> dt.date:
    return date.replace(day=calendar.monthrange(date.year, date.month)[1])


def _placement(text: str, start: int, end: int, stamps: HeadStamps) -> str | None:
    """"caption" or "stamp" for an explicit date set apart from the narrative, else None."""
    if stamps.placed(text, start, end):
        return "stamp"  # a dateline's or "Published ..." date: the report's, not an event's
    # A caption's line is at most CAPTION_LINE characters: its ends are looked for no further
    # (a page flattened to one line has thousands of dates).
    reach = max(0, start - CAPTION_LINE - 1)
    nl = text.rfind("\n", reach, start)
    if nl < 0 and reach > 0:
        return None  # the line starts further back: too long for a caption
    line_start = nl + 1
    line_end = text.find("\n", end, line_start + CAPTION_LINE + 1)
    if line_end < 0:
        if line_start + CAPTION_LINE + 1 < len(text):
            return None  # the line goes on: too long for a caption
        line_end = len(text)
    before, after = text[line_start:start], text[end:line_end]
    if (line_end - line_start <= CAPTION_LINE and _CAPTION_BEFORE.search(before)
            and _CAPTION_AFTER.fullmatch(after)):
        return "caption"
    return None


def find_temporal_expressions(
    text: str,
    *,
    published: dt.date | None,
    dateline_date: dt.date | None = None,
    title: str | None = None,
    finder: DateFinder,
) -> list[TemporalExpression]:
    """Every temporal expression of ``text``, in order, resolved against the reference date.

    The reference is the article's own date when its head states one (see
    :meth:`DateFinder.head_stamp`; ``title`` helps find it after a headline that opens the
    text), else ``published``; a plausible dateline date comes before either.
    ``finder`` is built once with :meth:`DateFinder.load` and passed in.
    """
    return finder.find(text, published=published, dateline_date=dateline_date, title=title)
