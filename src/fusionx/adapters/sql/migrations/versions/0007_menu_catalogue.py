"""The menu catalogue: tags, images, modifier groups, availability windows, trucks' own
entries and selections, specials, and the modifiers chosen on order lines.

Revision ID: 0007_menu_catalogue
Revises: 0006_operations
Create Date: 2026-12-01 19:45:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

revision: str = "0007_menu_catalogue"
down_revision: str | None = "0006_operations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_EMPTY_LIST = sa.text("'[]'")


def _json_list(name: str) -> sa.Column[object]:
    return sa.Column(name, sa.JSON(), server_default=_EMPTY_LIST, nullable=False)


def _truck(table: str) -> tuple[sa.Column[object], sa.ForeignKeyConstraint]:
    return sa.Column("truck_id", GUID(), nullable=True), sa.ForeignKeyConstraint(
        ["truck_id"], ["trucks.id"], name=f"fk_{table}_truck_id_trucks", ondelete="CASCADE"
    )


def upgrade() -> None:
    with op.batch_alter_table("menu_categories") as batch:
        batch.add_column(_json_list("availability"))
        batch.add_column(sa.Column("truck_id", GUID(), nullable=True))
        batch.create_foreign_key(
            "fk_menu_categories_truck_id_trucks", "trucks", ["truck_id"], ["id"], ondelete="CASCADE"
        )
        batch.create_index("ix_menu_categories_truck_id", ["truck_id"])
    with op.batch_alter_table("menu_items") as batch:
        batch.add_column(sa.Column("image_url", sa.String(500), nullable=True))
        batch.add_column(_json_list("modifier_group_ids"))
        batch.add_column(_json_list("availability"))
        batch.add_column(sa.Column("truck_id", GUID(), nullable=True))
        batch.add_column(sa.Column("shift_id", GUID(), nullable=True))
        batch.create_foreign_key(
            "fk_menu_items_truck_id_trucks", "trucks", ["truck_id"], ["id"], ondelete="CASCADE"
        )
        batch.create_foreign_key(
            "fk_menu_items_shift_id_shifts", "shifts", ["shift_id"], ["id"], ondelete="CASCADE"
        )
        batch.create_index("ix_menu_items_truck_id", ["truck_id"])
        batch.create_index("ix_menu_items_shift_id", ["shift_id"])
    with op.batch_alter_table("order_lines") as batch:
        batch.add_column(_json_list("modifiers"))
    op.create_table(
        "menu_item_tags",
        sa.Column("item_id", GUID(), nullable=False),
        sa.Column("tag", sa.String(50), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["menu_items.id"],
            name="fk_menu_item_tags_item_id_menu_items",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("item_id", "tag", name="pk_menu_item_tags"),
    )
    op.create_index("ix_menu_item_tags_tag", "menu_item_tags", ["tag"])
    truck_id, truck_fk = _truck("modifier_groups")
    op.create_table(
        "modifier_groups",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("min_choices", sa.Integer(), nullable=False),
        sa.Column("max_choices", sa.Integer(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("created_at", DateTimeUTC(), nullable=False),
        truck_id,
        truck_fk,
        sa.PrimaryKeyConstraint("id", name="pk_modifier_groups"),
    )
    op.create_index("ix_modifier_groups_truck_id", "modifier_groups", ["truck_id"])
    op.create_table(
        "truck_menu_items",
        sa.Column("truck_id", GUID(), nullable=False),
        sa.Column("item_id", GUID(), nullable=False),
        sa.Column("price_cents", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["truck_id"],
            ["trucks.id"],
            name="fk_truck_menu_items_truck_id_trucks",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["menu_items.id"],
            name="fk_truck_menu_items_item_id_menu_items",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("truck_id", "item_id", name="pk_truck_menu_items"),
    )
    op.create_index("ix_truck_menu_items_item_id", "truck_menu_items", ["item_id"])


def downgrade() -> None:
    op.drop_index("ix_truck_menu_items_item_id", table_name="truck_menu_items")
    op.drop_table("truck_menu_items")
    op.drop_index("ix_modifier_groups_truck_id", table_name="modifier_groups")
    op.drop_table("modifier_groups")
    op.drop_index("ix_menu_item_tags_tag", table_name="menu_item_tags")
    op.drop_table("menu_item_tags")
    with op.batch_alter_table("order_lines") as batch:
        batch.drop_column("modifiers")
    with op.batch_alter_table("menu_items") as batch:
        batch.drop_index("ix_menu_items_shift_id")
        batch.drop_index("ix_menu_items_truck_id")
        batch.drop_constraint("fk_menu_items_shift_id_shifts", type_="foreignkey")
        batch.drop_constraint("fk_menu_items_truck_id_trucks", type_="foreignkey")
        for column in ("shift_id", "truck_id", "availability", "modifier_group_ids", "image_url"):
            batch.drop_column(column)
    with op.batch_alter_table("menu_categories") as batch:
        batch.drop_index("ix_menu_categories_truck_id")
        batch.drop_constraint("fk_menu_categories_truck_id_trucks", type_="foreignkey")
        batch.drop_column("truck_id")
        batch.drop_column("availability")
