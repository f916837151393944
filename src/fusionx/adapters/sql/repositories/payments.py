from __future__ import annotations

from uuid import UUID

from sqlalchemy import ColumnElement, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from fusionx.adapters.sql.errors import unique_writes
from fusionx.adapters.sql.mapping import plain_uuid
from fusionx.adapters.sql.tables import ReceivedPaymentRow
from fusionx.core.model.payments import (
    ACTED_ON,
    PaymentEventKind,
    PaymentOutcome,
    ReceivedPayment,
)
from fusionx.ports.errors import UniqueViolation

_RECEIVED = (
    ReceivedPaymentRow.id,
    ReceivedPaymentRow.event_id,
    ReceivedPaymentRow.kind,
    ReceivedPaymentRow.order_id,
    ReceivedPaymentRow.amount_cents,
    ReceivedPaymentRow.outcome,
    ReceivedPaymentRow.received_at,
    ReceivedPaymentRow.payment_reference,
)


class SqlReceivedPaymentLog:
    """``ReceivedPaymentLog`` on ``received_payments``; the unique event id does the work.

    A racing insert of the same event id waits on the index for the first transaction,
    then fails if it committed: only then does ``record`` answer False.
    """

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, event_id: str) -> ReceivedPayment | None:
        return await self._first(ReceivedPaymentRow.event_id == event_id)

    async def taken_for(self, order_id: UUID) -> int | None:
        payment = await self.payment_for(order_id)
        return payment.amount_cents if payment else None

    async def payment_for(self, order_id: UUID) -> ReceivedPayment | None:
        return await self._first(
            ReceivedPaymentRow.order_id == order_id,
            ReceivedPaymentRow.kind == PaymentEventKind.SUCCEEDED.value,
            ReceivedPaymentRow.outcome.in_([outcome.value for outcome in ACTED_ON]),
        )

    async def record(self, received: ReceivedPayment) -> bool:
        try:
            async with unique_writes(self._session):
                await self._session.execute(
                    insert(ReceivedPaymentRow).values(
                        id=received.id,
                        event_id=received.event_id,
                        kind=received.kind.value,
                        order_id=received.order_id,
                        amount_cents=received.amount_cents,
                        outcome=received.outcome.value,
                        received_at=received.received_at,
                        payment_reference=received.payment_reference,
                    )
                )
        except UniqueViolation:
            return False
        return True

    async def _first(self, *conditions: ColumnElement[bool]) -> ReceivedPayment | None:
        connection = await self._session.connection()
        row = (await connection.execute(select(*_RECEIVED).where(*conditions).limit(1))).first()
        if row is None:
            return None
        row_id, event, kind, order_id, amount, outcome, received_at, reference = row
        return ReceivedPayment(
            id=plain_uuid(row_id),
            event_id=event,
            kind=PaymentEventKind(kind),
            order_id=plain_uuid(order_id),
            amount_cents=amount,
            outcome=PaymentOutcome(outcome),
            received_at=received_at,
            payment_reference=reference,
        )
