"""The relational schema, as advanced-alchemy declarative models.

Rows, not domain entities: the repositories translate between the two, so the core
never sees SQLAlchemy. Every change here needs a migration; ``tests/sql/test_migrations.py``
fails when the two disagree. Importing this package registers every table on
``SqlBase.metadata``.
"""

from fusionx.adapters.sql.tables.analytics import (
    AnalyticsDayDurationRow,
    AnalyticsDayRow,
    AnalyticsFleetDayDurationRow,
    AnalyticsFleetDayItemRow,
    AnalyticsFleetDayReasonRow,
    AnalyticsHourDurationRow,
    AnalyticsHourRow,
    AnalyticsItemRow,
    AnalyticsReasonRow,
    AnalyticsShiftRow,
    ThrottleRefusalRow,
)
from fusionx.adapters.sql.tables.base import SqlBase
from fusionx.adapters.sql.tables.capacity import ShiftCapacityRow, TruckCapacityRow
from fusionx.adapters.sql.tables.customers import CustomerRow, LoyaltyEntryRow, SignInCodeRow
from fusionx.adapters.sql.tables.events import EventStreamRow, FleetEventRow, ShiftEventRow
from fusionx.adapters.sql.tables.foundation import (
    AccessTokenRow,
    DeviceRow,
    EmailTokenRow,
    LocationRow,
    LoginFailureRow,
    StaffRow,
    StaffTruckRow,
    TruckRow,
)
from fusionx.adapters.sql.tables.hours import LocationHoursRow, TruckHoursRow
from fusionx.adapters.sql.tables.idempotency import IdempotencyKeyRow
from fusionx.adapters.sql.tables.menu import (
    MenuCategoryRow,
    MenuItemRow,
    MenuItemTagRow,
    ModifierGroupRow,
    TruckMenuItemRow,
)
from fusionx.adapters.sql.tables.notifications import (
    ItemStockThresholdRow,
    NotificationAttemptRow,
    NotificationPreferenceRow,
    NotificationRow,
    PushTokenRow,
    ShiftStockThresholdRow,
    SmsBlockedNumberRow,
)
from fusionx.adapters.sql.tables.order_audit import OrderCancellationRow, RefundLineRow, RefundRow
from fusionx.adapters.sql.tables.orders import OrderLineRow, OrderRow
from fusionx.adapters.sql.tables.pairing_codes import PairingCodeRow
from fusionx.adapters.sql.tables.payments import ReceivedPaymentRow
from fusionx.adapters.sql.tables.rate_limits import RateLimitWindowRow
from fusionx.adapters.sql.tables.shifts import ShiftRow, ShiftTransitionRow
from fusionx.adapters.sql.tables.stock import ShiftStockRow, StockMovementRow
from fusionx.adapters.sql.tables.tickets import TicketRow, TicketTransitionRow
from fusionx.adapters.sql.tables.tracking import OrderTrackingRow, ReviewItemRow, ReviewRow
from fusionx.adapters.sql.tables.webhooks import WebhookDeliveryRow, WebhookEndpointRow
from fusionx.adapters.sql.tables.weekly_summaries import WeeklySummarySentRow

__all__ = [
    "AccessTokenRow",
    "AnalyticsDayDurationRow",
    "AnalyticsDayRow",
    "AnalyticsFleetDayDurationRow",
    "AnalyticsFleetDayItemRow",
    "AnalyticsFleetDayReasonRow",
    "AnalyticsHourDurationRow",
    "AnalyticsHourRow",
    "AnalyticsItemRow",
    "AnalyticsReasonRow",
    "AnalyticsShiftRow",
    "CustomerRow",
    "DeviceRow",
    "EmailTokenRow",
    "EventStreamRow",
    "FleetEventRow",
    "IdempotencyKeyRow",
    "ItemStockThresholdRow",
    "LocationHoursRow",
    "LocationRow",
    "LoginFailureRow",
    "LoyaltyEntryRow",
    "MenuCategoryRow",
    "MenuItemRow",
    "MenuItemTagRow",
    "ModifierGroupRow",
    "NotificationAttemptRow",
    "NotificationPreferenceRow",
    "NotificationRow",
    "OrderCancellationRow",
    "OrderLineRow",
    "OrderRow",
    "OrderTrackingRow",
    "PairingCodeRow",
    "PushTokenRow",
    "RateLimitWindowRow",
    "ReceivedPaymentRow",
    "RefundLineRow",
    "RefundRow",
    "ReviewItemRow",
    "ReviewRow",
    "ShiftCapacityRow",
    "ShiftEventRow",
    "ShiftRow",
    "ShiftStockRow",
    "ShiftStockThresholdRow",
    "ShiftTransitionRow",
    "SignInCodeRow",
    "SmsBlockedNumberRow",
    "SqlBase",
    "StaffRow",
    "StaffTruckRow",
    "StockMovementRow",
    "ThrottleRefusalRow",
    "TicketRow",
    "TicketTransitionRow",
    "TruckCapacityRow",
    "TruckHoursRow",
    "TruckMenuItemRow",
    "TruckRow",
    "WebhookDeliveryRow",
    "WebhookEndpointRow",
    "WeeklySummarySentRow",
]
