"""The watcher: each due feed polled, its new items stored through the ingest job.

A round takes the feeds whose ``next_poll`` has come, in that order. Fetching (the feed by a
conditional request, then each new item's page) runs on a few threads, at most one request at a
time per site (the fetcher's rule); coding and storing run in the calling thread, feed by feed
in the round's order, through the same :class:`~flashpoint.store.Ingestor` as ``flashpoint
ingest``: already-stored articles change nothing, near-copies are kept as copies, events are
linked and storylines drawn as for any article.

Why nothing is lost or doubled when a poll is cut short (Ctrl-C, SIGKILL, a crash):

- an item is recorded in ``feed_items`` only after its article has committed (or has failed
  for good), and an item already recorded is not fetched again;
- a feed's validators (ETag, Last-Modified) and its next poll are written only after all its
  new items are handled: a feed cut short is due again, answers 200 again, and its unrecorded
  items are fetched again, their articles found stored (``duplicate``) or stored now;
- an item's outcome is read from the store, not from what one run saw: an item whose article
  this feed's item stored is ``new`` (``copy`` for a near-copy) however many runs it took.

A feed that fails (network, timeout, HTTP error, a document that is not a well-formed feed)
is recorded ``failing`` with the reason and polled again after ``every * 2^failures``, at most
``max_backoff``; the other feeds go on. An item whose page cannot be had uses its text in the
feed; with none, it is ``skipped`` (for good: a 404, not HTML, empty) or ``failed`` (a timeout
or a server error, tried again at the next polls, ``item_attempts`` in all, while the feed's
validators are kept back so that those polls read the feed whole).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from ..model import Article, ArticleResult
from ..store import Ingestor
from ..store import bounds, dedup
from ..store.db import writing
from ..store.ingest import REASON_CHARS, StoredArticle, error_reason, find_stored, lookup_keys
from ..store.models import FeedItem, FeedRow
from ..store.repo import now
from .feeds import format_every
from .fetch import Fetcher, FetchError, Response
from .items import FeedEntry, FeedParseError, ParsedFeed, page_article, parse_feed, summary_article
from .reports import FeedReport, RoundReport

log = logging.getLogger("flashpoint.watch")


@dataclass(frozen=True)
class WatchSettings:
    workers: int = 4  # feeds fetched at once (one request at a time per site all the same)
    max_backoff: int = 24 * 3600  # seconds: the longest a failing feed waits
    item_attempts: int = 3  # polls an item whose page fails for a passing reason is tried in


@dataclass(frozen=True)
class DueFeed:
    """A feed as a round reads it from the store."""

    id: int
    url: str
    name: str
    every_seconds: int
    etag: str | None
    last_modified: str | None


@dataclass(frozen=True)
class Candidate:
    """A new item, fetched: its article, or why there is none."""

    entry: FeedEntry
    article: Article | None
    problem: str | None  # what went wrong on the way (said even when the summary served)
    retry: bool  # without an article: whether a later poll may do better
    attempts: int  # polls that tried this item, this one included


@dataclass(frozen=True)
class FetchedFeed:
    """What the fetch stage made of one feed."""

    feed: DueFeed
    started: dt.datetime
    error: str | None = None
    response: Response | None = None
    parsed: ParsedFeed | None = None
    candidates: tuple[Candidate, ...] = ()
    complete: bool = True  # False: stopped before every new item was fetched


class Watcher:
    """Polls the store's feeds (see the module doc). ``clock`` gives the time, UTC and naive."""

    def __init__(self, sessions: sessionmaker[Session], ingestor: Ingestor, fetcher: Fetcher, *,
                 settings: WatchSettings | None = None, clock: Callable[[], dt.datetime] = now) -> None:
        self.sessions = sessions
        self.ingestor = ingestor
        self.fetcher = fetcher
        self.settings = settings or WatchSettings()
        self.clock = clock

    # -- rounds -----------------------------------------------------------------------------

    def due(self) -> list[DueFeed]:
        with self.sessions() as s:
            rows = s.scalars(select(FeedRow).where(FeedRow.next_poll <= self.clock())
                             .order_by(FeedRow.next_poll, FeedRow.id)).all()
            return [DueFeed(r.id, r.url, r.name, r.every_seconds, r.etag, r.last_modified) for r in rows]

    def next_due(self) -> dt.datetime | None:
        with self.sessions() as s:
            return s.scalar(select(FeedRow.next_poll).order_by(FeedRow.next_poll).limit(1))

    def poll(self, *, stop: threading.Event | None = None,
             on_feed: Callable[[FeedReport], None] | None = None) -> RoundReport:
        """Poll every due feed once. Stops between items when ``stop`` is set (the feed in hand
        stays due); a KeyboardInterrupt is raised again once the fetch threads are told to stop."""
        stop = stop or threading.Event()
        halt = threading.Event()  # this round's own: set when it ends early
        stopping = lambda: stop.is_set() or halt.is_set()  # noqa: E731
        report = RoundReport()
        feeds = iter(self.due())
        pool = ThreadPoolExecutor(max(1, self.settings.workers), thread_name_prefix="flashpoint-fetch")
        pending: deque[tuple[DueFeed, Future[FetchedFeed]]] = deque()
        try:
            for feed in feeds:  # a window of fetches ahead of the coding, so memory stays bounded
                pending.append((feed, pool.submit(self._fetch, feed, stopping)))
                if len(pending) >= 2 * max(1, self.settings.workers):
                    break
            while pending and not stopping():
                feed, future = pending.popleft()
                fetched = self._result(feed, future)
                following = next(feeds, None)
                if following is not None:
                    pending.append((following, pool.submit(self._fetch, following, stopping)))
                try:
                    feed_report = self._handle(fetched, stopping)
                except Exception as exc:  # noqa: BLE001 - one feed's trouble never stops the round
                    log.exception("polling feed %s failed", feed.url)
                    feed_report = self._failed(FetchedFeed(feed, fetched.started, error=error_reason(exc)))
                report.feeds.append(feed_report)
                if on_feed:
                    on_feed(feed_report)
            report.interrupted = bool(pending) or stopping()
        except KeyboardInterrupt:
            report.interrupted = True
            raise
        finally:
            halt.set()
            pool.shutdown(wait=not report.interrupted, cancel_futures=True)
        return report

    def run(self, stop: threading.Event, *, after_round: Callable[[RoundReport], None] | None = None,
            on_feed: Callable[[FeedReport], None] | None = None, idle: float = 60.0) -> None:
        """Poll rounds until ``stop`` is set, sleeping until the next feed is due (at most
        ``idle`` seconds, so feeds added meanwhile are seen)."""
        while not stop.is_set():
            wait = idle
            try:
                report = self.poll(stop=stop, on_feed=on_feed)
                if after_round:
                    after_round(report)
                following = self.next_due()
                if following is not None:
                    wait = (following - self.clock()).total_seconds()
            except Exception:  # noqa: BLE001 - the store may be away for a while: try again later
                log.exception("a round of polls failed; trying again in %.0f s", idle)
            stop.wait(min(max(wait, 1.0), idle))

    # -- fetch stage (worker threads) -------------------------------------------------------

    def _result(self, feed: DueFeed, future: Future[FetchedFeed]) -> FetchedFeed:
        try:
            return future.result()
        except Exception as exc:  # noqa: BLE001 - reported as this feed's failure
            log.exception("fetching feed %s failed", feed.url)
            return FetchedFeed(feed, self.clock(), error=error_reason(exc))

    def _fetch(self, feed: DueFeed, stopping: Callable[[], bool]) -> FetchedFeed:
        started = self.clock()
        if stopping():
            return FetchedFeed(feed, started, complete=False)
        try:
            response = self.fetcher.get_feed(feed.url, etag=feed.etag, last_modified=feed.last_modified)
            if response.not_modified:
                return FetchedFeed(feed, started, response=response)
            parsed = parse_feed(response.body, url=response.url, content_type=response.content_type)
        except (FetchError, FeedParseError) as exc:
            return FetchedFeed(feed, started, error=str(exc))
        known = self._known(feed.id)
        candidates = []
        for entry in parsed.entries:
            prior = known.get(entry.key)
            if prior is not None and (prior[0] != "failed" or prior[1] >= self.settings.item_attempts):
                continue
            if stopping():
                return FetchedFeed(feed, started, None, response, parsed, tuple(candidates), complete=False)
            candidates.append(self._candidate(feed, parsed, entry, 1 + (prior[1] if prior else 0)))
        return FetchedFeed(feed, started, None, response, parsed, tuple(candidates))

    def _known(self, feed_id: int) -> dict[str, tuple[str, int]]:
        with self.sessions() as s:
            rows = s.execute(select(FeedItem.key, FeedItem.outcome, FeedItem.attempts)
                             .where(FeedItem.feed_id == feed_id)).all()
            return {key: (outcome, attempts or 1) for key, outcome, attempts in rows}

    def _candidate(self, feed: DueFeed, parsed: ParsedFeed, entry: FeedEntry, attempts: int) -> Candidate:
        origin = f"{feed.name}: {entry.link or entry.key}"
        retry = False
        if entry.link is None:
            why = "the item has no link"
        else:
            try:
                found = page_article(entry, self.fetcher.get_page(entry.link), origin=origin)
                if isinstance(found, Article):
                    return Candidate(entry, found, None, False, attempts)
                why = found.reason
            except FetchError as exc:
                why, retry = f"page not fetched: {exc.reason}", not exc.permanent
        fallback = summary_article(entry, origin=origin, outlet=parsed.title or feed.name)
        if isinstance(fallback, Article):
            return Candidate(entry, fallback, f"{why}; its text in the feed was used", False, attempts)
        return Candidate(entry, None, f"{why}; {fallback.reason}", retry, attempts)

    # -- ingest stage (the calling thread) --------------------------------------------------

    def _handle(self, fetched: FetchedFeed, stopping: Callable[[], bool]) -> FeedReport:
        feed = fetched.feed
        if fetched.error is not None:
            return self._failed(fetched)
        report = FeedReport(feed.id, feed.name, feed.url, "ok")
        if fetched.response is None:  # stopped before it was fetched
            report.status = "interrupted"
            return report
        if fetched.response.not_modified:
            report.status = "not-modified"
            return self._save(fetched, report, keep_validators=False)
        outcomes: dict[str, tuple[str, int]] = {}  # item key -> (outcome, attempts)
        fresh = []
        for c in fetched.candidates:
            if c.problem:
                report.problems.append(f"{c.article.origin if c.article else feed.name}: {c.problem}")
            if c.article is None:
                outcome = self._record(feed, c, "failed" if c.retry else "skipped", c.problem)
                outcomes[c.entry.key] = (outcome, c.attempts)
            else:
                fresh.append(c)
        outcomes.update(self._ingest(feed, fresh, report, stopping))
        report.outcomes.update(outcome for outcome, _ in outcomes.values())
        if stopping() or not fetched.complete or len(outcomes) < len(fetched.candidates):
            report.status = "interrupted"
            return report
        retry = [k for k, (o, n) in outcomes.items() if o == "failed" and n < self.settings.item_attempts]
        return self._save(fetched, report, keep_validators=bool(retry),
                          note=f"{len(retry)} item(s) failed and are tried again at the next poll" if retry else None)

    def _ingest(self, feed: DueFeed, fresh: list[Candidate], report: FeedReport,
                stopping: Callable[[], bool]) -> dict[str, tuple[str, int]]:
        """Store the articles of ``fresh`` (already-stored ones only recorded); their outcomes."""
        done: dict[str, tuple[str, int]] = {}
        todo: list[Candidate] = []
        for c in fresh:
            if stopping():
                return done
            with self.sessions() as s:  # a read: most items are not stored, and need no write
                known = _stored_row(s, c.article, None) is not None
            if known:
                done[c.entry.key] = (self._settle(feed, c, None), c.attempts)
            else:
                todo.append(c)
        waiting: dict[str, deque[Candidate]] = {}
        fed: list[Candidate] = []

        def articles() -> Iterator[Article]:
            for c in todo:
                if stopping():
                    return
                waiting.setdefault(c.article.origin, deque()).append(c)
                fed.append(c)
                yield c.article

        def stored(result: ArticleResult | None) -> None:
            queue = waiting.get(result.origin) if result is not None else None
            if not queue:
                return  # already stored by another writer meanwhile: settled below
            c = queue.popleft()
            try:
                done[c.entry.key] = (self._settle(feed, c, result), c.attempts)
            except Exception:  # noqa: BLE001 - settled again below
                log.exception("recording item %s of feed %s failed", c.entry.key, feed.url)

        if todo:
            summary = self.ingestor.run(articles(), paths=[feed.url], on_item=stored)
            if summary.interrupted:
                raise KeyboardInterrupt("interrupted while storing")
            report.events_new += summary.events_new
            report.events_merged += summary.events_merged
            for error in summary.errors:
                report.problems.append(f"{error.origin}: {error.reason}")
        for c in fed:
            if c.entry.key not in done:
                done[c.entry.key] = (self._settle(feed, c, None), c.attempts)
        return done

    def _settle(self, feed: DueFeed, c: Candidate, result: ArticleResult | None) -> str:
        """Record item ``c`` by what the store holds for its article; its outcome."""
        article = c.article
        if result is not None and result.error is not None:
            return self._record(feed, c, "failed" if result.error.transient else "skipped", result.error.reason)
        with writing(self.sessions) as s:
            row = _stored_row(s, article, result.clean if result is not None else None)
            if row is None:
                return self._record(feed, c, "failed", "not stored (see the run's errors); tried again", s)
            others = s.scalar(select(FeedItem.id).where(
                FeedItem.article_id == row.id, or_(FeedItem.feed_id != feed.id, FeedItem.key != c.entry.key)
            ).limit(1))
            if row.id == lookup_keys(article)[0] and others is None:
                if row.duplicate_of:
                    return self._record(feed, c, "copy", f"near-duplicate of article {row.duplicate_of}", s, row.id)
                return self._record(feed, c, "new", None, s, row.id)
            return self._record(feed, c, "duplicate", f"already stored as article {row.id}", s, row.id)

    def _record(self, feed: DueFeed, c: Candidate, outcome: str, reason: str | None,
                session: Session | None = None, article_id: str | None = None) -> str:
        if session is None:
            with writing(self.sessions) as s:
                return self._record(feed, c, outcome, reason, s, article_id)
        entry = c.entry
        values = dict(
            url=bounds.safe_text(entry.link) if entry.link else None,
            title=bounds.safe_text(entry.title) if entry.title else None, published=entry.published_at,
            seen=self.clock(), article_id=article_id, outcome=outcome,
            reason=bounds.safe_text(reason)[:REASON_CHARS] if reason else None, attempts=c.attempts,
        )
        key = bounds.safe_text(entry.key)
        row = session.scalar(select(FeedItem).where(FeedItem.feed_id == feed.id, FeedItem.key == key))
        if row is None:
            session.add(FeedItem(feed_id=feed.id, key=key, **values))
        else:
            for name, value in values.items():
                setattr(row, name, value)
        return outcome

    # -- feed state -------------------------------------------------------------------------

    def _failed(self, fetched: FetchedFeed) -> FeedReport:
        feed = fetched.feed
        report = FeedReport(feed.id, feed.name, feed.url, "failing", error=fetched.error)
        with writing(self.sessions) as s:
            row = s.get(FeedRow, feed.id)
            if row is None:  # removed meanwhile
                return report
            row.failures = (row.failures or 0) + 1
            cap = max(self.settings.max_backoff, row.every_seconds)
            delay = min(row.every_seconds * 2 ** min(row.failures, 30), cap)
            row.status, row.last_poll = "failing", fetched.started
            row.last_error = bounds.safe_text(fetched.error or "")[:REASON_CHARS]
            row.next_poll = report.next_poll = fetched.started + dt.timedelta(seconds=delay)
        report.error = f"{fetched.error} (failure {row.failures}; backing off {format_every(int(delay))})"
        return report

    def _save(self, fetched: FetchedFeed, report: FeedReport, *, keep_validators: bool,
              note: str | None = None) -> FeedReport:
        """The feed polled: its validators (unless items wait for a retry) and next poll."""
        response = fetched.response
        with writing(self.sessions) as s:
            row = s.get(FeedRow, fetched.feed.id)
            if row is None:
                return report
            row.status, row.failures, row.last_error = report.status, 0, note
            row.last_poll = row.last_ok = fetched.started
            row.next_poll = report.next_poll = fetched.started + dt.timedelta(seconds=row.every_seconds)
            if response is not None and not keep_validators:
                if not response.not_modified:  # a 200 without validators clears the old ones
                    row.etag, row.last_modified = response.etag, response.last_modified
                else:  # a 304 may renew them
                    row.etag = response.etag or row.etag
                    row.last_modified = response.last_modified or row.last_modified
        return report


def _stored_row(s: Session, article: Article, clean) -> StoredArticle | None:
    """The stored article ``article`` is (same id, URL, raw text, or with ``clean`` its cleaned
    content), as the ingest job finds it."""
    chash = None
    if clean is not None:
        values, _ = bounds.bound_article(clean)
        chash = dedup.content_hash(values["clean_text"])
    return find_stored(s, *lookup_keys(article), chash)
