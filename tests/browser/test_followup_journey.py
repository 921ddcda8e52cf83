"""On a phone, a delegate reports progress on their agreement point with a photo;
the secretariat sees it in the follow-up overview."""

from django.utils import formats, timezone
from PIL import Image
from playwright.sync_api import expect

from issues.models import FollowUpEvidence, PackagePoint
from tests.browser.conftest import log_in
from tests.factories import PASSWORD


def test_delegate_reports_with_a_photo_and_the_secretariat_sees_it(
    phone_page, page, signed_package, delegate_pangkalpinang, secretariat, tmp_path
):
    point = signed_package.points.get(number=1)
    photo = tmp_path / "progres-jalan.jpg"
    Image.new("RGB", (1600, 1200), (110, 120, 90)).save(photo, format="JPEG")

    # The delegate, on a phone, from the home card to their point.
    log_in(phone_page, delegate_pangkalpinang.username, PASSWORD)
    card = phone_page.locator(".followup-home-card")
    expect(card).to_be_visible()
    card.get_by_role("link").click()
    phone_page.wait_for_load_state()
    phone_page.locator(f"#butir-{point.pk} a").click()
    phone_page.wait_for_load_state()

    form = phone_page.locator("form.followup-form")
    form.scroll_into_view_if_needed()
    expect(form.locator("input[name=evidence]")).to_have_attribute("capture", "environment")
    form.locator("select[name=status]").select_option(PackagePoint.Status.IN_PROGRESS)
    form.locator("input[name=progress]").fill("40")
    form.locator("textarea[name=note]").fill("Kontrak ditandatangani, mobilisasi alat berat.")
    form.locator("input[name=evidence]").set_input_files(str(photo))
    form.locator("button[type=submit]").click()
    phone_page.wait_for_load_state()

    history = phone_page.locator("#riwayat .followup-update")
    expect(history).to_have_count(1)
    expect(history).to_contain_text("Kontrak ditandatangani, mobilisasi alat berat.")
    expect(history.locator(".followup-update-progress")).to_have_text("40 %")
    thumbnail = history.locator("img.followup-thumbnail")
    expect(thumbnail).to_be_visible()
    # The small JPEG came through the access-checked view, not the original.
    # Wait for the image itself: on a loaded machine it can arrive after the page.
    thumbnail.scroll_into_view_if_needed()
    phone_page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle()
    )
    assert thumbnail.evaluate("img => img.naturalWidth") == 320
    assert FollowUpEvidence.objects.get().original_name == "progres-jalan.jpg"

    # The secretariat, on a laptop, opens the overview.
    log_in(page, secretariat.username, PASSWORD)
    page.locator(".navbar a[href='/tindak-lanjut/']").click()
    page.wait_for_load_state()
    row = page.locator(f"#butir-{point.pk}")
    expect(row.locator(".followup-status")).to_have_class(
        "badge text-bg-primary followup-status followup-status-dalam_proses"
    )
    expect(row.locator(".followup-progress-cell")).to_contain_text("40 %")
    today = formats.date_format(timezone.localdate(), "j M Y")
    expect(row.locator(".followup-reported")).to_contain_text(today)
