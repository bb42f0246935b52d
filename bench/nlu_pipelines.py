"""Compare NLU pipelines by measurement: held-out macro-F1, 5-fold cross-validation, entity F1,
training time, parse p50, model load time and RSS; then the threshold and margin from the
predictions. Every figure goes through the bot's own path (bot.nlu.Understanding).

    nice .venv/bin/python bench/nlu_pipelines.py [--pipelines lr_char13 diet] [--folds 5] [--reviews 2000]
    nice .venv/bin/python bench/nlu_pipelines.py --reviews-only nlu_data/config.yml   # full review file

Configurations live in bench/pipelines/*.yml; the chosen one is copied to nlu_data/config.yml.
Each model is loaded in a fresh subprocess so load time and RSS are that model's alone. Folds run
one after another (two shared cores). Results: bench/out/*.json and a Markdown table on stdout.
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.nlu.training import NLU_DIR, train  # noqa: E402

PIPELINES = ROOT / "bench" / "pipelines"
HELDOUT = ROOT / "tests" / "nlu" / "heldout.yml"
REALISTIC = ROOT / "tests" / "nlu" / "realistic.yml"  # the register of real shop chats (issue 13)
OUT = ROOT / "bench" / "out"


def measure(model: str, data: str, reviews: int | None, out: str, also: str | None = None) -> None:
    """Subprocess: load one model, time it, evaluate a file (and `also` a second one), optionally
    route reviews."""
    from bot.nlu import LocalRasa, Understanding
    from bot.nlu.evaluation import catalog_aliases, load_examples, predict, score
    from bot.nlu.reviews import load_reviews, route
    from evals import SHARED_DATA

    started = time.monotonic()
    engine = LocalRasa(model)
    engine.start(background=False)
    load_s = time.monotonic() - started
    understanding = Understanding(engine, catalog_aliases())
    examples = load_examples(data)
    understanding.parse("你好")  # first parse warms caches
    timings = []
    for ex in examples[:200]:
        t = time.perf_counter()
        understanding.parse(ex.text)
        timings.append((time.perf_counter() - t) * 1000)
    preds = predict(understanding, examples)
    result = {"load_s": round(load_s, 2), "parse_p50_ms": round(statistics.median(timings), 2),
              "rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
              "report": score(preds),
              "predictions": [[p.example.intent, p.intent, p.confidence, p.margin] for p in preds]}
    if also:
        also_preds = predict(understanding, load_examples(also))
        result["also"] = {"report": score(also_preds),
                          "predictions": [[p.example.intent, p.intent, p.confidence, p.margin] for p in also_preds]}
    if reviews is not None:
        result["reviews"] = route(understanding, load_reviews(SHARED_DATA / "fruit_dairy_reviews.csv", sample=reviews or None))
    Path(out).write_text(json.dumps(result, ensure_ascii=False))


def _measure_in_subprocess(model: Path, data: Path, reviews: int | None = None, also: Path | None = None) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        cmd = [sys.executable, __file__, "--measure", str(model), str(data), out.name]
        if reviews is not None:
            cmd += ["--reviews", str(reviews)]
        if also is not None:
            cmd += ["--also", str(also)]
        subprocess.run(cmd, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        return json.loads(Path(out.name).read_text())


def _folds(k: int, seed: int = 42):
    """Stratified by intent with a fixed seed; catalog lookups, synonyms and regexes stay in every
    training fold (they are generated data, not examples)."""
    from rasa.shared.nlu.training_data.loading import load_data
    from rasa.shared.nlu.training_data.training_data import TrainingData

    full = load_data(str(NLU_DIR / "nlu"))
    by_intent: dict[str, list] = {}
    for m in full.intent_examples:
        by_intent.setdefault(m.get("intent"), []).append(m)
    assignment: list[list] = [[] for _ in range(k)]
    rng = random.Random(seed)
    for intent in sorted(by_intent):
        msgs = by_intent[intent]
        rng.shuffle(msgs)
        for i, m in enumerate(msgs):
            assignment[i % k].append(m)
    for i in range(k):
        train_msgs = [m for j in range(k) if j != i for m in assignment[j]]
        yield (TrainingData(train_msgs, full.entity_synonyms, full.regex_features, full.lookup_tables),
               TrainingData(assignment[i]))


def run_pipeline(name: str, folds: int, reviews: int | None) -> dict:
    config = PIPELINES / f"{name}.yml"
    result: dict = {"pipeline": name}
    with tempfile.TemporaryDirectory() as models:
        model, seconds = train(models, force=True, config=config)
        result["train_s"] = round(seconds, 1)
        result["heldout"] = _measure_in_subprocess(model, HELDOUT, reviews, also=REALISTIC)
        result["realistic"] = result["heldout"].pop("also")
        print(f"{name}: held-out macro-F1 {result['heldout']['report']['macro_f1']}, realistic "
              f"{result['realistic']['report']['macro_f1']}", file=sys.stderr)
    cv_predictions, cv_reports = [], []
    for i, (train_data, test_data) in enumerate(_folds(folds) if folds > 1 else []):
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            (tmp / "nlu").mkdir()
            (tmp / "nlu" / "train.yml").write_text(train_data.nlu_as_yaml(), encoding="utf-8")
            (tmp / "test.yml").write_text(test_data.nlu_as_yaml(), encoding="utf-8")
            model, _ = train(tmp / "models", force=True, nlu_dir=tmp, config=config)
            fold = _measure_in_subprocess(model, tmp / "test.yml")
        cv_reports.append(fold["report"])
        cv_predictions += fold["predictions"]
        print(f"{name}: fold {i + 1} macro-F1 {fold['report']['macro_f1']}", file=sys.stderr)
    if cv_reports:
        result["cv"] = {"macro_f1": round(statistics.mean(r["macro_f1"] for r in cv_reports), 4),
                        "macro_f1_sd": round(statistics.pstdev(r["macro_f1"] for r in cv_reports), 4),
                        "accuracy": round(statistics.mean(r["accuracy"] for r in cv_reports), 4),
                        "predictions": cv_predictions,
                        "per_intent_f1": {i: round(statistics.mean(r["per_intent"][i]["f1"] for r in cv_reports), 4)
                                          for i in cv_reports[0]["per_intent"]}}
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"{name}.json").write_text(json.dumps(result, ensure_ascii=False, indent=1))
    return result


def threshold_from(predictions: list) -> tuple[float, float, tuple]:
    from bot.nlu.evaluation import Example, Prediction, choose_threshold

    preds = [Prediction(Example("", g), p, c, m, []) for g, p, c, m in predictions]
    return choose_threshold(preds)


def table(results: list[dict]) -> str:
    names = [r["pipeline"] for r in results]
    rows = [("realistic macro-F1", lambda r: r["realistic"]["report"]["macro_f1"] if "realistic" in r else "-"),
            ("realistic accuracy", lambda r: r["realistic"]["report"]["accuracy"] if "realistic" in r else "-"),
            ("held-out macro-F1", lambda r: r["heldout"]["report"]["macro_f1"]),
            ("held-out accuracy", lambda r: r["heldout"]["report"]["accuracy"]),
            ("5-fold CV macro-F1 (± sd)", lambda r: f"{r['cv']['macro_f1']} ± {r['cv']['macro_f1_sd']}" if "cv" in r else "-"),
            ("training time (s)", lambda r: r["train_s"]),
            ("model load (s)", lambda r: r["heldout"]["load_s"]),
            ("parse p50 (ms)", lambda r: r["heldout"]["parse_p50_ms"]),
            ("RSS after load + eval (MB)", lambda r: r["heldout"]["rss_mb"])]
    for etype in results[0]["heldout"]["report"]["entities"]:
        rows.append((f"entity F1 {etype} (held-out / realistic)",
                     lambda r, e=etype: f"{r['heldout']['report']['entities'].get(e, {}).get('f1', '-')} / "
                     + str(r.get("realistic", {}).get("report", {}).get("entities", {}).get(e, {}).get("f1", "-"))))
    if "reviews" in results[0]["heldout"]:
        rows.append(("reviews → feedback/complaint", lambda r: r["heldout"].get("reviews", {}).get("share", "-")))
    for intent in results[0]["heldout"]["report"]["per_intent"]:
        rows.append((f"F1 {intent} (realistic / held-out / CV)", lambda r, i=intent:
                     (f"{r['realistic']['report']['per_intent'][i]['f1']:.3f} / " if "realistic" in r else "- / ")
                     + f"{r['heldout']['report']['per_intent'][i]['f1']:.3f} / "
                     + (f"{r['cv']['per_intent_f1'][i]:.3f}" if "cv" in r else "-")))
    lines = ["| | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    lines += [f"| {label} | " + " | ".join(str(f(r)) for r in results) + " |" for label, f in rows]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pipelines", nargs="*", default=sorted(p.stem for p in PIPELINES.glob("*.yml")))
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--reviews", type=int, default=None, help="route a sample of N reviews (0: all)")
    ap.add_argument("--measure", nargs=3, metavar=("MODEL", "DATA", "OUT"))
    ap.add_argument("--also", help="with --measure: a second file evaluated on the same model")
    ap.add_argument("--reviews-only", metavar="CONFIG", help="train CONFIG, route every review")
    ap.add_argument("--table", action="store_true", help="print the table from bench/out/*.json only")
    args = ap.parse_args()
    if args.measure:
        model, data, out = args.measure
        return measure(model, data, args.reviews, out, args.also)
    if args.reviews_only:
        with tempfile.TemporaryDirectory() as models:
            model, _ = train(models, force=True, config=Path(args.reviews_only))
            print(json.dumps(_measure_in_subprocess(model, HELDOUT, 0)["reviews"], ensure_ascii=False, indent=1))
        return
    if args.table:
        results = [json.loads((OUT / f"{name}.json").read_text()) for name in args.pipelines]
    else:
        results = [run_pipeline(name, args.folds, args.reviews) for name in args.pipelines]
    print(table(results))
    for r in results:
        preds = r["heldout"]["predictions"] + r.get("cv", {}).get("predictions", []) \
            + r.get("realistic", {}).get("predictions", [])
        t, m, (right, wrong, asked) = threshold_from(preds)
        print(f"\n{r['pipeline']}: threshold {t}, margin {m} on held-out + CV predictions "
              f"({len(preds)}): {right} right, {wrong} wrong, {asked} clarifications")


if __name__ == "__main__":
    main()
