"""Event typing: which of the codebook's 25 sub-event types a sentence reports, if any.

Rules and word lists live in ``data/event_rules.toml`` (format documented there). A rule
fires on a trigger phrase and may require words in the sentence, among the trigger's
arguments (what was attacked, seized, ...) or in its agent (who did it). Negated and modal
triggers ("did not attack", "threatened to attack") are dropped. Decisions are ranked by the
rule's specificity plus the trigger's prominence in the sentence.

Phrases are matched by :mod:`.phrases`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..datafiles import read_toml
from ..model import SUB_EVENT_TYPES
from .modality import cancelled, recalled
from .phrases import Phrase, PhraseSet, expand_phrases, sentence_tokens
from .rule_cues import SentenceCues, rule_fails
from .rule_cues import subtree_ids as _subtree_ids

NONE_TYPE = "none"  # a rule that hides shorter triggers ("riot police" is not a riot)
_ADJUNCT_DEPS = {"advcl", "relcl", "acl"}
_ADJUNCT_PREPS = {"during", "after", "amid", "amidst", "following", "before", "since", "despite"}


# ---------------------------------------------------------------------------
# Rules
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TypeDecision:
    sub_event_type: str
    event_type: str
    trigger_start: int  # character offsets of the trigger in the Doc's text
    trigger_end: int
    score: float
    reason: str
    rule_id: str = ""
    recalled: str = ""  # the trigger tells an earlier occasion (modality.recalled): news drops it


@dataclass(frozen=True)
class _Rule:
    id: str
    sub_event_type: str
    score: float
    pos: frozenset[str]
    sentence_any: PhraseSet
    sentence_none: PhraseSet
    args_any: PhraseSet
    args_none: PhraseSet
    agent_any: PhraseSet
    agent_none: PhraseSet
    compound_heads: PhraseSet  # a trigger used as a modifier ("missile base") needs one of these heads
    cues_skip_under: PhraseSet  # sentence cues under these words are a topic, not what happened
    paragraph_any: PhraseSet  # one must occur in the sentence's paragraph (a short report)
    paragraph_none: PhraseSet  # none may occur there ("a state of emergency" over wildfires)
    absorbs_weapons: bool  # a battle whose clause names its weapons is the event


@dataclass(frozen=True)
class _Veto:
    why: str
    terms: PhraseSet
    blocks: frozenset[str]
    unless: PhraseSet | None = None  # words that keep the sentence a conflict report
    # "document": the terms count anywhere in the article, when at least ``min_terms`` different
    # ones occur (a sports report names its team "the Rockets" far from the word "layup")
    scope: str = "sentence"
    min_terms: int = 1


class TypingRules:
    """The typing rules of one data file, compiled for matching."""

    def __init__(
        self,
        *,
        version: str,
        triggers: PhraseSet,
        rules_by_trigger: dict[Phrase, tuple[_Rule, ...]],
        vetoes: tuple[_Veto, ...],
        modal_aux: frozenset[str],
        governors: frozenset[str],
        halts: frozenset[str] = frozenset(),
        purpose_exempt: frozenset[str] = frozenset(),
        negations: frozenset[str],
        absorbing: frozenset[str] = frozenset(),
        reference_heads: frozenset[str] = frozenset(),
        wars: frozenset[str] = frozenset(),
    ):
        self.version = version
        self.triggers = triggers
        self.rules_by_trigger = rules_by_trigger
        self.vetoes = vetoes
        self.modal_aux = modal_aux
        self.governors = governors
        self.halts = halts
        self.purpose_exempt = purpose_exempt
        self.negations = negations
        self.absorbing = absorbing  # ids of battle rules that absorb their clause's weapons
        self.reference_heads = reference_heads  # "the scene of the airstrike": a reference only
        self.wars = wars  # "fighting a deadly insurgency": a war, not an event

    @classmethod
    def load(cls, path: Path | None = None) -> TypingRules:
        data = read_toml(path, "event_rules.toml")
        lexicon = data.get("lexicon", {})
        rules_by_trigger: dict[Phrase, list[_Rule]] = {}
        for raw in data["rule"]:
            sub = raw["sub_event_type"]
            if sub != NONE_TYPE and sub not in SUB_EVENT_TYPES:
                raise ValueError(f"rule {raw['id']}: unknown sub-event type {sub!r}")
            rule = _Rule(
                id=raw["id"],
                sub_event_type=sub,
                score=float(raw["score"]),
                pos=frozenset(raw.get("pos", ())),
                absorbs_weapons=bool(raw.get("absorbs_weapons", False)),
                **{
                    name: expand_phrases(raw.get(name, ()), lexicon)
                    for name in (
                        "sentence_any", "sentence_none", "args_any", "args_none",
                        "agent_any", "agent_none", "compound_heads", "cues_skip_under",
                        "paragraph_any", "paragraph_none",
                    )
                },
            )
            for phrase in expand_phrases(raw["triggers"], lexicon).phrases:
                rules_by_trigger.setdefault(phrase, []).append(rule)
        vetoes = tuple(
            _Veto(v["why"], expand_phrases(v["terms"], lexicon), frozenset(v["blocks"]),
                  expand_phrases(v["unless"], lexicon) if v.get("unless") else None,
                  scope=v.get("scope", "sentence"), min_terms=int(v.get("min_terms", 1)))
            for v in data.get("veto", ())
        )
        modality = data.get("modality", {})
        return cls(
            version=str(data.get("version", "")),
            triggers=PhraseSet(rules_by_trigger),
            rules_by_trigger={p: tuple(r) for p, r in rules_by_trigger.items()},
            vetoes=vetoes,
            modal_aux=frozenset(modality.get("aux", ())),
            governors=frozenset(modality.get("governors", ())),
            halts=frozenset(modality.get("halts", ())),
            purpose_exempt=frozenset(modality.get("purpose_exempt", ())),
            negations=frozenset(modality.get("negations", ())),
            reference_heads=frozenset(modality.get("reference_heads", ())),
            wars=frozenset(modality.get("wars", ())),
            absorbing=frozenset(r["id"] for r in data["rule"] if r.get("absorbs_weapons")),
        )


# ---------------------------------------------------------------------------
# Syntax helpers
# ---------------------------------------------------------------------------


def _phrase_head(doc: Any, start_i: int, end_i: int) -> Any:
    """The token of a matched phrase whose syntactic head lies outside it."""
    for i in range(start_i, end_i + 1):
        tok = doc[i]
        if not (start_i <= tok.head.i <= end_i) or tok.head.i == tok.i:
            return tok
    return doc[end_i]


def agent_and_args(head: Any) -> tuple[frozenset[int], frozenset[int]]:
    """Token ids of a trigger's agent (who acts) and arguments (everything else it governs)."""
    agent: set[int] = set()
    extra: set[int] = set()
    if head.pos_ in ("VERB", "AUX"):
        verb = head
        subj = [c for c in verb.children if c.dep_ in ("nsubj", "csubj")]
        if not subj and verb.dep_ in ("conj", "xcomp", "advcl") and verb.head.pos_ == "VERB":
            subj = [c for c in verb.head.children if c.dep_ == "nsubj"]
        if not subj and verb.dep_ == "pcomp" and verb.head.head.pos_ == "VERB":
            # "the army achieved victory by controlling the area": the main verb's subject
            subj = [c for c in verb.head.head.children if c.dep_ == "nsubj"]
        for c in subj:
            agent |= _subtree_ids(c)
    else:
        for c in head.children:
            if c.dep_ in ("compound", "poss", "amod", "nmod"):
                agent |= _subtree_ids(c)
        if head.dep_ in ("nsubj", "nsubjpass", "dobj", "attr") and head.head.pos_ in ("VERB", "AUX"):
            verb = head.head
            subjects = [c for c in verb.children if c.dep_ == "nsubj" and c.i != head.i]
            for c in subjects:
                agent |= _subtree_ids(c)
            extra = _subtree_ids(verb) - _subtree_ids(head) - agent - {verb.i}
        if head.dep_ == "pobj" and head.head.dep_ in ("prep", "agent") and head.head.head.pos_ == "VERB":
            # "soldiers were killed in militant attacks": the victims are the attack's targets
            verb = head.head.head
            for c in verb.children:
                if c.dep_ in ("nsubjpass", "dobj"):
                    extra |= _subtree_ids(c)
    for c in head.children:
        if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by"):
            agent |= _subtree_ids(c)
    args = (_subtree_ids(head) | extra) - agent - {head.i}
    if head.pos_ == "VERB":
        # "regained the hill, and captured a soldier": a coordinated verb is a clause of its own,
        # unless the two share one object ("killed and wounded scores of fighters")
        own_object = any(c.dep_ in ("dobj", "obj") for c in head.children)
        for c in head.children:
            if c.dep_ == "conj" and c.pos_ == "VERB":
                shared = not own_object and not any(x.dep_ in ("nsubj", "nsubjpass") for x in c.children)
                if not shared:
                    args -= _subtree_ids(c)
    # Relative and adverbial clauses report events of their own ("the town, where they also
    # captured a commander"); they are not this trigger's arguments.
    # Nor is the source of the report ("According to the Beverly Hills Police Department, the
    # glass struck the boy": the police are no target).
    for i in list(args):
        tok = head.doc[i]
        if tok.dep_ in ("relcl", "advcl") and tok.i in args:
            args -= _subtree_ids(tok)
        elif tok.lower_ == "according" and tok.dep_ == "prep" and tok.i in args:
            args -= _subtree_ids(tok)
    return frozenset(agent), frozenset(args)


