"""The follow-up pages: the overview, a point with its report form, target dates, evidence files."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from issues.followup import services as followup
from issues.models import FollowUpEvidence, FollowUpUpdate, PackageChange, PackagePoint
from tests.conftest import minimal_pdf
from tests.factories import region

S = PackagePoint.Status
OVERVIEW = reverse("issues:followup")


def photo(name="bukti.jpg"):
    out = BytesIO()
    Image.new("RGB", (800, 600), (120, 160, 90)).save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def point_url(point, suffix=""):
    return reverse(f"issues:followup_{suffix or 'point'}", args=[point.pk])


def report_data(point, **changes):
    data = {
        "status": S.IN_PROGRESS,
        "progress": "40",
        "reported_on": timezone.localdate().isoformat(),
        "note": "Lelang selesai, kontrak ditandatangani.",
        "version": str(point.version),
    }
    data.update(changes)
    return data


def later(point, days=200):
    """A target date after the point's RAKORGUB."""
    return point.package.rakorgub.starts_at.date() + timedelta(days=days)


@pytest.fixture
def points(signed_package):
    return list(signed_package.points.order_by("number"))


# ---- Access ----


@pytest.mark.parametrize(
    "name",
    [
        "followup",
        "followup_point",
        "followup_target",
        "followup_evidence",
        "followup_evidence_thumbnail",
    ],
)
def test_anonymous_is_sent_to_log_in(client, points, name):
    url = reverse(f"issues:{name}", args=[] if name == "followup" else [points[0].pk])
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith("/akun/masuk/")


@pytest.mark.parametrize(
    "who, form_shown",
    [
        ("as_secretariat", True),
        ("as_kabid_bina_marga", True),
        ("as_kabid_sda", False),
        ("as_delegate_pangkalpinang", True),
        ("as_delegate_bangka", False),
        ("as_observer", False),
    ],
)
def test_every_role_reads_point_one_and_only_those_responsible_get_the_form(
    request, points, who, form_shown
):
    client = request.getfixturevalue(who)
    response = client.get(point_url(points[0]))
    assert response.status_code == 200
    assert "Pelebaran Jalan Lingkar Timur" in response.content.decode()
    assert (b'name="progress"' in response.content) is form_shown
    assert (b'capture="environment"' in response.content) is form_shown


@pytest.mark.parametrize(
    "who, allowed",
    [
        ("as_secretariat", True),
        ("as_kabid_bina_marga", True),
        ("as_kabid_sda", False),
        ("as_delegate_pangkalpinang", True),
        ("as_delegate_bangka", False),
        ("as_observer", False),
    ],
)
def test_only_those_responsible_report_on_point_one(request, points, who, allowed):
    client = request.getfixturevalue(who)
    response = client.post(point_url(points[0]), report_data(points[0]))
    if allowed:
        assert response.status_code == 302
        assert response.url == point_url(points[0])
        points[0].refresh_from_db()
        assert (points[0].status, points[0].progress) == (S.IN_PROGRESS, 40)
    else:
        assert response.status_code == 403
        assert not FollowUpUpdate.objects.exists()


def test_a_point_that_does_not_exist_is_404(as_secretariat, points):
    assert as_secretariat.get(reverse("issues:followup_point", args=[9999])).status_code == 404


def test_a_point_not_signed_yet_is_read_only(as_secretariat, package):
    point = package.points.get(number=1)
    response = as_secretariat.get(point_url(point))
    assert response.status_code == 200
    assert b'name="progress"' not in response.content
    assert as_secretariat.post(point_url(point), report_data(point)).status_code == 403


# ---- Reporting: what is recorded and what is refused ----


