"""The RAKORGUB package in a browser: the secretariat forwards the final agreement
points, corrects one, records who signed and the signed scan, and marks the
package signed; an observer reads it all and can change nothing; after signing,
a delegate on a phone finds their region's point with the report form."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import formats, timezone, translation
from PIL import Image
from playwright.sync_api import expect

from issues.models import Issue, PackagePoint, PackageSignatory, RakorgubPackage
from issues.rakorgub import services as rakorgub
from tests.browser.conftest import PHONE, log_in
from tests.factories import PASSWORD

SIG = PackageSignatory.Status


def generated_pdf() -> bytes:
    """A one-page PDF drawn by Pillow: a real file, unlike any other in the test."""
    buffer = io.BytesIO()
    Image.new("RGB", (300, 420), (240, 236, 220)).save(buffer, format="PDF", resolution=72)
    return buffer.getvalue()


def indonesian_date(value) -> str:
    with translation.override("id"):
        return formats.date_format(value, "j F Y")


def signed_with_services(package, secretariat) -> RakorgubPackage:
    """The package signed through the services: the Governor and every regent and
    mayor recorded, the scan uploaded, point 2 amended on the way."""
    rakorgub.point_amend(
        actor=secretariat,
        point=package.points.get(number=2),
        data={
            "text": "Rekonstruksi ruas Sungailiat - Belinyu tahap I.",
            "responsible": "Dinas PUPRPRKP Provinsi",
            "due": "Tahun Anggaran 2023",
        },
        reason="Disepakati bertahap pada RAKORGUB.",
    )
    for signatory in package.signatories.order_by("order"):
        if signatory.order == 1:
            rakorgub.signatory_record(
                actor=secretariat,
                signatory=signatory,
                status=SIG.SIGNED,
                signed_by_name="Abdul Fatah",
                signed_by_position="Wakil Gubernur",
                stood_in=True,
            )
        else:
            rakorgub.signatory_record(actor=secretariat, signatory=signatory, status=SIG.ABSENT)
    rakorgub.package_scan_upload(
        actor=secretariat,
        package=package,
        uploaded_file=SimpleUploadedFile("pindaian-rakorgub.pdf", generated_pdf()),
    )
    return rakorgub.package_sign(
        actor=secretariat,
        package=package,
        signed_on=timezone.localdate(package.rakorgub.starts_at),
    )


def test_secretariat_forwards_amends_records_signatures_and_signs_the_package(
    page, agreed_meeting, secretariat, tmp_path
):
    meeting = agreed_meeting
    package_url = reverse("issues:package", kwargs={"slug": meeting.slug})
    codes = {issue.title: issue.code for issue in Issue.objects.filter(desk__meeting=meeting)}

    # From the meeting page to the package, not forwarded yet: the points by field.
    log_in(page, secretariat.username, PASSWORD)
    page.goto(meeting.get_absolute_url())
    page.locator(f"main a[href='{package_url}']").click()
    page.wait_for_load_state()
    expect(page.locator("main h3")).to_have_text(["Bina Marga", "Sumber Daya Air"])
    expect(page.locator("main ol > li")).to_have_count(3)
    expect(page.locator("main ol").first).to_contain_text("Pelebaran Jalan Lingkar Timur")
    expect(page.locator("main ol").last).to_contain_text("Normalisasi Sungai Rangkui")

    form = page.locator("form.package-forward-form")
    form.locator("textarea[name=note]").fill("Mohon dibahas pada RAKORGUB 2022.")
    form.locator("input[name=confirm]").check()
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()

    # Forwarded: the frozen points carry their source issue codes.
    expect(page.locator(".package-status")).to_have_text("Diteruskan")
    expect(page.locator(".package-summary")).to_contain_text("Mohon dibahas pada RAKORGUB 2022.")
    package = RakorgubPackage.objects.get(meeting=meeting)
    points = {point.number: point for point in package.points.all()}
    assert sorted(points) == [1, 2, 3]
    expect(page.locator(".package-point")).to_have_count(3)
    for point in points.values():
        issue = point.source_issues.get()
        expect(page.locator(f"#butir-{point.pk}")).to_contain_text(point.text)
        expect(page.locator(f"#butir-{point.pk} a", has_text=issue.code)).to_have_attribute(
            "href", reverse("issues:detail", kwargs={"pk": issue.pk})
        )
    assert (
        codes["Rekonstruksi ruas Sungailiat - Belinyu"]
        in page.locator(f"#butir-{points[2].pk}").inner_text()
    )

    # Point 2 amended with a reason; the history shows it with before and after.
    point = points[2]
    page.locator(f"#butir-{point.pk} a[href$='/ubah/']").click()
    page.wait_for_load_state()
    form = page.locator("form.package-form")
    expect(form.locator("textarea[name=text]")).to_have_value(
        "Rekonstruksi ruas Sungailiat - Belinyu."
    )
    form.locator("textarea[name=text]").fill("Rekonstruksi ruas Sungailiat - Belinyu tahap I.")
    form.locator("textarea[name=reason]").fill("Disepakati bertahap pada RAKORGUB.")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator(f"#butir-{point.pk}")).to_contain_text(
        "Rekonstruksi ruas Sungailiat - Belinyu tahap I."
    )
    amendment = page.locator(".package-history > li").first
    expect(amendment).to_contain_text("Butir diubah")
    expect(amendment).to_contain_text("Alasan: Disepakati bertahap pada RAKORGUB.")
    change = amendment.locator("table.package-change")
    expect(change).to_be_visible()
    expect(change.locator("tbody tr")).to_have_count(1)
    expect(change.locator("tbody td")).to_have_text(
        [
            "Rekonstruksi ruas Sungailiat - Belinyu.",
            "Rekonstruksi ruas Sungailiat - Belinyu tahap I.",
        ]
    )

    # The Governor signed by a stand-in; each regent and mayor signed or did not.
    signatories = list(package.signatories.order_by("order"))
    assert signatories[0].office.startswith("Gubernur")
    assert len(signatories) > 3
    rows = page.locator(".package-signatories tbody tr")
    expect(rows).to_have_count(len(signatories))
    for index, signatory in enumerate(signatories):
        rows.nth(index).get_by_role("link").click()
        page.wait_for_load_state()
        expect(page.locator("main h1")).to_contain_text(signatory.office)
        form = page.locator("form.package-form")
        if index == 0:
            form.locator("input[name=official_name]").fill("Erzaldi Rosman")
            form.locator(f"input[name=status][value={SIG.SIGNED}]").check()
            form.locator("input[name=signed_by_name]").fill("Abdul Fatah")
            form.locator("input[name=stood_in]").check()
            form.locator("input[name=signed_by_position]").fill("Wakil Gubernur")
        elif index % 2:
            form.locator(f"input[name=status][value={SIG.SIGNED}]").check()
            form.locator("input[name=signed_by_name]").fill(f"Kepala Daerah {index}")
        else:
            form.locator(f"input[name=status][value={SIG.ABSENT}]").check()
        form.locator("button[type=submit]").click()
        page.wait_for_load_state()
        expect(page).to_have_url(f"{package_url}#penanda-tangan")
    governor = rows.first
    expect(governor.locator("td").nth(1)).to_have_text("Erzaldi Rosman")
    expect(governor.locator("td").nth(2)).to_have_text("Ditandatangani")
    expect(governor.locator("td").nth(3)).to_contain_text("Abdul Fatah")
    expect(governor.locator("td").nth(3)).to_contain_text("Wakil Gubernur")
    expect(rows.nth(1).locator("td").nth(2)).to_have_text("Ditandatangani")
    expect(rows.nth(2).locator("td").nth(2)).to_have_text("Tidak menandatangani")
    expect(rows.nth(2).locator("td").nth(3)).to_have_text("–")
    assert not package.signatories.filter(status=SIG.PENDING).exists()

    # The signed scan: a PDF picked in the file input.
    scan = generated_pdf()
    page.locator(
        f"main a[href='{reverse('issues:package_scan_upload', kwargs={'slug': meeting.slug})}']"
    ).click()
    page.wait_for_load_state()
    form = page.locator("form.package-form")
    form.locator("input[name=file]").set_input_files(
        {"name": "pindaian-rakorgub.pdf", "mimeType": "application/pdf", "buffer": scan}
    )
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    scan_link = page.locator(".package-summary a", has_text="pindaian-rakorgub.pdf")
    expect(scan_link).to_be_visible()

    # Signed on the RAKORGUB's date.
    held_on = timezone.localdate(package.rakorgub.starts_at)
    page.locator(
        f"main a[href='{reverse('issues:package_sign', kwargs={'slug': meeting.slug})}']"
    ).click()
    page.wait_for_load_state()
    form = page.locator("form.package-form")
    form.locator("input[name=signed_on]").fill(held_on.isoformat())
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator(".package-status")).to_have_text("Ditandatangani")
    expect(page.locator(".package-summary")).to_contain_text(indonesian_date(held_on))
    # Once signed, the signatories and the scan are no longer editable from the page.
    expect(page.locator(".package-signatories a")).to_have_count(0)
    expect(page.locator("main a[href$='/rakorgub/pindaian/']")).to_have_count(0)
    package.refresh_from_db()
    assert package.status == RakorgubPackage.Status.SIGNED
    assert package.signed_on == held_on

    # The scan downloads as the very bytes uploaded.
    with page.expect_download() as info:
        page.locator(".package-summary a", has_text="pindaian-rakorgub.pdf").click()
    download = info.value
    assert download.suggested_filename == "pindaian-rakorgub.pdf"
    saved = tmp_path / "unduhan.pdf"
    download.save_as(saved)
    assert saved.read_bytes() == scan


def test_observer_reads_the_package_and_can_change_nothing(
    page, package, secretariat, observer, live_server
):
    package = signed_with_services(package, secretariat)
    meeting = package.meeting
    point = package.points.get(number=2)

    log_in(page, observer.username, PASSWORD)
    page.goto(reverse("issues:package", kwargs={"slug": meeting.slug}))
    expect(page.locator(".package-status")).to_have_text("Ditandatangani")
    expect(page.locator(".package-point")).to_have_count(3)
    expect(page.locator(f"#butir-{point.pk}")).to_contain_text(
        "Rekonstruksi ruas Sungailiat - Belinyu tahap I."
    )
    expect(page.locator(f"#butir-{point.pk}")).to_contain_text(point.source_issues.get().code)
    rows = page.locator(".package-signatories tbody tr")
    expect(rows).to_have_count(package.signatories.count())
    expect(rows.first).to_contain_text("Abdul Fatah")
    expect(rows.first).to_contain_text("Wakil Gubernur")
    expect(rows.nth(1)).to_contain_text("Tidak menandatangani")
    history = page.locator(".package-history > li")
    # Forwarded, amended, one per signatory, scan, signed.
    expect(history).to_have_count(package.signatories.count() + 4)
    amendment = history.filter(has_text="Butir diubah")
    expect(amendment).to_contain_text("Alasan: Disepakati bertahap pada RAKORGUB.")
    expect(amendment.locator("table.package-change")).to_be_visible()

    # Nothing to change: no forms, no buttons, no links to a write page.
    main = page.locator("main")
    expect(main.locator("form")).to_have_count(0)
    expect(main.locator("button")).to_have_count(0)
    expect(main.locator("a.btn")).to_have_count(0)
    for suffix in ("/ubah/", "/batal/", "/pulihkan/", "/tandatangani/", "/buka-kembali/"):
        expect(main.locator(f"a[href$='{suffix}']")).to_have_count(0)
    expect(main.locator("a[href*='/penanda-tangan/']")).to_have_count(0)

    # A write page asked for directly (the session's cookies, outside the page, since
    # a 403 in the page counts as a console error) answers 403.
    amend_url = reverse("issues:package_point_amend", kwargs={"slug": meeting.slug, "pk": point.pk})
    sign_url = reverse("issues:package_sign", kwargs={"slug": meeting.slug})
    assert page.request.get(live_server.url + amend_url).status == 403
    assert page.request.get(live_server.url + sign_url).status == 403
    # So does a POST with a valid CSRF token: the refusal is the access rule's.
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.request.post(
        live_server.url + amend_url,
        form={"text": "Diubah pengamat.", "responsible": "-", "due": "-", "reason": "-"},
        headers={"X-CSRFToken": csrf, "Referer": live_server.url + amend_url},
    )
    assert response.status == 403
    point.refresh_from_db()
    assert point.text == "Rekonstruksi ruas Sungailiat - Belinyu tahap I."


def test_delegate_on_a_phone_finds_their_point_with_the_report_form(
    phone_page,
    browser,
    live_server,
    package,
    secretariat,
    delegate_pangkalpinang,
    delegate_bangka,
):
    package = signed_with_services(package, secretariat)
    point = package.points.get(number=1)
    assert list(point.regions.values_list("slug", flat=True)) == ["pangkalpinang"]

    log_in(phone_page, delegate_pangkalpinang.username, PASSWORD)
    phone_page.goto(reverse("issues:followup"))
    expect(phone_page.locator(".followup-point")).to_have_count(3)
    for number in (1, 2, 3):
        frozen = package.points.get(number=number)
        expect(phone_page.locator(f"#butir-{frozen.pk}")).to_be_visible()
    phone_page.locator(f"#butir-{point.pk} a").click()
    phone_page.wait_for_load_state()
    expect(phone_page).to_have_url(
        live_server.url + reverse("issues:followup_point", kwargs={"pk": point.pk})
    )
    expect(phone_page.locator("main")).to_contain_text(point.text)
    form = phone_page.locator("form.followup-form")
    form.scroll_into_view_if_needed()
    expect(form).to_be_visible()
    expect(form.locator("select[name=status]")).to_be_visible()
    expect(form.locator("button[type=submit]")).to_be_visible()
    # The form fits the phone's width.
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390

    # The Bangka delegate, in a second session, reads the point without the form.
    context = browser.new_context(base_url=live_server.url, locale="id-ID", **PHONE)
    errors = []
    try:
        other = context.new_page()
        other.on("pageerror", lambda exc: errors.append(str(exc)))
        other.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        log_in(other, delegate_bangka.username, PASSWORD)
        other.goto(reverse("issues:followup_point", kwargs={"pk": point.pk}))
        expect(other.locator("main")).to_contain_text(point.text)
        expect(other.locator("form.followup-form")).to_have_count(0)
        assert (
            not PackagePoint.objects.get(pk=point.pk)
            .regions.filter(pk=delegate_bangka.region_id)
            .exists()
        )
    finally:
        context.close()
    assert not errors, errors
