"""The public verification page of a final document fits a 390 px phone, file input
included, and checks a file there."""

import pytest
from playwright.sync_api import expect

from tests.documents.test_final_documents import render_and_store


@pytest.fixture
def document(settings, tmp_path, meeting, secretariat):
    settings.MEDIA_ROOT = tmp_path / "media"
    document, rendered = render_and_store(meeting, secretariat)
    pdf = tmp_path / "notulen.pdf"
    pdf.write_bytes(rendered.content)
    return document, pdf


def test_verification_page_fits_a_phone_and_checks_a_file(phone_page, document):
    final, pdf = document
    phone_page.goto(final.get_verification_url())
    expect(phone_page.locator("h1")).to_have_text("Verifikasi dokumen")
    widths = phone_page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1] == 390
    box = phone_page.locator("input[type=file]").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    phone_page.locator("input[type=file]").set_input_files(str(pdf))
    phone_page.locator("main form button[type=submit]").click()
    expect(phone_page.locator(".alert-success").last).to_contain_text("identik")
