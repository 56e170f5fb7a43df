"""Shared fixtures: the spaCy model and the pipeline are loaded once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or skip the test with the reason when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: ../shared holds the real data these tests read")
    return path


def geoparse_rows(tmp_path, text: str) -> list[dict]:
    """What `flashpoint geoparse --explain` prints for a text written for a test, row by row."""
    import json

    from click.testing import CliRunner

    from flashpoint.cli import main

    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["geoparse", str(path), "--explain"])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines() if line.strip()]


def extract_events(pipeline, text: str, *, published=None, article_id: str = "t1"):
    """The events the pipeline gives for one article written for a test; it must not fail."""
    from flashpoint.model import Article

    (result,) = list(pipeline.run([Article(id=article_id, text=text, origin="test", published=published)]))
    assert result.error is None, result.error
    return result.events


@pytest.fixture(scope="session")
def nlp():
    from flashpoint.nlp import load_model

    return load_model()


@pytest.fixture(scope="session")
def resources(nlp):
    from flashpoint.events.assemble import AssemblyRules
    from flashpoint.events.detect import DetectionRules
    from flashpoint.ingest import CleaningRules
    from flashpoint.pipeline import Resources
    from flashpoint.places import Gazetteer, Geoparser

    return Resources(
        nlp=nlp,
        cleaning=CleaningRules.load(),
        detection=DetectionRules.load(),
        assembly=AssemblyRules.load(),
        geoparser=Geoparser(Gazetteer.open()),
    )


@pytest.fixture(scope="session")
def pipeline(resources):
    from flashpoint.pipeline import Pipeline

    return Pipeline(resources)
