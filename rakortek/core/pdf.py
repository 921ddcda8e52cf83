"""PDF rendering with WeasyPrint that can read the app's own static assets and nothing else.

User text reaches the document templates. WeasyPrint's default fetcher would
follow any URL it meets (`file:///etc/passwd`, an internal HTTP address), so
every document goes through `StaticOnlyFetcher`: a URL under the document's
own base that names one of the app's static files is read; `data:` images
produced by the app itself are decoded; everything else is refused and the
resource is simply left out of the document.

"One of the app's static files" holds under every static storage: the source
files Django's finders know (development), the hashed names a manifest storage
gives out in production (`print.3f2a….css`, and the font URLs rewritten inside
it) and the files collected into STATIC_ROOT. A refused URL under the static
prefix is an asset the document needed and did not get: `RenderedPdf`
reports those apart (`refused_assets`) so a final version is never stored
without its stylesheet or fonts.
"""

import base64
import binascii
import logging
import mimetypes
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
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


def static_name(url: str) -> str | None:
    """The static file name a URL under the document's base asks for, or None.

    None for any other address, and for names that try to leave the static
    root (`..`, an absolute path, a backslash).
    """
    parts = urlsplit(url)
    base = urlsplit(DOCUMENT_BASE_URL)
    static_prefix = urlsplit(settings.STATIC_URL).path
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
        return None
    if not parts.path.startswith(static_prefix):
        return None
    relative = unquote(parts.path[len(static_prefix) :])
    if (
        not relative
        or relative.startswith("/")
        or "\\" in relative
        or "\x00" in relative
        or ".." in Path(relative).parts
    ):
        return None
    return relative


def _manifest_names(storage) -> dict[str, str] | None:
    """Hashed name -> source name from a manifest storage, None for other storages."""
    hashed_files = getattr(storage, "hashed_files", None)
    if hashed_files is None:
        return None
    names = {hashed: source for source, hashed in hashed_files.items()}
    names.update({source: source for source in hashed_files})
    return names


def read_static(relative: str) -> tuple[str, bytes] | None:
    """The source name and bytes of the app's static file `relative`, or None.

    Looked up, in order: the finders (the source files, as in development), the
    static storage's manifest (the hashed names a production storage hands
    out), then the storage itself (files collected into STATIC_ROOT by a
    storage without a manifest). A manifest storage serves only what its
    manifest lists, so a stray file in STATIC_ROOT is not an asset.
    """
    found = finders.find(relative)
    if found:
        return relative, Path(found).read_bytes()
    storage = staticfiles_storage
    manifest = _manifest_names(storage)
    if manifest is not None:
        if relative not in manifest:
            return None
        source = manifest[relative]
    else:
        source = relative
    try:
        if not storage.exists(relative):
            return None
        with storage.open(relative, "rb") as file:
            return source, file.read()
    except (OSError, SuspiciousFileOperation):
        logger.warning("Static file %s could not be read from the static storage", relative)
        return None


class StaticOnlyFetcher(URLFetcher):
    """A WeasyPrint URL fetcher confined to Django's static files."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.refused: list[str] = []
        # Refused URLs under the static prefix: the app's own assets, missing.
        self.refused_assets: list[str] = []
        self.fetched: list[str] = []

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return self._data(url)
        relative = static_name(url)
        if relative is not None:
            found = read_static(relative)
            if found is not None:
                name, body = found
                self.fetched.append(name)
                content_type = mimetypes.guess_type(relative)[0] or "application/octet-stream"
                return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})
            self.refused_assets.append(url)
        return self._refuse(url)

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
    # The app's own static files the document asked for and did not get.
    refused_assets: list[str] = field(default_factory=list)
    # Where the elements asked for by id landed: id -> (page index, (x1, y1, x2, y2)),
    # in PDF points from the page's bottom-left corner.
    boxes: dict = field(default_factory=dict)


def _boxes(document, names) -> dict:
    found = {}
    for index, page in enumerate(document.pages):
        for name in names:
            if name in page.anchors and name not in found:
                # CSS pixels from the top-left; a PDF point is 0.75 CSS pixel.
                x1, y1, x2, y2 = page.anchors[name]
                height = page.height
                found[name] = (
                    index,
                    (x1 * 0.75, (height - y2) * 0.75, x2 * 0.75, (height - y1) * 0.75),
                )
    return found


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


def html_to_pdf(html: str, *, boxes: tuple[str, ...] = ()) -> RenderedPdf:
    """Lay out HTML with the confined fetcher and return the PDF bytes and page count.

    `boxes`: ids of elements whose position on the page the caller needs.
    """
    fetcher = StaticOnlyFetcher(timeout=5, allow_redirects=False)
    font_config = FontConfiguration()
    document = HTML(string=html, base_url=DOCUMENT_BASE_URL, url_fetcher=fetcher).render(
        font_config=font_config
    )
    content = document.write_pdf()
    return RenderedPdf(
        boxes=_boxes(document, boxes),
        content=content,
        pages=len(document.pages),
        refused_urls=fetcher.refused,
        fetched_assets=fetcher.fetched,
        refused_assets=fetcher.refused_assets,
    )
