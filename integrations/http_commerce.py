"""Client for a merchant's own order and warehouse system, speaking the JSON contract in
integrations/README.md.

Every call has a 2 s timeout; connection errors and 502/503/504 are retried once after a short
pause (a timeout is not retried: it already spent the time the customer is waiting for); and a
circuit breaker makes a dead system fail in microseconds, so the bot can say so at once.
"""
from __future__ import annotations

import logging
import time
from urllib.parse import quote

import requests

from .breaker import BreakerOpen, CircuitBreaker
from .commerce import RequestAnswer, CommerceUnavailable, OrderInfo, StockInfo

log = logging.getLogger(__name__)
RETRYABLE_STATUS = {502, 503, 504}


class HttpCommerce:
    kind = "http"

    def __init__(self, base_url: str, token: str | None = None, timeout: float = 2.0, attempts: int = 2,
                 retry_pause: float = 0.1, breaker: CircuitBreaker | None = None) -> None:
        self.base_url = base_url.rstrip("/") + "/"
        self.timeout, self.attempts, self.retry_pause = timeout, max(attempts, 1), retry_pause
        self.breaker = breaker or CircuitBreaker()
        self.http = requests.Session()
        self.http.headers["Accept"] = "application/json"
        if token:
            self.http.headers["Authorization"] = f"Bearer {token}"

    def _get(self, path: str, params: dict | None = None, body: dict | None = None) -> dict | None:
        """JSON body of a 200, None for a 404; anything else raises CommerceUnavailable. With a
        body it POSTs (idempotent on the system's side by the request id it carries)."""
        try:
            self.breaker.before()
        except BreakerOpen as exc:
            raise CommerceUnavailable(f"order system breaker open ({exc})") from exc
        problem = "no attempt"
        for attempt in range(1, self.attempts + 1):
            try:
                if body is None:
                    r = self.http.get(self.base_url + path, params=params, timeout=self.timeout)
                else:
                    r = self.http.post(self.base_url + path, json=body, timeout=self.timeout)
            except requests.Timeout:
                problem = f"timed out after {self.timeout} s"
                break
            except requests.RequestException as exc:
                problem = f"network: {exc.__class__.__name__}"
            else:
                if r.status_code == 404:
                    self.breaker.success()
                    return None
                if r.status_code in (200, 201, 202):
                    try:
                        data = r.json()
                    except ValueError:
                        problem = "answered 200 without JSON"
                        break
                    self.breaker.success()
                    return data
                problem = f"HTTP {r.status_code}"
                if r.status_code not in RETRYABLE_STATUS:
                    break
            if attempt < self.attempts:
                time.sleep(self.retry_pause)
        self.breaker.failure()
        log.warning("order system %s: %s %s %s", self.base_url, "GET" if body is None else "POST", path, problem)
        raise CommerceUnavailable(problem)

    def order(self, order_no: str) -> OrderInfo | None:
        data = self._get(f"orders/{quote(order_no, safe='')}")
        return None if data is None else self._parse(OrderInfo.from_json, data.get("order"))

    def recent_orders(self, member_id: str, limit: int = 3) -> list[OrderInfo]:
        data = self._get(f"members/{quote(member_id, safe='')}/orders", {"limit": limit})
        orders = [self._parse(OrderInfo.from_json, o) for o in (data or {}).get("orders") or []]
        return sorted(orders, key=lambda o: o.created_at, reverse=True)[:limit]

    def stock(self, product: str) -> StockInfo | None:
        data = self._get(f"stock/{quote(product, safe='')}")
        return None if data is None else self._parse(StockInfo.from_json, data.get("stock"))

    def submit_request(self, order_no: str, request_id: str, kind: str, details: dict) -> RequestAnswer:
        data = self._get(f"orders/{quote(order_no, safe='')}/requests",
                         body={"request_id": request_id, "kind": kind, "details": details})
        if data is None:
            return RequestAnswer("refused", "没有找到这个订单")
        return self._parse(lambda d: RequestAnswer(str(d["status"]), d.get("reason")), data)

    @staticmethod
    def _parse(fn, data):
        """A body that breaks the contract is the system's fault, not a reason to crash."""
        try:
            return fn(data)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise CommerceUnavailable(f"answer does not follow the contract: {exc!r}") from exc