def _prominence(head: Any) -> float:
    """+10 for a trigger in the main clause, +4 more when it is a predicate or subject."""
    cur, adjunct = head, False
    for _ in range(12):
        if cur.dep_ in _ADJUNCT_DEPS:
            adjunct = True
        if cur.dep_ == "pobj" and cur.head.lower_ in _ADJUNCT_PREPS:
            adjunct = True
        if cur.head.i == cur.i:
            break
        cur = cur.head
    bonus = 0.0 if adjunct else 10.0
    if not adjunct and (head.pos_ in ("VERB", "AUX") or head.dep_ in ("nsubj", "nsubjpass", "ROOT")):
        bonus += 4.0
    return bonus





# ---------------------------------------------------------------------------
# Classification
# ---------------------------------------------------------------------------


_RECALLED_PENALTY = 30.0  # below any trigger of the news, whatever its rule's score


def _document_veto(doc: Any, veto: _Veto) -> Any:
    """The first of ``veto``'s terms in the whole article when at least ``min_terms`` different
    ones occur there, else None. Read once per article (kept in the Doc's user_data)."""
    cache = doc.user_data.setdefault("flashpoint.document_vetoes", {})
    key = veto.why
    if key not in cache:
        found = veto.terms.find(sentence_tokens(doc[:]))
        distinct = {p.text for _, _, p in found}
        cache[key] = found[0][2] if found and len(distinct) >= veto.min_terms else None
    return cache[key]


