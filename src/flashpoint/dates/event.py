"""The date of one event, chosen from the temporal expressions of its article."""

from __future__ import annotations

import datetime as dt
import re

from ..model import ResolvedDate
from .finder import DateFinder
from .lexicon import TemporalExpression
from .timeline import Timeline


def event_date(
    start: int,
    end: int,
    expressions: list[TemporalExpression] | Timeline,
    *,
    text: str,
    published: dt.date | None,
    dateline_date: dt.date | None = None,
    finder: DateFinder,
    threads: list[tuple[int, int]] | None = None,
) -> ResolvedDate | None:
    """The date of the event stated in ``text[start:end]`` (its sentence).

    ``published`` is the article's own date: the date its head states when it does
    (:meth:`DateFinder.article_date`), else the publication date. ``threads`` are the
    article's item openers (:meth:`DateFinder.thread_openers`); a caller dating many sentences
    of one text passes them so that the text is scanned once, or better passes the expressions
    as a :class:`Timeline` (built once, with the same ``text``, ``published`` and openers), so
    that each sentence is dated without a pass over the whole article.

    In order: a "point" inside the span (a day right after a verb of saying, "officials said
    Friday", yields to an earlier anchor of the days just before it); else the nearest
    preceding point (the narrative's current anchor; the nearest is always in the same
    paragraph when that paragraph has one); else the first point later in the same
    paragraph; a sentence whose only date is long past ("in December", "in 2019") is dated
    to it; else the report's own date (publication, dateline, stamp) with precision 2.
    A caption date may fix the day of a precision-2 result. Background, duration and future
    expressions are never used. None when the text gives no day and there is no reference.
    """
    if isinstance(expressions, Timeline):
        timeline = expressions
        if timeline.text != text or timeline.published != published:
            raise ValueError("the timeline is of another text or date")
    else:
        timeline = Timeline(expressions, text=text, published=published,
                            threads=finder.thread_openers(text) if threads is None else threads)
    # A round-up's items each have their own day: the last item's "last night" is not the
    # next one's; the narrative's anchor is searched only within the item (``thread``).
    thread = timeline.thread_start(start)
    inside = [e for e in timeline.between(start, end) if e.kind in ("point", "caption") and start <= e.start
              and e.end <= end]
    inside.sort(key=lambda e: e.kind != "point")  # a caption line's own date comes last
    if inside:
        dated = [e for e in inside if e.date is not None]
        if not dated:
            return None  # relative words and nothing to count from: never guess
        plain = [e for e in dated if not finder.is_reporting(text, e)]
        if plain:
            return _with_caption(_resolved(plain[0]), timeline)
        said = dated[0]
        anchor = timeline.anchor_before(start, thread)
        if anchor is not None and anchor.date and 0 <= (said.date - anchor.date).days <= 7:
            return _with_caption(_resolved(anchor), timeline)
        # "an attack which killed dozens ..., the ministry said on Thursday": the day it was
        # said, and the event on or before it (precision 2), which any day the event is given
        # in another sentence of its incident ("Tuesday's attack") overrides.
        return _with_caption(ResolvedDate(said.date, 2, said.text), timeline)
    recalled = [e for e in timeline.between(start, end) if e.kind == "background" and e.old
                and e.date is not None and start <= e.start and e.end <= end]
    if recalled:
        # "More recently, in December, U.S. forces carried out strikes": the sentence dates its
        # event to a time long past; the narrative's current day is not its day.
        return ResolvedDate(recalled[0].date, min(recalled[0].precision or 3, 3), recalled[0].text)
    anchor = timeline.anchor_before(start, thread)
    if anchor is None:
        # paragraphs end at blank lines in hard-wrapped wire copy, else at every line break;
        # a round-up's next item ("Meanwhile, ... last night") ends this one's too
        later = (e for e in timeline.points_from(end, timeline.paragraph_end(end))
                 if not finder.is_reporting(text, e))
        anchor = next(later, None)
    if anchor is not None:
        if anchor.date is None:
            return None
        return _with_caption(_resolved(anchor), timeline)
    report_day = published or dateline_date or timeline.first_stamp
    if report_day is None:
        return None
    return _with_caption(ResolvedDate(report_day, 2, ""), timeline)


