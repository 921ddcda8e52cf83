"""The regions' assent in the browser: the desk head asks from the board, two regions
answer on a phone (Pangkalpinang objects to the joint decision with a note, Bangka agrees),
the head sees both on the board and locks before the deadline, the lock records both
answers, and the desk minutes list the objection."""

import io
import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from issues.models import AssentItem, DeskLockRecord
from meetings.services import minutes_new
from tests.browser.conftest import log_in
from tests.factories import PASSWORD
from tests.issues.board.assent_helpers import decided_desk

NOTE = "Ruas lingkar menghubungkan dua kabupaten; mohon dijadikan Prioritas."
A = AssentItem.Answer


def _ask_for_assent(page, desk):
    page.goto(reverse("issues:board", kwargs={"desk_id": desk.pk}))
    expect(page.locator("#persetujuan")).to_contain_text("belum")
    page.locator(
        f"a[href='{reverse('issues:board_assent_open', kwargs={'desk_id': desk.pk})}']"
    ).click()
    page.wait_for_load_state()
    deadline = timezone.localtime(timezone.now() + timedelta(hours=2))
    page.locator("input[name=deadline]").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("#persetujuan")).to_contain_text("Setuju 0 · Keberatan 0")


def _answer_on_the_phone(phone, delegate, answers):
    """answers: (issue, region slug, answer, note) in the order the delegate gives them."""
    phone.context.clear_cookies()
    log_in(phone, delegate.username, PASSWORD)
    # Home: the next step leads to the questions.
    phone.locator("a[href='/persetujuan/']").first.click()
    phone.wait_for_load_state()
    for issue, slug, answer, note in answers:
        item = AssentItem.objects.get(round__desk=issue.desk, issue=issue, region__slug=slug)
        card = phone.locator(f"#persetujuan-{item.pk}")
        card.get_by_label("Setuju" if answer == A.AGREE else "Keberatan").check()
        if note:
            card.locator("textarea").fill(note)
        card.locator("button[type=submit]").click()
        phone.wait_for_load_state()
        expect(phone.locator(f"#persetujuan-{item.pk}")).to_contain_text(note or "Setuju")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_two_regions_answer_on_a_phone_and_the_lock_and_the_minutes_record_them(
    phone_page,
    page,
    meeting,
    desk_bina_marga,
    secretariat,
    kabid_bina_marga,
    delegate_pangkalpinang,
    delegate_bangka,
):
    desk = desk_bina_marga
    own, joint = decided_desk(desk, secretariat, kabid_bina_marga)

    log_in(page, kabid_bina_marga.username, PASSWORD)
    _ask_for_assent(page, desk)

    # Keberatan without a note is refused on the phone, and the choice is kept.
    phone_page.context.clear_cookies()
    log_in(phone_page, delegate_pangkalpinang.username, PASSWORD)
    phone_page.locator("a[href='/persetujuan/']").first.click()
    phone_page.wait_for_load_state()
    item = AssentItem.objects.get(issue=joint, region__slug="pangkalpinang")
    card = phone_page.locator(f"#persetujuan-{item.pk}")
    expect(card).to_contain_text("Cadangan")
    expect(card).to_contain_text("Menunggu DED selesai.")
    card.get_by_label("Keberatan").check()
    card.locator("button[type=submit]").click()
    phone_page.wait_for_load_state()
    expect(phone_page.locator("main")).to_contain_text("Tuliskan alasan keberatan.")

    _answer_on_the_phone(
        phone_page,
        delegate_pangkalpinang,
        [(own, "pangkalpinang", A.AGREE, ""), (joint, "pangkalpinang", A.OBJECT, NOTE)],
    )
    _answer_on_the_phone(phone_page, delegate_bangka, [(joint, "bangka", A.AGREE, "")])

    # The head sees both regions' answers on the board.
    page.goto(reverse("issues:board", kwargs={"desk_id": desk.pk}))
    block = page.locator("#persetujuan")
    expect(block).to_contain_text(NOTE)
    expect(block).to_contain_text(delegate_pangkalpinang.get_full_name())
    expect(block).to_contain_text(delegate_bangka.get_full_name())
    expect(block).to_contain_text("Setuju 2 · Keberatan 1 · belum menjawab 0.")

    # Locking before the deadline asks for a confirmation, then records the answers.
    page.locator(f"a[href='{reverse('issues:board_lock', kwargs={'desk_id': desk.pk})}']").click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text("Setuju 2 · Keberatan 1")
    page.locator("input[name=confirm_open_assent]").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator(".board-lock")).to_be_visible()

    record = DeskLockRecord.objects.get(desk=desk)
    answers = {(a["issue"], a["region"], a["answer"], a["note"]) for a in record.detail["answers"]}
    assert answers == {
        (own.code, "Kota Pangkalpinang", A.AGREE, ""),
        (joint.code, "Kota Pangkalpinang", A.OBJECT, NOTE),
        (joint.code, "Kabupaten Bangka", A.AGREE, ""),
    }, record.detail

    # The desk minutes, once begun (here through the service), list the objection with
    # its note in the chair's draft.
    minutes_new(meeting=meeting, desk=desk).save()
    url = reverse(
        "documents:draft",
        kwargs={"slug": meeting.slug, "key": "notulen-desk", "field_slug": desk.field.slug},
    )
    response = page.request.get(url)
    assert response.status == 200, response.status
    assert response.headers["content-type"] == "application/pdf", response.url
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    text = re.sub(r"\s+", " ", text)
    assert re.sub(r"\s+", " ", NOTE) in text
    assert "Keberatan" in text
