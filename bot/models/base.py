"""The declarative base and column types shared by every table."""
from __future__ import annotations

import base64
import hashlib
import json

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import MetaData, Text
from sqlalchemy.orm import declarative_base
from sqlalchemy.types import TypeDecorator

from .. import clock

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
Base = declarative_base(metadata=MetaData(naming_convention=NAMING))


utcnow = clock.utcnow  # column defaults read the shop's one clock


def fernet_for(secret: str) -> Fernet:
    """The data key's cipher, derived from DATA_KEY (or SECRET_KEY when unset), as the app does."""
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(b"xiaoer-data-key:" + secret.encode()).digest()))


class _Keys:
    """Process-wide data key, set from the config by create_app before any row is touched."""

    fernet: Fernet | None = None
    secret: bytes | None = None

    @classmethod
    def configure(cls, secret: str) -> None:
        cls.fernet = fernet_for(secret)
        cls.secret = hashlib.sha256(b"xiaoer-lookup-key:" + secret.encode()).digest()


configure_data_key = _Keys.configure


class EncryptedText(TypeDecorator):
    """Personal data (chat text, phone numbers) is stored encrypted, never in the clear."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if _Keys.fernet is None:
            raise RuntimeError("data key not configured")
        return _Keys.fernet.encrypt(value.encode()).decode()

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        try:
            return _Keys.fernet.decrypt(value.encode()).decode()
        except (InvalidToken, AttributeError):
            return "[无法解密：数据密钥已更换]"


class JSONText(TypeDecorator):
    """JSON kept as text so SQLite and PostgreSQL store it the same way."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else json.dumps(value, ensure_ascii=False)

    def process_result_value(self, value, dialect):
        return None if value is None else json.loads(value)


class EncryptedJSON(TypeDecorator):
    """JSON that may hold personal data (coordinates, address labels, extracted phone numbers),
    encrypted like EncryptedText. Rows written before it was encrypted (plain JSON) still read."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        text = None if value is None else json.dumps(value, ensure_ascii=False)
        return EncryptedText.process_bind_param(self, text, dialect)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value[:1] in ("{", "[", '"') or value in ("null", "true", "false") or value[:1].isdigit():
            return json.loads(value)  # written in the clear before 0012 encrypted it
        try:
            return json.loads(_Keys.fernet.decrypt(value.encode()).decode())
        except (InvalidToken, AttributeError):
            return {"error": "无法解密：数据密钥已更换"}