def _decide(sent: Any, rules: TypingRules) -> list[tuple[TypeDecision, Any]]:
    """The best decision per sub-event type with its trigger's head token, best first."""
    doc = sent.doc
    toks = sentence_tokens(sent)
    blocked: dict[str, str] = {}
    for veto in rules.vetoes:
        if veto.scope == "document":
            p = _document_veto(doc, veto)
        else:
            p = veto.terms.any_in(toks)
        if p is not None and not (veto.unless and veto.unless.any_in(toks)):
            for sub in veto.blocks:
                blocked.setdefault(sub, f"{veto.why} ('{p.text}')")

    best: dict[str, tuple[TypeDecision, Any]] = {}
    cues = SentenceCues(sent, toks)  # the rules' cues, read once for all triggers of the sentence
    k = 0
    while k < len(toks):
        matches = [(p.length_at(toks, k), p) for p in rules.triggers.candidates(toks[k])]
        matches = [(n, p) for n, p in matches if n]
        if not matches:
            k += 1
            continue
        longest = max(n for n, _ in matches)
        start_tok, end_tok = doc[toks[k].i], doc[toks[k + longest - 1].i]
        head = _phrase_head(doc, start_tok.i, end_tok.i)
        skip_phrase = head.ent_type_ in ("DATE", "TIME") or cancelled(head, rules) is not None
        # an earlier occasion yields to the sentence's news of the same type, and is flagged
        earlier = "" if skip_phrase else (recalled(head, rules) or "")
        agent = args = None
        for n, phrase in matches:
            if n != longest or skip_phrase:
                continue
            for rule in rules.rules_by_trigger[phrase]:
                if rule.sub_event_type == NONE_TYPE or rule.sub_event_type in blocked:
                    continue
                if rule.pos and head.pos_ not in rule.pos:
                    continue
                if agent is None:
                    agent, args = agent_and_args(head)
                if rule_fails(rule, cues, agent, args, head):
                    continue
                score = rule.score + _prominence(head) - (_RECALLED_PENALTY if earlier else 0.0)
                prev = best.get(rule.sub_event_type)
                if prev is not None and prev[0].score >= score:
                    continue
                trig = doc[start_tok.i : end_tok.i + 1].text  # not doc.text: spaCy rebuilds it per call
                decision = TypeDecision(
                    sub_event_type=rule.sub_event_type,
                    event_type=SUB_EVENT_TYPES[rule.sub_event_type],
                    trigger_start=start_tok.idx,
                    trigger_end=end_tok.idx + len(end_tok),
                    score=score,
                    reason=f"rule {rule.id} ({rules.version}): trigger '{trig}' "
                    f"[{head.dep_}, score {score:g}]",
                    rule_id=rule.id,
                    recalled=earlier,
                )
                best[rule.sub_event_type] = (decision, head)
        k += longest
    decisions = _absorb_battle_weapons(best, rules.absorbing)
    heads = {d.trigger_start: h for d, h in best.values()}
    return sorted(((d, heads[d.trigger_start]) for d in decisions), key=lambda x: (-x[0].score, x[0].trigger_start))


