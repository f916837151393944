"""The kitchen feed's ETag and If-None-Match matching, without a server."""

from __future__ import annotations

import pytest

from fusionx.core.model.tickets import HeldFeed, TicketState
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

    assert held_feed(header.format(digest=digest), OPEN).holds(7)


@pytest.mark.parametrize("header", [None, "", 'W/"6-abc"', "garbage"])
def test_anything_else_is_not_held(header):
    assert not held_feed(header, OPEN).holds(7)


def test_a_tag_of_another_seq_or_filter_is_not_held():
    held = held_feed(feed_etag(7, OPEN), OPEN)

    assert not held.holds(8)
    assert not held_feed(feed_etag(7, OPEN), {TicketState.NEW}).holds(7)
    assert held_feed(feed_etag(7, OPEN), sorted(OPEN, reverse=True)).holds(7)


def test_the_store_is_given_the_numbers_the_tags_name():
    tags = ", ".join([feed_etag(7, OPEN), feed_etag(9, OPEN), feed_etag(8, {TicketState.NEW})])

    assert held_feed(tags, OPEN) == HeldFeed(seqs=frozenset({7, 9}))
    assert held_feed(f"{tags}, *", OPEN) == HeldFeed(any=True)
    assert held_feed(None, OPEN) == HeldFeed()


@pytest.mark.parametrize("seq", ["07", "+7", " 7", "7_0", "-7", "\u0667", "", "1" * 5000])
def test_only_a_number_as_the_etag_spells_it_is_read(seq):
    digest = feed_etag(7, OPEN).removeprefix('W/"7-')

    assert held_feed(f'W/"{seq}-{digest}', OPEN) == HeldFeed()


def test_the_304_is_empty_and_tagged():
    response = unchanged(feed_etag(7, OPEN))

    assert response.status_code == 304
    assert response.content is None
    assert response.headers["ETag"] == feed_etag(7, OPEN)
