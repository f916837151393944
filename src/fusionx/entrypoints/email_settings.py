"""Settings of the mail server (SMTP) that account emails go out through.

Read like ``Settings``, from ``FUSIONX_SMTP_*`` variables; the password may come from
``FUSIONX_SMTP_PASSWORD_FILE``. Without a host and a From address email is off:
invitations and email changes answer 503 ``/problems/not-configured``, and password
resets answer as always but send nothing (a warning is logged).
"""

from __future__ import annotations

from collections.abc import Mapping
from email.utils import parseaddr
from typing import Annotated

import msgspec

from fusionx.entrypoints.environment import bad_value, env_name, from_environment

SECRET_FIELDS = frozenset({"smtp_password"})


class EmailSettings(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    smtp_host: str = ""
    smtp_port: Annotated[int, msgspec.Meta(ge=1, le=65535)] = 587
    smtp_username: str = ""
    smtp_password: str = ""
    # Upgrade the connection with STARTTLS before logging in (port 587). Off only for a
    # server on the same host or a test server.
    smtp_starttls: bool = True
    # The From header: "FusionX <no-reply@example.com>" or a bare address.
    smtp_from: str = ""
    smtp_timeout_seconds: Annotated[float, msgspec.Meta(gt=0, le=300)] = 30.0

    @property
    def configured(self) -> bool:
        return bool(self.smtp_host and self.smtp_from)


def load_email_settings(environ: Mapping[str, str] | None = None) -> EmailSettings:
    settings = from_environment(EmailSettings, SECRET_FIELDS, environ)
    if settings.smtp_from and "@" not in parseaddr(settings.smtp_from)[1]:
        raise bad_value(
            env_name("smtp_from"), settings.smtp_from, 'an address, e.g. "FusionX <no-reply@x.io>"'
        )
    return settings
