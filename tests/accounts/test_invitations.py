"""Accepting an invitation: the invited person chooses a password once, then is logged in."""

from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone

from rakortek.accounts.models import Invitation, Role
from rakortek.accounts.services import (
    InvitationNotUsable,
    invitation_accept,
    invitation_create,
    user_create,
)
from tests.factories import region

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "sungai-rangkui-bersih-2022"


@pytest.fixture
def invited(secretariat):
    """A new delegate who has not chosen a password yet, and the token of their link."""
    user, invitation, token = user_create(
        created_by=secretariat,
        username="delegasi-belitung",
        email="siti@example.go.id",
        full_name="Siti Rahmawati, S.T.",
        role=Role.DELEGATE,
        region=region("belitung"),
    )
    return user, invitation, token


def _url(token):
    return reverse("accounts:invitation_accept", args=[token])


def _accept(client, token, password=NEW_PASSWORD, confirm=None):
    return client.post(
        _url(token), {"new_password1": password, "new_password2": confirm or password}
    )


def test_invitation_page_greets_the_person_by_name_and_shows_the_username(client, invited):
    user, _, token = invited
    response = client.get(_url(token))
    assert response.status_code == 200
    assert "Siti Rahmawati, S.T." in response.text
    assert "delegasi-belitung" in response.text
    assert response.context["account"] == user
    assert "no-cache" in response["Cache-Control"]


def test_accepting_sets_the_password_logs_in_and_goes_home(client, invited):
    user, invitation, token = invited
    response = _accept(client, token)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session[SESSION_KEY] == str(user.pk)
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    invitation.refresh_from_db()
    assert invitation.used_at is not None
    assert client.get(reverse("home")).status_code == 200


def test_person_logs_in_later_with_the_chosen_password(client, invited):
    _, _, token = invited
    _accept(client, token)
    client.post(reverse("logout"))
    response = client.post(
        reverse("login"), {"username": "delegasi-belitung", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302


def test_a_link_works_only_once(client, invited):
    _, _, token = invited
    _accept(client, token)
    client.post(reverse("logout"))
    response = client.get(_url(token))
    assert response.status_code == 404
    assert response.context["status"] == Invitation.Status.USED
    assert "accounts/invitation_invalid.html" in [t.name for t in response.templates]
    response = _accept(client, token, "kata-sandi-lain-sekali-2022")
    assert response.status_code == 404
    assert SESSION_KEY not in client.session


def test_expired_link_gets_a_clear_page(client, invited):
    _, invitation, token = invited
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    response = client.get(_url(token))
    assert response.status_code == 404
    assert response.context["status"] == Invitation.Status.EXPIRED
    response = _accept(client, token)
    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.used_at is None


def test_replaced_link_gets_a_clear_page(client, invited, secretariat):
    user, _, old_token = invited
    invitation_create(user=user, created_by=secretariat)
    response = client.get(_url(old_token))
    assert response.status_code == 404
    assert response.context["status"] == Invitation.Status.REVOKED


def test_unknown_link_gets_a_clear_page(client, invited):
    response = client.get(_url("bukan-token-yang-benar"))
    assert response.status_code == 404
    assert response.context["status"] is None
    assert "accounts/invitation_invalid.html" in [t.name for t in response.templates]


def test_link_of_a_deactivated_account_does_not_work(client, invited):
    user, _, token = invited
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = _accept(client, token)
    assert response.status_code == 404
    assert response.context["status"] == Invitation.Status.REVOKED
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_link_revoked_while_the_page_was_open_is_refused_on_save(client, invited, secretariat):
    user, _, token = invited
    assert client.get(_url(token)).status_code == 200
    invitation_create(user=user, created_by=secretariat)
    response = _accept(client, token)
    assert response.status_code == 404
    assert SESSION_KEY not in client.session
    user.refresh_from_db()
    assert not user.has_usable_password()


@pytest.mark.parametrize(
    ("password", "confirm"),
    [
        ("12345678", None),  # too short, too common, all digits
        ("siti rahmawati", None),  # too close to the person's own data
        (NEW_PASSWORD, "sungai-rangkui-bersih-2023"),  # the two do not match
    ],
)
def test_bad_password_is_refused_and_the_link_stays_usable(client, invited, password, confirm):
    user, invitation, token = invited
    response = _accept(client, token, password, confirm)
    assert response.status_code == 200
    assert response.context["form"].errors
    invitation.refresh_from_db()
    assert invitation.used_at is None
    assert SESSION_KEY not in client.session


def test_accepting_replaces_a_session_of_another_user(as_observer, invited):
    user, _, token = invited
    response = _accept(as_observer, token)
    assert response.status_code == 302
    assert as_observer.session[SESSION_KEY] == str(user.pk)


def test_accept_service_refuses_a_used_invitation(invited):
    _, invitation, _ = invited
    invitation_accept(invitation=invitation, password=NEW_PASSWORD)
    with pytest.raises(InvitationNotUsable):
        invitation_accept(invitation=invitation, password="kata-sandi-lain-sekali-2022")


def test_accepting_one_link_revokes_any_other_open_link(invited, secretariat):
    user, first, _ = invited
    # Revoked by the second link already; reopen it to model two links sent by mistake.
    second, _ = invitation_create(user=user, created_by=secretariat)
    Invitation.objects.filter(pk=first.pk).update(revoked_at=None)
    invitation_accept(invitation=second, password=NEW_PASSWORD)
    first.refresh_from_db()
    assert first.revoked_at is not None
