"""Weak ETags for the kitchen feed, and the 304 that answers a client already up to date.

A shift's feed cannot change without its ``last_seq`` rising, so the shift's last event
number and the requested state filter identify a feed completely: no need to load or
hash the tickets to tell whether a client's copy is current.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from typing import Any

from litestar import Response
from litestar.status_codes import HTTP_304_NOT_MODIFIED

from fusionx.core.model.tickets import TicketState


def feed_etag(last_seq: int, states: Collection[TicketState]) -> str:
    """``W/"<last_seq>-<digest of the sorted states>"``: the same whatever the order asked."""
    digest = hashlib.sha256(",".join(sorted(states)).encode()).hexdigest()[:12]
    return f'W/"{last_seq}-{digest}"'


def not_modified(if_none_match: str | None, etag: str) -> Response[Any] | None:
    """An empty 304 when ``If-None-Match`` names ``etag`` (weak comparison), else None."""
    if not if_none_match:
        return None
    held = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    if "*" in held or etag.removeprefix("W/") in held:
        return Response(content=None, status_code=HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
    return None
