"""The round tests' app: demo data and the WeChat stand-in."""
import pytest

from bot.demo import seed


@pytest.fixture
def rounds_app(make_app, fake_wechat):
    app = make_app(WECHAT_API_BASE=fake_wechat.url, WECHAT_APP_SECRET="test-secret-wx")
    seed(app.extensions["xiaoer"])
    return app
