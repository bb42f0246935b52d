"""A reference implementation of the order-system contract (integrations/README.md), serving
from any Commerce (normally the embedded SQL store).

Merchants can read it as the spec in code; the tests and `bench/` run it as a real HTTP server
and make it slow (`delay`) or failing (`fail_with`) to prove the client copes.
"""
from __future__ import annotations

import json
import threading
import time
from urllib.parse import unquote

from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from .commerce import judge_request


class ReferenceOrderServer:
    def __init__(self, commerce, token: str | None = None, host: str = "127.0.0.1", port: int = 0) -> None:
        self.commerce, self.token = commerce, token
        self.delay = 0.0  # seconds to sleep before answering
        self.fail_with: int | None = None  # answer this HTTP status instead
        self.requests = 0
        self.seen_requests: dict[str, dict] = {}  # request id -> the answer given (retries get it again)
        self.received: list[tuple[str, dict]] = []  # (order_no, body) of each new request
        self._lock = threading.Lock()
        self._active = 0  # requests being answered now
        self.server = make_server(host, port, self.wsgi, threaded=True)
        self.url = f"http://{host}:{self.server.server_port}/api/v1/"
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02},
                                        daemon=True)

    def start(self) -> "ReferenceOrderServer":
        self._thread.start()
        return self

    def stop(self, wait: float = 10.0) -> None:
        """Stops serving, then waits (at most `wait` s) for answers still being worked out: one made
        slow by `delay` would otherwise read the store after its owner had moved on (CI saw a test's
        clean-up deadlock with such a late read on PostgreSQL)."""
        self.server.shutdown()
        self.server.server_close()
        stop_at = time.monotonic() + wait
        while self._active and time.monotonic() < stop_at:
            time.sleep(0.01)

    def wsgi(self, environ, start_response):
        with self._lock:
            self._active += 1
        try:
            response = self.answer(Request(environ))
            return response(environ, start_response)
        finally:
            with self._lock:
                self._active -= 1

    def answer(self, request: Request) -> Response:
        with self._lock:
            self.requests += 1
        if self.delay:
            time.sleep(self.delay)
        if self.fail_with:
            return _json({"error": "scripted failure"}, self.fail_with)
        if self.token and request.headers.get("Authorization") != f"Bearer {self.token}":
            return _json({"error": "unauthorized"}, 401)
        parts = [unquote(p) for p in request.path.strip("/").split("/")]
        if parts[:2] == ["api", "v1"] and request.method == "POST" and len(parts) == 5 and parts[2] == "orders" \
                and parts[4] == "requests":
            return self._request(parts[3], request)
        if parts[:2] != ["api", "v1"] or request.method != "GET":
            return _json({"error": "no such endpoint"}, 405 if parts[:2] == ["api", "v1"] else 404)
        route = parts[2:]
        if len(route) == 2 and route[0] == "orders":
            order = self.commerce.order(route[1])
            return _json({"order": order.to_json()}) if order else _json({"error": "not_found"}, 404)
        if len(route) == 3 and route[0] == "members" and route[2] == "orders":
            try:
                limit = min(max(int(request.args.get("limit", 3)), 1), 50)
            except ValueError:
                return _json({"error": "limit must be a number"}, 400)
            return _json({"orders": [o.to_json() for o in self.commerce.recent_orders(route[1], limit)]})
        if len(route) == 2 and route[0] == "stock":
            stock = self.commerce.stock(route[1])
            return _json({"stock": stock.to_json()}) if stock else _json({"error": "not_found"}, 404)
        return _json({"error": "no such endpoint"}, 404)


    def _request(self, order_no: str, request: Request) -> Response:
        """POST orders/{order_no}/requests: judged once per request id (a retry gets the first answer)."""
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or not isinstance(body.get("request_id"), str) \
                or not isinstance(body.get("kind"), str) or not isinstance(body.get("details", {}), dict):
            return _json({"error": "body must be {request_id, kind, details}"}, 400)
        with self._lock:
            if body["request_id"] in self.seen_requests:
                return _json(self.seen_requests[body["request_id"]], 200)
        order = self.commerce.order(order_no)
        if order is None:
            return _json({"error": "not_found"}, 404)
        answer = judge_request(order, body["kind"])
        result = {"status": answer.status, "reason": answer.reason}
        with self._lock:
            self.seen_requests[body["request_id"]] = result
            self.received.append((order_no, body))
        return _json(result, 202)


def _json(data: dict, status: int = 200) -> Response:
    return Response(json.dumps(data, ensure_ascii=False), status=status, mimetype="application/json")
