"""The ingest job: articles in, linked events stored, one atomic transaction per article.

Idempotent: an article already stored (same id, URL, raw text or normalised content) is
skipped before any NLP and changes nothing. A near-duplicate of a stored article (syndicated
copy, lightly edited update) is stored as a copy of it, never as new evidence. Each article's
row, its events and their links commit together, so a run killed at any point leaves only whole
articles behind, and a re-run finishes the rest without duplicating anything.

Safe beside other writers: an article's "already stored?" check and its insert are one
transaction under the store's write lock (:func:`.db.writing`), so concurrent ingests of the
same input leave the store a single ingest leaves.

No input stops a run. Values beyond what the store holds are brought within it (``bounds.py``)
and said in the event's notes and the article's warnings. An article that still fails to store
is rolled back alone, recorded with its reason (``run_errors``), counted as failed, and the run
goes on with the next. A re-run tries it again, because the cause may have passed (a lock
timeout, a lost connection); if it fails again it is reported again, and nothing is duplicated.

Bookkeeping (``ingest_runs``): a run records the process running it (pid, host) and ends
"done", "interrupted" (KeyboardInterrupt: Ctrl-C, or SIGTERM as the CLI turns it) or "failed"
with the reason when an error escapes it. A run left "running" by a process that is gone
(killed) is marked "interrupted" when a later run starts; a live one is left alone.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import socket
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from ..link import LinkOutcome, LinkRules, link_mention
from ..model import Article, ArticleResult, ItemError
from ..pipeline import Pipeline
from . import bounds, dedup
from .db import refresh_statistics, writing
from .models import ArticleBand, ArticleRow, IngestRun, RunError
from .repo import StoreCandidates, now, save_outcome

REASON_CHARS = 500  # of an error's message kept as its reason (a database error quotes the SQL)


@dataclass
class IngestSummary:
    run_id: int | None = None
    articles_new: int = 0
    articles_duplicate: int = 0  # already stored: skipped, nothing changed
    articles_copy: int = 0  # near-duplicates stored as copies of an earlier article
    articles_failed: int = 0
    events_new: int = 0
    events_merged: int = 0
    events_bounded: int = 0  # stored with a value cut, clamped or emptied (said in their notes)
    interrupted: bool = False
    errors: list[ItemError] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "articles_new": self.articles_new, "articles_duplicate": self.articles_duplicate,
            "articles_copy": self.articles_copy, "articles_failed": self.articles_failed,
            "events_new": self.events_new, "events_merged": self.events_merged,
            "events_bounded": self.events_bounded,
        }

    def line(self) -> str:
        return (
            f"articles: {self.articles_new} new, {self.articles_duplicate} already stored, "
            f"{self.articles_copy} near-duplicate copies, {self.articles_failed} failed; "
            f"events: {self.events_new} new, {self.events_merged} merged"
            + (f"; {self.events_bounded} with values brought within limits (see their notes)"
               if self.events_bounded else "")
            + ("; interrupted (run again to resume)" if self.interrupted else "")
        )


@dataclass(frozen=True)
class _Stored:
    """What storing one article did, counted once its transaction has committed."""

    kind: str  # new | duplicate | copy
    events_new: int = 0
    events_merged: int = 0
    events_bounded: int = 0
    warnings: tuple[str, ...] = ()  # what the store changed


def raw_hash(text: str) -> str:
    # surrogatepass: a lone surrogate (a JSON escape) must not make hashing raise
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def lookup_keys(article: Article) -> tuple[str, str | None, str]:
    """The id, URL and raw-text hash ``article`` is stored under (see ``bounds.py``)."""
    key = bounds.stored_id(article.id, ArticleRow.__table__.c.id.type.length)
    return key, bounds.bound_url(article.url)[0], raw_hash(bounds.safe_text(article.text))


@dataclass(frozen=True)
class StoredArticle:
    id: str
    duplicate_of: str | None  # the original, when it was stored as a near-copy


def find_stored(
    session: Session, key: str, url: str | None, rhash: str, chash: str | None = None
) -> StoredArticle | None:
    """The stored article one with these keys already is: the one with its id, else the
    earliest stored with its URL or raw text, else (with ``chash``) with its cleaned content.
    The earliest, so that every run that asks names the same one."""
    columns = select(ArticleRow.id, ArticleRow.duplicate_of)
    row = session.execute(columns.where(ArticleRow.id == key)).first()
    first = (ArticleRow.stored, ArticleRow.id)
    if row is None:
        conds = [ArticleRow.raw_hash == rhash] + ([ArticleRow.url == url] if url else [])
        row = session.execute(columns.where(or_(*conds)).order_by(*first).limit(1)).first()
    if row is None and chash is not None:
        row = session.execute(columns.where(ArticleRow.content_hash == chash).order_by(*first).limit(1)).first()
    return StoredArticle(*row) if row is not None else None


def error_reason(exc: BaseException) -> str:
    """One line saying what went wrong: the error's type and the start of its message."""
    text = str(exc).strip()
    message = bounds.safe_text(text.splitlines()[0]) if text else ""
    if len(message) > REASON_CHARS:
        message = message[:REASON_CHARS] + "..."
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def _say_on_merged(outcome: LinkOutcome, said: list[str]) -> None:
    # a new event is the bounded mention, whose notes say it already; a merged one keeps the
    # notes of the event it joined, so they get it added
    if outcome.merged:
        outcome.linked.event.notes = bounds.with_notes(outcome.linked.event.notes or "", said)


