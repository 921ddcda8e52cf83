"""The PDF renderer: real WeasyPrint output, read back with pypdf."""

import io
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import engines
from pypdf import PdfReader

from rakortek.core import formatting
from rakortek.core.pdf import DOCUMENT_BASE_URL, Letterhead, StaticOnlyFetcher, html_to_pdf

WIB = ZoneInfo("Asia/Jakarta")


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def pdf_fonts(content: bytes) -> set[str]:
    fonts = set()
    for page in PdfReader(io.BytesIO(content)).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    return fonts


def render_string(source: str, context=None) -> str:
    return engines["django"].from_string(source).render(context or {})


DOCUMENT = """{% extends "pdf/base.html" %}
{% block content %}<h1>Notulen Rapat</h1><p>{{ text }}</p>
<table class="grid"><thead><tr><th>No</th><th>Isu</th></tr></thead><tbody>
{% for row in rows %}<tr><td>{{ forloop.counter }}</td><td>{{ row }}</td></tr>{% endfor %}
</tbody></table>{% endblock %}"""


def render_document(text="Isi", rows=(), paper_size="210mm 297mm"):
    html = render_string(
        DOCUMENT,
        {"text": text, "rows": rows, "letterhead": Letterhead(), "paper_size": paper_size},
    )
    return html_to_pdf(html)


def test_document_has_letterhead_page_numbers_and_shipped_font():
    rendered = render_document(rows=[f"Isu nomor {n}" for n in range(120)])
    text = pdf_text(rendered.content)
    assert rendered.content.startswith(b"%PDF")
    assert rendered.pages >= 3
    assert "PEMERINTAH PROVINSI KEPULAUAN BANGKA BELITUNG" in text
    assert f"Halaman 1 dari {rendered.pages}" in text
    assert f"Halaman {rendered.pages} dari {rendered.pages}" in text
    assert "Isu nomor 119" in text
    # The shipped font files were read, and the text is set in them.
    assert "fonts/LiberationSans-Regular.ttf" in rendered.fetched_assets
    assert any("Liberation-Sans" in name for name in pdf_fonts(rendered.content))
    assert rendered.refused_urls == []


def test_f4_paper_is_taller_than_a4():
    a4 = PdfReader(io.BytesIO(render_document().content)).pages[0].mediabox
    f4 = PdfReader(io.BytesIO(render_document(paper_size="215mm 330mm").content)).pages[0].mediabox
    assert float(a4.height) == pytest.approx(297 / 25.4 * 72, abs=1)
    assert float(f4.height) == pytest.approx(330 / 25.4 * 72, abs=1)


def test_hostile_user_text_is_printed_as_text_and_fetches_nothing():
    hostile = '<img src="file:///etc/passwd"><link rel="stylesheet" href="http://127.0.0.1:5432/">'
    rendered = render_document(text=hostile)
    assert "file:///etc/passwd" in pdf_text(rendered.content)
    assert rendered.refused_urls == []


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:8000/admin/",
        "http://169.254.169.254/latest/meta-data/",
        DOCUMENT_BASE_URL + "static/../rakortek/settings.py",
        DOCUMENT_BASE_URL + "static/%2e%2e/rakortek/settings.py",
        DOCUMENT_BASE_URL + "media/lampiran/x.jpg",
        "https://evil.example/static/css/print.css",
        "data:text/html;base64,PGgxPng8L2gxPg==",
    ],
)
def test_fetcher_refuses_anything_but_static_assets(url):
    fetcher = StaticOnlyFetcher()
    with pytest.raises(ValueError):
        fetcher.fetch(url)
    assert fetcher.refused


def test_markup_that_reaches_the_renderer_still_cannot_embed_local_files():
    # As if a template had wrongly marked user text safe: the fetcher is the last guard.
    html = (
        '<html><body><p>x</p><img src="file:///etc/passwd">'
        '<iframe src="file:///etc/hostname"></iframe>'
        '<link rel="stylesheet" href="file:///etc/passwd"></body></html>'
    )
    rendered = html_to_pdf(html)
    assert "root:" not in pdf_text(rendered.content)
    assert set(rendered.refused_urls) >= {"file:///etc/passwd"}


def test_fetcher_reads_static_assets():
    response = StaticOnlyFetcher().fetch(DOCUMENT_BASE_URL + "static/css/print.css")
    assert b"Liberation Sans" in response.read()


def test_indonesian_formats():
    monday = datetime(2022, 7, 25, 9, 0, tzinfo=WIB)
    assert formatting.tanggal(monday) == "25 Juli 2022"
    assert formatting.hari(monday) == "Senin"
    assert formatting.hari_tanggal(monday) == "Senin, 25 Juli 2022"
    assert formatting.jam(monday) == "09.00 WIB"
    assert formatting.jam(datetime(2022, 7, 25, 2, 30, tzinfo=ZoneInfo("UTC"))) == "09.30 WIB"
    assert formatting.rupiah(1250000) == "Rp1.250.000"
    assert formatting.rupiah(Decimal("999.6")) == "Rp1.000"
    assert formatting.rupiah(0) == "Rp0"
    assert formatting.angka(Decimal("3.5"), 1) == "3,5"
    assert formatting.angka(1234567) == "1.234.567"
    assert formatting.tanggal(None) == ""