def test_delegate_reports_with_a_photo_and_sees_it_in_the_history(
    as_delegate_pangkalpinang, points
):
    point = points[0]
    response = as_delegate_pangkalpinang.post(
        point_url(point), {**report_data(point), "evidence": [photo()]}, follow=True
    )
    content = response.content.decode()
    assert "Lelang selesai, kontrak ditandatangani." in content
    evidence = FollowUpEvidence.objects.get()
    assert reverse("issues:followup_evidence_thumbnail", args=[evidence.pk]) in content
    update = FollowUpUpdate.objects.get()
    assert (update.from_status, update.status, update.progress) == (
        S.NOT_STARTED,
        S.IN_PROGRESS,
        40,
    )
    assert update.author.username == "delegasi-pangkalpinang"


@pytest.mark.parametrize(
    "changes, files, field, message",
    [
        ({"progress": "150"}, [], "progress", "100"),
        ({"status": S.DONE, "progress": "100"}, [], "evidence", "Attach a photo"),
        (
            {"reported_on": (timezone.localdate() + timedelta(days=1)).isoformat()},
            [],
            "reported_on",
            "future",
        ),
        ({"status": S.NOT_STARTED, "progress": "10"}, [], "progress", "0 %"),
        ({"note": "   "}, [], "note", ""),
        (
            {},
            [SimpleUploadedFile("foto.jpg", b"bukan gambar sama sekali", "image/jpeg")],
            "evidence",
            "foto.jpg",
        ),
    ],
)
def test_bad_reports_are_refused_with_a_message_and_keep_what_was_typed(
    as_delegate_pangkalpinang, points, media, changes, files, field, message
):
    point = points[0]
    data = {**report_data(point, note="Catatan yang diketik."), **changes}
    if files:
        data["evidence"] = files
    # The messages are compared in English: ask for the interface in English.
    as_delegate_pangkalpinang.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = as_delegate_pangkalpinang.post(point_url(point), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert message in " ".join(form.errors[field])
    content = response.content.decode()
    if field != "note":
        assert "Catatan yang diketik." in content
    if files:
        assert "choose the files again" in content
    assert not FollowUpUpdate.objects.exists()
    assert not FollowUpEvidence.objects.exists()
    point.refresh_from_db()
    assert (point.status, point.progress, point.version) == (S.NOT_STARTED, 0, 0)


def test_a_stale_version_is_refused_and_nothing_is_recorded(as_delegate_pangkalpinang, points):
    point = points[0]
    stale = report_data(point, progress="60")
    followup.followup_record(
        actor=point.regions.first().users.get(),
        point=point,
        status=S.IN_PROGRESS,
        progress=30,
        reported_on=timezone.localdate(),
        note="Laporan lain lebih dulu.",
    )
    response = as_delegate_pangkalpinang.post(point_url(point), stale)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert FollowUpUpdate.objects.count() == 1
    point.refresh_from_db()
    assert point.progress == 30


def test_done_with_a_pdf_is_recorded_and_the_pdf_is_served_checked(
    as_kabid_bina_marga, as_observer, as_delegate_bangka, client, points
):
    point = points[0]
    pdf = SimpleUploadedFile("bast.pdf", minimal_pdf(), content_type="application/pdf")
    response = as_kabid_bina_marga.post(
        point_url(point),
        {**report_data(point, status=S.DONE, progress="100", note="PHO."), "evidence": [pdf]},
    )
    assert response.status_code == 302
    evidence = FollowUpEvidence.objects.get()
    url = reverse("issues:followup_evidence", args=[evidence.pk])
    for reader in (as_observer, as_delegate_bangka):
        served = reader.get(url)
        assert served.status_code == 200
        assert served["Content-Type"] == "application/pdf"
        assert served["X-Content-Type-Options"] == "nosniff"
        assert b"".join(served.streaming_content).startswith(b"%PDF-")
    assert client.get(url).status_code == 302
    assert (
        as_observer.get(
            reverse("issues:followup_evidence_thumbnail", args=[evidence.pk])
        ).status_code
        == 404
    )
    assert as_observer.get(reverse("issues:followup_evidence", args=[9999])).status_code == 404


def test_photo_thumbnail_is_a_small_jpeg(as_delegate_pangkalpinang, as_observer, points):
    point = points[0]
    as_delegate_pangkalpinang.post(point_url(point), {**report_data(point), "evidence": [photo()]})
    evidence = FollowUpEvidence.objects.get()
    served = as_observer.get(reverse("issues:followup_evidence_thumbnail", args=[evidence.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert served["X-Content-Type-Options"] == "nosniff"
    image = Image.open(BytesIO(b"".join(served.streaming_content)))
    assert max(image.size) <= 320


# ---- Target dates ----


@pytest.mark.parametrize(
    "who, status",
    [
        ("as_secretariat", 302),
        ("as_kabid_bina_marga", 302),
        ("as_kabid_sda", 403),
        ("as_delegate_pangkalpinang", 403),
        ("as_observer", 403),
    ],
)
def test_who_changes_a_target_date(request, points, who, status):
    client = request.getfixturevalue(who)
    point = points[0]
    url = point_url(point, "target")
    new = later(point)
    assert client.get(url).status_code == (200 if status == 302 else 403)
    response = client.post(url, {"target_date": new.isoformat(), "reason": "Anggaran perubahan."})
    assert response.status_code == status
    point.refresh_from_db()
    assert point.target_date == (new if status == 302 else date(2023, 12, 31))


def test_changing_a_target_date_needs_a_reason_and_is_recorded(as_kabid_bina_marga, points):
    point = points[0]
    url = point_url(point, "target")
    new = later(point).isoformat()
    response = as_kabid_bina_marga.post(url, {"target_date": new, "reason": ""})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    before_rakorgub = (point.package.rakorgub.starts_at.date() - timedelta(days=1)).isoformat()
    response = as_kabid_bina_marga.post(url, {"target_date": before_rakorgub, "reason": "x"})
    assert "target_date" in response.context["form"].errors
    assert not PackageChange.objects.filter(kind=PackageChange.Kind.PLAN).exists()

    as_kabid_bina_marga.post(url, {"target_date": new, "reason": "Anggaran perubahan."})
    change = PackageChange.objects.get(kind=PackageChange.Kind.PLAN)
    assert change.point == point and change.reason == "Anggaran perubahan."
    assert change.detail == {
        "before": {"target_date": "2023-12-31"},
        "after": {"target_date": new},
    }
    page = as_kabid_bina_marga.get(point_url(point)).content.decode()
    assert "Anggaran perubahan." in page and new in page


def test_a_first_target_date_needs_no_reason(secretariat, points):
    point = points[1]
    PackagePoint.objects.filter(pk=point.pk).update(target_date=None)
    point.refresh_from_db()
    followup.followup_set_target(actor=secretariat, point=point, target_date=later(point))
    point.refresh_from_db()
    assert point.target_date == later(point)
    assert PackageChange.objects.get(kind=PackageChange.Kind.PLAN).detail["before"] == {
        "target_date": None
    }


# ---- The overview ----


def rows(response):
    return [p.number for p in response.context["points"]]


def test_overview_without_a_signed_package_says_so(as_secretariat, as_observer, package):
    for client in (as_secretariat, as_observer):
        response = client.get(OVERVIEW)
        assert response.status_code == 200
        assert response.context["package"] is None
        assert b"followup-empty" in response.content


def test_overview_counts_and_marks_overdue(as_observer, points, secretariat):
    followup.followup_record(
        actor=secretariat,
        point=points[1],
        status=S.BLOCKED,
        progress=10,
        reported_on=timezone.localdate(),
        note="Pembebasan lahan.",
    )
    PackagePoint.objects.filter(pk=points[2].pk).update(target_date=date(2099, 1, 1))
    response = as_observer.get(OVERVIEW)
    result = response.context["result"]
    assert result.total.counts[S.BLOCKED] == 1 and result.total.counts[S.NOT_STARTED] == 2
    # Points 1 and 2 were due in 2023 and are not done.
    assert result.total.overdue == 2
    content = response.content.decode()
    assert content.count('class="badge text-bg-danger followup-overdue"') == 2
    assert "followup-overdue-count" in content
    assert rows(as_observer.get(OVERVIEW + "?lewat=1")) == [1, 2]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", [1, 2, 3]),
        ("?bidang=bina-marga", [1, 2]),
        ("?bidang=sumber-daya-air", [3]),
        ("?wilayah=bangka", [2, 3]),
        ("?wilayah=pangkalpinang", [1, 3]),
        ("?status=terkendala", [2]),
        ("?status=belum_dimulai&wilayah=bangka", [3]),
    ],
)
def test_overview_filters(as_secretariat, points, secretariat, query, expected):
    followup.followup_record(
        actor=secretariat,
        point=points[1],
        status=S.BLOCKED,
        progress=10,
        reported_on=timezone.localdate(),
        note="Pembebasan lahan.",
    )
    assert rows(as_secretariat.get(OVERVIEW + query)) == expected


@pytest.mark.parametrize(
    "who, expected",
    [
        ("as_delegate_pangkalpinang", [1, 3]),
        ("as_delegate_bangka", [2, 3]),
        ("as_kabid_sda", [3]),
        ("as_secretariat", [1, 2, 3]),
        ("as_observer", [1, 2, 3]),
    ],
)
def test_overview_points_i_may_update(request, points, who, expected):
    client = request.getfixturevalue(who)
    assert rows(client.get(OVERVIEW + "?saya=1")) == (expected if who != "as_observer" else [])


def test_overview_of_another_package_is_chosen_by_meeting(as_observer, points):
    assert (
        as_observer.get(OVERVIEW + "?rapat=rakortek-2022").context["package"] == points[0].package
    )
    assert as_observer.get(OVERVIEW + "?rapat=tidak-ada").status_code == 404


def test_overview_query_count_does_not_grow_with_the_points(
    as_delegate_pangkalpinang, points, django_assert_max_num_queries
):
    package = points[0].package
    with django_assert_max_num_queries(12) as small:
        as_delegate_pangkalpinang.get(OVERVIEW + "?saya=1")
    for number in range(4, 40):
        extra = PackagePoint.objects.create(
            package=package,
            desk=points[number % 3].desk,
            number=number,
            text=f"Butir tambahan {number}.",
            responsible="Dinas",
            due="TA 2024",
            target_date=date(2024, 12, 31),
        )
        extra.regions.set([region("pangkalpinang"), region("bangka")])
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = as_delegate_pangkalpinang.get(OVERVIEW + "?saya=1")
    assert len(response.context["points"]) == 38


# ---- Home pages and navigation ----


def test_homes_show_the_follow_up_card(
    as_delegate_pangkalpinang, as_kabid_sda, as_secretariat, as_observer, points
):
    delegate = as_delegate_pangkalpinang.get("/").content.decode()
    assert "followup-home-card" in delegate and f"{OVERVIEW}?saya=1" in delegate
    assert as_delegate_pangkalpinang.get("/").context["summary"] == {
        "mine": True,
        "package": None,
        "total": 2,
        "done": 0,
        "overdue": 2,
        "not_reported": 2,
    }
    assert as_kabid_sda.get("/").context["summary"]["total"] == 1
    for client in (as_secretariat, as_observer):
        summary = client.get("/").context["summary"]
        assert summary["total"] == 3 and summary["package"] == points[0].package
        assert f'href="{OVERVIEW}"' in client.get("/").content.decode()


def test_homes_without_follow_up_show_no_card(as_delegate_pangkalpinang, as_observer, package):
    for client in (as_delegate_pangkalpinang, as_observer):
        assert b"followup-home-card" not in client.get("/").content


def test_secretariat_without_a_signed_package_gets_a_link_to_the_package_page(
    as_secretariat, as_observer, package
):
    link = reverse("issues:package", args=[package.meeting.slug])
    assert f'href="{link}"' in as_secretariat.get(OVERVIEW).content.decode()
    assert f'href="{link}"' not in as_observer.get(OVERVIEW).content.decode()
