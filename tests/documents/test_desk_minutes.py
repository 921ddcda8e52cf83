"""Notulen Desk: the minutes of one desk as an official PDF, signed for that desk."""

from datetime import time

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from meetings.models import Participant, Signer
from meetings.services import minutes_finalise, minutes_reopen, participant_check_in
from rakortek.documents.catalog import SPECS
from rakortek.documents.models import FinalDocument
from rakortek.documents.rendering import RenderOptions
from rakortek.documents.services import DocumentError, document_finalise, document_reopen
from tests.documents.conftest import decided_issue, flat, pdf_reader, pdf_text, response_bytes
from tests.factories import MinutesFactory, ParticipantFactory

pytestmark = pytest.mark.django_db

SPEC = SPECS["notulen-desk"]


def render(meeting, desk):
    return SPEC.render(meeting, desk, RenderOptions.create())


def url(name, meeting, desk):
    return reverse(
        f"documents:{name}",
        kwargs={"slug": meeting.slug, "key": "notulen-desk", "field_slug": desk.field.slug},
    )


@pytest.fixture
def sda_issue(desk_sda):
    return decided_issue(desk_sda, "belitung", title="Normalisasi Sungai Rangkui", rank=1)


@pytest.fixture
def desk_minutes(monday_meeting, decided_desk, sda_issue, secretariat):
    """The Bina Marga desk's minutes, still a draft; the SDA desk has none."""
    decided_desk.room = "Ruang Rapat Bidang Bina Marga"
    decided_desk.starts_at = time(10, 0)
    decided_desk.ends_at = time(12, 30)
    decided_desk.save()
    present = ParticipantFactory(meeting=monday_meeting, desk=decided_desk, name="Budi Santoso")
    participant_check_in(participant=present, via=Participant.Via.SECRETARIAT, actor=secretariat)
    return MinutesFactory(
        meeting=monday_meeting,
        desk=decided_desk,
        opening="Diskusi Desk Bidang Bina Marga dibuka pada pukul 10.00 WIB.",
        discussion="Ruas Sungailiat - Belinyu rusak berat sepanjang 12 km.",
        decisions="Rekonstruksi ruas Sungailiat - Belinyu diusulkan sebagai prioritas.",
        closing="Diskusi ditutup pukul 12.30 WIB.",
        note_taker_name="Dewi Lestari, S.T.",
    )


# ---- The PDF ----


def test_desk_minutes_pdf_has_the_header_sections_and_the_desks_results(desk_minutes):
    desk = desk_minutes.desk
    output = render(desk_minutes.meeting, desk)
    assert output.refused_urls == []
    text = flat(pdf_text(output.content))
    assert "NOTULEN DESK BIDANG BINA MARGA" in text.upper()
    assert "Sidang/Rapat : RAKORTEK PU 2022" in text
    assert "Desk : Desk Bidang Bina Marga" in text
    assert "Hari/Tanggal : Senin, 25 Juli 2022" in text
    assert "Waktu : 10.00 - 12.30 WIB" in text
    assert "Tempat : Ruang Rapat Bidang Bina Marga" in text
    # The chair prefilled from the desk; the note-taker as the minutes name them.
    assert "Pimpinan Desk : Sutrisno Hadi (Kepala Bidang Bina Marga)" in text
    assert "Notulis : Dewi Lestari, S.T." in text
    assert "Peserta : 1 orang" in text
    # The four sections of the minutes' text, in order.
    for number, section in enumerate(
        [
            "Diskusi Desk Bidang Bina Marga dibuka pada pukul 10.00 WIB.",
            "Ruas Sungailiat - Belinyu rusak berat sepanjang 12 km.",
            "Rekonstruksi ruas Sungailiat - Belinyu diusulkan sebagai prioritas.",
            "Diskusi ditutup pukul 12.30 WIB.",
        ],
        start=1,
    ):
        assert section in text
        assert text.index(f"{number}. ") < text.index(section)
    # The desk's results: every issue discussed with its decision, this desk only.
    assert (
        "Jumlah isu strategis yang dibahas: 4 "
        "(Prioritas 1, Cadangan 1, Dialihkan 1, Belum diputuskan 1)" in text
    )
    assert "Kabupaten Bangka Tengah 1" in text  # the joint issue counts for each region
    # Table cells may run together in the extracted text: compare without white space.
    packed = "".join(text.split())
    assert "1BM-01KabupatenBangkaRekonstruksiruasSungailiat-Belinyu" in packed
    assert "Rp38.000.000.000Prioritas" in packed
    assert "CadanganMenunggukepastianstatusjalan." in packed
    assert "DialihkanDialihkankeBPJNKepulauanBangkaBelitung.Jalannasional." in packed
    assert "DrainaseJalanMentokRp1.250.000.000-Belumdiputuskan(Terverifikasi)" in packed
    assert "Normalisasi Sungai Rangkui" not in text
    assert "Sumber Daya Air" not in text
    # Without signers set: the note-taker, then the desk's chair with NIP.
    assert "Pangkalpinang, 25 Juli 2022" in text
    assert (
        "Notulis, Pimpinan Desk Bina Marga, Kepala Bidang Bina Marga "
        "Dewi Lestari, S.T. Sutrisno Hadi NIP. 19700101 200003 1 001"
    ) in text
    assert "DRAF" in text
    assert f"Halaman 1 dari {output.pages}" in text


