"""Naskah dinas numbers: a pattern per kind set with the letterhead, one sequence per
year, printed under the title; never repeated or skipped, also when two documents are
finalised at once (PostgreSQL, row locks between connections)."""

import threading
from datetime import datetime, timedelta

import pytest
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from issues.models import Issue
from rakortek.documents.catalog import SPECS
from rakortek.documents.models import FinalDocument, NumberSequence, OfficeProfile
from rakortek.documents.numbering import check_pattern, format_number
from rakortek.documents.rendering import RenderOptions
from rakortek.documents.services import DocumentError, document_finalise
from tests.documents.conftest import decided_issue, flat, lock_board, pdf_text
from tests.factories import DeskFactory, MeetingFactory, field

PRIORITY = SPECS["prioritas"]


def year() -> int:
    """The year of the fixtures' meetings (held in two weeks)."""
    return (timezone.localdate() + timedelta(days=14)).year


def held_on(meeting, day: tuple):
    meeting.starts_at = datetime(*day, tzinfo=timezone.get_current_timezone())
    meeting.ends_at = meeting.starts_at + timedelta(hours=8)
    meeting.save(update_fields=["starts_at", "ends_at"])


def number_in_heading(content: bytes) -> str:
    text = flat(pdf_text(content))
    start = text.index("Nomor: ") + len("Nomor: ")
    return text[start:].split()[0]


@pytest.fixture
def two_desks(db, secretariat, kabid_bina_marga, kabid_sda):
    """Two desks of two meetings, each with a locked board (so each can be finalised)."""
    desks = []
    for slug, chair in (("bina-marga", kabid_bina_marga), ("sumber-daya-air", kabid_sda)):
        desk = DeskFactory(meeting=MeetingFactory(), field=field(slug), chair=chair)
        decided_issue(desk, "bangka", rank=1, decision=Issue.Decision.PRIORITY)
        lock_board(desk)
        desks.append(desk)
    return desks


def finalise(desk, user):
    return document_finalise(actor=user, meeting=desk.meeting, spec=PRIORITY, desk=desk)


def test_a_final_version_prints_its_number_in_the_heading(two_desks, secretariat):
    document = finalise(two_desks[0], secretariat)
    assert document.number == f"000.1.2/1/DPUPRPRKP/{year()}"
    assert number_in_heading(document.file.read()) == document.number
    # The verification code is a separate code, not derived from the number.
    assert document.verification_code not in document.number


def test_numbers_follow_one_sequence_per_year_across_kinds_and_meetings(two_desks, secretariat):
    profile = OfficeProfile.load()
    profile.number_patterns = {"prioritas": "000.1.5/{nomor}/DPUPRPRKP.2/{tahun}"}
    profile.save()
    first, second = (finalise(desk, secretariat) for desk in two_desks)
    assert first.number == f"000.1.5/1/DPUPRPRKP.2/{year()}"
    assert second.number == f"000.1.5/2/DPUPRPRKP.2/{year()}"
    assert NumberSequence.objects.get(year=year()).last == 2


def test_a_refused_finalisation_takes_no_number(two_desks, secretariat):
    finalise(two_desks[0], secretariat)
    with pytest.raises(DocumentError):
        finalise(two_desks[0], secretariat)  # final already: reopen first
    assert finalise(two_desks[1], secretariat).number.startswith("000.1.2/2/")


def test_a_draft_shows_the_pattern_with_the_sequence_open(two_desks):
    desk = two_desks[0]
    content = PRIORITY.render(desk.meeting, desk, RenderOptions.create()).content
    assert number_in_heading(content) == f"000.1.2/..../DPUPRPRKP/{year()}"


def test_a_number_takes_the_year_of_the_meeting_not_the_year_it_is_finalised(
    two_desks, secretariat
):
    earlier, current = two_desks
    held_on(earlier.meeting, (2022, 7, 25, 9))
    old = finalise(earlier, secretariat)
    assert old.number == "000.1.2/1/DPUPRPRKP/2022"
    assert number_in_heading(old.file.read()) == old.number
    assert "25 Juli 2022" in flat(pdf_text(old.file.open().read()))
    # The meeting's year has a sequence of its own; the current year's starts at 1.
    assert finalise(current, secretariat).number == f"000.1.2/1/DPUPRPRKP/{year()}"
    assert dict(NumberSequence.objects.values_list("year", "last")) == {2022: 1, year(): 1}


