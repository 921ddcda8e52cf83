"""Small things people notice: selects say "Pilih ..." instead of dashes, and coordinates
typed with a decimal comma are read and shown the Indonesian way."""

import pytest
from django.urls import reverse

from issues.models import Issue
from tests.issues.conftest import form_data

pytestmark = pytest.mark.django_db


def test_a_model_select_offers_pilih_instead_of_dashes(as_secretariat, meeting):
    response = as_secretariat.get(reverse("meetings:desk_create", args=[meeting.slug]))
    page = response.content.decode()
    assert '<option value="" selected>Pilih ...</option>' in page
    assert "---------" not in page


def test_a_choices_select_offers_pilih_instead_of_dashes(as_secretariat):
    response = as_secretariat.get(reverse("meetings:create"))
    page = response.content.decode()
    assert "Pilih ..." in page
    assert "---------" not in page


def test_a_form_with_its_own_empty_label_keeps_it(as_delegate_pangkalpinang, meeting):
    page = as_delegate_pangkalpinang.get(
        reverse("issues:create", kwargs={"slug": meeting.slug})
    ).content.decode()
    assert "Pilih bidang" in page


def test_coordinates_typed_with_a_decimal_comma_are_shown_with_one(
    as_delegate_pangkalpinang, meeting, desk_bina_marga
):
    data = form_data(desk_bina_marga, latitude="-1,8512", longitude="106,1131")
    as_delegate_pangkalpinang.post(reverse("issues:create", kwargs={"slug": meeting.slug}), data)
    issue = Issue.objects.get()
    assert str(issue.latitude) == "-1.851200"
    page = as_delegate_pangkalpinang.get(issue.get_absolute_url()).content.decode()
    assert "-1,8512; 106,1131" in page
    assert "-1.8512" not in page
    edit = as_delegate_pangkalpinang.get(
        reverse("issues:edit", kwargs={"pk": issue.pk})
    ).content.decode()
    assert 'value="-1,8512"' in edit


def test_the_province_bounds_in_a_refusal_use_a_decimal_comma(
    as_delegate_pangkalpinang, meeting, desk_bina_marga
):
    data = form_data(desk_bina_marga, latitude="-0,5", longitude="106,1131")
    response = as_delegate_pangkalpinang.post(
        reverse("issues:create", kwargs={"slug": meeting.slug}), data
    )
    assert "antara -3,5 dan -1,4" in response.content.decode()
    assert not Issue.objects.exists()


def test_the_empty_choice_is_set_by_the_projects_forms_not_by_patching_django(meeting):
    from django import forms

    from meetings.models import Region
    from meetings.setup.forms import DeskForm

    # Django's own classes are left as they are (its admin keeps its dashes) ...
    assert forms.ModelChoiceField(queryset=Region.objects.all()).empty_label == "---------"
    # ... and the project's form bases write "Pilih ...".
    form = DeskForm(meeting=meeting)
    labels = [str(form.fields[name].empty_label) for name in ("field", "chair", "note_taker")]
    assert labels == ["Pilih ..."] * 3
