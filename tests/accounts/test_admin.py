"""The Django admin for IT staff: users by full name, role and region; invitations read-only."""

import pytest
from django.test import Client
from django.urls import reverse

from rakortek.accounts.models import Invitation, Role, User
from rakortek.accounts.services import invitation_create
from tests.factories import PASSWORD, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_admin(db):
    admin = User.objects.create_superuser("it", "it@example.go.id", PASSWORD, full_name="Staf TI")
    client = Client()
    client.force_login(admin)
    return client


def test_admin_lists_and_searches_users(as_admin, delegate_bangka, kabid_sda):
    response = as_admin.get(reverse("admin:accounts_user_changelist"), {"q": "budi"})
    assert response.status_code == 200
    assert list(response.context["cl"].queryset) == [delegate_bangka]


def test_admin_user_pages_have_no_first_or_last_name(as_admin, delegate_bangka):
    for url in [
        reverse("admin:accounts_user_add"),
        reverse("admin:accounts_user_change", args=[delegate_bangka.pk]),
    ]:
        response = as_admin.get(url)
        assert response.status_code == 200
        fields = response.context["adminform"].form.fields
        assert "first_name" not in fields and "last_name" not in fields
        assert {"full_name", "role", "region"} <= set(fields)


def test_admin_applies_the_role_and_region_rules(as_admin):
    data = {
        "username": "delegasi-baru",
        "full_name": "Delegasi Baru",
        "email": "baru@example.go.id",
        "role": Role.DELEGATE,
        "region": "",
        "usable_password": "true",
        "password1": "sungai-rangkui-bersih-2022",
        "password2": "sungai-rangkui-bersih-2022",
    }
    response = as_admin.post(reverse("admin:accounts_user_add"), data)
    assert response.status_code == 200
    assert "region" in response.context["adminform"].form.errors
    data["region"] = region("belitung").pk
    response = as_admin.post(reverse("admin:accounts_user_add"), data)
    assert response.status_code == 302
    assert User.objects.get(username="delegasi-baru").region.slug == "belitung"


def test_admin_shows_invitations_read_only_and_cannot_add_them(
    as_admin, secretariat, delegate_bangka
):
    invitation, _ = invitation_create(user=delegate_bangka, created_by=secretariat)
    assert as_admin.get(reverse("admin:accounts_invitation_changelist")).status_code == 200
    response = as_admin.get(reverse("admin:accounts_invitation_change", args=[invitation.pk]))
    assert response.status_code == 200
    assert "token_hash" in response.context["adminform"].readonly_fields
    assert invitation.token_hash in response.text
    assert as_admin.get(reverse("admin:accounts_invitation_add")).status_code == 403


def test_admin_revokes_invitations(as_admin, secretariat, delegate_bangka):
    invitation, _ = invitation_create(user=delegate_bangka, created_by=secretariat)
    response = as_admin.post(
        reverse("admin:accounts_invitation_changelist"),
        {"action": "revoke", "_selected_action": [invitation.pk]},
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED


def test_secretariat_without_staff_status_cannot_open_the_admin(as_secretariat):
    response = as_secretariat.get(reverse("admin:accounts_user_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
