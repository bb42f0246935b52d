"""Alembic environment: the URL comes from the app config (DATABASE_URL), the schema from bot.models."""
from alembic import context
from sqlalchemy import create_engine

from bot.config import Config
from bot.models import Base

config = context.config
url = config.attributes.get("url") or config.get_main_option("sqlalchemy.url") or Config().DATABASE_URL


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return
    engine = create_engine(url, future=True)
    with engine.connect() as conn:
        _migrate(conn)
        conn.commit()


def _render_item(type_, obj, autogen_context):
    """Encrypted and JSON columns are plain TEXT in the database; keep app types out of migrations."""
    if type_ == "type" and obj.__class__.__name__ in ("EncryptedText", "EncryptedJSON", "JSONText"):
        return "sa.Text()"
    return False


def _migrate(conn) -> None:
    context.configure(connection=conn, target_metadata=Base.metadata, render_item=_render_item,
                      render_as_batch=conn.dialect.name == "sqlite", compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


run()
