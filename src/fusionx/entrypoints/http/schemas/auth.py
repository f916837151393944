"""Sign-in request and session token response."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from fusionx.core.rules.validation import MAX_PASSWORD_LENGTH
from fusionx.core.use_cases.commands.log_in import LogInRequest, LogInResult
from fusionx.entrypoints.http.schemas.requests import RequestBody
from fusionx.entrypoints.http.schemas.scalars import UtcDateTime
from fusionx.entrypoints.http.schemas.staff import StaffView


class LoginBody(RequestBody, frozen=True, kw_only=True):
    # Refused only as unknown: whatever is sent is looked up, never judged.
    email: Annotated[str, msgspec.Meta(min_length=1, max_length=254)]
    password: Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_PASSWORD_LENGTH)]

    def to_request(self, client_address: str, user_agent: str | None = None) -> LogInRequest:
        return LogInRequest(
            email=self.email,
            password=self.password,
            client_address=client_address,
            user_agent=user_agent,
        )


class LoginView(msgspec.Struct, frozen=True, kw_only=True):
    """A session token: send it as ``Authorization: Bearer <token>`` until ``expires_at``."""

    token: str
    token_type: Literal["bearer"]
    expires_at: UtcDateTime
    staff: StaffView

    @classmethod
    def of(cls, result: LogInResult) -> LoginView:
        return cls(
            token=result.token,
            token_type="bearer",  # noqa: S106 - the scheme's name, not a secret
            expires_at=result.expires_at,
            staff=StaffView.of(result.staff),
        )
