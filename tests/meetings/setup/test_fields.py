import pytest
from django.urls import reverse

from meetings import services
from meetings.models import Field
from tests.factories import DeskFactory, FieldFactory, field

pytestmark = pytest.mark.django_db


def field_data(**overrides):
    data = {
        "name": "Air Minum dan Sanitasi",
        "code": "ams",
        "description": "SPAM dan sanitasi.",
        "order": "7",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_field_list_shows_the_six_fields_in_order(as_secretariat, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = as_secretariat.get(reverse("meetings:field_list"))
    assert [f.code for f in response.context["fields"]] == ["BM", "SDA", "PRP", "PRM", "KP", "JK"]


def test_secretariat_adds_a_field_with_an_upper_case_code_and_a_slug(as_secretariat):
    response = as_secretariat.post(reverse("meetings:field_create"), field_data())
    assert response.status_code == 302
    added = Field.objects.get(code="AMS")
    assert (added.slug, added.order, added.is_active) == ("air-minum-dan-sanitasi", 7, True)


@pytest.mark.parametrize(
    ("overrides", "field_with_error"),
    [
        ({"code": "BM"}, "code"),
        ({"code": "B-1"}, "code"),
        ({"name": "Bina Marga"}, "name"),
        ({"name": ""}, "name"),
    ],
    ids=["code-taken", "code-not-letters", "name-taken", "name-missing"],
)
def test_bad_field_input_is_refused_and_kept(as_secretariat, overrides, field_with_error):
    response = as_secretariat.post(reverse("meetings:field_create"), field_data(**overrides))
    form = response.context["form"]
    assert list(form.errors) == [field_with_error]
    assert form["description"].value() == "SPAM dan sanitasi."
    assert Field.objects.count() == 6


def test_a_field_slug_steps_aside_for_an_existing_one():
    FieldFactory(slug="perumahan-rakyat", name="Perumahan Rakyat Lama", code="PRL")
    added = services.field_create(name="Perumahan Rakyat", code="PR")
    assert added.slug == "perumahan-rakyat-2"


def test_secretariat_edits_and_deactivates_a_field_keeping_its_slug(as_secretariat):
    bina_marga = field("bina-marga")
    response = as_secretariat.post(
        reverse("meetings:field_update", args=[bina_marga.pk]),
        field_data(name="Bina Marga (Jalan dan Jembatan)", code="BM", is_active=""),
    )
    assert response.status_code == 302
    bina_marga.refresh_from_db()
    assert (bina_marga.name, bina_marga.is_active) == ("Bina Marga (Jalan dan Jembatan)", False)
    assert bina_marga.slug == "bina-marga"


def test_an_unused_field_is_deleted_after_confirmation(as_secretariat):
    unused = FieldFactory()
    url = reverse("meetings:field_delete", args=[unused.pk])
    assert as_secretariat.get(url).context["refused"] is False
    assert Field.objects.filter(pk=unused.pk).exists()
    response = as_secretariat.post(url)
    assert response.status_code == 302
    assert not Field.objects.filter(pk=unused.pk).exists()


def test_a_field_used_by_a_desk_is_not_deleted(as_secretariat, desk_bina_marga):
    url = reverse("meetings:field_delete", args=[desk_bina_marga.field.pk])
    page = as_secretariat.get(url)
    assert page.context["refused"] is True
    assert 'method="post"' not in page.content.decode().split("<main", 1)[1].split("</main>")[0]
    response = as_secretariat.post(url)
    assert response.status_code == 409
    assert Field.objects.filter(pk=desk_bina_marga.field.pk).exists()


def test_field_delete_service_refuses_a_field_in_use():
    desk = DeskFactory(field=field("perumahan"))
    with pytest.raises(services.FieldInUse):
        services.field_delete(field=desk.field)
    assert Field.objects.filter(slug="perumahan").exists()
