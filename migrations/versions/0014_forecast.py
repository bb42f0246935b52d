"""demand by day (sales outside orders, stock-out days) and cached forecasts

Revision ID: 0014
Revises: 0009
Create Date: 2026-12-01 10:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('demand_days',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('quantity', sa.Float(), nullable=False),
    sa.Column('stockout', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_demand_days_product_id_products')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_demand_days')),
    sa.UniqueConstraint('product_id', 'day', name='uq_demand_days_product_day')
    )
    with op.batch_alter_table('demand_days', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_demand_days_product_id'), ['product_id'], unique=False)
    op.create_table('forecasts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=32), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.Column('mase', sa.Float(), nullable=True),
    sa.Column('history_end', sa.Date(), nullable=False),
    sa.Column('points', sa.Text(), nullable=False),
    sa.Column('computed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_forecasts_product_id_products')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forecasts')),
    sa.UniqueConstraint('product_id', name=op.f('uq_forecasts_product_id'))
    )


def downgrade() -> None:
    op.drop_table('forecasts')
    with op.batch_alter_table('demand_days', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_demand_days_product_id'))
    op.drop_table('demand_days')
