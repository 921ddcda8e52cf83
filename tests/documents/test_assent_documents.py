"""The regions' objections to a desk's decisions, with their notes, in the desk minutes
and in the annex of the berita acara, read back from the PDF."""

from datetime import timedelta

import pytest
from django.utils import timezone

from issues import services
from issues.agreement.services import agreement_point_create
from issues.board import services_assent
from issues.board.selectors import board_state
from issues.models import AssentItem, DeskState, Issue
from rakortek.documents.catalog import SPECS
from rakortek.documents.rendering import RenderOptions
from tests.documents.conftest import flat, pdf_text
from tests.factories import MinutesFactory, region

pytestmark = pytest.mark.django_db

OBJECTION = "Ruas Lingkar Timur harus menjadi Prioritas karena akses pelabuhan."


@pytest.fixture
def answered_and_locked(
    decided_desk, kabid_bina_marga, delegate_pangkalpinang, delegate_bangka, secretariat
):
    """Bina Marga asks the regions, Bangka agrees to its issue, Pangkalpinang objects to
    the joint Reserve decision, the other regions stay silent; the desk locks."""
    DeskState.objects.filter(desk=decided_desk).update(locked_at=None)
    agreement_point_create(
        actor=secretariat,
        desk=decided_desk,
        data={"text": "Inventarisasi jalan rusak", "responsible": "Dinas PU", "due": "2023"},
    )
    assent_round = services_assent.assent_open(
        actor=kabid_bina_marga,
        desk=decided_desk,
        deadline=timezone.now() + timedelta(hours=1),
        version=board_state(decided_desk).version,
    )
    priority = Issue.objects.get(desk=decided_desk, decision=Issue.Decision.PRIORITY)
    reserve = Issue.objects.get(desk=decided_desk, decision=Issue.Decision.RESERVE)
    services_assent.assent_answer(
        actor=delegate_bangka,
        item=assent_round.items.get(issue=priority, region=region("bangka")),
        answer=AssentItem.Answer.AGREE,
    )
    services_assent.assent_answer(
        actor=delegate_pangkalpinang,
        item=assent_round.items.get(issue=reserve, region=region("pangkalpinang")),
        answer=AssentItem.Answer.OBJECT,
        note=OBJECTION,
    )
    services.desk_lock(
        actor=kabid_bina_marga,
        desk=decided_desk,
        version=board_state(decided_desk).version,
        set_aside_reason="Data belum lengkap.",
        confirm_open_assent=True,
    )
    return reserve


def test_the_desk_minutes_list_the_objection_with_its_note(
    monday_meeting, decided_desk, answered_and_locked
):
    MinutesFactory(meeting=monday_meeting, desk=decided_desk)
    output = SPECS["notulen-desk"].render(monday_meeting, decided_desk, RenderOptions.create())
    text = flat(pdf_text(output.content))
    assert "Persetujuan Daerah atas Keputusan Desk" in text
    # One agreed; one objected; the Reserve issue's other region and the redirected
    # issue's region did not answer.
    assert "Setuju 1, Keberatan 1, tidak menjawab 2" in text
    assert answered_and_locked.code in text
    assert flat(OBJECTION) in text


def test_the_berita_acara_annex_lists_the_objection(
    monday_meeting, decided_desk, answered_and_locked
):
    output = SPECS["butir-kesepakatan"].render(monday_meeting, None, RenderOptions.create())
    text = flat(pdf_text(output.content))
    annex = text.split("Lampiran: Keberatan Daerah atas Keputusan Desk", 1)
    assert len(annex) == 2
    assert "Bidang Bina Marga" in annex[1]
    assert flat(OBJECTION) in annex[1]
    assert "Kota Pangkalpinang" in annex[1]


def test_without_a_round_the_documents_print_no_assent_section(monday_meeting, decided_desk):
    MinutesFactory(meeting=monday_meeting, desk=decided_desk)
    output = SPECS["notulen-desk"].render(monday_meeting, decided_desk, RenderOptions.create())
    assert "Persetujuan Daerah" not in flat(pdf_text(output.content))
