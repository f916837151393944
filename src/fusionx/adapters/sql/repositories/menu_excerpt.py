"""``MenuRepository.excerpt`` on PostgreSQL: one statement that builds the excerpt as
JSON shaped like ``MenuExcerpt``, decoded by msgspec straight into the Structs.

Parameters: ``$1`` the truck, ``$2`` the item ids, ``$3`` the location. Rows become
objects with their column names, which are the Structs' field names; an item's tags are
added to it.
"""

from __future__ import annotations


def excerpt_of(*, truck: str, items: str, location: str) -> str:
    """The excerpt's statement, its truck, item ids and location given as SQL
    expressions: parameters, or columns of an enclosing query (``order_intake``)."""
    return f"""
WITH wanted AS MATERIALIZED (
    SELECT i.* FROM menu_items i WHERE i.id = ANY({items})
)
SELECT json_build_object(
    'items', coalesce((
        SELECT json_agg(to_jsonb(w) || jsonb_build_object('tags', coalesce((
            SELECT jsonb_agg(t.tag ORDER BY t.tag) FROM menu_item_tags t WHERE t.item_id = w.id
        ), '[]'::jsonb)))
        FROM wanted w
    ), '[]'),
    'categories', coalesce((
        SELECT json_agg(c) FROM menu_categories c
        WHERE c.id IN (SELECT category_id FROM wanted)
    ), '[]'),
    'modifier_groups', coalesce((
        SELECT json_agg(g ORDER BY g.name, g.id) FROM modifier_groups g
        WHERE g.id::text IN (
            SELECT jsonb_array_elements_text(modifier_group_ids::jsonb) FROM wanted
        )
    ), '[]'),
    'selection', coalesce((
        SELECT json_object_agg(s.item_id, s.price_cents) FROM truck_menu_items s
        WHERE s.truck_id = {truck} AND s.item_id IN (SELECT id FROM wanted)
    ), '{{}}'),
    'restricted', EXISTS (SELECT FROM truck_menu_items s WHERE s.truck_id = {truck}),
    'timezone', (SELECT l.timezone FROM locations l WHERE l.id = {location}),
    'tax_rate_bp', COALESCE((SELECT l.tax_rate_bp FROM locations l WHERE l.id = {location}), 0),
    'tax_inclusive', COALESCE(
        (SELECT l.tax_inclusive FROM locations l WHERE l.id = {location}), false
    )
)::text
"""  # noqa: S608 - SQL expressions of ours, never a caller's value


EXCERPT = excerpt_of(truck="$1", items="$2::uuid[]", location="$3")
