"""Schemathesis against the OpenAPI schema: generated requests to every route, the write route with
the token, no server error, and every response as the schema says (a bounded number of examples
per route, drawn from a fixed seed).

Driven through schemathesis's Hypothesis strategies rather than its pytest plugin, whose lazy
fixture loader does not run under the pytest we pin. The CLI (``schemathesis run``) takes the same
settings as SCHEMATHESIS_CONFIG from a ``schemathesis.toml``.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.config import SchemathesisConfig

from .test_api import HAWEEK_AGAIN, TOKEN, make_client, seed_store

EXAMPLES = 40  # per route and mode; the write route runs the NLP pipeline on each generated article
AUTH = {"Authorization": f"Bearer {TOKEN}"}

# What no OpenAPI schema can express, so that the checks do not count it as a failure: the
# repository's schemathesis.toml, which a `schemathesis run` against a served API reads too.
SCHEMATHESIS_CONFIG = tomllib.loads((Path(__file__).resolve().parents[1] / "schemathesis.toml").read_text())
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance, negative_data_rejection, positive_data_acceptance]


@pytest.fixture(scope="module")
def app(tmp_path_factory, pipeline):
    from flashpoint.api import Settings, create_app

    db = str(tmp_path_factory.mktemp("schema") / "events.sqlite")
    seed_store(db, pipeline)
    # live_max_seconds=0: each GET /api/live reads the store once and ends, never waits for more
    app = create_app(Settings(db=db, write_token=TOKEN, max_body_bytes=20_000, max_items=3, live_max_seconds=0),
                     pipeline=pipeline)
    # a second report of a seed event: the merge writes field history, which responses must carry too
    r = make_client(app).post("/api/articles", json={"text": HAWEEK_AGAIN, "published": "2025-02-07"}, headers=AUTH)
    assert r.json()["results"][0]["events_merged"] == 1, r.text
    return app


@pytest.fixture(scope="module")
def api_schema(app):
    config = SchemathesisConfig.from_dict(SCHEMATHESIS_CONFIG)
    return schemathesis.openapi.from_asgi("/openapi.json", app, config=config)


def operations(schema) -> list:
    return [result.ok() for result in schema.get_all_operations()]


def test_the_schema_documents_every_api_route(api_schema):
    paths = {f"{op.method.upper()} {op.path}" for op in operations(api_schema)}
    assert paths >= {
        "GET /api/events", "GET /api/events/{event_id}", "GET /api/articles/{article_id}", "GET /api/stats",
        "GET /api/export.csv", "GET /api/export.geojson", "GET /api/export.jsonl", "POST /api/articles",
        "GET /api/health", "GET /api/live",
    }


def test_stored_records_match_the_response_schema(app, api_schema):
    """Real records, which generated ids seldom reach: an event with field history, its article."""
    client = make_client(app)
    event = next(e for e in client.get("/api/events?country=Lebanon").json()["items"] if e["location"] == "Haweek")
    detail = client.get(f"/api/events/{event['event_id']}")
    assert detail.json()["history"]
    article = client.get(f"/api/articles/{event['sources'][0]['article_id']}")
    ops = {op.path: op for op in operations(api_schema)}
    ops["/api/events/{event_id}"].validate_response(detail)
    ops["/api/articles/{article_id}"].validate_response(article)
    ops["/api/events"].validate_response(client.get("/api/events?sort=-updated&limit=2"))


@pytest.mark.slow
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"])
def test_generated_requests_get_no_server_error_and_documented_responses(api_schema, mode):
    failures, posted = [], []
    for op in operations(api_schema):

        @given(case=op.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None,
                  derandomize=True)
        def run(case):
            # with the token, so that generated articles reach the pipeline, not just the auth check
            response = case.call_and_validate(headers=AUTH, checks=CHECKS)
            if op.method.upper() == "POST":
                posted.append(response.status_code)

        try:
            run()
        except Unsatisfiable:  # a route without parameters or body has no invalid request to make
            assert mode is GenerationMode.NEGATIVE, op.path
        except Exception as exc:  # collect every route's failure, not just the first
            failures.append(f"{op.method.upper()} {op.path}: {exc}")
    assert not failures, "\n\n".join(failures)
    if mode is GenerationMode.POSITIVE:  # the token let articles through to the pipeline
        assert posted.count(200) >= EXAMPLES // 2, posted
