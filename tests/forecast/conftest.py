"""The forecast tests' app: the demo data, with its 120 days of demand history."""
import pytest

from bot.demo import seed


@pytest.fixture
def demo_app(make_app):
    app = make_app()
    seed(app.extensions["xiaoer"])
    return app
