"""`POST /wechat` is answered beneath Flask (bot.wechat.webhook.WebhookPost): what Flask did for it
must still hold, as seen by WeChat's server (headers, limits, query strings) and by staff (logs, metrics)."""
import io
import logging
from urllib.parse import urlencode

from bot.wechat.codec import safe_xml
from bot.wechat.simulator import message_xml


def _wsgi(app, query: str, body: bytes, **environ):
    """One raw WSGI call, as gunicorn makes it: (status line, headers, body)."""
    seen = {}

    def start_response(status, headers):
        seen.update(status=status, headers=dict(headers))

    env = {"REQUEST_METHOD": "POST", "PATH_INFO": "/wechat", "QUERY_STRING": query, "SERVER_NAME": "localhost",
           "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(body),
           "wsgi.errors": io.StringIO(), "wsgi.multithread": True, "wsgi.multiprocess": False, "wsgi.run_once": False,
           "CONTENT_TYPE": "text/xml", "CONTENT_LENGTH": str(len(body)), "REMOTE_ADDR": "10.1.2.3", **environ}
    out = b"".join(app(env, start_response))
    return seen["status"], seen["headers"], out


def test_an_answer_carries_the_headers_flask_gave_it(app, sim):
    query, body = sim.envelope(message_xml("o-post-1", "text", Content="你好"))
    status, headers, out = _wsgi(app, urlencode(query), body)
    assert status == "200 OK"
    assert headers["Content-Type"] == "application/xml; charset=utf-8"
    assert int(headers["Content-Length"]) == len(out)
    assert "欢迎" in safe_xml(out)["Content"]


def test_a_refusal_is_plain_text_with_its_reason_logged_and_counted(make_app, sim, caplog):
    app = make_app(METRICS_TOKEN="m" * 32)
    query, body = sim.envelope(message_xml("o-post-2", "text", Content="你好"))
    query["signature"] = "0" * 40
    with caplog.at_level(logging.WARNING, logger="bot.wechat.webhook"):
        status, headers, out = _wsgi(app, urlencode(query), body)
    assert (status, out) == ("403 FORBIDDEN", b"bad signature")
    assert headers["Content-Type"] == "text/plain; charset=utf-8"
    assert any("10.1.2.3" in r.getMessage() and "bad signature" in r.getMessage() for r in caplog.records)
    text = app.test_client().get("/metrics", headers={"Authorization": "Bearer " + "m" * 32}).get_data(as_text=True)
    assert 'xiaoer_rejected_total{reason="403"} 1' in text


def test_behind_a_trusted_proxy_the_log_names_the_client(make_app, sim, caplog):
    app = make_app(TRUSTED_PROXIES=1)
    query, body = sim.envelope(message_xml("o-post-3", "text", Content="你好"))
    query["signature"] = "0" * 40
    with caplog.at_level(logging.WARNING, logger="bot.wechat.webhook"):
        _wsgi(app, urlencode(query), body, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert any("203.0.113.9" in r.getMessage() for r in caplog.records)


def test_a_repeated_query_parameter_is_read_as_flask_read_it_first_value_wins(app, sim):
    query, body = sim.envelope(message_xml("o-post-4", "text", Content="你好"))
    forged = urlencode(query) + "&signature=" + "0" * 40  # a second signature after the right one
    assert _wsgi(app, forged, body)[0] == "200 OK"
    first_forged = "signature=" + "0" * 40 + "&" + urlencode(query)
    assert _wsgi(app, first_forged, body)[0] == "403 FORBIDDEN"


class _Unreadable(io.RawIOBase):
    def read(self, *args):
        raise AssertionError("a declared length over the limit must be refused before reading")

    readline = read


def test_a_declared_length_over_the_limit_is_refused_unread(app, sim):
    query = urlencode(sim.signed_query())
    status, _, out = _wsgi(app, query, b"", CONTENT_LENGTH=str(10 * 1024 * 1024), **{"wsgi.input": _Unreadable()})
    assert (status, out) == ("413 REQUEST ENTITY TOO LARGE", b"body too large")


def test_a_chunked_body_is_read_to_its_end_and_limited_too(app, sim):
    """gunicorn passes a chunked body with no Content-Length and says the stream ends by itself."""
    query, body = sim.envelope(message_xml("o-post-5", "text", Content="你好"))
    chunked = {"CONTENT_LENGTH": "", "HTTP_TRANSFER_ENCODING": "chunked", "wsgi.input_terminated": True}
    status, _, out = _wsgi(app, urlencode(query), body, **chunked)
    assert status == "200 OK" and "欢迎" in safe_xml(out)["Content"]
    big = b"<xml>" + b"a" * (70 * 1024) + b"</xml>"
    assert _wsgi(app, urlencode(sim.signed_query()), big, **chunked)[0] == "413 REQUEST ENTITY TOO LARGE"


def test_the_messages_skip_flask_hooks_the_other_routes_keep(app, sim):
    """Customer messages do not pay for Flask's request context; every other route still has it."""
    calls = []
    app.before_request(lambda: calls.append(1))
    query, body = sim.envelope(message_xml("o-post-6", "text", Content="你好"))
    assert _wsgi(app, urlencode(query), body)[0] == "200 OK"
    assert calls == []
    assert app.test_client().get("/healthz").status_code in (200, 503) and calls == [1]
