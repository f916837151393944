"""Weak ETags for the kitchen feed and the public menu, and the 304 that answers a client
already up to date.

A shift's feed cannot change without its ``last_seq`` rising, so the shift's last event
number and the requested state filter identify a feed completely: no need to load or
hash the tickets to tell whether a client's copy is current.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection
from functools import lru_cache
from typing import Any

from litestar import Response
from litestar.status_codes import HTTP_304_NOT_MODIFIED

from fusionx.core.model.tickets import HeldFeed, TicketState
from fusionx.core.use_cases.queries.view_public_menu import PublicMenu


def feed_etag(last_seq: int, states: Collection[TicketState]) -> str:
    """``W/"<last_seq>-<digest of the sorted states>"``: the same whatever the order asked."""
    return f'W/"{last_seq}-{_digest(frozenset(states))}"'


@lru_cache(maxsize=256)  # a handful of filters in use: the digest is worked out once each
def _digest(states: frozenset[TicketState]) -> str:
    return hashlib.sha256(",".join(sorted(states)).encode()).hexdigest()[:12]


# A number as feed_etag spells it (no sign, leading zero or space, which int() would
# take), and no longer than a 64-bit counter's (int() refuses thousands of digits).
_SEQ = re.compile(r"0|[1-9][0-9]{0,18}")
_NONE_HELD = HeldFeed()


def held_feed(if_none_match: str | None, states: Collection[TicketState]) -> HeldFeed:
    """The states of the feed of ``states`` the client's ``If-None-Match`` names (weak
    comparison; ``*`` names any): the ``last_seq`` of each tag ``feed_etag`` would have
    made for it, so that the store need only compare numbers."""
    tags = _tags(if_none_match)
    if not tags:
        return _NONE_HELD
    if "*" in tags:
        return HeldFeed(any=True)
    suffix = f'-{_digest(frozenset(states))}"'
    seqs = set()
    for tag in tags:
        if tag.startswith('"') and tag.endswith(suffix):
            seq = tag[1 : -len(suffix)]
            if _SEQ.fullmatch(seq):
                seqs.add(int(seq))
    return HeldFeed(seqs=frozenset(seqs))


def unchanged(etag: str) -> Response[Any]:
    """The empty 304 telling a client its copy, tagged ``etag``, is current."""
    return Response(content=None, status_code=HTTP_304_NOT_MODIFIED, headers={"ETag": etag})


def _tags(if_none_match: str | None) -> set[str]:
    return {_opaque(tag.strip()) for tag in if_none_match.split(",")} if if_none_match else set()


def _opaque(etag: str) -> str:
    return etag.removeprefix("W/")


def menu_etag(menu: PublicMenu) -> str:
    """``W/"<shift seq>-<fleet seq>-<truck seq>-<digest>"``, built like ``feed_etag``: the
    shift's last event (stock, sales, specials, pauses) and the fleet's and the truck's
    last menu changes identify everything a menu shows but which items are inside their
    availability windows, which turns with the clock, and the ratings, which move with
    reviews (their count and last change): the digest is of those."""
    windows = sorted(
        f"{entry.item.id}:{int(entry.available)}"
        for section in menu.menu.sections
        for entry in section.entries
    )
    ratings = menu.ratings
    changed = ratings.last_change.isoformat() if ratings.last_change else "-"
    windows.append(f"ratings:{ratings.truck.count}:{changed}")
    digest = hashlib.sha256(",".join(windows).encode()).hexdigest()[:12]
    return f'W/"{menu.shift_seq}-{menu.fleet_seq}-{menu.truck_seq}-{digest}"'


def held(if_none_match: str | None, etag: str) -> bool:
    """Whether the client's ``If-None-Match`` names ``etag`` (weak comparison; ``*`` any)."""
    tags = _tags(if_none_match)
    return "*" in tags or _opaque(etag) in tags
