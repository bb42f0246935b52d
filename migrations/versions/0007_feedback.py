"""feedback records for the supply chain

Revision ID: 0007
Revises: 0002
Create Date: 2026-11-23 12:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0002'
branch_labels = None
depends_on = None

_INDEXED = ("message_key", "batch", "product", "aspect", "customer_key", "created_at")


def upgrade() -> None:
    op.create_table('feedback_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_key', sa.String(length=32), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('batch', sa.String(length=64), nullable=True),
    sa.Column('product', sa.String(length=64), nullable=True),
    sa.Column('aspect', sa.String(length=16), nullable=False),
    sa.Column('sentiment', sa.String(length=8), nullable=False),
    sa.Column('message_sentiment', sa.String(length=8), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('suggestion', sa.Text(), nullable=True),
    sa.Column('delivery_preference', sa.String(length=32), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('customer_key', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_records'))
    )
    with op.batch_alter_table('feedback_records', schema=None) as batch_op:
        for column in _INDEXED:
            batch_op.create_index(batch_op.f(f'ix_feedback_records_{column}'), [column], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('feedback_records', schema=None) as batch_op:
        for column in reversed(_INDEXED):
            batch_op.drop_index(batch_op.f(f'ix_feedback_records_{column}'))
    op.drop_table('feedback_records')
