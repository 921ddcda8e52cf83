"""The Berita Acara / Draf Butir Kesepakatan: its text read back from the PDF, its
finalisation (source issues become Disepakati, the points lock), reopening, and the
Indonesian numbers in words it prints."""

import pytest
from django.urls import reverse

from issues.agreement.services import agreement_point_create, agreement_points_draft_from_priorities
from issues.models import AgreementOptions, AgreementPoint, Issue, IssueEvent
from meetings.models import Signer
from rakortek.core.formatting import nip as nip_text
from rakortek.core.formatting import tanggal_terbilang, terbilang, urutan
from rakortek.documents.agreement import party_signatures, signature_rows
from rakortek.documents.catalog import SPECS
from rakortek.documents.models import FinalDocument
from rakortek.documents.rendering import RenderOptions, Signature
from rakortek.documents.services import document_finalise, document_reopen
from tests.documents.conftest import decided_issue, flat, pdf_reader, pdf_text, response_bytes
from tests.factories import DeskFactory, field

SPEC = SPECS["butir-kesepakatan"]


@pytest.fixture
def sda(monday_meeting, kabid_sda):
    return DeskFactory(meeting=monday_meeting, field=field("sumber-daya-air"), chair=kabid_sda)


@pytest.fixture
def points(decided_desk, sda, secretariat):
    """Bina Marga drafted from its one Priority issue plus a point typed in; SDA one point."""
    agreement_points_draft_from_priorities(desk=decided_desk, user=secretariat)
    agreement_point_create(
        actor=secretariat,
        desk=decided_desk,
        data={
            "text": "Inventarisasi jalan provinsi yang rusak berat",
            "responsible": "Dinas PUPRPRKP Provinsi",
            "due": "Triwulan IV 2022",
        },
    )
    flood = decided_issue(
        sda, "pangkalpinang", title="Banjir DAS Rangkui", rank=1, decision=Issue.Decision.PRIORITY
    )
    agreement_point_create(
        actor=secretariat,
        desk=sda,
        data={
            "text": "Normalisasi Sungai Rangkui bersama BWS Bangka Belitung",
            "responsible": "BWS Bangka Belitung; DPUPRPKP Kota Pangkalpinang",
            "due": "Tahun Anggaran 2023",
        },
        source_issues=[flood],
    )
    return AgreementPoint.objects.order_by("desk__field__order", "order")


@pytest.fixture
def signers(monday_meeting):
    people = [
        ("Ir. Hendra Kurniawan, M.T.", "Kepala Dinas PUPRPRKP Provinsi", "196912101996031004"),
        ("Drs. Ahmad Fauzi", "Kepala DPUPR Kabupaten Bangka", "197203041998031002"),
        ("Ir. Siti Rahmah", "Kepala DPUPRPKP Kota Pangkalpinang", "197512122000032001"),
    ]
    for order, (name, position, nip) in enumerate(people, start=1):
        Signer.objects.create(
            meeting=monday_meeting,
            document=Signer.Document.AGREEMENT,
            order=order,
            name=name,
            position=position,
            nip=nip,
        )
    return people


def draft(client, meeting):
    return client.get(
        reverse("documents:draft", kwargs={"slug": meeting.slug, "key": "butir-kesepakatan"})
    )


# ---- The PDF ----


def test_the_draft_pdf_says_what_was_agreed(as_secretariat, monday_meeting, points, signers):
    response = draft(as_secretariat, monday_meeting)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="rakortek-2022-butir-kesepakatan-draf.pdf"' in response["Content-Disposition"]
    content = response_bytes(response)
    assert content.startswith(b"%PDF")
    text = flat(pdf_text(content))
    assert "BERITA ACARA" in text
    assert "DRAF BUTIR KESEPAKATAN RAKORTEK PU 2022" in text
    assert (
        "Pada hari ini Senin tanggal dua puluh lima bulan Juli tahun dua ribu dua puluh dua, "
        "bertempat di Ruang Auditorium Dinas PUPRPRKP" in text
    )
    assert "MENYEPAKATI:" in text
    # Grouped by field in the desks' order, numbered across the meeting.
    assert text.index("Bidang Bina Marga") < text.index("Bidang Sumber Daya Air")
    assert (
        "1. Pemerintah Provinsi Kepulauan Bangka Belitung dan Pemerintah Kabupaten Bangka "
        "sepakat melaksanakan"
    ) in text
    assert "2. Inventarisasi jalan provinsi yang rusak berat" in text
    assert "3. Normalisasi Sungai Rangkui bersama BWS Bangka Belitung" in text
    assert "Triwulan IV 2022" in text and "Tahun Anggaran 2023" in text
    assert "BWS Bangka Belitung; DPUPRPKP Kota Pangkalpinang" in text
    for name, position, nip in signers:
        assert name in text
        assert position in text
        assert f"NIP. {nip_text(nip)}" in text
    pages = len(pdf_reader(content).pages)
    assert f"Halaman 1 dari {pages}" in text
    assert "DRAF" in text


