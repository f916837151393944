"""Push tokens: where Apple delivers to a device or a staff member's phone."""

from __future__ import annotations

from datetime import datetime

import msgspec

from fusionx.core.model.actors import Actor


class PushToken(msgspec.Struct, frozen=True, kw_only=True):
    """The one push token of its owner (a device, or a staff member's app).

    A token Apple refused is kept, disabled, so it is not used again; Apple's 410 gives
    the time from which it is invalid (``invalid_since``): the token works again only
    when the owner registers it later than that.
    """

    owner: Actor
    token: str
    platform: str
    app_version: str
    os_version: str
    registered_at: datetime
    disabled_at: datetime | None = None
    disabled_reason: str | None = None
    invalid_since: datetime | None = None

    @property
    def usable(self) -> bool:
        return self.disabled_at is None
