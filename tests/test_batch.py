"""``flashpoint batch``, local engine: output, linking as ``flashpoint ingest`` links, resume,
errors, inputs (JSONL, Parquet); and the grouping algorithm the Spark engine links with."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from flashpoint.batch import Replay, read_events, read_items, run_local
from flashpoint.batch.linking import groups_in_memory
from flashpoint.batch.local import chunk_path

TOWNS = [("Saraqib", "Idlib"), ("Maarat al-Numan", "Idlib"), ("Rastan", "Homs"), ("Tal Rifaat", "Aleppo")]
OUTLETS = ["Levant Wire", "Northern Post", "Valley Herald"]
LEADS = [
    "Syrian army troops clashed with Hayat Tahrir al-Sham militants near {t} in {p} province on Tuesday, "
    "killing {k} fighters, a war monitor said.",
    "{K} fighters were killed on Tuesday when Syrian army troops fought Hayat Tahrir al-Sham militants near "
    "{t}, in {p} province, according to local sources.",
    "Fighting between Syrian army troops and Hayat Tahrir al-Sham militants near {t} in {p} province killed "
    "{k} fighters on Tuesday, residents said.",
]


def reports() -> list[dict]:
    """Several outlets reporting each of four clashes (so linking has sources to merge)."""
    out = []
    for i, (town, province) in enumerate(TOWNS):
        for j, outlet in enumerate(OUTLETS[: 2 + i % 2]):
            k = ["three", "four", "five"][j]
            text = LEADS[j].format(t=town, p=province, k=k, K=k.capitalize()) + " The fighting lasted hours."
            out.append({"id": f"r{len(out) + 1}", "outlet": outlet, "date": f"2024-05-{8 + i:02d}",
                        "title": f"Clashes near {town}", "text": text})
    return out


def with_syndicated_copy(records: list[dict]) -> list[dict]:
    """The reports and, later in the input, another outlet's lightly edited copy of the first
    one (a near-copy: not the same text, so not an exact duplicate)."""
    first = records[0]
    copy = {**first, "id": "syndicated-copy", "outlet": "Syndication Daily",
            "text": first["text"] + " Distributed by Syndication Daily."}
    return records[:5] + [copy] + records[5:]


def write_jsonl(path: Path, records: list[dict], *, bad_line: bool = False) -> Path:
    lines = [json.dumps(r) for r in records]
    if bad_line:
        lines.insert(3, '{"id": "broken", "text": ')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def events_by_id(output: Path) -> dict[str, dict]:
    lines = (output / "events.jsonl").read_text(encoding="utf-8").splitlines()
    return {e["event_id"]: e for e in map(json.loads, lines)}


def test_batch_merges_reports_of_one_clash_and_lists_bad_items(tmp_path):
    corpus = write_jsonl(tmp_path / "in.jsonl", reports(), bad_line=True)
    out = tmp_path / "out"
    summary = run_local([str(corpus)], out, workers=2, chunk_size=3)

    assert summary.items == 11 and summary.failed == 1
    errors = [json.loads(x) for x in (out / "errors.jsonl").read_text().splitlines()]
    assert [e["origin"] for e in errors] == [f"{corpus}:4"] and "invalid JSON" in errors[0]["reason"]
    events = events_by_id(out)
    assert len(events) == summary.events < summary.mentions
    merged = [e for e in events.values() if len(e["sources"]) > 1]
    assert merged, "reports of the same clash from different outlets are one event"
    for event in merged:
        assert len({s["outlet"] for s in event["sources"]}) == len(event["sources"])
        assert len(event["source_figures"]) == len(event["sources"])
    # the Parquet events are the JSON Lines events
    table = pq.read_table(out / "events")
    assert sorted(table.column("event_id").to_pylist()) == sorted(events)
    assert {x.event_id for x in read_events(out)} == set(events)


def test_batch_output_ingests_like_the_original_input(tmp_path, pipeline):
    from flashpoint.ingest import read_inputs
    from flashpoint.link import LinkRules
    from flashpoint.store import Ingestor, open_store, query_events

    corpus = write_jsonl(tmp_path / "in.jsonl", reports())
    out = tmp_path / "out"
    run_local([str(corpus)], out, workers=1, chunk_size=4)
    stored = []
    for name, runner, items in [
        ("direct", pipeline, read_inputs([str(corpus)])),
        ("replayed", Replay([str(out)]), Replay([str(out)]).items()),
    ]:
        _, sessions = open_store(str(tmp_path / f"{name}.sqlite"))
        summary = Ingestor(sessions, runner, LinkRules.load()).run(items, paths=[str(corpus)])
        assert summary.articles_new == 10
        with sessions() as s:
            stored.append(sorted(json.dumps(e.to_dict(), sort_keys=True) for e in query_events(s)))
    assert stored[0] == stored[1]
    batch_events = [{k: v for k, v in e.items() if k not in ("storyline_id", "source_figures")}
                    for e in events_by_id(out).values()]
    assert sorted(json.dumps(e, sort_keys=True) for e in batch_events) == stored[0]


def test_a_syndicated_copy_adds_no_source_as_in_the_store(tmp_path, pipeline):
    from flashpoint.ingest import read_inputs
    from flashpoint.link import LinkRules
    from flashpoint.store import Ingestor, open_store, query_events

    corpus = write_jsonl(tmp_path / "in.jsonl", with_syndicated_copy(reports()))
    out = tmp_path / "out"
    summary = run_local([str(corpus)], out, workers=2, chunk_size=3)
    assert (summary.items, summary.duplicates, summary.copies) == (11, 0, 1)
    assert "0 duplicate(s), 1 near-copy(ies)" in summary.line()
    events = events_by_id(out)
    outlets = [s["outlet"] for e in events.values() for s in e["sources"]]
    assert "Syndication Daily" not in outlets, "a copy is not a second report of the clash"
    assert json.loads((out / "_batch.json").read_text())["copies"] == 1

    _, sessions = open_store(str(tmp_path / "direct.sqlite"))
    stored = Ingestor(sessions, pipeline, LinkRules.load()).run(read_inputs([str(corpus)]), paths=[str(corpus)])
    assert (stored.articles_new, stored.articles_copy) == (10, 1)
    with sessions() as s:
        in_store = sorted(json.dumps(e.to_dict(), sort_keys=True) for e in query_events(s))
    batch_events = [{k: v for k, v in e.items() if k not in ("storyline_id", "source_figures")}
                    for e in events.values()]
    assert sorted(json.dumps(e, sort_keys=True) for e in batch_events) == in_store


def test_interrupted_batch_resumes_without_redoing_or_losing_items(tmp_path):
    corpus = write_jsonl(tmp_path / "in.jsonl", reports())
    out = tmp_path / "out"
    finished = []

    def interrupt_after_two(done):
        finished.append(done.chunk)
        if len(finished) == 2:
            raise KeyboardInterrupt  # as Ctrl-C in the parent

    with pytest.raises(KeyboardInterrupt):
        run_local([str(corpus)], out, workers=1, chunk_size=2, on_chunk=interrupt_after_two)
    kept = {n: chunk_path(out, n).stat() for n in finished}
    assert not (out / "events.jsonl").exists()
    with pytest.raises(FileExistsError):  # never silently mixed with a new run
        run_local([str(corpus)], out, workers=1, chunk_size=2)

    redone = []
    summary = run_local([str(corpus)], out, workers=1, chunk_size=2, resume=True,
                        on_chunk=lambda done: redone.append(done.chunk))
    assert summary.items == 10 and summary.items_skipped >= 4
    assert not set(redone) & set(kept), "chunks finished before the interruption are not redone"
    for n, stat in kept.items():
        assert chunk_path(out, n).stat().st_mtime_ns == stat.st_mtime_ns
    seqs = pq.read_table(out / "articles", columns=["seq"]).column("seq").to_pylist()
    assert sorted(seqs) == list(range(10)), "every item exactly once"
    fresh = tmp_path / "fresh"
    run_local([str(corpus)], fresh, workers=1, chunk_size=2)
    assert events_by_id(out) == events_by_id(fresh)


def test_parquet_input_gives_the_same_articles_as_jsonl(tmp_path):
    records = reports()
    corpus = write_jsonl(tmp_path / "in.jsonl", records)
    pq.write_table(pa.Table.from_pylist(records), tmp_path / "in.parquet")
    from_jsonl = list(read_items([str(corpus)]))
    from_parquet = list(read_items([str(tmp_path / "in.parquet")]))
    assert [(a.id, a.text, a.published, a.outlet, a.title) for a in from_parquet] == [
        (a.id, a.text, a.published, a.outlet, a.title) for a in from_jsonl
    ]
    assert from_parquet[1].origin == f"{tmp_path / 'in.parquet'}:2"


def _union_find(edges, nodes):
    parent = {n: n for n in nodes}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for u, v in edges:
        a, b = find(u), find(v)
        parent[max(a, b)] = min(a, b)
    return {n: find(n) for n in nodes}


@pytest.mark.parametrize("seed", range(5))
def test_star_rounds_find_the_connected_groups(seed):
    rng = random.Random(seed)
    nodes = list(range(200))
    edges = [(rng.choice(nodes), rng.choice(nodes)) for _ in range(150)]
    edges += [(i, i + 1) for i in range(150, 199)]  # a long chain: many rounds
    labels = groups_in_memory(edges)
    expected = _union_find(edges, nodes)
    assert {n: labels.get(n, n) for n in nodes} == expected


def test_poison_items_are_made_safe_or_reported_and_the_batch_goes_on(tmp_path):
    good = reports()[:3]
    poison = [
        '{"id": "surrogate", "date": "2024-05-08", "text": "Syrian army troops clashed with militants near '
        'Rastan \\ud800 in Homs province on Tuesday, killing two fighters."}',
        json.dumps({"id": "placeholder-date", "date": "9999-12-31", "text": good[0]["text"].replace("three", "six")}),
        json.dumps({"id": "i" * 500, "date": "2024-05-08", "text": good[1]["text"].replace("four", "seven")}),
        json.dumps({"id": "absurd", "date": "2024-05-08",
                    "text": "Gunmen killed 99999999999999999999999 civilians in Rastan on Tuesday."}),
        '{"id": "broken", "text": ',
    ]
    corpus = tmp_path / "in.jsonl"
    corpus.write_text("\n".join([json.dumps(r) for r in good] + poison) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    summary = run_local([str(corpus)], out, workers=1, chunk_size=4)

    assert summary.items == 8 and summary.failed == 1
    rows = {r["seq"]: r for r in pq.read_table(out / "articles").to_pylist()}
    assert rows[3]["warnings"] == ["text: 1 invalid or control character(s) replaced by U+FFFD"]
    assert rows[4]["published"] is None and rows[4]["warnings"][0].startswith("published: 9999-12-31 is outside")
    assert rows[5]["article_id"].startswith("id-") and rows[5]["warnings"][0].startswith("id: unusable as given")
    assert all(m["fatalities"] < 10_000 for r in rows.values() for m in r["mentions"])
    assert [json.loads(x)["origin"] for x in (out / "errors.jsonl").read_text().splitlines()] == [f"{corpus}:8"]
    assert {s["article_id"] for e in events_by_id(out).values() for s in e["sources"]} >= {"r1", "r2", "r3",
                                                                                           "surrogate"}
