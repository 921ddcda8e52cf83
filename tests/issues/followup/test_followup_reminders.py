"""Follow-up reminders: who is reminded of which points, the e-mail, the command and the
secretariat's button."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from issues.followup import services as followup
from issues.models import PackagePoint
from tests.factories import UserFactory

S = PackagePoint.Status


@pytest.fixture
def addressed(delegate_pangkalpinang, delegate_bangka, kabid_bina_marga, kabid_sda):
    for number, user in enumerate(
        (delegate_pangkalpinang, delegate_bangka, kabid_bina_marga, kabid_sda)
    ):
        user.email = f"orang{number}@example.go.id"
        user.save(update_fields=["email"])


def report(point, actor, on, status=S.IN_PROGRESS, progress=30):
    followup.followup_record(
        actor=actor,
        point=point,
        status=status,
        progress=progress,
        reported_on=on,
        note="Progres dilaporkan.",
    )


def due_numbers(stale_days=followup.REMINDER_STALE_DAYS):
    return {
        reminder.user.username: [p.number for p in reminder.points]
        for reminder in followup.reminders(stale_days=stale_days)
    }


def test_everyone_is_reminded_of_the_points_they_report_on(signed_package, addressed):
    # Nothing reported yet: every point is due, for each region and field responsible.
    assert due_numbers() == {
        "delegasi-pangkalpinang": [1, 3],
        "delegasi-bangka": [2, 3],
        "kabid-bina-marga": [1, 2],
        "kabid-sda": [3],
    }


def test_a_recent_report_before_the_target_date_needs_no_reminder(
    signed_package, addressed, secretariat
):
    today = timezone.localdate()
    PackagePoint.objects.filter(package=signed_package).update(
        target_date=today + timedelta(days=90)
    )
    one, two, three = signed_package.points.order_by("number")
    report(one, secretariat, today - timedelta(days=3))
    report(two, secretariat, today - timedelta(days=20))
    report(three, secretariat, today, status=S.BLOCKED)
    assert due_numbers() == {}
    assert due_numbers(stale_days=14) == {"delegasi-bangka": [2], "kabid-bina-marga": [2]}
    # Overdue points are due even with a recent report; done points never.
    PackagePoint.objects.filter(pk=one.pk).update(target_date=today - timedelta(days=1))
    PackagePoint.objects.filter(pk=two.pk).update(status=S.DONE, progress=100)
    assert due_numbers(stale_days=14) == {
        "delegasi-pangkalpinang": [1],
        "kabid-bina-marga": [1],
    }


def test_no_reminder_without_an_address_or_for_an_unsigned_package(
    package, addressed, delegate_bangka
):
    assert due_numbers() == {}
    package.status = package.Status.SIGNED
    package.signed_on = timezone.localdate()
    package.signed_scan = "rakorgub/x.pdf"
    package.save()
    delegate_bangka.email = ""
    delegate_bangka.save(update_fields=["email"])
    UserFactory(
        username="nonaktif",
        role="delegasi",
        region=delegate_bangka.region,
        email="lama@example.go.id",
        is_active=False,
    )
    assert "delegasi-bangka" not in due_numbers()
    assert "nonaktif" not in due_numbers()


def test_the_command_sends_one_mail_per_person(
    signed_package, addressed, django_capture_on_commit_callbacks
):
    out = StringIO()
    call_command("followup_reminders", "--dry-run", stdout=out)
    assert "4 reminders would be sent." in out.getvalue()
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        call_command("followup_reminders", stdout=out)
    assert len(mail.outbox) == 4
    message = next(m for m in mail.outbox if m.to == ["orang0@example.go.id"])
    assert "2 butir kesepakatan" in message.subject
    assert "Pelebaran Jalan Lingkar Timur" in message.body
    point = signed_package.points.get(number=1)
    assert reverse("issues:followup_point", kwargs={"pk": point.pk}) in message.body
    assert "MELEWATI TARGET" in message.body


def test_the_secretariat_sends_reminders_from_the_overview(
    signed_package, addressed, as_secretariat, django_capture_on_commit_callbacks
):
    page = as_secretariat.get(reverse("issues:followup")).content.decode()
    assert reverse("issues:followup_remind") in page
    with django_capture_on_commit_callbacks(execute=True):
        response = as_secretariat.post(reverse("issues:followup_remind"), follow=True)
    assert len(mail.outbox) == 4
    assert [str(m) for m in response.context["messages"]] == [
        "Pengingat dikirim melalui surel kepada 4 orang."
    ]


@pytest.mark.parametrize(
    "client_name", ["as_delegate_pangkalpinang", "as_kabid_bina_marga", "as_observer"]
)
def test_only_the_secretariat_sends_reminders(signed_package, addressed, client_name, request):
    client = request.getfixturevalue(client_name)
    assert client.post(reverse("issues:followup_remind")).status_code == 403
    page = client.get(reverse("issues:followup"))
    assert page.status_code == 200
    assert reverse("issues:followup_remind") not in page.content.decode()
    assert mail.outbox == []


def test_anonymous_is_sent_to_log_in(client):
    response = client.post(reverse("issues:followup_remind"))
    assert response.status_code == 302 and "/masuk/" in response["Location"]


def test_a_get_is_refused(as_secretariat):
    assert as_secretariat.get(reverse("issues:followup_remind")).status_code == 405
