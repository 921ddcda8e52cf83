"""Self check-in on a phone: find your name, sign on the screen, and the secretariat sees it."""

import re

import pytest
from playwright.sync_api import expect

from meetings.models import Participant
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, ParticipantFactory, region


@pytest.fixture(autouse=True)
def _checkin_window_covers_the_test_meeting(settings):
    """The factory's meeting starts in 14 days; open self check-in a month before."""
    settings.CHECKIN_OPENS_DAYS_BEFORE = 30


def draw_with_mouse(page, canvas):
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + box["height"] / 2)
    page.mouse.down()
    for step in range(1, 40):
        x = box["x"] + 20 + step * (box["width"] - 40) / 40
        y = box["y"] + box["height"] / 2 + (30 if step % 8 < 4 else -30)
        page.mouse.move(x, y, steps=2)
    page.mouse.up()


def draw_with_finger(page, canvas):
    """Touch events through the DevTools protocol: Playwright's touchscreen can only tap."""
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    session = page.context.new_cdp_session(page)

    def touch(kind, x, y):
        points = [] if kind == "touchEnd" else [{"x": x, "y": y, "id": 1}]
        session.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    x0, y0 = box["x"] + 30, box["y"] + box["height"] / 2
    touch("touchStart", x0, y0)
    for step in range(1, 30):
        touch("touchMove", x0 + step * 9, y0 + (25 if step % 6 < 3 else -25))
    touch("touchEnd", 0, 0)
    session.detach()


def test_participant_checks_in_on_a_phone_and_the_secretariat_sees_it(
    phone_page, page, meeting, secretariat
):
    budi = ParticipantFactory(
        meeting=meeting,
        name="Budi Santoso, S.T.",
        office="DPUPR Kabupaten Bangka",
        region=region("bangka"),
        phone="081299998888",
    )
    ParticipantFactory(meeting=meeting, name="Budiman Harahap", office="Bappeda Kabupaten Bangka")

    # The link from the QR code, opened on the phone without logging in.
    phone_page.goto(f"/hadir/{meeting.checkin_code}/")
    expect(phone_page.locator("h1")).to_have_text(meeting.title)
    phone_page.locator("#checkin-q").fill("budi sant")
    results = phone_page.locator(".js-checkin-results a")
    expect(results).to_have_count(1)  # typeahead (htmx), no page load
    expect(results.first).to_contain_text("DPUPR Kabupaten Bangka")
    expect(phone_page.locator("#checkin-results")).not_to_contain_text("081299998888")
    results.first.click()

    # Sign: an empty pad is refused by the server, then a drawn signature is accepted.
    expect(phone_page).to_have_url(re.compile(rf"/hadir/{meeting.checkin_code}/p/[^/]+/$"))
    phone_page.locator("input[name=mode][value=daring]").check()
    phone_page.locator("main form button[type=submit]").click()
    expect(phone_page.locator(".invalid-feedback")).to_be_visible()
    canvas = phone_page.locator("canvas.signature-canvas")
    draw_with_mouse(phone_page, canvas)
    phone_page.locator(".js-signature-clear").click()  # "Ulangi" clears the pad
    expect(phone_page.locator(".js-signature-value")).to_have_value("")
    draw_with_mouse(phone_page, canvas)
    expect(phone_page.locator(".js-signature-value")).to_have_value(
        re.compile(r"^data:image/png;base64,")
    )
    phone_page.locator("main form button[type=submit]").click()
    expect(phone_page.locator("#checkin-done")).to_be_visible()

    budi.refresh_from_db()
    assert budi.is_checked_in
    assert (budi.checked_in_via, budi.mode) == (Participant.Via.SELF, "daring")
    assert budi.signature

    # Opening the link again does not offer a second signature.
    phone_page.reload()
    expect(phone_page.locator("#checkin-done")).to_be_visible()
    expect(phone_page.locator("canvas")).to_have_count(0)

    # The secretariat's list shows Budi present, with the signature image loaded.
    log_in(page, secretariat.username, PASSWORD)
    page.goto(f"/rapat/{meeting.slug}/hadir/?status=hadir")
    row = page.locator(f".js-participant[data-participant='{budi.pk}']")
    expect(row).to_contain_text("Budi Santoso, S.T.")
    expect(row.locator(".js-checkin-state .badge")).to_have_class(re.compile("text-bg-success"))
    signature = row.locator("img.js-signature-thumb")
    expect(signature).to_be_visible()
    signature.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=signature.element_handle()
    )
    expect(page.locator(".js-participant")).to_have_count(1)


def test_a_newcomer_adds_themselves_signing_with_a_finger(phone_page, meeting):
    phone_page.goto(f"/hadir/{meeting.checkin_code}/")
    phone_page.locator("a[href$='/daftar/']").click()
    phone_page.locator("#id_name").fill("Fajar Nugroho, S.T.")
    phone_page.locator("#id_position").fill("Kepala Seksi Irigasi")
    phone_page.locator("#id_office").fill("DPUPR Kabupaten Bangka Barat")
    phone_page.locator("#id_region").select_option(str(region("bangka-barat").pk))
    phone_page.locator("#id_phone").fill("081377776666")
    phone_page.locator("input[name=mode][value=luring]").check()
    draw_with_finger(phone_page, phone_page.locator("canvas.signature-canvas"))
    expect(phone_page.locator(".js-signature-value")).to_have_value(
        re.compile(r"^data:image/png;base64,")
    )
    phone_page.locator("main form button[type=submit]").click()
    expect(phone_page.locator("#checkin-done")).to_be_visible()
    participant = Participant.objects.get(meeting=meeting)
    assert participant.name == "Fajar Nugroho, S.T."
    assert participant.is_checked_in and participant.signature