def test_a_draft_prints_the_year_of_its_meeting(two_desks):
    desk = two_desks[0]
    held_on(desk.meeting, (2022, 7, 25, 9))
    content = PRIORITY.render(desk.meeting, desk, RenderOptions.create()).content
    assert number_in_heading(content) == "000.1.2/..../DPUPRPRKP/2022"


def test_a_meeting_at_the_end_of_a_year_numbers_in_that_year_its_rakorgub_in_the_next(
    package, secretariat
):
    """A RAKORTEK held in late December, its RAKORGUB in January: each document takes
    the year of its own date."""
    meeting, rakorgub = package.meeting, package.rakorgub
    held_on(meeting, (2025, 12, 29, 9))
    held_on(rakorgub, (2026, 1, 8, 9))
    assert SPECS["butir-kesepakatan"].number_year(meeting) == 2025
    assert SPECS["naskah-kesepakatan"].number_year(meeting) == 2026
    naskah = document_finalise(actor=secretariat, meeting=meeting, spec=SPECS["naskah-kesepakatan"])
    assert naskah.number == "000.1.2/1/DPUPRPRKP/2026"
    assert number_in_heading(naskah.file.read()) == naskah.number


def test_xlsx_versions_keep_their_internal_number(two_desks, secretariat):
    meeting = two_desks[0].meeting
    document = document_finalise(
        actor=secretariat, meeting=meeting, spec=SPECS["rekapitulasi-xlsx"]
    )
    assert document.number.startswith("REKAPITULASI-XLSX/")
    assert not NumberSequence.objects.filter(last__gt=0).exists()


@pytest.mark.parametrize(
    ("pattern", "valid"),
    [
        ("000.1.2/{nomor}/DPUPRPRKP/{tahun}", True),
        ("{nomor}/NOTULEN/{tahun}", True),
        ("000.1.2/DPUPRPRKP/{tahun}", False),
        ("000.1.2/{nomor}/{bidang}/{tahun}", False),
    ],
)
def test_a_pattern_needs_the_sequence_and_knows_only_nomor_and_tahun(pattern, valid):
    if valid:
        assert check_pattern(pattern) == pattern
        assert "17" in format_number(pattern, sequence=17, year=2026)
    else:
        with pytest.raises(Exception, match="nomor|tahun"):
            check_pattern(pattern)


def test_the_secretariat_sets_a_pattern_with_the_letterhead(as_secretariat):
    data = {
        "government": "PEMERINTAH PROVINSI KEPULAUAN BANGKA BELITUNG",
        "office": "DINAS PUPRPRKP",
        "address": "Jalan Pulau Bangka, Air Itam, Pangkalpinang",
        "contact": "",
        "city": "Pangkalpinang",
        "paper": "A4",
        "number_notulen": "000.1.3/{nomor}/DPUPRPRKP/{tahun}",
        "number_prioritas": "",
    }
    url = reverse("documents:office_profile")
    assert as_secretariat.post(url, data).status_code == 302
    profile = OfficeProfile.load()
    assert profile.number_pattern("notulen") == "000.1.3/{nomor}/DPUPRPRKP/{tahun}"
    assert profile.number_pattern("prioritas") == "000.1.2/{nomor}/DPUPRPRKP/{tahun}"
    refused = as_secretariat.post(url, {**data, "number_notulen": "000.1.3/DPUPRPRKP"})
    assert refused.status_code == 200
    assert "{nomor}" in refused.content.decode()
    assert OfficeProfile.load().number_pattern("notulen") == "000.1.3/{nomor}/DPUPRPRKP/{tahun}"


@pytest.mark.django_db(transaction=True)
def test_two_finalisations_at_once_get_consecutive_numbers_each_printed(two_desks, secretariat):
    if connection.vendor != "postgresql":
        pytest.skip("needs a database with row locks between connections (PostgreSQL)")
    barrier = threading.Barrier(2)
    errors = []

    def run(desk):
        try:
            barrier.wait()
            finalise(desk, secretariat)
        except Exception as error:  # noqa: BLE001 - reported by the assertions below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(desk,)) for desk in two_desks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    documents = list(FinalDocument.objects.filter(kind=PRIORITY.kind))
    assert sorted(d.number for d in documents) == [
        f"000.1.2/1/DPUPRPRKP/{year()}",
        f"000.1.2/2/DPUPRPRKP/{year()}",
    ]
    for document in documents:
        assert number_in_heading(document.file.read()) == document.number
    assert NumberSequence.objects.get(year=year()).last == 2
