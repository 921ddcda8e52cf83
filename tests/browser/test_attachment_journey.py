"""On a phone, a delegate attaches a photo to a draft and sees its preview; and imports a sheet."""

import io

from openpyxl import load_workbook
from PIL import Image
from playwright.sync_api import expect

from issues.models import Issue
from issues.submission.spreadsheet import DATA_SHEET
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, IssueFactory


def test_delegate_attaches_a_photo_on_a_phone_and_sees_its_preview(
    phone_page, delegate_pangkalpinang, desk_bina_marga, tmp_path
):
    issue = IssueFactory(desk=desk_bina_marga, entered_by=delegate_pangkalpinang)
    photo = tmp_path / "jalan-rusak.jpg"
    Image.new("RGB", (2000, 1500), (150, 90, 40)).save(photo, format="JPEG")

    log_in(phone_page, delegate_pangkalpinang.username, PASSWORD)
    phone_page.goto(issue.get_absolute_url())
    block = phone_page.locator("#lampiran")
    block.scroll_into_view_if_needed()
    block.locator("input[name=files]").set_input_files(str(photo))
    block.locator("input[name=caption]").fill("Kondisi jalan km 12")
    block.locator("button[type=submit]").click()
    phone_page.wait_for_load_state()

    thumbnail = phone_page.locator("#lampiran img.attachment-thumbnail")
    expect(thumbnail).to_be_visible()
    expect(phone_page.locator("#lampiran")).to_contain_text("Kondisi jalan km 12")
    # The small JPEG really arrived, through the access-checked view.
    # Wait for the image itself: on a loaded machine it can arrive after the page.
    thumbnail.scroll_into_view_if_needed()
    phone_page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle()
    )
    assert thumbnail.evaluate("img => img.naturalWidth") == 320
    attachment = issue.attachments.get()
    assert attachment.original_name == "jalan-rusak.jpg"

    # The full photo opens in its own tab; deleting asks first.
    phone_page.locator("#lampiran a.link-danger").click()
    phone_page.locator("main form button.btn-danger").click()
    phone_page.wait_for_load_state()
    expect(phone_page.locator("#lampiran img.attachment-thumbnail")).to_have_count(0)
    assert not issue.attachments.exists()


def test_delegate_imports_issues_from_a_filled_template(
    page, delegate_pangkalpinang, desk_bina_marga, tmp_path
):
    meeting = desk_bina_marga.meeting
    log_in(page, delegate_pangkalpinang.username, PASSWORD)
    page.goto(f"/rapat/{meeting.slug}/isu/impor/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="xlsx").click()
    template = tmp_path / "templat.xlsx"
    download_info.value.save_as(template)

    workbook = load_workbook(template)
    sheet = workbook[DATA_SHEET]
    headers = {cell.value.replace("*", "").strip(): cell.column for cell in sheet[1]}
    for number, title in enumerate(("Jalan Lingkar Timur", "Jembatan Rangkui"), start=2):
        values = {
            "Bidang": "Bina Marga",
            "Judul Isu": title,
            "Instansi Pengusul": "DPUPRPKP Kota Pangkalpinang",
            "Permasalahan": "Rusak berat.",
            "Usulan Penanganan": "Rekonstruksi.",
            "Dukungan yang Diharapkan dari Provinsi": "APBD Provinsi.",
            "Kecamatan": "Gerunggang",
            "Perkiraan Biaya (Rp)": "Rp2.500.000.000",
            "Sumber Dana": "APBD Provinsi",
        }
        for header, value in values.items():
            sheet.cell(row=number, column=headers[header], value=value)
    out = io.BytesIO()
    workbook.save(out)
    filled = tmp_path / "isu-pangkalpinang.xlsx"
    filled.write_bytes(out.getvalue())

    page.locator("input[name=file]").set_input_files(str(filled))
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("table.import-preview tbody tr")).to_have_count(2)
    assert not Issue.objects.exists()

    page.locator("form[action$='/impor/simpan/'] button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Jembatan Rangkui")).to_be_visible()
    assert sorted(Issue.objects.values_list("title", flat=True)) == [
        "Jalan Lingkar Timur",
        "Jembatan Rangkui",
    ]
