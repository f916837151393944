from __future__ import annotations

from typing import Literal

import msgspec


class Liveness(msgspec.Struct, frozen=True, kw_only=True):
    status: Literal["ok"]


class Readiness(msgspec.Struct, frozen=True, kw_only=True):
    status: Literal["ready"]
