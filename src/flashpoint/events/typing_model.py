"""A learned check on the typing rules: logistic regression over hashed sentence features.

The rules (:mod:`.typing`) propose sub-event types for a sentence; :class:`TypingModel`
reads the sentence's words, the trigger's clause and the rules' candidates and

* chooses among the rules' candidates (the rules rank by specificity, not by context);
* proposes a type when the rules give none, if it is confident;
* vetoes the rules when it is confident the sentence reports no event (crime, disasters,
  diplomacy, statements).

With a sentence encoder (``encoder.py``, all-MiniLM-L6-v2, optional extra ``[model]``) the
model also reads the sentence's embedding, and its hashed features are the rules' candidates
only (``words=False``): the embedding carries the words. It also reads how near the sentence
is to the prototype sentences of each type (``data/type_prototypes.toml``, written for
flashpoint), which the file stores as embeddings. That variant needs
``Resources.load(typing_model=PATH)``, which loads the encoder once per process.

Features are hashed (CRC-32 of the feature string, modulo ``2**bits``; the standard library's
hash, so using a model imports nothing heavy, where sklearn's HashingVectorizer would import
scikit-learn at load): a saved model stores only the coefficients of the hashed columns seen
in training and the label list, never a word. File format (``.npz``): arrays ``labels``
(``"none"`` and sub-event types), ``columns`` (hashed column ids, sorted), ``weights`` (labels
x columns), ``intercept`` (labels), optionally ``dense`` (labels x (embedding dimensions +
prototype types)) and ``prototypes`` (prototype sentences x embedding dimensions), and ``meta``
(JSON: bits, words, encoder, prototype labels and scale, policy, training summary).

No model is shipped (it would be learned from third-party data): ``flashpoint typing-model
train FILE.tsv`` fits one on a labelled file, ``flashpoint extract --typing-model PATH`` uses
it, and ``flashpoint evaluate case2021 FILE --cv [--encoder]`` measures it by 5-fold
cross-validation through the full pipeline.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..datafiles import read_toml
from ..model import SUB_EVENT_TYPES
from .typing import TypeDecision, TypingRules, classify_sentence

NO_EVENT = "none"
_SKIP_POS = frozenset({"PUNCT", "SPACE", "SYM", "X"})


@dataclass(frozen=True)
class ModelPolicy:
    """When the model may override the rules (probabilities of the model's softmax)."""

    # Thresholds above 1 switch a behaviour off. Defaults: the best of the settings measured
    # by 5-fold CV on CASE 2021 (choosing among candidates lost macro-F1 there).
    choose: float = 1.01  # pick the most probable rule candidate when its probability reaches this
    veto: float = 0.6  # drop the rules' decisions when P(no event) reaches this
    propose: float = 0.5  # add a type the rules missed when its probability reaches this
    override: float = 1.01  # replace the rules' type by a non-candidate type


# With sentence embeddings the model picks among the rules' candidates and vetoes; it neither
# proposes a type where no rule fired nor overrides the rules with a type they did not propose.
# Chosen by 5-fold CV on CASE 2021 (flashpoint evaluate case2021 FILE --cv --encoder) among
# 14 settings, keeping the seeds passing: proposals coded analysis sentences of the seed
# articles as "Change to group/activity", overrides retyped the seed battles as territory
# taken, and neither gained on CASE 2021.
ENCODER_POLICY = ModelPolicy(choose=0.0, veto=0.4, propose=1.01)


def load_prototypes(path: Path | None = None) -> list[tuple[str, str]]:
    """(sub-event type, sentence) pairs of ``data/type_prototypes.toml`` (or ``path``)."""
    data = read_toml(path, "type_prototypes.toml")
    pairs = []
    for label, sentences in data["types"].items():
        if label not in SUB_EVENT_TYPES:
            raise ValueError(f"type_prototypes.toml: unknown sub-event type {label!r}")
        pairs.extend((label, str(text)) for text in sentences)
    return pairs


def prototype_groups(labels: Sequence[str]) -> list[list[int]]:
    """The prototype rows of each type, types in order of first appearance."""
    groups: dict[str, list[int]] = {}
    for k, lab in enumerate(labels):
        groups.setdefault(lab, []).append(k)
    return list(groups.values())


def dense_input(vector: np.ndarray, prototypes: np.ndarray | None, groups: list[list[int]], scale: float) -> np.ndarray:
    """What the dense weights read: the embedding, then per type the similarity to its nearest
    prototype (scaled); the embedding alone when there are no prototypes."""
    if prototypes is None:
        return vector
    sims = prototypes @ vector
    nearest = np.array([sims[g].max() for g in groups], dtype=np.float32)
    return np.concatenate([vector, scale * nearest])


def sentence_features(sent: Any, candidates: Sequence[TypeDecision], *, words: bool = True) -> list[str]:
    """The feature strings of one sentence: words, word pairs, entities, the top trigger's
    clause and the rules' candidates (only the candidates when ``words`` is false). Cheap:
    one pass over the tokens."""
    feats: set[str] = set()
    prev = "<s>"
    for tok in sent if words else ():
        if tok.pos_ in _SKIP_POS:
            continue
        word = "#num" if tok.like_num else tok.lemma_.lower()
        feats.add("w=" + word)
        feats.add("b=" + prev + "_" + word)
        prev = word
        if tok.ent_iob_ == "B":
            feats.add("e=" + tok.ent_type_)
    if not candidates:
        feats.add("r=NONE")
        return sorted(feats)
    top = candidates[0]
    feats.add("r0=" + top.sub_event_type)
    feats.add("rid=" + top.rule_id)
    for d in candidates:
        feats.add("r=" + d.sub_event_type)
    head = _trigger_head(sent, top) if words else None
    if head is not None:
        feats.add("t=" + head.lemma_.lower())
        feats.add("tdep=" + head.dep_)
        for child in head.children:
            if child.pos_ not in _SKIP_POS:
                feats.add(f"tc={child.dep_}:{child.lemma_.lower()}")
        if head.head.i != head.i:
            feats.add(f"th={head.dep_}:{head.head.lemma_.lower()}")
    return sorted(feats)


def _trigger_head(sent: Any, decision: TypeDecision) -> Any:
    span = sent.doc.char_span(decision.trigger_start, decision.trigger_end, alignment_mode="expand")
    return span.root if span is not None else None


class TypingModelUnusable(ValueError):
    """A typing model file that cannot be used here: unreadable, not a model, fitted on another
    encoder, or needing the optional model packages. The message is one line for the user;
    ``__cause__`` keeps the underlying error."""


def hashed_columns(features: Sequence[str], *, bits: int) -> list[int]:
    """The hashed column of each feature (the same function in training and use)."""
    mask = (1 << bits) - 1
    return [zlib.crc32(f.encode("utf-8")) & mask for f in features]


@dataclass(frozen=True, eq=False)
class TypingModel:
    labels: tuple[str, ...]
    columns: np.ndarray  # int64, sorted hashed column ids with a weight
    weights: np.ndarray  # float32, len(labels) x len(columns)
    intercept: np.ndarray  # float32, len(labels)
    bits: int
    policy: ModelPolicy = ModelPolicy()
    meta: dict = field(default_factory=dict)
    dense: np.ndarray | None = None  # float32, len(labels) x embedding dimensions
    encoder: str | None = None  # the sentence encoder the dense weights were fitted on
    words: bool = True  # hashed word features (False: the rules' candidates only)
    prototypes: np.ndarray | None = None  # float32, prototype sentences x embedding dimensions
    prototype_labels: tuple[str, ...] = ()  # the sub-event type of each prototype
    prototype_scale: float = 5.0  # similarities are small numbers; scaled to weigh like the rest

    def __post_init__(self) -> None:
        object.__setattr__(self, "_column_of", {int(c): k for k, c in enumerate(self.columns)})
        object.__setattr__(self, "_label_index", {lab: k for k, lab in enumerate(self.labels)})
        object.__setattr__(self, "_prototype_groups", prototype_groups(self.prototype_labels))

    # -- use ---------------------------------------------------------------------------

    def probabilities(self, features: Sequence[str], vector: np.ndarray | None = None) -> dict[str, float]:
        cols = [self._column_of[c] for c in hashed_columns(features, bits=self.bits) if c in self._column_of]
        logits = self.intercept + (self.weights[:, cols].sum(axis=1) if cols else 0.0)
        if self.dense is not None:
            if vector is None:
                raise ValueError(f"this typing model reads sentence embeddings ({self.encoder}); "
                                 "load it with Resources.load(typing_model=...)")
            dense = dense_input(vector, self.prototypes, self._prototype_groups, self.prototype_scale)
            logits = logits + self.dense @ dense
        exp = np.exp(logits - logits.max())
        probs = exp / exp.sum()
        return dict(zip(self.labels, probs.tolist()))

    def revise(
        self, sent: Any, decisions: list[TypeDecision], *, rules: TypingRules, vector: np.ndarray | None = None
    ) -> list[TypeDecision]:
        """The sentence's decisions after the model's check (see the module docstring);
        ``vector`` is the sentence's embedding when the model reads one."""
        candidates = classify_sentence(sent, rules=rules) if decisions else []
        probs = self.probabilities(sentence_features(sent, candidates, words=self.words), vector)
        policy = self.policy
        if not decisions:
            best = max((lab for lab in self.labels if lab != NO_EVENT), key=probs.__getitem__)
            if probs[best] >= policy.propose:
                return [self._proposal(sent, best, probs[best])]
            return []
        if probs.get(NO_EVENT, 0.0) >= policy.veto:
            return []
        chosen = decisions[0]
        pick = max(candidates, key=lambda d: probs.get(d.sub_event_type, 0.0))
        p_pick = probs.get(pick.sub_event_type, 0.0)
        if p_pick >= policy.choose and p_pick > probs.get(chosen.sub_event_type, 0.0):
            chosen = _noted(pick, f"model prefers it ({p_pick:.2f})")
        best = max((lab for lab in self.labels if lab != NO_EVENT), key=probs.__getitem__)
        if probs[best] >= policy.override and all(d.sub_event_type != best for d in candidates):
            chosen = _noted(
                TypeDecision(best, SUB_EVENT_TYPES[best], chosen.trigger_start, chosen.trigger_end,
                             chosen.score, chosen.reason, "model"),
                f"model overrides to {best} ({probs[best]:.2f})",
            )
        if chosen is decisions[0]:
            return decisions
        rest = [d for d in decisions[1:] if d.sub_event_type != chosen.sub_event_type]
        return [chosen, *rest]

    def _proposal(self, sent: Any, label: str, p: float) -> TypeDecision:
        # The trigger is the word that speaks most for the label: what --explain shows.
        k = self._label_index[label]
        best_tok, best_w = sent.root, -np.inf
        for tok in sent:
            if tok.pos_ in _SKIP_POS:
                continue
            word = "#num" if tok.like_num else tok.lemma_.lower()
            col = self._column_of.get(hashed_columns(["w=" + word], bits=self.bits)[0])
            if col is not None and self.weights[k, col] > best_w:
                best_tok, best_w = tok, float(self.weights[k, col])
        return TypeDecision(
            sub_event_type=label,
            event_type=SUB_EVENT_TYPES[label],
            trigger_start=best_tok.idx,
            trigger_end=best_tok.idx + len(best_tok),
            score=0.0,
            reason=f"typing model ({self.meta.get('version', '')}): {label} p={p:.2f}, no rule fired",
            rule_id="model",
        )

    # -- training and files ------------------------------------------------------------

    @classmethod
    def train(
        cls,
        examples: Sequence[Sequence[str]],
        labels: Sequence[str],
        *,
        bits: int = 18,
        c: float = 10.0,
        policy: ModelPolicy | None = None,
        meta: dict | None = None,
        vectors: np.ndarray | None = None,
        encoder: str | None = None,
        words: bool = True,
        prototypes: np.ndarray | None = None,
        prototype_labels: Sequence[str] = (),
    ) -> TypingModel:
        """Fit multinomial logistic regression (class-balanced) on feature lists, and on the
        sentences' embeddings (``vectors``, one row per example) when given."""
        from scipy.sparse import csr_matrix, hstack
        from sklearn.linear_model import LogisticRegression

        indptr, indices = [0], []
        for feats in examples:
            indices.extend(sorted(set(hashed_columns(feats, bits=bits))))
            indptr.append(len(indices))
        # Fit on the columns that occur (an unseen column's weight stays 0 under L2 anyway).
        used, compact = np.unique(np.asarray(indices, dtype=np.int64), return_inverse=True)
        x = csr_matrix((np.ones(len(indices)), compact, indptr), shape=(len(examples), len(used)))
        dims = 0
        if prototypes is not None:
            prototypes = np.asarray(prototypes, dtype=np.float32)
        if vectors is not None:
            if len(vectors) != len(examples):
                raise ValueError(f"{len(vectors)} vectors for {len(examples)} examples")
            groups = prototype_groups(prototype_labels)
            scale = cls.prototype_scale  # the field's default: a trained model keeps it
            dense_rows = np.stack([dense_input(v, prototypes, groups, scale)
                                   for v in np.asarray(vectors, dtype=np.float32)])
            x = hstack([csr_matrix(dense_rows.astype(np.float64)), x]).tocsr()
            dims = dense_rows.shape[1]
        lr = LogisticRegression(C=c, class_weight="balanced", max_iter=5000)
        lr.fit(x, list(labels))
        coef = lr.coef_.astype(np.float32)
        return cls(
            labels=tuple(str(lab) for lab in lr.classes_),
            columns=used,
            weights=np.ascontiguousarray(coef[:, dims:]),
            intercept=lr.intercept_.astype(np.float32),
            bits=bits,
            policy=policy or (ENCODER_POLICY if dims else ModelPolicy()),
            meta=dict(meta or {}, c=c, examples=len(examples)),
            dense=np.ascontiguousarray(coef[:, :dims]) if dims else None,
            encoder=encoder if dims else None,
            words=words,
            prototypes=prototypes if dims else None,
            prototype_labels=tuple(prototype_labels) if dims else (),
        )

    def save(self, path: Path) -> None:
        meta = dict(self.meta, bits=self.bits, policy=self.policy.__dict__, words=self.words,
                    encoder=self.encoder, prototype_labels=list(self.prototype_labels),
                    prototype_scale=self.prototype_scale)
        arrays = dict(labels=np.array(self.labels), columns=self.columns, weights=self.weights,
                      intercept=self.intercept, meta=np.array(json.dumps(meta, sort_keys=True)))
        if self.dense is not None:
            arrays["dense"] = self.dense
        if self.prototypes is not None:
            arrays["prototypes"] = self.prototypes
        with open(path, "wb") as fh:  # a file object: numpy would append ".npz" to a bare name
            np.savez_compressed(fh, **arrays)

    @classmethod
    def load(cls, path: Path) -> TypingModel:
        with np.load(Path(path), allow_pickle=False) as npz:
            meta = json.loads(str(npz["meta"]))
            labels = tuple(str(x) for x in npz["labels"])
            for lab in labels:
                if lab != NO_EVENT and lab not in SUB_EVENT_TYPES:
                    raise ValueError(f"{path}: unknown label {lab!r}")
            return cls(
                labels=labels,
                columns=npz["columns"].astype(np.int64),
                weights=npz["weights"].astype(np.float32),
                intercept=npz["intercept"].astype(np.float32),
                bits=int(meta["bits"]),
                policy=ModelPolicy(**meta.get("policy", {})),
                meta=meta,
                dense=npz["dense"].astype(np.float32) if "dense" in npz.files else None,
                encoder=meta.get("encoder"),
                words=bool(meta.get("words", True)),
                prototypes=npz["prototypes"].astype(np.float32) if "prototypes" in npz.files else None,
                prototype_labels=tuple(meta.get("prototype_labels", ())),
                prototype_scale=float(meta.get("prototype_scale", 5.0)),
            )


def _noted(d: TypeDecision, note: str) -> TypeDecision:
    return TypeDecision(d.sub_event_type, d.event_type, d.trigger_start, d.trigger_end, d.score,
                        f"{d.reason}; {note}", d.rule_id)
