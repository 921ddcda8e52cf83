"""On a phone, a delegate answers the desk's request for assent: agrees to one decision
and objects to the joint one with a note; the desk head sees both on the board."""

from playwright.sync_api import expect

from issues.models import AssentItem
from tests.browser.conftest import log_in
from tests.factories import PASSWORD
from tests.issues.board.assent_helpers import decided_desk, open_round

NOTE = "Ruas lingkar menghubungkan dua kabupaten; mohon dijadikan Prioritas."


def test_a_delegate_objects_on_a_phone_and_the_head_sees_it_on_the_board(
    phone_page,
    page,
    desk_bina_marga,
    secretariat,
    kabid_bina_marga,
    delegate_pangkalpinang,
):
    own, joint = decided_desk(desk_bina_marga, secretariat, kabid_bina_marga)
    assent_round = open_round(desk_bina_marga, kabid_bina_marga)
    own_item = assent_round.items.get(issue=own)
    joint_item = assent_round.items.get(issue=joint, region__slug="pangkalpinang")

    phone = phone_page
    log_in(phone, delegate_pangkalpinang.username, PASSWORD)
    # Home: the next step leads to the questions.
    phone.locator("a[href='/persetujuan/']").click()
    phone.wait_for_load_state()
    card = phone.locator(f"#persetujuan-{own_item.pk}")
    expect(card).to_contain_text("Prioritas")
    card.get_by_label("Setuju").check()
    card.locator("button[type=submit]").click()
    phone.wait_for_load_state()

    card = phone.locator(f"#persetujuan-{joint_item.pk}")
    expect(card).to_contain_text("Cadangan")
    expect(card).to_contain_text("Menunggu DED selesai.")
    # Keberatan without a note: refused, the choice kept.
    card.get_by_label("Keberatan").check()
    card.locator("button[type=submit]").click()
    phone.wait_for_load_state()
    expect(phone.locator("main")).to_contain_text("Tuliskan alasan keberatan.")
    form = phone.locator("form.assent-answer-form")
    form.locator("textarea").fill(NOTE)
    form.locator("button[type=submit]").click()
    phone.wait_for_load_state()
    expect(phone.locator(f"#persetujuan-{joint_item.pk}")).to_contain_text(NOTE)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    joint_item.refresh_from_db()
    assert (joint_item.answer, joint_item.note) == (AssentItem.Answer.OBJECT, NOTE)

    log_in(page, kabid_bina_marga.username, PASSWORD)
    page.goto(f"/desk/{desk_bina_marga.pk}/papan/")
    block = page.locator("#persetujuan")
    expect(block).to_contain_text(NOTE)
    expect(block).to_contain_text(delegate_pangkalpinang.get_full_name())
    expect(block).to_contain_text("Setuju 1 · Keberatan 1 · belum menjawab 1.")
