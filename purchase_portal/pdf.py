"""The one PDF renderer: a Django template rendered by WeasyPrint with the
bundled CJK font (static/fonts, SIL OFL). Templates extend ``pdf/base.html``.

Only files under the project's static folder may be loaded while rendering;
no network access is ever attempted.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from .pdf_signing import sign_pdf

FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"
STATIC_DIR = (Path(settings.BASE_DIR) / "static").resolve()


def _fetcher():
    from weasyprint.urls import URLFetcher

    class StaticOnlyFetcher(URLFetcher):
        """Loads files from the static folder (fonts, images) and data: URLs only."""

        def fetch(self, url, headers=None):
            if url.startswith("file://"):
                path = Path(url[len("file://") :].split("?")[0]).resolve()
                if not path.is_relative_to(STATIC_DIR):
                    raise ValueError(f"PDF rendering may not load {url!r}")
            elif not url.startswith("data:"):
                raise ValueError(f"PDF rendering may not load {url!r}")
            return super().fetch(url, headers)

    return StaticOnlyFetcher(allowed_protocols={"file", "data"})


def render_pdf(
    template_name: str, context: dict | None = None, *, language: str | None = None
) -> bytes:
    """Render a template to PDF bytes, signed with the federation's certificate
    (``pdf_signing``); deterministic apart from the timestamps."""
    from weasyprint import HTML

    context = {**(context or {}), "font_dir": FONT_DIR.as_uri()}
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        html = render_to_string(template_name, context)
    document = HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=_fetcher())
    return sign_pdf(document.write_pdf())


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
