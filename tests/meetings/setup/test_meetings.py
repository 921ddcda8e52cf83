from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import DEFAULT_CRITERIA, Criterion, Meeting
from rakortek.core.formatting import MONTHS
from tests.factories import CriterionFactory, DeskFactory, MeetingFactory, RakorgubFactory, field

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")


def meeting_data(**overrides):
    data = {
        "kind": "rakortek",
        "year": "2026",
        "title": "RAKORTEK Bidang PU",
        "slug": "",
        "starts_at_0": "2026-07-27",
        "starts_at_1": "08:00",
        "ends_at_0": "2026-07-27",
        "ends_at_1": "16:00",
        "venue": "Ruang Auditorium Dinas PUPRPRKP",
        "mode": "hybrid",
        "online_link": "https://zoom.example.go.id/j/2026072701",
        "submission_opens_at_0": "2026-07-01",
        "submission_opens_at_1": "08:00",
        "submission_closes_at_0": "2026-07-24",
        "submission_closes_at_1": "16:00",
        "status": "draf",
        "follows": "",
    }
    data.update(overrides)
    return data


def create(client, **overrides):
    return client.post(reverse("meetings:create"), meeting_data(**overrides))


# Creating


def test_secretariat_creates_a_rakortek_with_times_in_wib(as_secretariat, secretariat):
    response = create(as_secretariat)
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == meeting.get_absolute_url()
    assert meeting.starts_at == datetime(2026, 7, 27, 8, 0, tzinfo=WIB)
    assert meeting.ends_at == datetime(2026, 7, 27, 16, 0, tzinfo=WIB)
    assert meeting.submission_closes_at == datetime(2026, 7, 24, 16, 0, tzinfo=WIB)
    assert meeting.created_by == secretariat
    assert meeting.status == Meeting.Status.DRAFT


def test_new_rakortek_gets_the_default_criteria(as_secretariat):
    create(as_secretariat)
    criteria = list(Meeting.objects.get().criteria.all())
    assert [(c.name, c.weight, c.level_labels) for c in criteria] == [
        (name, weight, labels) for name, _, weight, labels in DEFAULT_CRITERIA
    ]
    assert sum(c.weight for c in criteria) == 100


def test_slug_is_suggested_from_title_and_year_when_left_empty(as_secretariat):
    create(as_secretariat, title="RAKORTEK Bidang PU")
    assert Meeting.objects.get().slug == "rakortek-bidang-pu-2026"


def test_suggested_slug_does_not_repeat_a_year_already_in_the_title():
    assert services.meeting_slug_suggestion(title="RAKORTEK PU 2026", year=2026) == (
        "rakortek-pu-2026"
    )


def test_suggested_slug_steps_aside_for_an_existing_meeting(as_secretariat):
    MeetingFactory(slug="rakortek-bidang-pu-2026")
    create(as_secretariat, title="RAKORTEK Bidang PU")
    assert Meeting.objects.filter(slug="rakortek-bidang-pu-2026-2").exists()


def test_secretariat_may_type_their_own_slug(as_secretariat):
    create(as_secretariat, slug="rakortek-2026")
    assert Meeting.objects.get().slug == "rakortek-2026"


def test_a_slug_already_taken_is_refused_and_the_input_kept(as_secretariat, meeting):
    response = create(as_secretariat, slug=meeting.slug, venue="Gedung Serba Guna")
    assert response.status_code == 200
    form = response.context["form"]
    assert "slug" in form.errors
    assert form["venue"].value() == "Gedung Serba Guna"
    assert Meeting.objects.count() == 1


def test_a_slug_that_would_shadow_the_new_meeting_page_is_refused(as_secretariat):
    response = create(as_secretariat, slug="tambah")
    assert "slug" in response.context["form"].errors
    assert not Meeting.objects.exists()


def _rakorgub_days(meeting, days):
    day = (timezone.localtime(meeting.ends_at) + timedelta(days=days)).date().isoformat()
    return {"starts_at_0": day, "ends_at_0": day}


