from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.factories import PASSWORD


def test_secretariat_logs_in_on_a_phone_and_sees_home(phone_page, secretariat, desk_bina_marga):
    log_in(phone_page, secretariat.username, PASSWORD)
    expect(phone_page.locator("h1")).to_be_visible()
    expect(phone_page.get_by_text(desk_bina_marga.meeting.title)).to_be_visible()
