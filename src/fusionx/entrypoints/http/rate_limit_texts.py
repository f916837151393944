"""The user-visible texts of rate limiting, one constant each, for the message catalogues."""

from __future__ import annotations

from fusionx.core.model.fleet_texts import Text

RATE_LIMITED_TITLE = Text("rate_limit.title", "Too many requests")
RATE_LIMITED = Text(
    "rate_limit.exceeded",
    "Too many requests from your address; retry in {seconds} seconds",
)
