"""Notulen RAKORTEK and Daftar Hadir PDFs, built on the meetings app's minutes and attendance."""

import re

import pytest
from django.urls import reverse

from meetings.models import AgendaItem, Minutes, Participant, Signer
from meetings.services import minutes_finalise, participant_check_in
from rakortek.documents.catalog import SPECS
from rakortek.documents.models import FinalDocument
from rakortek.documents.rendering import RenderOptions
from tests.documents.conftest import flat, pdf_reader, pdf_text
from tests.factories import MinutesFactory, ParticipantFactory, region, signature_png

pytestmark = pytest.mark.django_db


def render(meeting, key):
    return SPECS[key].render(meeting, None, RenderOptions.create())


@pytest.fixture
def minutes(monday_meeting, decided_desk, desk_sda):
    AgendaItem.objects.create(
        meeting=monday_meeting,
        starts_at="08:30",
        activity="Pembukaan",
        person="Penjabat Gubernur",
    )
    AgendaItem.objects.create(meeting=monday_meeting, starts_at="10:00", activity="Diskusi desk")
    return MinutesFactory(
        meeting=monday_meeting,
        chair_name="Ir. Kepala Dinas, M.T.",
        chair_position="Kepala Dinas PUPRPRKP",
        note_taker_name="Nurhayati, S.E.",
        decisions="Isu prioritas dibawa ke RAKORGUB.",
        closing="Rapat ditutup pukul 16.00 WIB.",
    )


@pytest.fixture
def attendance(monday_meeting, secretariat):
    people = [
        ParticipantFactory(
            meeting=monday_meeting,
            name="Budi Santoso",
            region=region("bangka"),
            office="DPUPR Kabupaten Bangka",
            phone="081211112222",
        ),
        ParticipantFactory(meeting=monday_meeting, name="Maya Sari", mode="daring"),
        ParticipantFactory(meeting=monday_meeting, name="Belum Datang"),
    ]
    participant_check_in(
        participant=people[0],
        via=Participant.Via.SECRETARIAT,
        actor=secretariat,
        signature=signature_png(),
    )
    participant_check_in(participant=people[1], via=Participant.Via.SECRETARIAT, actor=secretariat)
    return people


def test_minutes_pdf_has_the_heading_sections_desk_results_and_signatures(minutes, attendance):
    output = render(minutes.meeting, "notulen")
    assert output.refused_urls == []
    text = flat(pdf_text(output.content))
    assert "NOTULEN RAPAT" in text.upper()
    assert "Sidang/Rapat : RAKORTEK PU 2022" in text
    assert "Hari/Tanggal : Senin, 25 Juli 2022" in text
    assert "Waktu : 08.00 - 16.00 WIB" in text
    assert "Tempat : Ruang Auditorium Dinas PUPRPRKP" in text
    assert "1. Pembukaan" in text and "2. Diskusi desk" in text
    assert "Pimpinan Rapat : Ir. Kepala Dinas, M.T. (Kepala Dinas PUPRPRKP)" in text
    assert "Notulis : Nurhayati, S.E." in text
    assert "2 orang, daftar hadir terlampir" in text
    assert "Rapat dibuka pada pukul 08.30 WIB" in text
    assert "Isu prioritas dibawa ke RAKORGUB." in text
    # Desk results: counts per region (a joint issue counts for each of its regions).
    assert "Desk Bidang Bina Marga" in text and "Desk Bidang Sumber Daya Air" in text
    assert "Jumlah isu strategis: 4 (Prioritas 1, Cadangan 1, Dialihkan 1, Belum diputuskan 1)" in (
        text
    )
    assert "Kabupaten Bangka Tengah 1" in text
    assert "BM-01 Kabupaten Bangka Rekonstruksi ruas Sungailiat - Belinyu Rp38.000.000.000" in text
    assert "Tidak ada isu strategis yang dibahas." in text  # the SDA desk
    # Without signers set: the note-taker and the chair, under the place and date.
    assert "Pangkalpinang, 25 Juli 2022" in text
    # Each a column of its own: the labels on one line, the names on another.
    assert "Notulis, Pimpinan Rapat, Kepala Dinas PUPRPRKP" in text
    assert text.index("Notulis,") < text.index("Nurhayati", text.index("Notulis,"))
    assert f"Halaman 1 dari {output.pages}" in text


def test_minutes_signers_print_position_name_rank_and_nip(minutes):
    Signer.objects.create(
        meeting=minutes.meeting,
        document=Signer.Document.MINUTES,
        order=1,
        name="Ir. Kepala Dinas, M.T.",
        position="Kepala Dinas PUPRPRKP",
        rank="Pembina Utama Muda (IV/c)",
        nip="196801011994031005",
    )
    minutes.date_text = "26 Juli 2022"
    minutes.save(update_fields=["date_text"])
    text = flat(pdf_text(render(minutes.meeting, "notulen").content))
    assert (
        "Pangkalpinang, 26 Juli 2022 Pimpinan Rapat, Kepala Dinas PUPRPRKP Ir. Kepala Dinas, M.T. "
        "Pembina Utama Muda (IV/c) NIP. 19680101 199403 1 005"
    ) in text


