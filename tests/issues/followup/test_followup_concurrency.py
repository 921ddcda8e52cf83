"""Two people at once, on PostgreSQL (row locks between connections): two reports on
the same point read at the same version, and two forwardings of the same meeting."""

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from issues.followup import services as followup
from issues.models import FollowUpUpdate, PackagePoint, RakorgubPackage
from issues.rakorgub import services as rakorgub

pytestmark = pytest.mark.django_db(transaction=True)


def at_once(*calls):
    """Run the calls in threads released together; return the exceptions raised."""
    if connection.vendor != "postgresql":
        pytest.skip("needs a database with row locks between connections (PostgreSQL)")
    barrier = threading.Barrier(len(calls))
    errors = []

    def run(call):
        try:
            barrier.wait()
            call()
        except Exception as error:  # noqa: BLE001 - reported by the caller's assertions
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_two_reports_read_at_the_same_version_one_is_refused(
    signed_package, secretariat, delegate_pangkalpinang
):
    point = signed_package.points.get(number=1)

    def report(actor, progress):
        return lambda: followup.followup_record(
            actor=actor,
            point=point,
            status=PackagePoint.Status.IN_PROGRESS,
            progress=progress,
            reported_on=timezone.localdate(),
            note=f"Progres {progress} %.",
            version=0,
        )

    errors = at_once(report(secretariat, 30), report(delegate_pangkalpinang, 45))
    assert len(errors) == 1 and isinstance(errors[0], followup.FollowUpError)
    point.refresh_from_db()
    assert point.version == 1
    assert FollowUpUpdate.objects.filter(point=point).count() == 1
    assert point.progress == FollowUpUpdate.objects.get(point=point).progress


def test_forwarding_twice_at_once_makes_one_package(agreed_meeting, secretariat):
    forward = lambda: rakorgub.package_forward(actor=secretariat, meeting=agreed_meeting)  # noqa: E731
    errors = at_once(forward, forward)
    assert len(errors) == 1 and isinstance(errors[0], rakorgub.PackageError)
    assert RakorgubPackage.objects.filter(meeting=agreed_meeting).count() == 1
    assert PackagePoint.objects.count() == 3
