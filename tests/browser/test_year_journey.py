"""The meeting's year in one journey, on a fresh database, without a dead end.

The secretariat creates next year's meeting from last year's and activates it from its
set-up checklist; a delegate submits an issue on a phone from the home page; the desk
returns it and the region answers from its home page; the desk verifies it, merges it
with a neighbour's issue about the same bridge, scores and decides the joint issue, locks
the desk with what is still open set aside and drafts the agreement points. On the
meeting's day the delegate checks in from the home page with a drawn signature and the
secretariat sees it; the minutes are written and finalised, then the final documents,
one of them read back; the RAKORGUB is recorded from the package page, the points
forwarded, the signatures and the signed scan recorded and the package signed; the
delegate makes the first follow-up report on a phone.

Only the login page is typed: every other page is reached by clicking links and buttons.
The days between the steps pass by moving the meetings' dates in the database, which is
the one thing the test does behind the browser's back (with the paper issues the
secretariat enters). axe-core checks every page visited, at both widths (conftest)."""

import io
import re
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from issues import services
from issues.models import (
    DeskState,
    Issue,
    IssueEvent,
    PackagePoint,
    PackageSignatory,
    RakorgubPackage,
)
from meetings.models import DEFAULT_CRITERIA, AgendaItem, Criterion, Meeting, Participant
from rakortek.documents.models import FinalDocument
from tests.browser.conftest import log_in
from tests.browser.test_board_journey import open_editors, score_in_panel
from tests.browser.test_checkin_journey import draw_with_mouse
from tests.browser.test_rakorgub_journey import generated_pdf
from tests.factories import PASSWORD, DeskFactory, IssueFactory, MeetingFactory, region
from tests.factories import field as field_of

SIG = PackageSignatory.Status
BRIDGE = "Perbaikan Jembatan Sungai Rangkui"


@dataclass
class Year:
    """What the steps share: the two browsers, the people and what the journey made."""

    page: Any  # the desktop: the secretariat, then the desk head, then the secretariat
    phone: Any  # the delegate of Pangkalpinang
    secretariat: Any
    desk_head: Any
    delegate: Any
    source: Meeting
    meeting: Meeting | None = None
    desk: Any = None
    issues: dict = field(default_factory=dict)


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
    DeskFactory(meeting=source, field=field_of("bina-marga"), chair=kabid_bina_marga)
    DeskFactory(meeting=source, field=field_of("sumber-daya-air"), chair=kabid_sda)
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


def _switch_to(page, user):
    page.context.clear_cookies()
    log_in(page, user.username, PASSWORD)


def _shift_meetings(days):
    """The calendar moves: every meeting happens `days` days earlier than recorded."""
    for meeting in Meeting.objects.all():
        delta = timedelta(days=days)
        Meeting.objects.filter(pk=meeting.pk).update(
            starts_at=meeting.starts_at - delta,
            ends_at=meeting.ends_at - delta if meeting.ends_at else None,
            submission_opens_at=(
                meeting.submission_opens_at - delta if meeting.submission_opens_at else None
            ),
            submission_closes_at=(
                meeting.submission_closes_at - delta if meeting.submission_closes_at else None
            ),
        )


# The steps, in the order the year runs.


def set_up_next_year(y: Year):
    """From the home page to last year's meeting, next year's from it, and activation."""
    now = timezone.localtime()
    starts = (now + timedelta(days=20)).replace(hour=8, minute=0, second=0, microsecond=0)
    page = y.page
    log_in(page, y.secretariat.username, PASSWORD)
    page.locator("main").get_by_role("link", name=y.source.title).first.click()
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
    y.meeting = Meeting.objects.get(slug=f"rakortek-pu-{year}")
    assert (y.meeting.year, y.meeting.status) == (year, Meeting.Status.ACTIVE)
    y.desk = y.meeting.desks.get(field__slug="bina-marga")


