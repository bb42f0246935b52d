"""From one message to clause findings and record rows: the one pipeline chat, complaints and
imports all go through, so a number in a report means the same thing whatever its source."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..nlu.catalog_sync import alias_map
from ..nlu.normalize import normalize
from .aspects import find_aspects
from .clauses import bare, split_clauses
from .general_words import general_score
from .learned import model
from .lexicon import HEDGES, NOT_OPINIONS
from .sentiment import label, rule_score
from .suggestions import delivery_preference, extract_suggestion

_INCIDENT = re.compile(r"烂|坏了|坏的|发霉|长毛|变质|过期|碎|破损|压坏|压扁|漏|少了|缺斤|发错|没收到|丢了|拉肚子|过敏|"
                       r"虫|头发|胀包|臭|异物|少发|漏发")


# The lexicon's negation and degree rules (不太甜, 有点咸) beside the learned n-grams, at the weight
# that measured best across categories (bench/feedback_quality.md).
LEXICON_WEIGHT = 1.5
# The model's prior (its intercept, fitted on whole reviews) at half weight: a short chat message
# is not a review, and full weight tips 「不贵」 to negative.
BIAS_WEIGHT = 0.5
# A clause whose evidence is this weak describes rather than judges (「约70mm，总重约4斤」): chosen
# on the 200 hand-labelled fruit/dairy reviews (evals/data/fruit_aspect_labels.csv) (0.5: aspect precision 0.899; 0.8: 0.912, recall 0.798; 1.0: 0.920, 0.779).
CLAUSE_NEUTRAL = 0.8
# The whole message read by the model once more, beside its clauses, at this weight (no intercept):
# clause scores miss what only the whole says (a polite book review that never praises), and
# leave-one-category-out this measured best (bench/feedback_quality.md: 0.25 / 0.35 / 0.5 / 1 →
# mean 0.857 / 0.857 / 0.856 / 0.854 against 0.853 without; make bench-feedback: 0.853 → 0.856, and
# fruit+dairy held out 0.916 → 0.919).
REVIEW_WEIGHT = 0.35
# A clause that sums up (「总的来说还不错」, or 「总体来说，」 and the clause after it) counts this many
# times in the review's verdict: long hotel reviews list faults and end 「总的来说还可以」. Leave-one-
# category-out (bench/feedback_quality.md, fourth pass): ×1.5 / 2 / 3 → mean +0.0006 / +0.0009 / +0.0009.
SUMMARY_WEIGHT = 2.0
# A message longer than this whose clauses all hedged (不知道, 还没吃) is still judged by its whole; a
# short one (「还没吃，不知道好不好」) stays neutral: it is no verdict yet.
HEDGED_REVIEW = 15
# Each word of the general opinion lists (general_words.py: 平庸, 凌乱, 冗杂) adds this to its clause.
# Leave-one-category-out with the fold models (bench/feedback_quality.md, fifth pass): 0 / 0.75 / 1 /
# 1.25 / 1.5 → mean 0.8649 / 0.8732 / 0.8742 / 0.8749 / 0.8750. Above 1 only 蒙牛 (posts about the
# company) still gains; 书籍, 水果, 酒店 and the written reviews of other goods each lose a little.
GENERAL_WEIGHT = 1.0
# The whole message's mean word vector read along the learned model's vector direction (learned.py),
# at this weight. Leave-one-category-out with the fold models (bench/feedback_quality.md, seventh pass):
# 0 / 0.3 / 0.5 / 1 → mean 0.8756 / 0.8774 / 0.8767 / 0.8754; at 1 书籍 gains and 蒙牛 loses.
VECTOR_WEIGHT = 0.3
# Only for messages longer than this: the mean vector of a few words is their topic, not a verdict
# (「风扇噪音很小」 sits beside complaints because 噪音 does). Leave-one-category-out 0.8770 against
# 0.8774 for every message (noise); short chat messages stay with the rules and n-grams.
VECTOR_MIN_TEXT = 15
_SUMMARY = re.compile(r"总的来说|总体|总之|整体|综合|总而言之|总得来说|总的说|总结|总评|总的感觉|一句话")

# Analysis reads at most this much of a message, and of any one clause: the rule and lexicon
# patterns cost more than linear time on one long run of text (20,000 characters of one clause took
# 9-35 s), and no real review needs more (of 25,884 shared reviews, 3 are longer than 2,000
# characters; of their 208,215 clauses, 7 are longer than 200).
MAX_TEXT = 2000
MAX_CLAUSE = 200

_NOT_OPINIONS = re.compile("|".join(map(re.escape, sorted(NOT_OPINIONS, key=len, reverse=True))))
# 「不知道为什么多扣了30块钱」 complains; only 不知道 about what is to come (好不好吃) hedges
_HEDGES = re.compile("|".join(re.escape(h) + ("(?!为什么|为啥|怎么回事|怎么搞|是什么原因)" if h == "不知道" else "")
                              for h in HEDGES))


@dataclass
class Finding:
    """One clause: what it is about, how it feels, what it asks for."""

    text: str
    aspects: list[str]
    score: float
    suggestion: str | None = None
    delivery_preference: str | None = None
    ruled: bool = False  # an opinion word of the rules spoke (有点淡): a verdict however weak
    weight: float = 1.0  # in the review's verdict (SUMMARY_WEIGHT for a summing-up clause)

    @property
    def sentiment(self) -> str:
        return label(self.score if self.ruled or abs(self.score) >= CLAUSE_NEUTRAL else 0.0)


@dataclass
class Analysis:
    text: str
    findings: list[Finding] = field(default_factory=list)
    product: str | None = None
    whole: float = 0.0  # the model's evidence on the whole message, without its intercept
    vector: float = 0.0  # the whole message's mean word vector along the model's vector direction

    @property
    def score(self) -> float:
        """Sum of clause scores, the whole message's evidence and the model's prior; a message with no
        judging clause has none."""
        scores = [f.score * f.weight for f in self.findings]
        whole = REVIEW_WEIGHT * self.whole + VECTOR_WEIGHT * self.vector
        if any(scores):
            return BIAS_WEIGHT * model().bias + sum(scores) + whole
        if len(self.text) > HEDGED_REVIEW and whole:
            # 「不知道说了些什么……」: a hedge word silenced every clause of a long review, but the whole
            # still judges (leave-one-category-out +0.0009, neutral verdicts 0.14% → 0)
            return BIAS_WEIGHT * model().bias + whole
        return 0.0

    @property
    def sentiment(self) -> str:
        return label(self.score)

    @property
    def incident(self) -> bool:
        """Something went wrong with an order (rotten, broken, missing): worth a complaint ticket."""
        return any(f.score < 0 and _INCIDENT.search(f.text) for f in self.findings)

    @property
    def aspects(self) -> list[str]:
        return list(dict.fromkeys(r["aspect"] for r in self.records() if r["aspect"] != "other"))

    def records(self) -> list[dict]:
        """Rows for the supply chain: one per clause and aspect; a bare 好评 still counts as `other`."""
        rows = []
        alone = len(self.findings) == 1  # a one-clause message: its verdict is the clause's
        for f in self.findings:
            sentiment = f.sentiment
            if f.aspects and not f.suggestion and (alone or (sentiment == "neutral" and f.score)):
                # 「信号比以前好多了」「拍照糊」: too weak to judge alone, so the review's verdict is its
                # verdict, whichever way its n-grams lean (they barely lean: |score| < 0.8). Measured
                # (bench/feedback_quality.md): first with a same-lean condition, aspect found on 156 written
                # reviews 0.833 → 0.910, 200 fruit/dairy labels P 0.917 → 0.904, R 0.813 → 0.834; then
                # without it (issue 15, fourth pass) P 0.914 → 0.899, R 0.847 → 0.871, retail clauses R
                # 0.905 → 0.922 at the same precision.
                sentiment = self.sentiment
            if not (sentiment != "neutral" or f.suggestion or f.delivery_preference):
                continue  # 「约70mm，总重约4斤」 describes, it does not judge
            aspects = f.aspects or (["delivery"] if f.delivery_preference else ["other"])
            for aspect in aspects:
                rows.append({"product": self.product, "aspect": aspect, "sentiment": sentiment,
                             "suggestion": f.suggestion, "delivery_preference": f.delivery_preference,
                             "text": f.text})
        if not rows and self.text:
            rows.append({"product": self.product, "aspect": "other", "sentiment": self.sentiment,
                         "suggestion": None, "delivery_preference": None, "text": self.text})
        return rows


class ProductMatcher:
    """Catalog names and their unambiguous aliases, longest first (丹东草莓 before 草莓); 薯片 names
    two products, so it names none."""

    def __init__(self, catalog: list[tuple[str, list[str]]]) -> None:
        names = {name for name, _ in catalog}
        self.terms = {term: name for term, name in alias_map(catalog).items() if name in names}
        ordered = sorted(self.terms, key=len, reverse=True)
        self.pattern = re.compile("|".join(map(re.escape, ordered))) if ordered else None

    def find(self, text: str) -> str | None:
        m = self.pattern.search(text) if self.pattern else None
        return self.terms[m.group(0)] if m else None


def clause_evidence(clause: str, plain: str) -> tuple[float, bool]:
    """Learned n-grams plus the weighted rules; where a negation turned an opinion word around
    (不咸, 没有一个烂的), the rules give the direction and the model may only add to it."""
    rules, turned = rule_score(plain)
    learned = model().clause_score(clause) + GENERAL_WEIGHT * general_score(plain)
    if turned:
        return LEXICON_WEIGHT * rules + max(0.0, learned if rules > 0 else -learned) * (1 if rules > 0 else -1), True
    score = learned + LEXICON_WEIGHT * rules
    return score, rules != 0 and (score > 0) == (rules > 0)


def analyze(text: str, matcher: ProductMatcher | None = None, product: str | None = None) -> Analysis:
    """`product` is the fallback when the text names none (the customer's latest order, a file's category)."""
    text = normalize((text or "")[:MAX_TEXT])
    analysis = Analysis(text)
    analysis.product = (matcher.find(text) if matcher else None) or product
    previous: list[str] = []
    summing = False  # the clause before was only 「总的来说」: this one is the summary
    for clause in split_clauses(text):
        clause = clause[:MAX_CLAUSE]
        suggestion = extract_suggestion(clause)
        plain = _NOT_OPINIONS.sub(lambda m: "＿" * len(m.group(0)), clause)
        aspects = find_aspects(plain)
        score, ruled = (0.0, False) if _HEDGES.search(plain) else clause_evidence(clause, plain)
        if suggestion:
            # 「就好了」 is a wish, not praise; 「有点咸，建议少放点盐」: the wish is about the taste.
            score = min(score, 0.0)
            aspects = aspects or previous
        summary = _SUMMARY.search(clause)
        weight = SUMMARY_WEIGHT if summary or summing else 1.0
        summing = bool(summary) and len(clause) - len(summary.group(0)) <= 2
        analysis.findings.append(Finding(bare(clause), aspects, score, suggestion, delivery_preference(clause, text),
                                         ruled, weight))
        previous = aspects
    if not (len(analysis.findings) == 1 and rule_score(plain)[1]):
        # One clause the rules turned around (不贵): the n-grams of the whole are those of the clause,
        # and they must not undo the negation the clause score protects.
        analysis.whole = model().clause_score(text)
        analysis.vector = model().vector_score(text) if len(text) > VECTOR_MIN_TEXT else 0.0
    return analysis
