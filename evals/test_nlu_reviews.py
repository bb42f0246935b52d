"""Real customers' reviews of fruit and dairy are opinions or complaints: the NLU must route them to
`feedback` or `complaint`. A fixed sample keeps the figure comparable between runs."""
from bot.nlu import Understanding
from bot.nlu.evaluation import catalog_aliases
from bot.nlu.reviews import load_reviews, route

MIN_REVIEW_SHARE = 0.93  # full file: 0.9518 (bench/nlu_pipelines.md)


def test_real_reviews_go_to_feedback_or_complaint(shared_file, nlu_engine):
    texts = load_reviews(shared_file("fruit_dairy_reviews.csv"), sample=500, seed=7)
    result = route(Understanding(nlu_engine, catalog_aliases()), texts)
    print(f"\nreal reviews -> feedback/complaint: {result['share']:.4f} of {result['reviews']}; rest {result['rest']}")
    assert result["reviews"] == 500
    assert sum(result["intents"].values()) == 500
    assert result["share"] >= MIN_REVIEW_SHARE, result["rest"]
