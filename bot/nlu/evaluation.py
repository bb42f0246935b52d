"""Measuring the NLU the way customers meet it: every example goes through `Understanding`
(normalisation, model, entity clean-up with catalog aliases), never through Rasa alone, so the
figures a merchant sees with `flask --app bot nlu eval` are the figures the webhook earns.

Entities are compared as (type, canonical value) per message, not by character offsets: the bot
normalises text before the model sees it, and what the handlers use is the value (两斤 -> 2 斤).
Macro-F1 averages the intents that occur in the evaluated file, so a file about one topic is not
punished for intents it does not contain.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .normalize import normalize
from .numbers import parse_quantity, tidy
from .training import NLU_DIR


@dataclass
class Example:
    text: str
    intent: str
    entities: list[tuple[str, object]] = field(default_factory=list)


@dataclass
class Prediction:
    example: Example
    intent: str
    confidence: float
    margin: float
    entities: list[tuple[str, object]]


def load_examples(path: str | Path) -> list[Example]:
    """Any Rasa-format NLU file (YAML; Rasa's own reader, so every annotation form works)."""
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(path))
    return [Example(m.get("text"), m.get("intent"),
                    [(e["entity"], e.get("value")) for e in m.get("entities") or []])
            for m in data.intent_examples]


_LIST_ITEM = re.compile(r"^\s+- (.+)$")


def catalog_aliases(nlu_dir: Path = NLU_DIR) -> dict[str, str]:
    """The alias map `catalog_sync.alias_map` builds from the database, read back from the generated
    catalog.yml, for evaluating without a seeded database: synonyms map to their catalog name, every
    other lookup entry (names and ambiguous aliases) to itself."""
    mapping: dict[str, str] = {}
    target = None
    path = nlu_dir / "nlu" / "catalog.yml"
    if not path.exists():
        return mapping
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("- lookup:"):
            target = ""
        elif line.startswith("- synonym:"):
            target = line.split(":", 1)[1].strip()
            mapping[target] = target
        else:
            m = _LIST_ITEM.match(line)
            if m and target is not None:
                term = m.group(1).strip()
                if target:
                    mapping[term] = target
                else:
                    mapping.setdefault(term, term)
    return mapping


def canonical(entity_type: str, value, aliases: dict[str, str]):
    """The form `postprocess` gives a value, so gold and predicted values compare equal."""
    text = normalize(str(value))
    if entity_type == "quantity":
        number = parse_quantity(text)
        return tidy(number) if number is not None else text
    if entity_type == "order_id":
        return text.upper()
    if entity_type == "product":
        return aliases.get(text, text)
    return text


def predict(understanding, examples: list[Example]) -> list[Prediction]:
    aliases = understanding.product_aliases
    out = []
    for ex in examples:
        result = understanding.parse(ex.text)
        scores = [s for _, s in result.ranking[:2]]
        margin = scores[0] - scores[1] if len(scores) == 2 else 1.0
        gold = Example(ex.text, ex.intent, [(t, canonical(t, v, aliases)) for t, v in ex.entities])
        out.append(Prediction(gold, result.intent, result.confidence, margin,
                              [(e.type, canonical(e.type, e.value, aliases)) for e in result.entities]))
    return out


def _prf(tp: int, predicted: int, actual: int) -> dict:
    precision = tp / predicted if predicted else 0.0
    recall = tp / actual if actual else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def score(predictions: list[Prediction]) -> dict:
    """The report `nlu eval --json` prints, plus the repeated confusions."""
    gold = Counter(p.example.intent for p in predictions)
    guessed = Counter(p.intent for p in predictions)
    hits = Counter(p.intent for p in predictions if p.intent == p.example.intent)
    per_intent = {}
    for intent in sorted(gold):
        per_intent[intent] = {**_prf(hits[intent], guessed[intent], gold[intent]), "support": gold[intent]}
    macro = sum(v["f1"] for v in per_intent.values()) / len(per_intent) if per_intent else 0.0

    tp, n_pred, n_gold = Counter(), Counter(), Counter()
    for p in predictions:
        g, q = Counter(p.example.entities), Counter(p.entities)
        for (etype, _), n in g.items():
            n_gold[etype] += n
        for (etype, _), n in q.items():
            n_pred[etype] += n
        for key, n in (g & q).items():
            tp[key[0]] += n
    entities = {t: {**_prf(tp[t], n_pred[t], n_gold[t]), "support": n_gold[t]}
                for t in sorted(set(n_gold) | set(n_pred))}
    confusions = Counter((p.example.intent, p.intent) for p in predictions if p.intent != p.example.intent)
    return {
        "accuracy": round(sum(hits.values()) / len(predictions), 4) if predictions else 0.0,
        "macro_f1": round(macro, 4),
        "per_intent": per_intent,
        "entities": entities,
        "confusions": [{"gold": g, "predicted": q, "count": n}
                       for (g, q), n in confusions.most_common() if n > 1],
        "examples": len(predictions),
    }


