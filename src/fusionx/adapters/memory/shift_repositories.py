"""In-memory repositories for what happens during a shift: menu, stock, orders, tickets,
events. Same contracts as the SQL ones; each works on one unit of work's tables."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from uuid import UUID

import msgspec

from fusionx.adapters.memory.menu import InMemoryMenuRepository
from fusionx.adapters.memory.operations import InMemoryCapacityRepository
from fusionx.adapters.memory.store import InMemoryTables
from fusionx.core.model.events import NewEvent, ShiftEvent
from fusionx.core.model.order_intake import OrderIntake
from fusionx.core.model.orders import Order, OrderState
from fusionx.core.model.paging import Page, PageRequest
from fusionx.core.model.shifts import Shift, ShiftState, ShiftTransition
from fusionx.core.model.stock import Shortage, StockMovement, StockTake
from fusionx.core.model.tickets import (
    OPEN_STATES,
    HeldFeed,
    KdsTicket,
    Ticket,
    TicketMove,
    TicketState,
    TicketTransition,
)
from fusionx.ports.errors import UniqueViolation
from fusionx.ports.repositories.tickets import FeedHead, FeedJson, feed_json_in_two_reads


class InMemoryShiftRepository:
    def __init__(self, tables: InMemoryTables) -> None:
        self._t = tables

    async def add(self, shift: Shift) -> None:
        if await self.open_for_truck(shift.truck_id) is not None:
            raise UniqueViolation("truck_id")
        self._t.shifts[shift.id] = shift

    async def get(self, shift_id: UUID) -> Shift | None:
        return self._t.shifts.get(shift_id)

    async def order_intake(self, shift_id: UUID, item_ids: Collection[UUID]) -> OrderIntake | None:
        shift = self._t.shifts.get(shift_id)
        if shift is None:
            return None
        menu = InMemoryMenuRepository(self._t)
        excerpt = await menu.excerpt(shift.truck_id, shift.location_id, item_ids)
        setting, load = await InMemoryCapacityRepository(self._t).outlook(shift.id, shift.truck_id)
        return OrderIntake(shift=shift, menu=excerpt, setting=setting, load=load)

    async def get_for_update(self, shift_id: UUID) -> Shift | None:
        return self._t.shifts.get(shift_id)  # units of work already run one at a time

    async def open_for_truck(self, truck_id: UUID) -> Shift | None:
        return next(
            (
                s
                for s in self._t.shifts.values()
                if s.truck_id == truck_id and s.state is not ShiftState.CLOSED
            ),
            None,
        )

    async def update(self, shift: Shift) -> None:
        self._t.shifts[shift.id] = shift

    async def add_transition(self, transition: ShiftTransition) -> None:
        history = self._t.shift_history
        history[transition.shift_id] = (*history.get(transition.shift_id, ()), transition)

    async def history(self, shift_id: UUID) -> list[ShiftTransition]:
        return list(self._t.shift_history.get(shift_id, ()))

    async def next_order_number(self, shift_id: UUID) -> int:
        number = self._t.order_numbers.get(shift_id, 0) + 1
        self._t.order_numbers[shift_id] = number
        return number

    async def hold_for_order(self, shift_id: UUID) -> tuple[Shift, int] | None:
        shift = self._t.shifts.get(shift_id)
        return None if shift is None else (shift, await self.next_order_number(shift_id))


class InMemoryStockLedger:
    def __init__(self, tables: InMemoryTables) -> None:
        self._t = tables

    async def levels(self, shift_id: UUID) -> dict[UUID, int]:
        return {item: n for (shift, item), n in self._t.stock.items() if shift == shift_id}

    async def take(self, movements: list[StockMovement]) -> StockTake:
        shortages = []
        for m in movements:
            available = self._t.stock.get((m.shift_id, m.item_id), 0)
            if available + m.delta < 0:
                shortages.append(
                    Shortage(item_id=m.item_id, requested=-m.delta, available=available)
                )
        if shortages:
            return StockTake(shortages=tuple(shortages))
        return StockTake(taken=tuple(self._record(m) for m in movements))

    async def adjust(self, movement: StockMovement) -> StockMovement | None:
        if self._t.stock.get((movement.shift_id, movement.item_id), 0) + movement.delta < 0:
            return None
        return self._record(movement)

    async def set_count(self, movement: StockMovement, count: int) -> StockMovement:
        on_hand = self._t.stock.get((movement.shift_id, movement.item_id), 0)
        return self._record(msgspec.structs.replace(movement, delta=count - on_hand))

    async def movements(self, shift_id: UUID) -> list[StockMovement]:
        return list(self._t.ledger.get(shift_id, ()))

    def _record(self, movement: StockMovement) -> StockMovement:
        key = (movement.shift_id, movement.item_id)
        on_hand = self._t.stock.get(key, 0) + movement.delta
        recorded = msgspec.structs.replace(movement, on_hand_after=on_hand)
        self._t.stock[key] = on_hand
        ledger = self._t.ledger
        ledger[movement.shift_id] = (*ledger.get(movement.shift_id, ()), recorded)
        return recorded


class InMemoryOrderRepository:
    def __init__(self, tables: InMemoryTables) -> None:
        self._t = tables

    async def add(self, order: Order) -> None:
        self._t.orders[order.id] = order

    async def add_with_ticket(self, order: Order, ticket: Ticket) -> None:
        await self.add(order)
        await InMemoryTicketRepository(self._t).add(ticket)

    async def get(self, order_id: UUID) -> Order | None:
        return self._t.orders.get(order_id)

    async def get_for_update(self, order_id: UUID) -> Order | None:
        return self._t.orders.get(order_id)  # units of work already run one at a time

    async def set_state(self, order_id: UUID, state: OrderState) -> None:
        order = self._t.orders.get(order_id)
        if order is not None:
            self._t.orders[order_id] = msgspec.structs.replace(order, state=state)

    async def set_promised_ready_at(self, order_id: UUID, at: datetime) -> None:
        order = self._t.orders.get(order_id)
        if order is not None:
            self._t.orders[order_id] = msgspec.structs.replace(order, promised_ready_at=at)

    async def set_stock_held(self, order_id: UUID, *, held: bool) -> None:
        order = self._t.orders.get(order_id)
        if order is not None:
            self._t.orders[order_id] = msgspec.structs.replace(order, stock_held=held)

    async def lapsed_holds(self, created_before: datetime, limit: int) -> list[UUID]:
        lapsed = sorted(
            (
                order
                for order in self._t.orders.values()
                if order.state is OrderState.AWAITING_PAYMENT
                and order.stock_held
                and order.created_at < created_before
            ),
            key=lambda order: (order.created_at, order.id),
        )
        return [order.id for order in lapsed[:limit]]

    async def of_customer(self, customer_id: UUID, page: PageRequest) -> Page[Order]:
        mine = [o for o in self._t.orders.values() if o.customer_id == customer_id]
        mine.sort(key=lambda o: (o.created_at, o.id), reverse=True)
        return Page.of_list(mine, page)


class InMemoryTicketRepository:
    """``pending`` is the unit of work's list of events to log at commit."""

    def __init__(self, tables: InMemoryTables, pending: list[NewEvent] | None = None) -> None:
        self._t = tables
        self._pending = [] if pending is None else pending

    async def add(self, ticket: Ticket) -> None:
        self._t.tickets[ticket.id] = ticket

    async def get(self, ticket_id: UUID) -> Ticket | None:
        return self._t.tickets.get(ticket_id)

    async def get_with_truck(self, ticket_id: UUID) -> tuple[Ticket, UUID] | None:
        ticket = self._t.tickets.get(ticket_id)
        shift = None if ticket is None else self._t.shifts.get(ticket.shift_id)
        return None if ticket is None or shift is None else (ticket, shift.truck_id)

    async def for_order(self, order_id: UUID) -> Ticket | None:
        return next((t for t in self._t.tickets.values() if t.order_id == order_id), None)

    async def save_move(self, move: TicketMove) -> bool:
        current = self._t.tickets.get(move.before.id)
        if current is None or current.version != move.before.version:
            return False
        self._t.tickets[current.id] = move.after
        await self.add_transition(move.transition)
        return True

    async def save_move_logged(self, move: TicketMove, event: NewEvent) -> bool:
        if not await self.save_move(move):
            return False
        self._pending.append(event)
        return True

    async def due_to_fire(self, now: datetime, limit: int = 100) -> list[Ticket]:
        due = [
            t
            for t in self._t.tickets.values()
            if t.state is TicketState.HOLD and t.fire_at is not None and t.fire_at <= now
        ]
        return sorted(due, key=lambda t: (t.fire_at, t.id))[:limit]

    async def add_transition(self, transition: TicketTransition) -> None:
        history = self._t.ticket_history
        history[transition.ticket_id] = (*history.get(transition.ticket_id, ()), transition)

    async def history(self, ticket_id: UUID) -> list[TicketTransition]:
        return list(self._t.ticket_history.get(ticket_id, ()))

    async def open_for_shift(self, shift_id: UUID) -> list[Ticket]:
        return self._of_shift(shift_id, OPEN_STATES)

    async def feed_head(self, shift_id: UUID) -> FeedHead | None:
        shift = self._t.shifts.get(shift_id)
        if shift is None:
            return None
        return FeedHead(truck_id=shift.truck_id, last_seq=len(self._t.events.get(shift_id, ())))

    async def feed(self, shift_id: UUID, states: Collection[TicketState]) -> list[KdsTicket]:
        feed = []
        for ticket in self._of_shift(shift_id, states):
            order = self._t.orders[ticket.order_id]
            feed.append(
                KdsTicket(
                    id=ticket.id,
                    order_id=ticket.order_id,
                    number=ticket.number,
                    state=ticket.state,
                    version=ticket.version,
                    created_at=ticket.created_at,
                    updated_at=ticket.updated_at,
                    lines=order.lines,
                    customer_name=order.customer_name,
                    held_from=ticket.held_from,
                    fire_at=ticket.fire_at,
                    promised_ready_at=order.promised_ready_at,
                )
            )
        return feed

    async def feed_json_unless_held(
        self,
        shift_id: UUID,
        states: Collection[TicketState],
        now: datetime,
        held: HeldFeed,
    ) -> FeedJson | None:
        return await feed_json_in_two_reads(self, shift_id, states, now, held)

    def _of_shift(self, shift_id: UUID, states: Collection[TicketState]) -> list[Ticket]:
        return sorted(
            (t for t in self._t.tickets.values() if t.shift_id == shift_id and t.state in states),
            key=lambda t: (t.created_at, t.id),
        )