def _resolved(expr: TemporalExpression) -> ResolvedDate:
    return ResolvedDate(expr.date, expr.precision or 1, expr.text)


def _with_caption(result: ResolvedDate, timeline: Timeline) -> ResolvedDate:
    """Let a caption date fix the day of a result known only to within a few days."""
    if result.precision != 2:
        return result
    caption = timeline.caption_for(result.date)
    return ResolvedDate(caption.date, 1, caption.text) if caption is not None else result


_TREND = re.compile(r"\b(?:recent|past|last|previous)\s+(?:\w+\s+)?(?:weeks|months)\b", re.I)


def a_trend(when: ResolvedDate | None, start: int, end: int, expressions: list[TemporalExpression]) -> bool:
    """Is the sentence ``start:end`` dated only by "in recent weeks", "over the past months" (a
    trend the report sums up: "the air force has in recent weeks stepped up attacks")?"""
    own = [e for e in expressions if start <= e.start < end]
    return (when is not None and when.precision >= 3 and bool(_TREND.search(when.text))
            and any(e.text == when.text for e in own)  # its own words, not the narrative's
            and not any(e.kind == "point" and e.precision == 1 for e in own))


def dated_as_background(start: int, end: int, expressions: list[TemporalExpression]) -> bool:
    """True when ``text[start:end]`` is dated only by history ("Since 2013, ...", "In March
    2011 ...") and by no point: a sign for the caller that the sentence is not news."""
    inside = [e for e in expressions if start <= e.start and e.end <= end]
    return any(e.kind == "background" for e in inside) and not any(
        e.kind == "point" for e in inside
    )


def prior_spans(sent, lexicon) -> list[tuple[int, int]]:
    """Character spans of a parsed sentence that tell an earlier event than the rest: the subject
    of "X on March 28 was followed by Y" (``lexicon``'s prior verbs). A day inside one dates that
    event only (``without_prior_days``). ("After X on Monday, Y" is not one: what follows an
    event that day is mostly told with its day.)"""
    spans = []
    for t in sent:
        if t.lemma_.lower() not in lexicon.prior_verbs or not any(c.dep_ == "auxpass" for c in t.children):
            continue
        subj = next((c for c in t.children if c.dep_ == "nsubjpass"), None)
        if subj is not None:
            sub = list(subj.subtree)
            spans.append((sub[0].idx, sub[-1].idx + len(sub[-1])))
    return spans


def days_back(spacy_doc, expressions: list[TemporalExpression], published: dt.date | None,
              days: int) -> frozenset[int]:
    """Indices of the tokens naming a single day ``days`` or more before ``published``: "since
    Tuesday" in a Sunday report spans the days between (casualties.count_casualties)."""
    if published is None:
        return frozenset()
    out: set[int] = set()
    for e in expressions:
        if e.date is not None and e.precision == 1 and (published - e.date).days >= days:
            span = spacy_doc.char_span(e.start, e.end, alignment_mode="expand")
            out.update(t.i for t in span or ())
    return frozenset(out)


def without_prior_days(trigger: int, prior: list[tuple[int, int]], expressions: list[TemporalExpression],
                       start: int, end: int) -> list[TemporalExpression] | None:
    """The article's temporal expressions less the days the sentence ``[start, end)`` gives to
    an earlier event (``prior`` spans) that the trigger is no part of; None when there are none."""
    dropped = prior_days(trigger, prior, expressions, start, end)
    if not dropped:
        return None
    return [e for e in expressions if not any(e is d for d in dropped)]


def prior_days(trigger: int, prior: list[tuple[int, int]], expressions: list[TemporalExpression],
               start: int, end: int) -> list[TemporalExpression]:
    """The points of the sentence ``[start, end)`` that date an earlier event (``prior`` spans)
    the trigger is no part of (``Timeline.without`` leaves them out)."""
    return [e for e in expressions if start <= e.start < end and e.kind == "point"
            and any(a <= e.start < b and not a <= trigger < b for a, b in prior)]
