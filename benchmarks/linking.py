"""Linking cost: link 1k, 10k and 100k generated event mentions and print the time of each.

    python benchmarks/linking.py [--sizes 1000 10000 100000] [--seed 7] [--repeat 3]

Mentions are generated at a constant density (the time span grows with the count, as a
growing archive does): about three reports per real incident, from different outlets, with
jittered places and dates, among several actor pairs and event types. Each tenfold step
should cost at most 15x more (blocking keeps the candidates per mention constant).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time

from flashpoint.link import LinkRules, link_all
from flashpoint.model import Event, Source

ACTORS = [("Military Forces of A", "State forces"), ("Rebel Front B", "Rebel group"),
          ("Militia C", "Identity militia"), ("Military Forces of D", "State forces")]
TYPES = [("Battles", "Armed clash"), ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
         ("Explosions/Remote violence", "Air/drone strike"), ("Violence against civilians", "Attack")]
OUTLETS = [f"Outlet {i}" for i in range(12)]


def generate(n: int, *, seed: int = 7) -> list[Event]:
    rng = random.Random(seed)
    start = dt.date(2020, 1, 1)
    # ~10 mentions a day in a 10 x 20 degree region, whatever n: constant density, and a time
    # span long against the linking windows even at 1k, so edge effects do not flatter small runs
    days = max(1, n // 10)
    out: list[Event] = []
    while len(out) < n:
        day = start + dt.timedelta(days=rng.randrange(days))
        lat, lon = rng.uniform(30, 40), rng.uniform(30, 50)
        (a1, i1), (a2, i2) = rng.sample(ACTORS, 2)
        etype, sub = rng.choice(TYPES)
        deaths = rng.randrange(0, 20)
        for r in range(rng.randint(1, 5)):
            if len(out) >= n:
                break
            k = len(out)
            prec = rng.choice((1, 1, 2, 3))
            out.append(Event(
                event_id=f"m{k}", event_date=day + dt.timedelta(days=rng.choice((0, 0, 0, 1)) if prec > 1 else 0),
                date_precision=rng.choice((1, 1, 2)), event_type=etype, sub_event_type=sub,
                actor1=a1, actor2=a2 if rng.random() > 0.2 else None, assoc_actor_1="", assoc_actor_2="",
                inter1=i1, inter2=i2, country="X", iso3="XXX", admin1=None, admin2=None, location=None,
                latitude=lat + rng.gauss(0, 0.02), longitude=lon + rng.gauss(0, 0.02), geo_precision=prec,
                fatalities=max(0, deaths - rng.randrange(0, 5)), fatalities_known=True, injured=None,
                weapons=[], certainty=rng.choice(("reported", "confirmed")), notes="",
                sources=[Source(article_id=f"a{k}", outlet=rng.choice(OUTLETS), url=None, published=day,
                                evidence=())],
            ))
    return out


def measure(n: int, rules: LinkRules, *, seed: int, repeat: int) -> tuple[float, int]:
    """The best of ``repeat`` timings (the machine is shared: the minimum is the least noisy)."""
    mentions = generate(n, seed=seed)
    best, events = float("inf"), 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        events = len(link_all(mentions, rules))
        best = min(best, time.perf_counter() - t0)
    return best, events


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=3, help="time each size this many times, keep the best")
    ap.add_argument("--max-ratio", type=float, default=15.0, help="fail when a tenfold step costs more")
    args = ap.parse_args(argv)
    rules = LinkRules.load()
    previous: tuple[int, float] | None = None
    ok = True
    for n in args.sizes:
        seconds, events = measure(n, rules, seed=args.seed, repeat=args.repeat)
        line = f"{n:>7} mentions -> {events:>7} events in {seconds:8.3f} s"
        if previous:
            ratio = seconds / previous[1]
            line += f"  ({ratio:.1f}x the time of {previous[0]})"
            ok &= ratio <= args.max_ratio * (n / previous[0]) / 10
        print(line, flush=True)
        previous = (n, seconds)
    print("scaling: " + ("ok" if ok else f"FAILED (a tenfold step cost more than {args.max_ratio}x)"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
