"""A Rasa dense featurizer over our word vectors (bot/vectors), for the classifier to reach words
the training examples never used: a customer's 褪色 lands near the 掉色 we wrote.

Rasa's own dense featurizers need spaCy, MITIE or a Hugging Face download; none has Chinese
vectors that install from PyPI. This one reads the tokens JiebaTokenizer set and adds, per token,
its vector (a word the table lacks: the mean of its characters) and, for the sentence, their mean.
The table is loaded once per process (`word_vectors()`), shared by every parse.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import DENSE_FEATURIZABLE_ATTRIBUTES, FEATURIZER_CLASS_ALIAS, TOKENS_NAMES
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, FEATURE_TYPE_SEQUENCE
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from ..vectors import word_vectors

SCALE = "scale"
POOLING = "pooling"
POOLINGS = ("mean", "mean_max")


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class WordVectorFeaturizer(DenseFeaturizer, GraphComponent):
    """`scale` multiplies the unit-length vectors: beside thousands of 0/1 count features the
    classifier's one regularisation weight otherwise leaves 75 small numbers nearly unheard.
    `pooling: mean_max` adds the per-dimension maximum to the sentence's mean (bench/nlu_pipelines.md)."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {**DenseFeaturizer.get_default_config(), SCALE: 1.0, POOLING: "mean"}

    def __init__(self, config: Dict[Text, Any], name: Text) -> None:
        super().__init__(name, config)
        self.vectors = word_vectors()
        self.scale = float(self._config[SCALE])
        self.pooling = self._config[POOLING]

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> GraphComponent:
        return cls(config, execution_context.node_name)

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        if float(config.get(SCALE, 1.0)) <= 0:
            raise ValueError(f"{cls.__name__}: scale must be positive, got {config.get(SCALE)!r}")
        if config.get(POOLING, "mean") not in POOLINGS:
            raise ValueError(f"{cls.__name__}: pooling must be one of {POOLINGS}, got {config.get(POOLING)!r}")

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            for attribute in DENSE_FEATURIZABLE_ATTRIBUTES:
                self._featurize(message, attribute)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def _featurize(self, message: Message, attribute: Text) -> None:
        tokens = message.get(TOKENS_NAMES[attribute])
        if not tokens:
            return
        zero = np.zeros(self.vectors.dim, dtype=np.float32)
        rows = [self.vectors.vector(t.text) for t in tokens]
        sequence = np.stack([zero if r is None else r for r in rows]) * self.scale
        known = [r for r in rows if r is not None]
        pooled = [np.mean(known, axis=0) if known else zero]
        if self.pooling == "mean_max":  # the strongest value of each dimension: one telling word is not averaged away
            pooled.append(np.max(known, axis=0) if known else zero)
        sentence = np.concatenate(pooled)[np.newaxis, :] * self.scale
        alias = self._config[FEATURIZER_CLASS_ALIAS]
        message.add_features(Features(sequence, FEATURE_TYPE_SEQUENCE, attribute, alias))
        message.add_features(Features(sentence, FEATURE_TYPE_SENTENCE, attribute, alias))
