import pytest
from django.contrib import admin
from django.urls import reverse

from meetings.models import AgendaItem, Criterion, Desk, Field, Meeting, Region
from tests.factories import AgendaItemFactory, CriterionFactory, UserFactory, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_admin(client):
    client.force_login(UserFactory(username="it", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("model", [Region, Field, Meeting, AgendaItem, Desk, Criterion])
def test_every_meetings_model_is_in_the_admin(as_admin, model):
    assert admin.site.is_registered(model)
    opts = model._meta
    assert (
        as_admin.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")).status_code
        == 200
    )


def test_meeting_admin_edits_agenda_desks_and_criteria_inline(as_admin, desk_bina_marga):
    meeting = desk_bina_marga.meeting
    AgendaItemFactory(meeting=meeting)
    CriterionFactory(meeting=meeting, weight=100)
    response = as_admin.get(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
    assert response.status_code == 200
    prefixes = {formset.formset.prefix for formset in response.context["inline_admin_formsets"]}
    assert prefixes == {"agenda_items", "desks", "criteria"}


def test_regions_cannot_be_added_or_deleted_in_the_admin(as_admin):
    pangkalpinang = region("pangkalpinang")
    assert as_admin.get(reverse("admin:meetings_region_add")).status_code == 403
    url = reverse("admin:meetings_region_delete", args=[pangkalpinang.pk])
    assert as_admin.get(url).status_code == 403
