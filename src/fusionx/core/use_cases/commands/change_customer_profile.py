from __future__ import annotations

import msgspec

from fusionx.core.errors import InvalidInput
from fusionx.core.messages import Message
from fusionx.core.model.customers import MAX_NAME_LENGTH, Customer
from fusionx.core.model.principals import CustomerPrincipal
from fusionx.core.rules.validation import require_text
from fusionx.core.use_cases.steps.customer_accounts import signed_in_customer
from fusionx.ports.translator import Translator
from fusionx.ports.unit_of_work import UnitOfWork

UNSET = msgspec.UNSET


class CustomerProfileChanges(msgspec.Struct, frozen=True, kw_only=True):
    """What to change; a field left UNSET stays as it is, null clears it."""

    name: str | msgspec.UnsetType | None = UNSET
    locale: str | msgspec.UnsetType | None = UNSET


class ChangeCustomerProfile:
    """A signed-in customer changes their own name or language.

    Rules:
    - their own account only;
    - the name is 1 to 100 characters once trimmed, or null for none;
    - the locale (the language of their codes and messages) is one the translator
      supports, or null to follow the request's languages;
    - the email and phone are not changed here: each is where codes go, and a new one
      would need a code sent to it first (not offered yet: sign in with the new address
      for an account of its own).
    """

    def __init__(self, uow: UnitOfWork, translator: Translator) -> None:
        self._uow = uow
        self._locales = translator.locales

    async def execute(
        self, customer: CustomerPrincipal, changes: CustomerProfileChanges
    ) -> Customer:
        async with self._uow as uow:
            account = await signed_in_customer(uow, customer)
            if changes.name is not UNSET:
                name = changes.name
                if name is not None:
                    name = require_text("name", name, max_length=MAX_NAME_LENGTH)
                account = msgspec.structs.replace(account, name=name)
            if changes.locale is not UNSET:
                account = msgspec.structs.replace(account, locale=self._locale(changes.locale))
            await uow.customers.save(account)
            await uow.commit()
        return account

    def _locale(self, locale: str | None) -> str | None:
        if locale is not None and locale not in self._locales:
            choices = ", ".join(self._locales)
            raise InvalidInput("locale", Message("input.one_of", {"choices": choices}))
        return locale
