"""``deploy/compose.yaml`` and the configs it mounts, checked without Docker.

Docker cannot run here, so the file is read as Compose would: every path it mounts or
builds from exists in the repository, every volume, network and secret it names is
declared, the order of start-up holds (database, migration, instances, proxy), and the
nginx, Prometheus and Grafana configs agree with the services they point at.
"""

from __future__ import annotations

import json
import re
from ipaddress import ip_address, ip_network
from pathlib import Path
from typing import Any

import pytest
import yaml

from fusionx.entrypoints.startup_checks import known_setting_variables

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
INSTANCES = ("fusionx-1", "fusionx-2")
# Written on the observability branch; the compose file mounts them where they will be.
OBSERVABILITY_FILES = {
    DEPLOY / "prometheus" / "alerts.yml",
    DEPLOY / "grafana" / "dashboards",
}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return dict(yaml.safe_load((DEPLOY / "compose.yaml").read_text()))


def _mounts(service: dict[str, Any]) -> list[tuple[str, str]]:
    """(source, target) of every volume entry, short syntax."""
    return [tuple(entry.split(":")[:2]) for entry in service.get("volumes", [])]


def _bind_target(compose: dict[str, Any], service: str, source: str) -> str:
    (target,) = [t for s, t in _mounts(compose["services"][service]) if s == source]
    return target


def test_it_runs_the_database_a_migration_two_instances_a_proxy_and_monitoring(
    compose: dict[str, Any],
) -> None:
    assert set(compose["services"]) == {
        "db", "migrate", *INSTANCES, "worker", "proxy", "prometheus", "grafana",
    }  # fmt: skip
    assert compose["services"]["worker"]["command"] == ["worker"]
    assert compose["services"]["worker"]["depends_on"]["migrate"]["condition"] == (
        "service_completed_successfully"
    )
    assert compose["services"]["migrate"]["command"] == ["db", "upgrade"]
    for name in INSTANCES:
        assert compose["services"][name]["command"] == ["serve"]


def test_every_path_it_mounts_or_builds_from_is_in_the_repository(
    compose: dict[str, Any],
) -> None:
    for name, service in compose["services"].items():
        if "build" in service:
            context = (DEPLOY / service["build"]["context"]).resolve()
            assert (context / service["build"]["dockerfile"]).is_file(), name
        for source, _ in _mounts(service):
            if source.startswith("."):
                path = (DEPLOY / source).resolve()
                if path not in OBSERVABILITY_FILES:
                    assert path.exists(), f"{name} mounts {source}, which is not in deploy/"


@pytest.mark.parametrize("path", sorted(OBSERVABILITY_FILES), ids=lambda p: p.name)
def test_the_dashboards_and_alert_rules_it_mounts_are_valid(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"{path.relative_to(ROOT)} arrives with the metrics work (issue 19)")
    if path.is_dir():
        dashboards = list(path.glob("*.json"))
        assert dashboards
        for dashboard in dashboards:
            assert json.loads(dashboard.read_text())["panels"]
    else:
        assert yaml.safe_load(path.read_text())["groups"]


def test_every_named_volume_network_and_secret_is_declared(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        for source, _ in _mounts(service):
            if not source.startswith((".", "/")):
                assert source in compose["volumes"], f"{name}: volume {source}"
        for network in service.get("networks", []):
            assert network in compose["networks"], f"{name}: network {network}"
        for secret in service.get("secrets", []):
            assert secret in compose["secrets"], f"{name}: secret {secret}"


def test_it_starts_in_order_database_migration_instances_proxy(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    for name in INSTANCES:
        migrate = services[name]["depends_on"]["migrate"]
        assert migrate["condition"] == "service_completed_successfully"
        assert services["proxy"]["depends_on"][name]["condition"] == "service_healthy"


def test_instances_read_real_settings_with_secrets_from_files(compose: dict[str, Any]) -> None:
    known = known_setting_variables()
    for name in ("migrate", *INSTANCES, "worker"):
        environment = compose["services"][name]["environment"]
        assert set(environment) <= known, set(environment) - known
        assert "FUSIONX_DATABASE_URL" not in environment
        secret_file = Path(environment["FUSIONX_DATABASE_URL_FILE"])
        assert secret_file.parent == Path("/run/secrets")
        assert secret_file.name in compose["services"][name]["secrets"]


def test_the_instances_trust_the_proxy_and_only_the_proxy(compose: dict[str, Any]) -> None:
    proxy_networks = compose["services"]["proxy"]["networks"]
    (network, attachment), *_ = proxy_networks.items()
    address = ip_address(attachment["ipv4_address"])
    (subnet,) = [ip_network(c["subnet"]) for c in compose["networks"][network]["ipam"]["config"]]
    assert address in subnet
    for name in INSTANCES:
        service = compose["services"][name]
        assert network in service["networks"]
        trusted = service["environment"]["FUSIONX_TRUSTED_PROXIES"].split(",")
        assert [ip_network(t) for t in trusted] == [ip_network(f"{address}/32")]


def test_nginx_balances_the_instances_and_passes_websocket_upgrades() -> None:
    conf = (DEPLOY / "nginx" / "nginx.conf").read_text()

    upstream = re.search(r"upstream fusionx \{(.*?)\}", conf, re.S)
    assert upstream is not None
    assert re.findall(r"server ([\w-]+):8000", upstream.group(1)) == list(INSTANCES)
    assert "proxy_pass http://fusionx;" in conf
    assert "proxy_http_version 1.1;" in conf
    assert "proxy_set_header Upgrade $http_upgrade;" in conf
    assert "proxy_set_header Connection $connection_upgrade;" in conf
    # Read from the right by client_address.py: the proxy appends the peer it saw.
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in conf
    # Longer than two of the stream's 20 s ping intervals.
    (read_timeout,) = re.findall(r"proxy_read_timeout (\d+)s;", conf)
    assert int(read_timeout) > 40
    assert re.search(r"location = /metrics \{\s*return 404;", conf)


def test_prometheus_scrapes_each_instance_and_loads_the_mounted_rules(
    compose: dict[str, Any],
) -> None:
    config = yaml.safe_load((DEPLOY / "prometheus" / "prometheus.yml").read_text())
    (job,) = [j for j in config["scrape_configs"] if j["job_name"] == "fusionx"]
    (targets,) = [c["targets"] for c in job["static_configs"]]
    assert targets == [f"{name}:8000" for name in INSTANCES]
    rules_target = _bind_target(compose, "prometheus", "./prometheus/alerts.yml")
    assert config["rule_files"] == [rules_target]
    assert _bind_target(compose, "prometheus", "./prometheus/prometheus.yml") == (
        "/etc/prometheus/prometheus.yml"
    )


def test_grafana_is_provisioned_with_prometheus_and_the_dashboards_directory(
    compose: dict[str, Any],
) -> None:
    provisioning = DEPLOY / "grafana" / "provisioning"
    assert _bind_target(compose, "grafana", "./grafana/provisioning") == "/etc/grafana/provisioning"
    datasources = yaml.safe_load((provisioning / "datasources" / "prometheus.yaml").read_text())
    (source,) = datasources["datasources"]
    assert source["type"] == "prometheus"
    assert source["url"] == "http://prometheus:9090"
    assert "prometheus" in compose["services"]
    providers = yaml.safe_load((provisioning / "dashboards" / "fusionx.yaml").read_text())
    (provider,) = providers["providers"]
    dashboards = _bind_target(compose, "grafana", "./grafana/dashboards")
    assert provider["options"]["path"] == dashboards
