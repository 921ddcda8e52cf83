"""What the database itself guarantees about accounts, and the superuser command."""

import hashlib

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from rakortek.accounts.models import Invitation, Role, User
from rakortek.accounts.services import invitation_create
from tests.factories import UserFactory, region

pytestmark = pytest.mark.django_db


def test_database_refuses_a_delegate_without_a_region():
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="tanpa-wilayah", full_name="X", role=Role.DELEGATE)


def test_database_refuses_a_region_for_another_role():
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(
            username="kabid-wilayah", full_name="X", role=Role.DESK_HEAD, region=region("bangka")
        )


def test_database_refuses_a_username_that_differs_only_in_case(delegate_bangka):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="DELEGASI-BANGKA", full_name="X", role=Role.OBSERVER)


def test_createsuperuser_works_without_a_region():
    call_command(
        "createsuperuser",
        interactive=False,
        username="it",
        email="it@example.go.id",
        full_name="Staf TI",
        verbosity=0,
    )
    it = User.objects.get(username="it")
    assert it.is_superuser and it.is_staff
    assert it.role == Role.SECRETARIAT
    assert it.region is None


def test_invitation_stores_the_sha256_of_its_token_only(secretariat):
    user = UserFactory(username="baru", role=Role.OBSERVER)
    invitation, token = invitation_create(user=user, created_by=secretariat)
    stored = Invitation.objects.filter(pk=invitation.pk).values().get()
    assert stored["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {str(value) for value in stored.values()}
    assert len(token) >= 40


def test_every_invitation_gets_a_different_token(secretariat):
    user = UserFactory(username="baru", role=Role.OBSERVER)
    tokens = {invitation_create(user=user, created_by=secretariat)[1] for _ in range(5)}
    assert len(tokens) == 5
    assert Invitation.objects.usable().filter(user=user).count() == 1
