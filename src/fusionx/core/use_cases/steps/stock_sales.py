"""What selling an order takes from stock, shared by an order paid at the counter and one
paid online."""

from __future__ import annotations

from datetime import datetime

from fusionx.core.model.actors import Actor
from fusionx.core.model.orders import Order
from fusionx.core.model.stock import StockMovement, StockReason
from fusionx.ports.id_generator import IdGenerator


def sales_of(order: Order, ids: IdGenerator, actor: Actor, at: datetime) -> list[StockMovement]:
    """One SALE movement per item of ``order``, for ``uow.stock.take``: it fills in the
    count on hand after each (0 until then)."""
    return [
        StockMovement(
            id=ids.new_id(),
            shift_id=order.shift_id,
            item_id=item_id,
            delta=-quantity,
            on_hand_after=0,
            reason=StockReason.SALE,
            actor=actor,
            at=at,
            order_id=order.id,
        )
        for item_id, quantity in order.quantities.items()
    ]