class InMemoryEventLog:
    """Like the SQL log, numbers ``pending`` events only when the unit commits."""

    def __init__(self, tables: InMemoryTables, pending: list[NewEvent]) -> None:
        self._t = tables
        self._pending = pending

    async def append(self, event: NewEvent) -> None:
        self._pending.append(event)

    def write_pending(self) -> list[ShiftEvent]:
        logged = []
        for event in self._pending:
            log = self._t.events.get(event.shift_id, ())
            numbered = ShiftEvent(
                shift_id=event.shift_id, seq=len(log) + 1, at=event.at, data=event.data
            )
            self._t.events[event.shift_id] = (*log, numbered)
            logged.append(numbered)
        self._pending.clear()
        return logged

    async def since(self, shift_id: UUID, after_seq: int, limit: int = 500) -> list[ShiftEvent]:
        # seq n sits at index n - 1: the log has no gaps.
        return list(self._t.events.get(shift_id, ())[max(after_seq, 0) : after_seq + limit])

    async def during(
        self,
        shift_id: UUID,
        since: datetime,
        until: datetime,
        *,
        after_seq: int = 0,
        limit: int = 100,
    ) -> list[ShiftEvent]:
        after = self._t.events.get(shift_id, ())[max(after_seq, 0) :]
        return [event for event in after if since <= event.at < until][:limit]

    async def last_seq(self, shift_id: UUID) -> int:
        return len(self._t.events.get(shift_id, ()))
