from datetime import time

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from meetings.models import Desk
from rakortek.accounts.models import Role
from tests.factories import DeskFactory, FieldFactory, UserFactory, field

pytestmark = pytest.mark.django_db


def desk_data(**overrides):
    data = {
        "field": field("penataan-ruang").pk,
        "chair": "",
        "note_taker": "",
        "room": "Ruang Rapat Tata Ruang",
        "starts_at": "10:00",
        "ends_at": "14:00",
    }
    data.update(overrides)
    return data


@pytest.fixture
def kabid_penataan_ruang(db):
    return UserFactory(
        username="kabid-penataan-ruang", full_name="Dewi Anggraini", role=Role.DESK_HEAD
    )


def test_secretariat_adds_a_desk_with_chair_and_note_taker(
    as_secretariat, meeting, kabid_penataan_ruang, secretariat
):
    response = as_secretariat.post(
        reverse("meetings:desk_create", args=[meeting.slug]),
        desk_data(chair=kabid_penataan_ruang.pk, note_taker=secretariat.pk),
    )
    assert response.status_code == 302
    desk = meeting.desks.get()
    assert (desk.field.slug, desk.chair, desk.note_taker) == (
        "penataan-ruang",
        kabid_penataan_ruang,
        secretariat,
    )
    assert (desk.starts_at, desk.ends_at) == (time(10), time(14))


def test_a_second_desk_for_the_same_field_is_refused_clearly(
    as_secretariat, desk_bina_marga, kabid_penataan_ruang
):
    meeting = desk_bina_marga.meeting
    response = as_secretariat.post(
        reverse("meetings:desk_create", args=[meeting.slug]),
        desk_data(field=desk_bina_marga.field.pk, chair=kabid_penataan_ruang.pk, room="Aula"),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["field"]
    assert form["room"].value() == "Aula"
    assert meeting.desks.count() == 1


def test_the_same_field_may_have_a_desk_in_another_meeting(
    as_secretariat, desk_bina_marga, kabid_bina_marga
):
    other = DeskFactory(field=field("sumber-daya-air")).meeting
    response = as_secretariat.post(
        reverse("meetings:desk_create", args=[other.slug]),
        desk_data(field=desk_bina_marga.field.pk, chair=kabid_bina_marga.pk),
    )
    assert response.status_code == 302
    assert other.desks.count() == 2


def test_database_refuses_two_desks_for_one_field(desk_bina_marga):
    with pytest.raises(IntegrityError), transaction.atomic():
        DeskFactory(meeting=desk_bina_marga.meeting, field=desk_bina_marga.field)


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.DELEGATE, Role.OBSERVER])
def test_only_a_head_of_field_may_chair_a_desk(as_secretariat, meeting, role, delegate_bangka):
    user = delegate_bangka if role == Role.DELEGATE else UserFactory(role=role)
    response = as_secretariat.post(
        reverse("meetings:desk_create", args=[meeting.slug]), desk_data(chair=user.pk)
    )
    assert list(response.context["form"].errors) == ["chair"]
    assert not meeting.desks.exists()


def test_a_desk_needs_a_chair(as_secretariat, meeting):
    response = as_secretariat.post(
        reverse("meetings:desk_create", args=[meeting.slug]), desk_data()
    )
    assert list(response.context["form"].errors) == ["chair"]


def test_an_inactive_head_of_field_is_not_offered(as_secretariat, meeting, kabid_penataan_ruang):
    retired = UserFactory(role=Role.DESK_HEAD, is_active=False)
    form = as_secretariat.get(reverse("meetings:desk_create", args=[meeting.slug])).context["form"]
    assert list(form.fields["chair"].queryset) == [kabid_penataan_ruang]
    assert retired not in form.fields["note_taker"].queryset


def test_a_delegate_cannot_take_notes(as_secretariat, meeting, kabid_sda, delegate_bangka):
    response = as_secretariat.post(
        reverse("meetings:desk_create", args=[meeting.slug]),
        desk_data(chair=kabid_sda.pk, note_taker=delegate_bangka.pk),
    )
    assert list(response.context["form"].errors) == ["note_taker"]


def test_an_inactive_field_gets_no_new_desk(as_secretariat, meeting, kabid_sda):
    closed = FieldFactory(is_active=False)
    response = as_secretariat.post(
        reverse("meetings:desk_create", args=[meeting.slug]),
        desk_data(field=closed.pk, chair=kabid_sda.pk),
    )
    assert list(response.context["form"].errors) == ["field"]


def test_desk_ending_before_it_starts_is_refused(as_secretariat, meeting, kabid_sda):
    response = as_secretariat.post(
        reverse("meetings:desk_create", args=[meeting.slug]),
        desk_data(chair=kabid_sda.pk, starts_at="14:00", ends_at="10:00"),
    )
    assert list(response.context["form"].errors) == ["ends_at"]


def test_secretariat_edits_a_desk_keeping_its_inactive_field(
    as_secretariat, desk_bina_marga, kabid_sda
):
    bina_marga = desk_bina_marga.field
    bina_marga.is_active = False
    bina_marga.save(update_fields=["is_active"])
    url = reverse("meetings:desk_update", args=[desk_bina_marga.meeting.slug, desk_bina_marga.pk])
    response = as_secretariat.post(
        url, desk_data(field=bina_marga.pk, chair=kabid_sda.pk, room="Ruang Auditorium")
    )
    assert response.status_code == 302
    desk_bina_marga.refresh_from_db()
    assert (desk_bina_marga.chair, desk_bina_marga.room) == (kabid_sda, "Ruang Auditorium")


def test_removing_a_desk_asks_first_and_removes_on_post(as_secretariat, desk_bina_marga):
    url = reverse("meetings:desk_delete", args=[desk_bina_marga.meeting.slug, desk_bina_marga.pk])
    assert as_secretariat.get(url).status_code == 200
    assert Desk.objects.filter(pk=desk_bina_marga.pk).exists()
    response = as_secretariat.post(url)
    assert response["Location"].endswith("#desks")
    assert not Desk.objects.filter(pk=desk_bina_marga.pk).exists()
