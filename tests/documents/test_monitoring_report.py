"""Laporan Monitoring Tindak Lanjut: PDF and XLSX read back, availability and who reads it.

The follow-up is reported through issues.followup.services as the app does it; the
documents are rendered for real (WeasyPrint, openpyxl) and read back.
"""

import io
from datetime import datetime, timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image

from issues.followup import services as followup
from issues.models import PackagePoint
from issues.rakorgub import services as rakorgub
from rakortek.core.formatting import tanggal
from rakortek.documents.catalog import SPECS
from rakortek.documents.models import FinalDocument
from rakortek.documents.rendering import RenderOptions
from rakortek.documents.services import DocumentError, document_finalise
from tests.conftest import minimal_pdf
from tests.documents.conftest import flat, pdf_text, response_bytes

pytestmark = pytest.mark.django_db

S = PackagePoint.Status
HOSTILE_NOTE = '=HYPERLINK("http://evil.example/","Klik") lelang diulang'


def photo(name="bukti.jpg"):
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 160, 90)).save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def sign(package, user):
    """Signed as the conftest fixture does it (the signing services are tested in issues)."""
    package.signed_on = package.rakorgub.starts_at.date()
    package.signed_scan.save("pindaian.pdf", ContentFile(minimal_pdf()), save=False)
    package.signed_scan_name = "pindaian.pdf"
    package.status = package.Status.SIGNED
    package.signed_recorded_by = user
    package.signed_recorded_at = timezone.now()
    package.save()
    return package


@pytest.fixture
def reported(signed_package, secretariat, kabid_bina_marga, delegate_bangka):
    """Point 1 (Bina Marga, Pangkalpinang) done with a photo; point 2 (Bina Marga, Bangka)
    in progress at 40 % with a target in three months; point 3 (SDA) not reported and
    past its target (Triwulan III 2023): overdue."""
    today = timezone.localdate()
    points = {p.number: p for p in signed_package.points.all()}
    followup.followup_record(
        actor=kabid_bina_marga,
        point=points[1],
        status=S.DONE,
        progress=100,
        reported_on=today,
        note="Pekerjaan pelebaran selesai dan telah diserahterimakan (PHO).",
        files=[photo()],
    )
    followup.followup_set_target(
        actor=secretariat,
        point=points[2],
        target_date=today + timedelta(days=90),
        reason="Anggaran baru tersedia pada APBD Perubahan.",
    )
    followup.followup_record(
        actor=delegate_bangka,
        point=points[2],
        status=S.IN_PROGRESS,
        progress=40,
        reported_on=today,
        note=HOSTILE_NOTE,
    )
    return signed_package


def render(meeting, key="tindak-lanjut"):
    return SPECS[key].render(meeting, None, RenderOptions.create())


# ---- PDF ----


def test_pdf_lists_points_with_status_progress_and_last_report(agreed_meeting, reported):
    output = render(agreed_meeting)
    assert output.content.startswith(b"%PDF")
    assert output.refused_urls == []
    text = flat(pdf_text(output.content))
    assert "LAPORAN MONITORING TINDAK LANJUT" in text
    assert f"Keadaan per {tanggal(timezone.localdate())}" in text
    assert "RAKORGUB 2022" in text
    for phrase in [
        "Pelebaran Jalan Lingkar Timur Kota Pangkalpinang.",
        "Rekonstruksi ruas Sungailiat - Belinyu.",
        "Normalisasi Sungai Rangkui",
        "Bidang Bina Marga",
        "Bidang Sumber Daya Air",
        "BWS Bangka Belitung",
        "100%",
        "40%",
        "Selesai",
        "Dalam Proses",
        "Belum Dimulai",
        "diserahterimakan (PHO)",
        "Belum ada laporan.",
        tanggal(timezone.localdate() + timedelta(days=90)),
        "30 September 2023",
        "Halaman 1 dari",
        "DRAF",
    ]:
        assert phrase in text, phrase


def test_pdf_numbers_the_points_as_signed_and_has_a_signer(agreed_meeting, reported):
    text = flat(pdf_text(render(agreed_meeting).content))
    assert "KESATU Pelebaran Jalan Lingkar Timur" in text
    assert "KETIGA Normalisasi Sungai Rangkui" in text
    # Without signers set for the report: a block for the head of the office to sign.
    assert "Kepala Dinas PUPRPRKP Provinsi Kepulauan Bangka Belitung" in text
    assert f"Pangkalpinang, {tanggal(timezone.localdate())}" in text


