"""The classifier's lighter feature matrix (bot/nlu/graph.py) against Rasa's own, on messages built
here: sparse sentence features of two featurizers and the dense sentence features a word-vector
featurizer adds must land in the same columns with the same values, so a pipeline with dense
features keeps the lighter (faster) path instead of falling back to Rasa's."""
import numpy as np
import pytest
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, FEATURE_TYPE_SEQUENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from scipy.sparse import csr_matrix

from bot.nlu import graph

pytestmark = pytest.mark.timeless


def _message(words: list[int], chars: list[int], vector: list[float]) -> Message:
    message = Message(data={TEXT: "x"})
    for origin, hits, width in (("words", words, 6), ("chars", chars, 4)):
        row = np.zeros((1, width))
        row[0, hits] = 1
        message.add_features(Features(csr_matrix(np.vstack([row, row])), FEATURE_TYPE_SEQUENCE, TEXT, origin))
        message.add_features(Features(csr_matrix(row), FEATURE_TYPE_SENTENCE, TEXT, origin))
    dense = np.array([vector], dtype=np.float32)
    # the dense featurizer runs first in the pipeline: Rasa still puts its columns after every sparse one
    message.features.insert(0, Features(dense, FEATURE_TYPE_SENTENCE, TEXT, "vectors"))
    message.features.insert(0, Features(np.vstack([dense, dense]), FEATURE_TYPE_SEQUENCE, TEXT, "vectors"))
    return message


def test_dense_sentence_features_are_laid_out_as_rasa_does(monkeypatch):
    messages = [_message([0, 5], [1], [0.5, 0.0, -1.25]), _message([2], [0, 3], [0.0, 2.0, 0.75])]
    fallbacks = []
    rasas_way = graph._rasa_create_X
    monkeypatch.setattr(graph, "_rasa_create_X",
                        lambda component, msgs: fallbacks.append(len(msgs)) or rasas_way(component, msgs))
    ours = graph._sentence_features_only(None, messages)
    assert not fallbacks
    theirs = LogisticRegressionClassifier._create_X(None, messages)
    assert ours.shape == theirs.shape == (2, 6 + 4 + 3)
    assert np.array_equal(ours.toarray(), theirs.toarray())
    assert list(ours[0].toarray()[0, 10:]) == [0.5, 0.0, -1.25]
