"""The package forwarded to RAKORGUB and the follow-up rules, at the service level."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from PIL import Image

from issues.followup import services as followup
from issues.models import Issue, IssueEvent, PackageChange, PackagePoint, PackageSignatory
from issues.rakorgub import services as rakorgub
from tests.conftest import minimal_pdf

S = PackagePoint.Status


def photo(name="bukti.jpg"):
    out = BytesIO()
    Image.new("RGB", (64, 48), (120, 160, 90)).save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def report(point, actor, status, progress, *, files=(), note="Lelang selesai.", on=None):
    return followup.followup_record(
        actor=actor,
        point=point,
        status=status,
        progress=progress,
        reported_on=on or timezone.localdate(),
        note=note,
        files=files,
    )


@pytest.mark.parametrize(
    "due, expected",
    [
        ("Tahun Anggaran 2023", date(2023, 12, 31)),
        ("TA 2024", date(2024, 12, 31)),
        ("Triwulan III 2022", date(2022, 9, 30)),
        ("Semester I 2023", date(2023, 6, 30)),
        ("Juli 2023", date(2023, 7, 31)),
        ("Februari 2024", date(2024, 2, 29)),
        ("Segera", None),
    ],
)
def test_target_date_read_from_when(due, expected):
    assert rakorgub.target_from_due(due) == expected


def test_forwarding_freezes_the_points_with_their_links(agreed_meeting, secretariat):
    package = rakorgub.package_forward(actor=secretariat, meeting=agreed_meeting)
    points = list(rakorgub.package_points(package))
    assert [p.number for p in points] == [1, 2, 3]
    assert [p.desk.field.slug for p in points] == ["bina-marga", "bina-marga", "sumber-daya-air"]
    assert points[2].target_date == date(2023, 9, 30)
    assert sorted(r.slug for r in points[2].regions.all()) == ["bangka", "pangkalpinang"]
    assert all(p.source_issues.count() == 1 for p in points)
    assert package.document_number == f"BK/{agreed_meeting.slug.upper()}/V1"
    assert rakorgub.package_integrity(package)
    # Source issues are now forwarded, each change in their history.
    assert set(Issue.objects.filter(meeting=agreed_meeting).values_list("status", flat=True)) == {
        Issue.Status.FORWARDED
    }
    assert IssueEvent.objects.filter(to_status=Issue.Status.FORWARDED).count() == 3
    offices = list(package.signatories.values_list("office", flat=True))
    assert offices[0] == "Gubernur Kepulauan Bangka Belitung"
    assert "Wali Kota Pangkalpinang" in offices and "Bupati Bangka" in offices
    assert len(offices) == 8
    assert set(package.signatories.values_list("status", flat=True)) == {
        PackageSignatory.Status.PENDING
    }
    assert package.changes.get().kind == PackageChange.Kind.FORWARDED


def test_a_later_edit_of_the_agreement_point_does_not_touch_the_package(package):
    point = package.points.get(number=1)
    point.point.text = "Teks yang diubah sesudah diteruskan."
    point.point.save()
    point.refresh_from_db()
    assert point.text == "Pelebaran Jalan Lingkar Timur Kota Pangkalpinang."
    assert rakorgub.package_integrity(package)


def test_a_change_around_the_services_breaks_integrity(package):
    PackagePoint.objects.filter(package=package, number=2).update(text="Diubah langsung.")
    assert not rakorgub.package_integrity(package)


@translation.override("en")
def test_forwarding_twice_or_without_final_document_is_refused(agreed_meeting, secretariat):
    from rakortek.documents.models import FinalDocument

    FinalDocument.objects.filter(meeting=agreed_meeting).update(
        reopened_at=timezone.now(), reopened_by=secretariat, reopen_reason="Koreksi."
    )
    with pytest.raises(rakorgub.PackageError, match="Finalise"):
        rakorgub.package_forward(actor=secretariat, meeting=agreed_meeting)
    FinalDocument.objects.filter(meeting=agreed_meeting).update(
        reopened_at=None, reopened_by=None, reopen_reason=""
    )
    rakorgub.package_forward(actor=secretariat, meeting=agreed_meeting)
    with pytest.raises(rakorgub.PackageError, match="already"):
        rakorgub.package_forward(actor=secretariat, meeting=agreed_meeting)


def test_only_the_secretariat_forwards(agreed_meeting, kabid_bina_marga, observer):
    for user in (kabid_bina_marga, observer):
        with pytest.raises(PermissionDenied):
            rakorgub.package_forward(actor=user, meeting=agreed_meeting)


def test_no_follow_up_before_signing(package, secretariat):
    point = package.points.get(number=1)
    with pytest.raises(PermissionDenied):
        report(point, secretariat, S.IN_PROGRESS, 10)


def test_who_may_report_on_which_point(
    signed_package,
    secretariat,
    kabid_bina_marga,
    kabid_sda,
    delegate_pangkalpinang,
    delegate_bangka,
    observer,
):
    one, two, three = signed_package.points.order_by("number")
    assert followup.may_update(delegate_pangkalpinang, one)
    assert not followup.may_update(delegate_pangkalpinang, two)
    assert followup.may_update(delegate_bangka, two)
    assert followup.may_update(delegate_bangka, three)
    assert followup.may_update(kabid_bina_marga, two)
    assert not followup.may_update(kabid_bina_marga, three)
    assert followup.may_update(kabid_sda, three)
    assert not followup.may_update(observer, one)
    assert all(followup.may_update(secretariat, p) for p in (one, two, three))
    with pytest.raises(PermissionDenied):
        report(two, delegate_pangkalpinang, S.IN_PROGRESS, 10)


def test_progress_rules(signed_package, delegate_pangkalpinang, media):
    point = signed_package.points.get(number=1)
    with pytest.raises(ValidationError) as error:
        report(point, delegate_pangkalpinang, S.NOT_STARTED, 5)
    assert "progress" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        report(point, delegate_pangkalpinang, S.IN_PROGRESS, 100)
    assert "status" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        report(point, delegate_pangkalpinang, S.DONE, 100)
    assert "evidence" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        report(point, delegate_pangkalpinang, S.IN_PROGRESS, 20, note="  ")
    assert "note" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        report(
            point,
            delegate_pangkalpinang,
            S.IN_PROGRESS,
            20,
            on=timezone.localdate() + timedelta(days=1),
        )
    assert "reported_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        report(
            point,
            delegate_pangkalpinang,
            S.IN_PROGRESS,
            20,
            on=signed_package.rakorgub.starts_at.date() - timedelta(days=1),
        )
    assert "reported_on" in error.value.message_dict
    point.refresh_from_db()
    assert (point.status, point.progress, point.updates.count()) == (S.NOT_STARTED, 0, 0)

    update = report(point, delegate_pangkalpinang, S.IN_PROGRESS, 40, files=[photo()])
    point.refresh_from_db()
    assert (point.status, point.progress, point.version) == (S.IN_PROGRESS, 40, 1)
    evidence = update.evidence.get()
    assert evidence.kind == "foto" and evidence.thumbnail
    # Done: earlier evidence counts.
    report(point, delegate_pangkalpinang, S.DONE, 100, note="Pekerjaan selesai, PHO.")
    point.refresh_from_db()
    assert (point.status, point.progress) == (S.DONE, 100)


def test_only_the_secretariat_reopens_a_done_point(
    signed_package, kabid_bina_marga, secretariat, media
):
    point = signed_package.points.get(number=1)
    pdf = SimpleUploadedFile("bast.pdf", minimal_pdf(), content_type="application/pdf")
    report(point, kabid_bina_marga, S.DONE, 100, files=[pdf])
    with pytest.raises(ValidationError):
        report(point, kabid_bina_marga, S.BLOCKED, 90, note="Retak pada oprit.")
    report(point, secretariat, S.BLOCKED, 90, note="Retak pada oprit, perbaikan masa pemeliharaan.")
    point.refresh_from_db()
    assert (point.status, point.progress) == (S.BLOCKED, 90)


def test_a_stale_version_is_refused(signed_package, secretariat):
    point = signed_package.points.get(number=1)
    report(point, secretariat, S.IN_PROGRESS, 10)
    with pytest.raises(followup.FollowUpError):
        followup.followup_record(
            actor=secretariat,
            point=point,
            status=S.IN_PROGRESS,
            progress=20,
            reported_on=timezone.localdate(),
            note="Lanjut.",
            version=0,
        )


def test_a_back_dated_report_does_not_replace_the_latest(signed_package, secretariat):
    point = signed_package.points.get(number=1)
    report(point, secretariat, S.IN_PROGRESS, 50)
    report(point, secretariat, S.IN_PROGRESS, 20, on=timezone.localdate() - timedelta(days=10))
    point.refresh_from_db()
    assert point.progress == 50 and point.updates.count() == 2


def test_overdue(signed_package):
    point = signed_package.points.get(number=1)
    point.target_date = date(2023, 12, 31)
    assert point.is_overdue(date(2024, 1, 1))
    assert not point.is_overdue(date(2023, 12, 31))
    point.status, point.progress = S.DONE, 100
    assert not point.is_overdue(date(2024, 1, 1))


def test_overview_counts_by_field_and_region(signed_package, secretariat, media):
    one, two, three = signed_package.points.order_by("number")
    report(one, secretariat, S.IN_PROGRESS, 30)
    report(three, secretariat, S.BLOCKED, 10, note="Pembebasan lahan belum selesai.")
    PackagePoint.objects.filter(pk=two.pk).update(target_date=date(2023, 12, 31))
    result = followup.overview(signed_package, today=date(2030, 1, 1))
    assert result.total.total == 3
    assert result.total.counts == {
        S.NOT_STARTED: 1,
        S.IN_PROGRESS: 1,
        S.DONE: 0,
        S.BLOCKED: 1,
    }
    assert result.total.overdue == 3
    assert [(t.key, t.total) for t in result.by_field] == [
        ("bina-marga", 2),
        ("sumber-daya-air", 1),
    ]
    assert [(t.key, t.total) for t in result.by_region] == [("bangka", 2), ("pangkalpinang", 2)]
    assert [p.overdue for p in result.points] == [True, True, True]


def test_a_source_issue_merged_since_is_not_marked_forwarded(agreed_meeting, secretariat):
    bridge = Issue.objects.get(title="Rekonstruksi ruas Sungailiat - Belinyu")
    Issue.objects.filter(pk=bridge.pk).update(status=Issue.Status.MERGED)
    rakorgub.package_forward(actor=secretariat, meeting=agreed_meeting)
    bridge.refresh_from_db()
    assert bridge.status == Issue.Status.MERGED
    assert Issue.objects.filter(status=Issue.Status.FORWARDED).count() == 2
