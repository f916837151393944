"""``GET /metrics``: Prometheus figures of every worker, for a scraper holding the
metrics token (``FUSIONX_METRICS_TOKEN``) or an owner's or admin's credential."""

from __future__ import annotations

import hmac
from typing import Any

from litestar import Controller, Request, Response, get
from prometheus_client import CONTENT_TYPE_LATEST

from fusionx.adapters.observability.metrics import Snapshot, scrape
from fusionx.core.errors import AuthenticationRequired
from fusionx.core.messages import Message
from fusionx.core.model.staff import Role
from fusionx.core.rules.access import require_staff
from fusionx.entrypoints import use_cases
from fusionx.entrypoints.bootstrap import Adapters
from fusionx.entrypoints.http.auth import bearer_secret
from fusionx.entrypoints.http.dependencies import AppAdapters

# The app keeps the metrics token (or None) in its state under this key.
TOKEN_STATE_KEY = "fusionx.metrics_token"  # noqa: S105 - a key, not a secret


class MetricsController(Controller):
    path = "/metrics"
    include_in_schema = False  # for operators' tools, not part of the API contract

    @get(operation_id="scrapeMetrics")
    async def scrape(
        self, request: Request[Any, Any, Any], adapters: AppAdapters
    ) -> Response[bytes]:
        await _authorize(request, adapters)
        body = scrape(await _snapshot(adapters))
        return Response(body, media_type=CONTENT_TYPE_LATEST)


async def _authorize(request: Request[Any, Any, Any], adapters: Adapters) -> None:
    secret = bearer_secret(request.headers.get("authorization"))
    if secret is None:
        raise AuthenticationRequired(Message("auth.bearer_required"))
    token: str | None = request.app.state.get(TOKEN_STATE_KEY)
    if token is not None and hmac.compare_digest(secret.encode(), token.encode()):
        return
    principal = await use_cases.authenticate(adapters).execute(secret)
    require_staff(principal, Role.ADMIN)


async def _snapshot(adapters: Adapters) -> Snapshot:
    ready = not await adapters.readiness.problems()
    if adapters.outbox_backlog is None or not ready:
        return Snapshot(ready=ready)
    try:
        pending, age = await adapters.outbox_backlog(adapters.clock.now())
    except Exception:  # noqa: BLE001 - a scrape reports what it can
        return Snapshot(ready=ready)
    return Snapshot(ready=ready, outbox_pending=pending, outbox_oldest_age_seconds=age)
