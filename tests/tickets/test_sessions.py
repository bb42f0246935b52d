"""Console sessions can be ended on the server: "log out everywhere", a password change (in the
console or `flask --app bot users set-password`) and `users logout-everywhere` end every open
session of the account, including a cookie copied from another device."""
from tests.helpers import PASSWORD, csrf_of, login

NEW_PASSWORD = "a-new-password-77"


def _two_devices(app, username="agent1"):
    devices = []
    for _ in range(2):
        client, response = login(app, username)
        assert response.status_code == 302
        devices.append(client)
    return devices


def _logged_in(client) -> bool:
    return client.get("/console/").status_code == 200


def _token(client) -> str:
    return csrf_of(client.get("/console/password").get_data(as_text=True))


def test_logout_everywhere_ends_every_session_of_the_account(console_app):
    phone, laptop = _two_devices(console_app)
    other, _ = login(console_app, "admin1")
    assert phone.post("/console/logout-everywhere", data={"csrf_token": _token(phone)}).status_code == 302
    assert not _logged_in(phone) and not _logged_in(laptop)
    assert _logged_in(other)  # another account is untouched
    again, response = login(console_app, "agent1")
    assert response.status_code == 302 and _logged_in(again)


def test_an_ordinary_logout_ends_only_this_session(console_app):
    phone, laptop = _two_devices(console_app)
    phone.post("/console/logout", data={"csrf_token": _token(phone)})
    assert not _logged_in(phone) and _logged_in(laptop)


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(console_app):
    phone, laptop = _two_devices(console_app)
    r = phone.post("/console/password", data={"csrf_token": _token(phone), "current": PASSWORD,
                                              "new": NEW_PASSWORD, "repeat": NEW_PASSWORD})
    assert r.status_code == 302
    assert _logged_in(phone) and not _logged_in(laptop)
    assert login(console_app, "agent1", PASSWORD)[1].status_code == 401
    assert login(console_app, "agent1", NEW_PASSWORD)[1].status_code == 302


def test_a_wrong_current_password_changes_nothing(console_app):
    phone, laptop = _two_devices(console_app)
    r = phone.post("/console/password", data={"csrf_token": _token(phone), "current": "not-it-at-all",
                                              "new": NEW_PASSWORD, "repeat": NEW_PASSWORD})
    assert r.status_code == 400 and "当前密码不正确" in r.get_data(as_text=True)
    assert _logged_in(phone) and _logged_in(laptop)
    assert login(console_app, "agent1", PASSWORD)[1].status_code == 302


def test_the_cli_revokes_too(console_app):
    runner = console_app.test_cli_runner()
    phone, _ = _two_devices(console_app)
    result = runner.invoke(args=["users", "logout-everywhere", "agent1"])
    assert result.exit_code == 0, result.output
    assert not _logged_in(phone)
    phone, _ = _two_devices(console_app)
    result = runner.invoke(args=["users", "set-password", "agent1", "--password", NEW_PASSWORD])
    assert result.exit_code == 0, result.output
    assert not _logged_in(phone)
    assert login(console_app, "agent1", NEW_PASSWORD)[1].status_code == 302
    assert runner.invoke(args=["users", "logout-everywhere", "nobody"]).exit_code != 0