def delegate_submits_on_a_phone(y: Year):
    """The home page says the window is open and leads to the form."""
    phone = y.phone
    log_in(phone, y.delegate.username, PASSWORD)
    expect(phone.locator("main")).to_contain_text(
        f"Pengajuan isu untuk {y.meeting.title} dibuka sampai"
    )
    phone.locator("main .alert-success").get_by_role("link", name="Tambah isu").click()
    form = phone.locator("form.issue-form")
    form.locator("select[name=desk]").select_option(str(y.desk.pk))
    form.locator("input[name=title]").fill(BRIDGE)
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
    expect(phone.locator("header .issue-code")).to_have_text("BM-01")
    expect(phone.locator("main")).to_contain_text("-2,1291; 106,1131")
    y.issues["bridge"] = Issue.objects.get(meeting=y.meeting)

    # Bangka's two issues came on paper; the secretariat entered and submitted them: one
    # about the same bridge (it borders Pangkalpinang there), one left for next year.
    for key, title in (
        ("twin", "Rehabilitasi Jembatan Sungai Rangkui"),
        ("road", "Pelebaran Jalan Sungailiat - Belinyu"),
    ):
        y.issues[key] = services.issue_submit(
            actor=y.secretariat,
            issue=IssueFactory(
                desk=y.desk,
                region=region("bangka"),
                title=title,
                district="Rangkui" if key == "twin" else "Sungailiat",
            ),
        )


def desk_returns_and_the_region_answers(y: Year):
    """The desk head's home counts what to verify; the issue goes back with a question and
    the region's home calls for the answer."""
    page, phone, bridge = y.page, y.phone, y.issues["bridge"]
    _switch_to(page, y.desk_head)
    expect(page.locator("main")).to_contain_text("3 perlu diverifikasi")
    page.locator("main").get_by_role("link", name="Daftar isu").first.click()
    page.locator("main").get_by_role("link", name=BRIDGE).first.click()
    page.get_by_role("link", name="Kembalikan untuk Perbaikan").click()
    page.locator("textarea[name=question]").fill("Berapa panjang bentang jembatan?")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("button", name="Verifikasi")).to_have_count(0)
    bridge.refresh_from_db()
    assert bridge.status == Issue.Status.NEEDS_REVISION

    phone.locator("a.navbar-brand").click()
    returned = phone.locator("main .alert-warning")
    expect(returned).to_contain_text("1 isu dikembalikan untuk diperbaiki")
    returned.get_by_role("link", name=re.compile(BRIDGE)).click()
    phone.locator("textarea[name=resubmit-answer]").fill("Bentang 20 m.")
    phone.get_by_role("button", name="Ajukan Ulang").click()
    expect(phone.locator("main")).to_contain_text("Bentang 20 m.")
    bridge.refresh_from_db()
    assert bridge.status == Issue.Status.SUBMITTED


def desk_verifies_merges_scores_and_decides(y: Year):
    """The board's likely duplicates lead to the merge; the joint issue is scored and set
    as a priority on the board."""
    page, bridge, twin = y.page, y.issues["bridge"], y.issues["twin"]
    page.reload()
    page.get_by_role("button", name="Verifikasi").click()
    expect(page.get_by_role("button", name="Verifikasi")).to_have_count(0)
    bridge.refresh_from_db()
    assert bridge.status == Issue.Status.VERIFIED

    page.locator("a.navbar-brand").click()
    page.locator("main").get_by_role("link", name="Papan desk").first.click()
    page.get_by_role("link", name="Kemungkinan duplikat").click()
    pair = page.locator(".duplicate-pair", has_text=BRIDGE)
    expect(pair).to_contain_text(twin.title)
    pair.get_by_role("link", name="Gabungkan…").click()
    form = page.locator("form.merge-form")
    form.get_by_role("radio", name=re.compile(BRIDGE)).check()
    form.get_by_label("Alasan").fill("Jembatan yang sama di perbatasan kota dan kabupaten.")
    form.get_by_role("button", name="Gabungkan").click()
    expect(page.locator(".alert-success")).to_contain_text("digabung")
    joint = Issue.objects.get(merged_issues=bridge)
    assert set(joint.merged_issues.all()) == {bridge, twin}
    expect(page.locator("main")).to_contain_text("Kabupaten Bangka")
    y.issues["joint"] = joint

    page.locator("a.navbar-brand").click()
    page.locator("main").get_by_role("link", name="Papan desk").first.click()
    score_in_panel(page, joint, list(y.meeting.criteria.all()), 4)
    expect(page.locator(f"#isu-{joint.pk} .board-score")).to_have_text("75,00")
    form = open_editors(page, joint).locator("form.board-decision-form")
    form.locator("input[name=decision][value=prioritas]").check()
    form.locator("button[type=submit]").click()
    expect(page.locator(f"#isu-{joint.pk} .issue-status-prioritas")).to_be_visible()


