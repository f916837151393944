"""The Grafana dashboard and the Prometheus alert rules operators load: well formed,
every PromQL expression parses, and every metric they name is one FusionX exposes."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import promql_parser
import pytest
import yaml
from litestar.testing import AsyncTestClient

from fusionx.adapters.observability.metrics import Snapshot, scrape
from fusionx.entrypoints.bootstrap import in_memory_adapters
from fusionx.entrypoints.http.app import create_app
from fusionx.entrypoints.settings import Settings
from tests.observability.scrapes import Scrape

DEPLOY = Path(__file__).parents[2] / "deploy"
DASHBOARD = DEPLOY / "grafana" / "dashboards" / "fusionx.json"
ALERTS = DEPLOY / "prometheus" / "alerts.yml"
# Series every Prometheus scrape adds by itself.
SCRAPE_SERIES = {"up", "scrape_duration_seconds", "scrape_samples_scraped"}
_METRIC = re.compile(r"\b(fusionx_[a-z_]+|up)\b(?!\s*\()")
_SUFFIXES = ("_bucket", "_count", "_sum", "_total")
ALERTS_AN_OPERATOR_NEEDS = {"fusionx_stream_lag", "fusionx_outbox", "5..", "fusionx_ready"}


def dashboard() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(DASHBOARD.read_text())
    return loaded


def rules() -> list[dict[str, Any]]:
    loaded = yaml.safe_load(ALERTS.read_text())
    return [rule for group in loaded["groups"] for rule in group["rules"]]


def dashboard_expressions() -> list[str]:
    return [target["expr"] for panel in dashboard()["panels"] for target in panel["targets"]]


def all_expressions() -> list[str]:
    return dashboard_expressions() + [rule["expr"] for rule in rules()]


async def exposed_families() -> set[str]:
    """Every family name a scrape of the app can hold: the service's own metrics and
    Litestar's request metrics (made by one request), and the scrape-time figures."""
    app = create_app(Settings(), in_memory_adapters())
    async with AsyncTestClient(app) as client:
        assert (await client.get("/health/live")).status_code == 200
    text = scrape(Snapshot(outbox_pending=0, outbox_oldest_age_seconds=0.0, ready=True))
    families = {sample.name for sample in Scrape(text.decode()).samples}
    from prometheus_client import REGISTRY  # noqa: PLC0415 - labelled families without samples

    families |= {family.name for family in REGISTRY.collect()}
    return {_family(name) for name in families}


def _family(name: str) -> str:
    for suffix in _SUFFIXES:
        name = name.removesuffix(suffix)
    return name


def test_the_dashboard_is_provisionable() -> None:
    board = dashboard()
    assert board["uid"] == "fusionx-overview"
    assert board["title"]
    assert isinstance(board["schemaVersion"], int)
    ids = [panel["id"] for panel in board["panels"]]
    assert len(ids) == len(set(ids)), "panel ids are unique"
    for panel in board["panels"]:
        assert panel["type"] in {"timeseries", "stat", "gauge", "table", "heatmap"}
        assert set(panel["gridPos"]) == {"h", "w", "x", "y"}
        assert panel["gridPos"]["x"] + panel["gridPos"]["w"] <= 24
        assert panel["datasource"]["type"] == "prometheus"
        assert panel["targets"], f"{panel['title']} shows nothing"
        assert all(target["refId"] and target["expr"] for target in panel["targets"])
    names = {variable["name"] for variable in board["templating"]["list"]}
    assert "datasource" in names


def test_the_alert_rules_are_well_formed_and_cover_what_wakes_an_operator() -> None:
    loaded = rules()
    for rule in loaded:
        assert set(rule) >= {"alert", "expr", "for", "labels", "annotations"}
        assert re.fullmatch(r"\d+[smh]", rule["for"])
        assert rule["labels"]["severity"] in {"page", "ticket"}
        assert rule["annotations"]["summary"]
    alerting = " ".join(rule["expr"] for rule in loaded)
    for needed in ALERTS_AN_OPERATOR_NEEDS:
        assert needed in alerting


@pytest.mark.parametrize("expression", all_expressions())
def test_every_expression_parses(expression: str) -> None:
    promql_parser.parse(expression)


def test_a_broken_expression_is_caught() -> None:
    with pytest.raises(ValueError, match="parenthesis"):
        promql_parser.parse("sum(rate(fusionx_http_requests_total[5m])")


async def test_every_metric_named_is_one_fusionx_exposes() -> None:
    exposed = await exposed_families() | SCRAPE_SERIES
    named = {_family(name) for expr in all_expressions() for name in _METRIC.findall(expr)}
    assert named, "the expressions name metrics"
    assert named <= exposed, f"not exposed: {sorted(named - exposed)}"
    # And the dashboard shows every figure the service reports.
    own = {name for name in exposed if name.startswith("fusionx_")}
    shown = {_family(n) for expr in dashboard_expressions() for n in _METRIC.findall(expr)}
    # Litestar's own 5xx counter (made at the first 5xx) repeats requests_total's 5xx.
    assert own - shown <= {"fusionx_http_requests_error"}, own - shown
