"""Staff who use the console: hashed passwords, one role each, and a lockout counter."""
from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, Integer, String

from .base import Base, utcnow

ROLES = ("admin", "agent", "merchant", "viewer")
WRITE_ROLES = ("admin", "agent")  # who may act on tickets and talk to customers


class StaffUser(Base):
    __tablename__ = "staff_users"

    id = Column(Integer, primary_key=True)
    username = Column(String(64), unique=True, nullable=False)
    display_name = Column(String(64))
    password_hash = Column(String(256), nullable=False)
    role = Column(String(16), nullable=False)  # admin | agent | merchant | viewer
    active = Column(Boolean, nullable=False, default=True)
    failed_logins = Column(Integer, nullable=False, default=0)
    locked_until = Column(DateTime)
    last_login_at = Column(DateTime)
    # Sessions carry the epoch they were opened in: raising it (logout everywhere, a password
    # change) ends every open session of this account at its next request.
    session_epoch = Column(Integer, nullable=False, default=0, server_default="0")
    created_at = Column(DateTime, nullable=False, default=utcnow)

    @property
    def label(self) -> str:
        return self.display_name or self.username
