"""A product a merchant adds to the catalog reaches the NLU: `sync-catalog` writes it into the
lookup table, synonyms and jieba dictionary, and a model retrained on that data extracts it."""
import shutil

import pytest

import yaml

from bot.nlu import LocalRasa, Understanding
from bot.nlu.catalog_sync import alias_map, write_catalog
from bot.nlu.training import NLU_DIR, train
from bot.demo import seed

pytestmark = pytest.mark.timeless  # NLU answers do not depend on the date: not repeated under moved clocks


def _with_new_product(services):
    seed(services)
    return services.catalog() + [("阳光玫瑰", ["阳光玫瑰葡萄", "晴王葡萄"])]


def test_generated_files_contain_a_new_product(services, tmp_path):
    products = _with_new_product(services)
    assert write_catalog(products, tmp_path) is True
    assert write_catalog(products, tmp_path) is False  # unchanged data: no retrain due
    catalog = yaml.safe_load((tmp_path / "nlu" / "catalog.yml").read_text(encoding="utf-8"))["nlu"]
    lookup = next(item for item in catalog if item.get("lookup") == "product")["examples"]
    assert "- 阳光玫瑰\n" in lookup and "- 晴王葡萄\n" in lookup
    synonym = next(item for item in catalog if item.get("synonym") == "阳光玫瑰")["examples"]
    assert "- 晴王葡萄" in synonym and "- 阳光玫瑰葡萄" in synonym
    assert "阳光玫瑰 2000 nz" in (tmp_path / "jieba" / "userdict.txt").read_text(encoding="utf-8").splitlines()
    assert alias_map(products)["晴王葡萄"] == "阳光玫瑰"


def test_new_product_is_recognised_after_retraining(services, tmp_path):
    """A real (small-data, same pipeline) retrain: the nlu_data copy gets the new catalog; the model's
    own extractor must find the product, not only the rule that matches catalog names afterwards."""
    products = _with_new_product(services)
    data = tmp_path / "nlu_data"
    shutil.copytree(NLU_DIR, data)
    write_catalog(products, data)
    config = (NLU_DIR / "config.yml").read_text(encoding="utf-8")
    (data / "config.yml").write_text(config.replace("dictionary_path: nlu_data/jieba",
                                                    f"dictionary_path: {data / 'jieba'}"), encoding="utf-8")
    model, seconds = train(tmp_path / "models", nlu_dir=data)
    assert seconds is not None
    engine = LocalRasa(str(model))
    engine.start(background=False)
    understanding = Understanding(engine, alias_map(products))
    for text in ["阳光玫瑰还有货吗", "我想接龙两斤阳光玫瑰", "晴王葡萄今天有吗"]:
        result = understanding.parse(text)
        assert result.first("product") == "阳光玫瑰", (text, result.entities)
    raw = engine.parse("阳光玫瑰还有货吗")
    assert any(e.type == "product" and e.text == "阳光玫瑰" for e in raw.entities), raw.entities
