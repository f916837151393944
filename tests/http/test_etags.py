"""The kitchen feed's ETag and If-None-Match matching, without a server."""

from __future__ import annotations

import pytest

from fusionx.core.model.tickets import TicketState
from fusionx.entrypoints.http.etags import feed_etag, held_feed, unchanged

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
    digest = feed_etag(7, OPEN).removeprefix('W/"7-').removesuffix('"')

    assert held_feed(header.format(digest=digest), OPEN)(7)


@pytest.mark.parametrize("header", [None, "", 'W/"6-abc"', "garbage"])
def test_anything_else_is_not_held(header):
    assert not held_feed(header, OPEN)(7)


def test_a_tag_of_another_seq_or_filter_is_not_held():
    held = held_feed(feed_etag(7, OPEN), OPEN)

    assert not held(8)
    assert not held_feed(feed_etag(7, OPEN), {TicketState.NEW})(7)
    assert held_feed(feed_etag(7, OPEN), sorted(OPEN, reverse=True))(7)


def test_the_304_is_empty_and_tagged():
    response = unchanged(feed_etag(7, OPEN))

    assert response.status_code == 304
    assert response.content is None
    assert response.headers["ETag"] == feed_etag(7, OPEN)
