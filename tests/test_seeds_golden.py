"""Golden test: the worked example in ../shared/seeds, checked against its expected.json."""

from __future__ import annotations

from flashpoint.evaluate.seeds import evaluate_seeds

from .conftest import shared_path


def test_seed_articles_give_every_required_event_and_no_mistake(pipeline):
    report = evaluate_seeds(shared_path("seeds"), pipeline=pipeline)
    assert report.passed, "\n" + report.format()


def test_seed_events_cite_only_news_sentences(pipeline):
    report = evaluate_seeds(shared_path("seeds"), pipeline=pipeline)
    for article in report.articles:
        for event in article.events:
            for source in event.sources:
                for evidence in source.evidence:
                    assert "Since 2013" not in evidence.text
                    assert "give to" not in evidence.text
                    assert not evidence.text.startswith("![")
