"""Tracking tokens as HMAC-SHA256 of the order's id under the server's key."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from uuid import UUID

from fusionx.core.model.tracking import TOKEN_PREFIX

_CONTEXT = b"fusionx tracking token v1:"


class HmacTrackingLinks:
    """``TrackingLinks``: a token is ``fxt_`` and the URL-safe HMAC-SHA256 of the order's
    id under ``key``; a link is ``page_url`` (the tracking page a person opens, not the
    JSON API beneath it) + ``/`` + the token.

    Every worker and instance must hold the same key (``FUSIONX_TRACKING_SECRET``): a
    message sent by one carries the link to a token another issued. Changing the key
    leaves every issued link working (lookups are by the stored hash) but makes the
    links in later messages wrong for orders tracked before the change.
    """

    def __init__(self, key: bytes, page_url: str) -> None:
        self._key = key
        self._page = page_url.rstrip("/")

    @classmethod
    def ephemeral(cls, page_url: str) -> HmacTrackingLinks:
        """A random key for this process alone: for tests and a single-process setup."""
        return cls(secrets.token_bytes(32), page_url)

    def token_for(self, order_id: UUID) -> str:
        digest = hmac.new(self._key, _CONTEXT + order_id.bytes, hashlib.sha256).digest()
        return TOKEN_PREFIX + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    def link(self, token: str) -> str:
        return f"{self._page}/{token}"
