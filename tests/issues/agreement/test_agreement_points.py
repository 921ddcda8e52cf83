"""Agreement points: drafting from the Priority issues, gap-free order, history, the lock
of a final document and its reopening, and the source issues becoming Disepakati."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from issues.agreement import services as agreement
from issues.agreement.services import (
    PointsLocked,
    agreement_point_create,
    agreement_point_delete,
    agreement_point_move,
    agreement_point_update,
    agreement_points_agree,
    agreement_points_draft_from_priorities,
)
from issues.models import AgreementPoint, AgreementPointEvent, Issue, IssueEvent
from issues.services import IssueError
from rakortek.documents.models import FinalDocument
from tests.factories import IssueFactory, region

P = Issue.Decision.PRIORITY


def board_issue(desk, region_slug="pangkalpinang", *, rank=None, decision="", **fields):
    """A submitted issue on `desk`'s board with the desk's rank and decision already set."""
    issue = IssueFactory(desk=desk, region=region(region_slug), **fields)
    number = Issue.objects.filter(desk=desk, number__isnull=False).count() + 1
    Issue.objects.filter(pk=issue.pk).update(
        number=number,
        status=decision or Issue.Status.VERIFIED,
        submitted_at=timezone.now(),
        rank=rank,
        decision=decision,
        decision_reason="" if decision in ("", P) else "Alasan.",
    )
    issue.refresh_from_db()
    return issue


def orders(desk):
    return list(
        AgreementPoint.objects.filter(desk=desk).order_by("order").values_list("order", "text")
    )


def finalise(meeting, user, *, reopened=False):
    """A current final agreement document, as the documents layer stores it."""
    return FinalDocument.objects.create(
        meeting=meeting,
        kind=FinalDocument.Kind.AGREEMENT,
        title="Draft Butir Kesepakatan",
        number=f"BUTIR-KESEPAKATAN/{meeting.slug.upper()}/V1",
        version=1,
        file="dokumen/x.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
        verification_code=f"kode-{meeting.pk}",
        finalised_by=user,
        reopened_at=timezone.now() if reopened else None,
        reopened_by=user if reopened else None,
        reopen_reason="Koreksi penanggung jawab." if reopened else "",
    )


@pytest.fixture
def priorities(desk_bina_marga):
    """Three Priority issues ranked 2, 1, 3 (created out of order), one Reserve, one joint."""
    second = board_issue(
        desk_bina_marga,
        "bangka",
        rank=2,
        decision=P,
        title="Rekonstruksi ruas Sungailiat - Belinyu",
        proposing_office="DPUPR Kabupaten Bangka",
        proposed_handling="Rekonstruksi perkerasan sepanjang 4,5 km",
        support_requested="Dukungan APBD Provinsi TA 2023.",
        authority=Issue.Authority.PROVINCE,
    )
    first = board_issue(
        desk_bina_marga,
        "pangkalpinang",
        rank=1,
        decision=P,
        title="Pelebaran Jalan Lingkar Timur",
        proposing_office="DPUPRPKP",
        authority=Issue.Authority.REGENCY,
    )
    third = board_issue(
        desk_bina_marga,
        "belitung",
        rank=3,
        decision=P,
        title="Jembatan Sungai Cerucuk",
        proposing_office="Dinas PUPR Kabupaten Belitung",
        authority=Issue.Authority.CENTRAL,
    )
    third.joint_regions.set([region("belitung-timur")])
    reserve = board_issue(desk_bina_marga, "bangka-barat", rank=4, decision=Issue.Decision.RESERVE)
    return first, second, third, reserve


# ---- Drafting ----


def test_drafting_makes_one_point_per_priority_issue_in_rank_order(
    desk_bina_marga, kabid_bina_marga, priorities
):
    first, second, third, reserve = priorities
    points = agreement_points_draft_from_priorities(desk=desk_bina_marga, user=kabid_bina_marga)
    assert [p.order for p in points] == [1, 2, 3]
    assert [list(p.source_issues.all()) for p in points] == [[first], [second], [third]]
    assert not reserve.agreement_points.exists()


def test_drafted_points_are_prefilled_from_the_issue(desk_bina_marga, kabid_bina_marga, priorities):
    agreement_points_draft_from_priorities(desk=desk_bina_marga, user=kabid_bina_marga)
    first, second, third = AgreementPoint.objects.filter(desk=desk_bina_marga).order_by("order")
    # Who, agrees to do what, where, how much, funded by whom, in which budget year.
    assert second.text.startswith(
        "Pemerintah Provinsi Kepulauan Bangka Belitung dan Pemerintah Kabupaten Bangka "
        "sepakat melaksanakan rekonstruksi perkerasan sepanjang 4,5 km "
        "(rekonstruksi ruas Sungailiat - Belinyu), di "
    )
    assert second.text.endswith("pada Tahun Anggaran 2023.")
    # Regency authority: the regency agrees, the province supports.
    assert first.text.startswith("Pemerintah Kota Pangkalpinang sepakat melaksanakan")
    assert first.text.endswith(
        ", dengan dukungan teknis Pemerintah Provinsi Kepulauan Bangka Belitung."
    )
    # Provincial authority: the province's office and the proposing office.
    assert second.responsible == (
        "Dinas PUPRPRKP Provinsi Kepulauan Bangka Belitung; DPUPR Kabupaten Bangka"
    )
    # Regency authority: the proposing office, named with its region when it does not say it.
    assert first.responsible == "DPUPRPKP Kota Pangkalpinang"
    assert "Pemerintah Pusat" in third.responsible
    assert {p.due for p in (first, second, third)} == {"Tahun Anggaran 2023"}
    # The regions come from the source issues, joint regions included.
    assert {r.slug for r in third.regions.all()} == {"belitung", "belitung-timur"}
    # A joint issue names every region; central authority: proposed to the central government.
    assert third.text.startswith(
        "Pemerintah Provinsi Kepulauan Bangka Belitung, Pemerintah Kabupaten Belitung, dan "
        "Pemerintah Kabupaten Belitung Timur sepakat mengusulkan kepada Pemerintah Pusat"
    )
    assert "di Kabupaten Belitung dan Kabupaten Belitung Timur" in third.text


def test_a_joint_regency_issue_reads_as_one_agreement_of_every_region(desk_bina_marga):
    from decimal import Decimal

    issue = board_issue(
        desk_bina_marga,
        "bangka-tengah",
        rank=1,
        decision=P,
        title="Ruas Koba - Toboali",
        proposed_handling="Peningkatan struktur jalan",
        place="",
        village="",
        district="",
        volume=Decimal("12.5"),
        unit="km",
        estimated_cost=Decimal("42000000000"),
        funding_source=Issue.FundingSource.APBD_REGENCY,
        authority=Issue.Authority.REGENCY,
    )
    issue.joint_regions.set([region("bangka-selatan")])
    assert agreement.agreement_sentence(issue) == (
        "Pemerintah Kabupaten Bangka Tengah dan Pemerintah Kabupaten Bangka Selatan sepakat "
        "melaksanakan peningkatan struktur jalan (ruas Koba - Toboali), "
        "di Kabupaten Bangka Tengah dan Kabupaten Bangka Selatan, "
        "sebanyak 12,5 km dengan perkiraan biaya Rp42.000.000.000, "
        "yang didanai dari APBD Kabupaten Bangka Tengah dan APBD Kabupaten Bangka Selatan "
        f"pada Tahun Anggaran {issue.meeting.year + 1}, "
        "dengan dukungan teknis Pemerintah Provinsi Kepulauan Bangka Belitung."
    )


def test_drafting_again_adds_only_issues_without_a_point(
    desk_bina_marga, kabid_bina_marga, priorities
):
    agreement_points_draft_from_priorities(desk=desk_bina_marga, user=kabid_bina_marga)
    assert agreement_points_draft_from_priorities(desk=desk_bina_marga, user=kabid_bina_marga) == []
    late = board_issue(desk_bina_marga, "bangka-tengah", rank=5, decision=P, title="Ruas Koba")
    added = agreement_points_draft_from_priorities(desk=desk_bina_marga, user=kabid_bina_marga)
    assert [(p.order, list(p.source_issues.all())) for p in added] == [(4, [late])]
    assert AgreementPoint.objects.filter(desk=desk_bina_marga).count() == 4


def test_drafting_records_each_point_in_the_history(desk_bina_marga, kabid_bina_marga, priorities):
    agreement_points_draft_from_priorities(desk=desk_bina_marga, user=kabid_bina_marga)
    events = AgreementPointEvent.objects.filter(desk=desk_bina_marga)
    assert events.count() == 3
    assert {e.kind for e in events} == {AgreementPointEvent.Kind.DRAFTED}
    assert {e.actor for e in events} == {kabid_bina_marga}


# ---- Order ----


def _three(desk, user):
    return [
        agreement_point_create(
            actor=user, desk=desk, data={"text": text, "responsible": "Dinas", "due": "2023"}
        )
        for text in ("satu", "dua", "tiga")
    ]


def test_new_points_go_to_the_end(desk_bina_marga, secretariat):
    _three(desk_bina_marga, secretariat)
    assert orders(desk_bina_marga) == [(1, "satu"), (2, "dua"), (3, "tiga")]


def test_moves_swap_with_the_neighbour_and_stay_gap_free(desk_bina_marga, secretariat):
    one, two, three = _three(desk_bina_marga, secretariat)
    agreement_point_move(actor=secretariat, point=three, direction="up")
    assert orders(desk_bina_marga) == [(1, "satu"), (2, "tiga"), (3, "dua")]
    agreement_point_move(actor=secretariat, point=one, direction="down")
    assert orders(desk_bina_marga) == [(1, "tiga"), (2, "satu"), (3, "dua")]
    agreement_point_move(actor=secretariat, point=three, direction="down")
    assert orders(desk_bina_marga) == [(1, "satu"), (2, "tiga"), (3, "dua")]
    moves = AgreementPointEvent.objects.filter(kind=AgreementPointEvent.Kind.MOVED)
    assert [(e.detail["from_order"], e.detail["order"]) for e in moves.order_by("id")] == [
        (3, 2),
        (1, 2),
        (1, 2),
    ]


def test_moving_up_from_the_top_changes_nothing(desk_bina_marga, secretariat):
    one, two, three = _three(desk_bina_marga, secretariat)
    agreement_point_move(actor=secretariat, point=one, direction="up")
    agreement_point_move(actor=secretariat, point=three, direction="down")
    assert orders(desk_bina_marga) == [(1, "satu"), (2, "dua"), (3, "tiga")]
    assert not AgreementPointEvent.objects.filter(kind=AgreementPointEvent.Kind.MOVED).exists()


def test_deleting_closes_the_gap(desk_bina_marga, secretariat):
    one, two, three = _three(desk_bina_marga, secretariat)
    four = agreement_point_create(
        actor=secretariat,
        desk=desk_bina_marga,
        data={"text": "empat", "responsible": "", "due": ""},
    )
    agreement_point_delete(actor=secretariat, point=two)
    assert orders(desk_bina_marga) == [(1, "satu"), (2, "tiga"), (3, "empat")]
    agreement_point_delete(actor=secretariat, point=one)
    assert orders(desk_bina_marga) == [(1, "tiga"), (2, "empat")]
    agreement_point_delete(actor=secretariat, point=four)
    assert orders(desk_bina_marga) == [(1, "tiga")]
    deleted = AgreementPointEvent.objects.filter(kind=AgreementPointEvent.Kind.DELETED)
    assert sorted(e.detail["text"] for e in deleted) == ["dua", "empat", "satu"]
    assert all(e.point is None for e in deleted)


def test_orders_are_per_desk(desk_bina_marga, desk_sda, secretariat):
    _three(desk_bina_marga, secretariat)
    other = agreement_point_create(
        actor=secretariat, desk=desk_sda, data={"text": "sda", "responsible": "", "due": ""}
    )
    assert other.order == 1


# ---- Edits ----


def test_an_edit_records_what_changed_and_what_it_was(
    desk_bina_marga, kabid_bina_marga, priorities
):
    first = priorities[0]
    point = agreement_point_create(
        actor=kabid_bina_marga,
        desk=desk_bina_marga,
        data={"text": "Lama", "responsible": "Dinas", "due": "2023"},
        source_issues=[first],
    )
    agreement_point_update(
        actor=kabid_bina_marga,
        point=point,
        data={"text": "Baru", "responsible": "Dinas", "due": "2023"},
        source_issues=[first, priorities[1]],
    )
    point.refresh_from_db()
    assert point.text == "Baru"
    assert point.updated_by == kabid_bina_marga
    assert {r.slug for r in point.regions.all()} == {"pangkalpinang", "bangka"}
    edit = AgreementPointEvent.objects.get(kind=AgreementPointEvent.Kind.EDITED)
    assert edit.detail["changed"] == ["text", "source_issues"]
    assert edit.detail["before"] == {"text": "Lama"}


def test_an_unchanged_save_records_nothing(desk_bina_marga, secretariat):
    point = agreement_point_create(
        actor=secretariat, desk=desk_bina_marga, data={"text": "Sama", "responsible": "", "due": ""}
    )
    agreement_point_update(
        actor=secretariat, point=point, data={"text": "Sama", "responsible": "", "due": ""}
    )
    assert not AgreementPointEvent.objects.filter(kind=AgreementPointEvent.Kind.EDITED).exists()


def test_a_point_needs_its_text(desk_bina_marga, secretariat):
    with pytest.raises(IssueError):
        agreement_point_create(
            actor=secretariat,
            desk=desk_bina_marga,
            data={"text": "  ", "responsible": "", "due": ""},
        )


def test_a_point_cannot_come_from_another_desks_issue(desk_bina_marga, desk_sda, secretariat):
    foreign = board_issue(desk_sda, decision=P, rank=1)
    with pytest.raises(IssueError):
        agreement_point_create(
            actor=secretariat,
            desk=desk_bina_marga,
            data={"text": "x", "responsible": "", "due": ""},
            source_issues=[foreign],
        )


def test_only_the_chair_and_the_secretariat_write(
    desk_bina_marga, kabid_sda, observer, delegate_pangkalpinang, priorities
):
    for user in (kabid_sda, observer, delegate_pangkalpinang):
        with pytest.raises(PermissionDenied):
            agreement_points_draft_from_priorities(desk=desk_bina_marga, user=user)
    assert not AgreementPoint.objects.exists()


# ---- Lock through the final document ----


def test_a_final_document_locks_every_write(desk_bina_marga, secretariat, priorities):
    one, two, _three_point = _three(desk_bina_marga, secretariat)
    finalise(desk_bina_marga.meeting, secretariat)
    data = {"text": "x", "responsible": "", "due": ""}
    writes = [
        lambda: agreement_point_create(actor=secretariat, desk=desk_bina_marga, data=data),
        lambda: agreement_point_update(actor=secretariat, point=one, data=data),
        lambda: agreement_point_move(actor=secretariat, point=two, direction="up"),
        lambda: agreement_point_delete(actor=secretariat, point=one),
        lambda: agreement_points_draft_from_priorities(desk=desk_bina_marga, user=secretariat),
    ]
    for write in writes:
        with pytest.raises(PointsLocked):
            write()
    assert orders(desk_bina_marga) == [(1, "satu"), (2, "dua"), (3, "tiga")]


def test_a_reopened_document_allows_edits_again(desk_bina_marga, secretariat):
    (one, *_rest) = _three(desk_bina_marga, secretariat)
    finalise(desk_bina_marga.meeting, secretariat, reopened=True)
    assert not agreement.points_are_locked(desk_bina_marga.meeting)
    agreement_point_update(
        actor=secretariat, point=one, data={"text": "Dikoreksi", "responsible": "", "due": ""}
    )
    assert orders(desk_bina_marga)[0] == (1, "Dikoreksi")


def test_an_earlier_version_does_not_lock(desk_bina_marga, secretariat):
    document = finalise(desk_bina_marga.meeting, secretariat)
    document.is_current = False
    document.save(update_fields=["is_current"])
    assert not agreement.points_are_locked(desk_bina_marga.meeting)


def test_another_meetings_document_does_not_lock(desk_bina_marga, secretariat):
    from tests.factories import MeetingFactory

    finalise(MeetingFactory(), secretariat)
    assert not agreement.points_are_locked(desk_bina_marga.meeting)


# ---- Disepakati ----


def test_finalising_makes_the_source_issues_agreed_with_history(
    desk_bina_marga, secretariat, priorities
):
    first, second, third, reserve = priorities
    agreement_points_draft_from_priorities(desk=desk_bina_marga, user=secretariat)
    changed = agreement_points_agree(
        actor=secretariat, meeting=desk_bina_marga.meeting, document_number="BK/1"
    )
    assert changed == 3
    statuses = dict(Issue.objects.filter(desk=desk_bina_marga).values_list("pk", "status"))
    assert [statuses[i.pk] for i in (first, second, third)] == [Issue.Status.AGREED] * 3
    assert statuses[reserve.pk] == Issue.Status.RESERVE
    event = IssueEvent.objects.get(issue=first, to_status=Issue.Status.AGREED)
    assert (event.from_status, event.actor, event.reason) == (
        Issue.Status.PRIORITY,
        secretariat,
        "Butir kesepakatan final BK/1",
    )
    # Again: nothing left to change.
    assert agreement_points_agree(actor=secretariat, meeting=desk_bina_marga.meeting) == 0


def test_an_issue_whose_point_was_removed_goes_back_to_its_decision(
    desk_bina_marga, secretariat, priorities
):
    first = priorities[0]
    points = agreement_points_draft_from_priorities(desk=desk_bina_marga, user=secretariat)
    agreement_points_agree(actor=secretariat, meeting=desk_bina_marga.meeting)
    agreement_point_delete(actor=secretariat, point=points[0])
    agreement_points_agree(actor=secretariat, meeting=desk_bina_marga.meeting)
    first.refresh_from_db()
    assert first.status == Issue.Status.PRIORITY


# ---- An issue a point comes from stays on the board ----


def test_an_issue_a_point_comes_from_cannot_be_withdrawn(
    desk_bina_marga, kabid_bina_marga, secretariat
):
    from issues.services import issue_withdraw

    verified = board_issue(desk_bina_marga, "pangkalpinang", title="Drainase Jalan Soekarno")
    agreement_point_create(
        actor=kabid_bina_marga,
        desk=desk_bina_marga,
        data={"text": "Drainase.", "responsible": "Dinas PUPRPRKP Provinsi", "due": "TA 2023"},
        source_issues=[verified],
    )
    with pytest.raises(IssueError, match=rf"{verified.code} .*butir kesepakatan 1"):
        issue_withdraw(actor=secretariat, issue=verified, reason="Salah desk")
    verified.refresh_from_db()
    assert verified.status == Issue.Status.VERIFIED


def test_an_issue_a_point_comes_from_cannot_be_merged(
    desk_bina_marga, kabid_bina_marga, priorities
):
    from issues.board.duplicates import issue_merge
    from issues.models import IssueSequence

    first, second, _third, reserve = priorities
    # board_issue numbers the issues itself; the joint issue takes the next number.
    IssueSequence.objects.update_or_create(desk=desk_bina_marga, defaults={"last_number": 10})
    agreement_points_draft_from_priorities(user=kabid_bina_marga, desk=desk_bina_marga)
    with pytest.raises(IssueError, match=rf"{first.code} .*butir kesepakatan 1"):
        issue_merge(primary=reserve, others=[first], user=kabid_bina_marga, reason="Sama")
    assert not Issue.objects.filter(merged_into__isnull=False).exists()
    # Once the desk takes it out of the point, it may be merged.
    agreement_point_delete(
        actor=kabid_bina_marga, point=AgreementPoint.objects.get(source_issues=first)
    )
    joint = issue_merge(primary=reserve, others=[first], user=kabid_bina_marga, reason="Sama")
    first.refresh_from_db()
    assert first.merged_into == joint
