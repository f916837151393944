"""In-memory repositories over one unit of work's private copy of the tables."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from uuid import UUID

import msgspec

from fusionx.adapters.memory.store import InMemoryTables
from fusionx.core.model.credentials import AccessToken, PrincipalKind
from fusionx.core.model.customers import Customer
from fusionx.core.model.devices import Device
from fusionx.core.model.hours import OperatingHours
from fusionx.core.model.paging import Page, PageRequest
from fusionx.core.model.staff import Role, StaffFilter, StaffMember, normalize_email
from fusionx.core.model.trucks import Location, Truck
from fusionx.ports.errors import UniqueViolation
from fusionx.ports.repositories.access_tokens import TokenHolder


class InMemoryStaffRepository:
    def __init__(self, tables: InMemoryTables) -> None:
        self._rows = tables.staff

    async def add(self, staff: StaffMember) -> None:
        if await self.get_by_email(staff.email) is not None:
            raise UniqueViolation("email")
        self._rows[staff.id] = staff

    async def get(self, staff_id: UUID) -> StaffMember | None:
        return self._rows.get(staff_id)

    async def get_by_email(self, email: str) -> StaffMember | None:
        wanted = normalize_email(email)
        return next((s for s in self._rows.values() if normalize_email(s.email) == wanted), None)

    async def update(self, staff: StaffMember) -> None:
        other = await self.get_by_email(staff.email)
        if other is not None and other.id != staff.id:
            raise UniqueViolation("email")
        self._rows[staff.id] = staff

    async def count(self) -> int:
        return len(self._rows)

    async def search(self, criteria: StaffFilter, page: PageRequest) -> Page[StaffMember]:
        found = [staff for staff in self._rows.values() if criteria.matches(staff)]
        return Page.of_list(sorted(found, key=lambda s: (s.name, s.id)), page)

    async def lock_active_owners(self) -> frozenset[UUID]:
        # Units of work run one at a time here: reading is locking.
        return frozenset(s.id for s in self._rows.values() if s.active and s.role is Role.OWNER)


class InMemoryTruckRepository:
    def __init__(self, tables: InMemoryTables) -> None:
        self._rows = tables.trucks

    async def add(self, truck: Truck) -> None:
        self._rows[truck.id] = truck

    async def get(self, truck_id: UUID) -> Truck | None:
        return self._rows.get(truck_id)

    async def update(self, truck: Truck) -> None:
        self._rows[truck.id] = truck

    async def list_all(self) -> list[Truck]:
        return sorted(self._rows.values(), key=lambda t: (t.name, t.id))


class InMemoryLocationRepository:
    def __init__(self, tables: InMemoryTables) -> None:
        self._rows = tables.locations

    async def add(self, location: Location) -> None:
        self._rows[location.id] = location

    async def get(self, location_id: UUID) -> Location | None:
        return self._rows.get(location_id)

    async def update(self, location: Location) -> None:
        self._rows[location.id] = location

    async def list_all(self, *, active_only: bool = False) -> list[Location]:
        rows = [loc for loc in self._rows.values() if loc.active or not active_only]
        return sorted(rows, key=lambda loc: (loc.name, loc.id))


class InMemoryOperatingHoursRepository:
    def __init__(self, tables: InMemoryTables) -> None:
        self._trucks = tables.truck_hours
        self._locations = tables.location_hours

    async def for_truck(self, truck_id: UUID) -> OperatingHours:
        return self._trucks.get(truck_id, OperatingHours())

    async def for_location(self, location_id: UUID) -> OperatingHours:
        return self._locations.get(location_id, OperatingHours())

    async def set_for_truck(self, truck_id: UUID, hours: OperatingHours) -> None:
        _put(self._trucks, truck_id, hours)

    async def set_for_location(self, location_id: UUID, hours: OperatingHours) -> None:
        _put(self._locations, location_id, hours)


def _put(table: dict[UUID, OperatingHours], key: UUID, hours: OperatingHours) -> None:
    if hours.is_set:
        table[key] = hours
    else:
        table.pop(key, None)


class InMemoryDeviceRepository:
    def __init__(self, tables: InMemoryTables) -> None:
        self._rows = tables.devices

    async def add(self, device: Device) -> None:
        self._rows[device.id] = device

    async def get(self, device_id: UUID) -> Device | None:
        return self._rows.get(device_id)

    async def list_for_truck(self, truck_id: UUID, page: PageRequest) -> Page[Device]:
        rows = sorted(
            (d for d in self._rows.values() if d.truck_id == truck_id),
            key=lambda d: (d.created_at, d.id),
        )
        return Page.of_list(rows, page)

    async def update(self, device: Device) -> None:
        self._rows[device.id] = device

    async def get_for_update(self, device_id: UUID) -> Device | None:
        return self._rows.get(device_id)  # units of work already run one at a time

    async def gone_quiet(self, seen_before: datetime, limit: int) -> list[Device]:
        quiet = [d for d in self._rows.values() if _quiet(d, seen_before)]
        return sorted(quiet, key=lambda d: (d.last_seen_at, d.id))[:limit]

    async def mark_stale(self, device_id: UUID, seen_before: datetime, at: datetime) -> bool:
        device = self._rows.get(device_id)
        if device is None or not _quiet(device, seen_before):
            return False
        self._rows[device_id] = msgspec.structs.replace(device, stale_since=at)
        return True


def _quiet(device: Device, seen_before: datetime) -> bool:
    return (
        device.revoked_at is None
        and device.stale_since is None
        and device.last_seen_at is not None
        and device.last_seen_at < seen_before
    )


class InMemoryAccessTokenRepository:
    """Revoked ids go to ``revoked``, which the unit of work hands to its bus on commit."""

    def __init__(self, tables: InMemoryTables, revoked: list[UUID] | None = None) -> None:
        self._rows = tables.tokens
        self._staff = tables.staff
        self._devices = tables.devices
        self._customers = tables.customers
        self._revoked = [] if revoked is None else revoked

    async def add(self, token: AccessToken) -> None:
        if any(t.token_hash == token.token_hash for t in self._rows.values()):
            raise UniqueViolation("token_hash")
        self._rows[token.id] = token

    async def get_by_hash(self, token_hash: str) -> AccessToken | None:
        return next((t for t in self._rows.values() if t.token_hash == token_hash), None)

    async def get_with_holder(self, token_hash: str) -> TokenHolder | None:
        token = await self.get_by_hash(token_hash)
        if token is None:
            return None
        # The kind says whose table to look in: a token never stands for a device, or a
        # customer, by accident of sharing an id.
        subject: StaffMember | Device | Customer | None = None
        if token.kind is PrincipalKind.STAFF:
            subject = self._staff.get(token.subject_id)
        elif token.kind is PrincipalKind.DEVICE:
            subject = self._devices.get(token.subject_id)
        elif token.kind is PrincipalKind.CUSTOMER:
            subject = self._customers.get(token.subject_id)
        return TokenHolder(token=token, subject=subject)

    async def revoke(self, token_id: UUID, at: datetime) -> None:
        token = self._rows.get(token_id)
        if token is not None and token.revoked_at is None:
            self._rows[token_id] = msgspec.structs.replace(token, revoked_at=at)
            self._revoked.append(token_id)

    async def revoke_all_for(
        self, subject_id: UUID, at: datetime, keep: UUID | None = None
    ) -> None:
        for token in list(self._rows.values()):
            if token.subject_id == subject_id and token.id != keep:
                await self.revoke(token.id, at)

    async def get(self, token_id: UUID) -> AccessToken | None:
        return self._rows.get(token_id)

    async def sessions_of(
        self, staff_id: UUID, now: datetime, page: PageRequest
    ) -> Page[AccessToken]:
        live = [
            token
            for token in self._rows.values()
            if token.kind is PrincipalKind.STAFF
            and token.subject_id == staff_id
            and token.is_usable_at(now)
        ]
        return Page.of_list(sorted(live, key=lambda t: (t.created_at, t.id), reverse=True), page)

    async def seen(self, token_id: UUID, at: datetime, unless_since: datetime) -> None:
        token = self._rows.get(token_id)
        if token is not None and (token.last_seen_at is None or token.last_seen_at < unless_since):
            self._rows[token_id] = msgspec.structs.replace(token, last_seen_at=at)


class InMemoryLoginFailureLog:
    def __init__(self, tables: InMemoryTables) -> None:
        self._rows = tables.login_failures

    async def hold(self, keys: Collection[str]) -> None:
        """Nothing to do: units of work run one at a time (the store's write lock)."""

    async def record(self, key: str, at: datetime) -> None:
        # A fresh list: the committed store must not see this before commit.
        self._rows[key] = [*self._rows.get(key, []), at]

    async def since(self, key: str, since: datetime) -> list[datetime]:
        return sorted(at for at in self._rows.get(key, []) if at > since)

    async def forgive(self, key: str, at: datetime) -> None:
        times = list(self._rows.get(key, []))
        if at in times:
            times.remove(at)
            self._rows[key] = times

    async def clear(self, key: str) -> None:
        self._rows.pop(key, None)
