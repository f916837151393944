"""Building blocks of the notification tests: devices and staff with push tokens,
orders, and the dispatcher over fake senders."""

from __future__ import annotations

from uuid import UUID

import msgspec

from fusionx.adapters.memory.senders import RecordingPushSender, RecordingSmsSender
from fusionx.core.model.devices import Device
from fusionx.core.model.notifications import Notification
from fusionx.core.model.paging import PageRequest
from fusionx.core.model.principals import DevicePrincipal, Principal
from fusionx.core.model.staff import StaffMember
from fusionx.core.model.stock import StockReason
from fusionx.core.use_cases.commands.adjust_stock import AdjustStock, AdjustStockRequest
from fusionx.core.use_cases.commands.dispatch_notifications import DispatchNotifications
from fusionx.core.use_cases.commands.place_order import (
    OrderLineRequest,
    PlacedOrder,
    PlaceOrder,
    PlaceOrderRequest,
)
from fusionx.core.use_cases.commands.register_device import RegisterDevice
from fusionx.core.use_cases.commands.register_push_token import (
    RegisterPushToken,
    RegisterPushTokenRequest,
)
from fusionx.entrypoints.bootstrap import Adapters
from tests.factories import RegisterDeviceRequestFactory, ShiftWorld, as_principal, open_shift_world


def a_push_token(n: int) -> str:
    return f"{n:064x}"


async def register_token(adapters: Adapters, principal: Principal, token: str) -> None:
    await RegisterPushToken(adapters.uow(), adapters.clock).execute(
        principal, RegisterPushTokenRequest(token=token, app_version="2.0", os_version="18.1")
    )


async def a_device_with_token(adapters: Adapters, world: ShiftWorld, token: str) -> Device:
    registered = await RegisterDevice(adapters.uow(), adapters.clock, adapters.ids).execute(
        world.principal, RegisterDeviceRequestFactory.build(truck_id=world.truck.id)
    )
    device = registered.device
    await register_token(adapters, DevicePrincipal(device=device, token_id=device.id), token)
    return device


async def one_push_pending(adapters: Adapters) -> ShiftWorld:
    """An open shift whose device holds push token 1, and an order on it: its new-order
    push waits in the outbox."""
    world = await open_shift_world(adapters, stock=50)
    await a_device_with_token(adapters, world, a_push_token(1))
    await place(adapters, world)
    return world


async def give_phone(adapters: Adapters, staff: StaffMember, phone: str | None) -> StaffMember:
    changed = msgspec.structs.replace(staff, phone=phone)
    async with adapters.uow() as uow:
        await uow.staff.update(changed)
        await uow.commit()
    return changed


async def place(adapters: Adapters, world: ShiftWorld, quantity: int = 1) -> PlacedOrder:
    return await PlaceOrder(adapters.uow(), adapters.clock, adapters.ids).execute(
        world.principal,
        PlaceOrderRequest(
            shift_id=world.shift.id,
            lines=(OrderLineRequest(item_id=world.items[0].id, quantity=quantity),),
        ),
    )


async def restock(adapters: Adapters, world: ShiftWorld, delta: int) -> None:
    await AdjustStock(adapters.uow(), adapters.clock, adapters.ids).execute(
        as_principal(world.manager),
        AdjustStockRequest(
            shift_id=world.shift.id, item_id=world.items[0].id, reason=StockReason.RESTOCK,
            delta=delta,
        ),
    )  # fmt: skip


async def outbox(adapters: Adapters, truck_id: UUID) -> list[Notification]:
    """The truck's notifications, oldest first."""
    async with adapters.uow() as uow:
        page = await uow.outbox.list_for_truck(truck_id, PageRequest(limit=200))
    return list(reversed(page.items))


class Dispatch(msgspec.Struct, kw_only=True):
    push: RecordingPushSender
    sms: RecordingSmsSender
    use_case: DispatchNotifications

    async def run(self) -> int:
        return await self.use_case.execute()


def dispatcher(adapters: Adapters) -> Dispatch:
    push, sms = RecordingPushSender(), RecordingSmsSender()
    return Dispatch(
        push=push,
        sms=sms,
        use_case=DispatchNotifications(adapters.uow, adapters.clock, adapters.ids, push, sms),
    )
