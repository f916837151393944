"""Pairing a tablet's browser by a short code: who may ask, once only, for five minutes,
guesses limited per address (with a manual clock)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from fusionx.adapters.memory.clock import ManualClock
from fusionx.core.errors import InvalidInput, NotFound, PermissionDenied, TooManyAttempts
from fusionx.core.model.devices import Platform
from fusionx.core.model.pairing_codes import PAIRING_ALPHABET, PAIRING_CODE_LENGTH
from fusionx.core.model.principals import DevicePrincipal, StaffPrincipal
from fusionx.core.model.staff import Role, StaffMember
from fusionx.core.model.trucks import Truck
from fusionx.core.rules.login_throttle import PAIRING_ADDRESS_POLICY
from fusionx.core.use_cases.commands.pair_device import PairDevice, PairDeviceRequest
from fusionx.core.use_cases.commands.request_pairing_code import (
    IssuedPairingCode,
    PairingCodeRequest,
    RequestPairingCode,
)
from fusionx.core.use_cases.queries.authenticate import Authenticate
from fusionx.entrypoints.bootstrap import Adapters
from tests.factories import make_staff, make_truck

TABLET = "203.0.113.7"


def as_principal(staff: StaffMember) -> StaffPrincipal:
    return StaffPrincipal(staff=staff, token_id=staff.id)


async def ask(adapters: Adapters, staff: StaffMember, truck: Truck) -> IssuedPairingCode:
    request = PairingCodeRequest(truck_id=truck.id, label="Pass tablet")
    return await RequestPairingCode(adapters.uow(), adapters.clock, adapters.ids).execute(
        as_principal(staff), request
    )


async def paired(adapters: Adapters, code: str, address: str = TABLET) -> str:
    request = PairDeviceRequest(code=code, client_address=address)
    made = await PairDevice(adapters.uow(), adapters.clock, adapters.ids).execute(request)
    return made.credential


async def test_a_code_pairs_a_web_device_of_the_truck_whose_credential_works(
    adapters: Adapters,
) -> None:
    truck = await make_truck(adapters)
    manager = await make_staff(adapters, role=Role.MANAGER, trucks=[truck])
    issued = await ask(adapters, manager, truck)

    credential = await paired(adapters, issued.code.lower()[:4] + "-" + issued.code[4:])

    principal = await Authenticate(adapters.uow(), adapters.clock).execute(credential)
    assert isinstance(principal, DevicePrincipal)
    assert principal.device.truck_id == truck.id
    assert principal.device.platform is Platform.WEB
    assert principal.device.label == "Pass tablet"
    assert principal.device.registered_by == manager.id
    assert len(issued.code) == PAIRING_CODE_LENGTH
    assert set(issued.code) <= set(PAIRING_ALPHABET)
    assert issued.expires_at == adapters.clock.now() + timedelta(minutes=5)


async def test_a_code_pairs_once(adapters: Adapters) -> None:
    truck = await make_truck(adapters)
    manager = await make_staff(adapters, role=Role.MANAGER, trucks=[truck])
    issued = await ask(adapters, manager, truck)
    await paired(adapters, issued.code)

    with pytest.raises(InvalidInput) as refused:
        await paired(adapters, issued.code)

    assert refused.value.field == "code"


async def test_a_code_dies_after_five_minutes(adapters: Adapters, clock: ManualClock) -> None:
    truck = await make_truck(adapters)
    manager = await make_staff(adapters, role=Role.MANAGER, trucks=[truck])
    issued = await ask(adapters, manager, truck)
    clock.advance(timedelta(minutes=5))

    with pytest.raises(InvalidInput):
        await paired(adapters, issued.code)


@pytest.mark.parametrize("typed", ["", "ABC", "ABCDEFG0", "ABCDEFGHJ", "ÀBCDEFGH"])
async def test_what_cannot_be_a_code_is_the_same_refusal(adapters: Adapters, typed: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        await paired(adapters, typed)

    assert refused.value.field == "code"


async def test_wrong_codes_are_limited_per_address_and_then_even_the_right_one_waits(
    adapters: Adapters,
) -> None:
    truck = await make_truck(adapters)
    manager = await make_staff(adapters, role=Role.MANAGER, trucks=[truck])
    issued = await ask(adapters, manager, truck)
    for _ in range(PAIRING_ADDRESS_POLICY.max_failures):
        with pytest.raises(InvalidInput):
            await paired(adapters, "AAAAAAAA")

    with pytest.raises(TooManyAttempts):
        await paired(adapters, issued.code)
    # Another address is not held back by this one's guesses.
    assert await paired(adapters, issued.code, address="198.51.100.9")


async def test_crew_may_not_ask_for_a_code(adapters: Adapters) -> None:
    truck = await make_truck(adapters)
    crew = await make_staff(adapters, role=Role.CREW, trucks=[truck])

    with pytest.raises(PermissionDenied):
        await ask(adapters, crew, truck)


async def test_another_trucks_manager_is_told_the_truck_does_not_exist(adapters: Adapters) -> None:
    truck, other = await make_truck(adapters), await make_truck(adapters)
    manager = await make_staff(adapters, role=Role.MANAGER, trucks=[other])

    with pytest.raises(NotFound):
        await ask(adapters, manager, truck)
