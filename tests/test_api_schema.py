"""Schemathesis against the OpenAPI schema: generated requests to every route, no server error,
and every response as the schema says (a bounded number of examples per route).

Driven through schemathesis's Hypothesis strategies rather than its pytest plugin, whose lazy
fixture loader does not run under the pytest we pin.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error, response_schema_conformance, status_code_conformance

from .test_api import TOKEN, seed_store

EXAMPLES = 40  # per route; the write route runs the NLP pipeline on each generated article


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory, pipeline):
    from flashpoint.api import Settings, create_app

    db = str(tmp_path_factory.mktemp("schema") / "events.sqlite")
    seed_store(db, pipeline)
    app = create_app(Settings(db=db, write_token=TOKEN, max_body_bytes=20_000, max_items=3), pipeline=pipeline)
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def operations(schema) -> list:
    return [result.ok() for result in schema.get_all_operations()]


def test_the_schema_documents_every_api_route(api_schema):
    paths = {f"{op.method.upper()} {op.path}" for op in operations(api_schema)}
    assert paths >= {
        "GET /api/events", "GET /api/events/{event_id}", "GET /api/articles/{article_id}", "GET /api/stats",
        "GET /api/export.csv", "GET /api/export.geojson", "GET /api/export.jsonl", "POST /api/articles",
        "GET /api/health",
    }


@pytest.mark.slow
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"])
def test_generated_requests_get_no_server_error_and_documented_responses(api_schema, mode):
    failures = []
    for op in operations(api_schema):

        @given(case=op.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def run(case):
            # with the token, so that generated articles reach the pipeline, not just the auth check
            case.call_and_validate(
                headers={"Authorization": f"Bearer {TOKEN}"},
                checks=[not_a_server_error, response_schema_conformance, status_code_conformance],
            )

        try:
            run()
        except Unsatisfiable:  # a route without parameters or body has no invalid request to make
            assert mode is GenerationMode.NEGATIVE, op.path
        except Exception as exc:  # collect every route's failure, not just the first
            failures.append(f"{op.method.upper()} {op.path}: {exc}")
    assert not failures, "\n\n".join(failures)
