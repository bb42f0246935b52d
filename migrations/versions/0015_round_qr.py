"""a round's parametric QR code: WeChat's ticket and the URL the code encodes

Revision ID: 0015
Revises: 0009
Create Date: 2026-12-01 10:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('preorder_rounds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('qr_ticket', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('qr_content', sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('preorder_rounds', schema=None) as batch_op:
        batch_op.drop_column('qr_content')
        batch_op.drop_column('qr_ticket')
