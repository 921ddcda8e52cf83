"""The secretariat's account screens: list, create with an invitation, edit, (de)activate."""

import hashlib

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from rakortek.accounts.models import Invitation, Role, User
from rakortek.accounts.services import invitation_create
from tests.factories import PASSWORD, UserFactory, region

pytestmark = pytest.mark.django_db


def _new_delegate(**overrides):
    data = {
        "full_name": "Rina Marlina, S.T.",
        "username": "delegasi-bangka-tengah",
        "email": "rina@example.go.id",
        "role": Role.DELEGATE,
        "region": region("bangka-tengah").pk,
        "position": "Perencana Ahli Muda",
        "nip": "",
        "phone": "0812 7000 1234",
        "office": "DPUPR Kabupaten Bangka Tengah",
    }
    data.update(overrides)
    return data


def _create(client, capture, **overrides):
    with capture(execute=True):
        return client.post(reverse("accounts:user_create"), _new_delegate(**overrides))


# List


def test_user_list_shows_people_with_role_region_and_status(
    as_secretariat, delegate_bangka, kabid_sda
):
    response = as_secretariat.get(reverse("accounts:user_list"))
    assert response.status_code == 200
    assert {u.username for u in response.context["page"]} >= {"delegasi-bangka", "kabid-sda"}
    assert "Budi Santoso" in response.text
    assert "Kabupaten Bangka" in response.text


def test_user_list_filters_by_role(as_secretariat, delegate_bangka, kabid_sda, observer):
    response = as_secretariat.get(reverse("accounts:user_list"), {"role": Role.DESK_HEAD})
    assert [u.username for u in response.context["page"]] == ["kabid-sda"]


def test_user_list_filters_by_region(as_secretariat, delegate_bangka, delegate_pangkalpinang):
    response = as_secretariat.get(
        reverse("accounts:user_list"), {"region": region("pangkalpinang").pk}
    )
    assert [u.username for u in response.context["page"]] == ["delegasi-pangkalpinang"]


def test_user_list_searches_by_name_ignoring_case(
    as_secretariat, delegate_bangka, delegate_pangkalpinang
):
    response = as_secretariat.get(reverse("accounts:user_list"), {"q": "maya"})
    assert [u.username for u in response.context["page"]] == ["delegasi-pangkalpinang"]


def test_user_list_search_matches_every_word(as_secretariat, delegate_bangka):
    UserFactory(username="budi-lain", full_name="Budi Hartono", role=Role.OBSERVER)
    response = as_secretariat.get(reverse("accounts:user_list"), {"q": "budi santoso"})
    assert [u.username for u in response.context["page"]] == ["delegasi-bangka"]


def test_user_list_filters_by_status(as_secretariat, delegate_bangka, delegate_pangkalpinang):
    delegate_bangka.is_active = False
    delegate_bangka.save(update_fields=["is_active"])
    response = as_secretariat.get(reverse("accounts:user_list"), {"status": "inactive"})
    assert [u.username for u in response.context["page"]] == ["delegasi-bangka"]


def test_user_list_ignores_a_bad_filter_value(as_secretariat, delegate_bangka):
    response = as_secretariat.get(reverse("accounts:user_list"), {"region": "bukan-angka"})
    assert response.status_code == 200
    assert "delegasi-bangka" in [u.username for u in response.context["page"]]


def test_user_list_does_not_query_per_row(
    as_secretariat, secretariat, django_assert_max_num_queries
):
    for n in range(30):
        user = UserFactory(
            username=f"delegasi-{n}", role=Role.DELEGATE, region=region("belitung"), password=None
        )
        invitation_create(user=user, created_by=secretariat)
    with django_assert_max_num_queries(6):
        response = as_secretariat.get(reverse("accounts:user_list"))
    assert len(response.context["page"]) == 31


def test_user_list_shows_who_is_still_invited(as_secretariat, secretariat):
    invited = UserFactory(username="baru", role=Role.OBSERVER)
    invited.set_unusable_password()
    invited.save(update_fields=["password"])
    invitation_create(user=invited, created_by=secretariat)
    response = as_secretariat.get(reverse("accounts:user_list"), {"q": "baru"})
    (row,) = response.context["page"]
    assert len(row.open_invitations) == 1


def test_staff_and_superuser_accounts_are_left_to_the_admin(as_secretariat):
    it = User.objects.create_superuser("it", "it@example.go.id", PASSWORD, full_name="Staf TI")
    response = as_secretariat.get(reverse("accounts:user_list"))
    assert it not in response.context["page"]
    for name in ["accounts:user_detail", "accounts:user_update"]:
        assert as_secretariat.get(reverse(name, args=[it.pk])).status_code == 404
    for name in [
        "accounts:user_deactivate",
        "accounts:user_reactivate",
        "accounts:invitation_resend",
    ]:
        assert as_secretariat.post(reverse(name, args=[it.pk])).status_code == 404
    it.refresh_from_db()
    assert it.is_active
    assert not it.invitations.exists()


