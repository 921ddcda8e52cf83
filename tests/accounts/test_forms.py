"""The rules of the account form, each with its own message next to the field."""

import pytest

from rakortek.accounts.forms import UserForm
from rakortek.accounts.models import Role
from tests.factories import region

pytestmark = pytest.mark.django_db


def _form(instance=None, **overrides):
    data = {
        "full_name": "Andi Firmansyah, S.T.",
        "username": "delegasi-bangka-selatan",
        "email": "andi@example.go.id",
        "role": Role.DELEGATE,
        "region": region("bangka-selatan").pk,
        "position": "",
        "nip": "",
        "phone": "",
        "office": "",
    }
    data.update(overrides)
    return UserForm(data, instance=instance)


def test_complete_delegate_is_valid():
    form = _form()
    assert form.is_valid(), form.errors


def test_delegate_needs_a_region():
    form = _form(region="")
    assert not form.is_valid()
    assert list(form.errors) == ["region"]


def test_delegate_cannot_belong_to_the_province():
    form = _form(region=region("provinsi").pk)
    assert not form.is_valid()
    assert list(form.errors) == ["region"]


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.DESK_HEAD, Role.OBSERVER])
def test_other_roles_must_not_have_a_region(role):
    form = _form(role=role)
    assert not form.is_valid()
    assert list(form.errors) == ["region"]


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.DESK_HEAD, Role.OBSERVER])
def test_other_roles_without_a_region_are_valid(role):
    assert _form(role=role, region="").is_valid()


@pytest.mark.parametrize(
    "nip", ["12345", "1980010120050110031", "19800101200501100X", "١٩٨٠٠١٠١٢٠٠٥٠١١٠٠٣"]
)
def test_nip_must_be_exactly_18_digits(nip):
    form = _form(nip=nip)
    assert not form.is_valid()
    assert list(form.errors) == ["nip"]


@pytest.mark.parametrize("nip", ["198001012005011003", "19800101 200501 1 003"])
def test_nip_of_18_digits_is_kept_without_spaces(nip):
    form = _form(nip=nip)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["nip"] == "198001012005011003"


def test_nip_is_optional():
    assert _form(nip="").is_valid()


def test_username_must_be_unique_regardless_of_case(delegate_bangka):
    form = _form(username="Delegasi-BANGKA")
    assert not form.is_valid()
    assert list(form.errors) == ["username"]


def test_email_is_required_and_must_be_valid():
    assert list(_form(email="").errors) == ["email"]
    assert list(_form(email="andi@").errors) == ["email"]


def test_phone_number_must_look_like_one():
    assert list(_form(phone="nomor saya").errors) == ["phone"]
    assert _form(phone="+62 812-7000-1234").is_valid()


def test_form_offers_no_password_or_permission_fields():
    assert not {"password", "is_staff", "is_superuser", "is_active", "groups"} & set(
        UserForm().fields
    )
