"""Candidate aspect words from the word vectors: the nearest neighbours of the words already filed
under each aspect code, with how the shared reviews use them. A person reads each candidate's clauses
and files it (bot/feedback/lexicon.py, `ASPECT_*_NEIGHBOURS`) or drops it; most neighbours are not
aspect words at all (舒服 → 感觉, 次日 → 晚上), so nothing is filed without that reading.

    .venv/bin/python bench/aspect_neighbours.py [K] [MIN_COSINE] [--examples N]   # needs ../shared/data and make vectors

Per candidate: the code its seeds vote for, the best cosine, how many shared clauses use it, how many
of those found no aspect yet (what filing it would add), and `agree`: of the aspects already found in
the clauses that use it, the share that is the candidate's code (a hint, not a verdict: 距离 agrees
with `location` 0.85, 感觉 with `comfort` 0.11).
"""
from __future__ import annotations

import random
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def candidates(k: int, min_cosine: float) -> dict[str, Counter]:
    """{word: votes per aspect code} for neighbours not yet in any list (nor owned by NOT_ASPECTS)."""
    from bot.feedback import lexicon
    from bot.vectors import word_vectors

    wv = word_vectors()
    listed = {w for table in (lexicon.ASPECT_NOUNS, lexicon.ASPECT_WORDS) for ws in table.values() for w in ws}
    listed |= set(lexicon.NOT_ASPECTS)
    votes: dict[str, Counter] = defaultdict(Counter)
    for code in lexicon.ASPECTS:
        seeds = {w for table in (lexicon.ASPECT_NOUNS, lexicon.ASPECT_WORDS) for w in table.get(code, ())}
        for seed in sorted(s for s in seeds if len(s) > 1 and wv.known(s)):
            for word, cosine in wv.similar(seed, k):
                if cosine >= min_cosine and len(word) > 1 and word not in listed:
                    votes[word][code] += 1
    return votes


def main(argv: list[str]) -> None:
    from bot.feedback.aspects import find_aspects
    from bot.feedback.clauses import split_clauses
    from bot.feedback.training import read_labelled
    from evals import SHARED_DATA

    examples = int(argv[argv.index("--examples") + 1]) if "--examples" in argv else 0
    args = [a for a in argv if not a.startswith("--")][: 2]
    k, min_cosine = (int(args[0]) if args else 15), (float(args[1]) if len(args) > 1 else 0.6)
    votes = candidates(k, min_cosine)
    pattern = re.compile("|".join(map(re.escape, sorted(votes, key=len, reverse=True))))
    uses: dict[str, list[tuple[str, str, tuple[str, ...]]]] = defaultdict(list)
    for category, _, text in read_labelled(sorted(SHARED_DATA.glob("*_reviews.csv"))):
        for clause in split_clauses(text):
            for word in set(pattern.findall(clause)):
                uses[word].append((category, clause, tuple(find_aspects(clause))))
    random.seed(1)
    rows = []
    for word, vote in votes.items():
        found = uses.get(word, [])
        if len(found) < 3:
            continue
        code = vote.most_common(1)[0][0]
        none = [u for u in found if not u[2]]
        others = Counter(a for u in found for a in u[2])
        rows.append((len(none), word, code, len(found), others[code] / (sum(others.values()) or 1),
                     Counter(u[0] for u in none), random.sample(none, min(examples, len(none)))))
    for n_none, word, code, n, agree, cats, sample in sorted(rows, reverse=True):
        print(f"{word}\t{code}\tuses {n}\tno aspect yet {n_none}\tagree {agree:.2f}\t{dict(cats)}")
        for _, clause, _ in sample:
            print(f"    {clause[:60]}")


if __name__ == "__main__":
    main(sys.argv[1:])
