"""Feedback analysis on goods it was not trained on (issue 15): sentiment leave-one-category-out on
the shared reviews, aspect coverage per category, and speed. Prints the table of
bench/feedback_quality.md on every `make eval`, and fails when a figure falls below its floor."""
import time
from collections import Counter

from bot.feedback.analysis import analyze
from bot.feedback.crosscheck import leave_one_out, table
from bot.feedback.learned import load
from bot.feedback.training import read_labelled

# Measured 2026-12-01 (bench/feedback_quality.md); floors a little under, so noise does not flap.
MIN_UNSEEN_MEAN = 0.86       # measured 0.876 (h15g, word-vector direction), 0.875 (h15e, general opinion words; 0.865 h15c, 0.861 h15b, 0.856 before); goal 0.90, not reached
MIN_UNSEEN_EACH = 0.79       # books 0.811 is the lowest (h15e; 0.806 before)
MAX_NEUTRAL = 0.01           # measured 0.0-0.1%
# measured (h15g) 0.888, 0.949, 0.927, 0.634 (h15f: 0.880, 0.946, 0.926, 0.621; h15e: 0.563, h15c: 0.519); 蒙牛 rows mostly talk about the company, so its floor is low
MIN_ASPECT_FOUND = {"书籍": 0.86, "酒店": 0.93, "水果": 0.91, "蒙牛": 0.60}
MAX_MS_PER_REVIEW = 5.0


def test_sentiment_on_unseen_categories(shared_file):
    rows = read_labelled([shared_file("fruit_dairy_reviews.csv"), shared_file("books_hotel_reviews.csv")])
    results = leave_one_out(rows)
    print("\nfeedback sentiment, leave one category out (neutral counts as wrong):\n" + table(results))
    shipped = {c: r["shipped"] for c, r in results.items()}
    mean = sum(r["accuracy"] for r in shipped.values()) / len(shipped)
    assert mean >= MIN_UNSEEN_MEAN, shipped
    assert all(r["accuracy"] >= MIN_UNSEEN_EACH for r in shipped.values()), shipped
    assert all(r["neutral_share"] <= MAX_NEUTRAL for r in shipped.values()), shipped
    lexicon = sum(r["lexicon"]["accuracy"] for r in results.values()) / len(results)
    # the learned part earns its place: 0.875 against 0.837 for the rules with the general opinion words
    # (h15e; before them the rules alone were 0.775)
    assert mean > lexicon + 0.02


def test_aspect_found_and_speed(shared_file):
    rows = read_labelled([shared_file("fruit_dairy_reviews.csv"), shared_file("books_hotel_reviews.csv")])
    load()
    found, total = Counter(), Counter()
    started = time.perf_counter()
    for category, _, text in rows:
        total[category] += 1
        found[category] += bool(analyze(text).aspects)
    ms = (time.perf_counter() - started) * 1000 / len(rows)
    shares = {c: round(found[c] / total[c], 3) for c in total}
    print(f"\nreviews with an aspect found: {shares}; {ms:.2f} ms per review")
    for category, floor in MIN_ASPECT_FOUND.items():
        assert shares[category] >= floor, shares
    assert ms < MAX_MS_PER_REVIEW
