"""Who may open each account page: the secretariat only; everyone else 403, anonymous to log in."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

# (url name, method, takes the target user's pk, status for the secretariat)
SECRETARIAT_VIEWS = [
    ("accounts:user_list", "get", False, 200),
    ("accounts:user_create", "get", False, 200),
    ("accounts:user_detail", "get", True, 200),
    ("accounts:user_update", "get", True, 200),
    ("accounts:user_deactivate", "post", True, 302),
    ("accounts:user_reactivate", "post", True, 302),
    ("accounts:invitation_resend", "post", True, 200),
]
OTHER_ROLES = ["as_kabid_bina_marga", "as_delegate_pangkalpinang", "as_observer"]


def _url(name, takes_pk, target):
    return reverse(name, args=[target.pk]) if takes_pk else reverse(name)


@pytest.mark.parametrize(("name", "method", "takes_pk", "status"), SECRETARIAT_VIEWS)
def test_secretariat_may_use_every_account_page(
    as_secretariat, delegate_bangka, name, method, takes_pk, status
):
    response = getattr(as_secretariat, method)(_url(name, takes_pk, delegate_bangka))
    assert response.status_code == status


@pytest.mark.parametrize(("name", "method", "takes_pk", "status"), SECRETARIAT_VIEWS)
@pytest.mark.parametrize("client_name", OTHER_ROLES)
def test_other_roles_are_forbidden_from_account_pages(
    request, delegate_bangka, client_name, name, method, takes_pk, status
):
    client = request.getfixturevalue(client_name)
    response = getattr(client, method)(_url(name, takes_pk, delegate_bangka))
    assert response.status_code == 403
    delegate_bangka.refresh_from_db()
    assert delegate_bangka.is_active
    assert not delegate_bangka.invitations.exists()


@pytest.mark.parametrize(("name", "method", "takes_pk", "status"), SECRETARIAT_VIEWS)
def test_anonymous_is_sent_to_log_in_from_account_pages(
    client, delegate_bangka, name, method, takes_pk, status
):
    url = _url(name, takes_pk, delegate_bangka)
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize(
    ("name", "method"),
    [(name, method) for name, method, takes_pk, _ in SECRETARIAT_VIEWS if takes_pk],
)
def test_secretariat_gets_not_found_for_an_unknown_account(as_secretariat, name, method):
    response = getattr(as_secretariat, method)(reverse(name, args=[987654]))
    assert response.status_code == 404


@pytest.mark.parametrize(
    "name", ["accounts:user_deactivate", "accounts:user_reactivate", "accounts:invitation_resend"]
)
def test_account_actions_refuse_get(as_secretariat, delegate_bangka, name):
    response = as_secretariat.get(reverse(name, args=[delegate_bangka.pk]))
    assert response.status_code == 405
    delegate_bangka.refresh_from_db()
    assert delegate_bangka.is_active
    assert not delegate_bangka.invitations.exists()


@pytest.mark.parametrize(
    "client_name",
    ["as_secretariat", "as_kabid_bina_marga", "as_delegate_pangkalpinang", "as_observer"],
)
def test_every_role_may_open_change_password(request, client_name):
    client = request.getfixturevalue(client_name)
    assert client.get(reverse("password_change")).status_code == 200
    assert client.get(reverse("password_change_done")).status_code == 200


@pytest.mark.parametrize("name", ["password_change", "password_change_done"])
def test_anonymous_is_sent_to_log_in_from_change_password(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "name", ["login", "password_reset", "password_reset_done", "password_reset_complete"]
)
def test_anonymous_may_open_the_log_in_and_reset_pages(client, name):
    assert client.get(reverse(name)).status_code == 200
