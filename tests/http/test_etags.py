"""The kitchen feed's ETag and If-None-Match matching, without a server."""

from __future__ import annotations

import pytest

from fusionx.core.model.tickets import TicketState
from fusionx.entrypoints.http.etags import feed_etag, not_modified

OPEN = {TicketState.NEW, TicketState.IN_PREP, TicketState.READY}


def test_the_etag_is_weak_and_names_the_last_event():
    etag = feed_etag(7, OPEN)

    assert etag.startswith('W/"7-')
    assert etag.endswith('"')
    assert feed_etag(8, OPEN) != etag
    assert feed_etag(7, {TicketState.NEW}) != etag


@pytest.mark.parametrize(
    "header",
    [
        'W/"7-{digest}"',
        '"7-{digest}"',
        'W/"6-abc", W/"7-{digest}"',
        "*",
    ],
)
def test_if_none_match_compares_weakly_and_accepts_lists(header):
    etag = feed_etag(7, OPEN)
    digest = etag.removeprefix('W/"7-').removesuffix('"')

    response = not_modified(header.format(digest=digest), etag)

    assert response is not None
    assert response.status_code == 304
    assert response.headers["ETag"] == etag


@pytest.mark.parametrize("header", [None, "", 'W/"6-abc"', "garbage"])
def test_anything_else_is_modified(header):
    assert not_modified(header, feed_etag(7, OPEN)) is None
