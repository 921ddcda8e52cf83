"""E-mail through the task worker, with retries and a log (rakortek.models.OutgoingMail).

`mail_queue` is what the app calls instead of `send_mail`: one row per address,
queued once the caller's transaction commits, each sent by its own task. A
failed send is retried MAIL_ATTEMPTS times in all, waiting longer each time,
then marked failed and logged. Nothing here raises into the caller: the action
that caused the mail has already succeeded.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from rakortek.core.worker import on_lost_task
from rakortek.models import OutgoingMail

logger = logging.getLogger(__name__)

# Sends in all for one mail, and the wait before the second (doubled each time after).
MAIL_ATTEMPTS = 5
MAIL_RETRY_AFTER = timedelta(minutes=1)


def mail_queue(*, purpose: str, subject: str, body: str, to: list[str]) -> list[OutgoingMail]:
    """Log one mail per address and have the worker send each after the caller commits."""
    subject = " ".join(subject.split())[:255]
    mails = [
        OutgoingMail.objects.create(purpose=purpose, subject=subject, body=body, to=address)
        for address in dict.fromkeys(to)  # each address once, in order
        if address
    ]
    for mail in mails:
        transaction.on_commit(lambda pk=mail.pk: _enqueue(pk))
    return mails


def _enqueue(mail_id: int, *, run_after=None) -> None:
    try:
        if run_after is not None and send_outgoing_mail.get_backend().supports_defer:
            send_outgoing_mail.using(run_after=run_after).enqueue(mail_id)
        else:
            send_outgoing_mail.enqueue(mail_id)
    except Exception:
        # The row stays in the log as waiting, with this error in the server's log.
        logger.exception("Could not queue e-mail %s for the worker", mail_id)


@task()
def send_outgoing_mail(mail_id: int) -> str:
    """Send one logged mail; on failure queue the next attempt or give up. Never raises."""
    with transaction.atomic():
        mail = OutgoingMail.objects.select_for_update().filter(pk=mail_id).first()
        if mail is None or mail.status != OutgoingMail.Status.QUEUED:
            return mail.status if mail else "missing"
        mail.attempts += 1
        mail.save(update_fields=["attempts"])
    try:
        send_mail(mail.subject, mail.body, settings.DEFAULT_FROM_EMAIL, [mail.to])
    except Exception as error:
        mail.last_error = f"{error.__class__.__name__}: {error}"[:2000]
        if mail.attempts >= MAIL_ATTEMPTS:
            mail.status = OutgoingMail.Status.FAILED
            mail.save(update_fields=["status", "last_error"])
            logger.error(
                "E-mail %s (%s) failed %d times, giving up: %s",
                mail.pk,
                mail.purpose,
                mail.attempts,
                mail.last_error,
            )
            return mail.status
        mail.save(update_fields=["last_error"])
        wait = MAIL_RETRY_AFTER * 2 ** (mail.attempts - 1)
        logger.warning(
            "E-mail %s (%s) failed (attempt %d), retrying in %s: %s",
            mail.pk,
            mail.purpose,
            mail.attempts,
            wait,
            mail.last_error,
        )
        _enqueue(mail.pk, run_after=timezone.now() + wait)
        return mail.status
    mail.status, mail.sent_at = OutgoingMail.Status.SENT, timezone.now()
    mail.save(update_fields=["status", "sent_at"])
    logger.info("E-mail %s (%s) sent", mail.pk, mail.purpose)
    return mail.status


@on_lost_task(send_outgoing_mail)
def _mail_lost(result):
    # The worker died around the send: whether it left is unknown, so send again
    # (a duplicate is better than a lost invitation or reminder).
    for mail_id in result.args_kwargs["args"]:
        transaction.on_commit(lambda pk=mail_id: _enqueue(pk))
