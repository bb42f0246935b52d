"""The schema comes from Alembic alone: up from nothing, down to nothing, and up again, and
the migrated schema matches the models (no table or column only one of them knows)."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from bot.infra.migrate import downgrade, upgrade
from bot.models import Base


def test_upgrade_downgrade_upgrade_and_models_match(tmp_path):
    url = f"sqlite:///{tmp_path / 'm.sqlite3'}"
    upgrade(url)
    downgrade(url, "base")
    assert set(inspect(create_engine(url)).get_table_names()) <= {"alembic_version"}
    upgrade(url)
    engine = create_engine(url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert [d for d in diff if d[0] in ("add_table", "remove_table", "add_column", "remove_column")] == []
    assert "handoff_requests" not in inspect(engine).get_table_names()