def test_signers_set_for_the_desks_minutes_sign_instead(desk_minutes, desk_sda):
    meeting, desk = desk_minutes.meeting, desk_minutes.desk
    Signer.objects.create(
        meeting=meeting,
        desk=desk,
        document=Signer.Document.DESK_MINUTES,
        order=1,
        name="Ir. Sutrisno Hadi, M.T.",
        position="Kepala Bidang Bina Marga",
        rank="Pembina (IV/a)",
        nip="197001012000031001",
    )
    # Signers of another desk, of the plenary minutes, or of this document for the whole
    # meeting do not sign this desk's minutes.
    Signer.objects.create(
        meeting=meeting,
        desk=desk_sda,
        document=Signer.Document.DESK_MINUTES,
        name="Rahmat Hidayat",
        position="Kepala Bidang SDA",
    )
    Signer.objects.create(
        meeting=meeting, document=Signer.Document.MINUTES, name="Kepala Dinas", position="Kadis"
    )
    text = flat(pdf_text(render(meeting, desk).content))
    assert (
        "Pangkalpinang, 25 Juli 2022 Kepala Bidang Bina Marga Ir. Sutrisno Hadi, M.T. "
        "Pembina (IV/a) NIP. 19700101 200003 1 001"
    ) in text
    assert "Rahmat Hidayat" not in text and "Kadis" not in text
    assert "Notulis Dewi" not in text


def test_a_stand_in_who_chaired_the_desk_signs_without_the_chairs_nip(desk_minutes):
    desk_minutes.chair_name = "Andi Wijaya, S.T."
    desk_minutes.chair_position = "Kepala Seksi Jalan"
    desk_minutes.place = "Sungailiat"
    desk_minutes.date_text = "26 Juli 2022"
    desk_minutes.save()
    text = flat(pdf_text(render(desk_minutes.meeting, desk_minutes.desk).content))
    assert "Pimpinan Desk : Andi Wijaya, S.T. (Kepala Seksi Jalan)" in text
    assert "Sungailiat, 26 Juli 2022" in text
    # The stand-in signs on behalf of the head of the field.
    assert (
        "Notulis, Pimpinan Desk Bina Marga, a.n. Kepala Bidang Bina Marga Kepala Seksi Jalan "
        "Dewi Lestari, S.T. Andi Wijaya, S.T."
    ) in text
    assert "197001012000031001" not in text


def test_html_in_the_minutes_is_printed_as_text(desk_minutes):
    desk_minutes.discussion = '<img src="file:///etc/passwd"><b>tebal</b>'
    desk_minutes.decisions = "<script>alert(1)</script>"
    desk_minutes.closing = '<link rel="stylesheet" href="http://127.0.0.1/">'
    desk_minutes.note_taker_name = "<i>Dewi</i>"
    desk_minutes.save()
    output = render(desk_minutes.meeting, desk_minutes.desk)
    assert output.refused_urls == []
    text = "".join(pdf_text(output.content).split())
    assert '<imgsrc="file:///etc/passwd"><b>tebal</b>' in text
    assert "<script>alert(1)</script>" in text
    assert "http://127.0.0.1/" in text
    assert "<i>Dewi</i>" in text
    assert "root:" not in text
    assert all(len(page.images) == 0 for page in pdf_reader(output.content).pages)


# ---- Availability, blockers, final versions ----


def test_it_exists_for_a_desk_once_that_desks_minutes_are_written(
    as_secretariat, desk_minutes, desk_sda, secretariat
):
    meeting, desk = desk_minutes.meeting, desk_minutes.desk
    as_secretariat.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert SPEC.is_available(meeting, desk)
    assert not SPEC.is_available(meeting, desk_sda)
    page = as_secretariat.get(reverse("documents:meeting", kwargs={"slug": meeting.slug}))
    rows = {row.desk: row for row in page.context["rows"] if row.spec.key == "notulen-desk"}
    assert rows[desk].available and rows[desk].may_draft
    assert not rows[desk_sda].available and not rows[desk_sda].may_draft
    assert "Available once the minutes of this desk are written." in page.text
    assert page.text.count("Available once the minutes of this desk are written.") == 1
    assert "notulen-desk-bina-marga.pdf" in page.text
    # The desk without minutes has no draft and cannot be finalised.
    response = as_secretariat.get(url("draft", meeting, desk_sda))
    assert response.status_code == 302
    with translation.override("en"), pytest.raises(DocumentError, match="cannot be made yet"):
        document_finalise(actor=secretariat, meeting=meeting, spec=SPEC, desk=desk_sda)


