from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from fusionx.simulator.errors import SimulationError


@dataclass(frozen=True, kw_only=True)
class SimulationConfig:
    """What to simulate. Without ``shift_id`` the truck checks in at ``location_id``, or
    at the first active location when none is given (or reuses its open shift)."""

    base_url: str
    email: str
    password: str
    truck_id: UUID | None = None
    location_id: UUID | None = None
    shift_id: UUID | None = None
    orders: int = 50
    rate: float = 2.0
    prep_seconds: float = 3.0
    seed: int | None = None
    checkout: bool = False
    double_tap: float = 0.05
    # Seconds to wait for the kitchen to finish and the stream to catch up at the end.
    settle_seconds: float = 30.0

    def __post_init__(self) -> None:
        if not self.base_url.startswith(("http://", "https://")):
            raise SimulationError("--base-url must start with http:// or https://")
        if self.orders < 1:
            raise SimulationError("--orders must be at least 1")
        if self.rate <= 0:
            raise SimulationError("--rate must be more than 0 orders per second")
        if self.prep_seconds < 0:
            raise SimulationError("--prep-seconds must not be negative")
        if not 0 <= self.double_tap <= 1:
            raise SimulationError("--double-tap must be a probability, 0 to 1")
