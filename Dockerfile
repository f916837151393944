# syntax=docker/dockerfile:1
# FusionX as a container: `docker build -t fusionx .` from the repository root.
# The builder installs exactly what uv.lock pins; the final image carries the virtual
# environment and nothing that built it (no uv, no compilers), and runs as a non-root user.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS builder
# The uv that requirements-tools.txt pins, from its official image.
COPY --from=ghcr.io/astral-sh/uv:0.13.9 /uv /bin/uv
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/opt/fusionx \
    UV_CACHE_DIR=/var/cache/uv
WORKDIR /src
# The dependencies alone first: this layer is rebuilt only when uv.lock changes.
RUN --mount=type=cache,target=/var/cache/uv \
    --mount=type=bind,source=uv.lock,target=uv.lock \
    --mount=type=bind,source=pyproject.toml,target=pyproject.toml \
    uv sync --locked --no-default-groups --no-install-project --no-editable
COPY pyproject.toml uv.lock README.md ./
COPY src ./src
# The project itself, as a built wheel (not a link to /src, which the final image lacks).
RUN --mount=type=cache,target=/var/cache/uv \
    uv sync --locked --no-default-groups --no-editable

FROM ${PYTHON_IMAGE} AS runtime
RUN groupadd --system --gid 10001 fusionx \
    && useradd --system --uid 10001 --gid fusionx --no-create-home \
       --home-dir /var/lib/fusionx --shell /usr/sbin/nologin fusionx \
    && install --directory --owner fusionx --group fusionx /var/lib/fusionx
COPY --from=builder /opt/fusionx /opt/fusionx
ENV PATH=/opt/fusionx/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    FUSIONX_HOST=0.0.0.0 \
    FUSIONX_PORT=8000 \
    FUSIONX_LOG_FORMAT=json \
    FUSIONX_DATA_DIR=/var/lib/fusionx
WORKDIR /var/lib/fusionx
USER 10001:10001
EXPOSE 8000
# Liveness only: readiness (the database) is the orchestrator's and load balancer's call.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('FUSIONX_PORT', '8000') + '/health/live', timeout=2)"]
# fusionx serve is PID 1: on SIGTERM it fails readiness, closes event streams with 1001,
# lets requests in hand finish and stops (docs/operations.md).
STOPSIGNAL SIGTERM
ENTRYPOINT ["fusionx"]
CMD ["serve"]
