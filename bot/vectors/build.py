"""Builds models/vectors/ from the vectors inside the cnsyn wheel (`make vectors`).

cnsyn ships its table as a pickled scikit-learn BallTree; the tree is only read here, once, at
install time, so the bot never unpickles anything at start-up and does not import cnsyn (whose
module opens its own search index on import). Kept: words written wholly in Chinese characters,
up to four of them (what jieba cuts and customers type; drops the encyclopedia's names in Latin,
Korean and markup), as unit-length float16 rows.
"""
from __future__ import annotations

import argparse
import importlib.util
import re
import sys
from pathlib import Path

import numpy as np

from .store import MATRIX, VECTORS_DIR, WORDS

SOURCE = "cnsyn"
CHINESE = re.compile(r"^[\u4e00-\u9fff]{1,4}$")

SOURCE_NOTE = """# Word vectors

Built by `make vectors` (bot/vectors/build.py) from the PyPI package cnsyn {version} (Apache License 2.0,
https://github.com/shangfr/Chinese-Synonyms): its `query/words_tree_mini.m`, PaddleNLP TokenEmbedding
vectors reduced to 75 dimensions. Kept {rows} of {total} words (Chinese characters only, at most four),
unit length, float16. Not committed: rebuilt from the installed package.
"""


def source_file() -> Path:
    spec = importlib.util.find_spec(SOURCE)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("cnsyn is not installed: run `make install` (it is in requirements.txt)")
    return Path(list(spec.submodule_search_locations)[0]) / "query" / "words_tree_mini.m"


def build(out: Path) -> int:
    import joblib  # comes with scikit-learn, which the pickle needs anyway
    from importlib.metadata import version

    table = joblib.load(source_file())
    matrix = np.asarray(table["model"].get_arrays()[0], dtype=np.float32)
    words = list(table["words"])
    keep = [i for i, w in enumerate(words) if isinstance(w, str) and CHINESE.match(w)]
    kept = matrix[keep]
    kept /= np.maximum(np.linalg.norm(kept, axis=1, keepdims=True), 1e-9)
    out.mkdir(parents=True, exist_ok=True)
    tmp = out / (MATRIX + ".tmp.npy")
    np.save(tmp, kept.astype(np.float16))
    (out / (WORDS + ".tmp")).write_text("\n".join(words[i] for i in keep), encoding="utf-8")
    (out / "SOURCE.md").write_text(SOURCE_NOTE.format(version=version(SOURCE), rows=len(keep), total=len(words)), encoding="utf-8")
    tmp.replace(out / MATRIX)  # the matrix and its words change together or not at all
    (out / (WORDS + ".tmp")).replace(out / WORDS)
    return len(keep)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default=str(VECTORS_DIR))
    args = parser.parse_args(argv)
    rows = build(Path(args.out))
    print(f"word vectors: {rows} words -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
