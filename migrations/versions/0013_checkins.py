"""pay-day check-ins: opt-ins per worker and site, one question per worker and month

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

import models.base

#: Aware UTC timestamps, as every other table stores them.
UTC = models.base.UTCDateTime(timezone=True)

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "checkin_opt_in",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("opted_in_at", UTC, nullable=False),
        sa.Column("stopped_at", UTC, nullable=True),
        sa.ForeignKeyConstraint(
            ["worker_id"], ["worker.id"], name=op.f("fk_checkin_opt_in_worker_id_worker")
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["site.id"], name=op.f("fk_checkin_opt_in_site_id_site")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkin_opt_in")),
        sa.UniqueConstraint("worker_id", "site_id", name=op.f("uq_checkin_opt_in_worker_id")),
    )
    op.create_index(op.f("ix_checkin_opt_in_worker_id"), "checkin_opt_in", ["worker_id"])
    op.create_index(op.f("ix_checkin_opt_in_site_id"), "checkin_opt_in", ["site_id"])
    op.create_table(
        "checkin",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("asked_at", UTC, nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("answer", sa.String(length=16), nullable=True),
        sa.Column("answered_at", UTC, nullable=True),
        sa.CheckConstraint(
            "answer IN ('paid', 'unpaid', 'partial')", name=op.f("ck_checkin_answer")
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"], ["worker.id"], name=op.f("fk_checkin_worker_id_worker")
        ),
        sa.ForeignKeyConstraint(["site_id"], ["site.id"], name=op.f("fk_checkin_site_id_site")),
        sa.ForeignKeyConstraint(
            ["message_id"], ["message.id"], name=op.f("fk_checkin_message_id_message")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkin")),
        sa.UniqueConstraint("worker_id", "month", name=op.f("uq_checkin_worker_id")),
    )
    op.create_index("ix_checkin_site_id_month", "checkin", ["site_id", "month"])
    op.create_index(op.f("ix_checkin_message_id"), "checkin", ["message_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_checkin_message_id"), table_name="checkin")
    op.drop_index("ix_checkin_site_id_month", table_name="checkin")
    op.drop_table("checkin")
    op.drop_index(op.f("ix_checkin_opt_in_site_id"), table_name="checkin_opt_in")
    op.drop_index(op.f("ix_checkin_opt_in_worker_id"), table_name="checkin_opt_in")
    op.drop_table("checkin_opt_in")
