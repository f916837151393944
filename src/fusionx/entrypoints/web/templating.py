"""The pages' Jinja2 environment (Litestar's ``JinjaTemplateEngine``) and the helpers every
template may call:

- ``t("key", name=value)``: the catalogue text ``key`` in the request's locale (the
  catalogues under ``adapters/i18n/locales``; ``tests/i18n`` finds the keys in templates);
- ``say(message)``: a ``Message`` a handler passes (a domain error's detail, say);
- ``lang()``: the request's locale, for ``<html lang>``;
- ``asset("app.css")``: the versioned URL of a static file (``assets``);
- ``csrf_token()``: the visitor's CSRF token (``csrf``).

The locale is the signed-in staff member's choice, else the browser's languages.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template import TemplateConfig

from fusionx.core.messages import Message, Param
from fusionx.entrypoints.http.locales import request_locale
from fusionx.entrypoints.web.assets import asset_url
from fusionx.entrypoints.web.csrf import csrf_token_of
from fusionx.entrypoints.web.session import signed_in_staff
from fusionx.ports.translator import Translator

TEMPLATES_DIRECTORY = Path(__file__).parent / "templates"
_LOCALE_KEY = "fusionx.page_locale"


def template_config(translator: Translator) -> TemplateConfig[JinjaTemplateEngine]:
    def locale(context: Mapping[str, Any], /) -> str:
        scope = context["request"].scope
        state = scope.setdefault("state", {})
        if _LOCALE_KEY not in state:
            headers = context["request"].headers
            state[_LOCALE_KEY] = request_locale(translator, signed_in_staff(scope), headers)
        return str(state[_LOCALE_KEY])

    def t(context: Mapping[str, Any], /, key: str, **params: Param) -> str:
        # The keys are the templates' literals, which tests/i18n/keys.py reads.
        return translator.render(Message(key, params), locale(context))  # i18n: template key

    def say(context: Mapping[str, Any], /, message: Message) -> str:
        return translator.render(message, locale(context))

    def register(engine: JinjaTemplateEngine) -> None:
        engine.register_template_callable("t", t)
        engine.register_template_callable("say", say)
        engine.register_template_callable("lang", locale)
        engine.register_template_callable("asset", lambda _, name: asset_url(name))
        engine.register_template_callable(
            "csrf_token", lambda context: csrf_token_of(context["request"].scope)
        )

    return TemplateConfig(
        directory=TEMPLATES_DIRECTORY, engine=JinjaTemplateEngine, engine_callback=register
    )
