"""Event-typing evaluation on the CASE 2021 fine-grained event classification data.

``../shared/data/case2021_dev.tsv`` (a fixed half of the CASE 2021 shared task 2 test set;
Haneczok et al. 2021, emerging-welfare/case-2021-shared-task) has one news snippet per row
with a CASE code. The 25 ACLED codes map one-to-one to the codebook's sub-event types; the
five others (crime, disasters, diplomacy, attribution) should yield no event.

Rules were developed on the even-indexed data rows only; the report gives the odd rows as a
held-out half, so the gap between the halves shows how much the rules are fitted.

    python -m flashpoint.evaluate.case2021 ../shared/data/case2021_dev.tsv

:func:`cross_validate_case2021` measures the learned check on the rules
(``events/typing_model.py``) by stratified 5-fold cross-validation through the full
pipeline, beside the rules alone on the same rows (``flashpoint evaluate case2021 FILE --cv``).
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..model import SUB_EVENT_TYPES

CASE_CODES: dict[str, str] = {
    "ARMED_CLASH": "Armed clash",
    "GOV_REGAINS_TERIT": "Government regains territory",
    "NON_STATE_ACTOR_OVERTAKES_TER": "Non-state actor overtakes territory",
    "CHEM_WEAP": "Chemical weapon",
    "AIR_STRIKE": "Air/drone strike",
    "SUIC_BOMB": "Suicide bomb",
    "ART_MISS_ATTACK": "Shelling/artillery/missile attack",
    "REM_EXPLOS": "Remote explosive/landmine/IED",
    "GRENADE": "Grenade",
    "SEX_VIOL": "Sexual violence",
    "ATTACK": "Attack",
    "ABDUCT_DISSAP": "Abduction/forced disappearance",
    "PEACE_PROTEST": "Peaceful protest",
    "PROTEST_WITH_INTER": "Protest with intervention",
    "FORCE_AGAINST_PROTEST": "Excessive force against protesters",
    "VIOL_DEMONSTR": "Violent demonstration",
    "MOB_VIOL": "Mob violence",
    "AGREEMENT": "Agreement",
    "ARREST": "Arrests",
    "CHANGE_TO_GROUP_ACT": "Change to group/activity",
    "DISR_WEAP": "Disrupted weapons use",
    "HQ_ESTABLISHED": "Headquarters or base established",
    "PROPERTY_DISTRUCT": "Looting/property destruction",
    "NON_VIOL_TERRIT_TRANSFER": "Non-violent transfer of territory",
    "OTHER": "Other",
}
NO_EVENT_CODES = frozenset({"ORG_CRIME", "NATURAL_DISASTER", "MAN_MADE_DISASTER", "DIPLO", "ATTRIB"})


@dataclass(frozen=True)
class Case2021Row:
    id: str
    text: str
    code: str
    index: int  # position among the data rows, 0-based (even = development half)

    @property
    def gold(self) -> str | None:
        return CASE_CODES.get(self.code)


def read_case2021(path: Path) -> list[Case2021Row]:
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        missing = {"id", "EventSnippet", "SubType"} - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: not a CASE 2021 file (tab-separated, with columns id, "
                             f"EventSnippet, SubType): no {', '.join(sorted(missing))}")
        rows = []
        for i, rec in enumerate(reader):
            code = rec["SubType"].strip()
            if code not in CASE_CODES and code not in NO_EVENT_CODES:
                raise ValueError(f"{path}: row {i}: unknown CASE code {code!r}")
            rows.append(Case2021Row(rec["id"], _unquote(rec["EventSnippet"]), code, i))
    return rows


def _unquote(field: str) -> str:
    """A snippet as written: the file wraps a snippet that contains quotes in quotes and doubles
    the inner ones (CSV style), which QUOTE_NONE keeps."""
    if len(field) >= 2 and field.startswith('"') and field.endswith('"'):
        return field[1:-1].replace('""', '"')
    return field


@dataclass(frozen=True)
class TypeScore:
    sub_event_type: str
    support: int
    predicted: int
    correct: int

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.support if self.support else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class SplitScores:
    name: str
    rows: int
    per_type: tuple[TypeScore, ...]
    accuracy: float
    no_event_rate: float  # share of non-ACLED rows given no event
    no_event_rows: int

    @property
    def macro_f1(self) -> float:
        # Types absent from a half both as gold and as prediction carry no information there.
        scored = [t for t in self.per_type if t.support or t.predicted]
        return sum(t.f1 for t in scored) / len(scored) if scored else 0.0

    @property
    def weighted_f1(self) -> float:
        total = sum(t.support for t in self.per_type)
        return sum(t.f1 * t.support for t in self.per_type) / total if total else 0.0


def score_split(name: str, golds: Sequence[str | None], preds: Sequence[str | None]) -> SplitScores:
    per_type = []
    for sub in SUB_EVENT_TYPES:
        support = sum(g == sub for g in golds)
        predicted = sum(p == sub for p in preds)
        correct = sum(g == p == sub for g, p in zip(golds, preds))
        per_type.append(TypeScore(sub, support, predicted, correct))
    none_rows = [p for g, p in zip(golds, preds) if g is None]
    return SplitScores(
        name=name,
        rows=len(golds),
        per_type=tuple(per_type),
        accuracy=sum(g == p for g, p in zip(golds, preds)) / len(golds) if golds else 0.0,
        no_event_rate=sum(p is None for p in none_rows) / len(none_rows) if none_rows else 0.0,
        no_event_rows=len(none_rows),
    )


@dataclass
class Case2021Report:
    splits: dict[str, SplitScores]  # "development (even rows)", "held-out (odd rows)", "all"
    confusions: list[tuple[str, str, int]] = field(default_factory=list)  # gold, predicted, n
    predictions: list[tuple[Case2021Row, str | None]] = field(default_factory=list)

    @property
    def all(self) -> SplitScores:
        return self.splits["all"]

    def format(self, *, top_confusions: int = 15) -> str:
        lines = ["CASE 2021 event typing (25 ACLED sub-event types; non-ACLED rows = no event)", ""]
        lines.append(f"{'split':<26}{'rows':>6}{'macro-F1':>10}{'wtd-F1':>9}{'acc':>7}{'no-event':>10}")
        for s in self.splits.values():
            lines.append(
                f"{s.name:<26}{s.rows:>6}{s.macro_f1:>10.3f}{s.weighted_f1:>9.3f}"
                f"{s.accuracy:>7.3f}{s.no_event_rate:>10.3f}"
            )
        lines += ["", "per type (all rows):", f"{'sub-event type':<38}{'gold':>5}{'pred':>6}{'P':>7}{'R':>7}{'F1':>7}"]
        for t in self.all.per_type:
            lines.append(
                f"{t.sub_event_type:<38}{t.support:>5}{t.predicted:>6}"
                f"{t.precision:>7.2f}{t.recall:>7.2f}{t.f1:>7.2f}"
            )
        lines += ["", f"most frequent confusions (gold -> predicted), top {top_confusions}:"]
        for gold, pred, n in self.confusions[:top_confusions]:
            lines.append(f"  {n:>3}  {gold} -> {pred}")
        lines.append("")
        lines.append("macro-F1 averages the types present (gold or predicted) in the split.")
        return "\n".join(lines)


def evaluate_case2021(
    path: Path, *, predict: Callable[[list[str]], list[str | None]]
) -> Case2021Report:
    """Score a typing function (snippet texts -> sub-event type or None) on the CASE file."""
    rows = read_case2021(path)
    preds = list(predict([r.text for r in rows]))
    if len(preds) != len(rows):
        raise ValueError(f"predict returned {len(preds)} answers for {len(rows)} snippets")
    for p in preds:
        if p is not None and p not in SUB_EVENT_TYPES:
            raise ValueError(f"predict returned an unknown sub-event type {p!r}")
    return _report(rows, preds)


def _report(rows: list[Case2021Row], preds: Sequence[str | None]) -> Case2021Report:
    golds = [r.gold for r in rows]
    halves = {
        "development (even rows)": [i for i in range(len(rows)) if i % 2 == 0],
        "held-out (odd rows)": [i for i in range(len(rows)) if i % 2 == 1],
        "all": list(range(len(rows))),
    }
    splits = {
        key.split(" ")[0] if key != "all" else "all": score_split(
            key, [golds[i] for i in idx], [preds[i] for i in idx]
        )
        for key, idx in halves.items()
    }
    confusions = Counter(
        (g or f"(no event: {r.code})", p or "(no event)")
        for r, g, p in zip(rows, golds, preds)
        if g != p
    )
    return Case2021Report(
        splits=splits,
        confusions=[(g, p, n) for (g, p), n in confusions.most_common()],
        predictions=list(zip(rows, preds)),
    )


# ---------------------------------------------------------------------------------------
# The learned check on the rules (events/typing_model.py), k-fold cross-validated
# ---------------------------------------------------------------------------------------

CV_FOLDS = 5
CV_SEED = 2021
ENCODER_C = 16.0  # regularisation with embeddings (the best of 1, 4, 16, 32 in a 5-fold CV)


@dataclass(frozen=True)
class Example:
    """One training sentence: its features, its label, and its embedding when used."""

    features: list[str]
    label: str
    vector: np.ndarray | None = None


def snippet_examples(doc, gold: str | None, *, rules, words: bool = True) -> list[Example]:
    """Training examples of one labelled snippet, one per sentence used.

    A non-event snippet labels every sentence "none". An event snippet labels one sentence,
    the one that states its event: the first whose rule candidates include the gold type,
    else the first with any candidate, else the first; its other sentences are left out
    (they may be context or the same event retold).
    """
    from ..events.typing import classify_sentence
    from ..events.typing_model import NO_EVENT, sentence_features

    if doc is None:
        return []
    vectors = doc.sentence_vectors
    sents = [(k, s, classify_sentence(s, rules=rules)) for k, s in enumerate(doc.spacy_doc.sents)]
    if not sents:
        return []

    def example(k, s, c, label) -> Example:
        return Example(sentence_features(s, c, words=words), label, None if vectors is None else vectors[k])

    if gold is None:
        return [example(k, s, c, NO_EVENT) for k, s, c in sents]
    pick = next((x for x in sents if any(d.sub_event_type == gold for d in x[2])), None)
    pick = pick or next((x for x in sents if x[2]), None) or sents[0]
    return [example(*pick, gold)]


def train_typing_model(examples: Sequence[list[Example]], *, encoder=None, **options):
    """A :class:`TypingModel` fitted on the examples of the given snippets; with ``encoder``
    (the :class:`~flashpoint.encoder.SentenceEncoder` that embedded them), on their
    embeddings and their nearness to the type prototypes too."""
    from ..events.typing_model import TypingModel, load_prototypes

    flat = [ex for group in examples for ex in group]
    if encoder is not None:
        prototypes = load_prototypes()
        options = dict(
            options, vectors=np.stack([ex.vector for ex in flat]), encoder=encoder.name,
            prototypes=encoder.encode([text for _, text in prototypes]),
            prototype_labels=[label for label, _ in prototypes],
        )
    return TypingModel.train(
        [ex.features for ex in flat], [ex.label for ex in flat], words=encoder is None, **options
    )


@dataclass
class CrossValidation:
    """Pooled k-fold predictions of the rules alone and of rules + model, on the same rows."""

    rows: list[Case2021Row]
    rules_only: list[str | None]
    with_model: list[str | None]
    folds: int
    seed: int
    description: str

    def split(self, preds: Sequence[str | None], which: str) -> SplitScores:
        pick = {"all": lambda i: True, "odd": lambda i: i % 2 == 1, "even": lambda i: i % 2 == 0}[which]
        idx = [k for k, r in enumerate(self.rows) if pick(r.index)]
        return score_split(which, [self.rows[k].gold for k in idx], [preds[k] for k in idx])

    def report(self) -> Case2021Report:
        """The rules + model predictions as a full report (per type, confusions)."""
        return _report(self.rows, self.with_model)

    def format(self) -> str:
        lines = [
            f"CASE 2021 event typing, {self.folds}-fold stratified cross-validation "
            f"(seed {self.seed}) over all {len(self.rows)} rows",
            f"rules + model: {self.description}; each row predicted by a model trained on the "
            "other folds only (never on itself).",
            "rules only: the same rows with the typing model switched off (the rules were "
            "written looking at the even rows; the odd rows are unseen by rules and model).",
            "",
            f"{'system':<28}{'rows':<6}{'n':>5}{'macro-F1':>10}{'wtd-F1':>9}{'acc':>7}{'no-event':>10}",
        ]
        for name, preds in (("rules only", self.rules_only), (f"rules + model ({self.folds}-fold CV)", self.with_model)):
            for which in ("all", "odd", "even"):
                s = self.split(preds, which)
                lines.append(
                    f"{name:<28}{which:<6}{s.rows:>5}{s.macro_f1:>10.3f}{s.weighted_f1:>9.3f}"
                    f"{s.accuracy:>7.3f}{s.no_event_rate:>10.3f}"
                )
        lines += ["", "reference: best CASE 2021 task-2 system, weighted F1 0.839 (fine-tuned "
                  "transformers; Haneczok et al. 2021)", ""]
        body = self.report().format().split("\n")
        start = next(i for i, line in enumerate(body) if line.startswith("per type"))
        lines.append("rules + model (CV), " + body[start])
        lines += body[start + 1:]
        return "\n".join(lines)


@dataclass
class _Training:
    """A CASE file parsed once, with what training needs (shared by CV and ``fit``)."""

    rows: list[Case2021Row]
    docs: list  # annotated snippets (None where cleaning rejected one), embedded when encoding
    examples: list[list[Example]]  # per row
    resources: object  # the caller's resources without a typing model, with the encoder if any
    train_options: dict


def _prepare_training(path: Path, *, resources, encoder, train_options: dict) -> _Training:
    from dataclasses import replace

    from .snippets import annotate_snippets

    rows = read_case2021(path)
    base = replace(resources, detection=replace(resources.detection, typing_model=None), encoder=encoder)
    docs = annotate_snippets([r.text for r in rows], resources=base)
    if encoder is not None:
        encoder.encode_sentences([d for d in docs if d is not None])
        train_options = dict(train_options, encoder=encoder)
        train_options.setdefault("c", ENCODER_C)
    examples = [
        snippet_examples(d, r.gold, rules=base.detection.typing, words=encoder is None)
        for d, r in zip(docs, rows)
    ]
    return _Training(rows, docs, examples, base, train_options)


def cross_validate_case2021(
    path: Path, *, resources, folds: int = CV_FOLDS, seed: int = CV_SEED, encoder=None, **train_options
) -> CrossValidation:
    """k-fold CV of the typing model through the full pipeline; rules-only on the same rows.

    With ``encoder`` (an :class:`~flashpoint.encoder.SentenceEncoder`) the model reads sentence
    embeddings beside the rules' candidates; without, hashed word features."""
    import warnings
    from dataclasses import replace

    from sklearn.model_selection import StratifiedKFold

    from ..pipeline import Pipeline
    from .snippets import first_event_type

    t = _prepare_training(path, resources=resources, encoder=encoder, train_options=train_options)
    rows, docs, base = t.rows, t.docs, t.resources
    rules_pipeline = Pipeline(replace(base, encoder=None))
    rules_only = [first_event_type(d, pipeline=rules_pipeline) for d in docs]
    with_model: list[str | None] = [None] * len(rows)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    with warnings.catch_warnings():  # "OTHER" has fewer rows than folds: sklearn warns
        warnings.simplefilter("ignore", UserWarning)
        splits = list(splitter.split(np.zeros(len(rows)), [r.code for r in rows]))
    description = ""
    for train_idx, test_idx in splits:
        model = train_typing_model([t.examples[i] for i in train_idx], **t.train_options)
        description = describe_model(model)
        fold = Pipeline(replace(base, detection=replace(base.detection, typing_model=model)))
        for i in test_idx:
            with_model[i] = first_event_type(docs[i], pipeline=fold)
    return CrossValidation(rows, rules_only, with_model, folds, seed, description)


