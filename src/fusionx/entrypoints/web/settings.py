"""What the pages take from the settings."""

from __future__ import annotations

from dataclasses import dataclass

from litestar.di import NamedDependency, Provide


@dataclass(frozen=True, slots=True)
class Cookies:
    """``secure``: cookies only over TLS (``FUSIONX_PUBLIC_URL`` is ``https://…``)."""

    secure: bool


CookiePolicy = NamedDependency[Cookies]


def cookies_provider(*, secure: bool) -> Provide:
    cookies = Cookies(secure=secure)
    return Provide(lambda: cookies, sync_to_thread=False)
