"""The meeting's year without a dead end: next year's meeting from last year's, its set-up
checklist and activation; a delegate submits on a phone from the home page; the desk
returns the issue, the region answers from its home page, the desk verifies, scores and
decides it on the board and locks the desk with what is still open set aside; check-in
from the QR code's link with a signature drawn on a phone; the RAKORGUB is recorded from
the package page, the points forwarded, the signatures, the signed scan and the signing
date recorded, and a delegate makes the first follow-up report on a phone. No address is
typed beyond the start page and the login (the QR code's link is read off the attendance
screen, as a phone would scan it)."""

import re
from datetime import datetime, time, timedelta

from django.utils import timezone
from playwright.sync_api import expect

from issues import services
from issues.models import (
    DeskState,
    Issue,
    IssueEvent,
    PackagePoint,
    PackageSignatory,
    RakorgubPackage,
)
from meetings.models import DEFAULT_CRITERIA, AgendaItem, Criterion, Meeting
from tests.browser.conftest import log_in
from tests.browser.test_board_journey import open_editors, score_in_panel
from tests.browser.test_checkin_journey import draw_with_finger
from tests.browser.test_rakorgub_journey import generated_pdf
from tests.factories import PASSWORD, DeskFactory, IssueFactory, MeetingFactory, field, region

SIG = PackageSignatory.Status


def _last_year(kabid_bina_marga, kabid_sda):
    starts = timezone.make_aware(
        datetime.combine(timezone.localdate() - timedelta(days=365), time(8, 0))
    )
    source = MeetingFactory(
        title=f"RAKORTEK PU {starts.year}",
        slug=f"rakortek-pu-{starts.year}",
        year=starts.year,
        starts_at=starts,
        ends_at=starts + timedelta(hours=8),
        submission_opens_at=starts - timedelta(days=20),
        submission_closes_at=starts - timedelta(days=2),
        status=Meeting.Status.FINISHED,
    )
    DeskFactory(meeting=source, field=field("bina-marga"), chair=kabid_bina_marga)
    DeskFactory(meeting=source, field=field("sumber-daya-air"), chair=kabid_sda)
    for order, (name, description, weight, labels) in enumerate(DEFAULT_CRITERIA, start=1):
        Criterion.objects.create(
            meeting=source,
            name=name,
            description=description,
            weight=weight,
            order=order,
            level_labels=labels,
        )
    AgendaItem.objects.create(
        meeting=source, starts_at=time(8, 30), activity="Pembukaan", person="Penjabat Gubernur"
    )
    return source


def _fill_datetime(page, name, value):
    local = timezone.localtime(value)
    page.locator(f"#id_{name}_0").fill(local.date().isoformat())
    page.locator(f"#id_{name}_1").fill(local.strftime("%H:%M"))


