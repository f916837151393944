"""Device pairing codes on the wire."""

from __future__ import annotations

from typing import Annotated, Self
from uuid import UUID

import msgspec

from fusionx.core.use_cases.commands.request_pairing_code import (
    IssuedPairingCode,
    PairingCodeRequest,
)
from fusionx.entrypoints.http.schemas.requests import RequestBody
from fusionx.entrypoints.http.schemas.scalars import UtcDateTime, text


class PairingCodeBody(RequestBody, frozen=True, kw_only=True):
    # The name the paired device will have ("Pass tablet").
    label: Annotated[str, text(100)]

    def to_request(self, truck_id: UUID) -> PairingCodeRequest:
        return PairingCodeRequest(truck_id=truck_id, label=self.label)


class PairingCodeView(msgspec.Struct, frozen=True, kw_only=True):
    # Eight characters to type on the tablet's board page (/app/board/pair), once.
    code: str
    expires_at: UtcDateTime

    @classmethod
    def of(cls, issued: IssuedPairingCode) -> Self:
        return cls(code=issued.code, expires_at=issued.expires_at)