def test_finalisable_only_once_the_desks_minutes_text_is_final(
    as_secretariat, desk_minutes, secretariat
):
    meeting, desk = desk_minutes.meeting, desk_minutes.desk
    as_secretariat.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = as_secretariat.get(reverse("documents:meeting", kwargs={"slug": meeting.slug}))
    row = next(r for r in page.context["rows"] if r.spec.key == "notulen-desk" and r.desk == desk)
    assert row.blocker and not row.can_finalise
    assert "Finalise the text of this desk&#x27;s minutes first" in page.text
    response = as_secretariat.post(url("finalise", meeting, desk))
    assert response.status_code == 302
    assert not FinalDocument.objects.exists()

    minutes_finalise(minutes=desk_minutes, user=secretariat)
    assert SPEC.blocker(meeting, desk) == ""
    as_secretariat.post(url("finalise", meeting, desk))
    document = FinalDocument.objects.get()
    assert document.kind == FinalDocument.Kind.DESK_MINUTES == "notulen_desk"
    assert document.desk == desk and document.version == 1 and document.is_current
    assert document.title == "Notulen Desk Bina Marga - RAKORTEK PU 2022"
    assert document.number.startswith("000.1.2/1/DPUPRPRKP/")
    with document.file.open("rb") as stored:
        text = flat(pdf_text(stored.read()))
    assert document.number in text
    assert "Ruas Sungailiat - Belinyu rusak berat sepanjang 12 km." in text
    assert "DRAF" not in text

    # Reopening the text blocks a new version until the text is final again.
    document_reopen(actor=secretariat, document=document, reason="Koreksi keputusan desk")
    minutes_reopen(minutes=desk_minutes, user=secretariat, reason="Koreksi keputusan desk")
    with translation.override("en"), pytest.raises(DocumentError, match="minutes first"):
        document_finalise(actor=secretariat, meeting=meeting, spec=SPEC, desk=desk)
    desk_minutes.refresh_from_db()
    desk_minutes.decisions = "Rekonstruksi ruas Sungailiat - Belinyu: Prioritas 1."
    desk_minutes.save()
    minutes_finalise(minutes=desk_minutes, user=secretariat)
    second = document_finalise(actor=secretariat, meeting=meeting, spec=SPEC, desk=desk)
    assert second.version == 2 and second.reason == "Koreksi keputusan desk"
    assert second.number.startswith("000.1.2/2/")
    with second.file.open("rb") as stored:
        assert "Rekonstruksi ruas Sungailiat - Belinyu: Prioritas 1." in flat(
            pdf_text(stored.read())
        )


# ---- Who may see it ----


@pytest.fixture
def final_desk_minutes(desk_minutes, secretariat):
    minutes_finalise(minutes=desk_minutes, user=secretariat)
    return document_finalise(
        actor=secretariat, meeting=desk_minutes.meeting, spec=SPEC, desk=desk_minutes.desk
    )


def test_draft_access_per_role(
    client,
    as_secretariat,
    as_kabid_bina_marga,
    as_kabid_sda,
    as_observer,
    as_delegate_bangka,
    desk_minutes,
):
    draft = url("draft", desk_minutes.meeting, desk_minutes.desk)
    for allowed in (as_secretariat, as_kabid_bina_marga):
        response = allowed.get(draft)
        assert response.status_code == 200
        assert response_bytes(response).startswith(b"%PDF")
        assert "notulen-desk-bina-marga-draf.pdf" in response["Content-Disposition"]
    # Everyone else reads the final version only.
    assert as_kabid_sda.get(draft).status_code == 403  # another desk's chair
    assert as_observer.get(draft).status_code == 403
    assert as_delegate_bangka.get(draft).status_code == 403
    anonymous = client.get(draft)
    assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("login"))


def test_final_download_per_role(
    client,
    as_secretariat,
    as_kabid_bina_marga,
    as_kabid_sda,
    as_observer,
    as_delegate_bangka,
    as_delegate_pangkalpinang,
    final_desk_minutes,
):
    download = reverse("documents:download", kwargs={"pk": final_desk_minutes.pk})
    # Every account of the meeting reads the final minutes, as text and as PDF.
    for allowed in (
        as_secretariat,
        as_kabid_bina_marga,
        as_observer,
        as_kabid_sda,
        as_delegate_bangka,
        as_delegate_pangkalpinang,
    ):
        response = allowed.get(download)
        assert response.status_code == 200
        assert response_bytes(response).startswith(b"%PDF")
    anonymous = client.get(download)
    assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("login"))