def desk_locks_with_the_rest_set_aside(y: Year):
    """Bangka's road, never verified, is set aside with a reason when the desk locks; the
    agreement points are drafted from the priority issue."""
    page, road, joint = y.page, y.issues["road"], y.issues["joint"]
    page.locator("main").get_by_role("link", name="Kunci").first.click()
    expect(page.locator("main")).to_contain_text(road.title)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("1 isu masih terbuka")
    page.locator("textarea[name=set_aside_reason]").fill("Data belum lengkap; tahun depan.")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("dikunci")
    assert DeskState.objects.get(desk=y.desk).is_locked
    joint.refresh_from_db()
    assert joint.status == Issue.Status.PRIORITY
    assert road.events.filter(kind=IssueEvent.Kind.SET_ASIDE).exists()

    page.get_by_role("link", name="Butir kesepakatan").first.click()
    page.get_by_role("button", name=re.compile("Susun dari isu prioritas")).click()
    expect(page.locator(".points-list")).to_contain_text("Jembatan Sungai Rangkui")


def delegate_checks_in_on_the_day(y: Year):
    """The meeting's day: the delegate's home leads to check-in; they add themselves and
    sign with a drawn signature."""
    now = timezone.now()
    Meeting.objects.filter(pk=y.meeting.pk).update(
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=6),
        submission_opens_at=now - timedelta(days=20),
        submission_closes_at=now - timedelta(days=2),
    )
    phone = y.phone
    phone.locator("a.navbar-brand").click()
    phone.get_by_role("link", name="Tanda tangani daftar hadir").click()
    expect(phone.locator("h1")).to_have_text(y.meeting.title)
    phone.get_by_role("link", name="Tambahkan diri saya dan tanda tangan").click()
    phone.locator("#id_name").fill("Fajar Nugroho, S.T.")
    phone.locator("#id_position").fill("Kepala Bidang Bina Marga")
    phone.locator("#id_office").fill("DPUPRPKP Kota Pangkalpinang")
    phone.locator("input[name=mode][value=luring]").check()
    draw_with_mouse(phone, phone.locator("canvas.signature-canvas"))
    expect(phone.locator(".js-signature-value")).to_have_value(
        re.compile(r"^data:image/png;base64,")
    )
    phone.locator("main form button[type=submit]").click()
    expect(phone.locator("#checkin-done")).to_be_visible()
    fajar = Participant.objects.get(meeting=y.meeting, name="Fajar Nugroho, S.T.")
    assert fajar.is_checked_in and fajar.signature


def secretariat_sees_the_check_in(y: Year):
    page = y.page
    _switch_to(page, y.secretariat)
    page.locator("main").get_by_role("link", name=y.meeting.title).first.click()
    page.locator("main").get_by_role("link", name="Daftar hadir").first.click()
    # The screen for the room shows the QR code's link: the one the delegate's home gave.
    page.get_by_role("link", name="Tampilkan di layar").click()
    expect(page.locator("main")).to_contain_text(f"/hadir/{y.meeting.checkin_code}/")
    page.go_back()
    row = page.locator(".js-participant", has_text="Fajar Nugroho")
    expect(row.locator(".js-checkin-state")).to_contain_text("WIB")
    expect(row.locator(".js-checkin-state").get_by_role("link")).to_have_text("Batalkan presensi")