def classify_sentence(sent: Any, *, rules: TypingRules) -> list[TypeDecision]:
    """The sub-event types a sentence reports, best first; [] when it reports none."""
    return [d for d, _ in _decide(sent, rules)]


def event_clauses(sent: Any, *, rules: TypingRules) -> list[TypeDecision]:
    """One decision per distinct event the sentence reports, best first.

    "An air strike killed five, and clashes followed in the town" reports two events: each
    coordinated or reported clause with its own trigger is one. Subordinate clauses and
    adjuncts ("killing two soldiers", "following the arrest of ...") describe their main
    clause's event and add none; nor does a second trigger of the same type.
    """
    out: list[TypeDecision] = []
    clauses: set[int] = set()
    decided = _decide(sent, rules)
    own = [(d, h) for d, h in decided if not _reference(h, rules)]
    # "Intelligence collected at the scene of the airstrike led to the arrest of five": the
    # airstrike is named only to say whose scene; the sentence reports the arrests.
    decided = own or decided
    for decision, head in decided:
        clause = clause_head(head)
        if clause in clauses or any(d.sub_event_type == decision.sub_event_type for d in out):
            continue
        clauses.add(clause)
        out.append(decision)
    return out


def time_reference(head: Any) -> bool:
    """Is a trigger noun an incident named only to say when something else happened: "the
    statement released hours after the attack"? (News assembly drops such mentions; MUC-4's
    templates keep every incident named.)"""
    return (head.pos_ == "NOUN" and head.dep_ == "pobj" and head.head.lower_ in ("after", "before", "since")
            and _definite(head, ("the", "this", "that")))


def _reference(head: Any, rules: TypingRules) -> bool:
    """Is a trigger noun a definite reference that only says whose place another noun is: "the
    scene of the airstrike", "the site of Tuesday's bombing" (``rules.reference_heads``)?"""
    if not (head.pos_ == "NOUN" and head.dep_ == "pobj" and head.head.lower_ == "of"
            and head.head.head.lemma_.lower() in rules.reference_heads):
        return False
    # "Khan Sheikhun, the site of a deadly April chemical attack": a definite site names a
    # place by an incident whatever the incident's article.
    return any(_definite(n, ("the", "this", "that", "these", "those")) for n in (head, head.head.head))


def _definite(noun: Any, determiners: tuple[str, ...]) -> bool:
    """Does ``noun`` have one of ``determiners`` or a possessive ("the attack", "Tuesday's attack")?"""
    return any((c.dep_ == "det" and c.lower_ in determiners) or c.dep_ == "poss" for c in noun.children)


def clause_head(tok: Any) -> int:
    """The verb heading the main or coordinated clause a token belongs to."""
    cur = tok
    for _ in range(20):
        if cur.head.i == cur.i or (cur.pos_ in ("VERB", "AUX") and cur.dep_ in ("conj", "ccomp", "parataxis")):
            return cur.i
        cur = cur.head
    return cur.i


def _absorb_battle_weapons(best: dict[str, tuple[TypeDecision, Any]], absorbing: frozenset[str]) -> list[TypeDecision]:
    """A battle whose clause names the weapons used ("the clashes involve shelling") is the
    event; the shelling is part of it (codebook: a shelling that is part of a battle is part
    of that battle's event), so the battle is ranked first."""
    battle = best.get("Armed clash")
    out = [d for d, _ in best.values()]
    if battle is None or battle[0].rule_id not in absorbing:
        return out
    decision, head = battle
    scope_root = head.head if head.dep_ in ("nsubj", "nsubjpass") else head
    scope = _subtree_ids(scope_root)
    top = decision.score
    for sub, (d, h) in best.items():
        if d.event_type == "Explosions/Remote violence" and h.i in scope and d.score >= top:
            top = d.score + 1
    if top == decision.score:
        return out
    raised = TypeDecision(
        decision.sub_event_type, decision.event_type, decision.trigger_start,
        decision.trigger_end, top, decision.reason + "; weapons of its clause are part of it",
        decision.rule_id, decision.recalled,
    )
    return [raised if d is decision else d for d in out]
