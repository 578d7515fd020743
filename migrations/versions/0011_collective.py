"""collective cases: complaints linked into one 群体性案件 (issue 19)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

import models.base

#: Aware UTC timestamps, as every other table stores them.
UTC = models.base.UTCDateTime(timezone=True)

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "collective_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("collective_no", sa.String(length=40), nullable=False),
        sa.Column("employer_id", sa.Integer(), nullable=True),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(["employer_id"], ["employer.id"]),
        sa.ForeignKeyConstraint(["site_id"], ["site.id"]),
        sa.ForeignKeyConstraint(["staff_id"], ["staff_user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("collective_no"),
    )
    op.create_index("ix_collective_case_employer_id", "collective_case", ["employer_id"])
    op.create_index("ix_collective_case_site_id", "collective_case", ["site_id"])
    op.create_table(
        "collective_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("collective_id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("linked_by", sa.String(length=8), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("removed_at", UTC, nullable=True),
        sa.Column("removed_by_staff_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["collective_id"], ["collective_case.id"]),
        sa.ForeignKeyConstraint(["complaint_id"], ["complaint.id"]),
        sa.ForeignKeyConstraint(["staff_id"], ["staff_user.id"]),
        sa.ForeignKeyConstraint(["removed_by_staff_id"], ["staff_user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("collective_id", "complaint_id"),
    )
    op.create_index("ix_collective_member_collective_id", "collective_member", ["collective_id"])
    op.create_index("ix_collective_member_complaint_id", "collective_member", ["complaint_id"])


def downgrade() -> None:
    op.drop_index("ix_collective_member_complaint_id", table_name="collective_member")
    op.drop_index("ix_collective_member_collective_id", table_name="collective_member")
    op.drop_table("collective_member")
    op.drop_index("ix_collective_case_site_id", table_name="collective_case")
    op.drop_index("ix_collective_case_employer_id", table_name="collective_case")
    op.drop_table("collective_case")