def test_a_new_rakorgub_follows_a_rakortek_and_gets_no_criteria(as_secretariat, meeting):
    create(
        as_secretariat,
        kind="rakorgub",
        title="RAKORGUB",
        follows=str(meeting.pk),
        **_rakorgub_days(meeting, 3),
        mode="luring",
        online_link="",
        submission_opens_at_0="",
        submission_opens_at_1="",
        submission_closes_at_0="",
        submission_closes_at_1="",
    )
    rakorgub = Meeting.objects.get(kind=Meeting.Kind.RAKORGUB)
    assert rakorgub.follows == meeting
    assert rakorgub.submission_opens_at is None
    assert not rakorgub.criteria.exists()


def test_a_rakorgub_before_the_rakortek_it_follows_is_refused(as_secretariat, meeting):
    response = create(
        as_secretariat,
        kind="rakorgub",
        title="RAKORGUB",
        follows=str(meeting.pk),
        mode="luring",
        online_link="",
        submission_opens_at_0="",
        submission_opens_at_1="",
        submission_closes_at_0="",
        submission_closes_at_1="",
        **_rakorgub_days(meeting, -1),
    )
    assert response.status_code == 200
    ends = timezone.localtime(meeting.ends_at)
    message = str(response.context["form"].errors["starts_at"])
    assert "RAKORGUB diadakan setelah RAKORTEK yang diikutinya" in message
    assert f"{ends.day} {MONTHS[ends.month - 1]} {ends.year}" in message
    assert not Meeting.objects.filter(kind=Meeting.Kind.RAKORGUB).exists()


def test_the_service_refuses_a_rakorgub_before_its_rakortek(meeting, secretariat):
    with pytest.raises(ValidationError):
        services.meeting_create(
            created_by=secretariat,
            kind=Meeting.Kind.RAKORGUB,
            year=meeting.year,
            title="RAKORGUB",
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
            venue="Kantor Gubernur",
            mode=Meeting.Mode.IN_PERSON,
            follows=meeting,
        )


@pytest.mark.parametrize(
    ("overrides", "field_with_error"),
    [
        ({"kind": "rakorgub"}, "follows"),
        ({"mode": "daring", "online_link": ""}, "online_link"),
        ({"mode": "hybrid", "online_link": ""}, "online_link"),
        ({"online_link": "bukan tautan"}, "online_link"),
        ({"ends_at_1": "07:00"}, "ends_at"),
        ({"ends_at_1": "08:00"}, "ends_at"),
        ({"submission_closes_at_0": "2026-06-30"}, "submission_closes_at"),
        ({"starts_at_1": ""}, "starts_at"),
        ({"title": ""}, "title"),
        ({"year": "1990"}, "year"),
    ],
    ids=[
        "rakorgub-without-rakortek",
        "online-without-link",
        "hybrid-without-link",
        "link-not-a-url",
        "ends-before-start",
        "ends-at-start",
        "submission-closes-before-it-opens",
        "start-without-time",
        "no-title",
        "year-out-of-range",
    ],
)
def test_bad_input_is_refused_next_to_its_field_and_kept(
    as_secretariat, overrides, field_with_error
):
    response = create(as_secretariat, **overrides)
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == [field_with_error]
    assert form["venue"].value() == "Ruang Auditorium Dinas PUPRPRKP"
    assert not Meeting.objects.exists()


def test_a_rakortek_cannot_follow_another_meeting(as_secretariat, meeting):
    response = create(as_secretariat, follows=str(meeting.pk))
    assert "follows" in response.context["form"].errors
    assert Meeting.objects.count() == 1


def test_a_rakorgub_cannot_follow_a_rakorgub(as_secretariat):
    rakorgub = RakorgubFactory()
    response = create(as_secretariat, kind="rakorgub", follows=str(rakorgub.pk))
    assert "follows" in response.context["form"].errors


def test_an_in_person_meeting_needs_no_link(as_secretariat):
    create(as_secretariat, mode="luring", online_link="")
    assert Meeting.objects.get().mode == Meeting.Mode.IN_PERSON


