"""A desk with two decided issues for the assent tests: a Pangkalpinang issue decided
Prioritas, and a Bangka issue shared with Pangkalpinang decided Cadangan."""

from datetime import timedelta

from django.utils import timezone

from issues import services
from issues.board import services_assent
from issues.models import Issue
from tests.factories import region
from tests.issues.board.helpers import verified, version

D = Issue.Decision


def decided_desk(desk, secretariat, head):
    own = verified(desk, secretariat, title="Rehabilitasi Jembatan Rangkui")
    joint = verified(desk, secretariat, region_slug="bangka", title="Jalan lingkar Sungailiat")
    joint.joint_regions.add(region("pangkalpinang"))
    services.issue_decide(actor=head, issue=own, decision=D.PRIORITY, version=version(desk))
    services.issue_decide(
        actor=head,
        issue=joint,
        decision=D.RESERVE,
        reason="Menunggu DED selesai.",
        version=version(desk),
    )
    own.refresh_from_db()
    joint.refresh_from_db()
    return own, joint


def open_round(desk, head, *, hours=2):
    return services_assent.assent_open(
        actor=head,
        desk=desk,
        deadline=timezone.now() + timedelta(hours=hours),
        version=version(desk),
    )