def test_signers_set_for_the_report_sign_it(agreed_meeting, reported):
    from meetings.models import Signer

    Signer.objects.create(
        meeting=agreed_meeting,
        document=Signer.Document.MONITORING,
        name="Ir. Hendra Kurniawan, M.T.",
        position="Kepala Dinas PUPRPRKP",
        nip="196912101996031004",
    )
    text = flat(pdf_text(render(agreed_meeting).content))
    assert "Ir. Hendra Kurniawan, M.T. NIP. 19691210 199603 1 004" in text


def test_a_dropped_point_leaves_no_gap_in_the_ordinals(agreed_meeting, package, secretariat, media):
    rakorgub.point_drop(
        actor=secretariat, point=package.points.get(number=1), reason="Tidak disepakati Bupati."
    )
    sign(package, secretariat)
    text = flat(pdf_text(render(agreed_meeting).content))
    assert "KESATU Rekonstruksi ruas Sungailiat - Belinyu." in text
    assert "KEDUA Normalisasi Sungai Rangkui" in text and "KETIGA" not in text


def test_pdf_counts_by_field_and_region_with_overdue(agreed_meeting, reported):
    text = flat(pdf_text(render(agreed_meeting).content))
    # Jumlah, Belum Dimulai, Dalam Proses, Terkendala, Selesai, Terlambat, % Selesai
    assert "Bina Marga 2 0 1 0 1 0 50%" in text
    assert "Sumber Daya Air 1 1 0 0 0 1 0%" in text
    assert "Kota Pangkalpinang 2 1 0 0 1 1 50%" in text
    assert "Kabupaten Bangka 2 1 1 0 0 1 0%" in text
    assert "Jumlah seluruh butir 3 1 1 0 1 1 33%" in text


def test_overdue_point_says_terlambat_in_words(agreed_meeting, reported, secretariat):
    with_overdue = flat(pdf_text(render(agreed_meeting).content))
    point = reported.points.get(number=3)
    followup.followup_set_target(
        actor=secretariat,
        point=point,
        target_date=timezone.localdate() + timedelta(days=30),
        reason="Jadwal lelang BWS bergeser.",
    )
    without = flat(pdf_text(render(agreed_meeting).content))
    # The SDA row's "Terlambat" is gone; the column headings and the note stay.
    assert with_overdue.count("Terlambat") == without.count("Terlambat") + 1
    assert "Jumlah seluruh butir 3 1 1 0 1 0 33%" in without


def test_dropped_point_is_not_listed(agreed_meeting, package, secretariat, media):
    dropped = package.points.get(number=2)
    rakorgub.point_drop(actor=secretariat, point=dropped, reason="Tidak disepakati Bupati.")
    sign(package, secretariat)
    text = flat(pdf_text(render(agreed_meeting).content))
    assert "Rekonstruksi ruas Sungailiat - Belinyu." not in text
    assert "Pelebaran Jalan Lingkar Timur Kota Pangkalpinang." in text
    assert "Jumlah seluruh butir 2 " in text
    rows = load_workbook(io.BytesIO(render(agreed_meeting, "tindak-lanjut-xlsx").content))
    # Numbered as the naskah kesepakatan signed them: the points kept, without a gap.
    ordinals = [row[0] for row in rows["Butir"].iter_rows(min_row=6, values_only=True)]
    assert ordinals == ["KESATU", "KEDUA"]
    assert rows["Butir"]["C7"].value.startswith("Normalisasi Sungai Rangkui")


# ---- XLSX ----


