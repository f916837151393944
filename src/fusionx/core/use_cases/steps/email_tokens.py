"""Issuing and using single-use email tokens: shared by the password reset, the
invitation and the email change."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec

from fusionx.core.errors import InvalidInput
from fusionx.core.messages import Message
from fusionx.core.model.credentials import hash_secret
from fusionx.core.model.email_tokens import EmailToken, TokenPurpose, new_email_secret
from fusionx.ports.id_generator import IdGenerator
from fusionx.ports.unit_of_work import UnitOfWork

# The page of the staff app each link opens; the secret rides in the fragment, which
# browsers never send to a server, so it reaches no access log nor Referer header.
_PAGES = {
    TokenPurpose.PASSWORD_RESET: "account/reset-password",
    TokenPurpose.INVITATION: "account/accept-invitation",
    TokenPurpose.EMAIL_CHANGE: "account/confirm-email",
}
INVALID_TOKEN = Message("accounts.token.invalid")


class IssuedToken(msgspec.Struct, frozen=True, kw_only=True):
    """A token as stored, and the link that carries its secret (shown once, in the email)."""

    token: EmailToken
    link: str


def new_email_token(
    *,
    ids: IdGenerator,
    purpose: TokenPurpose,
    staff_id: UUID,
    email: str,
    now: datetime,
    public_url: str,
) -> IssuedToken:
    """A fresh token and its link; nothing stored yet (``EmailTokenRepository.add``)."""
    secret = new_email_secret()
    token = EmailToken(
        id=ids.new_id(),
        token_hash=hash_secret(secret),
        purpose=purpose,
        staff_id=staff_id,
        email=email,
        created_at=now,
        expires_at=now + purpose.validity,
    )
    link = f"{public_url.rstrip('/')}/{_PAGES[purpose]}#token={secret}"
    return IssuedToken(token=token, link=link)


async def store_email_token(uow: UnitOfWork, issued: IssuedToken) -> None:
    """Keep ``issued``, the only live token of its purpose for its account: an older
    link stops working once a newer one is sent."""
    token = issued.token
    await uow.email_tokens.discard_for(token.staff_id, token.purpose, token.created_at)
    await uow.email_tokens.add(token)


async def consume_email_token(
    uow: UnitOfWork, secret: str, purpose: TokenPurpose, now: datetime
) -> EmailToken:
    """The token of ``secret``, used up; 422 on ``token`` if it cannot be used."""
    token = await uow.email_tokens.consume(hash_secret(secret), purpose, now)
    if token is None:
        raise InvalidInput("token", INVALID_TOKEN)
    return token
