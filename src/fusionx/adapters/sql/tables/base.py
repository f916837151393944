"""The declarative base every FusionX table derives from."""

from __future__ import annotations

from advanced_alchemy.base import CommonTableAttributes, create_registry
from sqlalchemy.ext.asyncio import AsyncAttrs
from sqlalchemy.orm import DeclarativeBase


class SqlBase(CommonTableAttributes, AsyncAttrs, DeclarativeBase):
    """Base of FusionX tables.

    A private registry (advanced-alchemy's types and naming convention) rather than the
    library-wide one, so our metadata holds our tables and nothing another import adds.
    Ids carry no default: the domain's IdGenerator chooses them and the row stores them.
    Enums are stored as their short string values, never as native PostgreSQL enums.
    """

    __abstract__ = True
    registry = create_registry()
