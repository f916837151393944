"""Every use case, built from the composition root's adapters in one place.

A builder is marked ``@writing`` or ``@reading``, and that is where a use case's unit of
work is chosen, once: ``@writing`` gives it the ``uow`` factory (a transaction that may
commit), ``@reading`` the ``reader`` (cheaper, and its ``commit`` raises), so a query can
never write. The HTTP app provides each builder by its name (``http/use_cases.py``); the
CLI, the demo seeder and the event stream call the same builders.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from fusionx.core.use_cases.commands.accept_invitation import AcceptInvitation
from fusionx.core.use_cases.commands.add_menu_category import AddMenuCategory
from fusionx.core.use_cases.commands.add_menu_item import AddMenuItem
from fusionx.core.use_cases.commands.add_modifier_group import AddModifierGroup
from fusionx.core.use_cases.commands.add_shift_special import AddShiftSpecial
from fusionx.core.use_cases.commands.adjust_stock import AdjustStock
from fusionx.core.use_cases.commands.assign_staff_truck import AssignStaffTruck
from fusionx.core.use_cases.commands.bulk_advance import BulkAdvanceTickets
from fusionx.core.use_cases.commands.change_customer_profile import ChangeCustomerProfile
from fusionx.core.use_cases.commands.change_location import ChangeLocation
from fusionx.core.use_cases.commands.change_menu_category import ChangeMenuCategory
from fusionx.core.use_cases.commands.change_menu_item import ChangeMenuItem
from fusionx.core.use_cases.commands.change_modifier_group import ChangeModifierGroup
from fusionx.core.use_cases.commands.change_password import ChangePassword
from fusionx.core.use_cases.commands.change_profile import ChangeProfile
from fusionx.core.use_cases.commands.change_review import ChangeReview
from fusionx.core.use_cases.commands.change_shift_state import ChangeShiftState
from fusionx.core.use_cases.commands.change_staff_role import ChangeStaffRole
from fusionx.core.use_cases.commands.change_truck import ChangeTruck
from fusionx.core.use_cases.commands.change_webhook_endpoint import ChangeWebhookEndpoint
from fusionx.core.use_cases.commands.check_in_truck import CheckInTruck
from fusionx.core.use_cases.commands.check_out import CheckOut
from fusionx.core.use_cases.commands.confirm_email_change import ConfirmEmailChange
from fusionx.core.use_cases.commands.create_location import CreateLocation
from fusionx.core.use_cases.commands.create_menu_entries import CreateMenuEntries
from fusionx.core.use_cases.commands.create_staff import CreateStaff
from fusionx.core.use_cases.commands.create_truck import CreateTruck
from fusionx.core.use_cases.commands.deactivate_staff import DeactivateStaff
from fusionx.core.use_cases.commands.delete_webhook_endpoint import DeleteWebhookEndpoint
from fusionx.core.use_cases.commands.hide_review import HideReview
from fusionx.core.use_cases.commands.invite_staff import InviteStaff
from fusionx.core.use_cases.commands.log_in import LogIn
from fusionx.core.use_cases.commands.log_out import LogOut
from fusionx.core.use_cases.commands.note_session_activity import NoteSessionActivity
from fusionx.core.use_cases.commands.pair_device import PairDevice
from fusionx.core.use_cases.commands.place_order import PlaceOrder
from fusionx.core.use_cases.commands.reactivate_staff import ReactivateStaff
from fusionx.core.use_cases.commands.receive_payment_notification import (
    ReceivePaymentNotification,
)
from fusionx.core.use_cases.commands.record_heartbeat import RecordHeartbeat
from fusionx.core.use_cases.commands.record_sms_status import RecordSmsStatus
from fusionx.core.use_cases.commands.refund_order import RefundOrder
from fusionx.core.use_cases.commands.register_device import RegisterDevice
from fusionx.core.use_cases.commands.register_push_token import RegisterPushToken
from fusionx.core.use_cases.commands.register_webhook_endpoint import RegisterWebhookEndpoint
from fusionx.core.use_cases.commands.reorder_menu import ReorderMenu
from fusionx.core.use_cases.commands.replay_webhook_deliveries import ReplayWebhookDeliveries
from fusionx.core.use_cases.commands.request_email_change import RequestEmailChange
from fusionx.core.use_cases.commands.request_pairing_code import RequestPairingCode
from fusionx.core.use_cases.commands.request_password_reset import RequestPasswordReset
from fusionx.core.use_cases.commands.request_sign_in_code import RequestSignInCode
from fusionx.core.use_cases.commands.reset_password import ResetPassword
from fusionx.core.use_cases.commands.retry_refund import RetryRefund
from fusionx.core.use_cases.commands.review_order import ReviewOrder
from fusionx.core.use_cases.commands.revoke_device import RevokeDevice
from fusionx.core.use_cases.commands.revoke_session import RevokeSession
from fusionx.core.use_cases.commands.rotate_webhook_secret import RotateWebhookSecret
from fusionx.core.use_cases.commands.set_capacity import SetCapacity
from fusionx.core.use_cases.commands.set_location_active import SetLocationActive
from fusionx.core.use_cases.commands.set_operating_hours import SetOperatingHours
from fusionx.core.use_cases.commands.set_stock_threshold import SetStockThreshold
from fusionx.core.use_cases.commands.set_truck_active import SetTruckActive
from fusionx.core.use_cases.commands.set_truck_menu import SetTruckMenu
from fusionx.core.use_cases.commands.sign_in_customer import SignInCustomer
from fusionx.core.use_cases.commands.transition_ticket import TransitionTicket
from fusionx.core.use_cases.commands.unassign_staff_truck import UnassignStaffTruck
from fusionx.core.use_cases.queries.authenticate import Authenticate
from fusionx.core.use_cases.queries.browse_menu import BrowseMenu
from fusionx.core.use_cases.queries.export_records import ExportRecords
from fusionx.core.use_cases.queries.follow_fleet_live import FollowFleetLive
from fusionx.core.use_cases.queries.follow_shift_events import FollowShiftEvents
from fusionx.core.use_cases.queries.follow_tracked_order import FollowTrackedOrder
from fusionx.core.use_cases.queries.list_audit_records import ListAuditRecords
from fusionx.core.use_cases.queries.list_cancellations import ListCancellations
from fusionx.core.use_cases.queries.list_customer_orders import ListCustomerOrders
from fusionx.core.use_cases.queries.list_locations import ListLocations
from fusionx.core.use_cases.queries.list_my_trucks import ListMyTrucks
from fusionx.core.use_cases.queries.list_open_trucks import ListOpenTrucks
from fusionx.core.use_cases.queries.list_order_history import ListOrderHistory
from fusionx.core.use_cases.queries.list_sessions import ListSessions
from fusionx.core.use_cases.queries.list_shift_history import ListShiftHistory
from fusionx.core.use_cases.queries.list_staff import ListStaff
from fusionx.core.use_cases.queries.list_truck_devices import ListTruckDevices
from fusionx.core.use_cases.queries.list_truck_notifications import ListTruckNotifications
from fusionx.core.use_cases.queries.list_truck_reviews import ListTruckReviews
from fusionx.core.use_cases.queries.list_trucks import ListTrucks
from fusionx.core.use_cases.queries.list_webhook_deliveries import ListWebhookDeliveries
from fusionx.core.use_cases.queries.list_webhook_endpoints import ListWebhookEndpoints
from fusionx.core.use_cases.queries.quote_cart import QuoteCart
from fusionx.core.use_cases.queries.resolve_tracking import ResolveTracking
from fusionx.core.use_cases.queries.summarize_shift import SummarizeShift
from fusionx.core.use_cases.queries.verify_audit_trail import VerifyAuditTrail
from fusionx.core.use_cases.queries.view_all_day import ViewAllDay
from fusionx.core.use_cases.queries.view_capacity import ViewCapacity
from fusionx.core.use_cases.queries.view_customer_order import ViewCustomerOrder
from fusionx.core.use_cases.queries.view_customer_profile import ViewCustomerProfile
from fusionx.core.use_cases.queries.view_fleet_analytics import ViewFleetAnalytics
from fusionx.core.use_cases.queries.view_fleet_live import ViewFleetLive
from fusionx.core.use_cases.queries.view_kitchen_board import ViewKitchenBoard
from fusionx.core.use_cases.queries.view_location import ViewLocation
from fusionx.core.use_cases.queries.view_loyalty import ViewLoyalty
from fusionx.core.use_cases.queries.view_operating_hours import ViewOperatingHours
from fusionx.core.use_cases.queries.view_order import ViewOrder
from fusionx.core.use_cases.queries.view_profile import ViewProfile
from fusionx.core.use_cases.queries.view_public_menu import ViewPublicMenu
from fusionx.core.use_cases.queries.view_shift import ViewShift
from fusionx.core.use_cases.queries.view_shift_menu import ViewShiftMenu
from fusionx.core.use_cases.queries.view_shift_stock import ViewShiftStock
from fusionx.core.use_cases.queries.view_staff_member import ViewStaffMember
from fusionx.core.use_cases.queries.view_top_items import ViewTopItems
from fusionx.core.use_cases.queries.view_tracked_order import ViewTrackedOrder
from fusionx.core.use_cases.queries.view_truck import ViewTruck
from fusionx.core.use_cases.queries.view_truck_front import ViewTruckFront
from fusionx.core.use_cases.queries.view_truck_menu import ViewTruckMenu
from fusionx.entrypoints.bootstrap import Adapters
from fusionx.ports.unit_of_work import UnitOfWorkFactory

UseCase = TypeVar("UseCase")
Build = Callable[[Adapters, UnitOfWorkFactory], UseCase]
Builder = Callable[[Adapters], UseCase]

# Every builder, by name: what ``http/use_cases.py`` provides to handlers.
BUILDERS: dict[str, Builder[object]] = {}
# The names of those built with a reading unit (the route test checks GETs use only them).
READING: set[str] = set()


def writing(build: Build[UseCase]) -> Builder[UseCase]:
    """A use case that changes state: it gets the writing unit of work."""
    return _register(build, lambda adapters: adapters.uow)


def reading(build: Build[UseCase]) -> Builder[UseCase]:
    """A use case that only reads: it gets the reading unit of work."""
    READING.add(build.__name__)
    return _register(build, lambda adapters: adapters.reader)


def _register(
    build: Build[UseCase], units: Callable[[Adapters], UnitOfWorkFactory]
) -> Builder[UseCase]:
    def builder(adapters: Adapters) -> UseCase:
        return build(adapters, units(adapters))

    builder.__name__ = builder.__qualname__ = build.__name__
    builder.__doc__ = build.__doc__
    BUILDERS[build.__name__] = builder
    return builder


# Commands: each runs in a writing unit of work.


@writing
def accept_invitation(a: Adapters, units: UnitOfWorkFactory) -> AcceptInvitation:
    return AcceptInvitation(
        units(), hasher=a.hasher, clock=a.clock, ids=a.ids, session_ttl=a.session_ttl
    )


@writing
def confirm_email_change(a: Adapters, units: UnitOfWorkFactory) -> ConfirmEmailChange:
    return ConfirmEmailChange(units(), a.clock)


@writing
def invite_staff(a: Adapters, units: UnitOfWorkFactory) -> InviteStaff:
    return InviteStaff(
        units(), hasher=a.hasher, clock=a.clock, ids=a.ids, email=a.email,
        public_url=a.public_url, translator=a.translator,
    )  # fmt: skip


@writing
def request_email_change(a: Adapters, units: UnitOfWorkFactory) -> RequestEmailChange:
    return RequestEmailChange(
        units(), hasher=a.hasher, clock=a.clock, ids=a.ids, email=a.email,
        public_url=a.public_url, translator=a.translator,
    )  # fmt: skip


@writing
def request_password_reset(a: Adapters, units: UnitOfWorkFactory) -> RequestPasswordReset:
    # Sent in the background: the answer must not wait on the mail server, whose round
    # trip would tell a known email from an unknown one.
    address_policy, email_policy = a.reset_limits
    return RequestPasswordReset(
        units(), clock=a.clock, ids=a.ids, email=a.email_later, public_url=a.public_url,
        translator=a.translator, address_policy=address_policy, email_policy=email_policy,
    )  # fmt: skip


@writing
def reset_password(a: Adapters, units: UnitOfWorkFactory) -> ResetPassword:
    return ResetPassword(units(), a.hasher, a.clock)


@writing
def add_menu_category(a: Adapters, units: UnitOfWorkFactory) -> AddMenuCategory:
    return AddMenuCategory(units(), a.clock, a.ids)


@writing
def add_menu_item(a: Adapters, units: UnitOfWorkFactory) -> AddMenuItem:
    return AddMenuItem(units(), a.clock, a.ids)


@writing
def add_modifier_group(a: Adapters, units: UnitOfWorkFactory) -> AddModifierGroup:
    return AddModifierGroup(units(), a.clock, a.ids)


@writing
def add_shift_special(a: Adapters, units: UnitOfWorkFactory) -> AddShiftSpecial:
    return AddShiftSpecial(units(), a.clock, a.ids)


@writing
def adjust_stock(a: Adapters, units: UnitOfWorkFactory) -> AdjustStock:
    return AdjustStock(units(), a.clock, a.ids)


@writing
def bulk_advance_tickets(a: Adapters, units: UnitOfWorkFactory) -> BulkAdvanceTickets:
    return BulkAdvanceTickets(units, a.clock)  # a unit of work per ticket


@writing
def change_menu_category(a: Adapters, units: UnitOfWorkFactory) -> ChangeMenuCategory:
    return ChangeMenuCategory(units(), a.clock)


@writing
def change_menu_item(a: Adapters, units: UnitOfWorkFactory) -> ChangeMenuItem:
    return ChangeMenuItem(units(), a.clock)


@writing
def change_modifier_group(a: Adapters, units: UnitOfWorkFactory) -> ChangeModifierGroup:
    return ChangeModifierGroup(units(), a.clock, a.ids)


@writing
def change_password(a: Adapters, units: UnitOfWorkFactory) -> ChangePassword:
    return ChangePassword(units(), a.hasher, a.clock)


@writing
def change_shift_state(a: Adapters, units: UnitOfWorkFactory) -> ChangeShiftState:
    return ChangeShiftState(units(), a.clock)


@writing
def change_location(a: Adapters, units: UnitOfWorkFactory) -> ChangeLocation:
    return ChangeLocation(units(), a.clock)


@writing
def change_truck(a: Adapters, units: UnitOfWorkFactory) -> ChangeTruck:
    return ChangeTruck(units(), a.clock)


@writing
def check_in_truck(a: Adapters, units: UnitOfWorkFactory) -> CheckInTruck:
    return CheckInTruck(units(), a.clock, a.ids)


@writing
def create_location(a: Adapters, units: UnitOfWorkFactory) -> CreateLocation:
    return CreateLocation(units(), a.clock, a.ids)


@writing
def create_menu_entries(a: Adapters, units: UnitOfWorkFactory) -> CreateMenuEntries:
    return CreateMenuEntries(units(), a.clock, a.ids)


@writing
def create_staff(a: Adapters, units: UnitOfWorkFactory) -> CreateStaff:
    return CreateStaff(units(), a.hasher, a.clock, a.ids)


@writing
def create_truck(a: Adapters, units: UnitOfWorkFactory) -> CreateTruck:
    return CreateTruck(units(), a.clock, a.ids)


@writing
def log_in(a: Adapters, units: UnitOfWorkFactory) -> LogIn:
    return LogIn(units(), hasher=a.hasher, clock=a.clock, ids=a.ids, session_ttl=a.session_ttl)


@writing
def log_out(a: Adapters, units: UnitOfWorkFactory) -> LogOut:
    return LogOut(units(), a.clock)


@writing
def note_session_activity(a: Adapters, units: UnitOfWorkFactory) -> NoteSessionActivity:
    return NoteSessionActivity(units, a.clock)  # opens a unit only when the session is due


@writing
def change_staff_role(a: Adapters, units: UnitOfWorkFactory) -> ChangeStaffRole:
    return ChangeStaffRole(units(), a.clock)


@writing
def assign_staff_truck(a: Adapters, units: UnitOfWorkFactory) -> AssignStaffTruck:
    return AssignStaffTruck(units(), a.clock)


@writing
def unassign_staff_truck(a: Adapters, units: UnitOfWorkFactory) -> UnassignStaffTruck:
    return UnassignStaffTruck(units(), a.clock)


@writing
def deactivate_staff(a: Adapters, units: UnitOfWorkFactory) -> DeactivateStaff:
    return DeactivateStaff(units(), a.clock)


@writing
def reactivate_staff(a: Adapters, units: UnitOfWorkFactory) -> ReactivateStaff:
    return ReactivateStaff(units(), a.clock)


@writing
def revoke_session(a: Adapters, units: UnitOfWorkFactory) -> RevokeSession:
    return RevokeSession(units(), a.clock)


@writing
def change_profile(_a: Adapters, units: UnitOfWorkFactory) -> ChangeProfile:
    return ChangeProfile(units(), _a.translator)


@writing
def place_order(a: Adapters, units: UnitOfWorkFactory) -> PlaceOrder:
    return PlaceOrder(units(), a.clock, a.ids)


@writing
def check_out(a: Adapters, units: UnitOfWorkFactory) -> CheckOut:
    return CheckOut(
        units,
        a.clock,
        a.ids,
        a.payments,
        a.tracking,
        currency=a.currency,
        locales=a.translator.locales,
    )


@writing
def receive_payment_notification(
    a: Adapters, units: UnitOfWorkFactory
) -> ReceivePaymentNotification:
    return ReceivePaymentNotification(units(), a.clock, a.ids, a.payment_notifications)


@writing
def record_heartbeat(a: Adapters, units: UnitOfWorkFactory) -> RecordHeartbeat:
    return RecordHeartbeat(units(), a.clock)


@writing
def record_sms_status(a: Adapters, units: UnitOfWorkFactory) -> RecordSmsStatus:
    return RecordSmsStatus(units(), a.sms_callbacks, a.clock)


@writing
def refund_order(a: Adapters, units: UnitOfWorkFactory) -> RefundOrder:
    return RefundOrder(units, a.clock, a.ids, a.refunds)


@writing
def retry_refund(a: Adapters, units: UnitOfWorkFactory) -> RetryRefund:
    return RetryRefund(units, a.clock, a.refunds)


@writing
def register_device(a: Adapters, units: UnitOfWorkFactory) -> RegisterDevice:
    return RegisterDevice(units(), a.clock, a.ids)


@writing
def request_pairing_code(a: Adapters, units: UnitOfWorkFactory) -> RequestPairingCode:
    return RequestPairingCode(units(), a.clock, a.ids)


@writing
def pair_device(a: Adapters, units: UnitOfWorkFactory) -> PairDevice:
    return PairDevice(units(), a.clock, a.ids)


@writing
def register_push_token(a: Adapters, units: UnitOfWorkFactory) -> RegisterPushToken:
    return RegisterPushToken(units(), a.clock)


@writing
def reorder_menu(a: Adapters, units: UnitOfWorkFactory) -> ReorderMenu:
    return ReorderMenu(units(), a.clock)


@writing
def revoke_device(a: Adapters, units: UnitOfWorkFactory) -> RevokeDevice:
    return RevokeDevice(units(), a.clock)


@writing
def set_location_active(a: Adapters, units: UnitOfWorkFactory) -> SetLocationActive:
    return SetLocationActive(units(), a.clock)


@writing
def set_operating_hours(a: Adapters, units: UnitOfWorkFactory) -> SetOperatingHours:
    return SetOperatingHours(units(), a.clock)


@writing
def set_truck_active(a: Adapters, units: UnitOfWorkFactory) -> SetTruckActive:
    return SetTruckActive(units(), a.clock)


@writing
def set_capacity(a: Adapters, units: UnitOfWorkFactory) -> SetCapacity:
    return SetCapacity(units(), a.clock)


@writing
def set_stock_threshold(a: Adapters, units: UnitOfWorkFactory) -> SetStockThreshold:
    return SetStockThreshold(units(), a.clock)


@writing
def set_truck_menu(a: Adapters, units: UnitOfWorkFactory) -> SetTruckMenu:
    return SetTruckMenu(units(), a.clock)


@writing
def transition_ticket(a: Adapters, units: UnitOfWorkFactory) -> TransitionTicket:
    return TransitionTicket(units(), a.clock, a.ids, recall_window=a.recall_window)


# Queries: each runs in a reading unit of work.


@reading
def authenticate(a: Adapters, units: UnitOfWorkFactory) -> Authenticate:
    return Authenticate(units(), a.clock)


@reading
def browse_menu(_a: Adapters, units: UnitOfWorkFactory) -> BrowseMenu:
    return BrowseMenu(units())


@reading
def follow_shift_events(a: Adapters, units: UnitOfWorkFactory) -> FollowShiftEvents:
    return FollowShiftEvents(units, a.bus)  # a unit of work per catch-up read


@reading
def view_fleet_live(a: Adapters, units: UnitOfWorkFactory) -> ViewFleetLive:
    return ViewFleetLive(units(), a.clock, a.device_stale_after)


@reading
def follow_fleet_live(a: Adapters, units: UnitOfWorkFactory) -> FollowFleetLive:
    return FollowFleetLive(units, a.bus, a.clock, a.device_stale_after)  # a unit per read


@reading
def export_records(_a: Adapters, units: UnitOfWorkFactory) -> ExportRecords:
    return ExportRecords(units)  # a unit of work per batch


@reading
def view_fleet_analytics(a: Adapters, units: UnitOfWorkFactory) -> ViewFleetAnalytics:
    return ViewFleetAnalytics(units(), a.clock)


@reading
def view_top_items(a: Adapters, units: UnitOfWorkFactory) -> ViewTopItems:
    return ViewTopItems(units(), a.clock)


@reading
def list_order_history(_a: Adapters, units: UnitOfWorkFactory) -> ListOrderHistory:
    return ListOrderHistory(units())


@reading
def list_shift_history(_a: Adapters, units: UnitOfWorkFactory) -> ListShiftHistory:
    return ListShiftHistory(units())


@reading
def list_audit_records(_a: Adapters, units: UnitOfWorkFactory) -> ListAuditRecords:
    return ListAuditRecords(units())


@reading
def list_cancellations(_a: Adapters, units: UnitOfWorkFactory) -> ListCancellations:
    return ListCancellations(units())


@reading
def list_trucks(_a: Adapters, units: UnitOfWorkFactory) -> ListTrucks:
    return ListTrucks(units())


@reading
def view_location(_a: Adapters, units: UnitOfWorkFactory) -> ViewLocation:
    return ViewLocation(units())


@reading
def view_operating_hours(a: Adapters, units: UnitOfWorkFactory) -> ViewOperatingHours:
    return ViewOperatingHours(units(), a.clock)


@reading
def view_truck(_a: Adapters, units: UnitOfWorkFactory) -> ViewTruck:
    return ViewTruck(units())


@reading
def list_locations(_a: Adapters, units: UnitOfWorkFactory) -> ListLocations:
    return ListLocations(units())


@reading
def list_sessions(a: Adapters, units: UnitOfWorkFactory) -> ListSessions:
    return ListSessions(units(), a.clock)


@reading
def list_staff(_a: Adapters, units: UnitOfWorkFactory) -> ListStaff:
    return ListStaff(units())


@reading
def view_staff_member(_a: Adapters, units: UnitOfWorkFactory) -> ViewStaffMember:
    return ViewStaffMember(units())


@reading
def list_my_trucks(_a: Adapters, units: UnitOfWorkFactory) -> ListMyTrucks:
    return ListMyTrucks(units())


@reading
def list_truck_devices(a: Adapters, units: UnitOfWorkFactory) -> ListTruckDevices:
    return ListTruckDevices(units(), a.clock, a.device_stale_after)


@reading
def list_truck_notifications(_a: Adapters, units: UnitOfWorkFactory) -> ListTruckNotifications:
    return ListTruckNotifications(units())


@reading
def summarize_shift(a: Adapters, units: UnitOfWorkFactory) -> SummarizeShift:
    return SummarizeShift(units(), a.clock)


@reading
def view_all_day(_a: Adapters, units: UnitOfWorkFactory) -> ViewAllDay:
    return ViewAllDay(units())


@reading
def view_capacity(_a: Adapters, units: UnitOfWorkFactory) -> ViewCapacity:
    return ViewCapacity(units())


@reading
def view_order(_a: Adapters, units: UnitOfWorkFactory) -> ViewOrder:
    return ViewOrder(units())


@reading
def view_profile(_a: Adapters, units: UnitOfWorkFactory) -> ViewProfile:
    return ViewProfile(units())


@reading
def view_kitchen_board(a: Adapters, units: UnitOfWorkFactory) -> ViewKitchenBoard:
    return ViewKitchenBoard(units(), a.clock, ViewShift(units(), a.clock), ViewAllDay(units()))


@reading
def view_shift(a: Adapters, units: UnitOfWorkFactory) -> ViewShift:
    return ViewShift(units(), a.clock)


@reading
def list_open_trucks(a: Adapters, units: UnitOfWorkFactory) -> ListOpenTrucks:
    return ListOpenTrucks(units(), a.clock)


@reading
def view_truck_front(a: Adapters, units: UnitOfWorkFactory) -> ViewTruckFront:
    return ViewTruckFront(units(), a.clock)


@reading
def view_public_menu(a: Adapters, units: UnitOfWorkFactory) -> ViewPublicMenu:
    return ViewPublicMenu(units(), a.clock)


@reading
def quote_cart(a: Adapters, units: UnitOfWorkFactory) -> QuoteCart:
    return QuoteCart(units(), a.clock, a.currency)


@reading
def view_shift_menu(a: Adapters, units: UnitOfWorkFactory) -> ViewShiftMenu:
    return ViewShiftMenu(units(), a.clock)


@reading
def view_shift_stock(a: Adapters, units: UnitOfWorkFactory) -> ViewShiftStock:
    return ViewShiftStock(units(), a.clock)


@reading
def view_truck_menu(_a: Adapters, units: UnitOfWorkFactory) -> ViewTruckMenu:
    return ViewTruckMenu(units())


@reading
def verify_audit_trail(_a: Adapters, units: UnitOfWorkFactory) -> VerifyAuditTrail:
    return VerifyAuditTrail(units())


# Outbound webhooks (docs/webhooks.md).


@writing
def register_webhook_endpoint(a: Adapters, units: UnitOfWorkFactory) -> RegisterWebhookEndpoint:
    return RegisterWebhookEndpoint(units(), a.clock, a.ids, a.webhook_resolver, a.webhook_policy)


@writing
def change_webhook_endpoint(a: Adapters, units: UnitOfWorkFactory) -> ChangeWebhookEndpoint:
    return ChangeWebhookEndpoint(units(), a.clock, a.webhook_resolver, a.webhook_policy)


@writing
def delete_webhook_endpoint(a: Adapters, units: UnitOfWorkFactory) -> DeleteWebhookEndpoint:
    return DeleteWebhookEndpoint(units(), a.clock)


@writing
def rotate_webhook_secret(a: Adapters, units: UnitOfWorkFactory) -> RotateWebhookSecret:
    return RotateWebhookSecret(units(), a.clock)


@writing
def replay_webhook_deliveries(a: Adapters, units: UnitOfWorkFactory) -> ReplayWebhookDeliveries:
    return ReplayWebhookDeliveries(units(), a.clock)


@reading
def list_webhook_endpoints(_a: Adapters, units: UnitOfWorkFactory) -> ListWebhookEndpoints:
    return ListWebhookEndpoints(units())


@reading
def list_webhook_deliveries(_a: Adapters, units: UnitOfWorkFactory) -> ListWebhookDeliveries:
    return ListWebhookDeliveries(units())


# The customer's side: signing in by a one-time code, their account, orders and points.


@writing
def request_sign_in_code(a: Adapters, units: UnitOfWorkFactory) -> RequestSignInCode:
    # An email goes in the background (the answer never waits on the mail server); a
    # text message through the SMS provider, which answers at once or times out.
    address_policy, destination_policy = a.code_limits
    return RequestSignInCode(
        units(), clock=a.clock, ids=a.ids, email=a.email_later, sms=a.sms,
        translator=a.translator, address_policy=address_policy,
        destination_policy=destination_policy,
    )  # fmt: skip


@writing
def sign_in_customer(a: Adapters, units: UnitOfWorkFactory) -> SignInCustomer:
    return SignInCustomer(units(), a.clock, a.ids)


@writing
def change_customer_profile(a: Adapters, units: UnitOfWorkFactory) -> ChangeCustomerProfile:
    return ChangeCustomerProfile(units(), a.translator)


@reading
def view_customer_profile(_a: Adapters, units: UnitOfWorkFactory) -> ViewCustomerProfile:
    return ViewCustomerProfile(units())


@reading
def list_customer_orders(_a: Adapters, units: UnitOfWorkFactory) -> ListCustomerOrders:
    return ListCustomerOrders(units())


@reading
def view_customer_order(_a: Adapters, units: UnitOfWorkFactory) -> ViewCustomerOrder:
    return ViewCustomerOrder(units())


@reading
def view_loyalty(_a: Adapters, units: UnitOfWorkFactory) -> ViewLoyalty:
    return ViewLoyalty(units())


# Tracking links and reviews (issue 16).


@writing
def review_order(a: Adapters, units: UnitOfWorkFactory) -> ReviewOrder:
    return ReviewOrder(units(), a.clock, a.ids)


@writing
def change_review(a: Adapters, units: UnitOfWorkFactory) -> ChangeReview:
    return ChangeReview(units(), a.clock)


@writing
def hide_review(a: Adapters, units: UnitOfWorkFactory) -> HideReview:
    return HideReview(units(), a.clock)


@reading
def resolve_tracking(_a: Adapters, units: UnitOfWorkFactory) -> ResolveTracking:
    return ResolveTracking(units())


@reading
def view_tracked_order(_a: Adapters, units: UnitOfWorkFactory) -> ViewTrackedOrder:
    return ViewTrackedOrder(units())


@reading
def list_truck_reviews(_a: Adapters, units: UnitOfWorkFactory) -> ListTruckReviews:
    return ListTruckReviews(units())


@reading
def follow_tracked_order(a: Adapters, units: UnitOfWorkFactory) -> FollowTrackedOrder:
    return FollowTrackedOrder(units, a.bus)  # a unit of work per read