def test_xlsx_has_a_row_per_point_with_real_dates_and_numbers(agreed_meeting, reported):
    output = render(agreed_meeting, "tindak-lanjut-xlsx")
    assert output.content_type.endswith("spreadsheetml.sheet")
    workbook = load_workbook(io.BytesIO(output.content))
    assert workbook.sheetnames == ["Butir", "Rekap"]
    sheet = workbook["Butir"]
    headers = [cell.value for cell in sheet[5]]
    assert headers[:3] == ["No", "Bidang", "Butir Kesepakatan"]
    assert "Progres (%)" in headers and "Target" in headers and "Terlambat" in headers
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=6) if row[0].value}
    assert list(rows) == ["KESATU", "KEDUA", "KETIGA"]  # as signed, as the PDF numbers them
    column = {header: index for index, header in enumerate(headers)}

    done, progress, late = rows["KESATU"], rows["KEDUA"], rows["KETIGA"]
    assert done[column["Status"]].value == "Selesai"
    assert done[column["Progres (%)"]].value == 100
    assert isinstance(done[column["Tanggal Laporan Terakhir"]].value, datetime)
    assert done[column["Tanggal Laporan Terakhir"]].value.date() == timezone.localdate()
    assert "diserahterimakan" in done[column["Laporan Terakhir"]].value
    assert done[column["Kab/Kota"]].value == "Kota Pangkalpinang"

    assert progress[column["Progres (%)"]].value == 40
    assert isinstance(progress[column["Progres (%)"]].value, int)
    assert progress[column["Terlambat"]].value in ("", None)
    # The note that looks like a formula is kept as the words it was typed as.
    note = progress[column["Laporan Terakhir"]]
    assert note.value == HOSTILE_NOTE
    assert note.data_type == "s"
    assert note.quotePrefix

    target = late[column["Target"]].value
    assert isinstance(target, datetime) and target.date().isoformat() == "2023-09-30"
    assert late[column["Terlambat"]].value == "Terlambat"
    assert late[column["Status"]].value == "Belum Dimulai"
    assert late[column["Tanggal Laporan Terakhir"]].value is None
    assert late[column["Kab/Kota"]].value == "Kabupaten Bangka, Kota Pangkalpinang"


def test_xlsx_counts_sheet(agreed_meeting, reported):
    workbook = load_workbook(io.BytesIO(render(agreed_meeting, "tindak-lanjut-xlsx").content))
    sheet = workbook["Rekap"]
    assert [cell.value for cell in sheet[5]] == [
        "Kelompok",
        "Bidang/Kabupaten/Kota",
        "Jumlah Butir",
        "Belum Dimulai",
        "Dalam Proses",
        "Terkendala",
        "Selesai",
        "Terlambat",
        "% Selesai",
    ]
    rows = [row for row in sheet.iter_rows(min_row=6, values_only=True) if row[0]]
    assert rows == [
        ("Bidang", "Bina Marga", 2, 0, 1, 0, 1, 0, 50),
        ("Bidang", "Sumber Daya Air", 1, 1, 0, 0, 0, 1, 0),
        ("Kabupaten/Kota", "Kabupaten Bangka", 2, 1, 1, 0, 0, 1, 0),
        ("Kabupaten/Kota", "Kota Pangkalpinang", 2, 1, 0, 0, 1, 1, 50),
        ("Jumlah", "Jumlah", 3, 1, 1, 0, 1, 1, 33),
    ]


def test_control_characters_in_a_note_do_not_break_the_workbook(
    agreed_meeting, reported, delegate_bangka
):
    point = reported.points.get(number=2)
    followup.followup_record(
        actor=delegate_bangka,
        point=point,
        status=S.BLOCKED,
        progress=40,
        reported_on=timezone.localdate(),
        note="Pembebasan lahan\x07 tertunda\x1b.",
    )
    sheet = load_workbook(io.BytesIO(render(agreed_meeting, "tindak-lanjut-xlsx").content))["Butir"]
    notes = [row[11] for row in sheet.iter_rows(min_row=6, values_only=True)]
    assert "Pembebasan lahan tertunda." in notes


# ---- Availability and finalising ----


def test_not_available_before_signing(agreed_meeting, package, secretariat, as_secretariat):
    for key in ("tindak-lanjut", "tindak-lanjut-xlsx"):
        assert not SPECS[key].is_available(agreed_meeting)
        with pytest.raises(DocumentError):
            document_finalise(actor=secretariat, meeting=agreed_meeting, spec=SPECS[key])
    page = as_secretariat.get(reverse("documents:meeting", kwargs={"slug": agreed_meeting.slug}))
    assert "Laporan Monitoring Tindak Lanjut" in page.text
    assert "ditandatangani pada RAKORGUB" in page.text
    response = as_secretariat.get(draft_url(agreed_meeting, "tindak-lanjut"))
    assert response.status_code == 302


