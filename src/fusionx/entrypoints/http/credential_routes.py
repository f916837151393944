"""Routes whose exchanges carry secrets, and what may be kept of those exchanges.

A route says which secrets it carries with ``opt=carries_secrets(...)``:

- ``reissue``: its successful response holds a new credential (a session token, a
  device credential). That credential is shown once and kept nowhere, so the reply the
  idempotency store keeps for a retry is not the response but a 409
  ``/problems/credential-issued``: the first request succeeded, and ``reissue`` tells
  the client how to get another credential. Such responses are also
  ``Cache-Control: no-store`` (``security_headers``);
- ``password_in_body``: its request body holds a password. The fingerprint that tells a
  retry from another request is then an HMAC keyed with the caller's bearer secret
  (which the server keeps only a hash of), so what is stored cannot test password
  guesses offline as a plain hash of the body could.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

import msgspec

from fusionx.entrypoints.http.auth import bearer_secret
from fusionx.entrypoints.http.request_context import request_id_of
from fusionx.entrypoints.http.schemas.problems import PROBLEM_MEDIA_TYPE, ProblemDetails
from fusionx.ports.idempotency import StoredResponse

_OPT_KEY = "fusionx.secrets"
CREDENTIAL_ISSUED = "/problems/credential-issued"
REPLAY_NOTE = (
    "A retry with the same `Idempotency-Key` does not get the credential again, since it "
    f"is kept nowhere: it is 409 `{CREDENTIAL_ISSUED}`, saying how to get another."
)


@dataclass(frozen=True, kw_only=True)
class Secrets:
    """The secrets one route's requests or responses carry."""

    reissue: str | None = None
    password_in_body: bool = False


def carries_secrets(
    *, reissue: str | None = None, password_in_body: bool = False
) -> dict[str, Any]:
    """The ``opt`` of a route handler whose exchanges carry secrets."""
    return {_OPT_KEY: Secrets(reissue=reissue, password_in_body=password_in_body)}


def secrets_of(handler: Any) -> Secrets | None:
    """What a route handler declared with ``carries_secrets``, if anything."""
    opt = getattr(handler, "opt", None) or {}
    secrets: Secrets | None = opt.get(_OPT_KEY)
    return secrets


def _routed(scope: Any) -> Secrets | None:
    return secrets_of(scope.get("route_handler"))


def issues_credential(scope: Any) -> bool:
    """Whether the route this request was routed to answers with a new credential."""
    secrets = _routed(scope)
    return secrets is not None and secrets.reissue is not None


def fingerprinted_body(scope: Any, body: bytes) -> bytes:
    """What of ``body`` goes into the request's fingerprint: the body itself, or for a
    body holding a password, its HMAC under the caller's bearer secret."""
    secrets = _routed(scope)
    if secrets is None or not secrets.password_in_body:
        return body
    authorization = next(
        (value for name, value in scope.get("headers", ()) if name == b"authorization"), b""
    )
    key = bearer_secret(authorization.decode("latin-1")) or ""
    return hmac.new(key.encode(), body, hashlib.sha256).digest()


def keepable(scope: Any, response: StoredResponse) -> StoredResponse:
    """What the idempotency store may keep of ``response``: never a credential."""
    secrets = _routed(scope)
    if secrets is None or secrets.reissue is None or response.status >= 400:
        return response
    problem = ProblemDetails(
        type=CREDENTIAL_ISSUED,
        title="Credential issued",
        status=409,
        detail=(
            "The first request with this Idempotency-Key succeeded and issued a credential, "
            f"which was shown once and is kept nowhere. {secrets.reissue}"
        ),
        instance=scope["path"],
        request_id=request_id_of(scope),
    )
    body = msgspec.json.encode(problem)
    headers = (("content-type", PROBLEM_MEDIA_TYPE), ("content-length", str(len(body))))
    return StoredResponse(status=409, headers=headers, body=body)
