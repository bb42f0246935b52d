"""data protection: the recipient of each outgoing ticket message; the erasure audit; message-log
payloads and entities and subscribers' last locations encrypted (rows written in the clear before are
encrypted here with the data key the app uses: DATA_KEY, or SECRET_KEY when unset, from the environment)

Revision ID: 0012
Revises: 0009
Create Date: 2026-12-01 10:00:00
"""
import json

from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('ticket_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recipient', sa.String(length=64), nullable=True))
    # Messages written before recipients were recorded: the owner of their ticket now (the best we know).
    op.execute("UPDATE ticket_messages SET recipient = (SELECT openid FROM tickets "
               "WHERE tickets.id = ticket_messages.ticket_id) WHERE direction = 'out'")
    op.create_table('erasures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('erased_by', sa.String(length=64), nullable=False),
    sa.Column('rows', sa.Text(), nullable=False),
    sa.Column('store_keys', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_erasures'))
    )


    _encrypt_json(('message_log', 'id', 'payload'), ('message_log', 'id', 'entities'),
                  ('subscribers', 'openid', 'last_location'))


def _cipher():
    from bot.config import Config
    from bot.models.base import _Keys, fernet_for

    if _Keys.fernet is not None:
        return _Keys.fernet
    config = Config()
    return fernet_for(config.DATA_KEY or config.SECRET_KEY)


def _encrypt_json(*columns) -> None:
    conn, cipher = op.get_bind(), None
    for table, key, column in columns:
        rows = conn.execute(sa.text(f"SELECT {key}, {column} FROM {table} WHERE {column} IS NOT NULL")).fetchall()
        for row_key, value in rows:
            if value[:1] not in ('{', '[', '"'):
                continue  # already encrypted
            cipher = cipher or _cipher()
            sealed = cipher.encrypt(json.dumps(json.loads(value), ensure_ascii=False).encode()).decode()
            conn.execute(sa.text(f"UPDATE {table} SET {column} = :v WHERE {key} = :k"), {"v": sealed, "k": row_key})


def downgrade() -> None:
    op.drop_table('erasures')
    with op.batch_alter_table('ticket_messages', schema=None) as batch_op:
        batch_op.drop_column('recipient')
