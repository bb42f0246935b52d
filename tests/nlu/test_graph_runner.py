"""The prediction graph run in plain order, with the classifier's lighter feature matrix
(bot/nlu/graph.py), answers exactly as Rasa's dask runner and its own components."""
import asyncio
from pathlib import Path

import pytest

from bot.nlu import graph
from bot.nlu.evaluation import load_examples
from bot.nlu.graph import InOrderRunner

pytestmark = pytest.mark.timeless  # NLU answers do not depend on the date: not repeated under moved clocks

SETS = sorted((Path(__file__).parent).glob("*.yml"))


def test_every_text_parses_the_same_as_through_dask(nlu_engine, monkeypatch):
    (agent, lock), _, _ = nlu_engine._current
    in_order = agent.processor.graph_runner
    assert isinstance(in_order, InOrderRunner)  # what the engine serves with
    texts = sorted({e.text for path in SETS for e in load_examples(path)})
    texts += ["。。。", "草" * 500, "/greet", "DD2026110100123456 到哪了 13800000001"]
    assert len(texts) > 1000
    loop = asyncio.new_event_loop()

    def parse_all() -> list[dict]:
        return [loop.run_until_complete(agent.parse_message(text)) for text in texts]

    assert in_order.lightened  # the classifier's feature matrix is built the lighter way
    # Counted when the lighter way hands messages back to Rasa's (features it cannot lay out): the
    # served pipeline's features, sparse and (with word vectors) dense, must be laid out for every text.
    fallbacks, rasas_way = [], graph._rasa_create_X
    monkeypatch.setattr(graph, "_rasa_create_X",
                        lambda component, messages: fallbacks.append(len(messages)) or rasas_way(component, messages))
    with lock:
        ours = parse_all()
        monkeypatch.undo()
        assert not fallbacks
        # Rasa's own dask runner and its components' own methods, as loaded
        agent.processor.graph_runner = in_order._runner
        lighter = [(component, name, component.__dict__.pop(name)) for component, name in in_order.lightened]
        try:
            theirs = parse_all()
        finally:
            agent.processor.graph_runner = in_order
            for component, name, method in lighter:
                setattr(component, name, method)
    loop.close()
    differ = [(t, a, b) for t, a, b in zip(texts, ours, theirs) if a != b]
    assert not differ, differ[:3]


def test_a_parse_asked_from_a_thread_that_runs_an_event_loop(nlu_engine):
    """The dialogue may run on the caller's own thread (bot/wechat/inline.py); a caller inside an
    event loop (an async server, a browser-driving test) gets the same answer, not a nested-loop error."""
    import asyncio

    async def inside():
        return nlu_engine.parse("你好呀 我想问问接龙的事", timeout=5)
    misses = nlu_engine.cache.misses
    inside_loop = asyncio.run(inside())
    assert nlu_engine.cache.misses == misses + 1  # parsed there, not answered from the cache
    outside = nlu_engine.parse("你好呀 我想问问接龙的事", timeout=5)
    assert (inside_loop.intent, inside_loop.confidence) == (outside.intent, outside.confidence)