def fit_on_case2021(path: Path, *, resources, encoder=None, **train_options):
    """A typing model fitted on every row of a CASE 2021 file (``flashpoint typing-model
    train``); with ``encoder``, on sentence embeddings and the rules' candidates."""
    t = _prepare_training(path, resources=resources, encoder=encoder, train_options=train_options)
    meta = {"trained_on": Path(path).name, "rows": len(t.rows)}
    return train_typing_model(t.examples, meta=meta, **t.train_options)


def describe_model(model) -> str:
    p = model.policy
    if model.dense is not None:
        dims = model.dense.shape[1] - len(set(model.prototype_labels))
        parts = [f"logistic regression (C={model.meta.get('c')}) over {model.encoder} sentence "
                 f"embeddings ({dims} dims), nearness to {len(model.prototype_labels)} type "
                 "prototypes and the rules' candidates"]
    else:
        parts = [f"logistic regression (C={model.meta.get('c')}, 2^{model.bits} hashed features)"]
    if p.choose <= 1:
        parts.append(f"chooses among rule candidates at P>={p.choose:g}")
    if p.veto <= 1:
        parts.append(f"vetoes at P(none)>={p.veto:g}")
    if p.propose <= 1:
        parts.append(f"proposes at P>={p.propose:g}")
    if p.override <= 1:
        parts.append(f"overrides at P>={p.override:g}")
    return ", ".join(parts)


