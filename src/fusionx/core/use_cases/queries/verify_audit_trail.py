from __future__ import annotations

import msgspec

from fusionx.core.messages import Message
from fusionx.core.model.audit import GENESIS, ChainBreak, first_break
from fusionx.core.model.fleet_events import Stream
from fusionx.ports.unit_of_work import UnitOfWork

PAGE = 500


class AuditVerification(msgspec.Struct, frozen=True, kw_only=True):
    """How much was walked, and the first break (None: the trail holds)."""

    streams: int
    records: int
    broken: ChainBreak | None


class VerifyAuditTrail:
    """Walk every stream of the audit trail and report the first break.

    Rules:
    - each stream's records are numbered 1, 2, 3… with no gap up to its counter's last
      seq, and none beyond it: a missing record (removed, or renumbered) is a break;
    - each record names the hash of the one before (``GENESIS`` for the first) and
      its own hash matches its content: an edited or reordered record is a break.
    The chain proves the records unchanged since they were written, not against
    someone who rewrites a stream's every hash after an edit: keep the heads elsewhere
    for that.
    """

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(self) -> AuditVerification:
        streams = records = 0
        async with self._uow as uow:
            for key, last_seq in (await uow.fleet_events.heads()).items():
                streams += 1
                broken, walked = await _walk(uow, key, last_seq)
                records += walked
                if broken is not None:
                    return AuditVerification(streams=streams, records=records, broken=broken)
        return AuditVerification(streams=streams, records=records, broken=None)


async def _walk(uow: UnitOfWork, key: str, last_seq: int) -> tuple[ChainBreak | None, int]:
    stream, expected, prev, walked = Stream.parse(key), 1, GENESIS, 0
    while True:
        links = await uow.fleet_events.links(stream, after_seq=expected - 1, limit=PAGE)
        broken = first_break(key, links, expected, prev)
        if broken is not None:  # the records before it on this page held
            return broken, walked + broken.seq - expected
        walked += len(links)
        if links:
            expected, prev = links[-1].seq + 1, links[-1].hash
        if len(links) < PAGE:
            break
    if expected - 1 < last_seq:
        return ChainBreak(stream=key, seq=expected, reason=Message("audit.chain.missing")), walked
    if expected - 1 > last_seq:
        return ChainBreak(
            stream=key, seq=last_seq + 1, reason=Message("audit.chain.beyond_last")
        ), walked
    return None, walked
