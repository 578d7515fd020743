"""channels: every case's channel, its sources (references, linked duplicates), employers

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

import models.base

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "employer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("blacklisted", sa.Boolean(), nullable=False),
        sa.Column("blacklist_note", sa.String(length=300), nullable=True),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["merged_into_id"], ["employer.id"], name=op.f("fk_employer_merged_into_id_employer")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_employer")),
        sa.UniqueConstraint("key", name=op.f("uq_employer_key")),
    )
    op.create_index(op.f("ix_employer_merged_into_id"), "employer", ["merged_into_id"])
    op.create_table(
        "complaint_source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("reference", sa.String(length=64), nullable=True),
        sa.Column("duplicate", sa.Boolean(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaint.id"],
            name=op.f("fk_complaint_source_complaint_id_complaint"),
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff_user.id"], name=op.f("fk_complaint_source_staff_id_staff_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_source")),
        sa.UniqueConstraint("channel", "reference", name=op.f("uq_complaint_source_channel")),
    )
    op.create_index(op.f("ix_complaint_source_complaint_id"), "complaint_source", ["complaint_id"])
    with op.batch_alter_table("complaint", schema=None) as batch_op:
        # Every case filed before channels existed came through the bot.
        batch_op.add_column(
            sa.Column("channel", sa.String(length=16), server_default="wechat", nullable=False)
        )
        batch_op.add_column(sa.Column("employer_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_complaint_channel"), ["channel"], unique=False)
        batch_op.create_index(batch_op.f("ix_complaint_employer_id"), ["employer_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_complaint_employer_id_employer"), "employer", ["employer_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("complaint", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_complaint_employer_id_employer"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_complaint_employer_id"))
        batch_op.drop_index(batch_op.f("ix_complaint_channel"))
        batch_op.drop_column("employer_id")
        batch_op.drop_column("channel")
    op.drop_index(op.f("ix_complaint_source_complaint_id"), table_name="complaint_source")
    op.drop_table("complaint_source")
    op.drop_index(op.f("ix_employer_merged_into_id"), table_name="employer")
    op.drop_table("employer")
