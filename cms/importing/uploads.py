"""An uploaded file held between an import's preview and its confirmation.

Both admin importers preview with a dry run, then import on confirmation. Between the two steps
the bytes wait in the editor's session (no temporary file to clean up), and the confirmation
form carries a signed token naming their checksum: what is imported is exactly what was
previewed, and a token cannot be replayed against another upload.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from django.core import signing
from django.http import HttpRequest

TOKEN_MAX_AGE = 60 * 60

__all__ = ["TOKEN_MAX_AGE", "keep_upload", "read_token", "take_upload"]


def keep_upload(request: HttpRequest, key: str, salt: str, data: bytes, **payload: Any) -> str:
    """Hold ``data`` in the session under ``key`` (one per editor) and return the signed token."""
    digest = hashlib.sha256(data).hexdigest()
    request.session[key] = {"sha256": digest, "data": base64.b64encode(data).decode()}
    return signing.dumps({"sha256": digest, **payload}, salt=salt)


def read_token(token: str, salt: str) -> dict[str, Any]:
    """The token's payload; raises `signing.BadSignature` when forged or expired."""
    return signing.loads(token, salt=salt, max_age=TOKEN_MAX_AGE)


def take_upload(request: HttpRequest, key: str, payload: dict[str, Any]) -> bytes | None:
    """The previewed bytes if the session still holds exactly them; removed from the session."""
    stored = request.session.pop(key, None)
    if not stored or stored.get("sha256") != payload.get("sha256"):
        return None
    data = base64.b64decode(stored["data"])
    return data if hashlib.sha256(data).hexdigest() == payload["sha256"] else None
