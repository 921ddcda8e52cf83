from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import DEFAULT_CRITERIA, Criterion, Meeting
from tests.factories import (
    AgendaItemFactory,
    DeskFactory,
    MeetingFactory,
    RakorgubFactory,
    field,
)

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def source(kabid_bina_marga, kabid_sda, secretariat):
    """RAKORTEK PU 2022 on 25 July 2022, set up with two desks, criteria and an agenda."""
    meeting = MeetingFactory(
        title="RAKORTEK PU 2022",
        slug="rakortek-pu-2022",
        year=2022,
        starts_at=datetime(2022, 7, 25, 8, 0, tzinfo=WIB),
        ends_at=datetime(2022, 7, 25, 16, 0, tzinfo=WIB),
        submission_opens_at=datetime(2022, 7, 1, 8, 0, tzinfo=WIB),
        submission_closes_at=datetime(2022, 7, 22, 16, 0, tzinfo=WIB),
        status=Meeting.Status.FINISHED,
        venue="Hotel Novotel Bangka",
    )
    DeskFactory(
        meeting=meeting,
        field=field("bina-marga"),
        chair=kabid_bina_marga,
        note_taker=secretariat,
        room="Ruang Rapat 1",
        starts_at=time(10, 0),
        ends_at=time(12, 0),
    )
    DeskFactory(meeting=meeting, field=field("sumber-daya-air"), chair=kabid_sda, room="Ruang 2")
    for order, (name, description, weight, labels) in enumerate(DEFAULT_CRITERIA, start=1):
        Criterion.objects.create(
            meeting=meeting,
            name=name,
            description=description,
            weight=weight,
            order=order,
            level_labels=labels,
        )
    AgendaItemFactory(meeting=meeting, starts_at=time(8, 0), activity="Registrasi peserta")
    AgendaItemFactory(
        meeting=meeting,
        starts_at=time(8, 30),
        ends_at=time(9, 30),
        activity="Pembukaan",
        person="Gubernur",
    )
    return meeting


def url(meeting):
    return reverse("meetings:next_year", kwargs={"slug": meeting.slug})


def form_data(**overrides):
    data = {
        "title": "RAKORTEK PU 2023",
        "slug": "",
        "starts_at_0": "2023-07-24",
        "starts_at_1": "08:00",
        "ends_at_0": "2023-07-24",
        "ends_at_1": "16:00",
        "submission_opens_at_0": "2023-07-01",
        "submission_opens_at_1": "08:00",
        "submission_closes_at_0": "2023-07-21",
        "submission_closes_at_1": "16:00",
        "mode": "luring",
        "online_link": "",
    }
    data.update(overrides)
    return data


# The form


def test_form_proposes_the_next_year_whose_meeting_day_is_still_ahead(as_secretariat, source):
    response = as_secretariat.get(url(source))
    assert response.status_code == 200
    initial = response.context["form"].initial
    today = timezone.localdate()
    year = initial["starts_at"].year
    assert initial["starts_at"].date() >= today
    assert initial["starts_at"].replace(year=year - 1).date() < today or year == 2023
    assert initial["title"] == f"RAKORTEK PU {year}"
    assert initial["starts_at"] == datetime(year, 7, 25, 8, 0, tzinfo=WIB)
    assert initial["submission_closes_at"] == datetime(year, 7, 22, 16, 0, tzinfo=WIB)
    assert initial["online_link"] == ""
    assert f'value="{year}-07-25"' in response.content.decode()


@pytest.mark.parametrize(
    ("today", "year"),
    [(date(2022, 12, 1), 2023), (date(2026, 7, 25), 2026), (date(2026, 12, 6), 2027)],
)
def test_proposal_skips_years_whose_meeting_day_has_passed(source, today, year):
    proposal = services.next_year_proposal(source, today=today)
    assert proposal["title"] == f"RAKORTEK PU {year}"
    assert proposal["starts_at"] == datetime(year, 7, 25, 8, 0, tzinfo=WIB)
    assert proposal["submission_opens_at"] == datetime(year, 7, 1, 8, 0, tzinfo=WIB)


def test_title_without_a_year_gets_the_next_year_appended():
    meeting = Meeting(title="RAKORTEK Bidang PU", year=2025)
    assert services.next_year_title(meeting) == "RAKORTEK Bidang PU 2026"


def test_a_29_february_start_is_proposed_on_28_february_next_year():
    start = datetime(2024, 2, 29, 9, 0, tzinfo=WIB)
    meeting = Meeting(title="RAKORTEK 2024", year=2024, starts_at=start, ends_at=start)
    proposal = services.next_year_proposal(meeting, today=date(2024, 12, 1))
    assert proposal["starts_at"] == datetime(2025, 2, 28, 9, 0, tzinfo=WIB)


def test_meeting_page_links_to_the_next_year_form(as_secretariat, source):
    response = as_secretariat.get(source.get_absolute_url())
    assert f'href="{url(source)}"' in response.content.decode()


