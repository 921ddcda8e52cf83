"""The secretariat downloads a desk's draft priority list, finalises it and downloads the final
PDF; an observer then finds it on a phone; the secretariat finalises the minutes and their PDF."""

import hashlib
import io
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from rakortek.documents.catalog import SPECS
from rakortek.documents.models import FinalDocument
from rakortek.documents.services import document_finalise
from tests.browser.conftest import log_in
from tests.documents.conftest import decided_issue, lock_board
from tests.factories import PASSWORD

ROW = "#dokumen-prioritas-bina-marga"


@pytest.fixture
def decided_board(meeting, desk_bina_marga):
    decided_issue(
        desk_bina_marga,
        "bangka",
        title="Rekonstruksi ruas Sungailiat - Belinyu",
        rank=1,
        decision="prioritas",
        score=Decimal("87.50"),
    )
    decided_issue(
        desk_bina_marga,
        "pangkalpinang",
        title="Pelebaran Jalan Lingkar Timur",
        rank=2,
        decision="cadangan",
        reason="Menunggu kepastian status jalan.",
    )
    lock_board(desk_bina_marga)
    return desk_bina_marga


def downloaded(page, locator) -> bytes:
    with page.expect_download() as info:
        locator.click()
    return Path(info.value.path()).read_bytes()


def test_secretariat_finalises_a_desk_priority_list_and_downloads_it(
    page, secretariat, meeting, decided_board
):
    log_in(page, secretariat.username, PASSWORD)
    page.goto(f"/rapat/{meeting.slug}/")
    page.locator(f"a[href='/rapat/{meeting.slug}/dokumen/']").click()
    page.wait_for_load_state()
    row = page.locator(ROW)
    expect(row).to_be_visible()

    draft = downloaded(page, row.locator("a[href$='/prioritas/bina-marga/draf/']"))
    assert draft.startswith(b"%PDF")

    row.locator("form button[type=submit]").click()
    page.wait_for_load_state()
    document = FinalDocument.objects.get()
    final_link = page.locator(f"{ROW} a[href='/dokumen/{document.pk}/unduh/']")
    expect(final_link).to_be_visible()
    # Final now: no second Finalise button, a Reopen link instead.
    expect(page.locator(f"{ROW} form button[type=submit]")).to_have_count(0)
    expect(page.locator(f"{ROW} a[href='/dokumen/{document.pk}/buka-kembali/']")).to_be_visible()

    final = downloaded(page, final_link)
    assert final.startswith(b"%PDF")
    assert hashlib.sha256(final).hexdigest() == document.sha256


def test_observer_finds_the_final_list_on_a_phone(
    phone_page, secretariat, observer, meeting, decided_board
):
    document = document_finalise(
        actor=secretariat, meeting=meeting, spec=SPECS["prioritas"], desk=decided_board
    )
    log_in(phone_page, observer.username, PASSWORD)
    phone_page.goto(f"/rapat/{meeting.slug}/dokumen/")
    row = phone_page.locator(ROW)
    expect(row).to_be_visible()
    # Read-only: no draft, no finalise, no reopen.
    expect(row.locator("form")).to_have_count(0)
    expect(row.locator("a[href$='/draf/']")).to_have_count(0)
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    content = downloaded(phone_page, row.locator(f"a[href='/dokumen/{document.pk}/unduh/']"))
    assert content.startswith(b"%PDF")


def test_secretariat_finalises_the_minutes_then_the_notulen_pdf(
    page, secretariat, meeting, decided_board
):
    log_in(page, secretariat.username, PASSWORD)
    page.goto(f"/rapat/{meeting.slug}/notulen/pleno/ubah/")
    page.locator("textarea[name=opening]").fill("Rapat dibuka pukul 09.00 WIB oleh Kepala Dinas.")
    page.locator("textarea[name=discussion]").fill(
        "Paparan isu strategis dari tujuh kabupaten/kota."
    )
    page.locator("textarea[name=decisions]").fill("Disepakati daftar prioritas per bidang.")
    page.locator("textarea[name=closing]").fill("Rapat ditutup pukul 16.00 WIB.")
    page.locator("button[name=finalise]").click()
    page.wait_for_load_state()
    expect(page.locator("textarea[name=opening]")).to_have_count(0)

    page.goto(f"/rapat/{meeting.slug}/dokumen/")
    row = page.locator("#dokumen-notulen")
    row.locator("form button[type=submit]").click()
    page.wait_for_load_state()
    document = FinalDocument.objects.get(kind=FinalDocument.Kind.MINUTES)
    final = downloaded(
        page, page.locator(f"#dokumen-notulen a[href='/dokumen/{document.pk}/unduh/']")
    )
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(final)).pages)
    assert "Rapat dibuka pukul 09.00 WIB oleh Kepala Dinas." in text
    assert "Rekonstruksi ruas Sungailiat - Belinyu" in text  # the desk's Prioritas issue
    assert hashlib.sha256(final).hexdigest() == document.sha256
