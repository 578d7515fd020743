"""notices: subscription consents, case notices, payment confirmations, ratings

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

import models.base

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

UTC = models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "notice_consent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=True),
        sa.Column("template_id", sa.String(length=128), nullable=False),
        sa.Column("long_term", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("granted_at", UTC, nullable=False),
        sa.Column("used_at", UTC, nullable=True),
        sa.Column("revoked_at", UTC, nullable=True),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaint.id"],
            name=op.f("fk_notice_consent_complaint_id_complaint"),
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"], ["worker.id"], name=op.f("fk_notice_consent_worker_id_worker")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice_consent")),
    )
    with op.batch_alter_table("notice_consent", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notice_consent_worker_id"), ["worker_id"])
        batch_op.create_index(batch_op.f("ix_notice_consent_complaint_id"), ["complaint_id"])

    op.create_table(
        "case_notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("once_key", sa.String(length=120), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("answered_at", UTC, nullable=True),
        sa.ForeignKeyConstraint(
            ["complaint_id"], ["complaint.id"], name=op.f("fk_case_notice_complaint_id_complaint")
        ),
        sa.ForeignKeyConstraint(
            ["message_id"], ["message.id"], name=op.f("fk_case_notice_message_id_message")
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"], ["worker.id"], name=op.f("fk_case_notice_worker_id_worker")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_notice")),
        sa.UniqueConstraint("once_key", name=op.f("uq_case_notice_once_key")),
    )
    with op.batch_alter_table("case_notice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_notice_complaint_id"), ["complaint_id"])
        batch_op.create_index(batch_op.f("ix_case_notice_worker_id"), ["worker_id"])
        batch_op.create_index(batch_op.f("ix_case_notice_created_at"), ["created_at"])

    op.create_table(
        "payment_confirmation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("asked_at", UTC, nullable=False),
        sa.Column("answered_at", UTC, nullable=True),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaint.id"],
            name=op.f("fk_payment_confirmation_complaint_id_complaint"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_confirmation")),
    )
    with op.batch_alter_table("payment_confirmation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payment_confirmation_complaint_id"), ["complaint_id"])
        batch_op.create_index(batch_op.f("ix_payment_confirmation_status"), ["status"])

    op.create_table(
        "case_rating",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("handler_staff_id", sa.Integer(), nullable=True),
        sa.Column("unit", sa.String(length=200), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"], ["complaint.id"], name=op.f("fk_case_rating_complaint_id_complaint")
        ),
        sa.ForeignKeyConstraint(
            ["handler_staff_id"],
            ["staff_user.id"],
            name=op.f("fk_case_rating_handler_staff_id_staff_user"),
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"], ["worker.id"], name=op.f("fk_case_rating_worker_id_worker")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_rating")),
        sa.UniqueConstraint("complaint_id", name=op.f("uq_case_rating_complaint_id")),
    )


def downgrade() -> None:
    op.drop_table("case_rating")
    with op.batch_alter_table("payment_confirmation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payment_confirmation_status"))
        batch_op.drop_index(batch_op.f("ix_payment_confirmation_complaint_id"))
    op.drop_table("payment_confirmation")
    with op.batch_alter_table("case_notice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_notice_created_at"))
        batch_op.drop_index(batch_op.f("ix_case_notice_worker_id"))
        batch_op.drop_index(batch_op.f("ix_case_notice_complaint_id"))
    op.drop_table("case_notice")
    with op.batch_alter_table("notice_consent", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notice_consent_complaint_id"))
        batch_op.drop_index(batch_op.f("ix_notice_consent_worker_id"))
    op.drop_table("notice_consent")