def test_ordinal_numbering_prints_kesatu_kedua(as_secretariat, secretariat, monday_meeting, points):
    AgreementOptions.objects.create(
        meeting=monday_meeting, numbering=AgreementOptions.Numbering.ORDINALS
    )
    text = flat(pdf_text(response_bytes(draft(as_secretariat, monday_meeting))))
    assert "KESATU Pemerintah Provinsi Kepulauan Bangka Belitung" in text
    assert "KEDUA Inventarisasi" in text
    assert "KETIGA Normalisasi" in text


def test_without_signers_every_party_gets_a_column(as_secretariat, monday_meeting, points):
    signatures = party_signatures(monday_meeting)
    # The province, then Kabupaten Bangka (Bina Marga) and Kota Pangkalpinang (SDA).
    assert [s.heading for s in signatures] == [
        "Provinsi Kepulauan Bangka Belitung",
        "Kabupaten Bangka",
        "Kota Pangkalpinang",
    ]
    text = flat(pdf_text(response_bytes(draft(as_secretariat, monday_meeting))))
    assert "PARA PIHAK" in text
    assert "Kepala Dinas PUPRPRKP Provinsi Kepulauan Bangka Belitung" in text
    assert "Kota Pangkalpinang" in text


@pytest.mark.parametrize(
    ("count", "rows"),
    [(2, [2]), (3, [3]), (4, [2, 2]), (5, [3, 2]), (6, [3, 3]), (7, [3, 3, 1]), (8, [3, 3, 2])],
)
def test_signature_columns_are_two_or_three_a_row(count, rows):
    signatures = [Signature(name=f"Pejabat {n}") for n in range(count)]
    assert [len([c for c in row.cells if c]) for row in signature_rows(signatures)] == rows


def test_hostile_point_text_is_printed_literally(as_secretariat, secretariat, decided_desk):
    agreement_point_create(
        actor=secretariat,
        desk=decided_desk,
        data={
            "text": '<img src="file:///etc/passwd"> <b>tebal</b>',
            "responsible": "<link href='http://127.0.0.1/'>",
            "due": "2023",
        },
    )
    output = SPEC.render(decided_desk.meeting, None, RenderOptions.create())
    assert output.refused_urls == []
    text = flat(pdf_text(output.content))
    assert '<img src="file:///etc/passwd"> <b>tebal</b>' in text


def test_the_document_is_not_available_without_points(as_secretariat, monday_meeting):
    assert not SPEC.is_available(monday_meeting)
    assert draft(as_secretariat, monday_meeting).status_code == 302


# ---- Finalisation ----


def test_finalising_makes_the_source_issues_agreed_and_locks_the_points(
    as_secretariat, secretariat, monday_meeting, decided_desk, points, signers
):
    priority = Issue.objects.get(desk=decided_desk, decision=Issue.Decision.PRIORITY)
    response = as_secretariat.post(
        reverse("documents:finalise", kwargs={"slug": monday_meeting.slug, "key": SPEC.key})
    )
    assert response.status_code == 302
    document = FinalDocument.objects.get(kind=FinalDocument.Kind.AGREEMENT)
    priority.refresh_from_db()
    assert priority.status == Issue.Status.AGREED
    event = IssueEvent.objects.get(issue=priority, to_status=Issue.Status.AGREED)
    assert event.actor == secretariat
    assert document.number in event.reason
    # The Reserve issue has no point and keeps its status.
    assert Issue.objects.filter(status=Issue.Status.RESERVE).count() == 1
    # The stored PDF is the final one: number and verification, no DRAF watermark.
    with document.file.open("rb") as stored:
        text = flat(pdf_text(stored.read()))
    assert document.number in text
    assert "MENYEPAKATI:" in text
    # Editing is refused now, with a message, and nothing changes.
    point = points[0]
    page = as_secretariat.post(
        reverse("issues:point_edit", kwargs={"desk_id": decided_desk.pk, "pk": point.pk}),
        {"text": "Diubah setelah final", "responsible": "x", "due": "y"},
        follow=True,
    )
    assert page.status_code == 200
    point.refresh_from_db()
    assert point.text != "Diubah setelah final"


