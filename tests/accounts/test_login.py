"""Log in, log out, change and reset the password, and the lockout after failed logins."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from rakortek.accounts.models import Role
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "jembatan-emas-pangkalpinang-77"


def _log_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_user_logs_in_with_username_and_password_and_lands_home(client, delegate_bangka):
    response = _log_in(client, "delegasi-bangka", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session[SESSION_KEY] == str(delegate_bangka.pk)


def test_login_ignores_the_case_of_the_username(client, delegate_bangka):
    response = _log_in(client, "Delegasi-Bangka", PASSWORD)
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(delegate_bangka.pk)


def test_wrong_password_shows_the_form_again_with_an_error(client, delegate_bangka):
    response = _log_in(client, "delegasi-bangka", "salah")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert response.context["form"]["username"].value() == "delegasi-bangka"
    assert SESSION_KEY not in client.session


def test_login_returns_to_the_page_asked_for(client, secretariat):
    url = reverse("accounts:user_list")
    response = client.post(
        f"{reverse('login')}?next={url}",
        {"username": "sekretariat", "password": PASSWORD, "next": url},
    )
    assert response["Location"] == url


def test_logged_in_user_opening_login_goes_home(as_observer):
    response = as_observer.get(reverse("login"))
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_deactivated_user_cannot_log_in(client, delegate_bangka):
    delegate_bangka.is_active = False
    delegate_bangka.save(update_fields=["is_active"])
    response = _log_in(client, "delegasi-bangka", PASSWORD)
    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_logout_is_post_only(as_observer):
    response = as_observer.get(reverse("logout"))
    assert response.status_code == 405
    assert SESSION_KEY in as_observer.session


def test_logout_ends_the_session_and_shows_login(as_observer):
    response = as_observer.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert SESSION_KEY not in as_observer.session
    assert as_observer.get(reverse("home")).status_code == 302


# Lockout (django-axes): 5 failures per username and address, then 15 minutes.


def test_sixth_attempt_after_five_wrong_passwords_is_locked_out_even_when_right(
    client, delegate_bangka
):
    statuses = [
        _log_in(client, "delegasi-bangka", "salah").status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    # The fifth failure itself already answers with the lockout page.
    assert statuses == [200, 200, 200, 200, 429]
    response = _log_in(client, "delegasi-bangka", PASSWORD)
    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    assert response.context["cooloff_timedelta"] == timedelta(minutes=15)
    # The page says how long to wait, in minutes.
    assert re.search(r"\b15\b", response.text)
    assert SESSION_KEY not in client.session


def test_four_wrong_passwords_do_not_lock_the_account(client, delegate_bangka):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _log_in(client, "delegasi-bangka", "salah")
    response = _log_in(client, "delegasi-bangka", PASSWORD)
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(delegate_bangka.pk)


def test_lockout_of_one_username_leaves_others_on_the_same_address_free(
    client, delegate_bangka, delegate_pangkalpinang
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _log_in(client, "delegasi-bangka", "salah")
    assert _log_in(client, "delegasi-bangka", PASSWORD).status_code == 429
    response = _log_in(client, "delegasi-pangkalpinang", PASSWORD)
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(delegate_pangkalpinang.pk)


def test_lockout_applies_to_the_address_it_came_from_only(client, delegate_bangka):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _log_in(client, "delegasi-bangka", "salah")
    response = client.post(
        reverse("login"),
        {"username": "delegasi-bangka", "password": PASSWORD},
        REMOTE_ADDR="10.20.30.40",
    )
    assert response.status_code == 302


# Change password (logged in)


def test_user_changes_their_password(as_delegate_bangka, delegate_bangka):
    response = as_delegate_bangka.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    delegate_bangka.refresh_from_db()
    assert delegate_bangka.check_password(NEW_PASSWORD)
    # Still logged in on this device.
    assert as_delegate_bangka.get(reverse("home")).status_code == 200


def test_change_password_needs_the_current_one(as_delegate_bangka, delegate_bangka):
    response = as_delegate_bangka.post(
        reverse("password_change"),
        {"old_password": "salah", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    delegate_bangka.refresh_from_db()
    assert delegate_bangka.check_password(PASSWORD)


def test_change_password_applies_the_password_rules(as_delegate_bangka, delegate_bangka):
    response = as_delegate_bangka.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    assert "new_password2" in response.context["form"].errors


# Reset password by e-mail


def _reset_link(message):
    match = re.search(rf"{re.escape(settings.SITE_URL.rstrip('/'))}(/\S+)", message.body)
    assert match, message.body
    return match.group(1)


def test_forgotten_password_is_reset_through_the_emailed_link(client, mailoutbox, delegate_bangka):
    response = client.post(reverse("password_reset"), {"email": delegate_bangka.email})
    assert response["Location"] == reverse("password_reset_done")
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [delegate_bangka.email]
    assert "Rakortek" in message.subject
    assert "\n" not in message.subject
    assert delegate_bangka.username in message.body
    # A plain-text message: nothing HTML-escaped.
    assert "&#x27;" not in message.body and "&amp;" not in message.body

    response = client.get(_reset_link(message), follow=True)
    assert response.status_code == 200
    assert response.context["validlink"]
    set_password_url = response.redirect_chain[-1][0]
    response = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response["Location"] == reverse("password_reset_complete")
    assert _log_in(client, "delegasi-bangka", NEW_PASSWORD).status_code == 302


def test_reset_link_works_only_once(client, mailoutbox, delegate_bangka):
    client.post(reverse("password_reset"), {"email": delegate_bangka.email})
    link = _reset_link(mailoutbox[0])
    response = client.get(link, follow=True)
    client.post(
        response.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    response = client.get(link, follow=True)
    assert response.status_code == 200
    assert response.context["validlink"] is False


def test_reset_for_an_unknown_address_sends_nothing_and_reveals_nothing(client, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "siapa@example.go.id"})
    assert response["Location"] == reverse("password_reset_done")
    assert mailoutbox == []


def test_reset_is_not_sent_to_an_account_that_has_not_used_its_invitation(client, mailoutbox):
    user = UserFactory(username="baru", role=Role.OBSERVER)
    user.set_unusable_password()
    user.save(update_fields=["password"])
    client.post(reverse("password_reset"), {"email": user.email})
    assert mailoutbox == []
