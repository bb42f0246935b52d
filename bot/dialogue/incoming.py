"""A platform-neutral incoming message: handlers never see XML or Flask's request."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Incoming:
    openid: str
    kind: str  # text, voice, image, location, link, video, shortvideo, event, unknown
    account: str = ""
    text: str = ""
    msg_id: str | None = None
    create_time: int = 0
    event: str | None = None
    event_key: str | None = None
    media_id: str | None = None
    media_url: str | None = None
    extra: dict = field(default_factory=dict)
    simulated_by: str | None = None  # the staff member who typed it in the console's chat simulator

    @property
    def dedup_key(self) -> str:
        """openid + MsgId for messages (MsgIds have collided across users); events have no MsgId."""
        if self.msg_id:
            return f"{self.openid}:m:{self.msg_id}"
        return f"{self.openid}:e:{self.create_time}:{self.event or self.kind}:{self.event_key or ''}"

    @property
    def has_text(self) -> bool:
        return self.kind == "text" or (self.kind == "voice" and bool(self.text.strip()))
