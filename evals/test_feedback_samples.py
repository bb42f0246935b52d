"""Feedback analysis on fixed samples of the shared fruit and dairy reviews (text read from the
shared file at run time; the repository keeps row numbers and our labels only)."""
from bot.feedback.lexicon import ASPECTS
from bot.feedback.quality import aspect_quality, sentiment_quality
from evals.samples import FRUIT_DAIRY, aspect_labels, sentiment_sample


def test_sentiment_accuracy_on_fixed_sample(shared_file, tmp_path):
    q = sentiment_quality(sentiment_sample(shared_file(FRUIT_DAIRY), tmp_path / "sample.csv"))
    print(f"\nfixed fruit/dairy sample: sentiment {q.sentiment_accuracy:.3f}, aspect found {q.aspect_share:.3f}")
    assert q.reviews == 602
    assert q.sentiment_accuracy >= 0.82 and q.aspect_share >= 0.7


def test_aspect_precision_recall_on_hand_labels(shared_file, tmp_path):
    # labelled with the ten original codes, before quality/function/...: both sides limited to them
    q = aspect_quality(aspect_labels(shared_file(FRUIT_DAIRY), tmp_path / "labels.csv"), codes=ASPECTS[:10])
    print(f"\n200 hand-labelled fruit/dairy reviews: aspect precision {q['precision']:.3f}, recall {q['recall']:.3f}")
    # Issue 15's fourth pass traded 0.015 of precision for 0.024 of recall (0.914 / 0.847 -> 0.899 / 0.871,
    # F1 0.879 -> 0.885): the floors follow, with recall's raised so the gain stays.
    assert q["precision"] >= 0.89 and q["recall"] >= 0.85
