"""The regions' assent: the desk opens a round, each region answers for its own issues
(joint ones too) before the deadline, the desk asks again after revising, and the lock
records the outcome."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from issues import services
from issues.board import assent, services_assent
from issues.models import AssentItem, AssentRound, DeskLockRecord, Issue, IssueEvent
from rakortek.models import OutgoingMail
from tests.factories import region
from tests.issues.board.assent_helpers import decided_desk, open_round
from tests.issues.board.helpers import version

pytestmark = pytest.mark.django_db
A = AssentItem.Answer
D = Issue.Decision


@pytest.fixture
def decided(desk_bina_marga, secretariat, kabid_bina_marga):
    return decided_desk(desk_bina_marga, secretariat, kabid_bina_marga)


def item(assent_round, issue, slug):
    return assent_round.items.get(issue=issue, region=region(slug))


def test_opening_asks_every_region_of_every_decided_issue_and_mails_its_delegates(
    decided, desk_bina_marga, kabid_bina_marga, delegate_pangkalpinang, delegate_bangka
):
    own, joint = decided
    assent_round = open_round(desk_bina_marga, kabid_bina_marga)
    asked = {(i.issue_id, i.region.slug) for i in assent_round.items.select_related("region")}
    assert asked == {
        (own.pk, "pangkalpinang"),
        (joint.pk, "bangka"),
        (joint.pk, "pangkalpinang"),
    }
    reserve = item(assent_round, joint, "bangka")
    assert reserve.decision == D.RESERVE
    assert reserve.wording == "Menunggu DED selesai."
    mails = OutgoingMail.objects.filter(purpose="assent_asked")
    assert set(mails.values_list("to", flat=True)) == {
        delegate_pangkalpinang.email,
        delegate_bangka.email,
    }
    mail = mails.first()
    assert "Bina Marga" in mail.subject
    assert "/persetujuan/" in mail.body
    assert timezone.localtime(assent_round.deadline).strftime("%H.%M") in mail.body
    assert "Setuju, atau Keberatan dengan catatan" in mail.body
    event = own.events.get(kind=IssueEvent.Kind.ASSENT_ASKED)
    assert event.detail["asked"] == ["Kota Pangkalpinang"]


def test_the_wording_is_the_agreement_points_sentence_where_there_is_one(
    decided, desk_bina_marga, kabid_bina_marga
):
    from issues.agreement.services import agreement_point_create

    own, _joint = decided
    agreement_point_create(
        actor=kabid_bina_marga,
        desk=desk_bina_marga,
        data={
            "text": "Rehabilitasi Jembatan Rangkui didanai bantuan keuangan provinsi.",
            "responsible": "Dinas PUPR Provinsi",
            "due": "Tahun Anggaran 2027",
        },
        source_issues=[own],
    )
    assent_round = open_round(desk_bina_marga, kabid_bina_marga)
    assert item(assent_round, own, "pangkalpinang").wording.startswith("Rehabilitasi Jembatan")


def test_the_deadline_must_be_in_the_future(decided, desk_bina_marga, kabid_bina_marga):
    with pytest.raises(services.IssueError) as refused:
        services_assent.assent_open(
            actor=kabid_bina_marga,
            desk=desk_bina_marga,
            deadline=timezone.now() - timedelta(minutes=1),
            version=version(desk_bina_marga),
        )
    assert "masa depan" in refused.value.message
    assert not AssentRound.objects.exists()


def test_a_delegate_answers_for_a_joint_issue_and_the_history_keeps_it(
    decided, desk_bina_marga, kabid_bina_marga, delegate_pangkalpinang
):
    _own, joint = decided
    assent_round = open_round(desk_bina_marga, kabid_bina_marga)
    answered = services_assent.assent_answer(
        actor=delegate_pangkalpinang,
        item=item(assent_round, joint, "pangkalpinang"),
        answer=A.OBJECT,
        note="Ruas kota harus masuk Prioritas.",
    )
    assert (answered.answer, answered.answered_by) == (A.OBJECT, delegate_pangkalpinang)
    event = joint.events.get(kind=IssueEvent.Kind.ASSENT_ANSWERED)
    assert event.actor == delegate_pangkalpinang
    assert event.reason == "Ruas kota harus masuk Prioritas."
    assert event.detail == {"round": 1, "region": "Kota Pangkalpinang", "answer": "keberatan"}


def test_an_objection_needs_a_note(decided, desk_bina_marga, kabid_bina_marga, delegate_bangka):
    _own, joint = decided
    assent_round = open_round(desk_bina_marga, kabid_bina_marga)
    with pytest.raises(services.IssueError) as refused:
        services_assent.assent_answer(
            actor=delegate_bangka, item=item(assent_round, joint, "bangka"), answer=A.OBJECT
        )
    assert "alasan keberatan" in refused.value.message
    assert item(assent_round, joint, "bangka").answer == ""


def test_a_delegate_cannot_answer_for_another_region(
    decided, desk_bina_marga, kabid_bina_marga, delegate_bangka, secretariat
):
    own, _joint = decided
    assent_round = open_round(desk_bina_marga, kabid_bina_marga)
    for actor in (delegate_bangka, secretariat, kabid_bina_marga):
        with pytest.raises(PermissionDenied):
            services_assent.assent_answer(
                actor=actor, item=item(assent_round, own, "pangkalpinang"), answer=A.AGREE
            )
    assert item(assent_round, own, "pangkalpinang").answer == ""


def test_an_answer_after_the_deadline_is_refused_with_the_deadline(
    decided, desk_bina_marga, kabid_bina_marga, delegate_pangkalpinang
):
    own, _joint = decided
    assent_round = open_round(desk_bina_marga, kabid_bina_marga)
    AssentRound.objects.filter(pk=assent_round.pk).update(
        deadline=timezone.now() - timedelta(seconds=1)
    )
    with pytest.raises(services.IssueError) as refused:
        services_assent.assent_answer(
            actor=delegate_pangkalpinang,
            item=item(assent_round, own, "pangkalpinang"),
            answer=A.AGREE,
        )
    assert "Batas waktu" in refused.value.message
    assert not own.events.filter(kind=IssueEvent.Kind.ASSENT_ANSWERED).exists()


def test_asking_again_keeps_unchanged_answers_and_asks_again_where_the_decision_changed(
    decided, desk_bina_marga, kabid_bina_marga, delegate_pangkalpinang, delegate_bangka
):
    own, joint = decided
    first = open_round(desk_bina_marga, kabid_bina_marga)
    services_assent.assent_answer(
        actor=delegate_pangkalpinang, item=item(first, own, "pangkalpinang"), answer=A.AGREE
    )
    services_assent.assent_answer(
        actor=delegate_bangka,
        item=item(first, joint, "bangka"),
        answer=A.OBJECT,
        note="Mohon jadi Prioritas.",
    )
    assert assent.round_view(first).changed == []
    services.issue_decide(
        actor=kabid_bina_marga,
        issue=joint,
        decision=D.PRIORITY,
        version=version(desk_bina_marga),
    )
    assert [i.pk for i in assent.round_view(first).changed] == [joint.pk]
    OutgoingMail.objects.all().delete()
    second = open_round(desk_bina_marga, kabid_bina_marga)
    first.refresh_from_db()
    assert first.closed_at is not None
    kept = item(second, own, "pangkalpinang")
    assert (kept.answer, kept.carried) == (A.AGREE, True)
    assert item(second, joint, "bangka").answer == ""
    assert item(second, joint, "pangkalpinang").answer == ""
    # The first round's answers stay as they were, and answering it is refused.
    assert item(first, joint, "bangka").note == "Mohon jadi Prioritas."
    with pytest.raises(services.IssueError):
        services_assent.assent_answer(
            actor=delegate_bangka, item=item(first, joint, "bangka"), answer=A.AGREE
        )
    # Both regions of the revised joint issue are asked again.
    assert OutgoingMail.objects.filter(purpose="assent_asked").count() == 2


def test_locking_before_the_deadline_asks_for_confirmation_then_records_the_outcome(
    decided, desk_bina_marga, kabid_bina_marga, delegate_pangkalpinang, delegate_bangka
):
    own, joint = decided
    assent_round = open_round(desk_bina_marga, kabid_bina_marga)
    services_assent.assent_answer(
        actor=delegate_pangkalpinang, item=item(assent_round, own, "pangkalpinang"), answer="setuju"
    )
    services_assent.assent_answer(
        actor=delegate_bangka,
        item=item(assent_round, joint, "bangka"),
        answer=A.OBJECT,
        note="Jalan lingkar mendesak.",
    )
    with pytest.raises(services.AssentStillOpen):
        services.desk_lock(
            actor=kabid_bina_marga, desk=desk_bina_marga, version=version(desk_bina_marga)
        )
    services.desk_lock(
        actor=kabid_bina_marga,
        desk=desk_bina_marga,
        version=version(desk_bina_marga),
        confirm_open_assent=True,
    )
    record = DeskLockRecord.objects.get(desk=desk_bina_marga)
    assert record.round == assent_round
    answers = {(a["issue"], a["region"]): a for a in record.detail["answers"]}
    assert answers[(own.code, "Kota Pangkalpinang")]["answer"] == "setuju"
    assert answers[(joint.code, "Kabupaten Bangka")]["note"] == "Jalan lingkar mendesak."
    assert answers[(joint.code, "Kota Pangkalpinang")]["answer"] == ""
    assert record.detail["deadline_passed"] is False
    assert [o["note"] for o in assent.objections(desk_bina_marga)] == ["Jalan lingkar mendesak."]
    # The round is closed: no answer after the lock.
    with pytest.raises(services.IssueError):
        services_assent.assent_answer(
            actor=delegate_pangkalpinang,
            item=item(assent_round, joint, "pangkalpinang"),
            answer=A.AGREE,
        )


def test_after_the_deadline_the_desk_locks_without_confirmation_despite_silence(
    decided, desk_bina_marga, kabid_bina_marga
):
    assent_round = open_round(desk_bina_marga, kabid_bina_marga)
    AssentRound.objects.filter(pk=assent_round.pk).update(
        deadline=timezone.now() - timedelta(minutes=5)
    )
    services.desk_lock(
        actor=kabid_bina_marga, desk=desk_bina_marga, version=version(desk_bina_marga)
    )
    record = DeskLockRecord.objects.get(desk=desk_bina_marga)
    assert record.detail["deadline_passed"] is True
    assert {a["answer"] for a in record.detail["answers"]} == {""}


def test_a_lock_without_a_round_is_recorded_empty(decided, desk_bina_marga, kabid_bina_marga):
    services.desk_lock(
        actor=kabid_bina_marga, desk=desk_bina_marga, version=version(desk_bina_marga)
    )
    record = DeskLockRecord.objects.get(desk=desk_bina_marga)
    assert (record.round, record.detail) == (None, {})


def test_a_round_cannot_open_on_a_locked_desk(decided, desk_bina_marga, kabid_bina_marga):
    services.desk_lock(
        actor=kabid_bina_marga, desk=desk_bina_marga, version=version(desk_bina_marga)
    )
    with pytest.raises(services.BoardLocked):
        open_round(desk_bina_marga, kabid_bina_marga)
