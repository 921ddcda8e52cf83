"""export_documents writes every document of a meeting; bench_documents runs and leaves nothing."""

import hashlib
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from meetings.models import Meeting, Participant
from meetings.services import participant_check_in
from rakortek.accounts.models import User
from rakortek.documents.catalog import SPECS
from rakortek.documents.models import FinalDocument
from rakortek.documents.services import document_finalise
from tests.documents.conftest import decided_issue, pdf_reader, pdf_text
from tests.factories import MinutesFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_meeting(monday_meeting, decided_desk, desk_sda, secretariat):
    decided_issue(desk_sda, "pangkalpinang", rank=1, decision="prioritas")
    MinutesFactory(meeting=monday_meeting, chair_name="Kepala Dinas")
    participant_check_in(
        participant=ParticipantFactory(meeting=monday_meeting, name="Budi Santoso"),
        via=Participant.Via.SECRETARIAT,
        actor=secretariat,
    )
    return monday_meeting


def export(*args):
    out = io.StringIO()
    call_command("export_documents", *args, stdout=out)
    return out.getvalue()


def test_export_writes_every_available_document_and_says_what_it_wrote(full_meeting, tmp_path):
    output = export(full_meeting.slug, "--out", str(tmp_path / "out"))
    folder = tmp_path / "out"
    names = sorted(path.name for path in folder.iterdir())
    assert names == [
        "daftar-hadir.pdf",
        "notulen.pdf",
        "prioritas-bina-marga.pdf",
        "prioritas-sumber-daya-air.pdf",
        "rekapitulasi.pdf",
        "rekapitulasi.xlsx",
    ]
    for name in names:
        if name.endswith(".pdf"):
            pages = len(pdf_reader((folder / name).read_bytes()).pages)
            line = next(line for line in output.splitlines() if name in line)
            assert "draft" in line
            assert f"{pages} page" in line
    assert "Budi Santoso" in pdf_text((folder / "daftar-hadir.pdf").read_bytes())
    load_workbook(folder / "rekapitulasi.xlsx")
    assert "butir-kesepakatan.pdf" in output and "skipped" in output
    assert "6 files written." in output


def test_export_copies_the_stored_final_version(full_meeting, decided_desk, secretariat, tmp_path):
    document = document_finalise(
        actor=secretariat, meeting=full_meeting, spec=SPECS["prioritas"], desk=decided_desk
    )
    output = export(str(full_meeting.pk), "--out", str(tmp_path))
    content = (tmp_path / "prioritas-bina-marga.pdf").read_bytes()
    assert hashlib.sha256(content).hexdigest() == document.sha256
    assert "final v1" in output
    # --drafts renders it afresh instead.
    export(full_meeting.slug, "--out", str(tmp_path), "--drafts")
    again = (tmp_path / "prioritas-bina-marga.pdf").read_bytes()
    assert hashlib.sha256(again).hexdigest() != document.sha256
    assert "DRAF" in pdf_text(again)
    assert FinalDocument.objects.count() == 1


def test_export_of_an_unknown_meeting_fails_clearly(tmp_path):
    with pytest.raises(CommandError):
        export("tidak-ada", "--out", str(tmp_path))


def test_bench_runs_at_a_tiny_size_and_leaves_nothing_behind():
    out = io.StringIO()
    call_command("bench_documents", "--sizes", "3", "--static", "development", stdout=out)
    lines = out.getvalue().splitlines()
    for name in ["rekapitulasi.pdf", "rekapitulasi.xlsx", "notulen.pdf"]:
        assert any(line.split()[1:2] == [name] for line in lines if line.strip()), name
    assert any("prioritas-" in line for line in lines)
    assert not Meeting.objects.filter(slug__startswith="bench-documents").exists()
    assert not User.objects.filter(username="bench-documents").exists()


def test_bench_renders_from_static_files_collected_as_on_a_server_by_default():
    out = io.StringIO()
    call_command("bench_documents", "--sizes", "1", "--no-memory", stdout=out)
    lines = out.getvalue().splitlines()
    assert any("production static files" in line for line in lines)
    assert any(line.split()[1:2] == ["rekapitulasi.pdf"] for line in lines if line.strip())
