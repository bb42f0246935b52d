"""members: card, WeChat identities (appid, unionid), points ledger, rewards, merges, receipt checks

Revision ID: 0013
Revises: 0009
Create Date: 2026-12-01 10:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('member_merges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kept_member_id', sa.String(length=32), nullable=False),
    sa.Column('merged_member_id', sa.String(length=32), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=True),
    sa.Column('moved', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_member_merges'))
    )
    with op.batch_alter_table('member_merges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_member_merges_kept_member_id'), ['kept_member_id'], unique=False)

    op.create_table('rewards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('stock', sa.Integer(), nullable=True),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rewards')),
    sa.UniqueConstraint('name', name=op.f('uq_rewards_name'))
    )
    op.create_table('points_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('delta', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('source', sa.String(length=128), nullable=True),
    sa.Column('remaining', sa.Integer(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=True),
    sa.Column('actor', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_points_entries_customer_id_customers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_points_entries')),
    sa.UniqueConstraint('source', name=op.f('uq_points_entries_source'))
    )
    with op.batch_alter_table('points_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_points_entries_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_points_entries_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_points_entries_expires_at'), ['expires_at'], unique=False)

    op.create_table('receipt_checks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_no', sa.String(length=32), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('openid', sa.String(length=64), nullable=True),
    sa.Column('product', sa.String(length=64), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=True),
    sa.Column('skip_reason', sa.Text(), nullable=True),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.Column('answer_ticket', sa.String(length=20), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('asked_at', sa.DateTime(), nullable=True),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_receipt_checks_customer_id_customers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_receipt_checks')),
    sa.UniqueConstraint('order_no', name=op.f('uq_receipt_checks_order_no'))
    )
    with op.batch_alter_table('receipt_checks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_receipt_checks_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_receipt_checks_openid'), ['openid'], unique=False)

    op.create_table('reward_redemptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('openid', sa.String(length=64), nullable=True),
    sa.Column('reward_id', sa.Integer(), nullable=False),
    sa.Column('reward_name', sa.String(length=64), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_reward_redemptions_customer_id_customers')),
    sa.ForeignKeyConstraint(['entry_id'], ['points_entries.id'], name=op.f('fk_reward_redemptions_entry_id_points_entries')),
    sa.ForeignKeyConstraint(['reward_id'], ['rewards.id'], name=op.f('fk_reward_redemptions_reward_id_rewards')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reward_redemptions')),
    sa.UniqueConstraint('code', name=op.f('uq_reward_redemptions_code'))
    )
    with op.batch_alter_table('reward_redemptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reward_redemptions_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reward_redemptions_openid'), ['openid'], unique=False)

    with op.batch_alter_table('customer_openids', schema=None) as batch_op:
        batch_op.add_column(sa.Column('appid', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('unionid', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_customer_openids_unionid'), ['unionid'], unique=False)

    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('card_no', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('points_balance', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('receipt_opt_out', sa.Boolean(), server_default='0', nullable=False))
        batch_op.create_unique_constraint(batch_op.f('uq_customers_card_no'), ['card_no'])
        batch_op.create_check_constraint(batch_op.f('ck_customers_points_not_negative'), 'points_balance >= 0')

    with op.batch_alter_table('feedback_records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('order_no', sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f('ix_feedback_records_order_no'), ['order_no'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('feedback_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_records_order_no'))
        batch_op.drop_column('order_no')

    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_customers_points_not_negative'), type_='check')
        batch_op.drop_constraint(batch_op.f('uq_customers_card_no'), type_='unique')
        batch_op.drop_column('receipt_opt_out')
        batch_op.drop_column('points_balance')
        batch_op.drop_column('card_no')

    with op.batch_alter_table('customer_openids', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customer_openids_unionid'))
        batch_op.drop_column('unionid')
        batch_op.drop_column('appid')

    with op.batch_alter_table('reward_redemptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reward_redemptions_openid'))
        batch_op.drop_index(batch_op.f('ix_reward_redemptions_customer_id'))

    op.drop_table('reward_redemptions')
    with op.batch_alter_table('receipt_checks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_receipt_checks_openid'))
        batch_op.drop_index(batch_op.f('ix_receipt_checks_customer_id'))

    op.drop_table('receipt_checks')
    with op.batch_alter_table('points_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_points_entries_expires_at'))
        batch_op.drop_index(batch_op.f('ix_points_entries_customer_id'))
        batch_op.drop_index(batch_op.f('ix_points_entries_created_at'))

    op.drop_table('points_entries')
    op.drop_table('rewards')
    with op.batch_alter_table('member_merges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_member_merges_kept_member_id'))

    op.drop_table('member_merges')
