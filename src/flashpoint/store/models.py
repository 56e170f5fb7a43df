"""The event store's tables (SQLAlchemy 2 declarative). The schema is created and upgraded
only by the Alembic migrations in ``migrations/versions``; change both together."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON, Boolean, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class IngestRun(Base):
    """One ``flashpoint ingest`` (or API write): when, what, which process, how it ended, its counts."""

    __tablename__ = "ingest_runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    started: Mapped[dt.datetime] = mapped_column(DateTime)
    finished: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    status: Mapped[str] = mapped_column(String(16))  # running | done | interrupted | failed
    paths: Mapped[list[str]] = mapped_column(JSON)
    rules_version: Mapped[str] = mapped_column(String(32))
    counts: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    # the process running it (revision 0004; None for runs recorded before): a later run marks a
    # "running" run interrupted only when that process is gone
    pid: Mapped[int | None] = mapped_column(Integer, nullable=True)
    host: Mapped[str | None] = mapped_column(String(255), nullable=True)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)  # why it failed or was interrupted
    errors: Mapped[list[RunError]] = relationship(back_populates="run", cascade="all, delete-orphan")


class RunError(Base):
    """An input item a run could not process, and why."""

    __tablename__ = "run_errors"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("ingest_runs.id", ondelete="CASCADE"), index=True)
    origin: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    run: Mapped[IngestRun] = relationship(back_populates="errors")


class ArticleRow(Base):
    """An article: original and cleaned text, hashes, metadata; a copy points to its original."""

    __tablename__ = "articles"
    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    url: Mapped[str | None] = mapped_column(Text, nullable=True, index=True)
    outlet: Mapped[str | None] = mapped_column(String(200), nullable=True)
    title: Mapped[str | None] = mapped_column(Text, nullable=True)
    published: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    origin: Mapped[str] = mapped_column(Text)
    original_text: Mapped[str] = mapped_column(Text)
    clean_text: Mapped[str] = mapped_column(Text)
    raw_hash: Mapped[str] = mapped_column(String(64), index=True)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    minhash: Mapped[list[int]] = mapped_column(JSON)
    duplicate_of: Mapped[str | None] = mapped_column(ForeignKey("articles.id"), nullable=True)
    similarity: Mapped[float | None] = mapped_column(Float, nullable=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("ingest_runs.id"), nullable=True)
    stored: Mapped[dt.datetime] = mapped_column(DateTime)
    # what was made safe on the way in, by the pipeline or the store (revision 0004)
    warnings: Mapped[list[str] | None] = mapped_column(JSON(none_as_null=True), nullable=True)


class ArticleBand(Base):
    """MinHash band hashes of an article, the lookup index for near-duplicates."""

    __tablename__ = "article_bands"
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    band: Mapped[int] = mapped_column(Integer, primary_key=True)
    hash: Mapped[str] = mapped_column(String(32))
    __table_args__ = (Index("ix_article_bands_band_hash", "band", "hash"),)


class Storyline(Base):
    __tablename__ = "storylines"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    created: Mapped[dt.datetime] = mapped_column(DateTime)


class EventRow(Base):
    """A merged event with the codebook's fields (denormalised for filtering)."""

    __tablename__ = "events"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    event_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True, index=True)
    date_precision: Mapped[int | None] = mapped_column(Integer, nullable=True)
    event_type: Mapped[str] = mapped_column(String(64), index=True)
    sub_event_type: Mapped[str] = mapped_column(String(64))
    actor1: Mapped[str | None] = mapped_column(String(200), nullable=True)
    actor2: Mapped[str | None] = mapped_column(String(200), nullable=True)
    assoc_actor_1: Mapped[str] = mapped_column(Text, default="")
    assoc_actor_2: Mapped[str] = mapped_column(Text, default="")
    inter1: Mapped[str | None] = mapped_column(String(64), nullable=True)
    inter2: Mapped[str | None] = mapped_column(String(64), nullable=True)
    place_id: Mapped[int | None] = mapped_column(ForeignKey("places.id"), nullable=True)
    country: Mapped[str | None] = mapped_column(String(100), nullable=True, index=True)
    iso3: Mapped[str | None] = mapped_column(String(3), nullable=True)
    admin1: Mapped[str | None] = mapped_column(String(200), nullable=True)
    admin2: Mapped[str | None] = mapped_column(String(200), nullable=True)
    location: Mapped[str | None] = mapped_column(String(200), nullable=True)
    latitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    longitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    geo_precision: Mapped[int | None] = mapped_column(Integer, nullable=True)
    fatalities: Mapped[int] = mapped_column(Integer, default=0)
    fatalities_known: Mapped[bool] = mapped_column(Boolean, default=True)
    injured: Mapped[int | None] = mapped_column(Integer, nullable=True)
    weapons: Mapped[list[str]] = mapped_column(JSON, default=list)
    certainty: Mapped[str] = mapped_column(String(16))
    notes: Mapped[str] = mapped_column(Text, default="")
    storyline_id: Mapped[str | None] = mapped_column(ForeignKey("storylines.id"), nullable=True, index=True)
    created: Mapped[dt.datetime] = mapped_column(DateTime)
    updated: Mapped[dt.datetime] = mapped_column(DateTime)
    sources: Mapped[list[EventSource]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="EventSource.id"
    )
    # revision 0006: keyset pages of the events list by type, country and update, and its statistics
    # read from covering indexes; its text index (events_search, SQLite's FTS5) is no table
    # SQLAlchemy knows
    __table_args__ = (
        Index("ix_events_type_id", "event_type", "id"),
        Index("ix_events_country_id", "country", "id"),
        Index("ix_events_updated_id", "updated", "id"),
        Index("ix_events_certainty_date_id", "certainty", "event_date", "id"),
        Index("ix_events_day_stats", "event_date", "event_type", "fatalities"),
        Index("ix_events_place_stats", "country", "admin1", "event_date", "fatalities"),
    )