def test_minutes_become_a_final_document_only_when_their_text_is_final(
    as_secretariat, minutes, secretariat
):
    url = reverse("documents:finalise", kwargs={"slug": minutes.meeting.slug, "key": "notulen"})
    as_secretariat.post(url)
    assert not FinalDocument.objects.exists()
    minutes_finalise(minutes=minutes, user=secretariat)
    as_secretariat.post(url)
    document = FinalDocument.objects.get()
    assert document.kind == "notulen"
    with document.file.open("rb") as stored:
        assert document.number.startswith("000.1.2/1/DPUPRPRKP/")
        text = pdf_text(stored.read())
    assert document.number in flat(text)
    # Locked minutes refuse edits in the meetings app; the document is locked too.
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.FINAL


def test_minutes_are_not_available_before_they_are_written(as_secretariat, monday_meeting):
    page = as_secretariat.get(reverse("documents:meeting", kwargs={"slug": monday_meeting.slug}))
    row = next(r for r in page.context["rows"] if r.spec.key == "notulen")
    assert not row.available and not row.may_draft


def test_attendance_pdf_lists_who_came_with_their_signatures(attendance, monday_meeting):
    output = render(monday_meeting, "daftar-hadir")
    assert output.refused_urls == []
    text = flat(pdf_text(output.content))
    assert "DAFTAR HADIR" in text.upper()
    assert "Senin, 25 Juli 2022" in text
    for header in ["No", "Nama", "Jabatan", "Instansi", "Tanda Tangan"]:
        assert header in text
    assert "Peserta Luring (1 orang)" in text and "Peserta Daring (1 orang)" in text
    assert text.index("Peserta Luring") < text.index("Budi Santoso") < text.index("Peserta Daring")
    # Phone numbers stay in the secretariat's working list; the region is not repeated
    # after an office that names it.
    assert "081211112222" not in text and "No. HP" not in text
    assert "DPUPR Kabupaten Bangka" in text and "(Kabupaten Bangka)" not in text
    # No signature drawn online: the day and time they joined instead.
    assert re.search(r"Daring \d{1,2} \w+ \d{4} pukul \d\d\.\d\d WIB", text)
    assert "Belum Datang" not in text
    assert "Jumlah peserta hadir: 2 orang." in text
    # The one collected signature is embedded as an image.
    assert sum(len(page.images) for page in pdf_reader(output.content).pages) == 1


def test_attendance_list_is_not_available_before_anyone_checks_in(as_secretariat, monday_meeting):
    ParticipantFactory(meeting=monday_meeting)
    response = as_secretariat.get(
        reverse("documents:draft", kwargs={"slug": monday_meeting.slug, "key": "daftar-hadir"})
    )
    assert response.status_code == 302


def test_minutes_number_the_priorities_without_gaps_and_keep_links_whole(minutes, decided_desk):
    from issues.models import Issue
    from tests.documents.conftest import decided_issue
    from tests.documents.layout import find_phrase, on_one_line, page_words

    decided_issue(
        decided_desk,
        "belitung",
        title="Ruas Tanjung Pandan",
        rank=4,
        decision=Issue.Decision.PRIORITY,
    )
    meeting = minutes.meeting
    meeting.online_link = "https://zoom.example.go.id/j/2022072501?pwd=rakortek-pu-bangka-belitung"
    meeting.save()
    content = render(meeting, "notulen").content
    text = flat(pdf_text(content))
    # Ranks 1 and 4 on the board (a reserve and a redirected issue between): listed 1 and 2.
    assert "1 BM-01 Kabupaten Bangka" in text
    assert "2 BM-05 Kabupaten Belitung Ruas Tanjung Pandan" in text
    # The link is on one line.
    words = find_phrase(page_words(content), meeting.online_link)
    assert on_one_line(words)
    # The priority list is printed once: by the Hasil Desk, not again by the decisions.
    assert text.count("Ruas Tanjung Pandan") == 1


def test_attendance_signatures_alternate_and_a_page_holds_at_least_twelve_rows(
    monday_meeting, secretariat
):
    from tests.documents.layout import page_words

    for number in range(1, 41):
        person = ParticipantFactory(
            meeting=monday_meeting,
            name=f"Peserta Nomor{number:02d}",
            position="Kepala Seksi Pembangunan Jalan dan Jembatan",
            office="Dinas PUPRPRKP Provinsi Kepulauan Bangka Belitung",
            phone=f"0812000000{number:02d}",
        )
        participant_check_in(participant=person, via=Participant.Via.SECRETARIAT, actor=secretariat)
    content = render(monday_meeting, "daftar-hadir").content
    pages = page_words(content)
    rows = [[w for w in page if w.text.startswith("Nomor")] for page in pages]
    assert all(len(page) >= 12 for page in rows[:-1] if page), [len(p) for p in rows]
    # The numbers in the signature column sit left for odd rows, right for even rows.
    marks = {}
    for page in pages:
        for word in page:
            if word.text.endswith(".") and word.text[:-1].isdigit() and word.x0 > 300:
                marks[int(word.text[:-1])] = word.x0
    assert len(marks) == 40
    left = {n for n in marks if n % 2}
    assert max(marks[n] for n in left) < min(marks[n] for n in marks if n not in left)
    assert "0812000000" not in flat(pdf_text(content))