def test_reopening_allows_edits_and_the_next_version_agrees_again(
    as_secretariat, secretariat, monday_meeting, decided_desk, points
):
    first = document_finalise(actor=secretariat, meeting=monday_meeting, spec=SPEC)
    document_reopen(actor=secretariat, document=first, reason="Penanggung jawab dikoreksi.")
    point = points[0]
    response = as_secretariat.post(
        reverse("issues:point_edit", kwargs={"desk_id": decided_desk.pk, "pk": point.pk}),
        {"text": "Rekonstruksi ruas Sungailiat - Belinyu tahap I", "responsible": "x", "due": "y"},
    )
    assert response.status_code == 302
    second = document_finalise(actor=secretariat, meeting=monday_meeting, spec=SPEC)
    assert second.version == 2
    assert second.reason == "Penanggung jawab dikoreksi."
    with second.file.open("rb") as stored:
        assert "Belinyu tahap I" in flat(pdf_text(stored.read()))


def test_the_delegate_reads_the_final_document_only(
    as_delegate_bangka, secretariat, monday_meeting, points
):
    assert draft(as_delegate_bangka, monday_meeting).status_code == 403
    document = document_finalise(actor=secretariat, meeting=monday_meeting, spec=SPEC)
    response = as_delegate_bangka.get(reverse("documents:download", kwargs={"pk": document.pk}))
    assert response.status_code == 200
    assert response_bytes(response).startswith(b"%PDF")


# ---- Numbers in words ----


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "nol"),
        (1, "satu"),
        (9, "sembilan"),
        (10, "sepuluh"),
        (11, "sebelas"),
        (12, "dua belas"),
        (19, "sembilan belas"),
        (20, "dua puluh"),
        (25, "dua puluh lima"),
        (99, "sembilan puluh sembilan"),
        (100, "seratus"),
        (101, "seratus satu"),
        (110, "seratus sepuluh"),
        (111, "seratus sebelas"),
        (200, "dua ratus"),
        (999, "sembilan ratus sembilan puluh sembilan"),
        (1000, "seribu"),
        (1001, "seribu satu"),
        (1100, "seribu seratus"),
        (1945, "seribu sembilan ratus empat puluh lima"),
        (2000, "dua ribu"),
        (2022, "dua ribu dua puluh dua"),
        (9999, "sembilan ribu sembilan ratus sembilan puluh sembilan"),
        (11000, "sebelas ribu"),
        (100000, "seratus ribu"),
        (1000000, "satu juta"),
        (2500000000, "dua miliar lima ratus juta"),
    ],
)
def test_terbilang(number, words):
    assert terbilang(number) == words


@pytest.mark.parametrize(
    ("number", "word"),
    [
        (1, "KESATU"),
        (2, "KEDUA"),
        (4, "KEEMPAT"),
        (10, "KESEPULUH"),
        (11, "KESEBELAS"),
        (12, "KEDUA BELAS"),
        (20, "KEDUA PULUH"),
        (29, "KEDUA PULUH SEMBILAN"),
        (40, "KEEMPAT PULUH"),
    ],
)
def test_ordinals(number, word):
    assert urutan(number) == word


def test_ordinals_start_at_one():
    with pytest.raises(ValueError):
        urutan(0)


def test_the_date_in_words(monday_meeting):
    assert tanggal_terbilang(monday_meeting.starts_at) == (
        "tanggal dua puluh lima bulan Juli tahun dua ribu dua puluh dua"
    )


# ---- Demo data ----


def test_the_demo_meeting_has_a_complete_agreement_document(db, settings):
    from django.core.management import call_command

    from meetings.models import Meeting

    settings.DEBUG = True
    call_command("seed_demo")
    meeting = Meeting.objects.get(slug="rakortek-2022")
    points = list(AgreementPoint.objects.filter(meeting=meeting))
    assert len(points) == 8
    assert all(point.source_issues.exists() for point in points)
    call_command("seed_demo")
    assert AgreementPoint.objects.filter(meeting=meeting).count() == 8
    assert Signer.objects.filter(meeting=meeting, document=Signer.Document.AGREEMENT).count() == 8
    text = flat(pdf_text(SPEC.render(meeting, None, RenderOptions.create()).content))
    assert "MENYEPAKATI:" in text
    assert "Pada hari ini Senin tanggal dua puluh lima bulan Juli" in text
    assert "8. Perluasan layanan SPAM Regional Bangka Tengah" in text
    assert "Ir. Siti Rahmah, M.T." in text
