"""Latency of the events list's API queries on a store of 100k generated events, from a
concurrent client.

    python benchmarks/api.py [--events 100000] [--requests 1200] [--concurrency 8] [--seed 7] [--db PATH]
                             [--mode mixed|each]

Generates events (with one source, one evidence sentence and their actors each) straight into
a fresh SQLite store (or reuses ``--db`` when it exists), starts ``flashpoint serve`` on loopback
in its own process, then sends a bounded number of requests from ``--concurrency`` threads:
GET /api/events with typical filters (none, country, type, a month, an actor, a bounding box,
certainty, the second page of a listing), each sort of the list, text search (``q``: a common
actor word, a place word, a word matching nothing), GET /api/stats as the page asks it (the
legend, the timeline, the filter lists) and with every count, and
GET /api/labels over a map view; all interleaved (``--mode mixed``) or one query at a time
(``--mode each``). Prints p50/p95 latency overall and per query. The target is p95 < 100 ms for
every query.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

COUNTRIES = [("Syria", "SYR", 35.0, 38.5, 32.5, 37.0, ["Aleppo", "Idlib", "Homs", "Rif Dimashq", "Daraa"]),
             ("Lebanon", "LBN", 35.2, 36.6, 33.1, 34.6, ["Baalbek-Hermel", "South", "Beirut", "North"]),
             ("Iraq", "IRQ", 39.0, 47.0, 30.0, 37.0, ["Ninewa", "Anbar", "Baghdad", "Kirkuk"]),
             ("Yemen", "YEM", 43.0, 52.0, 12.8, 18.0, ["Sanaa", "Marib", "Taizz", "Al Hudaydah"])]
ACTORS = ["Military Forces of A", "Rebel Front B", "Militia C", "Military Forces of D", "Police Forces of E",
          "Protesters (F)", "Civilians (G)", "Unidentified Armed Group (H)"] + [f"Local Militia {i}" for i in range(40)]
TYPES = [("Battles", "Armed clash"), ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
         ("Explosions/Remote violence", "Air/drone strike"), ("Violence against civilians", "Attack"),
         ("Protests", "Peaceful protest"), ("Riots", "Violent demonstration"),
         ("Strategic developments", "Arrests")]
START = dt.date(2015, 1, 1)
DAYS = 3650


def generate(db: str, n: int, seed: int) -> None:
    """n events over ten years, written in bulk (the ingest job is measured elsewhere)."""
    from sqlalchemy import insert

    from flashpoint.store import open_store
    from flashpoint.store.db import refresh_statistics
    from flashpoint.store.models import ActorRow, ArticleRow, EventActor, EventRow, EventSource, EvidenceRow

    rng = random.Random(seed)
    engine, sessions = open_store(db)
    now = dt.datetime(2025, 1, 1)
    with engine.begin() as conn:
        conn.execute(insert(ActorRow), [{"name": a, "inter": None} for a in ACTORS])
        for lo in range(0, n, 10_000):
            events, sources, evidence, actors, articles = [], [], [], [], []
            for i in range(lo, min(n, lo + 10_000)):
                country, iso3, x0, x1, y0, y1, regions = rng.choice(COUNTRIES)
                etype, sub = rng.choice(TYPES)
                a1, a2 = rng.sample(ACTORS, 2)
                eid, aid = f"fp-{i:016x}", f"art-{i:08d}"
                date = START + dt.timedelta(days=rng.randrange(DAYS)) if rng.random() > 0.03 else None
                location, deaths = f"Place {rng.randrange(2000)}", rng.choice([0, 0, 0, 1, 2, 3, 5, 10, 25])
                # the shape of resolve.summarise's notes: what the text search reads besides actors and place
                notes = (f"{a1} and {a2}: {sub.lower()} near {location}, {country}"
                         + (f" on {date.isoformat()}" if date else "") + (f"; {deaths} killed." if deaths else "."))
                events.append(dict(
                    id=eid, event_date=date, date_precision=1 if date else None, event_type=etype,
                    sub_event_type=sub, actor1=a1, actor2=a2, assoc_actor_1="", assoc_actor_2="", inter1=None,
                    inter2=None, country=country, iso3=iso3, admin1=rng.choice(regions),
                    admin2=f"District {rng.randrange(300)}", location=location, latitude=round(rng.uniform(y0, y1), 4),
                    longitude=round(rng.uniform(x0, x1), 4), geo_precision=rng.choice([1, 2, 3]),
                    fatalities=deaths, fatalities_known=True, injured=None,
                    weapons=[], certainty=rng.choice(["confirmed", "reported", "unconfirmed"]), notes=notes,
                    storyline_id=None, created=now, updated=now,
                ))
                sentence = f"Generated report {i}: {a1} and {a2} clashed near {events[-1]['location']}."
                articles.append(dict(id=aid, url=None, outlet="Generated", title=None, published=date, origin="bench",
                                     original_text=sentence, clean_text=sentence, raw_hash=f"{i:064x}",
                                     content_hash=f"{i:064x}", minhash=[], duplicate_of=None, similarity=None,
                                     run_id=None, stored=now))
                sources.append(dict(id=i + 1, event_id=eid, article_id=aid, mention_id=eid, outlet="Generated",
                                    url=None, published=date, figures={}))
                evidence.append(dict(source_id=i + 1, start=0, end=len(sentence), text=sentence))
                actors += [dict(event_id=eid, actor=a1, role="actor1"), dict(event_id=eid, actor=a2, role="actor2")]
            for table, rows in ((ArticleRow, articles), (EventRow, events), (EventSource, sources),
                                (EvidenceRow, evidence), (EventActor, actors)):
                conn.execute(insert(table), rows)
    refresh_statistics(sessions)  # as the ingest job leaves a store
    engine.dispose()


def queries() -> list[tuple[str, str | None, bool]]:
    """(name, path and query, whether it finds something); None: page 2 of the listing."""
    events = "/api/events?"
    return [
        ("no filter", events, True),
        ("country", events + "country=Syria", True),
        ("type", events + "type=Air%2Fdrone%20strike", True),
        ("a month", events + "since=2020-03-01&until=2020-03-31", True),
        ("actor", events + "actor=Rebel%20Front%20B", True),
        ("bbox", events + "bbox=36.0,33.0,37.0,34.5", True),
        ("certainty+country", events + "certainty=confirmed&country=IRQ", True),
        ("page 2", None, True),  # the cursor of the first page, fetched at start
        *((f"sort={sort}", events + f"sort={sort}", True)
          for sort in ("fatalities", "-fatalities", "event_type", "-event_type", "country", "-country",
                       "event_date", "-updated")),
        ("q=forces", events + "q=forces", True),  # a common actor word (Military/Police Forces)
        ("q=idlib", events + "q=idlib", True),  # a place word (a province), in another case
        ("q=nothing", events + "q=zqxjv", False),
        ("q=forces by type", events + "q=forces&sort=event_type", True),
        ("q=idlib+month", events + "q=idlib&since=2020-01-01&until=2020-12-31", True),
        # /api/stats as the page asks it: the legend on every change of filters, the timeline
        # when a filter other than the dates changes, the filter lists once at load
        ("legend", "/api/stats?include=per_type&top=1", True),
        ("legend country", "/api/stats?include=per_type&top=1&country=Syria", True),
        ("legend q=forces", "/api/stats?include=per_type&top=1&q=forces", True),
        ("legend q=nothing", "/api/stats?include=per_type&top=1&q=zqxjv", False),
        ("timeline", "/api/stats?include=per_day&bucket=auto&top=1", True),
        ("timeline q=idlib", "/api/stats?include=per_day&bucket=auto&top=1&q=idlib", True),
        ("filter lists", "/api/stats?include=per_admin1,per_actor&top=500", True),
        ("stats, all of it", "/api/stats?", True),  # the default: every day, admin1 and actor
        ("labels", "/api/labels?bbox=34.5,32,43,38", True),
    ]


def _found(body: dict) -> bool:
    return bool(body["items"] if "items" in body else body["total_events"])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=1200)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--limit", type=int, default=100, help="Events per page (the API's default).")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--db", help="A store to use, generated first when the file does not exist (kept).")
    ap.add_argument("--mode", choices=("mixed", "each"), default="mixed",
                    help="mixed: all queries interleaved (a slow one delays the others, as on a busy server); "
                         "each: one query at a time, its share of the requests from every client.")
    args = ap.parse_args()
    import httpx

    with tempfile.TemporaryDirectory(prefix="flashpoint-bench-") as tmp:
        db = args.db or str(Path(tmp) / "events.sqlite")
        if not Path(db).exists():
            t0 = time.perf_counter()
            generate(db, args.events, args.seed)
            print(f"generated {args.events:,} events in {time.perf_counter() - t0:.1f} s", flush=True)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen([sys.executable, "-m", "flashpoint", "serve", "--db", db, "--port", str(port)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        base = f"http://127.0.0.1:{port}"
        try:
            client = httpx.Client(base_url=base, timeout=30,
                                  limits=httpx.Limits(max_connections=args.concurrency))
            for _ in range(200):
                try:
                    if client.get("/api/health").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            cursor = client.get(f"/api/events?limit={args.limit}").json()["next_cursor"]
            urls = []
            for name, url, finds in queries():
                url = url if url is not None else f"/api/events?cursor={cursor}"
                if url.startswith("/api/events?"):
                    url += f"&limit={args.limit}"
                urls.append((name, url, finds))
            for _, url, _ in urls:  # warm up: first touch of each query plan and page cache
                assert client.get(url).status_code == 200, url
            if args.mode == "mixed":
                plan = [urls[i % len(urls)] for i in range(args.requests)]
            else:
                plan = [u for u in urls for _ in range(max(20, args.requests // len(urls)))]

            def timed(item):
                name, url, finds = item
                start = time.perf_counter()
                r = client.get(url)
                elapsed = (time.perf_counter() - start) * 1000
                assert r.status_code == 200 and _found(r.json()) == finds, (url, r.status_code)
                return name, elapsed

            t0 = time.perf_counter()
            with ThreadPoolExecutor(args.concurrency) as pool:
                if args.mode == "mixed":
                    results = list(pool.map(timed, plan))
                else:  # phase by phase: a query's requests overlap only with each other
                    results = [r for u in urls for r in pool.map(timed, [p for p in plan if p is u])]
            wall = time.perf_counter() - t0
        finally:
            server.terminate()
            server.wait(timeout=10)

    def pct(values, p):
        return statistics.quantiles(values, n=100, method="inclusive")[p - 1] if len(values) > 1 else values[0]

    every = [ms for _, ms in results]
    print(f"{len(results)} requests ({args.mode}), {args.concurrency} concurrent, limit={args.limit}: "
          f"{len(results) / wall:.0f} req/s; p50 {pct(every, 50):.1f} ms, p95 {pct(every, 95):.1f} ms")
    slowest = 0.0
    for name, _, _ in urls:
        mine = [ms for n, ms in results if n == name]
        slowest = max(slowest, pct(mine, 95))
        print(f"  {name:18} p50 {pct(mine, 50):6.1f} ms  p95 {pct(mine, 95):6.1f} ms")
    return 0 if slowest < 100 else 1  # every query, not just the mix


if __name__ == "__main__":
    sys.exit(main())
