"""WeChat's outbound API (customer-service messages, templates, menus) on wechatpy's client.

The access token lives in the shared store and exactly one process refreshes it, under a lock:
fetching a token invalidates the previous one, so per-process refreshes break every other worker.
"""
from __future__ import annotations

import json
import logging
from urllib.parse import quote

from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException
from wechatpy.session import SessionStorage

from ..infra.store import Store

log = logging.getLogger(__name__)

TOKEN_ERRORS = {40001, 40014, 42001}
REFUSALS = {
    45015: "已超过48小时客服消息窗口：请等顾客再发消息后回复，或改用模板消息",
    45047: "客服消息条数已达上限：请等顾客再发消息后回复",
    43004: "顾客已取消关注，无法发送",
    40003: "openid 无效",
}


QR_IMAGE_URL = "https://mp.weixin.qq.com/cgi-bin/showqrcode?ticket={ticket}"


def qrcode_image_url(ticket: str) -> str:
    """WeChat's own image of a QR code, from the ticket `qrcode/create` returned."""
    return QR_IMAGE_URL.format(ticket=quote(ticket, safe=""))


def dev_qr_content(scene: str) -> str:
    """What a development QR code encodes when there is no account to ask (no WECHAT_APP_SECRET)."""
    return f"https://xiaoer.invalid/dev-qr/{quote(scene, safe='')}"


class WeChatError(Exception):
    """A failed call; `retryable` says whether trying again later can help."""

    def __init__(self, code: int | None, message: str, retryable: bool) -> None:
        super().__init__(f"{code}: {message}")
        self.code, self.message, self.retryable = code, message, retryable


class StoreSession(SessionStorage):
    """wechatpy's three-method storage over our store, so the token is shared like everything else."""

    def __init__(self, store: Store, prefix: str = "wechatpy") -> None:
        self.store, self.prefix = store, prefix

    def get(self, key, default=None):
        raw = self.store.get(f"{self.prefix}:{key}")
        return default if raw is None else json.loads(raw)

    def set(self, key, value, ttl=None):
        if value is not None:
            self.store.set(f"{self.prefix}:{key}", json.dumps(value), ttl)

    def delete(self, key):
        self.store.delete(f"{self.prefix}:{key}")


class _SharedTokenClient(WeChatClient):
    def __init__(self, appid: str, secret: str, api_base: str, store: Store, timeout: float) -> None:
        super().__init__(appid, secret, session=StoreSession(store), timeout=timeout, auto_retry=False)
        self.API_BASE_URL = api_base
        self.store = store

    def fetch_access_token(self, stale: str | None = None):
        """Fetch unless another process already did: `stale` is the token WeChat just refused."""
        with self.store.lock(f"wechat-token:{self.appid}", timeout=15, wait=15):
            current = self.session.get(self.access_token_key)
            if current and current != stale:
                return {"access_token": current}
            res = self._http.get(f"{self.API_BASE_URL}token", timeout=self.timeout, params={
                "grant_type": "client_credential", "appid": self.appid, "secret": self.secret})
            try:
                result = res.json()
            except ValueError:
                raise WeChatError(None, f"token endpoint answered HTTP {res.status_code}", True)
            if result.get("errcode"):
                raise WeChatError(result["errcode"], result.get("errmsg", ""), False)
            ttl = max(int(result.get("expires_in", 7200)) - 300, 60)  # refresh before WeChat expires it
            self.session.set(self.access_token_key, result["access_token"], ttl)
            log.info("fetched a new WeChat access token")
            return result

    @property
    def access_token(self):
        token = self.session.get(self.access_token_key)
        if token:
            return token
        self.fetch_access_token()
        return self.session.get(self.access_token_key)


class WeChatAPI:
    def __init__(self, app_id: str, secret: str | None, api_base: str, store: Store, timeout: float = 5) -> None:
        self.configured = bool(secret)
        self.client = _SharedTokenClient(app_id, secret or "", api_base, store, timeout)

    def _call(self, fn, *args, **kwargs):
        if not self.configured:
            raise WeChatError(None, "WECHAT_APP_SECRET 未配置，无法主动发送消息", False)
        for attempt in (1, 2):
            used = None
            try:
                used = self.client.access_token
                return fn(*args, **kwargs)
            except WeChatClientException as exc:
                code = exc.errcode
                if code in TOKEN_ERRORS and attempt == 1:
                    self.client.fetch_access_token(stale=used)
                    continue
                if code in REFUSALS or code in TOKEN_ERRORS:
                    raise WeChatError(code, REFUSALS.get(code, exc.errmsg or ""), False) from exc
                status = getattr(getattr(exc, "response", None), "status_code", None)
                retryable = code is None or code == -1 or (status or 0) >= 500
                raise WeChatError(code, exc.errmsg or f"HTTP {status}", retryable) from exc
            except OSError as exc:  # connection refused, timeout: WeChat or the network is down
                raise WeChatError(None, f"network: {exc.__class__.__name__}", True) from exc

    def send_text(self, openid: str, text: str) -> dict:
        return self._call(self.client.message.send_text, openid, text)

    def send_template(self, openid: str, template_id: str, data: dict, url: str | None = None) -> dict:
        return self._call(self.client.message.send_template, openid, template_id, data, url)

    def create_menu(self, menu: dict) -> dict:
        return self._call(self.client.menu.create, menu)

    def create_qrcode(self, scene: str) -> dict:
        """A permanent parametric QR code (QR_LIMIT_STR_SCENE): scanning it follows the account and sends
        the scene in the event. Returns WeChat's {"ticket", "url"}; the image is at `qrcode_image_url`."""
        return self._call(self.client.qrcode.create, {
            "action_name": "QR_LIMIT_STR_SCENE", "action_info": {"scene": {"scene_str": scene}}})


class DevOutbox:
    """Stands in for WeChat's outbound API on a developer's machine (WECHAT_DEV_OUTBOX=1): what
    would be sent is kept per openid in the store, and `make chat` shows it as it arrives, so
    late answers and staff replies can be tried without a verified official account."""

    configured = True

    def __init__(self, store: Store, ttl: float = 86400) -> None:
        self.store, self.ttl = store, ttl

    def _keep(self, openid: str, kind: str, body: dict) -> dict:
        self.store.push(f"outbox:{openid}", json.dumps({"kind": kind, **body}, ensure_ascii=False), self.ttl)
        return {"errcode": 0, "errmsg": "kept in the development outbox"}

    def send_text(self, openid: str, text: str) -> dict:
        return self._keep(openid, "text", {"text": text})

    def send_template(self, openid: str, template_id: str, data: dict, url: str | None = None) -> dict:
        text = "\n".join(str(v.get("value", v)) if isinstance(v, dict) else str(v) for v in data.values())
        return self._keep(openid, "template", {"text": text, "template_id": template_id})

    def create_menu(self, menu: dict) -> dict:
        raise WeChatError(None, "开发模式下没有真实公众号，菜单无法发布（设置 WECHAT_APP_SECRET 后重试）", False)

    def create_qrcode(self, scene: str) -> dict:
        """No real account: a placeholder the page can still draw (scanning it leads nowhere)."""
        return {"ticket": "", "url": dev_qr_content(scene)}

    def take(self, openid: str) -> list[dict]:
        return [json.loads(item) for item in self.store.take_all(f"outbox:{openid}")]