def test_next_year_from_set_up_to_a_locked_desk_and_check_in(
    page,
    phone_page,
    secretariat,
    kabid_bina_marga,
    kabid_sda,
    delegate_pangkalpinang,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path / "media"
    # The meeting is 20 days ahead; let self check-in open a month before it.
    settings.CHECKIN_OPENS_DAYS_BEFORE = 30
    source = _last_year(kabid_bina_marga, kabid_sda)
    now = timezone.localtime()
    starts = (now + timedelta(days=20)).replace(hour=8, minute=0, second=0, microsecond=0)

    # The secretariat: from the home page to last year's meeting, then next year's.
    log_in(page, secretariat.username, PASSWORD)
    page.locator("main a", has_text=source.title).first.click()
    page.get_by_role("link", name="Buat rapat tahun berikutnya").click()
    _fill_datetime(page, "starts_at", starts)
    _fill_datetime(page, "ends_at", starts + timedelta(hours=8))
    _fill_datetime(page, "submission_opens_at", now - timedelta(days=1))
    _fill_datetime(page, "submission_closes_at", now + timedelta(days=10))
    page.locator("#id_mode").select_option("luring")
    page.locator("main form button[type=submit]").click()

    year = starts.year
    expect(page).to_have_url(re.compile(rf"/rapat/rakortek-pu-{year}/$"))
    expect(page.locator("h1")).to_have_text(f"RAKORTEK PU {year}")
    setup = page.locator("#setup")
    expect(setup).to_contain_text("Desk dan pimpinannya")
    expect(page.locator("#agenda")).to_contain_text("Periksa")
    expect(page.locator("#agenda")).not_to_contain_text("Penjabat Gubernur")
    setup.get_by_role("button", name="Aktifkan").click()
    expect(page.locator(".alert-success")).to_contain_text("telah aktif")
    expect(page.locator("#setup")).to_have_count(0)
    meeting = Meeting.objects.get(slug=f"rakortek-pu-{year}")
    assert (meeting.year, meeting.status) == (year, Meeting.Status.ACTIVE)

    # A delegate on a phone: the home page says the window is open and leads to the form.
    log_in(phone_page, delegate_pangkalpinang.username, PASSWORD)
    expect(phone_page.locator("main")).to_contain_text(
        f"Pengajuan isu untuk RAKORTEK PU {year} dibuka sampai"
    )
    phone_page.locator("main .alert-success a", has_text="Tambah isu").click()
    form = phone_page.locator("form.issue-form")
    desk_bm = meeting.desks.get(field__slug="bina-marga")
    form.locator("select[name=desk]").select_option(str(desk_bm.pk))
    form.locator("input[name=title]").fill("Perbaikan Jembatan Sungai Rangkui")
    form.locator("input[name=proposing_office]").fill("DPUPRPKP Kota Pangkalpinang")
    form.locator("textarea[name=problem]").fill("Lantai jembatan retak dan sandaran rusak.")
    form.locator("textarea[name=proposed_handling]").fill("Rehabilitasi lantai dan sandaran.")
    form.locator("textarea[name=support_requested]").fill("Bantuan keuangan provinsi.")
    form.locator("input[name=district]").fill("Rangkui")
    form.locator("input[name=latitude]").fill("-2,1291")
    form.locator("input[name=longitude]").fill("106,1131")
    form.locator("input[name=estimated_cost]").fill("Rp 1.250.000.000")
    form.locator("select[name=funding_source]").select_option("bankeu_provinsi")
    form.locator("button[name=action][value=submit]").click()
    expect(phone_page.locator("header .issue-code")).to_have_text("BM-01")
    expect(phone_page.locator("main")).to_contain_text("-2,1291; 106,1131")
    issue = Issue.objects.get(meeting=meeting)
    # Bangka's issue came on paper; the secretariat entered and submitted it.
    paper = services.issue_submit(
        actor=secretariat,
        issue=IssueFactory(
            desk=desk_bm, region=region("bangka"), title="Pelebaran Jalan Sungailiat - Belinyu"
        ),
    )

    # The desk head (at another desk): the home page counts them to verify; the issue goes
    # back with a question.
    page.context.clear_cookies()
    log_in(page, kabid_bina_marga.username, PASSWORD)
    expect(page.locator("main")).to_contain_text("2 perlu diverifikasi")
    page.locator("main a", has_text="Daftar isu").first.click()
    page.locator("main a", has_text="Perbaikan Jembatan Sungai Rangkui").first.click()
    page.get_by_role("link", name="Kembalikan untuk Perbaikan").click()
    page.locator("textarea[name=question]").fill("Berapa panjang bentang jembatan?")
    page.locator("main form button[type=submit]").click()
    issue.refresh_from_db()
    assert issue.status == Issue.Status.NEEDS_REVISION

    # The region: its home page calls for the answer and links to the issue.
    phone_page.locator("a.navbar-brand").click()
    returned = phone_page.locator("main .alert-warning")
    expect(returned).to_contain_text("1 isu dikembalikan untuk diperbaiki")
    returned.locator("a", has_text="Perbaikan Jembatan Sungai Rangkui").click()
    phone_page.locator("textarea[name=resubmit-answer]").fill("Bentang 20 m.")
    phone_page.get_by_role("button", name="Ajukan Ulang").click()
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SUBMITTED

    # The desk verifies it, scores it and sets it as a priority on the board; Bangka's
    # issue, still unverified, is set aside with a reason when the desk locks.
    page.reload()
    page.get_by_role("button", name="Verifikasi").click()
    issue.refresh_from_db()
    assert issue.status == Issue.Status.VERIFIED
    page.locator("a.navbar-brand").click()
    page.locator("main a", has_text="Papan desk").first.click()
    score_in_panel(page, issue, list(meeting.criteria.all()), 4)
    expect(page.locator(f"#isu-{issue.pk} .board-score")).to_have_text("75,00")
    form = open_editors(page, issue).locator("form.board-decision-form")
    form.locator("input[name=decision][value=prioritas]").check()
    form.locator("button[type=submit]").click()
    expect(page.locator(f"#isu-{issue.pk} .issue-status-prioritas")).to_be_visible()
    page.locator("main a", has_text="Kunci").first.click()
    expect(page.locator("main")).to_contain_text(paper.title)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("1 isu masih terbuka")
    page.locator("textarea[name=set_aside_reason]").fill("Data belum lengkap; tahun depan.")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("dikunci")
    assert DeskState.objects.get(desk=desk_bm).is_locked
    issue.refresh_from_db()
    assert issue.status == Issue.Status.PRIORITY
    assert paper.events.filter(kind=IssueEvent.Kind.SET_ASIDE).exists()

    # Check-in: the secretariat shows the QR code from the meeting's attendance list; a
    # participant follows it on a phone (as scanning would), registers and signs with a
    # finger; the list shows the check-in with its time and the way to void it.
    page.context.clear_cookies()
    log_in(page, secretariat.username, PASSWORD)
    page.locator("main a", has_text=meeting.title).first.click()
    page.locator("main a", has_text="Daftar hadir").first.click()
    page.locator("main a[href$='/hadir/layar/']").click()
    link = page.locator("main p.text-break").inner_text().strip()
    phone_page.context.clear_cookies()
    phone_page.goto(link)
    phone_page.locator("a[href$='/daftar/']").click()
    phone_page.locator("#id_name").fill("Fajar Nugroho, S.T.")
    phone_page.locator("#id_position").fill("Kepala Seksi Irigasi")
    phone_page.locator("#id_office").fill("DPUPR Kabupaten Bangka Barat")
    phone_page.locator("input[name=mode][value=luring]").check()
    draw_with_finger(phone_page, phone_page.locator("canvas.signature-canvas"))
    phone_page.locator("main form button[type=submit]").click()
    expect(phone_page.locator("#checkin-done")).to_be_visible()
    page.go_back()
    page.reload()
    row = page.locator(".js-participant", has_text="Fajar Nugroho")
    expect(row.locator(".js-checkin-state")).to_contain_text("WIB")
    expect(row.locator(".js-checkin-state a")).to_have_text("Batalkan presensi")


def test_the_rakorgub_is_recorded_from_the_package_page_and_the_package_signed(
    page, phone_page, secretariat, delegate_pangkalpinang, agreed_meeting, media
):
    Meeting.objects.filter(kind=Meeting.Kind.RAKORGUB, follows=agreed_meeting).delete()
    log_in(page, secretariat.username, PASSWORD)
    page.locator("main a", has_text=agreed_meeting.title).first.click()
    page.locator("main a", has_text="Paket RAKORGUB").first.click()
    form = page.locator("#rakorgub form")
    ends = timezone.localtime(agreed_meeting.ends_at)
    # A day before the RAKORTEK ends is refused, in Indonesian, with the input kept.
    form.locator("#id_starts_at_0").fill((ends - timedelta(days=1)).date().isoformat())
    form.locator("#id_ends_at_0").fill((ends - timedelta(days=1)).date().isoformat())
    form.locator("#id_venue").fill("Ruang Pasir Padi, Kantor Gubernur")
    form.get_by_role("button", name="Catat RAKORGUB").click()
    form = page.locator("#rakorgub form")
    expect(form).to_contain_text("RAKORGUB diadakan setelah RAKORTEK yang diikutinya")
    expect(form.locator("#id_venue")).to_have_value("Ruang Pasir Padi, Kantor Gubernur")
    form.locator("#id_starts_at_0").fill((ends + timedelta(days=3)).date().isoformat())
    form.locator("#id_ends_at_0").fill((ends + timedelta(days=3)).date().isoformat())
    form.get_by_role("button", name="Catat RAKORGUB").click()
    expect(page.locator(".alert-success")).to_contain_text("telah dicatat")
    expect(page.locator("#rakorgub")).to_have_count(0)
    assert Meeting.objects.filter(kind=Meeting.Kind.RAKORGUB, follows=agreed_meeting).exists()

    # Nothing blocks forwarding now: the points go to the RAKORGUB just recorded.
    form = page.locator("form.package-forward-form")
    form.locator("input[name=confirm]").check()
    form.locator("button[type=submit]").click()
    expect(page.locator(".package-status")).to_have_text("Diteruskan")
    package = RakorgubPackage.objects.get(meeting=agreed_meeting)
    assert package.rakorgub.follows == agreed_meeting

    # Signatures: the Governor signed, the others are recorded as not signing.
    rows = page.locator(".package-signatories tbody tr")
    for index in range(package.signatories.count()):
        rows.nth(index).get_by_role("link").click()
        form = page.locator("form.package-form")
        status = SIG.SIGNED if index == 0 else SIG.ABSENT
        form.locator(f"input[name=status][value={status}]").check()
        if index == 0:
            form.locator("input[name=signed_by_name]").fill("Erzaldi Rosman")
        form.locator("button[type=submit]").click()
        expect(page.locator(".package-signatories")).to_be_visible()

    # The signed scan, then the signing date, whose rules the form states first.
    page.locator("main a[href$='/rakorgub/pindaian/']").click()
    form = page.locator("form.package-form")
    form.locator("input[name=file]").set_input_files(
        {"name": "pindaian-rakorgub.pdf", "mimeType": "application/pdf", "buffer": generated_pdf()}
    )
    form.locator("button[type=submit]").click()
    expect(page.locator(".package-summary a", has_text="pindaian-rakorgub.pdf")).to_be_visible()
    page.locator("main a[href$='/rakorgub/tandatangani/']").click()
    held_on = package.held_on
    expect(page.locator("main")).to_contain_text("Dari hari RAKORGUB")
    page.locator("input[name=signed_on]").fill(held_on.isoformat())
    page.locator("form.package-form button[type=submit]").click()
    expect(page.locator(".package-status")).to_have_text("Ditandatangani")

    # The first follow-up report: a delegate on a phone, from the home page's card.
    log_in(phone_page, delegate_pangkalpinang.username, PASSWORD)
    phone_page.locator(".followup-home-card").get_by_role("link").click()
    phone_page.locator("main [id^=butir-] a").first.click()
    form = phone_page.locator("form.followup-form")
    form.locator("select[name=status]").select_option(PackagePoint.Status.IN_PROGRESS)
    form.locator("input[name=progress]").fill("10")
    form.locator("textarea[name=note]").fill("Penyusunan DED dimulai.")
    form.locator("button[type=submit]").click()
    expect(phone_page.locator("#riwayat .followup-update")).to_contain_text(
        "Penyusunan DED dimulai."
    )
