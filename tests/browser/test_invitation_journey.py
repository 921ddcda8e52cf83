"""Journey 1, accounts part (DESIGN.md), on a phone: the secretariat invites a delegate,
who opens the link, chooses a password and arrives home."""

import pytest
from playwright.sync_api import expect

from rakortek.accounts.models import User
from tests.browser.conftest import HAVE_CHROMIUM, PHONE, log_in
from tests.factories import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not HAVE_CHROMIUM, reason="Chromium not found: browser journey skipped"),
]


def test_secretariat_invites_a_delegate_who_sets_a_password_on_a_phone(
    phone_page, browser, live_server, secretariat
):
    page = phone_page
    log_in(page, secretariat.username, PASSWORD)
    page.goto("/akun/pengguna/")
    # Nothing sticks out sideways on a 390 px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("main a[href='/akun/pengguna/tambah/']").click()

    page.locator("#id_full_name").fill("Siti Rahmawati, S.T.")
    page.locator("#id_username").fill("delegasi-belitung")
    page.locator("#id_email").fill("siti@example.go.id")
    page.locator("#id_role").select_option("delegasi")
    page.locator("#id_region").select_option(label="Kabupaten Belitung")
    page.locator("main form button[type=submit]").click()

    link = page.locator("#invitation-link").input_value().strip()
    assert "/akun/undangan/" in link
    path = link[link.index("/akun/undangan/") :]

    # The delegate, on their own phone.
    context = browser.new_context(base_url=live_server.url, locale="id-ID", **PHONE)
    try:
        invited = context.new_page()
        invited.goto(path)
        expect(invited.locator("main")).to_contain_text("Siti Rahmawati, S.T.")
        expect(invited.locator("main")).to_contain_text("delegasi-belitung")
        invited.locator("#id_new_password1").fill("sungai-rangkui-bersih-2022")
        invited.locator("#id_new_password2").fill("sungai-rangkui-bersih-2022")
        invited.locator("main form button[type=submit]").click()
        invited.wait_for_url(f"{live_server.url}/")
        expect(invited.locator("h1").first).to_be_visible()
    finally:
        context.close()

    user = User.objects.get(username="delegasi-belitung")
    assert user.check_password("sungai-rangkui-bersih-2022")
    assert user.invitations.get().used_at is not None