def rule_predictor(nlp, *, typing_rules=None, background_rules=None) -> Callable[[list[str]], list[str | None]]:
    """The sentence-level stand-in: the first non-background typing decision of a snippet.

    (The pipeline's own answer, the type of the first event ``extract`` emits, replaces it
    once the pipeline exists.)
    """
    from ..nlp import spacy_text
    from ..events.background import BackgroundRules, background_reason
    from ..events.typing import TypingRules, classify_sentence

    trules = typing_rules or TypingRules.load()
    brules = background_rules or BackgroundRules.load()

    def predict(texts: list[str]) -> list[str | None]:
        out: list[str | None] = []
        for doc in nlp.pipe((spacy_text(t) for t in texts), batch_size=32):
            answer = None
            for sent in doc.sents:
                decisions = classify_sentence(sent, rules=trules)
                if decisions and background_reason(sent, rules=brules) is None:
                    answer = decisions[0].sub_event_type
                    break
            out.append(answer)
        return out

    return predict


def main(argv: Sequence[str] | None = None) -> int:
    from ..nlp import load_model

    args = list(sys.argv[1:] if argv is None else argv)
    paths = [a for a in args if not a.startswith("--")]
    path = Path(paths[0]) if paths else Path(__file__).resolve().parents[4] / "shared/data/case2021_dev.tsv"
    report = evaluate_case2021(path, predict=rule_predictor(load_model()))
    print(report.format())
    if "--errors" in args:
        for row, pred in report.predictions:
            if row.gold != pred and row.index % 2 == 0:  # development rows only
                print(f"[{row.index}] {row.code} -> {pred}: {row.text[:200]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
