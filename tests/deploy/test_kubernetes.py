"""``deploy/kubernetes`` and the ``Dockerfile`` agree with the code they run.

``nox -s lint`` validates the manifests against the Kubernetes schemas
(kubernetes-validate) and lints the Dockerfile (hadolint); this checks what a schema
cannot: that every setting they give is one FusionX reads, that secrets arrive as files
where the settings look for them, and that the probes, port and user are the service's.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from fusionx.entrypoints.settings import SECRET_FIELDS, env_name
from fusionx.entrypoints.startup_checks import known_setting_variables

ROOT = Path(__file__).resolve().parents[2]
MANIFESTS = ROOT / "deploy" / "kubernetes"


# Two Deployments: the API's, and the job queue's worker ("Worker" here).
_NAMES = {"Deployment": "fusionx", "Worker": "fusionx-worker"}


def _manifest(kind: str) -> dict[str, Any]:
    real_kind = "Deployment" if kind == "Worker" else kind
    found = [
        document
        for path in sorted(MANIFESTS.glob("*.yaml"))
        for document in yaml.safe_load_all(path.read_text())
        if document
        and document["kind"] == real_kind
        and document["metadata"]["name"] == _NAMES.get(kind, document["metadata"]["name"])
    ]
    assert len(found) == 1, kind
    return dict(found[0])


def _container(kind: str) -> dict[str, Any]:
    (container,) = _manifest(kind)["spec"]["template"]["spec"]["containers"]
    return dict(container)


def test_the_manifests_hold_each_part_of_a_deployment() -> None:
    kinds = {
        document["kind"]
        for path in MANIFESTS.glob("*.yaml")
        for document in yaml.safe_load_all(path.read_text())
    }
    assert kinds == {
        "ConfigMap", "Deployment", "Job", "Service", "HorizontalPodAutoscaler",
        "PodDisruptionBudget",
    }  # fmt: skip


def test_the_config_map_holds_real_settings_and_no_secret() -> None:
    settings = set(_manifest("ConfigMap")["data"])

    assert settings <= known_setting_variables(), settings - known_setting_variables()
    assert not settings & {env_name(field) for field in SECRET_FIELDS}


@pytest.mark.parametrize("kind", ["Deployment", "Job", "Worker"])
def test_secrets_are_files_where_the_settings_look_for_them(kind: str) -> None:
    container = _container(kind)
    (mount,) = [m for m in container["volumeMounts"] if m["name"] == "secrets"]
    pod = _manifest(kind)["spec"]["template"]["spec"]
    (volume,) = [v for v in pod["volumes"] if v["name"] == "secrets"]

    assert volume["secret"]["secretName"] == "fusionx-secrets"
    for variable in container["env"]:
        assert variable["name"] in known_setting_variables()
        assert variable["name"].endswith("_FILE")
        assert Path(variable["value"]).parent == Path(mount["mountPath"])
    assert mount["readOnly"] is True


@pytest.mark.parametrize("kind", ["Deployment", "Job", "Worker"])
def test_pods_run_as_the_image_user_never_root(kind: str) -> None:
    pod = _manifest(kind)["spec"]["template"]["spec"]
    dockerfile = (ROOT / "Dockerfile").read_text()
    (user,) = re.findall(r"^USER (\d+):(\d+)$", dockerfile, re.M)

    assert pod["securityContext"]["runAsNonRoot"] is True
    assert (
        str(pod["securityContext"]["runAsUser"]),
        str(pod["securityContext"]["runAsGroup"]),
    ) == (user)
    assert _container(kind)["securityContext"]["allowPrivilegeEscalation"] is False


def test_probes_ask_the_service_whether_it_lives_and_is_ready() -> None:
    container = _container("Deployment")
    (port,) = container["ports"]
    config = _manifest("ConfigMap")["data"]

    assert container["readinessProbe"]["httpGet"]["path"] == "/health/ready"
    assert container["livenessProbe"]["httpGet"]["path"] == "/health/live"
    assert int(config["FUSIONX_PORT"]) == port["containerPort"]
    # A drain and the requests in hand fit in the grace Kubernetes gives before SIGKILL.
    pod = _manifest("Deployment")["spec"]["template"]["spec"]
    needed = float(config["FUSIONX_SHUTDOWN_DRAIN_SECONDS"]) + int(
        config["FUSIONX_SHUTDOWN_GRACE_SECONDS"]
    )
    assert pod["terminationGracePeriodSeconds"] > needed


def test_the_migration_job_and_the_pods_run_the_image_s_commands() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()

    assert 'ENTRYPOINT ["fusionx"]' in dockerfile
    assert _container("Job")["args"] == ["db", "upgrade"]
    assert _container("Deployment")["args"] == ["serve"]
    assert _container("Worker")["args"] == ["worker"]
    assert _container("Job")["image"] == _container("Deployment")["image"]
    assert _container("Worker")["image"] == _container("Deployment")["image"]
    assert "/health/live" in dockerfile.partition("HEALTHCHECK")[2]


def test_the_autoscaler_and_budget_keep_one_pod_serving() -> None:
    deployment = _manifest("Deployment")
    hpa = _manifest("HorizontalPodAutoscaler")
    pdb = _manifest("PodDisruptionBudget")

    assert hpa["spec"]["scaleTargetRef"]["name"] == deployment["metadata"]["name"]
    assert hpa["spec"]["minReplicas"] >= 2
    assert pdb["spec"]["maxUnavailable"] == 1
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert pdb["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert _manifest("Service")["spec"]["selector"].items() <= labels.items()
