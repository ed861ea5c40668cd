"""An uploaded file held between an import's preview and its confirmation.

Both admin importers preview with a dry run, then import on confirmation. Between the two steps
the bytes wait in the editor's session (no temporary file to clean up), and the confirmation
form carries a signed token naming their checksum: what is imported is exactly what was
previewed, and a token cannot be replayed against another upload.
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import PurePath
from typing import Any

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from django.utils.translation import gettext as _

from .limits import ImportLimitExceeded, check_file_size

TOKEN_MAX_AGE = 60 * 60

__all__ = [
    "TOKEN_MAX_AGE",
    "ConfirmUploadForm",
    "check_upload",
    "keep_upload",
    "read_token",
    "take_upload",
]


def check_upload(upload: UploadedFile, extensions) -> UploadedFile:
    """An upload's size (before a byte is read) and extension, as a form field's clean step.

    The size limit is the importers' (``ASSISES['IMPORT_MAX_FILE_BYTES']``); what is inside a
    .docx is bounded later, where it is opened.
    """
    try:
        check_file_size(upload.size)
    except ImportLimitExceeded as error:
        raise ValidationError(str(error)) from error
    suffix = PurePath(upload.name).suffix.lower()
    if suffix not in extensions:
        raise ValidationError(
            _("Unsupported file type %(ext)s; use %(known)s.")
            % {"ext": suffix or "(none)", "known": ", ".join(sorted(extensions))}
        )
    return upload


class ConfirmUploadForm(forms.Form):
    """The preview's « confirm » step: a signed token; subclasses name their ``salt``."""

    salt = ""
    token = forms.CharField(widget=forms.HiddenInput)

    def clean_token(self) -> dict:
        try:
            return read_token(self.cleaned_data["token"], self.salt)
        except signing.BadSignature as error:
            raise ValidationError(
                _("This upload has expired; please upload the file again.")
            ) from error


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