def test_the_form_uses_date_and_time_inputs_a_phone_understands(as_secretariat):
    response = as_secretariat.get(reverse("meetings:create"))
    html = response.text
    assert 'type="date" name="starts_at_0"' in html
    assert 'type="time" name="starts_at_1"' in html
    assert response.context["form"]["year"].value() is not None


def test_meeting_create_service_is_all_or_nothing(secretariat, monkeypatch):
    def broken_bulk_create(*args, **kwargs):
        raise IntegrityError("criteria could not be written")

    monkeypatch.setattr(Criterion.objects, "bulk_create", broken_bulk_create)
    with pytest.raises(IntegrityError):
        services.meeting_create(
            created_by=secretariat,
            kind=Meeting.Kind.RAKORTEK,
            year=2026,
            title="RAKORTEK",
            starts_at=datetime(2026, 7, 27, 8, tzinfo=WIB),
            ends_at=datetime(2026, 7, 27, 16, tzinfo=WIB),
            venue="Aula",
            mode=Meeting.Mode.IN_PERSON,
        )
    assert not Meeting.objects.exists()


# Database guards


def test_database_refuses_a_rakorgub_that_follows_nothing():
    with pytest.raises(IntegrityError), transaction.atomic():
        RakorgubFactory(follows=None)


def test_database_refuses_an_online_meeting_without_link():
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingFactory(mode=Meeting.Mode.ONLINE, online_link="")


# Editing


