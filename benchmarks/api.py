"""Latency of GET /api/events on a store of 100k generated events, from a concurrent client.

    python benchmarks/api.py [--events 100000] [--requests 1200] [--concurrency 8] [--seed 7]

Generates events (with one source, one evidence sentence and their actors each) straight into
a fresh SQLite store, starts ``flashpoint serve`` on loopback in its own process, then sends a
bounded number of requests with typical filters (none, country, type, a month, an actor, a
bounding box, certainty, and the second page of a listing) from ``--concurrency`` threads, and
prints p50/p95 latency overall and per filter. The target is p95 < 100 ms.
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
    from flashpoint.store.models import ActorRow, ArticleRow, EventActor, EventRow, EventSource, EvidenceRow

    rng = random.Random(seed)
    engine, _ = open_store(db)
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
                events.append(dict(
                    id=eid, event_date=date, date_precision=1 if date else None, event_type=etype,
                    sub_event_type=sub, actor1=a1, actor2=a2, assoc_actor_1="", assoc_actor_2="", inter1=None,
                    inter2=None, country=country, iso3=iso3, admin1=rng.choice(regions), admin2=None,
                    location=f"Place {rng.randrange(2000)}", latitude=round(rng.uniform(y0, y1), 4),
                    longitude=round(rng.uniform(x0, x1), 4), geo_precision=rng.choice([1, 2, 3]),
                    fatalities=rng.choice([0, 0, 0, 1, 2, 3, 5, 10, 25]), fatalities_known=True, injured=None,
                    weapons=[], certainty=rng.choice(["confirmed", "reported", "unconfirmed"]), notes="",
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
    engine.dispose()


def queries() -> list[tuple[str, str]]:
    return [
        ("no filter", ""),
        ("country", "country=Syria"),
        ("type", "type=Air%2Fdrone%20strike"),
        ("a month", "since=2020-03-01&until=2020-03-31"),
        ("actor", "actor=Rebel%20Front%20B"),
        ("bbox", "bbox=36.0,33.0,37.0,34.5"),
        ("certainty+country", "certainty=confirmed&country=IRQ"),
        ("by fatalities", "sort=-fatalities"),
        ("page 2", None),  # the cursor of the first page, fetched at start
    ]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=1200)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--limit", type=int, default=100, help="Events per page (the API's default).")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    import httpx

    with tempfile.TemporaryDirectory(prefix="flashpoint-bench-") as tmp:
        db = str(Path(tmp) / "events.sqlite")
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
            qs = [(name, q if q is not None else f"cursor={cursor}") for name, q in queries()]
            urls = [(name, f"/api/events?limit={args.limit}" + (f"&{q}" if q else "")) for name, q in qs]
            for _, url in urls:  # warm up: first touch of each query plan and page cache
                assert client.get(url).status_code == 200, url
            plan = [urls[i % len(urls)] for i in range(args.requests)]

            def timed(item):
                name, url = item
                start = time.perf_counter()
                r = client.get(url)
                elapsed = (time.perf_counter() - start) * 1000
                assert r.status_code == 200 and r.json()["items"], (url, r.status_code)
                return name, elapsed

            t0 = time.perf_counter()
            with ThreadPoolExecutor(args.concurrency) as pool:
                results = list(pool.map(timed, plan))
            wall = time.perf_counter() - t0
        finally:
            server.terminate()
            server.wait(timeout=10)

    def pct(values, p):
        return statistics.quantiles(values, n=100, method="inclusive")[p - 1] if len(values) > 1 else values[0]

    every = [ms for _, ms in results]
    print(f"{len(results)} requests, {args.concurrency} concurrent, limit={args.limit}: "
          f"{len(results) / wall:.0f} req/s; p50 {pct(every, 50):.1f} ms, p95 {pct(every, 95):.1f} ms")
    for name, _ in urls:
        mine = [ms for n, ms in results if n == name]
        print(f"  {name:18} p50 {pct(mine, 50):6.1f} ms  p95 {pct(mine, 95):6.1f} ms")
    return 0 if pct(every, 95) < 100 else 1


if __name__ == "__main__":
    sys.exit(main())