def this_host() -> str:
    return socket.gethostname()[:255]


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` still runs on this host (a zombie, killed but not reaped, does not)."""
    if os.name == "nt":  # there os.kill(pid, 0) would send Ctrl-C: take it as running
        return True
    if pid <= 0:  # 0 and -1 address process groups, not a process
        return False
    try:
        os.kill(pid, 0)
    except PermissionError:  # another user's process
        return True
    except (OSError, OverflowError):  # ProcessLookupError: no such process
        return False
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:  # no procfs (macOS): os.kill's answer stands
        return False
    return stat.rpartition(")")[2].split()[:1] == ["Z"]


def mark_gone_runs(session: Session) -> int:
    """Mark "interrupted" the runs left "running" whose process is gone, and those recorded
    before runs had a pid; their whole articles are kept. A run of another host is left alone:
    whether its process runs cannot be told from here. Returns how many were marked."""
    host, marked = this_host(), 0
    for run in session.scalars(select(IngestRun).where(IngestRun.status == "running")):
        if run.pid is None or (run.host == host and not process_alive(run.pid)):
            run.status = "interrupted"
            run.reason = run.reason or "its process ended before the run did (killed?)"
            marked += 1
    return marked


class Ingestor:
    """Runs the pipeline over input items and stores the results (see the module doc)."""

    def __init__(self, sessions: sessionmaker[Session], pipeline: Pipeline, rules: LinkRules) -> None:
        self.sessions = sessions
        self.pipeline = pipeline
        self.rules = rules
        self._near = dedup.NearDuplicates.from_settings(rules.near_duplicate)

    def run(
        self,
        items: Iterable[Article | ItemError],
        *,
        paths: list[str],
        on_item: Callable[[ArticleResult | None], None] | None = None,
    ) -> IngestSummary:
        """Ingest everything; ``on_item`` is called once per input item (for a progress bar), with
        the item's result (its ``error`` set when it failed, storing included) or None for an
        item already stored. A KeyboardInterrupt ends the run "interrupted"; any other error
        escaping it ends the run "failed" with the reason, and is raised again."""
        summary = IngestSummary(run_id=self._start(paths))
        try:
            for result in self.pipeline.run(self._new_only(items, summary, on_item)):
                result = self._store(result, summary)
                if on_item:
                    on_item(result)
        except KeyboardInterrupt as exc:
            summary.interrupted = True
            self._finish(summary, "interrupted", str(exc) or "interrupted (Ctrl-C)")
            return summary
        except Exception as exc:
            # the store itself may be what failed: the original error is the one to raise
            with contextlib.suppress(Exception):
                self._finish(summary, "failed", error_reason(exc))
            raise
        self._finish(summary, "done")
        with contextlib.suppress(Exception):  # statistics are for speed: a failure changes no result
            refresh_statistics(self.sessions)
        return summary

    def _start(self, paths: list[str]) -> int:
        with writing(self.sessions) as s:
            mark_gone_runs(s)
            run = IngestRun(
                started=now(), status="running", paths=[bounds.safe_text(str(p)) for p in paths],
                rules_version=self.rules.version[:32], counts={}, pid=os.getpid(), host=this_host(),
            )
            s.add(run)
            s.flush()
            return run.id

    def _finish(self, summary: IngestSummary, status: str, reason: str | None = None) -> None:
        with writing(self.sessions) as s:
            run = s.get(IngestRun, summary.run_id)
            run.status, run.reason = status, reason
            run.finished = now()
            run.counts = summary.counts()

    def _new_only(
        self, items: Iterable[Article | ItemError], summary: IngestSummary, on_item
    ) -> Iterator[Article | ItemError]:
        """Items not stored yet: re-ingesting costs a lookup per item, no NLP."""
        for item in items:
            if isinstance(item, Article) and self._already_stored(item):
                summary.articles_duplicate += 1
                if on_item:
                    on_item(None)
                continue
            yield item

    def _already_stored(self, article: Article) -> bool:
        """Whether ``article`` is stored; a lookup that fails leaves the answer to ``_store``."""
        try:
            with self.sessions() as s:
                return find_stored(s, *lookup_keys(article)) is not None
        except Exception:  # noqa: BLE001 - the write transaction checks again, and reports
            return False

    def _store(self, result: ArticleResult, summary: IngestSummary) -> ArticleResult:
        """Store one result. Whatever goes wrong is this item's failure alone: its transaction
        is rolled back, the failure recorded, and the result returned with its ``error`` set."""
        if result.error is not None:
            self._fail(result.error, summary)
            return result
        try:
            stored = self._store_article(result, summary.run_id)
        except Exception as exc:
            if isinstance(exc, IntegrityError) and self._already_stored(result.clean.article):
                # stored meanwhile by a writer that takes no write lock (an older flashpoint)
                summary.articles_duplicate += 1
                return result
            error = ItemError(result.origin, f"storing failed: {error_reason(exc)}", transient=True)
            self._fail(error, summary)
            return replace(result, error=error)
        if stored.kind == "duplicate":
            summary.articles_duplicate += 1
        else:
            summary.articles_new += stored.kind == "new"
            summary.articles_copy += stored.kind == "copy"
            summary.events_new += stored.events_new
            summary.events_merged += stored.events_merged
            summary.events_bounded += stored.events_bounded
        return replace(result, warnings=(*result.warnings, *stored.warnings)) if stored.warnings else result

    def _fail(self, error: ItemError, summary: IngestSummary) -> None:
        error = ItemError(bounds.safe_text(error.origin), bounds.safe_text(error.reason), error.transient)
        summary.articles_failed += 1
        summary.errors.append(error)
        with writing(self.sessions) as s:
            s.add(RunError(run_id=summary.run_id, origin=error.origin, reason=error.reason))

    def _store_article(self, result: ArticleResult, run_id: int | None) -> _Stored:
        values, said = bounds.bound_article(result.clean)
        chash = dedup.content_hash(values["clean_text"])
        sig = self._near.signature(values["clean_text"])
        bands = self._near.band_hashes(sig)
        rhash = raw_hash(values["original_text"])
        warnings = [bounds.safe_text(w) for w in (*result.warnings, *said)]
        # one transaction under the write lock: the check, the article and all its events
        with writing(self.sessions) as s:
            if find_stored(s, values["id"], values["url"], rhash, chash) is not None:
                return _Stored("duplicate")
            original, sim = self._near_duplicate(s, sig, bands)
            s.add(ArticleRow(
                **values, raw_hash=rhash, content_hash=chash, minhash=sig, duplicate_of=original,
                similarity=sim, run_id=run_id, stored=now(), warnings=warnings or None,
            ))
            s.flush()
            s.add_all(ArticleBand(article_id=values["id"], band=i, hash=h) for i, h in enumerate(bands))
            if original is not None:
                return _Stored("copy", warnings=tuple(said))
            provider = StoreCandidates(s)
            new = merged = bounded = 0
            for mention in result.events:
                mention, event_said = bounds.bound_event(mention)
                outcome = link_mention(mention, provider, self.rules)
                if event_said:
                    _say_on_merged(outcome, event_said)
                    said += [f"event {mention.event_id}: {w}" for w in event_said]
                    bounded += 1
                save_outcome(s, outcome, mention, self.rules)
                merged += outcome.merged
                new += not outcome.merged
        return _Stored("new", new, merged, bounded, tuple(said))

    def _near_duplicate(self, s: Session, sig: list[int], bands: list[str]) -> tuple[str | None, float | None]:
        """The most similar stored original sharing a band, when at or above the threshold."""
        conds = [(ArticleBand.band == i) & (ArticleBand.hash == h) for i, h in enumerate(bands)]
        ids = s.scalars(select(ArticleBand.article_id).where(or_(*conds)).distinct()).all()
        best: tuple[float, str] | None = None
        for aid, other, dup_of in s.execute(
            select(ArticleRow.id, ArticleRow.minhash, ArticleRow.duplicate_of).where(ArticleRow.id.in_(ids))
        ):
            score = dedup.similarity(sig, list(other))
            target = dup_of or aid  # a copy of a copy points at the original
            if score >= self._near.threshold and (best is None or (score, target) > best):
                best = (score, target)
        return (best[1], best[0]) if best else (None, None)