def format_report(report: dict) -> str:
    lines = [f"{'intent':<18}{'precision':>10}{'recall':>10}{'f1':>8}{'support':>9}"]
    for name, v in report["per_intent"].items():
        lines.append(f"{name:<18}{v['precision']:>10.3f}{v['recall']:>10.3f}{v['f1']:>8.3f}{v['support']:>9}")
    lines.append(f"\naccuracy {report['accuracy']:.4f}   macro-F1 {report['macro_f1']:.4f}   "
                 f"({report['examples']} examples)\n")
    lines.append(f"{'entity':<18}{'precision':>10}{'recall':>10}{'f1':>8}{'support':>9}")
    for name, v in report["entities"].items():
        lines.append(f"{name:<18}{v['precision']:>10.3f}{v['recall']:>10.3f}{v['f1']:>8.3f}{v['support']:>9}")
    if report["confusions"]:
        lines.append("\nconfusions occurring more than once (gold -> predicted):")
        lines += [f"  {c['gold']} -> {c['predicted']}: {c['count']}" for c in report["confusions"]]
    return "\n".join(lines)


def evaluate(understanding, path: str | Path) -> dict:
    return score(predict(understanding, load_examples(path)))


def _entity_text(pairs) -> list[str]:
    return [f"{t}:{v}" for t, v in sorted(pairs, key=str)]


def misses(predictions: list[Prediction]) -> list[dict]:
    """Every message the bot gets wrong: the intent, or an entity missing or extra (as values)."""
    out = []
    for p in predictions:
        gold, got = Counter(p.example.entities), Counter(p.entities)
        missing, extra = gold - got, got - gold
        if p.intent == p.example.intent and not missing and not extra:
            continue
        out.append({"text": p.example.text, "gold": p.example.intent, "predicted": p.intent,
                    "confidence": round(p.confidence, 4),
                    "missing_entities": _entity_text(missing.elements()),
                    "extra_entities": _entity_text(extra.elements())})
    return out


def confusion(predictions: list[Prediction]) -> dict[str, dict[str, int]]:
    """gold intent -> predicted intent -> count, every cell that occurs (the diagonal included)."""
    table: dict[str, dict[str, int]] = {}
    for p in predictions:
        row = table.setdefault(p.example.intent, {})
        row[p.intent] = row.get(p.intent, 0) + 1
    return {g: dict(sorted(row.items())) for g, row in sorted(table.items())}


def format_misses(rows: list[dict]) -> str:
    lines = [f"misses ({len(rows)}): text | gold -> predicted (confidence) | entities -missing +extra"]
    for r in rows:
        ents = " ".join([f"-{e}" for e in r["missing_entities"]] + [f"+{e}" for e in r["extra_entities"]])
        mark = "" if r["gold"] != r["predicted"] else "  (intent right)"
        lines.append(f"  {r['text']} | {r['gold']} -> {r['predicted']} ({r['confidence']:.2f})"
                     f"{' | ' + ents if ents else ''}{mark}")
    return "\n".join(lines)


def decisions(predictions: list[Prediction], threshold: float, margin: float) -> tuple[int, int, int]:
    """(correct answers, wrong answers, clarifications) the dialogue engine would give: it answers
    when the confidence reaches the threshold and the top two intents differ by the margin."""
    right = wrong = asked = 0
    for p in predictions:
        if p.confidence >= threshold and p.margin >= margin:
            if p.intent == p.example.intent:
                right += 1
            else:
                wrong += 1
        else:
            asked += 1
    return right, wrong, asked


def choose_threshold(predictions: list[Prediction]) -> tuple[float, float, tuple[int, int, int]]:
    """The (threshold, margin) maximising correct minus wrong answers; ties go to the lower values
    (ask less). A clarification costs a turn, a wrong answer costs the customer's trust."""
    best = None
    for t in [i / 100 for i in range(0, 96, 5)]:
        for m in [i / 100 for i in range(0, 51, 5)]:
            r, w, a = decisions(predictions, t, m)
            key = (r - w, -t, -m)
            if best is None or key > best[0]:
                best = (key, t, m, (r, w, a))
    return best[1], best[2], best[3]
