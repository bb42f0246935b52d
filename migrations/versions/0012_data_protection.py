"""data protection: the recipient of each outgoing ticket message; the erasure audit

Revision ID: 0012
Revises: 0009
Create Date: 2026-12-01 10:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0009'
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


def downgrade() -> None:
    op.drop_table('erasures')
    with op.batch_alter_table('ticket_messages', schema=None) as batch_op:
        batch_op.drop_column('recipient')
