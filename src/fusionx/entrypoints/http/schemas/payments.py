"""The answer to a payment gateway notification."""

from __future__ import annotations

import msgspec

from fusionx.core.model.payments import PaymentOutcome


class PaymentReceiptView(msgspec.Struct, frozen=True, kw_only=True):
    """Any 200 tells the gateway to stop retrying; ``outcome`` says what the event did."""

    outcome: PaymentOutcome
