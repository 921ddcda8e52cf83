"""Next year's meeting and the follow-up: an issue whose signed points are all done is
resolved and no longer offered for carrying over; the others show their points'
follow-up, and so do the issue page and the banner of a carried copy."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from issues import services
from issues.followup import services as followup
from issues.models import Issue, PackagePoint
from issues.submission.views_carry import earlier_open_issues
from tests.factories import DeskFactory, MeetingFactory, field

S = PackagePoint.Status


@pytest.fixture
def next_year(agreed_meeting, kabid_bina_marga, kabid_sda):
    meeting = MeetingFactory(title="RAKORTEK PU 2023", slug="rakortek-2023", year=2023)
    DeskFactory(meeting=meeting, field=field("bina-marga"), chair=kabid_bina_marga)
    DeskFactory(meeting=meeting, field=field("sumber-daya-air"), chair=kabid_sda)
    return meeting


def photo():
    out = BytesIO()
    Image.new("RGB", (40, 30), (200, 180, 60)).save(out, format="JPEG")
    return SimpleUploadedFile("selesai.jpg", out.getvalue(), content_type="image/jpeg")


def done(point, actor):
    followup.followup_record(
        actor=actor,
        point=point,
        status=S.DONE,
        progress=100,
        reported_on=timezone.localdate(),
        note="Pekerjaan selesai dan diserahterimakan.",
        files=[photo()],
    )


def test_an_issue_whose_points_are_done_is_not_offered(
    signed_package, next_year, secretariat, media
):
    one = signed_package.points.get(number=1)
    titles = [i.title for i in earlier_open_issues(secretariat, next_year)]
    assert len(titles) == 3
    done(one, secretariat)
    remaining = list(earlier_open_issues(secretariat, next_year))
    assert "Pelebaran Jalan Lingkar Timur" not in [i.title for i in remaining]
    assert len(remaining) == 2
    # The others carry their points' follow-up.
    flood = next(i for i in remaining if i.title.startswith("Pengendalian banjir"))
    assert [(p.number, p.status) for p in flood.followed_points] == [(3, S.NOT_STARTED)]


def test_a_forwarded_but_unsigned_package_leaves_issues_open(package, next_year, secretariat):
    assert len(earlier_open_issues(secretariat, next_year)) == 3
    assert all(i.followed_points == [] for i in earlier_open_issues(secretariat, next_year))


def test_carry_list_shows_the_follow_up(signed_package, next_year, as_secretariat, secretariat):
    three = signed_package.points.get(number=3)
    followup.followup_record(
        actor=secretariat,
        point=three,
        status=S.BLOCKED,
        progress=15,
        reported_on=timezone.localdate(),
        note="Pembebasan lahan kolam retensi belum selesai.",
    )
    page = as_secretariat.get(f"/rapat/{next_year.slug}/isu-tahun-lalu/").content.decode()
    assert "Terkendala" in page and "15 %" in page


def test_the_issue_page_and_the_carried_copy_link_to_the_point(
    signed_package, next_year, as_delegate_pangkalpinang, delegate_pangkalpinang, secretariat
):
    road = Issue.objects.get(title="Pelebaran Jalan Lingkar Timur")
    point = signed_package.points.get(number=1)
    page = as_delegate_pangkalpinang.get(f"/isu/{road.pk}/").content.decode()
    assert f"/tindak-lanjut/butir/{point.pk}/" in page
    copy = services.issue_carry_over(actor=secretariat, source=road, meeting=next_year)
    page = as_delegate_pangkalpinang.get(f"/isu/{copy.pk}/").content.decode()
    assert "Pernah diusulkan pada tahun sebelumnya" in page
    assert f"/tindak-lanjut/butir/{point.pk}/" in page
