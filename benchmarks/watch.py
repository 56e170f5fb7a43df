"""Cost of watching feeds: 200 feeds of 20 items each, served on 127.0.0.1, polled twice.

    python benchmarks/watch.py [--feeds 200] [--items 20] [--sites 8] [--workers 4] [--db URL]
        [--baseline 500]

The feeds (RSS 2.0, each with an ETag and a Last-Modified) and their article pages are written
here: short invented reports of incidents at real places, each different (place, sides,
weapon, toll, day and the wording of every paragraph vary), so that none is a near-copy of
another. The feeds are spread over ``--sites`` loopback servers, since the watcher sends one
request at a time to a site and fetches several sites at once.

Printed: the time of the first poll (every feed fetched, every page fetched, coded and stored,
with articles per second), the time of a second poll where nothing changed (every feed answers
304), the rates of the bare pipeline and of the ingest job (``flashpoint ingest``'s path) on
some of the same articles read directly (so the watcher's own share shows), and the peak memory
of the process (max RSS) after loading the pipeline and after the polls. The pipeline and the
gazetteer are loaded (and warmed up on one article) before the clock starts; their load time is
printed apart. The store is a fresh SQLite file in a temporary folder unless ``--db`` says
otherwise.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import random
import resource
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PLACES = [
    ("Manbij", "Syria", "Syrian army troops"), ("Deir ez-Zor", "Syria", "Syrian army troops"),
    ("Idlib", "Syria", "Syrian army troops"), ("Daraa", "Syria", "Syrian army troops"),
    ("Marib", "Yemen", "Yemeni government forces"), ("Taiz", "Yemen", "Yemeni government forces"),
    ("Al Hudaydah", "Yemen", "Yemeni government forces"), ("Kismayo", "Somalia", "Somali army soldiers"),
    ("Baidoa", "Somalia", "Somali army soldiers"), ("Beledweyne", "Somalia", "Somali army soldiers"),
    ("Menaka", "Mali", "Malian soldiers"), ("Gao", "Mali", "Malian soldiers"), ("Mopti", "Mali", "Malian soldiers"),
    ("Kirkuk", "Iraq", "Iraqi security forces"), ("Mosul", "Iraq", "Iraqi security forces"),
    ("Maiduguri", "Nigeria", "Nigerian troops"), ("Bunia", "Democratic Republic of the Congo", "Congolese troops"),
    ("Goma", "Democratic Republic of the Congo", "Congolese troops"), ("El Fasher", "Sudan", "Sudanese army troops"),
    ("Kandahar", "Afghanistan", "Afghan security forces"),
]
ATTACKERS = ["gunmen", "militants", "unidentified armed men", "fighters on motorbikes", "insurgents"]
TARGETS = ["an army checkpoint", "a police station", "a military convoy", "an army base", "a border post",
           "a patrol", "a supply depot"]
WEAPONS = ["opened fire with rifles", "fired rocket-propelled grenades", "detonated a roadside bomb",
           "launched mortar shells", "attacked with machine guns", "used a car bomb"]
SOURCES = ["a military official said", "local officials said", "a security source told reporters",
           "residents said", "a hospital official said", "the provincial governor said"]
AFTER = [
    "The attackers fled towards {dir} farmland before reinforcements arrived, {src}.",
    "Troops closed the {dir} road for {h} hours while they searched nearby villages.",
    "Witnesses said the shooting lasted about {m} minutes and that {n} vehicles were burned.",
    "Ambulances took the wounded to a hospital {k} kilometres to the {dir}, {src}.",
    "It was the {ord} attack on the area since the start of the month, according to {src2}.",
]
CLOSING = [
    "No group claimed responsibility for the attack.",
    "Officials said an investigation had been opened and that {n} suspects were being sought.",
    "Schools in the district stayed closed on the following day, parents said.",
    "The authorities imposed a curfew of {h} hours on the {dir} neighbourhoods.",
    "Aid groups said {n} families had left their homes since the fighting began.",
]
DIRS = ["northern", "southern", "eastern", "western"]
ORDS = ["second", "third", "fourth", "fifth", "sixth"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


@dataclass
class Article:
    path: str
    title: str
    published: dt.datetime
    paragraphs: list[str]
    outlet: str


def write_article(rng: random.Random, outlet: str, path: str, when: dt.datetime) -> Article:
    town, country, army = rng.choice(PLACES)
    day = when - dt.timedelta(days=rng.randrange(0, 3))
    killed, wounded = rng.randrange(1, 30), rng.randrange(0, 40)
    weekday = WEEKDAYS[day.weekday()]
    src = rng.choice(SOURCES)
    fill = lambda s: s.format(dir=rng.choice(DIRS), src=rng.choice(SOURCES), src2=rng.choice(SOURCES),  # noqa: E731
                              h=rng.randrange(2, 12), m=rng.randrange(10, 90), n=rng.randrange(2, 40),
                              k=rng.randrange(3, 60), ord=rng.choice(ORDS))
    lead = (f"{town.upper()}, {country} ({outlet}) — {rng.choice(ATTACKERS).capitalize()} "
            f"{rng.choice(WEAPONS)} at {rng.choice(TARGETS)} near {town} on {weekday}, killing {killed} "
            f"{army.split()[-1]} and wounding {wounded} others, {src}.")
    body = [fill(s) for s in rng.sample(AFTER, 3)] + [fill(rng.choice(CLOSING))]
    title = f"{killed} killed in attack near {town}"
    return Article(path, title, when, [lead, " ".join(body[:2]), " ".join(body[2:])], outlet)


def page_html(a: Article) -> bytes:
    paras = "\n".join(f"<p>{html.escape(p)}</p>" for p in a.paragraphs)
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(a.title)}</title>"
            f"<meta property='og:site_name' content='{html.escape(a.outlet)}'>"
            f"<meta property='article:published_time' content='{a.published.isoformat()}'></head><body>"
            f"<nav>Home | World | Region</nav><article><h1>{html.escape(a.title)}</h1>\n{paras}</article>"
            f"<footer>Subscribe to our newsletter.</footer></body></html>").encode()


def feed_xml(base: str, outlet: str, articles: list[Article]) -> bytes:
    items = "".join(
        f"<item><title>{html.escape(a.title)}</title><link>{base}{a.path}</link>"
        f"<guid isPermaLink='false'>{a.path}</guid><pubDate>{format_datetime(a.published)}</pubDate>"
        f"<description>{html.escape(a.paragraphs[0])}</description></item>"
        for a in articles
    )
    return (f"<?xml version='1.0' encoding='UTF-8'?><rss version='2.0'><channel><title>{html.escape(outlet)}"
            f"</title><link>{base}/</link><description>Invented feed for the benchmark.</description>"
            f"{items}</channel></rss>").encode()


@dataclass
class Site:
    """One loopback server: paths -> (body, content type, ETag); answers 304 on a matching ETag."""

    routes: dict[str, tuple[bytes, str, str | None]] = field(default_factory=dict)
    modified: str = "Mon, 01 Sep 2025 00:00:00 GMT"

    def start(self) -> str:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                body, kind, etag = site.routes.get(self.path, (b"not found", "text/plain", None))
                status = 200 if self.path in site.routes else 404
                if etag and self.headers.get("If-None-Match") == etag:
                    status, body = 304, b""
                self.send_response(status)
                self.send_header("Content-Type", kind)
                if etag:
                    self.send_header("ETag", etag)
                    self.send_header("Last-Modified", site.modified)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        class Quiet(ThreadingHTTPServer):
            def handle_error(self, request, client_address) -> None:  # a client closing its keep-alive
                pass

        server = Quiet(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{server.server_address[1]}"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--feeds", type=int, default=200)
    ap.add_argument("--items", type=int, default=20)
    ap.add_argument("--sites", type=int, default=8)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--db", help="Store (default: a fresh SQLite file in a temporary folder).")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--baseline", type=int, default=500, metavar="N",
                    help="Also time N of the articles through the bare pipeline, and through the ingest job into "
                         "a scratch store, without feeds or pages (0: skip).")
    args = ap.parse_args(argv)

    from flashpoint.link import LinkRules
    from flashpoint.model import Article as ModelArticle
    from flashpoint.pipeline import Pipeline, Resources
    from flashpoint.places import Gazetteer
    from flashpoint.store import Ingestor, open_store
    from flashpoint.store.models import ArticleRow, EventRow
    from flashpoint.store.repo import now
    from flashpoint.watch.feeds import add_feed
    from flashpoint.watch.fetch import Fetcher
    from flashpoint.watch.poll import Watcher, WatchSettings
    from sqlalchemy import func, select

    rng = random.Random(args.seed)
    sites = [Site() for _ in range(max(1, args.sites))]
    bases = [s.start() for s in sites]
    start = dt.datetime(2025, 9, 1, 6, tzinfo=dt.timezone.utc)
    feeds, written = [], []
    for f in range(args.feeds):
        site, base, outlet = sites[f % len(sites)], bases[f % len(sites)], f"Outlet {f:03d}"
        articles = [write_article(rng, outlet, f"/o{f}/a{i}.html", start + dt.timedelta(hours=rng.randrange(90 * 24)))
                    for i in range(args.items)]
        written += articles
        for a in articles:
            site.routes[a.path] = (page_html(a), "text/html; charset=utf-8", None)
        site.routes[f"/o{f}/feed.xml"] = (feed_xml(base, outlet, articles), "application/rss+xml", f'"feed-{f}"')
        feeds.append((f"{base}/o{f}/feed.xml", outlet))

    with tempfile.TemporaryDirectory(prefix="flashpoint-watch-bench-") as tmp:
        db = args.db or str(Path(tmp) / "events.sqlite")
        engine, sessions = open_store(db)
        for url, outlet in feeds:
            add_feed(sessions, url, name=outlet)
        t0 = time.perf_counter()
        pipeline = Pipeline(Resources.load(gazetteer=Gazetteer.open()))
        warm = write_article(random.Random(0), "Warm-up", "/warm", start)
        list(pipeline.run([ModelArticle(id="warm-up", text="\n\n".join(warm.paragraphs), origin="warm-up")]))
        loaded = time.perf_counter() - t0
        rss_loaded = rss_mb()
        offset = [dt.timedelta()]
        watcher = Watcher(sessions, Ingestor(sessions, pipeline, LinkRules.load()), Fetcher(),
                          settings=WatchSettings(workers=args.workers), clock=lambda: now() + offset[0])

        t0 = time.perf_counter()
        first = watcher.poll()
        full = time.perf_counter() - t0
        with sessions() as s:
            stored = s.scalar(select(func.count(ArticleRow.id)))
            events = s.scalar(select(func.count(EventRow.id)))
        offset[0] = dt.timedelta(hours=1)
        t0 = time.perf_counter()
        second = watcher.poll()
        unchanged = time.perf_counter() - t0
        watcher.fetcher.close()
        engine.dispose()
        baseline = None
        if args.baseline:
            sample = [ModelArticle(id=f"b{i}", text="\n\n".join(a.paragraphs), origin=a.path, title=a.title,
                                   published=a.published.date(), outlet=a.outlet)
                      for i, a in enumerate(written[: args.baseline])]
            scratch, scratch_sessions = open_store(str(Path(tmp) / "baseline.sqlite"))
            t0 = time.perf_counter()
            list(pipeline.run(sample))
            bare = len(sample) / (time.perf_counter() - t0)
            t0 = time.perf_counter()
            Ingestor(scratch_sessions, pipeline, LinkRules.load()).run(sample, paths=["baseline"])
            baseline = (bare, len(sample) / (time.perf_counter() - t0))
            scratch.dispose()

    items = args.feeds * args.items
    print(f"feeds: {args.feeds} x {args.items} items = {items} items, on {len(sites)} loopback site(s), "
          f"{args.workers} fetch worker(s)")
    print(f"pipeline and gazetteer loaded in {loaded:.1f} s")
    print(f"full poll: {full:.1f} s for {len(first.feeds)} feeds; {stored} articles stored, {events} events "
          f"({stored / full:.1f} articles/s); {first.line()}")
    print(f"poll with nothing changed: {unchanged:.2f} s for {len(second.feeds)} feeds "
          f"({1000 * unchanged / max(1, len(second.feeds)):.1f} ms per feed); "
          f"{sum(f.status == 'not-modified' for f in second.feeds)} answered 304")
    if baseline:
        print(f"on {min(args.baseline, items)} of the same articles, without feeds or pages: the bare pipeline "
              f"{baseline[0]:.1f} articles/s; stored as 'flashpoint ingest' does (pipeline, linking, store) "
              f"{baseline[1]:.1f} articles/s")
    print(f"peak memory (max RSS): {rss_loaded:.0f} MB after loading the pipeline, {rss_mb():.0f} MB after the polls")
    return 0


if __name__ == "__main__":
    sys.exit(main())
