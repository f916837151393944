"""Each controller module has the schemas module of its name, and each schemas module
serves the controller of its name, bar the few building blocks several share."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from fusionx.entrypoints.http import controllers, schemas

# Schemas modules no single controller owns, and why.
SHARED = {
    "actors": "who did something, as several views show it",
    "history": "the history pages, listed by the shifts and order details controllers",
    "menu": "the shift's menu, shown by the inventory and catalogue controllers",
    "problems": "the problem+json body of every error",
    "requests": "the base of every request body",
    "scalars": "bounded strings, times and numbers every schema uses",
    "stream": "the event stream's wire format (the events controller and AsyncAPI)",
}

# Controllers whose answers no schemas module describes, and why.
UNDESCRIBED = {
    "metrics": "answers Prometheus' text exposition format, for scrapers, outside the API",
}


def _modules(package: ModuleType) -> set[str]:
    folder = Path(str(package.__file__)).parent
    return {path.stem for path in folder.glob("*.py") if path.stem != "__init__"}


def test_every_controller_has_the_schemas_module_of_its_name() -> None:
    assert _modules(controllers) - _modules(schemas) == set(UNDESCRIBED)


def test_every_schemas_module_pairs_with_a_controller_or_is_shared() -> None:
    unpaired = _modules(schemas) - _modules(controllers)
    assert unpaired == set(SHARED), "pair it with its controller, or say why it is shared"
