"""On a phone, a delegate writes a strategic issue, saves a draft, submits it, and sees its
number and status."""

from playwright.sync_api import expect

from issues.models import Issue
from tests.browser.conftest import log_in
from tests.factories import PASSWORD


def test_delegate_writes_saves_and_submits_an_issue_on_a_phone(
    phone_page, delegate_pangkalpinang, desk_bina_marga, desk_sda
):
    page = phone_page
    meeting = desk_bina_marga.meeting
    log_in(page, delegate_pangkalpinang.username, PASSWORD)

    # Home: the open meeting leads to the region's issue list, then to a new issue.
    page.locator(f"a[href='/rapat/{meeting.slug}/isu/']").click()
    page.wait_for_load_state()
    page.locator(f"a[href='/rapat/{meeting.slug}/isu/tambah/']").first.click()
    page.wait_for_load_state()

    form = page.locator("form.issue-form")
    form.locator("select[name=desk]").select_option(str(desk_bina_marga.pk))
    form.locator("input[name=title]").fill("Perbaikan Jembatan Sungai Rangkui")
    form.locator("input[name=proposing_office]").fill("DPUPRPKP Kota Pangkalpinang")
    form.locator("textarea[name=problem]").fill(
        "Lantai jembatan retak dan sandaran rusak sehingga membahayakan pejalan kaki."
    )
    form.locator("textarea[name=proposed_handling]").fill("Rehabilitasi lantai dan sandaran.")
    form.locator("textarea[name=support_requested]").fill("Bantuan keuangan provinsi.")
    form.locator("input[name=district]").fill("Rangkui")
    form.locator("input[name=village]").fill("Masjid Jamik")
    # A point outside the province first: the form says so and keeps everything typed.
    form.locator("input[name=latitude]").fill("-6,2")
    form.locator("input[name=longitude]").fill("106,1131")
    form.locator("input[name=volume]").fill("20")
    form.locator("input[name=unit]").fill("m")
    form.locator("input[name=estimated_cost]").fill("Rp 1.250.000.000")
    form.locator("select[name=funding_source]").select_option("bankeu_provinsi")
    form.locator("button[name=action][value=draft]").click()
    page.wait_for_load_state()

    form = page.locator("form.issue-form")
    expect(form.locator("input[name=latitude]")).to_have_attribute("aria-invalid", "true")
    expect(form.locator("input[name=title]")).to_have_value("Perbaikan Jembatan Sungai Rangkui")
    expect(form.locator("input[name=estimated_cost]")).to_have_value("Rp 1.250.000.000")
    form.locator("input[name=latitude]").fill("-2,1291")
    form.locator("button[name=action][value=draft]").click()
    page.wait_for_load_state()

    # The draft: saved, no number yet.
    issue = Issue.objects.get()
    assert issue.status == Issue.Status.DRAFT and issue.number is None
    assert issue.estimated_cost == 1_250_000_000
    expect(page.locator("h1")).to_have_text("Perbaikan Jembatan Sungai Rangkui")
    expect(page.locator(".issue-status-draf").first).to_be_visible()

    # ATTACHMENTS: attaching a photo to the draft happens here (tests/browser/
    # test_attachment_journey.py covers the upload block on this page).

    page.locator(".issue-actions form[action$='/ajukan/'] button").click()
    page.wait_for_load_state()

    expect(page.locator("header .issue-code")).to_have_text("BM-01")
    expect(page.locator("header .issue-status-diajukan")).to_be_visible()
    issue.refresh_from_db()
    assert (issue.status, issue.number) == (Issue.Status.SUBMITTED, 1)

    # Back on the list, the issue carries its number and status in its field.
    page.goto(f"/rapat/{meeting.slug}/isu/")
    row = page.locator(f"#desk-{desk_bina_marga.pk} .issue-row")
    expect(row).to_contain_text("BM-01")
    expect(row.locator(".issue-status-diajukan")).to_be_visible()
    # Nothing on the page is wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
