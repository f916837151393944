"""The user-visible texts of fleet administration (trucks, locations, operating hours).

One constant per text: a dotted message key and its English with ``{named}`` parameters,
ready for the message catalogues.
"""

from __future__ import annotations

from typing import NamedTuple


class Text(NamedTuple):
    key: str
    english: str

    def render(self, **params: object) -> str:
        return self.english.format(**params)


TRUCK_ALREADY_ACTIVE = Text("fleet.truck.already_active", "The truck is already active")
TRUCK_ALREADY_INACTIVE = Text("fleet.truck.already_inactive", "The truck is already deactivated")
TRUCK_INACTIVE = Text(
    "fleet.truck.inactive", "The truck is deactivated: it takes no shift and no order"
)
TRUCK_HAS_OPEN_SHIFT = Text(
    "fleet.truck.open_shift", "The truck has an open shift: check it out before deactivating it"
)
LOCATION_ALREADY_ACTIVE = Text("fleet.location.already_active", "The location is already active")
LOCATION_ALREADY_INACTIVE = Text(
    "fleet.location.already_inactive", "The location is already deactivated"
)
LOCATION_INACTIVE = Text(
    "fleet.location.inactive", "The location is deactivated: no truck checks in there"
)
OUTSIDE_HOURS = Text(
    "fleet.hours.outside",
    "The truck is outside its operating hours: a manager may check it in with a reason",
)
OUTSIDE_HOURS_REASON = Text(
    "fleet.hours.reason_required", "is required to check in outside the operating hours"
)
NOTHING_TO_CHANGE = Text("fleet.nothing_to_change", "name at least one field to change")
