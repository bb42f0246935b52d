"""Members fixtures: the demo data (alice, M0001, with points from her signed-for order)."""
from __future__ import annotations

import pytest

from bot.demo import seed
from tests.shop.conftest import build, order_server, wechat  # noqa: F401  (the shop's app with demo data)
from tests.tickets.conftest import clients, console_app  # noqa: F401  (demo data, one account per role)


@pytest.fixture
def demo(services):
    seed(services)
    return services


def api_headers():
    return {"Authorization": "Bearer test-api-token"}
