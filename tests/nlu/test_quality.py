"""The NLU's quality gates on data the repository owns, measured through the bot's own path on the
real model: the held-out split (never trained on). The gate on third-party reviews is `make eval`."""
import re

import pytest

from bot.config import ROOT
from bot.nlu import Understanding
from bot.nlu.evaluation import Example, Prediction, catalog_aliases, choose_threshold, evaluate, score

pytestmark = pytest.mark.timeless  # NLU answers do not depend on the date: not repeated under moved clocks

HELDOUT = ROOT / "tests" / "nlu" / "heldout.yml"
# Written in the register of real shop chats (issue 13); a development set, never trained on.
REALISTIC = ROOT / "tests" / "nlu" / "realistic.yml"
# A second realistic set, written after the first one had shaped the training data and measured
# before any example was added for it (bench/nlu_pipelines.md): the least tuned-to file we own.
FRESH = ROOT / "tests" / "nlu" / "fresh_dev.yml"
# A third one, written when fresh_dev.yml had been read and trained around (issue 13, second round).
FRESH2 = ROOT / "tests" / "nlu" / "fresh_dev2.yml"
MIN_MACRO_F1 = 0.95          # held-out (0.91 before issue 13)
MIN_REALISTIC_MACRO_F1 = 0.88  # the realistic set: issue 13's gate, never to be lowered
MIN_FRESH_MACRO_F1 = 0.92     # fresh_dev.yml: 0.938 before any example was written for it (issue 13)
MIN_FRESH2_MACRO_F1 = 0.97    # fresh_dev2.yml: 0.947 before any example was written for it, 0.988 after
MIN_INTENT_F1 = 0.80         # no intent below this on any set
MIN_AMOUNT_F1 = 0.90         # quantity and unit entities


def _understanding(engine):
    return Understanding(engine, catalog_aliases())


def test_heldout_macro_f1(nlu_engine):
    report = evaluate(_understanding(nlu_engine), HELDOUT)
    print(f"held-out macro-F1 {report['macro_f1']}, accuracy {report['accuracy']}")
    assert report["examples"] == 420
    assert report["macro_f1"] >= MIN_MACRO_F1, report["per_intent"]
    _no_weak_intent_and_amounts_found(report)
    assert report["entities"]["order_id"]["f1"] == 1.0 and report["entities"]["phone"]["f1"] == 1.0
    assert report["entities"]["product"]["f1"] >= 0.95


def test_realistic_macro_f1(nlu_engine):
    """Messages in the register of real shop chats (two acts, products outside the catalogue,
    platform order numbers, typos, dialect): the gate of issue 13."""
    report = evaluate(_understanding(nlu_engine), REALISTIC)
    print(f"realistic macro-F1 {report['macro_f1']}, accuracy {report['accuracy']}")
    assert report["macro_f1"] >= MIN_REALISTIC_MACRO_F1, report["per_intent"]
    _no_weak_intent_and_amounts_found(report)
    assert report["entities"]["order_id"]["f1"] == 1.0 and report["entities"]["phone"]["f1"] == 1.0
    assert report["entities"]["product"]["f1"] >= 0.90  # the customer's own words for unknown products


@pytest.mark.parametrize("path,floor", [
    # the second realistic set: its first measurement, before any training example was written
    # for it, was macro-F1 0.938
    (FRESH, MIN_FRESH_MACRO_F1),
    # the third: 0.947 on main's model before that round's examples; the floor keeps what they won
    (FRESH2, MIN_FRESH2_MACRO_F1),
], ids=["fresh_dev", "fresh_dev2"])
def test_fresh_sets_macro_f1(nlu_engine, path, floor):
    """The least tuned-to files the project owns, written in the real register."""
    report = evaluate(_understanding(nlu_engine), path)
    print(f"{path.name} macro-F1 {report['macro_f1']}, accuracy {report['accuracy']}")
    assert report["macro_f1"] >= floor, report["per_intent"]
    _no_weak_intent_and_amounts_found(report)
    assert report["entities"]["order_id"]["f1"] == 1.0 and report["entities"]["phone"]["f1"] == 1.0
    assert report["entities"]["product"]["f1"] >= 0.90