def test_rakorgub_page_has_no_next_year_button(as_secretariat, source):
    rakorgub = RakorgubFactory(follows=source)
    response = as_secretariat.get(rakorgub.get_absolute_url())
    assert "tahun-berikutnya" not in response.content.decode()


# Copying


def test_copy_keeps_desks_chairs_criteria_and_agenda_with_the_new_dates(
    as_secretariat, source, secretariat, kabid_bina_marga, kabid_sda
):
    response = as_secretariat.post(url(source), form_data())
    new = Meeting.objects.get(title="RAKORTEK PU 2023")
    assert response.status_code == 302
    assert response["Location"] == new.get_absolute_url()
    assert new.kind == Meeting.Kind.RAKORTEK
    assert new.year == 2023
    assert new.status == Meeting.Status.DRAFT
    assert new.slug == "rakortek-pu-2023"
    assert new.created_by == secretariat
    assert new.venue == source.venue
    # Last year's link is not copied: without a new one the meeting is in person.
    assert (new.mode, new.online_link) == (Meeting.Mode.IN_PERSON, "")
    assert new.starts_at == datetime(2023, 7, 24, 8, 0, tzinfo=WIB)
    assert new.ends_at == datetime(2023, 7, 24, 16, 0, tzinfo=WIB)
    assert new.submission_opens_at == datetime(2023, 7, 1, 8, 0, tzinfo=WIB)
    assert new.submission_closes_at == datetime(2023, 7, 21, 16, 0, tzinfo=WIB)

    desks = {d.field.slug: d for d in new.desks.select_related("field")}
    assert set(desks) == {"bina-marga", "sumber-daya-air"}
    bm = desks["bina-marga"]
    assert (bm.chair, bm.note_taker, bm.room) == (kabid_bina_marga, secretariat, "Ruang Rapat 1")
    assert (bm.starts_at, bm.ends_at) == (time(10, 0), time(12, 0))
    assert desks["sumber-daya-air"].chair == kabid_sda

    copied = list(
        new.criteria.values_list("name", "description", "weight", "order", "level_labels")
    )
    original = list(
        source.criteria.values_list("name", "description", "weight", "order", "level_labels")
    )
    assert copied == original
    assert sum(weight for _, _, weight, _, _ in copied) == 100

    agenda = list(
        new.agenda_items.values_list("starts_at", "ends_at", "activity", "person", "needs_review")
    )
    # Who opened last year's meeting is not copied; the item is marked to check.
    assert agenda == [
        (time(8, 0), None, "Registrasi peserta", "", False),
        (time(8, 30), time(9, 30), "Pembukaan", "", True),
    ]
    # The earlier meeting keeps its own setup.
    assert source.desks.count() == 2
    assert source.agenda_items.count() == 2


def test_copy_takes_a_typed_address(as_secretariat, source):
    as_secretariat.post(url(source), form_data(slug="rakortek-2023"))
    assert Meeting.objects.filter(slug="rakortek-2023", year=2023).exists()


def test_copy_gives_a_free_address_when_the_suggested_one_is_taken(as_secretariat, source):
    MeetingFactory(slug="rakortek-pu-2023")
    as_secretariat.post(url(source), form_data())
    assert Meeting.objects.filter(slug="rakortek-pu-2023-2", title="RAKORTEK PU 2023").exists()


@pytest.mark.parametrize(
    ("overrides", "field_name"),
    [
        ({"ends_at_0": "2023-07-23"}, "ends_at"),
        ({"submission_closes_at_0": "2023-06-30"}, "submission_closes_at"),
        ({"title": ""}, "title"),
        ({"starts_at_0": ""}, "starts_at"),
        ({"slug": "rakortek-pu-2022"}, "slug"),
        ({"slug": "tambah"}, "slug"),
        ({"slug": "bukan slug!"}, "slug"),
    ],
)
def test_bad_input_is_refused_next_to_the_field_and_kept(
    as_secretariat, source, overrides, field_name
):
    response = as_secretariat.post(url(source), form_data(**overrides))
    assert response.status_code == 200
    form = response.context["form"]
    assert field_name in form.errors
    assert form.data["title"] == form_data(**overrides)["title"]
    assert Meeting.objects.count() == 1


def test_service_copies_nothing_but_the_setup(source, secretariat):
    start = datetime(2023, 7, 24, 8, 0, tzinfo=WIB)
    new = services.meeting_copy_for_next_year(
        source=source,
        actor=secretariat,
        title="RAKORTEK PU 2023",
        slug="",
        starts_at=start,
        ends_at=start.replace(hour=16),
        submission_opens_at=None,
        submission_closes_at=None,
    )
    assert new.participants.count() == 0
    assert new.minutes.count() == 0
    assert new.follows is None
    assert new.criteria.count() == len(DEFAULT_CRITERIA)


def test_service_refuses_to_copy_a_rakorgub(source, secretariat):
    rakorgub = RakorgubFactory(follows=source)
    with pytest.raises(ValueError):
        services.meeting_copy_for_next_year(
            source=rakorgub,
            actor=secretariat,
            title="RAKORGUB 2023",
            slug="",
            starts_at=rakorgub.starts_at,
            ends_at=rakorgub.ends_at,
            submission_opens_at=None,
            submission_closes_at=None,
        )


