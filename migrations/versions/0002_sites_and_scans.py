"""sites and scans: poster versioning on site, and the scan table

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

import models.base

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the scan table and the site's poster version, update time and QR creation time."""
    op.create_table(
        "scan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("scene", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("known", sa.Boolean(), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('subscribe', 'scan', 'text')", name=op.f("ck_scan_kind")),
        sa.ForeignKeyConstraint(["site_id"], ["site.id"], name=op.f("fk_scan_site_id_site")),
        sa.ForeignKeyConstraint(
            ["worker_id"], ["worker.id"], name=op.f("fk_scan_worker_id_worker")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scan")),
    )
    with op.batch_alter_table("scan", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scan_created_at"), ["created_at"], unique=False)
        batch_op.create_index("ix_scan_site_id_created_at", ["site_id", "created_at"])
        batch_op.create_index(batch_op.f("ix_scan_worker_id"), ["worker_id"], unique=False)

    with op.batch_alter_table("site", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("facts_version", sa.Integer(), server_default="1", nullable=False)
        )
        batch_op.add_column(
            sa.Column("qr_created_at", models.base.UTCDateTime(timezone=True), nullable=True)
        )
        # Nullable first: existing sites take their creation time, then NOT NULL applies.
        batch_op.add_column(
            sa.Column("updated_at", models.base.UTCDateTime(timezone=True), nullable=True)
        )
    op.execute("UPDATE site SET updated_at = created_at")
    with op.batch_alter_table("site", schema=None) as batch_op:
        batch_op.alter_column(
            "updated_at", existing_type=models.base.UTCDateTime(timezone=True), nullable=False
        )


def downgrade() -> None:
    """Drop the scan table and the added site columns."""
    with op.batch_alter_table("site", schema=None) as batch_op:
        batch_op.drop_column("updated_at")
        batch_op.drop_column("qr_created_at")
        batch_op.drop_column("facts_version")

    with op.batch_alter_table("scan", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scan_worker_id"))
        batch_op.drop_index("ix_scan_site_id_created_at")
        batch_op.drop_index(batch_op.f("ix_scan_created_at"))

    op.drop_table("scan")