def _no_weak_intent_and_amounts_found(report: dict) -> None:
    weak = {i: v["f1"] for i, v in report["per_intent"].items() if v["f1"] < MIN_INTENT_F1}
    assert not weak, weak
    for entity in ("quantity", "unit"):
        assert report["entities"][entity]["f1"] >= MIN_AMOUNT_F1, report["entities"]


def _strip(line: str) -> str:
    return re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", line.strip()[2:]).strip()


def _texts(path) -> set[str]:
    return {_strip(l) for l in path.read_text(encoding="utf-8").splitlines() if l.startswith("    - ")}


def test_training_data_never_contains_heldout_examples():
    held = _texts(HELDOUT) | _texts(REALISTIC) | _texts(FRESH) | _texts(FRESH2)
    for path in (ROOT / "nlu_data" / "nlu").glob("*.yml"):
        lines = path.read_text(encoding="utf-8").splitlines()
        overlap = [_strip(l) for l in lines if l.startswith("    - ") and _strip(l) in held]
        assert not overlap, f"{path.name} trains on held-out examples: {overlap}"


def test_realistic_set_covers_every_intent_and_entity():
    import yaml

    from bot.nlu.evaluation import load_examples

    domain = yaml.safe_load((ROOT / "nlu_data" / "domain.yml").read_text(encoding="utf-8"))
    examples = load_examples(REALISTIC)
    assert len(examples) >= 400 and len({e.text for e in examples}) == len(examples)
    assert {e.intent for e in examples} == set(domain["intents"])
    assert {t for e in examples for t, _ in e.entities} == set(domain["entities"])


@pytest.mark.parametrize("path", [FRESH, FRESH2], ids=["fresh_dev", "fresh_dev2"])
def test_fresh_set_covers_every_intent_and_entity(path):
    import yaml

    from bot.nlu.evaluation import load_examples

    domain = yaml.safe_load((ROOT / "nlu_data" / "domain.yml").read_text(encoding="utf-8"))
    examples = load_examples(path)
    assert len(examples) >= 150 and len({e.text for e in examples}) == len(examples)
    assert {e.intent for e in examples} == set(domain["intents"])
    assert {t for e in examples for t, _ in e.entities} == set(domain["entities"])


def _p(gold, predicted, confidence=0.9, margin=0.5, gold_entities=(), entities=()):
    return Prediction(Example("", gold, list(gold_entities)), predicted, confidence, margin, list(entities))


def test_scores_are_computed_from_counts():
    preds = [_p("a", "a"), _p("a", "b"), _p("b", "b"), _p("b", "b"), _p("b", "a"), _p("b", "a"),
             _p("a", "a", gold_entities=[("quantity", 2), ("unit", "斤")], entities=[("quantity", 2), ("unit", "箱")])]
    report = score(preds)
    assert report["accuracy"] == round(4 / 7, 4)
    assert report["per_intent"]["a"] == {"precision": 0.5, "recall": 0.6667, "f1": 0.5714, "support": 3}
    assert report["per_intent"]["b"] == {"precision": 0.6667, "recall": 0.5, "f1": 0.5714, "support": 4}
    assert report["macro_f1"] == 0.5714
    assert report["entities"]["quantity"]["f1"] == 1.0 and report["entities"]["unit"]["f1"] == 0.0
    assert report["confusions"] == [{"gold": "b", "predicted": "a", "count": 2}]


def test_threshold_maximises_right_minus_wrong():
    preds = [_p("a", "a", 0.9), _p("a", "a", 0.7), _p("a", "b", 0.4), _p("b", "a", 0.35), _p("b", "b", 0.5)]
    threshold, margin, (right, wrong, asked) = choose_threshold(preds)
    assert (right, wrong, asked) == (3, 0, 2)
    assert 0.4 < threshold <= 0.5 and margin == 0.0


def test_a_slash_does_not_let_a_customer_choose_the_intent(nlu_engine):
    """Rasa maps "/name" to an intent called name at 1.0; the bot's path must classify the words."""
    import yaml

    intents = set(yaml.safe_load((ROOT / "nlu_data" / "domain.yml").read_text(encoding="utf-8"))["intents"])
    understanding = _understanding(nlu_engine)
    for text in ["/anything goes", "/不买了 太差", "/human_handoff"]:
        result = understanding.parse(text)
        assert result.intent in intents, (text, result.intent)
        assert len(result.ranking) > 1, (text, result.ranking)  # a model ranking, not a command
