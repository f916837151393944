from __future__ import annotations

from typing import Protocol
from uuid import UUID


class TrackingLinks(Protocol):
    """Orders' tracking tokens and the links that carry them.

    ``token_for`` makes an order's token from its id with a key only the server holds
    (256 bits, URL-safe, ``fxt_``-prefixed): the same order always gets the same token
    from the same key, so a message can carry the link without the token ever being
    stored (only its hash is). ``link`` is where a customer follows the order.
    """

    def token_for(self, order_id: UUID) -> str: ...

    def link(self, token: str) -> str: ...