def minutes_are_written_and_finalised(y: Year):
    page = y.page
    page.locator("a.navbar-brand").click()
    page.locator("main").get_by_role("link", name=y.meeting.title).first.click()
    page.locator("main").get_by_role("link", name="Notulen").first.click()
    plenary = page.locator(".js-minutes-row", has_text="Notulen pleno")
    plenary.get_by_role("link", name="Tulis").click()
    page.locator("textarea[name=opening]").fill("Rapat dibuka pukul 09.00 WIB oleh Kepala Dinas.")
    page.locator("textarea[name=discussion]").fill("Paparan isu strategis kabupaten/kota.")
    page.locator("textarea[name=decisions]").fill("Disepakati daftar prioritas per bidang.")
    page.locator("textarea[name=closing]").fill("Rapat ditutup pukul 16.00 WIB.")
    page.get_by_role("button", name="Finalisasi dan kunci").click()
    expect(page.locator("textarea[name=opening]")).to_have_count(0)


def final_documents(y: Year):
    """The minutes, the desk's priority list and the agreement points are finalised; the
    final minutes are downloaded with the session and read back."""
    page = y.page
    page.get_by_role("link", name=y.meeting.title).first.click()
    page.locator("main").get_by_role("link", name="Dokumen").first.click()
    for anchor in (
        "#dokumen-notulen",
        "#dokumen-prioritas-bina-marga",
        "#dokumen-butir-kesepakatan",
    ):
        page.locator(anchor).get_by_role("button", name="Finalisasi").click()
        # WeasyPrint renders it in the request: slow on a busy machine.
        final = page.locator(anchor).get_by_role("link", name=re.compile("versi final"))
        expect(final).to_be_visible(timeout=60_000)
    link = page.locator("#dokumen-notulen").get_by_role("link", name=re.compile("versi final"))
    response = page.context.request.get(link.get_attribute("href"))
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.body()))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "NOTULEN" in text.upper()
    assert y.meeting.title.upper() in text.upper()
    assert "Rapat dibuka pukul 09.00 WIB oleh Kepala Dinas." in text
    minutes = FinalDocument.objects.get(meeting=y.meeting, kind=FinalDocument.Kind.MINUTES)
    assert minutes.number in text


def rakorgub_from_the_package_page(y: Year):
    """The package page records the RAKORGUB (its date after the RAKORTEK) and forwards."""
    page = y.page
    page.get_by_role("link", name=y.meeting.title).first.click()
    page.locator("main").get_by_role("link", name="Paket RAKORGUB").first.click()
    form = page.locator("#rakorgub form")
    ends = timezone.localtime(Meeting.objects.get(pk=y.meeting.pk).ends_at)
    before = (ends - timedelta(days=1)).date().isoformat()
    form.locator("#id_starts_at_0").fill(before)
    form.locator("#id_ends_at_0").fill(before)
    form.locator("#id_venue").fill("Ruang Pasir Padi, Kantor Gubernur")
    form.get_by_role("button", name="Catat RAKORGUB").click()
    form = page.locator("#rakorgub form")
    expect(form).to_contain_text("RAKORGUB diadakan setelah RAKORTEK yang diikutinya")
    expect(form.locator("#id_venue")).to_have_value("Ruang Pasir Padi, Kantor Gubernur")
    after = (ends + timedelta(days=3)).date().isoformat()
    form.locator("#id_starts_at_0").fill(after)
    form.locator("#id_ends_at_0").fill(after)
    form.get_by_role("button", name="Catat RAKORGUB").click()
    expect(page.locator(".alert-success")).to_contain_text("telah dicatat")
    expect(page.locator("#rakorgub")).to_have_count(0)

    form = page.locator("form.package-forward-form")
    form.locator("input[name=confirm]").check()
    form.locator("button[type=submit]").click()
    expect(page.locator(".package-status")).to_have_text("Diteruskan", timeout=60_000)
    package = RakorgubPackage.objects.get(meeting=y.meeting)
    assert package.rakorgub.follows_id == y.meeting.pk
    expect(page.locator(".package-point")).to_contain_text(["Jembatan Sungai Rangkui"])


