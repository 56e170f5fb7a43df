"""The ingest job: articles in, linked events stored, one atomic transaction per article.

Idempotent: an article already stored (same id, URL, raw text or normalised content) is
skipped before any NLP and changes nothing. A near-duplicate of a stored article (syndicated
copy, lightly edited update) is stored as a copy of it, never as new evidence. Each article's
row, its events and their links commit together, so a run killed at any point leaves only whole
articles behind, and a re-run finishes the rest without duplicating anything.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from ..link import LinkRules, link_mention
from ..model import Article, ArticleResult, ItemError
from ..pipeline import Pipeline
from . import dedup
from .models import ArticleBand, ArticleRow, IngestRun, RunError
from .repo import StoreCandidates, now, save_outcome


@dataclass
class IngestSummary:
    run_id: int | None = None
    articles_new: int = 0
    articles_duplicate: int = 0  # already stored: skipped, nothing changed
    articles_copy: int = 0  # near-duplicates stored as copies of an earlier article
    articles_failed: int = 0
    events_new: int = 0
    events_merged: int = 0
    interrupted: bool = False
    errors: list[ItemError] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "articles_new": self.articles_new, "articles_duplicate": self.articles_duplicate,
            "articles_copy": self.articles_copy, "articles_failed": self.articles_failed,
            "events_new": self.events_new, "events_merged": self.events_merged,
        }

    def line(self) -> str:
        return (
            f"articles: {self.articles_new} new, {self.articles_duplicate} already stored, "
            f"{self.articles_copy} near-duplicate copies, {self.articles_failed} failed; "
            f"events: {self.events_new} new, {self.events_merged} merged"
            + ("; interrupted (run again to resume)" if self.interrupted else "")
        )


def raw_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _stored(session: Session, article: Article) -> str | None:
    """The id of the stored article this one already is (same id, URL or raw text), if any."""
    conds = [ArticleRow.id == article.id, ArticleRow.raw_hash == raw_hash(article.text)]
    if article.url:
        conds.append(ArticleRow.url == article.url)
    return session.scalar(select(ArticleRow.id).where(or_(*conds)).limit(1))


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
        """Ingest everything; ``on_item`` is called once per input item (for a progress bar)."""
        summary = IngestSummary()
        with self.sessions.begin() as s:
            # runs left "running" were killed: say so, their whole articles are kept
            s.execute(update(IngestRun).where(IngestRun.status == "running").values(status="interrupted"))
            run = IngestRun(started=now(), status="running", paths=list(paths), rules_version=self.rules.version,
                            counts={})
            s.add(run)
            s.flush()
            summary.run_id = run.id
        try:
            for result in self.pipeline.run(self._new_only(items, summary, on_item)):
                self._store(result, summary)
                if on_item:
                    on_item(result)
        except KeyboardInterrupt:
            summary.interrupted = True
        with self.sessions.begin() as s:
            run = s.get(IngestRun, summary.run_id)
            run.status = "interrupted" if summary.interrupted else "done"
            run.finished = now()
            run.counts = summary.counts()
        return summary

    def _new_only(
        self, items: Iterable[Article | ItemError], summary: IngestSummary, on_item
    ) -> Iterator[Article | ItemError]:
        """Items not stored yet: re-ingesting costs a lookup per item, no NLP."""
        for item in items:
            if isinstance(item, Article):
                with self.sessions() as s:
                    if _stored(s, item) is not None:
                        summary.articles_duplicate += 1
                        if on_item:
                            on_item(None)
                        continue
            yield item

    def _store(self, result: ArticleResult, summary: IngestSummary) -> None:
        if result.error is not None:
            summary.articles_failed += 1
            summary.errors.append(result.error)
            with self.sessions.begin() as s:
                s.add(RunError(run_id=summary.run_id, origin=result.error.origin, reason=result.error.reason))
            return
        clean = result.clean
        article = clean.article
        chash = dedup.content_hash(clean.text)
        sig = self._near.signature(clean.text)
        bands = self._near.band_hashes(sig)
        with self.sessions.begin() as s:  # one transaction: the article and all its events
            if _stored(s, article) is not None or s.scalar(
                select(ArticleRow.id).where(ArticleRow.content_hash == chash).limit(1)
            ):
                summary.articles_duplicate += 1
                return
            original, sim = self._near_duplicate(s, sig, bands)
            s.add(ArticleRow(
                id=article.id, url=article.url, outlet=clean.outlet, title=clean.title, published=clean.published,
                origin=article.origin, original_text=article.text, clean_text=clean.text,
                raw_hash=raw_hash(article.text), content_hash=chash, minhash=sig, duplicate_of=original,
                similarity=sim, run_id=summary.run_id, stored=now(),
            ))
            s.flush()
            s.add_all(ArticleBand(article_id=article.id, band=i, hash=h) for i, h in enumerate(bands))
            if original is not None:
                summary.articles_copy += 1
                return
            provider = StoreCandidates(s)
            new = merged = 0
            for mention in result.events:
                outcome = link_mention(mention, provider, self.rules)
                save_outcome(s, outcome, mention, self.rules)
                merged += outcome.merged
                new += not outcome.merged
        summary.articles_new += 1
        summary.events_new += new
        summary.events_merged += merged

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
