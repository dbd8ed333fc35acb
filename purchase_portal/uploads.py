"""Uploaded files: checked by content (not by name), stored under random names,
served only through views that check permission on the owning object."""

from __future__ import annotations

import os
import unicodedata
import uuid
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

#: Accepted document types: extension → MIME type, decided from the bytes.
DOCUMENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}


@deconstructible
class upload_path:
    """``upload_to`` that stores files as ``<prefix>/<yyyy>/<uuid>.<ext>``."""

    def __init__(self, prefix: str):
        self.prefix = prefix

    def __call__(self, instance, filename: str) -> str:
        from django.utils import timezone

        ext = os.path.splitext(filename)[1].lower().lstrip(".")
        ext = ext if ext in DOCUMENT_TYPES or ext.isalnum() else "bin"
        return f"{self.prefix}/{timezone.now():%Y}/{uuid.uuid4().hex}.{ext[:8]}"

    def __eq__(self, other) -> bool:
        return isinstance(other, upload_path) and other.prefix == self.prefix


@dataclass(frozen=True)
class CheckedUpload:
    extension: str
    content_type: str
    size: int
    safe_name: str


def safe_filename(name: str) -> str:
    """A display name without path parts or control characters."""
    name = os.path.basename((name or "").replace("\\", "/"))
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if ch.isprintable())
    name = name.strip().strip(".") or "file"
    return name[:200]


def check_upload(upload, *, allowed: dict[str, str] | None = None, max_bytes: int | None = None):
    """Validate size and type (by content); return what was found, or raise ValidationError."""
    allowed = allowed or DOCUMENT_TYPES
    max_bytes = max_bytes or settings.UPLOAD_MAX_BYTES
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > max_bytes:
        raise ValidationError(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": round(size / 1048576, 1), "limit": max_bytes // 1048576},
            code="too_large",
        )
    pos = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(pos)
    kind = filetype.guess(head)
    if kind is None or kind.extension not in allowed or kind.mime != allowed[kind.extension]:
        raise ValidationError(
            _("This file type is not accepted. Upload %(types)s.")
            % {"types": ", ".join(ext.upper() for ext in allowed)},
            code="bad_type",
        )
    original = safe_filename(upload.name)
    stem = os.path.splitext(original)[0] or "file"
    # The stored extension follows the content, whatever the name claimed.
    upload.name = f"upload.{kind.extension}"
    return CheckedUpload(kind.extension, kind.mime, size, f"{stem}.{kind.extension}")


def file_response(field_file, *, filename: str, content_type: str = "") -> FileResponse:
    """A download of a stored file (the caller has checked permission); 404 if it is gone."""
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=filename or os.path.basename(field_file.name),
        content_type=content_type or None,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