def test_finalising_stores_a_numbered_version(agreed_meeting, reported, secretariat):
    document = document_finalise(
        actor=secretariat, meeting=agreed_meeting, spec=SPECS["tindak-lanjut"]
    )
    assert document.kind == FinalDocument.Kind.MONITORING
    assert document.version == 1
    assert document.title == f"Laporan Monitoring Tindak Lanjut - {agreed_meeting.title}"
    text = flat(pdf_text(document.file.read()))
    assert document.number in text and "DRAF" not in text
    sheet = document_finalise(
        actor=secretariat, meeting=agreed_meeting, spec=SPECS["tindak-lanjut-xlsx"]
    )
    assert sheet.kind == FinalDocument.Kind.MONITORING_XLSX
    workbook = load_workbook(io.BytesIO(sheet.file.read()))
    assert sheet.number in workbook["Butir"]["A3"].value


# ---- Who reads it ----


def draft_url(meeting, key):
    return reverse("documents:draft", kwargs={"slug": meeting.slug, "key": key})


@pytest.mark.parametrize("key", ["tindak-lanjut", "tindak-lanjut-xlsx"])
def test_draft_download_per_role(
    key,
    agreed_meeting,
    reported,
    client,
    as_secretariat,
    as_observer,
    as_kabid_bina_marga,
    as_delegate_pangkalpinang,
):
    url = draft_url(agreed_meeting, key)
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("login"))
    for reader in (as_secretariat, as_observer):
        response = reader.get(url)
        assert response.status_code == 200
        assert f"{agreed_meeting.slug}-tindak-lanjut-draf." in response["Content-Disposition"]
    assert as_observer.get(url).content[:4] in (b"%PDF", b"PK\x03\x04")
    # Delegates and desk heads read the final report only.
    assert as_delegate_pangkalpinang.get(url).status_code == 403
    assert as_kabid_bina_marga.get(url).status_code == 403


def test_final_download_per_role(
    agreed_meeting,
    reported,
    secretariat,
    client,
    as_secretariat,
    as_observer,
    as_kabid_bina_marga,
    as_delegate_pangkalpinang,
):
    document = document_finalise(
        actor=secretariat, meeting=agreed_meeting, spec=SPECS["tindak-lanjut"]
    )
    url = reverse("documents:download", kwargs={"pk": document.pk})
    assert client.get(url).status_code == 302
    for reader in (as_secretariat, as_observer, as_delegate_pangkalpinang, as_kabid_bina_marga):
        response = reader.get(url)
        assert response.status_code == 200
        assert response_bytes(response).startswith(b"%PDF")
    finalise = reverse(
        "documents:finalise", kwargs={"slug": agreed_meeting.slug, "key": "tindak-lanjut-xlsx"}
    )
    assert as_observer.post(finalise).status_code == 403


def test_documents_page_lists_the_report_per_role(
    agreed_meeting, reported, as_secretariat, as_observer, as_delegate_bangka
):
    url = reverse("documents:meeting", kwargs={"slug": agreed_meeting.slug})
    keys = {row.spec.key for row in as_secretariat.get(url).context["rows"]}
    assert {"tindak-lanjut", "tindak-lanjut-xlsx"} <= keys
    observer = as_observer.get(url)
    observer_rows = {row.spec.key: row for row in observer.context["rows"]}
    assert set(observer_rows) == {"butir-kesepakatan", "tindak-lanjut", "tindak-lanjut-xlsx"}
    assert observer_rows["tindak-lanjut"].may_draft
    assert not observer_rows["tindak-lanjut"].can_finalise
    assert draft_url(agreed_meeting, "tindak-lanjut") in observer.text
    # Delegates see it once it is final.
    keys = [row.spec.key for row in as_delegate_bangka.get(url).context["rows"]]
    assert keys == ["butir-kesepakatan"]


def test_observer_does_not_see_the_report_before_signing(agreed_meeting, package, as_observer):
    url = reverse("documents:meeting", kwargs={"slug": agreed_meeting.slug})
    keys = [row.spec.key for row in as_observer.get(url).context["rows"]]
    assert keys == ["butir-kesepakatan"]  # final; the monitoring report is not there yet
    assert as_observer.get(draft_url(agreed_meeting, "tindak-lanjut")).status_code == 302
