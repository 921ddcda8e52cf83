from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

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
    }
    data.update(overrides)
    return data


# The form


def test_form_proposes_the_title_and_every_date_a_year_later(as_secretariat, source):
    response = as_secretariat.get(url(source))
    assert response.status_code == 200
    initial = response.context["form"].initial
    assert initial["title"] == "RAKORTEK PU 2023"
    assert initial["starts_at"] == datetime(2023, 7, 25, 8, 0, tzinfo=WIB)
    assert initial["ends_at"] == datetime(2023, 7, 25, 16, 0, tzinfo=WIB)
    assert initial["submission_opens_at"] == datetime(2023, 7, 1, 8, 0, tzinfo=WIB)
    assert initial["submission_closes_at"] == datetime(2023, 7, 22, 16, 0, tzinfo=WIB)
    assert 'value="2023-07-25"' in response.content.decode()


def test_title_without_a_year_gets_the_next_year_appended():
    meeting = Meeting(title="RAKORTEK Bidang PU", year=2025)
    assert services.next_year_title(meeting) == "RAKORTEK Bidang PU 2026"


def test_a_29_february_start_is_proposed_on_28_february_next_year():
    start = datetime(2024, 2, 29, 9, 0, tzinfo=WIB)
    meeting = Meeting(title="RAKORTEK 2024", year=2024, starts_at=start, ends_at=start)
    assert services.next_year_proposal(meeting)["starts_at"] == datetime(
        2025, 2, 28, 9, 0, tzinfo=WIB
    )


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
    assert (new.mode, new.online_link) == (source.mode, source.online_link)
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

    agenda = list(new.agenda_items.values_list("starts_at", "ends_at", "activity", "person"))
    assert agenda == [
        (time(8, 0), None, "Registrasi peserta", ""),
        # Who opens is not copied: next year's minutes must not name last year's official.
        (time(8, 30), time(9, 30), "Pembukaan", ""),
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
