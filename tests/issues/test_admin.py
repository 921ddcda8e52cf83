import pytest
from django.test import Client
from django.urls import reverse

from issues import services
from issues.models import (
    AssentItem,
    AssentRound,
    Attachment,
    DeskLockRecord,
    Issue,
    IssueComment,
    IssueEvent,
    IssueSequence,
    RegionWindow,
)
from rakortek.accounts.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MODELS = [
    Issue,
    IssueEvent,
    IssueComment,
    IssueSequence,
    RegionWindow,
    Attachment,
    AssentRound,
    AssentItem,
    DeskLockRecord,
]


@pytest.fixture
def as_admin(db):
    client = Client()
    client.force_login(
        UserFactory(username="admin-ti", role=Role.SECRETARIAT, is_staff=True, is_superuser=True)
    )
    return client


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_issues_model_has_an_admin_list(as_admin, submitted, kabid_bina_marga, model):
    services.issue_comment_add(actor=kabid_bina_marga, issue=submitted, body="Catatan")
    url = reverse(f"admin:issues_{model._meta.model_name}_changelist")
    assert as_admin.get(url).status_code == 200


def test_the_issue_admin_page_shows_its_history_and_comments(as_admin, submitted):
    response = as_admin.get(reverse("admin:issues_issue_change", args=[submitted.pk]))
    assert response.status_code == 200
    assert "issueevent" in response.text.lower()


def test_the_admin_is_closed_to_the_secretariat_role_without_staff(as_secretariat):
    response = as_secretariat.get(reverse("admin:issues_issue_changelist"))
    assert response.status_code == 302
