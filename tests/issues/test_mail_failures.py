"""A mail server that is down or refuses an address: the action still succeeds, the other
recipients still get their mail, and the log (OutgoingMail) says what was sent."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from issues import emails
from issues.models import Issue
from rakortek.core import mail as rakortek_mail
from rakortek.models import OutgoingMail
from tests.factories import UserFactory, region
from tests.issues.board.helpers import default_criteria, verified, version
from tests.mail_backends import DownBackend, RefusingBackend

D = Issue.Decision
Sent = OutgoingMail.Status


@pytest.fixture
def mail_server_down(settings):
    settings.EMAIL_BACKEND = "tests.mail_backends.DownBackend"
    DownBackend.FAILURES = 10_000
    yield
    DownBackend.FAILURES = 0


@pytest.fixture
def refusing(settings):
    settings.EMAIL_BACKEND = "tests.mail_backends.RefusingBackend"
    yield RefusingBackend.REFUSED
    RefusingBackend.REFUSED.clear()


@pytest.mark.django_db
def test_a_decision_saved_while_the_mail_server_is_down_is_not_an_error_page(
    as_kabid_bina_marga,
    desk_bina_marga,
    secretariat,
    delegate_pangkalpinang,
    mail_server_down,
    django_capture_on_commit_callbacks,
    caplog,
):
    default_criteria(desk_bina_marga.meeting)
    issue = verified(desk_bina_marga, secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = as_kabid_bina_marga.post(
            reverse("issues:board_decide", kwargs={"desk_id": issue.desk_id, "pk": issue.pk}),
            {"decision": D.PRIORITY, "version": version(desk_bina_marga)},
        )
    assert response.status_code in (200, 302)
    assert "form" not in (response.context or {}) or not response.context["form"].errors
    issue.refresh_from_db()
    assert issue.decision == D.PRIORITY
    logged = OutgoingMail.objects.get()
    assert logged.to == delegate_pangkalpinang.email and logged.purpose == "issue_decided"
    assert logged.status == Sent.FAILED
    assert logged.attempts == rakortek_mail.MAIL_ATTEMPTS
    assert "Connection refused" in logged.last_error
    assert mail.outbox == []
    assert "giving up" in caplog.text


@pytest.mark.django_db
def test_one_refused_address_does_not_stop_the_other_followup_reminders(
    signed_package,
    refusing,
    delegate_pangkalpinang,
    delegate_bangka,
    kabid_bina_marga,
    kabid_sda,
    django_capture_on_commit_callbacks,
):
    people = (delegate_pangkalpinang, delegate_bangka, kabid_bina_marga, kabid_sda)
    for number, user in enumerate(people):
        user.email = f"orang{number}@example.go.id"
        user.save(update_fields=["email"])
    refusing.add(delegate_pangkalpinang.email)
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("followup_reminders", stdout=out)

    logged = {entry.to: entry for entry in OutgoingMail.objects.filter(purpose="followup_reminder")}
    assert len(logged) == 4, out.getvalue()
    assert logged[delegate_pangkalpinang.email].status == Sent.FAILED
    assert "550" in logged[delegate_pangkalpinang.email].last_error
    others = {address for address in logged if address != delegate_pangkalpinang.email}
    assert others and all(logged[address].status == Sent.SENT for address in others)
    assert sorted(address for message in mail.outbox for address in message.to) == sorted(others)


@pytest.mark.django_db
def test_one_refused_delegate_does_not_keep_the_others_from_an_issue_mail(
    desk_bina_marga, secretariat, kabid_bina_marga, refusing, django_capture_on_commit_callbacks
):
    issue = verified(desk_bina_marga, secretariat)
    first, second = (
        UserFactory(role="delegasi", region=region("pangkalpinang"), email=f"d{n}@example.go.id")
        for n in (1, 2)
    )
    refusing.add(first.email)
    with django_capture_on_commit_callbacks(execute=True):
        emails.notify_returned(issue=issue, actor=kabid_bina_marga, question="Lebar jalan?")
    assert [message.to for message in mail.outbox] == [[second.email]]
    assert OutgoingMail.objects.get(to=first.email).status == Sent.FAILED
    assert OutgoingMail.objects.get(to=second.email).status == Sent.SENT


@pytest.mark.django_db
def test_nothing_is_queued_for_an_action_that_rolled_back(
    desk_bina_marga, secretariat, kabid_bina_marga, delegate_pangkalpinang
):
    from django.db import transaction

    issue = verified(desk_bina_marga, secretariat)
    with pytest.raises(RuntimeError), transaction.atomic():
        emails.notify_returned(issue=issue, actor=kabid_bina_marga, question="?")
        raise RuntimeError("the action failed")
    assert not OutgoingMail.objects.exists() and mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_the_worker_retries_a_mail_until_the_server_is_back(
    settings, desk_bina_marga, secretariat, kabid_bina_marga, delegate_pangkalpinang, monkeypatch
):
    from datetime import timedelta

    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = "tests.mail_backends.DownBackend"
    monkeypatch.setattr(rakortek_mail, "MAIL_RETRY_AFTER", timedelta(0))
    DownBackend.FAILURES = 2
    issue = verified(desk_bina_marga, secretariat)
    emails.notify_returned(issue=issue, actor=kabid_bina_marga, question="Lebar jalan?")
    logged = OutgoingMail.objects.get()
    assert logged.status == Sent.QUEUED and mail.outbox == []

    call_command("db_worker", "--batch", verbosity=0)

    logged.refresh_from_db()
    assert logged.status == Sent.SENT and logged.attempts == 3, logged.last_error
    assert [message.to for message in mail.outbox] == [[delegate_pangkalpinang.email]]
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 3


@pytest.mark.django_db(transaction=True)
def test_a_mail_whose_worker_died_while_sending_is_sent_by_the_next_worker(
    settings, desk_bina_marga, secretariat, kabid_bina_marga, delegate_pangkalpinang
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    issue = verified(desk_bina_marga, secretariat)
    emails.notify_returned(issue=issue, actor=kabid_bina_marga, question="Lebar jalan?")
    lost = DBTaskResult.objects.get()
    lost.claim("worker-killed-while-sending")  # no heartbeat: a dead worker

    call_command("db_worker", "--batch", verbosity=0)

    lost.refresh_from_db()
    assert (
        lost.status == "FAILED" and lost.exception_class_path == "rakortek.core.worker.WorkerLost"
    )
    logged = OutgoingMail.objects.get()
    assert logged.status == Sent.SENT and logged.attempts == 1
    assert [message.to for message in mail.outbox] == [[delegate_pangkalpinang.email]]
