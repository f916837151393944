"""What refunds tell people, one constant per text: each a message key and its English
template with ``{named}`` placeholders, ready for the translation catalogues."""

from __future__ import annotations

from typing import NamedTuple


class Text(NamedTuple):
    key: str
    template: str

    def format(self, **values: object) -> str:
        return self.template.format(**values)


REFUND_REFUSED = Text(
    "refund.refused", "The payment gateway refused the refund ({code}): {message}"
)
REFUND_PENDING = Text(
    "refund.pending",
    "The payment gateway did not answer; refund {refund_id} is pending: retry it",
)
REFUND_NOT_PENDING = Text(
    "refund.not_pending", "Refund {refund_id} has {status}: there is nothing to retry"
)
REFUND_LEFT = Text("refund.left", "Only {left} cents paid are left to refund")
REFUND_NOTHING_LEFT = Text("refund.nothing_left", "Nothing left to refund on this order")
REFUND_STILL_IN_KITCHEN = Text(
    "refund.still_in_kitchen", "The order is still {state}: cancel it before refunding it all"
)
REFUND_NOTE_NEEDED = Text("refund.note_needed", "must say why when the reason is other")
REFUND_TICKET_REASON = Text("refund.ticket_reason", "refunded: {reason}")
