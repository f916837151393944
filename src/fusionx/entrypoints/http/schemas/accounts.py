"""Bodies of the account routes reached from an email: password reset, accepting an
invitation, confirming a new email address. Each link's token is sent back as is."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from fusionx.core.messages import Message
from fusionx.core.model.email_tokens import TokenPurpose
from fusionx.core.rules.validation import (
    EMAIL_INPUT_PATTERN,
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
)
from fusionx.core.use_cases.commands.accept_invitation import AcceptInvitationRequest
from fusionx.core.use_cases.commands.confirm_email_change import ConfirmEmailChangeRequest
from fusionx.core.use_cases.commands.request_password_reset import PasswordResetRequest
from fusionx.core.use_cases.commands.reset_password import ResetPasswordRequest
from fusionx.entrypoints.http.schemas.requests import RequestBody
from fusionx.entrypoints.http.schemas.scalars import text
from fusionx.ports.translator import Translator

# The secret of an email link (``fxe_`` and 43 characters); anything else is looked up
# and refused as not valid, naming ``token``.
Token = Annotated[str, text(200, description="The token from the email's link")]
NewPassword = Annotated[
    str,
    msgspec.Meta(
        max_length=MAX_PASSWORD_LENGTH, extra_json_schema={"minLength": MIN_PASSWORD_LENGTH}
    ),
]


class PasswordResetBody(RequestBody, frozen=True, kw_only=True):
    email: Annotated[str, text(254, pattern=EMAIL_INPUT_PATTERN)]

    def to_request(self, client_address: str, languages: tuple[str, ...]) -> PasswordResetRequest:
        return PasswordResetRequest(
            email=self.email, client_address=client_address, languages=languages
        )


class PasswordResetAccepted(msgspec.Struct, frozen=True, kw_only=True):
    """The same answer whether the email names an account or not."""

    status: Literal["accepted"]
    detail: str

    @classmethod
    def always(cls, translator: Translator, languages: tuple[str, ...]) -> PasswordResetAccepted:
        minutes = int(TokenPurpose.PASSWORD_RESET.validity.total_seconds() // 60)
        said = Message("accounts.reset.accepted", {"minutes": minutes})
        return cls(status="accepted", detail=translator.render(said, translator.choose(languages)))


class PasswordResetConfirmBody(RequestBody, frozen=True, kw_only=True):
    token: Token
    password: NewPassword

    def to_request(self) -> ResetPasswordRequest:
        return ResetPasswordRequest(token=self.token, password=self.password)


class InvitationAcceptBody(RequestBody, frozen=True, kw_only=True):
    token: Token
    password: NewPassword
    # Replaces the name the inviter typed, when given.
    name: Annotated[str, text(200)] | None = None

    def to_request(self) -> AcceptInvitationRequest:
        return AcceptInvitationRequest(token=self.token, password=self.password, name=self.name)


class EmailConfirmBody(RequestBody, frozen=True, kw_only=True):
    token: Token

    def to_request(self) -> ConfirmEmailChangeRequest:
        return ConfirmEmailChangeRequest(token=self.token)
