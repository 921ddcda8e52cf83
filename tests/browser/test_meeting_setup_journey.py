"""Journey 1 (DESIGN.md): the secretariat sets up a RAKORTEK in the browser."""

import re

from playwright.sync_api import expect

from meetings.models import Meeting
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, DeskFactory, MeetingFactory, field


def test_secretariat_sets_up_a_rakortek_with_desks_and_criteria(
    page, secretariat, kabid_bina_marga, kabid_sda
):
    log_in(page, secretariat.username, PASSWORD)

    # A new meeting; the slug is suggested while the title is typed.
    page.goto("/rapat/")
    page.locator("main a[href='/rapat/tambah/']").click()
    page.locator("#id_year").fill("2026")
    page.locator("#id_title").fill("RAKORTEK Bidang PU")
    expect(page.locator("#id_slug")).to_have_value("rakortek-bidang-pu-2026")
    expect(page.locator("#div_id_follows")).to_be_hidden()
    page.locator("#id_starts_at_0").fill("2026-07-27")
    page.locator("#id_starts_at_1").fill("08:00")
    page.locator("#id_ends_at_0").fill("2026-07-27")
    page.locator("#id_ends_at_1").fill("16:00")
    page.locator("#id_venue").fill("Ruang Auditorium Dinas PUPRPRKP")
    page.locator("#id_mode").select_option("hybrid")
    page.locator("#id_online_link").fill("https://zoom.example.go.id/j/2026072701")
    page.locator("#id_submission_opens_at_0").fill("2026-07-01")
    page.locator("#id_submission_opens_at_1").fill("08:00")
    page.locator("#id_submission_closes_at_0").fill("2026-07-24")
    page.locator("#id_submission_closes_at_1").fill("16:00")
    page.locator("#id_status").select_option("aktif")
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/rapat/rakortek-bidang-pu-2026/$"))
    expect(page.locator("h1")).to_have_text("RAKORTEK Bidang PU")
    expect(page.locator("#criteria tbody tr")).to_have_count(5)

    # Two desks, each with its head of field as chair.
    for field_slug, chair in [("bina-marga", kabid_bina_marga), ("sumber-daya-air", kabid_sda)]:
        page.locator("a[href='/rapat/rakortek-bidang-pu-2026/desk/tambah/']").click()
        page.locator("#id_field").select_option(str(field(field_slug).pk))
        page.locator("#id_chair").select_option(str(chair.pk))
        page.locator("#id_note_taker").select_option(str(secretariat.pk))
        page.locator("#id_room").fill("Ruang Rapat")
        page.locator("#id_starts_at").fill("10:00")
        page.locator("#id_ends_at").fill("14:00")
        page.locator("main form button[type=submit]").click()
        expect(page).to_have_url(re.compile(r"/rapat/rakortek-bidang-pu-2026/#desks$"))
    desks = page.locator("#desks .js-desk")
    expect(desks).to_have_count(2)
    expect(desks.first).to_contain_text(kabid_bina_marga.full_name)

    # Criteria: a wrong sum is refused with the sum shown, then a right one saves.
    page.locator("a[href='/rapat/rakortek-bidang-pu-2026/kriteria/']").click()
    page.locator("#id_criteria-0-weight").fill("40")
    expect(page.locator("#criteria-total")).to_have_text("110")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".js-criteria-errors")).to_contain_text("110")
    expect(page.locator("#id_criteria-0-weight")).to_have_value("40")
    page.locator("#id_criteria-1-weight").fill("15")
    expect(page.locator("#criteria-total")).to_have_text("100")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/rapat/rakortek-bidang-pu-2026/#criteria$"))
    expect(page.locator("#criteria tbody tr").first).to_contain_text("40")

    meeting = Meeting.objects.get(slug="rakortek-bidang-pu-2026")
    assert list(meeting.criteria.values_list("weight", flat=True)) == [40, 15, 20, 15, 10]

    # The home page lists the meeting with its two desks.
    page.goto("/")
    card = page.locator("section.card", has_text="RAKORTEK Bidang PU")
    expect(card).to_contain_text("Bina Marga")
    expect(card).to_contain_text("Sumber Daya Air")


def test_meeting_detail_fits_a_phone_screen(phone_page, secretariat, kabid_bina_marga):
    meeting = MeetingFactory(title="RAKORTEK Bidang PU 2026", slug="rakortek-2026")
    for slug in ["bina-marga", "sumber-daya-air", "penataan-ruang"]:
        DeskFactory(meeting=meeting, field=field(slug), chair=kabid_bina_marga)
    log_in(phone_page, secretariat.username, PASSWORD)
    for url in [meeting.get_absolute_url(), "/rapat/rakortek-2026/kriteria/", "/rapat/tambah/"]:
        phone_page.goto(url)
        expect(phone_page.locator("h1")).to_be_visible()
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{url} scrolls sideways on a phone ({width}px)"
