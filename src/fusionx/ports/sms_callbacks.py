from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol


class SmsCallbackVerifier(Protocol):
    """Tells whether a delivery-status callback really comes from the SMS provider."""

    def verify(self, params: Mapping[str, str], signature: str) -> bool: ...