class EventSource(Base):
    """One article supporting an event, with what that article alone said (its figures)."""

    __tablename__ = "event_sources"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id"), index=True)
    mention_id: Mapped[str] = mapped_column(String(64))  # the event id the article alone gave
    outlet: Mapped[str | None] = mapped_column(String(200), nullable=True)
    url: Mapped[str | None] = mapped_column(Text, nullable=True)
    published: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)  # link.SourceFigures as JSON
    event: Mapped[EventRow] = relationship(back_populates="sources")
    evidence: Mapped[list[EvidenceRow]] = relationship(
        back_populates="source", cascade="all, delete-orphan", order_by="EvidenceRow.start"
    )


class EvidenceRow(Base):
    """An evidence sentence: character offsets into the article's cleaned text."""

    __tablename__ = "evidence"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("event_sources.id", ondelete="CASCADE"), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    # the event fields this sentence gave in its article's own reading (model.PROVENANCE_FIELDS);
    # NULL for sentences stored before revision 0005
    fields: Mapped[list[str] | None] = mapped_column(JSON(none_as_null=True), nullable=True)
    source: Mapped[EventSource] = relationship(back_populates="evidence")


class ActorRow(Base):
    __tablename__ = "actors"
    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    inter: Mapped[str | None] = mapped_column(String(64), nullable=True)


class EventActor(Base):
    __tablename__ = "event_actors"
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    actor: Mapped[str] = mapped_column(ForeignKey("actors.name"), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(16), primary_key=True)  # actor1 | actor2 | assoc1 | assoc2


class PlaceRow(Base):
    __tablename__ = "places"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str | None] = mapped_column(String(100), nullable=True)
    iso3: Mapped[str | None] = mapped_column(String(3), nullable=True)
    admin1: Mapped[str | None] = mapped_column(String(200), nullable=True)
    admin2: Mapped[str | None] = mapped_column(String(200), nullable=True)
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    __table_args__ = (Index("ix_places_key", "name", "iso3", "latitude", "longitude", unique=True),)


class FieldHistory(Base):
    """Every change of an event's field by a merge: old and new value, source article, rule."""

    __tablename__ = "field_history"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(64))
    old: Mapped[Any] = mapped_column(JSON, nullable=True)
    new: Mapped[Any] = mapped_column(JSON, nullable=True)
    article_id: Mapped[str] = mapped_column(String(200))
    rule: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(DateTime)


class EventBlock(Base):
    """Blocking keys of an event (date bucket x grid cell): the candidate index for linking."""

    __tablename__ = "event_blocks"
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    bucket: Mapped[int] = mapped_column(Integer, primary_key=True)
    row: Mapped[int] = mapped_column(Integer, primary_key=True)
    col: Mapped[int] = mapped_column(Integer, primary_key=True)
    __table_args__ = (Index("ix_event_blocks_key", "bucket", "row", "col"),)


class FeedRow(Base):
    """A news feed watched by ``flashpoint watch`` (revision 0007): its validators for
    conditional requests, how its last poll went, and when it is next due."""

    __tablename__ = "feeds"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    url: Mapped[str] = mapped_column(Text, unique=True)
    name: Mapped[str] = mapped_column(String(200))
    every_seconds: Mapped[int] = mapped_column(Integer)
    added: Mapped[dt.datetime] = mapped_column(DateTime)
    etag: Mapped[str | None] = mapped_column(Text, nullable=True)
    last_modified: Mapped[str | None] = mapped_column(Text, nullable=True)
    last_poll: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)  # last attempt
    last_ok: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    status: Mapped[str] = mapped_column(String(16))  # new | ok | not-modified | failing
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)  # consecutive: the back-off's exponent
    next_poll: Mapped[dt.datetime] = mapped_column(DateTime)
    __table_args__ = (Index("ix_feeds_next_poll", "next_poll"),)


class FeedItem(Base):
    """One item of a feed, recorded once its article is stored (or has failed for good)."""

    __tablename__ = "feed_items"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    feed_id: Mapped[int] = mapped_column(ForeignKey("feeds.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(Text)  # the item's guid, or its link
    url: Mapped[str | None] = mapped_column(Text, nullable=True)
    title: Mapped[str | None] = mapped_column(Text, nullable=True)
    published: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    seen: Mapped[dt.datetime] = mapped_column(DateTime)
    article_id: Mapped[str | None] = mapped_column(ForeignKey("articles.id"), nullable=True)
    outcome: Mapped[str] = mapped_column(String(16))  # what storing it gave (see flashpoint.watch)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    __table_args__ = (
        UniqueConstraint("feed_id", "key", name="uq_feed_items_feed_key"),
        Index("ix_feed_items_article", "article_id"),
    )


class AlertRuleState(Base):
    """Per alert rule, the ``events.updated`` watermark up to which events were examined."""

    __tablename__ = "alert_rules"
    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    checked: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class AlertSent(Base):
    """Per rule and event, the event as it was when the rule last fired: it fires again only
    when this changes materially."""

    __tablename__ = "alerts_sent"
    rule: Mapped[str] = mapped_column(String(200), primary_key=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    fired: Mapped[dt.datetime] = mapped_column(DateTime)
    fatalities: Mapped[int] = mapped_column(Integer)
    certainty: Mapped[str] = mapped_column(String(16))
    sources: Mapped[int] = mapped_column(Integer)
    __table_args__ = (Index("ix_alerts_sent_event", "event_id"),)
