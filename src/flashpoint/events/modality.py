"""Modality: why a trigger does not report an event that took place. Negated ("did not
attack", "no shelling"), modal ("could attack"), governed by a verb of threatening, planning,
asking or halting ("threatened to attack", "pressed them to stop their bombings"), a purpose
("an operation to retake the town"), a definition ("a militia that fights the army"), a
habit ("whenever the group carried out attacks") or the object of a war verb ("waged a
civil war"): ``cancelled``. And why a trigger that did report an event tells an earlier one:
earlier occasions ("targeted in bomb attacks multiple times before") or how a war began ("the
war which broke out after a crackdown on protests"): ``recalled``.

The word lists are the ``[modality]`` table of ``data/event_rules.toml``, read by
``typing.TypingRules``."""

from __future__ import annotations

from typing import Any, Protocol


class ModalityWords(Protocol):
    """What this module reads of a ``typing.TypingRules``."""

    @property
    def modal_aux(self) -> frozenset[str]: ...
    @property
    def governors(self) -> frozenset[str]: ...
    @property
    def halts(self) -> frozenset[str]: ...
    @property
    def purpose_exempt(self) -> frozenset[str]: ...
    @property
    def wars(self) -> frozenset[str]: ...


def _predicate(tok: Any) -> Any:
    """The nearest verb governing a token (the token itself when it is a verb)."""
    cur = tok
    for _ in range(8):
        if cur.pos_ in ("VERB", "AUX"):
            return cur
        if cur.head.i == cur.i:
            return cur
        cur = cur.head
    return cur


def cancelled(head: Any, rules: ModalityWords) -> str | None:
    """Why a trigger does not report an event (negated, modal, threatened ...), else None."""
    for tok in {head, _predicate(head)}:
        for c in tok.children:
            low = c.lower_
            if c.dep_ == "neg" or (c.dep_ == "det" and low == "no"):
                return f"negated by '{c.text}'"
            if c.dep_ == "aux" and low in rules.modal_aux:
                return f"modal '{c.text}'"
            if c.dep_ in ("advmod", "mark") and low == "whenever":
                return "habitual ('whenever')"  # "whenever the group was carrying out attacks"
    if _purpose(head, rules):
        return f"purpose of '{head.head.text}'"
    if _describes(head):
        return f"describes '{head.head.text}'"
    if head.pos_ == "VERB" and any(c.dep_ == "dobj" and c.lemma_.lower() in rules.wars for c in head.children):
        return "its object is a war, not an event"
    cur = head
    for _ in range(10):
        if cur.head.i == cur.i:
            break
        if cur.dep_ == "conj" and any(c.lower_ == "nor" for c in cur.head.children):
            return "coordinated with 'nor'"  # "..., nor must we allow them to be beaten"
        complement = cur.dep_ in ("xcomp", "ccomp")
        subject = cur.dep_ == "nsubj"  # "police arrest protesters calling for ...": not governed
        cur = cur.head
        if (cur.lemma_.lower() in rules.governors and not subject) or (
                cur.lemma_.lower() in rules.halts and not _infinitive(cur)):
            # "pressed them to stop their bombings": asking for a halt says the bombing goes on
            return f"governed by '{cur.text}'"
        if complement and any(c.dep_ == "neg" for c in cur.children):
            # "we must not allow them to be attacked": the negation covers the complement
            return f"complement of negated '{cur.text}'"
    return None


def recalled(head: Any, rules: ModalityWords) -> str | None:
    """Why a trigger tells an earlier occasion rather than the news, else None: "a district
    targeted in bomb attacks multiple times before", "the war which broke out after the regime
    unleashed a crackdown". News assembly drops such mentions; MUC-4's templates keep every
    incident a report names."""
    for tok in {head, _predicate(head)}:
        for c in tok.children:
            if tok.pos_ in ("VERB", "AUX") and c.dep_ == "advmod" and _earlier_occasions(c):
                return f"earlier occasions ('{c.text}')"
    cur = head
    for _ in range(10):
        if cur.head.i == cur.i:
            break
        if cur.dep_ in ("relcl", "acl") and cur.head.lemma_.lower() in rules.wars:
            return f"tells how the {cur.head.text} began"
        cur = cur.head
    return None


def _earlier_occasions(adv: Any) -> bool:
    """"previously", "repeatedly", "several times before": what a clause says happened on
    earlier occasions, not the news ("the day before" is a date, and stays)."""
    low = adv.lower_
    if low in ("previously", "repeatedly", "formerly"):
        return True
    return low == "before" and any(
        c.dep_ == "npadvmod" and c.lemma_.lower() == "time" and c.tag_ == "NNS" for c in adv.children)


def _infinitive(verb: Any) -> bool:
    return any(c.dep_ == "aux" and c.tag_ == "TO" for c in verb.children)


def _purpose(head: Any, rules: ModalityWords) -> bool:
    """A verb in a to-infinitive of purpose says what was meant to happen, not that it did:
    "its campaign to retake the town", "an operation to liberate the province", "strikes
    to push back the rebels". Not "the first unit to enter the town", which did."""
    if head.pos_ != "VERB" or head.dep_ not in ("acl", "advcl") or head.lemma_.lower() in rules.purpose_exempt:
        return False
    if not _infinitive(head):
        return False
    return not any(c.lower_ in ("first", "last", "only") for c in head.head.children)


def _describes(head: Any) -> bool:
    """A verb that only describes what the subject of "is" is: "The SDF is a coalition
    battling the Islamic State in the north", "... a militia that fights the army". A
    definition, not a report (participle or present-tense relative clause of the attribute)."""
    if head.pos_ != "VERB" or head.dep_ not in ("acl", "relcl"):
        return False
    noun = head.head
    if noun.dep_ != "attr" or noun.head.lemma_ != "be":
        return False
    if head.dep_ == "acl":
        return head.tag_ == "VBG"
    return head.tag_ in ("VBZ", "VBP") or any(
        c.dep_ == "aux" and c.tag_ in ("VBZ", "VBP") for c in head.children)
