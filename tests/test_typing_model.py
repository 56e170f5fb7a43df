"""The learned check on the typing rules (events/typing_model.py), injected into the pipeline.

The models here are trained on sentences written for these tests, so each test shows one
behaviour: a veto of the rules on non-events, a proposal where no rule fires, a file that
stores no words, and cross-validation that reports rules-only and rules + model side by side.
"""

from __future__ import annotations

import time
import zipfile
from dataclasses import replace

import pytest

from flashpoint.events.typing import classify_sentence
from flashpoint.events.typing_model import NO_EVENT, ModelPolicy, TypingModel, sentence_features
from flashpoint.model import Article
from flashpoint.pipeline import Pipeline

TRAINING = [
    ("The storm damaged the roads and destroyed several barns.", NO_EVENT),
    ("A storm flattened the market stalls and damaged the school roof.", NO_EVENT),
    ("Heavy storm winds destroyed dozens of shops along the coast.", NO_EVENT),
    ("The storm tore the roofs off houses and damaged the power lines.", NO_EVENT),
    ("Armed men set upon the herders and beat them with clubs.", "Attack"),
    ("Gunmen set upon the villagers and beat them with rifle butts.", "Attack"),
    ("Armed men set upon a family on the road and beat them.", "Attack"),
    ("Masked men set upon the traders and beat them severely.", "Attack"),
    ("Thousands of teachers marched peacefully to the parliament.", "Peaceful protest"),
    ("Students marched peacefully through the capital demanding reforms.", "Peaceful protest"),
    ("Nurses marched peacefully to the ministry to demand their wages.", "Peaceful protest"),
]


def _train(nlp, resources, *, policy: ModelPolicy) -> TypingModel:
    rules = resources.detection.typing
    feats, labels = [], []
    for text, label in TRAINING:
        sent = next(nlp(text).sents)
        feats.append(sentence_features(sent, classify_sentence(sent, rules=rules)))
        labels.append(label)
    return TypingModel.train(feats, labels, c=10.0, policy=policy)


def _types(resources, model: TypingModel | None, text: str) -> list[str]:
    detection = replace(resources.detection, typing_model=model)
    pipeline = Pipeline(replace(resources, detection=detection))
    result = next(pipeline.run([Article(id="t", text=text, origin="test")]))
    return [e.sub_event_type for e in result.events]


def test_model_vetoes_a_rule_event_in_a_storm_report(nlp, resources):
    text = "The storm damaged the bridge and destroyed several shops."
    assert _types(resources, None, text), "the rules alone must report an event here"
    model = _train(nlp, resources, policy=ModelPolicy(veto=0.6, propose=1.01))
    assert _types(resources, model, text) == []


def test_model_proposes_an_attack_the_rules_miss(nlp, resources):
    text = "Armed men set upon the farmers and beat them with sticks."
    assert _types(resources, None, text) == [], "no rule must fire on this sentence"
    model = _train(nlp, resources, policy=ModelPolicy(veto=1.01, propose=0.5))
    assert _types(resources, model, text) == ["Attack"]


def test_model_leaves_the_rules_alone_when_it_is_unsure(nlp, resources):
    text = "Hundreds of farmers marched to the governor's office on Monday."
    rules_only = _types(resources, None, text)
    model = _train(nlp, resources, policy=ModelPolicy(veto=1.01, propose=1.01, choose=1.01))
    assert _types(resources, model, text) == rules_only


def test_model_file_round_trips_and_stores_no_words(nlp, resources, tmp_path):
    model = _train(nlp, resources, policy=ModelPolicy(veto=0.6, propose=0.5))
    path = tmp_path / "typing_model.npz"
    model.save(path)
    loaded = TypingModel.load(path)
    sent = next(nlp("Armed men set upon the farmers and beat them with sticks.").sents)
    feats = sentence_features(sent, [])
    assert loaded.probabilities(feats) == pytest.approx(model.probabilities(feats))
    assert loaded.policy == model.policy
    with zipfile.ZipFile(path) as zf:
        raw = b"".join(zf.read(name) for name in zf.namelist())
    for word in ("storm", "herders", "barns", "w=beat", "b=set_upon"):
        assert word.encode() not in raw
        assert word.encode("utf-32-le") not in raw  # numpy stores strings as UTF-32
    assert set(loaded.labels) == {NO_EVENT, "Attack", "Peaceful protest"}


def test_sentence_features_and_model_are_cheap(nlp, resources):
    model = _train(nlp, resources, policy=ModelPolicy())
    text = ("Government forces shelled the northern districts of the town on Tuesday, "
            "residents said, and at least four people were killed in the bombardment.")
    sent = next(nlp(text).sents)
    candidates = classify_sentence(sent, rules=resources.detection.typing)
    start = time.perf_counter()
    for _ in range(200):
        model.probabilities(sentence_features(sent, candidates))
    per_sentence = (time.perf_counter() - start) / 200
    assert per_sentence < 0.002  # measured ~0.1 ms; a generous bound for a shared machine


def test_cross_validation_reports_rules_only_and_model_side_by_side(resources, tmp_path):
    from flashpoint.evaluate.case2021 import cross_validate_case2021

    lines = ["id\tEventSnippet\tSubType"]
    stories = {
        "PEACE_PROTEST": "{} of workers marched peacefully to the city hall in {}.",
        "NATURAL_DISASTER": "A storm destroyed {} homes and damaged the bridge in {}.",
        "ARMED_CLASH": "Troops clashed with rebels for {} hours near {}.",
    }
    towns = ["Alton", "Brisk", "Corran", "Dunmore", "Elsby"]
    counts = ["Hundreds", "Thousands", "Dozens", "Scores", "Fifty"]
    n = 0
    for code, pattern in stories.items():
        for town, count in zip(towns, counts):
            lines.append(f"{n}\t{pattern.format(count if code != 'ARMED_CLASH' else n + 2, town)}\t{code}")
            n += 1
    path = tmp_path / "case.tsv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cv = cross_validate_case2021(path, resources=resources, folds=5, seed=1)
    assert len(cv.with_model) == len(cv.rules_only) == n
    text = cv.format()
    assert "rules only" in text and "rules + model (5-fold CV)" in text
    assert "never on itself" in text
    # The rules-only column is what `flashpoint extract` gives for each snippet.
    from flashpoint.evaluate.case2021 import read_case2021
    from flashpoint.evaluate.snippets import first_event_types

    rules_pipeline = Pipeline(replace(resources, detection=replace(resources.detection, typing_model=None)))
    assert cv.rules_only == first_event_types([r.text for r in read_case2021(path)], pipeline=rules_pipeline)
    rules_all = cv.split(cv.rules_only, "all")
    assert f"{rules_all.macro_f1:>10.3f}{rules_all.weighted_f1:>9.3f}" in text
