"""Issues as the desks leave them (ranked, scored, decided) and helpers to read documents back.

The board's own services are tested in tests/issues; here the decided state is
written directly, as the documents only read it.
"""

import io
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from pypdf import PdfReader

from issues.models import DeskState, Issue
from tests.factories import IssueFactory, region

WIB = ZoneInfo("Asia/Jakarta")
MONDAY = datetime(2022, 7, 25, 8, 0, tzinfo=WIB)

_numbers: dict[int, int] = {}


def decided_issue(
    desk,
    region_slug="pangkalpinang",
    *,
    title=None,
    rank=None,
    decision="",
    reason="",
    cost=Decimal("1250000000"),
    score=None,
    status=None,
    redirected_to="",
    joint=(),
    **fields,
):
    """A submitted issue of `desk` with the desk's rank, score and decision already set."""
    number = _numbers[desk.pk] = max(_numbers.get(desk.pk, 0), desk.issues.count()) + 1
    if status is None:
        status = decision or Issue.Status.VERIFIED
    issue = IssueFactory(
        desk=desk,
        region=region(region_slug),
        estimated_cost=cost,
        **({"title": title} if title else {}),
        **fields,
    )
    Issue.objects.filter(pk=issue.pk).update(
        number=number,
        status=status,
        submitted_at=timezone.now(),
        rank=rank,
        decision=decision,
        decision_reason=reason,
        redirected_to=redirected_to,
        score=score,
    )
    issue.refresh_from_db()
    if joint:
        issue.joint_regions.set([region(slug) for slug in joint])
    return issue


def lock_board(desk, user=None):
    """Lock the desk's board, as its chair does when the ranking is settled."""
    DeskState.objects.update_or_create(
        desk=desk, defaults={"locked_at": timezone.now(), "locked_by": user or desk.chair}
    )


@pytest.fixture(autouse=True)
def _reset_numbers():
    _numbers.clear()


@pytest.fixture
def monday_meeting(meeting):
    """The fixture meeting on Senin, 25 Juli 2022, 08.00 WIB."""
    meeting.starts_at = MONDAY
    meeting.ends_at = MONDAY.replace(hour=16)
    meeting.submission_opens_at = None
    meeting.submission_closes_at = None
    meeting.save()
    return meeting


@pytest.fixture
def decided_desk(monday_meeting, desk_bina_marga, kabid_bina_marga):
    """The Bina Marga desk with three decided issues and one still open."""
    kabid_bina_marga.position = "Kepala Bidang Bina Marga"
    kabid_bina_marga.nip = "197001012000031001"
    kabid_bina_marga.save()
    desk_bina_marga.refresh_from_db()
    decided_issue(
        desk_bina_marga,
        "bangka",
        title="Rekonstruksi ruas Sungailiat - Belinyu",
        rank=1,
        decision=Issue.Decision.PRIORITY,
        cost=Decimal("38000000000"),
        score=Decimal("87.50"),
        place="Ruas Sungailiat - Belinyu km 21",
        district="Riau Silip",
        village="Deniang",
    )
    decided_issue(
        desk_bina_marga,
        "pangkalpinang",
        title="Pelebaran Jalan Lingkar Timur",
        rank=2,
        decision=Issue.Decision.RESERVE,
        reason="Menunggu kepastian status jalan.",
        cost=Decimal("1250000"),
        score=Decimal("61.25"),
        joint=["bangka-tengah"],
    )
    decided_issue(
        desk_bina_marga,
        "belitung",
        title="Jembatan Sungai Cerucuk",
        rank=3,
        decision=Issue.Decision.REDIRECTED,
        reason="Jalan nasional.",
        redirected_to="BPJN Kepulauan Bangka Belitung",
        score=Decimal("40.00"),
    )
    decided_issue(desk_bina_marga, "bangka-barat", title="Drainase Jalan Mentok")
    lock_board(desk_bina_marga)
    return desk_bina_marga


def pdf_reader(content: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(content))


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in pdf_reader(content).pages)


def flat(text: str) -> str:
    """Text with line breaks and repeated spaces folded, for phrases a table cell may wrap."""
    return " ".join(text.split())


def response_bytes(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content
