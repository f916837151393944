"""Kitchen tickets rebuilt from the event stream alone, and compared with REST."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from fusionx.simulator.messages import TICKET_STATES, StreamEvent, TicketView


class TicketBoard:
    """What a kitchen display would show if the stream were all it had.

    Starts from a snapshot (``load``) and applies ``order.created`` and
    ``ticket.state_changed``. A change must start from the state the board holds and
    raise the version by exactly one; anything else is an anomaly, kept for the report.
    """

    def __init__(self) -> None:
        self.tickets: dict[str, TicketView] = {}
        self.anomalies: list[str] = []

    def load(self, tickets: Iterable[TicketView]) -> None:
        for ticket in tickets:
            self.tickets[ticket.id] = ticket

    def apply(self, event: StreamEvent) -> TicketView | None:
        """The ticket the event created or moved; None for other events."""
        if event.type == "order.created":
            return self._created(event)
        if event.type == "ticket.state_changed":
            return self._changed(event)
        return None

    def _created(self, event: StreamEvent) -> TicketView | None:
        raw = event.data.get("ticket")
        if not isinstance(raw, dict):
            self.anomalies.append(f"seq {event.seq}: order.created without a ticket")
            return None
        ticket = TicketView(
            id=str(raw["id"]), number=raw["number"], state=raw["state"], version=raw["version"]
        )
        if ticket.id in self.tickets:
            self.anomalies.append(f"seq {event.seq}: ticket #{ticket.number} created twice")
        self.tickets[ticket.id] = ticket
        return ticket

    def _changed(self, event: StreamEvent) -> TicketView | None:
        data = event.data
        ticket_id = str(data.get("ticket_id"))
        known = self.tickets.get(ticket_id)
        if known is None:
            self.anomalies.append(f"seq {event.seq}: change of unknown ticket {ticket_id}")
            return None
        source, target, version = data.get("from"), data.get("to"), data.get("version")
        if source != known.state or version != known.version + 1:
            self.anomalies.append(
                f"seq {event.seq}: ticket #{known.number} went {source}→{target} v{version}, "
                f"but the stream had it {known.state} v{known.version}"
            )
        moved = TicketView(
            id=known.id, number=known.number, state=str(target), version=int(version or 0)
        )
        self.tickets[ticket_id] = moved
        return moved

    def counts(self) -> Counter[str]:
        return Counter(t.state for t in self.tickets.values())


def differences(board: TicketBoard, rest: Mapping[str, Iterable[TicketView]]) -> list[str]:
    """Where the board disagrees with REST's ticket lists by state; [] when it agrees.

    ``rest`` maps each state to the tickets ``GET …/tickets?state=`` gave for it.
    """
    found: list[str] = []
    seen: dict[str, TicketView] = {}
    for state in TICKET_STATES:
        for ticket in rest.get(state, ()):
            seen[ticket.id] = ticket
    for ticket_id in sorted(seen.keys() | board.tickets.keys()):
        streamed, listed = board.tickets.get(ticket_id), seen.get(ticket_id)
        if streamed is None and listed is not None:
            found.append(f"ticket #{listed.number} is {listed.state} over REST, unseen in stream")
        elif listed is None and streamed is not None:
            found.append(f"ticket #{streamed.number} is {streamed.state} in stream, not over REST")
        elif (
            streamed
            and listed
            and (streamed.state, streamed.version)
            != (
                listed.state,
                listed.version,
            )
        ):
            found.append(
                f"ticket #{listed.number}: stream says {streamed.state} v{streamed.version}, "
                f"REST says {listed.state} v{listed.version}"
            )
    return found