def package_signed_with_its_scan(y: Year):
    """A week later the RAKORGUB has been held: signatures, the signed scan, the date."""
    _shift_meetings(7)
    page = y.page
    page.reload()
    rows = page.locator(".package-signatories tbody tr")
    package = RakorgubPackage.objects.get(meeting=y.meeting)
    for index in range(package.signatories.count()):
        rows.nth(index).get_by_role("link").click()
        form = page.locator("form.package-form")
        status = SIG.SIGNED if index == 0 else SIG.ABSENT
        form.locator(f"input[name=status][value={status}]").check()
        if index == 0:
            form.locator("input[name=signed_by_name]").fill("Erzaldi Rosman")
        form.locator("button[type=submit]").click()
        expect(page.locator(".package-signatories")).to_be_visible()

    page.get_by_role("link", name="Unggah pindaian naskah bertanda tangan").click()
    form = page.locator("form.package-form")
    form.locator("input[name=file]").set_input_files(
        {"name": "pindaian-rakorgub.pdf", "mimeType": "application/pdf", "buffer": generated_pdf()}
    )
    form.locator("button[type=submit]").click()
    expect(page.locator(".package-summary a", has_text="pindaian-rakorgub.pdf")).to_be_visible()
    page.get_by_role("link", name="Catat sebagai ditandatangani").click()
    held_on = timezone.localdate(RakorgubPackage.objects.get(pk=package.pk).rakorgub.starts_at)
    expect(page.locator("main")).to_contain_text("Dari hari RAKORGUB")
    page.locator("input[name=signed_on]").fill(held_on.isoformat())
    page.locator("form.package-form button[type=submit]").click()
    expect(page.locator(".package-status")).to_have_text("Ditandatangani")


def first_follow_up_report(y: Year):
    """The delegate on a phone, from the home page's card."""
    phone = y.phone
    phone.locator("a.navbar-brand").click()
    phone.locator(".followup-home-card").get_by_role("link").click()
    phone.locator("main [id^=butir-] a").first.click()
    form = phone.locator("form.followup-form")
    form.locator("select[name=status]").select_option(PackagePoint.Status.IN_PROGRESS)
    form.locator("input[name=progress]").fill("10")
    form.locator("textarea[name=note]").fill("Penyusunan DED dimulai.")
    form.locator("button[type=submit]").click()
    expect(phone.locator("#riwayat .followup-update")).to_contain_text("Penyusunan DED dimulai.")


def test_the_meetings_year_from_next_years_meeting_to_the_first_follow_up(
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
    y = Year(
        page=page,
        phone=phone_page,
        secretariat=secretariat,
        desk_head=kabid_bina_marga,
        delegate=delegate_pangkalpinang,
        source=_last_year(kabid_bina_marga, kabid_sda),
    )
    set_up_next_year(y)
    delegate_submits_on_a_phone(y)
    desk_returns_and_the_region_answers(y)
    desk_verifies_merges_scores_and_decides(y)
    desk_locks_with_the_rest_set_aside(y)
    delegate_checks_in_on_the_day(y)
    secretariat_sees_the_check_in(y)
    minutes_are_written_and_finalised(y)
    final_documents(y)
    rakorgub_from_the_package_page(y)
    package_signed_with_its_scan(y)
    first_follow_up_report(y)
