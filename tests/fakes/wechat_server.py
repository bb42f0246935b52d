"""A local stand-in for api.weixin.qq.com: the endpoints we use, speaking WeChat's JSON, and a
record of what it received. Errors can be scripted per endpoint to test our reactions."""
from __future__ import annotations

import itertools
import json
import threading
from collections import defaultdict

from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response


class FakeWeChat:
    def __init__(self) -> None:
        self.tokens_issued: list[str] = []
        self.received: dict[str, list[dict]] = defaultdict(list)
        self.scripted: dict[str, list] = defaultdict(list)  # endpoint -> [errcode or ("http", status)]
        self._counter = itertools.count(1)
        self._lock = threading.Lock()
        self.server = make_server("127.0.0.1", 0, self.wsgi, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}/cgi-bin/"
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02},
                                        daemon=True)

    def start(self) -> "FakeWeChat":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()

    def fail(self, endpoint: str, *outcomes) -> None:
        """The next calls to endpoint answer these errcodes (or ("http", 503)) in order."""
        self.scripted[endpoint].extend(outcomes)

    def texts_to(self, openid: str) -> list[str]:
        return [m["text"]["content"] for m in self.received["message/custom/send"] if m.get("touser") == openid]

    def wsgi(self, environ, start_response):
        request = Request(environ)
        endpoint = request.path.removeprefix("/cgi-bin/")
        with self._lock:
            response = self._answer(endpoint, request)
        return response(environ, start_response)

    def _answer(self, endpoint: str, request: Request) -> Response:
        if endpoint == "token":
            if request.args.get("grant_type") != "client_credential" or not request.args.get("secret"):
                return _json({"errcode": 40002, "errmsg": "invalid grant_type"})
            token = f"token-{next(self._counter)}"
            self.tokens_issued.append(token)
            return _json({"access_token": token, "expires_in": 7200})
        if endpoint not in ("message/custom/send", "message/template/send", "menu/create", "qrcode/create"):
            return _json({"errcode": 40004, "errmsg": "invalid api"}, 404)
        token = request.args.get("access_token")
        if self.scripted[endpoint]:
            outcome = self.scripted[endpoint].pop(0)
            if isinstance(outcome, tuple):
                return Response("upstream error", status=outcome[1])
            return _json({"errcode": outcome, "errmsg": f"scripted {outcome}"})
        if not self.tokens_issued or token != self.tokens_issued[-1]:
            return _json({"errcode": 40001, "errmsg": "invalid credential, access_token is invalid or not latest"})
        body = json.loads(request.get_data(as_text=True) or "{}")
        self.received[endpoint].append(body)
        if endpoint == "qrcode/create":
            return self._qrcode(body)
        return _json({"errcode": 0, "errmsg": "ok", "msgid": next(self._counter)})

    def _qrcode(self, body: dict) -> Response:
        """WeChat's answer: a ticket, and the URL the code encodes (as for QR_LIMIT_STR_SCENE)."""
        scene = (body.get("action_info") or {}).get("scene") or {}
        if body.get("action_name") not in ("QR_SCENE", "QR_STR_SCENE", "QR_LIMIT_SCENE", "QR_LIMIT_STR_SCENE") \
                or not (scene.get("scene_str") or scene.get("scene_id")):
            return _json({"errcode": 40053, "errmsg": "invalid action info"})
        n = next(self._counter)
        answer = {"ticket": f"gQH47joAAAAAAAAAASxodHRwOi8vd2VpeGluLnFxLmNvbS9xL{n}==",
                  "url": f"http://weixin.qq.com/q/fake{n}"}
        if "expire_seconds" in body:
            answer["expire_seconds"] = body["expire_seconds"]
        return _json(answer)


def _json(data: dict, status: int = 200) -> Response:
    return Response(json.dumps(data, ensure_ascii=False), status=status, mimetype="application/json")
