"""PDF rendering with WeasyPrint that can read the app's own static assets and nothing else.

User text reaches the document templates. WeasyPrint's default fetcher would
follow any URL it meets (`file:///etc/passwd`, an internal HTTP address), so
every document goes through `StaticOnlyFetcher`: a URL under the document's
own base that names a file found by Django's static finders is read from disk;
`data:` images produced by the app itself are decoded; everything else is
refused and the resource is simply left out of the document.
"""

import base64
import binascii
import logging
import mimetypes
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# A base that can never be fetched from the network: relative and
# root-relative URLs in the templates resolve under it.
DOCUMENT_BASE_URL = "https://rakortek.invalid/"

PAPER_SIZES = {"A4": "210mm 297mm", "F4": "215mm 330mm"}

# data: URLs are only accepted for images the app embeds (QR codes, signatures).
DATA_MEDIA_TYPES = {"image/png", "image/jpeg", "image/svg+xml"}
MAX_DATA_URL_BYTES = 2 * 1024 * 1024


class StaticOnlyFetcher(URLFetcher):
    """A WeasyPrint URL fetcher confined to Django's static files."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.refused: list[str] = []
        self.fetched: list[str] = []

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return self._data(url)
        parts = urlsplit(url)
        base = urlsplit(DOCUMENT_BASE_URL)
        static_prefix = urlsplit(settings.STATIC_URL).path
        if (parts.scheme, parts.netloc) == (base.scheme, base.netloc) and parts.path.startswith(
            static_prefix
        ):
            relative = unquote(parts.path[len(static_prefix) :])
            path = self._static_path(relative)
            if path is not None:
                self.fetched.append(relative)
                content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(
                    url, body=path.read_bytes(), headers={"Content-Type": content_type}
                )
        return self._refuse(url)

    def _static_path(self, relative: str):
        # The finders never leave their storage roots, but refuse traversal outright.
        if not relative or ".." in Path(relative).parts or relative.startswith("/"):
            return None
        found = finders.find(relative)
        if not found:
            return None
        return Path(found)

    def _data(self, url: str):
        header, _, payload = url[5:].partition(",")
        media_type, *params = header.split(";")
        if media_type not in DATA_MEDIA_TYPES or "base64" not in params:
            return self._refuse(url[:40])
        if len(payload) > MAX_DATA_URL_BYTES * 4 // 3 + 4:
            return self._refuse(url[:40])
        try:
            body = base64.b64decode(payload, validate=True)
        except (binascii.Error, ValueError):
            return self._refuse(url[:40])
        return URLFetcherResponse(url, body=body, headers={"Content-Type": media_type})

    def _refuse(self, url: str):
        self.refused.append(url)
        logger.warning("PDF renderer refused to fetch %s", url[:200])
        raise ValueError(f"Refused to fetch {url[:200]}")


@dataclass
class RenderedPdf:
    content: bytes
    pages: int
    refused_urls: list[str]
    fetched_assets: list[str]


@dataclass
class Letterhead:
    """The office's letterhead (kop surat) on the first page of every document."""

    government: str = "PEMERINTAH PROVINSI KEPULAUAN BANGKA BELITUNG"
    office: str = "DINAS PEKERJAAN UMUM, PENATAAN RUANG DAN PERUMAHAN RAKYAT KAWASAN PERMUKIMAN"
    address: str = "Kompleks Perkantoran Gubernur, Air Itam, Pangkalpinang"
    contact: str = ""
    city: str = "Pangkalpinang"
    logo_url: str = ""


def render_pdf(
    template_name: str, context: dict, *, paper: str = "A4", letterhead: Letterhead | None = None
) -> RenderedPdf:
    """Render a template that extends pdf/base.html to a PDF."""
    context = {
        "letterhead": letterhead or Letterhead(),
        **context,
        "paper_size": PAPER_SIZES.get(paper, PAPER_SIZES["A4"]),
    }
    return html_to_pdf(render_to_string(template_name, context))


def html_to_pdf(html: str) -> RenderedPdf:
    """Lay out HTML with the confined fetcher and return the PDF bytes and page count."""
    fetcher = StaticOnlyFetcher(timeout=5, allow_redirects=False)
    font_config = FontConfiguration()
    document = HTML(string=html, base_url=DOCUMENT_BASE_URL, url_fetcher=fetcher).render(
        font_config=font_config
    )
    content = document.write_pdf()
    return RenderedPdf(
        content=content,
        pages=len(document.pages),
        refused_urls=fetcher.refused,
        fetched_assets=fetcher.fetched,
    )
