"""Which language a reply is written in: the staff member's choice, else the client's
``Accept-Language``, else English.

Only replies that carry text for people ask (problems, the event stream's close
reasons): the routes that succeed never parse the header.
"""

from __future__ import annotations

from collections.abc import Mapping

from fusionx.core.model.principals import OperatorPrincipal, StaffPrincipal
from fusionx.ports.translator import Translator

# More languages than a client sensibly sends; the rest of a long header is ignored.
_MAX_LANGUAGES = 16


def request_locale(
    translator: Translator,
    principal: OperatorPrincipal | None,
    headers: Mapping[str, str],
) -> str:
    """The supported locale to answer in (see the module's docstring)."""
    preferred = accepted_languages(headers.get("accept-language", ""))
    if isinstance(principal, StaffPrincipal) and principal.staff.locale:
        preferred.insert(0, principal.staff.locale)
    return translator.choose(preferred)


def accepted_languages(header: str) -> list[str]:
    """The language tags of an ``Accept-Language`` header, best first (RFC 9110 §12.5.4):
    ``q=0`` means "not this one", a malformed weight counts as 0, ``*`` as nothing."""
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")[:_MAX_LANGUAGES]):
        tag, _, params = part.strip().partition(";")
        tag = tag.strip()
        if not tag or tag == "*":
            continue
        weight = 1.0
        name, _, value = params.strip().partition("=")
        if name.strip().lower() == "q":
            try:
                weight = float(value)
            except ValueError:
                weight = 0.0
        if weight > 0:
            weighted.append((-weight, index, tag))
    return [tag for _, _, tag in sorted(weighted)]
