"""The round tests' app: demo data and the WeChat stand-in."""
import pytest

from bot.demo import seed


@pytest.fixture
def rounds_app(make_app, fake_wechat):
    app = make_app(WECHAT_API_BASE=fake_wechat.url, WECHAT_APP_SECRET="test-secret-wx")
    seed(app.extensions["xiaoer"])
    return app


@pytest.fixture
def rounds_console(make_app, fake_wechat):
    """The demo shop with one console account per role (admin1, merchant1, agent1, viewer1)."""
    from bot.console.cli import create_user
    from tests.helpers import PASSWORD, STAFF_ROLES

    # CONSOLE_SIMULATOR: the chat simulator is being put behind this switch (for o-sim- openids only);
    # the browser tests drive customers through it.
    app = make_app(WECHAT_API_BASE=fake_wechat.url, WECHAT_APP_SECRET="test-secret-wx", CONSOLE_SECURE_COOKIES=False,
                   CONSOLE_SIMULATOR=True)
    svc = app.extensions["xiaoer"]
    seed(svc)
    for role in STAFF_ROLES:
        create_user(svc.db, role + "1", PASSWORD, role, display_name=f"{role} one")
    return app
