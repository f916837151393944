from __future__ import annotations

import re

import msgspec

from fusionx.core.errors import InvalidInput
from fusionx.core.messages import Message
from fusionx.core.model.actors import actor_of
from fusionx.core.model.principals import DevicePrincipal, Principal
from fusionx.core.model.push_tokens import PushToken
from fusionx.core.rules.access import require_operator
from fusionx.core.rules.validation import require_text
from fusionx.ports.clock import Clock
from fusionx.ports.unit_of_work import UnitOfWork

# APNs device tokens are hex: 32 bytes today, Apple says they may grow.
APNS_TOKEN_PATTERN = r"^[0-9a-fA-F]{64,200}$"  # noqa: S105 - a grammar, not a secret
_APNS_TOKEN = re.compile(APNS_TOKEN_PATTERN)


class RegisterPushTokenRequest(msgspec.Struct, frozen=True, kw_only=True):
    token: str
    app_version: str
    os_version: str
    platform: str = "ios"


class RegisterPushToken:
    """A device (or a staff member's app) registers where its pushes go.

    Rules:
    - the caller registers its own token only: a device for itself, staff for their
      phone; a new token replaces the old one;
    - a device's app and OS versions are updated with it;
    - a token Apple answered 410 for stays disabled when registered again no later
      than Apple's timestamp (a stale re-registration); registered later, it works.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, principal: Principal, request: RegisterPushTokenRequest) -> PushToken:
        if not _APNS_TOKEN.fullmatch(request.token):
            raise InvalidInput("token", Message("push.token_format"))
        app_version = require_text("app_version", request.app_version, max_length=50)
        os_version = require_text("os_version", request.os_version, max_length=50)
        platform = require_text("platform", request.platform, max_length=16)
        now, owner = self._clock.now(), actor_of(require_operator(principal))
        async with self._uow as uow:
            current = await uow.push_tokens.get(owner)
            if isinstance(principal, DevicePrincipal):
                device = await uow.devices.get(principal.device.id)
                if device is not None:
                    platform = device.platform.value
                    await uow.devices.update(
                        msgspec.structs.replace(
                            device, app_version=app_version, os_version=os_version
                        )
                    )
            token = PushToken(
                owner=owner,
                token=request.token.lower(),
                platform=platform,
                app_version=app_version,
                os_version=os_version,
                registered_at=now,
            )
            if (
                current is not None
                and current.token == token.token
                and current.invalid_since is not None
                and now <= current.invalid_since
            ):
                token = msgspec.structs.replace(
                    token,
                    disabled_at=current.disabled_at,
                    disabled_reason=current.disabled_reason,
                    invalid_since=current.invalid_since,
                )
            await uow.push_tokens.put(token)
            await uow.commit()
        return token
