"""Each role's home says what to do next: the open window and its deadline (or when the next
opens), returned issues as a call to action, desk heads' counts to verify, and the
secretariat's next step in the meeting's year."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from issues.models import Issue, RegionWindow
from meetings.models import Meeting, Minutes
from rakortek.core.formatting import MONTHS
from rakortek.home.next_steps import secretariat_next_step
from tests.factories import IssueFactory, MeetingFactory, region

pytestmark = pytest.mark.django_db


def indonesian_day(value):
    local = timezone.localtime(value)
    return f"{local.day} {MONTHS[local.month - 1]} {local.year}"


def home(client):
    return client.get(reverse("home")).content.decode()


# Delegate


def test_delegate_sees_the_open_window_with_its_deadline_and_a_link(
    as_delegate_pangkalpinang, meeting
):
    page = home(as_delegate_pangkalpinang)
    assert f"Pengajuan isu untuk {meeting.title} dibuka sampai" in page
    assert indonesian_day(meeting.submission_closes_at) in page
    assert reverse("issues:create", kwargs={"slug": meeting.slug}) in page


def test_delegate_is_told_when_the_next_window_opens(as_delegate_pangkalpinang):
    opens = timezone.now() + timedelta(days=10)
    later = MeetingFactory(
        title="RAKORTEK PU 2027",
        submission_opens_at=opens,
        submission_closes_at=opens + timedelta(days=5),
        starts_at=opens + timedelta(days=10),
        ends_at=opens + timedelta(days=10, hours=8),
    )
    page = home(as_delegate_pangkalpinang)
    assert "Saat ini tidak ada masa pengajuan yang dibuka." in page
    assert f"Pengajuan isu untuk {later.title} dibuka pada {indonesian_day(opens)}" in page


def test_delegate_without_any_window_is_told_so(as_delegate_pangkalpinang):
    page = home(as_delegate_pangkalpinang)
    assert "belum ada yang dijadwalkan" in page


def test_a_reopened_window_for_the_region_gives_its_own_deadline(
    as_delegate_pangkalpinang, meeting, secretariat
):
    Meeting.objects.filter(pk=meeting.pk).update(
        submission_closes_at=timezone.now() - timedelta(hours=1)
    )
    closes = timezone.now() + timedelta(days=2)
    RegionWindow.objects.create(
        meeting=meeting,
        region=region("pangkalpinang"),
        closes_at=closes,
        reason="Surat terlambat",
        created_by=secretariat,
    )
    page = home(as_delegate_pangkalpinang)
    assert f"dibuka sampai {indonesian_day(closes)}" in page


def test_returned_issues_are_a_call_to_action_with_links(
    as_delegate_pangkalpinang, desk_bina_marga
):
    issue = IssueFactory(desk=desk_bina_marga, status=Issue.Status.NEEDS_REVISION, number=3)
    IssueFactory(desk=desk_bina_marga, region=region("bangka"), status="perlu_perbaikan", number=4)
    page = home(as_delegate_pangkalpinang)
    assert "1 isu dikembalikan untuk diperbaiki" in page
    assert f'href="{issue.get_absolute_url()}"' in page
    assert "BM-03" in page


# Desk head


def test_desk_head_sees_the_count_to_verify_as_a_link_to_the_board(
    as_kabid_bina_marga, desk_bina_marga
):
    IssueFactory(desk=desk_bina_marga, status=Issue.Status.SUBMITTED, number=1)
    IssueFactory(desk=desk_bina_marga, status=Issue.Status.SUBMITTED, number=2)
    page = home(as_kabid_bina_marga)
    assert "2 perlu diverifikasi" in page
    assert reverse("issues:board", kwargs={"desk_id": desk_bina_marga.pk}) in page


# Secretariat


def test_secretariat_home_gives_each_meeting_its_next_step(as_secretariat, meeting):
    draft = MeetingFactory(title="RAKORTEK PU 2027", status=Meeting.Status.DRAFT)
    page = home(as_secretariat)
    assert "Lengkapi persiapan, lalu aktifkan rapat." in page
    assert f"{draft.get_absolute_url()}#setup" in page
    assert "Pengajuan dibuka sampai" in page


@pytest.mark.parametrize(
    ("shift", "expected"),
    [
        ({"opens": 2}, "Pengajuan dibuka pada"),
        ({"opens": -5, "closes": -1, "starts": 3}, "siapkan daftar hadir"),
        ({"opens": -9, "closes": -5, "starts": -2}, "Tulis notulen"),
    ],
)
def test_the_next_step_follows_the_meetings_year(shift, expected):
    now = timezone.now()
    starts = now + timedelta(days=shift.get("starts", 10))
    meeting = MeetingFactory(
        starts_at=starts,
        ends_at=starts + timedelta(hours=8),
        submission_opens_at=now + timedelta(days=shift["opens"]),
        submission_closes_at=now + timedelta(days=shift.get("closes", 5)),
    )
    meeting.plenary_final = False
    assert expected in str(secretariat_next_step(meeting, at=now).text)


def test_after_final_minutes_the_next_step_is_the_rakorgub_package(as_secretariat, secretariat):
    now = timezone.now()
    meeting = MeetingFactory(
        starts_at=now - timedelta(days=2),
        ends_at=now - timedelta(days=2) + timedelta(hours=8),
        submission_opens_at=now - timedelta(days=9),
        submission_closes_at=now - timedelta(days=5),
    )
    Minutes.objects.create(meeting=meeting, status=Minutes.Status.FINAL, locked_at=now)
    page = home(as_secretariat)
    assert "teruskan butir kesepakatan ke RAKORGUB" in page
    assert reverse("issues:package", kwargs={"slug": meeting.slug}) in page


def test_the_home_page_query_count_does_not_grow_with_meetings(
    as_secretariat, django_assert_max_num_queries
):
    for _ in range(2):
        MeetingFactory()
    with django_assert_max_num_queries(12) as before:
        as_secretariat.get(reverse("home"))
    for _ in range(5):
        MeetingFactory()
    with django_assert_max_num_queries(len(before.captured_queries)):
        as_secretariat.get(reverse("home"))


def test_delegate_finds_the_check_in_on_the_meeting_days_only(as_delegate_pangkalpinang, meeting):
    link = reverse("meetings:checkin", kwargs={"code": meeting.checkin_code})
    assert link not in home(as_delegate_pangkalpinang)  # the meeting is days away
    now = timezone.now()
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=6)
    )
    page = home(as_delegate_pangkalpinang)
    assert link in page
    assert "Tanda tangani daftar hadir" in page
