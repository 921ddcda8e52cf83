import pytest
from django.urls import reverse

from issues import emails, services
from issues.models import Issue
from rakortek.accounts.models import Role
from tests.factories import UserFactory, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_delegate(db):
    """Another delegate of Pangkalpinang, who also hears about the region's issues."""
    return UserFactory(
        username="delegasi-pangkalpinang-2", role=Role.DELEGATE, region=region("pangkalpinang")
    )


def recipients(mailoutbox):
    return sorted(address for mail in mailoutbox for address in mail.to)


def test_returning_an_issue_emails_the_regions_delegates(
    submitted,
    kabid_bina_marga,
    delegate_pangkalpinang,
    second_delegate,
    delegate_bangka,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_return_for_revision(
            actor=kabid_bina_marga, issue=submitted, question="Berapa lebar jalan eksisting?"
        )
    assert recipients(mailoutbox) == sorted([delegate_pangkalpinang.email, second_delegate.email])
    mail = mailoutbox[0]
    assert "BM-01" in mail.subject
    assert "Berapa lebar jalan eksisting?" in mail.body
    assert reverse("issues:detail", kwargs={"pk": submitted.pk}) in mail.body


def test_a_comment_by_the_desk_emails_the_region(
    submitted,
    kabid_bina_marga,
    delegate_pangkalpinang,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_comment_add(actor=kabid_bina_marga, issue=submitted, body="Ada fotonya?")
    assert recipients(mailoutbox) == [delegate_pangkalpinang.email]
    assert "Ada fotonya?" in mailoutbox[0].body


def test_a_delegates_own_comment_emails_only_the_other_delegates(
    submitted,
    delegate_pangkalpinang,
    second_delegate,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_comment_add(actor=delegate_pangkalpinang, issue=submitted, body="Siap.")
    assert recipients(mailoutbox) == [second_delegate.email]


def test_a_decision_emails_the_region_with_the_reason(
    submitted,
    kabid_bina_marga,
    delegate_pangkalpinang,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    Issue.objects.filter(pk=submitted.pk).update(
        status=Issue.Status.PRIORITY, decision_reason="Ruas strategis menuju pelabuhan."
    )
    submitted.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        emails.notify_decided(issue=submitted, actor=kabid_bina_marga)
    assert recipients(mailoutbox) == [delegate_pangkalpinang.email]
    assert "Ruas strategis menuju pelabuhan." in mailoutbox[0].body


def test_a_refused_action_sends_nothing(
    draft, kabid_bina_marga, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.IssueError):
        services.issue_return_for_revision(actor=kabid_bina_marga, issue=draft, question="?")
    assert mailoutbox == []


def test_inactive_delegates_and_those_without_email_get_nothing(
    submitted,
    kabid_bina_marga,
    delegate_pangkalpinang,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    delegate_pangkalpinang.is_active = False
    delegate_pangkalpinang.save(update_fields=["is_active"])
    UserFactory(
        username="tanpa-surel", email="", role=Role.DELEGATE, region=region("pangkalpinang")
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_comment_add(actor=kabid_bina_marga, issue=submitted, body="Halo")
    assert mailoutbox == []


def test_the_comment_page_sends_the_email(
    as_kabid_bina_marga,
    submitted,
    delegate_pangkalpinang,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        as_kabid_bina_marga.post(
            reverse("issues:comment", kwargs={"pk": submitted.pk}), {"body": "Mohon dicek."}
        )
    assert recipients(mailoutbox) == [delegate_pangkalpinang.email]