def test_superuser_sees_every_account(client):
    it = User.objects.create_superuser("it", "it@example.go.id", PASSWORD, full_name="Staf TI")
    client.force_login(it)
    assert client.get(reverse("accounts:user_detail", args=[it.pk])).status_code == 200


# Create


def test_secretariat_creates_a_delegate_without_a_password(
    as_secretariat, secretariat, django_capture_on_commit_callbacks, mailoutbox
):
    response = _create(as_secretariat, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    user = User.objects.get(username="delegasi-bangka-tengah")
    assert (user.role, user.region.slug, user.is_active) == (Role.DELEGATE, "bangka-tengah", True)
    assert not user.has_usable_password()
    invitation = user.invitations.get()
    assert invitation.created_by == secretariat
    assert invitation.is_usable


def test_new_account_link_is_shown_once_and_only_its_hash_is_stored(
    as_secretariat, django_capture_on_commit_callbacks
):
    response = _create(as_secretariat, django_capture_on_commit_callbacks)
    link = response.context["link"]
    assert link.startswith(settings.SITE_URL.rstrip("/") + "/akun/undangan/")
    assert link in response.text
    assert "no-store" in response["Cache-Control"]
    token = link.rstrip("/").rsplit("/", 1)[1]
    invitation = Invitation.objects.get()
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in invitation.token_hash
    # The detail page lists the invitation but cannot show the link again.
    detail = as_secretariat.get(reverse("accounts:user_detail", args=[invitation.user.pk]))
    assert token not in detail.text


def test_new_account_link_is_emailed_to_the_person(
    as_secretariat, django_capture_on_commit_callbacks, mailoutbox
):
    response = _create(as_secretariat, django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["rina@example.go.id"]
    assert response.context["link"] in message.body
    assert "delegasi-bangka-tengah" in message.body
    assert "\n" not in message.subject
    assert "&#x27;" not in message.body and "&amp;" not in message.body


def test_new_account_page_offers_sharing_by_whatsapp(
    as_secretariat, django_capture_on_commit_callbacks
):
    response = _create(as_secretariat, django_capture_on_commit_callbacks)
    assert "https://wa.me/?text=" in response.text


def test_invitation_expires_after_the_configured_days(
    as_secretariat, settings, django_capture_on_commit_callbacks
):
    settings.INVITATION_VALID_DAYS = 3
    _create(as_secretariat, django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get()
    lifetime = invitation.expires_at - invitation.created_at
    assert abs(lifetime.total_seconds() - 3 * 24 * 3600) < 60


def test_bad_input_keeps_what_was_typed_and_creates_nothing(
    as_secretariat, django_capture_on_commit_callbacks, mailoutbox
):
    response = _create(
        as_secretariat,
        django_capture_on_commit_callbacks,
        region="",
        nip="123",
        email="bukan-email",
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"region", "nip", "email"}
    assert form["full_name"].value() == "Rina Marlina, S.T."
    assert "Rina Marlina, S.T." in response.text
    assert not User.objects.filter(username="delegasi-bangka-tengah").exists()
    assert not Invitation.objects.exists()
    assert mailoutbox == []


def test_username_taken_in_another_case_is_refused(
    as_secretariat, delegate_bangka, django_capture_on_commit_callbacks
):
    response = _create(
        as_secretariat, django_capture_on_commit_callbacks, username="DELEGASI-Bangka"
    )
    assert response.status_code == 200
    assert "username" in response.context["form"].errors
    assert User.objects.filter(username__iexact="delegasi-bangka").count() == 1


# Edit


def test_secretariat_edits_an_account(as_secretariat, delegate_bangka):
    data = _new_delegate(
        full_name="Budi Santoso, S.T., M.T.",
        username="delegasi-bangka",
        email="budi@example.go.id",
        region=region("bangka").pk,
        nip="19800101 200501 1 003",
    )
    response = as_secretariat.post(reverse("accounts:user_update", args=[delegate_bangka.pk]), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:user_detail", args=[delegate_bangka.pk])
    delegate_bangka.refresh_from_db()
    assert delegate_bangka.full_name == "Budi Santoso, S.T., M.T."
    assert delegate_bangka.nip == "198001012005011003"
    # The password is not part of the form and stays as it was.
    assert delegate_bangka.check_password(PASSWORD)


def test_the_secretariat_cannot_change_its_own_role(as_secretariat, secretariat):
    url = reverse("accounts:user_update", args=[secretariat.pk])
    page = as_secretariat.get(url)
    assert page.context["form"].fields["role"].disabled
    data = {
        "full_name": "Nurhayati, S.E.",
        "username": "sekretariat",
        "email": "sekretariat@example.go.id",
        "role": Role.OBSERVER,
    }
    response = as_secretariat.post(url, data)
    assert response.status_code == 302
    secretariat.refresh_from_db()
    assert secretariat.role == Role.SECRETARIAT
    assert secretariat.full_name == "Nurhayati, S.E."


def test_editing_keeps_the_own_username_in_another_case(as_secretariat, delegate_bangka):
    data = _new_delegate(
        full_name="Budi Santoso",
        username="Delegasi-Bangka",
        email="budi@example.go.id",
        region=region("bangka").pk,
    )
    response = as_secretariat.post(reverse("accounts:user_update", args=[delegate_bangka.pk]), data)
    assert response.status_code == 302
    delegate_bangka.refresh_from_db()
    assert delegate_bangka.username == "Delegasi-Bangka"


def test_changing_a_delegate_into_a_desk_head_needs_the_region_cleared(
    as_secretariat, delegate_bangka
):
    url = reverse("accounts:user_update", args=[delegate_bangka.pk])
    data = _new_delegate(
        username="delegasi-bangka", role=Role.DESK_HEAD, region=region("bangka").pk
    )
    response = as_secretariat.post(url, data)
    assert response.status_code == 200
    assert "region" in response.context["form"].errors
    delegate_bangka.refresh_from_db()
    assert delegate_bangka.role == Role.DELEGATE

    data["region"] = ""
    assert as_secretariat.post(url, data).status_code == 302
    delegate_bangka.refresh_from_db()
    assert (delegate_bangka.role, delegate_bangka.region) == (Role.DESK_HEAD, None)


# Deactivate and reactivate


def test_deactivated_account_is_kept_and_its_session_ends(
    as_secretariat, as_delegate_bangka, delegate_bangka
):
    assert as_delegate_bangka.get(reverse("home")).status_code == 200
    response = as_secretariat.post(reverse("accounts:user_deactivate", args=[delegate_bangka.pk]))
    assert response["Location"] == reverse("accounts:user_detail", args=[delegate_bangka.pk])
    delegate_bangka.refresh_from_db()
    assert delegate_bangka.is_active is False
    assert User.objects.filter(pk=delegate_bangka.pk).exists()
    assert as_delegate_bangka.get(reverse("home")).status_code == 302


def test_deactivating_revokes_open_invitations(as_secretariat, secretariat, delegate_bangka):
    invitation, token = invitation_create(user=delegate_bangka, created_by=secretariat)
    as_secretariat.post(reverse("accounts:user_deactivate", args=[delegate_bangka.pk]))
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    response = as_secretariat.get(reverse("accounts:invitation_accept", args=[token]))
    assert response.status_code == 404


def test_secretariat_cannot_deactivate_their_own_account(as_secretariat, secretariat):
    response = as_secretariat.post(
        reverse("accounts:user_deactivate", args=[secretariat.pk]), follow=True
    )
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["danger"]
    secretariat.refresh_from_db()
    assert secretariat.is_active


def test_reactivated_account_can_log_in_again(as_secretariat, client, delegate_bangka):
    delegate_bangka.is_active = False
    delegate_bangka.save(update_fields=["is_active"])
    response = as_secretariat.post(reverse("accounts:user_reactivate", args=[delegate_bangka.pk]))
    assert response.status_code == 302
    delegate_bangka.refresh_from_db()
    assert delegate_bangka.is_active
    response = client.post(reverse("login"), {"username": "delegasi-bangka", "password": PASSWORD})
    assert client.session[SESSION_KEY] == str(delegate_bangka.pk)


# Resend


def test_new_link_revokes_the_older_ones(
    as_secretariat, secretariat, delegate_bangka, django_capture_on_commit_callbacks, mailoutbox
):
    old, old_token = invitation_create(user=delegate_bangka, created_by=secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = as_secretariat.post(
            reverse("accounts:invitation_resend", args=[delegate_bangka.pk])
        )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    old.refresh_from_db()
    assert old.revoked_at is not None
    new = delegate_bangka.invitations.exclude(pk=old.pk).get()
    assert new.is_usable
    assert response.context["link"] in mailoutbox[-1].body
    assert (
        as_secretariat.get(reverse("accounts:invitation_accept", args=[old_token])).status_code
        == 404
    )


def test_no_new_link_for_a_deactivated_account(as_secretariat, delegate_bangka):
    delegate_bangka.is_active = False
    delegate_bangka.save(update_fields=["is_active"])
    response = as_secretariat.post(
        reverse("accounts:invitation_resend", args=[delegate_bangka.pk]), follow=True
    )
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["danger"]
    assert not delegate_bangka.invitations.exists()


def test_detail_page_lists_invitations_with_their_status(
    as_secretariat, secretariat, delegate_bangka
):
    first, _ = invitation_create(user=delegate_bangka, created_by=secretariat)
    second, _ = invitation_create(user=delegate_bangka, created_by=secretariat)
    response = as_secretariat.get(reverse("accounts:user_detail", args=[delegate_bangka.pk]))
    statuses = [(i.pk, i.status) for i in response.context["invitations"]]
    assert statuses == [
        (second.pk, Invitation.Status.PENDING),
        (first.pk, Invitation.Status.REVOKED),
    ]