# Access


@pytest.mark.parametrize(
    "client_name", ["as_kabid_bina_marga", "as_delegate_pangkalpinang", "as_observer"]
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_only_the_secretariat_may_copy_a_meeting(request, source, client_name, method):
    client = request.getfixturevalue(client_name)
    response = getattr(client, method)(url(source), form_data())
    assert response.status_code == 403
    assert Meeting.objects.count() == 1


def test_anonymous_visitor_is_sent_to_log_in(client, source):
    response = client.post(url(source), form_data())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert Meeting.objects.count() == 1


def test_unknown_meeting_or_a_rakorgub_is_not_found(as_secretariat, source):
    rakorgub = RakorgubFactory(follows=source)
    assert as_secretariat.get(url(rakorgub)).status_code == 404
    missing = reverse("meetings:next_year", kwargs={"slug": "tidak-ada"})
    assert as_secretariat.get(missing).status_code == 404


def test_an_inactive_chair_is_copied_as_it_was(as_secretariat, source, kabid_sda):
    kabid_sda.is_active = False
    kabid_sda.save(update_fields=["is_active"])
    as_secretariat.post(url(source), form_data())
    new = Meeting.objects.get(year=2023)
    assert new.desks.get(field__slug="sumber-daya-air").chair == kabid_sda


def test_form_page_query_count_does_not_grow_with_the_setup(
    as_secretariat, source, django_assert_max_num_queries
):
    for n in range(10):
        AgendaItemFactory(meeting=source, starts_at=time(13, n), activity=f"Sesi {n}")
    with django_assert_max_num_queries(10):
        assert as_secretariat.get(url(source)).status_code == 200


# The year follows the dates


def test_dates_in_2027_make_a_2027_meeting_with_title_address_and_year(as_secretariat, source):
    """The form proposed 2023; the secretary typed 2027 dates and kept the title."""
    data = form_data(
        starts_at_0="2027-07-26",
        ends_at_0="2027-07-26",
        submission_opens_at_0="2027-07-01",
        submission_closes_at_0="2027-07-22",
    )
    response = as_secretariat.post(url(source), data)
    assert response.status_code == 302
    new = Meeting.objects.get(year=2027)
    assert new.title == "RAKORTEK PU 2027"
    assert new.slug == "rakortek-pu-2027"
    assert response["Location"] == new.get_absolute_url()


def test_a_title_already_naming_the_dates_year_is_kept(as_secretariat, source):
    data = form_data(
        title="RAKORTEK Bidang PU 2027",
        starts_at_0="2027-07-26",
        ends_at_0="2027-07-26",
        submission_opens_at_0="2027-07-01",
        submission_closes_at_0="2027-07-22",
    )
    as_secretariat.post(url(source), data)
    new = Meeting.objects.get(year=2027)
    assert (new.title, new.slug) == ("RAKORTEK Bidang PU 2027", "rakortek-bidang-pu-2027")


def test_dates_in_the_source_year_are_refused(as_secretariat, source):
    response = as_secretariat.post(
        url(source), form_data(starts_at_0="2022-08-01", ends_at_0="2022-08-01")
    )
    assert response.status_code == 200
    assert "Rapat tahun berikutnya harus diadakan setelah 2022." in str(
        response.context["form"].errors["starts_at"]
    )
    assert Meeting.objects.count() == 1


def test_a_hybrid_meeting_needs_its_new_link(as_secretariat, source):
    response = as_secretariat.post(url(source), form_data(mode=Meeting.Mode.HYBRID))
    assert "online_link" in response.context["form"].errors
    assert Meeting.objects.count() == 1
    as_secretariat.post(
        url(source), form_data(mode=Meeting.Mode.HYBRID, online_link="https://zoom.example/j/9")
    )
    new = Meeting.objects.get(year=2023)
    assert (new.mode, new.online_link) == (Meeting.Mode.HYBRID, "https://zoom.example/j/9")


@pytest.mark.parametrize(
    ("activity", "expected"),
    [
        ("Pembukaan dibuka oleh Penjabat Gubernur", "Pembukaan"),
        ("Paparan oleh Kepala Dinas PUPRPRKP", "Paparan"),
        ("Registrasi peserta", "Registrasi peserta"),
        ("Oleh-oleh", "Oleh-oleh"),
    ],
)
def test_names_and_titles_leave_the_agenda_activity(activity, expected):
    assert services.agenda_activity_without_names(activity) == expected


def test_a_named_activity_is_copied_without_the_name_and_marked(as_secretariat, source):
    AgendaItemFactory(
        meeting=source, starts_at=time(9, 30), activity="Sambutan dibuka oleh Penjabat Gubernur"
    )
    as_secretariat.post(url(source), form_data())
    item = Meeting.objects.get(year=2023).agenda_items.get(starts_at=time(9, 30))
    assert (item.activity, item.needs_review) == ("Sambutan", True)
