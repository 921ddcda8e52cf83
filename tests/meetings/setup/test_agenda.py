from datetime import time

import pytest
from django.urls import reverse

from meetings.models import AgendaItem
from tests.factories import AgendaItemFactory

pytestmark = pytest.mark.django_db


def test_secretariat_adds_an_agenda_item(as_secretariat, meeting):
    response = as_secretariat.post(
        reverse("meetings:agenda_create", args=[meeting.slug]),
        {"starts_at": "08:30", "ends_at": "09:00", "activity": "Pembukaan", "person": "Gubernur"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{meeting.get_absolute_url()}#agenda"
    item = meeting.agenda_items.get()
    assert (item.starts_at, item.ends_at, item.person) == (time(8, 30), time(9, 0), "Gubernur")


def test_agenda_item_ending_before_it_starts_is_refused_and_kept(as_secretariat, meeting):
    response = as_secretariat.post(
        reverse("meetings:agenda_create", args=[meeting.slug]),
        {"starts_at": "10:00", "ends_at": "09:00", "activity": "Diskusi desk"},
    )
    form = response.context["form"]
    assert list(form.errors) == ["ends_at"]
    assert form["activity"].value() == "Diskusi desk"
    assert not meeting.agenda_items.exists()


def test_agenda_is_listed_by_time(as_secretariat, meeting):
    AgendaItemFactory(meeting=meeting, starts_at=time(14, 0), activity="Pleno")
    AgendaItemFactory(meeting=meeting, starts_at=time(8, 0), activity="Registrasi")
    html = as_secretariat.get(meeting.get_absolute_url()).text
    assert html.index("Registrasi") < html.index("Pleno")


def test_secretariat_edits_an_agenda_item(as_secretariat, meeting):
    item = AgendaItemFactory(meeting=meeting)
    as_secretariat.post(
        reverse("meetings:agenda_update", args=[meeting.slug, item.pk]),
        {"starts_at": "09:15", "activity": "Pembukaan oleh Gubernur", "person": ""},
    )
    item.refresh_from_db()
    assert (item.starts_at, item.activity) == (time(9, 15), "Pembukaan oleh Gubernur")


def test_deleting_an_agenda_item_asks_first_and_deletes_on_post(as_secretariat, meeting):
    item = AgendaItemFactory(meeting=meeting)
    url = reverse("meetings:agenda_delete", args=[meeting.slug, item.pk])
    response = as_secretariat.get(url)
    assert response.status_code == 200
    assert AgendaItem.objects.filter(pk=item.pk).exists()
    assert 'method="post"' in response.text
    response = as_secretariat.post(url)
    assert response.status_code == 302
    assert not AgendaItem.objects.filter(pk=item.pk).exists()
