from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from fusionx.core.model.payments import PaymentNotification


class PaymentNotificationVerifier(Protocol):
    """Checks that a notification comes from the payment gateway and reads it.

    The adapter owns the wire format: which headers carry the signature, how the body
    is laid out, how its event names map onto ``PaymentEventKind``.
    """

    def verify(self, headers: Mapping[str, str], body: bytes) -> PaymentNotification:
        """The notification, once its signature and timestamp check out.

        Raises ``InvalidSignature`` when the signature is missing or wrong or the
        timestamp is outside the tolerance window, ``InvalidInput`` for a correctly
        signed body we cannot read, and ``NotConfigured`` when there is no secret.
        ``headers`` are keyed in lower case.
        """
        ...