def test_only_the_secretariat_finalises_and_reopens(
    client,
    as_kabid_bina_marga,
    as_kabid_sda,
    as_observer,
    as_delegate_bangka,
    desk_minutes,
    secretariat,
):
    minutes_finalise(minutes=desk_minutes, user=secretariat)
    finalise = url("finalise", desk_minutes.meeting, desk_minutes.desk)
    assert as_kabid_bina_marga.post(finalise).status_code == 403
    assert as_observer.post(finalise).status_code == 403
    assert as_kabid_sda.post(finalise).status_code == 403
    assert as_delegate_bangka.post(finalise).status_code == 403
    assert client.post(finalise).status_code == 302
    assert not FinalDocument.objects.exists()
    document = document_finalise(
        actor=secretariat, meeting=desk_minutes.meeting, spec=SPEC, desk=desk_minutes.desk
    )
    reopen = reverse("documents:reopen", kwargs={"pk": document.pk})
    data = {"reason": "Koreksi"}
    assert as_kabid_bina_marga.post(reopen, data).status_code == 403
    assert as_observer.post(reopen, data).status_code == 403
    assert as_kabid_sda.post(reopen, data).status_code == 403
    assert as_delegate_bangka.post(reopen, data).status_code == 403
    document.refresh_from_db()
    assert not document.is_reopened


def test_documents_page_rows_per_role(
    as_kabid_bina_marga, as_kabid_sda, as_observer, as_delegate_bangka, desk_minutes, secretariat
):
    meeting, desk = desk_minutes.meeting, desk_minutes.desk
    page = reverse("documents:meeting", kwargs={"slug": meeting.slug})

    def rows(client):
        return [(row.spec.key, row.desk) for row in client.get(page).context["rows"]]

    assert ("notulen-desk", desk) in rows(as_kabid_bina_marga)
    assert not any(key == "notulen-desk" for key, _desk in rows(as_kabid_sda))
    assert rows(as_observer) == []  # no final version yet
    minutes_finalise(minutes=desk_minutes, user=secretariat)
    document_finalise(actor=secretariat, meeting=meeting, spec=SPEC, desk=desk)
    assert rows(as_observer) == [("notulen-desk", desk)]
    assert rows(as_delegate_bangka) == [("notulen-desk", desk)]


# ---- Links to it ----


def test_desk_heads_home_links_to_it_once_the_minutes_exist(
    as_kabid_bina_marga, decided_desk, monday_meeting
):
    anchor = "#dokumen-notulen-desk-bina-marga"
    assert anchor not in as_kabid_bina_marga.get(reverse("home")).text
    MinutesFactory(meeting=monday_meeting, desk=decided_desk)
    assert anchor in as_kabid_bina_marga.get(reverse("home")).text


def test_minutes_pages_link_to_it_for_those_who_draft_it(
    as_secretariat, as_kabid_bina_marga, as_observer, desk_minutes, secretariat
):
    meeting = desk_minutes.meeting
    documents = reverse("documents:meeting", kwargs={"slug": meeting.slug})
    anchor = f"{documents}#dokumen-notulen-desk-bina-marga"
    detail = reverse("meetings:minutes_detail", args=[meeting.slug, "bina-marga"])
    edit = reverse("meetings:minutes_edit", args=[meeting.slug, "bina-marga"])
    for client in (as_secretariat, as_kabid_bina_marga):
        assert anchor in client.get(detail).text
        assert anchor in client.get(edit).text
    minutes_finalise(minutes=desk_minutes, user=secretariat)
    assert anchor not in as_observer.get(detail).text


@pytest.mark.parametrize(
    ("room", "venue", "place"),
    [
        ("Ruang Auditorium", "Ruang Auditorium Dinas PUPRPRKP", "Ruang Auditorium Dinas PUPRPRKP"),
        ("Ruang Rapat SDA", "Kantor Dinas PUPRPRKP", "Ruang Rapat SDA, Kantor Dinas PUPRPRKP"),
        ("", "Kantor Dinas PUPRPRKP", "Kantor Dinas PUPRPRKP"),
    ],
)
def test_the_place_never_says_the_room_twice(desk_minutes, room, venue, place):
    desk, meeting = desk_minutes.desk, desk_minutes.meeting
    desk.room, meeting.venue = room, venue
    desk.save()
    meeting.save()
    text = flat(pdf_text(render(meeting, desk).content))
    assert f"Tempat : {place} " in text
