from __future__ import annotations

from litestar import Controller, get

from fusionx.entrypoints.http.dependencies import AppAdapters
from fusionx.entrypoints.http.openapi import problem_responses
from fusionx.entrypoints.http.problems import NotReady
from fusionx.entrypoints.http.schemas.health import Liveness, Readiness


class HealthController(Controller):
    """Probes for the orchestrator: public, cheap, no credential."""

    path = "/health"
    tags = ("health",)

    @get("/live", operation_id="checkLiveness", summary="The process is up")
    async def live(self) -> Liveness:
        return Liveness(status="ok")

    @get(
        "/ready",
        operation_id="checkReadiness",
        summary="The service can do useful work: its store answers and is migrated",
        responses=problem_responses(503),
    )
    async def ready(self, adapters: AppAdapters) -> Readiness:
        if problems := await adapters.readiness.problems():
            raise NotReady(problems)
        return Readiness(status="ready")