def test_secretariat_edits_a_meeting(as_secretariat, meeting):
    data = meeting_data(title="RAKORTEK Bidang PU 2022 (revisi)", slug=meeting.slug, status="aktif")
    response = as_secretariat.post(reverse("meetings:update", args=[meeting.slug]), data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "RAKORTEK Bidang PU 2022 (revisi)"
    assert meeting.status == Meeting.Status.ACTIVE
    assert meeting.starts_at == datetime(2026, 7, 27, 8, 0, tzinfo=WIB)


def test_the_edit_form_shows_times_in_wib(as_secretariat, meeting):
    meeting.starts_at = datetime(2026, 7, 27, 1, 0, tzinfo=ZoneInfo("UTC"))
    meeting.save(update_fields=["starts_at"])
    form = as_secretariat.get(reverse("meetings:update", args=[meeting.slug])).context["form"]
    assert 'value="08:00"' in str(form["starts_at"])


def test_the_kind_cannot_be_changed_once_created(as_secretariat, meeting):
    data = meeting_data(kind="rakorgub", slug=meeting.slug, follows="")
    response = as_secretariat.post(reverse("meetings:update", args=[meeting.slug]), data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.kind == Meeting.Kind.RAKORTEK


def test_editing_keeps_the_slug_unique(as_secretariat, meeting):
    other = MeetingFactory(slug="rakortek-2021")
    data = meeting_data(slug=other.slug)
    response = as_secretariat.post(reverse("meetings:update", args=[meeting.slug]), data)
    assert "slug" in response.context["form"].errors


def test_a_meeting_cannot_follow_itself(as_secretariat):
    rakorgub = RakorgubFactory()
    form = as_secretariat.get(reverse("meetings:update", args=[rakorgub.slug])).context["form"]
    assert rakorgub not in form.fields["follows"].queryset


# List and detail


def test_meeting_list_shows_kind_status_and_counts(as_secretariat, desk_bina_marga, desk_sda):
    CriterionFactory(meeting=desk_bina_marga.meeting, weight=100)
    response = as_secretariat.get(reverse("meetings:list"))
    [listed] = response.context["meetings"]
    assert (listed.desk_count, listed.criterion_count) == (2, 1)


def test_meeting_list_filters_by_kind_and_status(as_secretariat, meeting):
    rakorgub = RakorgubFactory(follows=meeting, status=Meeting.Status.DRAFT)
    listed = as_secretariat.get(reverse("meetings:list"), {"kind": "rakorgub"}).context["meetings"]
    assert list(listed) == [rakorgub]
    listed = as_secretariat.get(reverse("meetings:list"), {"status": "aktif"}).context["meetings"]
    assert list(listed) == [meeting]


def test_meeting_list_ignores_an_unknown_filter(as_secretariat, meeting):
    response = as_secretariat.get(reverse("meetings:list"), {"kind": "rapat-lain"})
    assert list(response.context["meetings"]) == [meeting]


def test_meeting_detail_shows_agenda_desks_and_criteria(
    as_secretariat, meeting, desk_bina_marga, desk_sda
):
    CriterionFactory(meeting=meeting, name="Kemendesakan", weight=60)
    CriterionFactory(meeting=meeting, name="Dampak", weight=40)
    response = as_secretariat.get(meeting.get_absolute_url())
    html = response.text
    for text in ["Bina Marga", "Sumber Daya Air", "Kemendesakan", "Dampak", "Sutrisno Hadi"]:
        assert text in html
    assert response.context["criteria_total"] == 100
    for name in ["update", "desk_create", "agenda_create", "criteria"]:
        assert reverse(f"meetings:{name}", args=[meeting.slug]) in html


def test_rakorgub_detail_links_back_and_has_no_desk_section(as_secretariat, meeting):
    rakorgub = RakorgubFactory(follows=meeting)
    response = as_secretariat.get(rakorgub.get_absolute_url())
    assert meeting.get_absolute_url() in response.text
    assert reverse("meetings:desk_create", args=[rakorgub.slug]) not in response.text
    assert rakorgub.get_absolute_url() in as_secretariat.get(meeting.get_absolute_url()).text


def test_rakorgub_has_no_desk_or_criteria_pages(as_secretariat):
    rakorgub = RakorgubFactory()
    assert as_secretariat.get(reverse("meetings:criteria", args=[rakorgub.slug])).status_code == 404
    assert (
        as_secretariat.get(reverse("meetings:desk_create", args=[rakorgub.slug])).status_code == 404
    )


def _add_rows(meeting, n):
    fields = ["bina-marga", "sumber-daya-air", "penataan-ruang", "perumahan", "kawasan-permukiman"]
    for slug in fields[:n]:
        DeskFactory(meeting=meeting, field=field(slug))
        CriterionFactory(meeting=meeting)


def test_meeting_list_takes_the_same_queries_however_many_meetings(
    as_secretariat, django_assert_max_num_queries, django_assert_num_queries
):
    meeting = MeetingFactory()
    _add_rows(meeting, 1)
    RakorgubFactory(follows=meeting)
    url = reverse("meetings:list")
    as_secretariat.get(url)  # the session row is read once per client, warm it
    with django_assert_max_num_queries(4) as few:
        as_secretariat.get(url)
    for _ in range(4):
        _add_rows(RakorgubFactory().follows, 5)
    with django_assert_num_queries(len(few.captured_queries)):
        response = as_secretariat.get(url)
    assert len(response.context["meetings"]) == 10


def test_meeting_detail_takes_the_same_queries_however_many_desks(
    as_secretariat, django_assert_max_num_queries, django_assert_num_queries
):
    meeting = MeetingFactory()
    _add_rows(meeting, 1)
    url = meeting.get_absolute_url()
    as_secretariat.get(url)
    with django_assert_max_num_queries(8) as few:
        as_secretariat.get(url)
    _add_rows(MeetingFactory(), 1)
    meeting.desks.all().delete()
    meeting.criteria.all().delete()
    _add_rows(meeting, 5)
    RakorgubFactory(follows=meeting)
    with django_assert_num_queries(len(few.captured_queries)):
        response = as_secretariat.get(url)
    assert response.text.count("js-desk") == 5


def test_meeting_list_puts_the_latest_meeting_first(as_secretariat, meeting):
    later = RakorgubFactory(follows=meeting)
    later.starts_at = meeting.starts_at + (meeting.ends_at - meeting.starts_at) * 10
    later.ends_at = later.starts_at
    later.save(update_fields=["starts_at", "ends_at"])
    listed = as_secretariat.get(reverse("meetings:list")).context["meetings"]
    assert list(listed) == [later, meeting]
