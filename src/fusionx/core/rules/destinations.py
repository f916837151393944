"""Where a customer's sign-in code goes: the one email or phone a request names, in the
form accounts are compared in."""

from __future__ import annotations

from fusionx.core.errors import InvalidInput
from fusionx.core.messages import Message
from fusionx.core.model.customers import Channel, Destination
from fusionx.core.model.staff import normalize_email
from fusionx.core.rules.phone_numbers import e164
from fusionx.core.rules.validation import require_email


def destination_of(email: str | None, phone: str | None) -> Destination:
    """The one destination a request names: an email or a phone, not both, not neither
    (422 naming the field at fault)."""
    if email is not None and phone is not None:
        raise InvalidInput("phone", Message("customer.sign_in.one_destination"))
    if email is not None:
        return Destination(channel=Channel.EMAIL, address=normalize_email(require_email(email)))
    if phone is None:
        raise InvalidInput("email", Message("customer.sign_in.one_destination"))
    number = e164(phone)
    if number is None:
        raise InvalidInput("phone", Message("input.e164"))
    return Destination(channel=Channel.SMS, address=number)
