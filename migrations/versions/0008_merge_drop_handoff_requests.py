"""Join the capability branches; hand-off requests are tickets now (kind 'handoff').

Revision ID: 0008
Revises: 0004, 0005, 0006, 0007
"""
from alembic import op
import sqlalchemy as sa

revision = "0008"
down_revision = ("0004", "0005", "0006", "0007")
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("handoff_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_handoff_requests_openid"))
    op.drop_table("handoff_requests")


def downgrade() -> None:
    op.create_table(
        "handoff_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("openid", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handoff_requests")),
    )
    with op.batch_alter_table("handoff_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_handoff_requests_openid"), ["openid"], unique=False)
