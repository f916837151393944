"""Customer accounts, their one-time sign-in codes and their loyalty ledger."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from advanced_alchemy.types import GUID, BigIntIdentity, DateTimeUTC
from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fusionx.adapters.sql.tables.base import SqlBase


class CustomerRow(SqlBase):
    """Email (lower case) and phone (E.164) are normalised in Python, each unique when
    present: NULLs never collide."""

    __tablename__ = "customers"
    __table_args__ = (UniqueConstraint("email"), UniqueConstraint("phone"))

    id: Mapped[UUID] = mapped_column(GUID(), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(20))
    locale: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC())
    active: Mapped[bool] = mapped_column(Boolean())


class SignInCodeRow(SqlBase):
    """One-time codes: the SHA-256 of destination and code, never the code."""

    __tablename__ = "sign_in_codes"
    __table_args__ = (
        # Serves consume and count_miss: a destination's codes.
        Index("ix_sign_in_codes_destination", "destination"),
    )

    id: Mapped[UUID] = mapped_column(GUID(), primary_key=True)
    destination: Mapped[str] = mapped_column(String(330))
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC())
    expires_at: Mapped[datetime] = mapped_column(DateTimeUTC())
    attempts: Mapped[int] = mapped_column(Integer())
    used_at: Mapped[datetime | None] = mapped_column(DateTimeUTC())
    locale: Mapped[str | None] = mapped_column(String(16))


class LoyaltyEntryRow(SqlBase):
    """The ledger: ``key`` (one per order and kind, per refund for a reversal) is what
    makes every entry count once; ``seq`` orders entries of the same time."""

    __tablename__ = "loyalty_entries"
    __table_args__ = (
        # The id follows from the key (UUIDv5 of it): the key's uniqueness is the id's.
        UniqueConstraint("key"),
        Index("ix_loyalty_entries_customer_id_at", "customer_id", "at"),
        Index("ix_loyalty_entries_order_id", "order_id"),
    )

    seq: Mapped[int] = mapped_column(BigIntIdentity, primary_key=True, autoincrement=True)
    id: Mapped[UUID] = mapped_column(GUID())
    key: Mapped[str] = mapped_column(String(64))
    customer_id: Mapped[UUID] = mapped_column(
        GUID(), ForeignKey("customers.id", ondelete="CASCADE")
    )
    order_id: Mapped[UUID] = mapped_column(GUID())
    kind: Mapped[str] = mapped_column(String(16))
    points: Mapped[int] = mapped_column(Integer())
    at: Mapped[datetime] = mapped_column(DateTimeUTC())
    refund_id: Mapped[UUID | None] = mapped_column(GUID())
