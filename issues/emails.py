"""Email to the delegates of an issue's region when someone else acts on one of its issues.

Mail goes through the task worker (rakortek.core.mail): queued only once the transaction
commits, so a rolled-back action sends nothing, and sent one address at a time with
retries, so a mail server that is down never breaks the action that was saved.
"""

from django.conf import settings
from django.template.loader import render_to_string

from rakortek.accounts.models import Role, User
from rakortek.core.mail import mail_queue


def region_delegates(issue, *, except_user=None):
    delegates = User.objects.filter(
        role=Role.DELEGATE, region_id=issue.region_id, is_active=True
    ).exclude(email="")
    if except_user is not None:
        delegates = delegates.exclude(pk=except_user.pk)
    return list(delegates)


def _send(template, *, issue, recipients, context):
    if not recipients:
        return
    context = {
        "issue": issue,
        "issue_url": settings.SITE_URL.rstrip("/") + issue.get_absolute_url(),
        **context,
    }
    subject = " ".join(render_to_string(f"issues/email/{template}_subject.txt", context).split())
    body = render_to_string(f"issues/email/{template}_body.txt", context)
    mail_queue(
        purpose=f"issue_{template}",
        subject=subject,
        body=body,
        to=[user.email for user in recipients],
    )


def notify_returned(*, issue, actor, question):
    _send(
        "returned",
        issue=issue,
        recipients=region_delegates(issue, except_user=actor),
        context={"actor": actor, "question": question},
    )


def notify_commented(*, comment):
    issue = comment.issue
    _send(
        "commented",
        issue=issue,
        recipients=region_delegates(issue, except_user=comment.author),
        context={"actor": comment.author, "comment": comment},
    )


def notify_decided(*, issue, actor):
    """For the decision step (a later task): the region learns the desk's decision."""
    _send(
        "decided",
        issue=issue,
        recipients=region_delegates(issue, except_user=actor),
        context={"actor": actor},
    )


def send_followup_reminder(*, user, points):
    """The agreement points `user` reports on that are overdue or due a report, each with
    the link to report on it; in the interface's default language."""
    from django.urls import reverse
    from django.utils import translation

    site = settings.SITE_URL.rstrip("/")
    for point in points:
        point.url = site + reverse("issues:followup_point", kwargs={"pk": point.pk})
    context = {"user": user, "points": points, "overview_url": site + reverse("issues:followup")}
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(
            render_to_string("issues/email/followup_reminder_subject.txt", context).split()
        )
        body = render_to_string("issues/email/followup_reminder_body.txt", context)
    mail_queue(purpose="followup_reminder", subject=subject, body=body, to=[user.email])


def notify_assent_asked(*, round, regions):
    """Each region asked to answer in `round` hears it: the desk, the deadline, the link."""
    from django.urls import reverse
    from django.utils import translation

    desk = round.desk
    url = settings.SITE_URL.rstrip("/") + reverse("issues:assent_list")
    for region in regions:
        recipients = User.objects.filter(role=Role.DELEGATE, region=region, is_active=True).exclude(
            email=""
        )
        context = {"round": round, "desk": desk, "region": region, "url": url}
        with translation.override(settings.LANGUAGE_CODE):
            subject = " ".join(
                render_to_string("issues/email/assent_asked_subject.txt", context).split()
            )
            body = render_to_string("issues/email/assent_asked_body.txt", context)
        mail_queue(
            purpose="assent_asked",
            subject=subject,
            body=body,
            to=[user.email for user in recipients],
        )
