"""The benchmark's floor must authenticate and read the feed's head as FusionX does on
PostgreSQL, and tag the feed as FusionX does, or its figures say nothing of FusionX's."""

from __future__ import annotations

from bench.floor import FEED_UNLESS_HELD_SQL, feed_etag, held_seqs
from bench.floor_auth import AUTH_KINDS, AUTH_SQL, HEAD_SQL, hash_secret
from sqlalchemy.dialects.postgresql import asyncpg

from fusionx.adapters.sql.repositories.access_tokens import _WITH_HOLDER, _WITH_HOLDER_SQL
from fusionx.adapters.sql.repositories.tickets import _PG_FEED_HEAD, pg_feed_unless_held
from fusionx.core.model.credentials import hash_secret as fusionx_hash_secret
from fusionx.core.model.tickets import OPEN_STATES
from fusionx.entrypoints.http.etags import feed_etag as fusionx_feed_etag
from fusionx.entrypoints.http.etags import held_feed


def test_the_floor_looks_credentials_up_with_fusionx_statement_and_parameters() -> None:
    # What a reading unit sends to asyncpg, which is what the session would send.
    assert _WITH_HOLDER_SQL.sql.split() == AUTH_SQL.split()
    assert _WITH_HOLDER_SQL.arguments(token_hash="h") == [*AUTH_KINDS, "h"]
    compiled = _WITH_HOLDER.compile(dialect=asyncpg.dialect())
    assert str(compiled).split() == AUTH_SQL.split()


def test_the_floor_hashes_secrets_as_fusionx_does() -> None:
    assert hash_secret("a secret") == fusionx_hash_secret("a secret")


def test_the_floor_reads_the_feed_head_fusionx_reads_on_postgresql() -> None:
    assert HEAD_SQL.split() == _PG_FEED_HEAD.split()


def test_the_floor_reads_the_feed_with_fusionx_one_statement() -> None:
    assert FEED_UNLESS_HELD_SQL.split() == pg_feed_unless_held(frozenset(OPEN_STATES)).split()


def test_the_floor_reads_if_none_match_as_fusionx_does() -> None:
    tags = f'{feed_etag(7)}, "8-nothing", {fusionx_feed_etag(9, OPEN_STATES)}, W/"x"'
    held = held_feed(tags, OPEN_STATES)
    assert held_seqs(tags) == (held.any, sorted(held.seqs))
    assert held_seqs("*") == (True, [])


def test_the_floor_tags_the_default_feed_as_fusionx_does() -> None:
    assert feed_etag(42) == fusionx_feed_etag(42, OPEN_STATES)
