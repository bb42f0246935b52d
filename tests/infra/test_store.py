"""The store's contract, run against both implementations: they must behave the same."""
import threading
import time

import pytest

from bot.infra.store import LockTimeout, MemoryStore, RedisStore


@pytest.fixture(params=["memory", "redis"])
def store(request):
    if request.param == "memory":
        return MemoryStore()
    return RedisStore(request.getfixturevalue("real_redis_url"))


def test_get_set_delete_and_ttl(store):
    assert store.get("k") is None
    store.set("k", "v")
    assert store.get("k") == "v"
    store.set("short", "x", ttl=0.2)
    assert store.get("short") == "x"
    time.sleep(0.3)
    assert store.get("short") is None
    store.delete("k")
    assert store.get("k") is None


def test_set_nx_only_first_wins_even_concurrently(store):
    wins = []

    def claim(i):
        if store.set_nx("claim", str(i), ttl=5):
            wins.append(i)
    threads = [threading.Thread(target=claim, args=(i,)) for i in range(20)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert len(wins) == 1 and store.get("claim") == str(wins[0])


def test_incr_and_hash_counters(store):
    assert store.incr("n") == 1
    assert store.incr("n", 4) == 5
    store.hincr_many("h", {"a": 1, "b": 0.5})
    store.hincr_many("h", {"a": 2, "b": 0.25})
    table = store.hgetall("h")
    assert float(table["a"]) == 3 and float(table["b"]) == 0.75


def test_lock_is_exclusive_and_times_out(store):
    order = []

    def worker(name):
        with store.lock("L", timeout=5, wait=5):
            order.append(f"{name}-in")
            time.sleep(0.1)
            order.append(f"{name}-out")
    threads = [threading.Thread(target=worker, args=(n,)) for n in ("a", "b")]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert order[0][:1] == order[1][:1] and order[2][:1] == order[3][:1]  # never interleaved
    with store.lock("held", timeout=5, wait=1):
        with pytest.raises(LockTimeout):
            with store.lock("held", timeout=5, wait=0.1):
                pass


def test_push_and_take_all_keep_order_and_empty_the_list(store):
    assert store.take_all("box") == []
    for item in ("a", "b", "c"):
        store.push("box", item, ttl=60)
    assert store.take_all("box") == ["a", "b", "c"]
    assert store.take_all("box") == []
