"""The regions' assent with two people at once, on PostgreSQL: an answer sent while the
desk head locks is either recorded by the lock or refused, never lost between them; two
rounds opened at once make one."""

from datetime import timedelta

import pytest
from django.utils import timezone

from issues import services
from issues.board import services_assent
from issues.models import AssentItem, AssentRound, DeskLockRecord
from tests.issues.board.assent_helpers import decided_desk, open_round
from tests.issues.board.helpers import version
from tests.issues.followup.test_followup_concurrency import at_once

pytestmark = pytest.mark.django_db(transaction=True)
NOTE = "Mohon ditinjau kembali."


@pytest.mark.parametrize("attempt", range(3))
def test_an_answer_racing_the_lock_is_recorded_or_refused(
    attempt, desk_bina_marga, secretariat, kabid_bina_marga, delegate_pangkalpinang
):
    _own, joint = decided_desk(desk_bina_marga, secretariat, kabid_bina_marga)
    assent_round = open_round(desk_bina_marga, kabid_bina_marga)
    item = assent_round.items.get(issue=joint, region__slug="pangkalpinang")
    board_version = version(desk_bina_marga)

    def answer():
        services_assent.assent_answer(
            actor=delegate_pangkalpinang, item=item, answer="keberatan", note=NOTE
        )

    def lock():
        services.desk_lock(
            actor=kabid_bina_marga,
            desk=desk_bina_marga,
            version=board_version,
            confirm_open_assent=True,
        )

    errors = at_once(answer, lock)
    assert all(isinstance(error, services.IssueError) for error in errors)
    assert len(errors) <= 1
    item.refresh_from_db()
    record = DeskLockRecord.objects.get(desk=desk_bina_marga)
    recorded = next(
        a
        for a in record.detail["answers"]
        if a["issue"] == joint.code and a["region"] == "Kota Pangkalpinang"
    )
    # What the lock recorded is what the item holds: saved before the lock, or refused.
    assert (recorded["answer"], recorded["note"]) == (item.answer, item.note)
    assert (item.answer == "") == bool(errors)
    assert AssentRound.objects.get(pk=assent_round.pk).closed_at is not None


def test_two_rounds_opened_at_once_make_one(desk_bina_marga, secretariat, kabid_bina_marga):
    decided_desk(desk_bina_marga, secretariat, kabid_bina_marga)
    seen = version(desk_bina_marga)
    deadline = timezone.now() + timedelta(hours=1)

    def ask():
        services_assent.assent_open(
            actor=kabid_bina_marga, desk=desk_bina_marga, deadline=deadline, version=seen
        )

    errors = at_once(ask, ask)
    assert len(errors) == 1 and isinstance(errors[0], services.StaleBoard)
    assert AssentRound.objects.filter(desk=desk_bina_marga).count() == 1
    assert AssentItem.objects.count() == 3
