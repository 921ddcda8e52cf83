from datetime import timedelta

import pytest
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from issues import services
from issues.models import Issue, IssueEvent
from issues.services import IssueError
from meetings.models import Meeting
from tests.factories import DeskFactory, IssueFactory, MeetingFactory, field, region
from tests.issues.conftest import close_submission

pytestmark = pytest.mark.django_db
S = Issue.Status


def decided(desk, *, number, status, region_slug="pangkalpinang", reason="", **fields):
    """An issue of last year's meeting as the desk left it."""
    return IssueFactory(
        desk=desk,
        region=region(region_slug),
        number=number,
        status=status,
        submitted_at=timezone.now() - timedelta(days=365),
        decision=status if status in Issue.Decision.values else "",
        decision_reason=reason,
        **fields,
    )


@pytest.fixture
def reserve(desk_bina_marga):
    """BM-03 of Pangkalpinang in RAKORTEK PU 2022: Reserve, waiting for its DED."""
    return decided(
        desk_bina_marga,
        number=3,
        status=S.RESERVE,
        reason="Menunggu DED jembatan selesai tahun depan.",
        title="Rehabilitasi Jembatan Rangkui",
    )


@pytest.fixture
def new_meeting(meeting, kabid_bina_marga):
    """RAKORTEK PU 2023, open for submission, with a Bina Marga desk and no SDA desk."""
    new = MeetingFactory(title="RAKORTEK PU 2023", slug="rakortek-2023", year=meeting.year + 1)
    DeskFactory(meeting=new, field=field("bina-marga"), chair=kabid_bina_marga)
    return new


def list_url(meeting):
    return reverse("issues:carry_list", kwargs={"slug": meeting.slug})


def carry_url(meeting, issue):
    return reverse("issues:carry_over", kwargs={"slug": meeting.slug, "pk": issue.pk})


def carried(meeting):
    return Issue.objects.filter(meeting=meeting, carried_over_from__isnull=False)


# The list of earlier issues


def test_delegate_sees_only_their_regions_unresolved_earlier_issues(
    as_delegate_pangkalpinang, reserve, new_meeting, desk_bina_marga, desk_sda
):
    priority = decided(desk_sda, number=1, status=S.PRIORITY)
    agreed = decided(desk_bina_marga, number=4, status=S.AGREED)
    forwarded = decided(desk_bina_marga, number=5, status=S.FORWARDED)
    decided(desk_bina_marga, number=6, status=S.NOT_PRIORITISED, reason="Kewenangan kota.")
    decided(desk_bina_marga, number=7, status=S.REDIRECTED, reason="BWS", redirected_to="BWS")
    decided(desk_bina_marga, number=8, status=S.VERIFIED)
    decided(desk_bina_marga, number=9, status=S.RESERVE, region_slug="bangka", reason="DED")
    IssueFactory(desk=desk_bina_marga)  # a draft never submitted
    response = as_delegate_pangkalpinang.get(list_url(new_meeting))
    assert response.status_code == 200
    groups = response.context["groups"]
    assert [r.slug for r, _ in groups] == ["pangkalpinang"]
    assert {i.pk for i in groups[0][1]} == {reserve.pk, priority.pk, agreed.pk, forwarded.pk}


def test_secretariat_sees_every_region(as_secretariat, reserve, new_meeting, desk_bina_marga):
    bangka = decided(desk_bina_marga, number=9, status=S.RESERVE, region_slug="bangka", reason="x")
    response = as_secretariat.get(list_url(new_meeting))
    issues = {i.pk for _, group in response.context["groups"] for i in group}
    assert issues == {reserve.pk, bangka.pk}


def test_an_issue_already_carried_over_is_no_longer_listed(
    as_delegate_pangkalpinang, delegate_pangkalpinang, reserve, new_meeting
):
    copy = services.issue_carry_over(
        actor=delegate_pangkalpinang, source=reserve, meeting=new_meeting
    )
    response = as_delegate_pangkalpinang.get(list_url(new_meeting))
    assert response.context["groups"] == []
    assert list(response.context["carried"]) == [copy]


def test_issues_of_the_same_or_a_later_year_are_not_listed(as_secretariat, meeting, reserve):
    same_year = MeetingFactory(year=meeting.year, slug="rakortek-2022-b")
    assert as_secretariat.get(list_url(same_year)).context["groups"] == []


def test_delegates_issue_list_links_to_the_earlier_issues(as_delegate_pangkalpinang, new_meeting):
    response = as_delegate_pangkalpinang.get(
        reverse("issues:meeting_issues", kwargs={"slug": new_meeting.slug})
    )
    assert f'href="{list_url(new_meeting)}"' in response.content.decode()


def test_list_shows_when_the_new_meeting_has_no_desk_for_the_field(
    as_delegate_pangkalpinang, new_meeting, desk_sda
):
    flood = decided(desk_sda, number=1, status=S.PRIORITY)
    content = as_delegate_pangkalpinang.get(list_url(new_meeting)).content.decode()
    assert flood.title in content
    assert carry_url(new_meeting, flood) not in content


def test_list_offers_no_carry_over_to_a_delegate_once_submission_is_closed(
    as_delegate_pangkalpinang, as_secretariat, reserve, new_meeting
):
    close_submission(new_meeting)
    content = as_delegate_pangkalpinang.get(list_url(new_meeting)).content.decode()
    assert reserve.title in content
    assert carry_url(new_meeting, reserve) not in content
    assert (
        carry_url(new_meeting, reserve)
        in as_secretariat.get(list_url(new_meeting)).content.decode()
    )


@pytest.mark.parametrize("client_name", ["as_kabid_bina_marga", "as_observer"])
def test_desk_heads_and_observers_may_not_open_the_list(request, new_meeting, client_name):
    assert request.getfixturevalue(client_name).get(list_url(new_meeting)).status_code == 403


def test_anonymous_visitor_is_sent_to_log_in_from_the_list(client, new_meeting):
    response = client.get(list_url(new_meeting))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_delegate_cannot_open_the_list_of_a_draft_meeting(as_delegate_pangkalpinang, new_meeting):
    new_meeting.status = Meeting.Status.DRAFT
    new_meeting.save(update_fields=["status"])
    assert as_delegate_pangkalpinang.get(list_url(new_meeting)).status_code == 404


@pytest.mark.parametrize("count", [2, 12])
def test_list_does_not_query_per_row(
    count, as_secretariat, new_meeting, desk_bina_marga, desk_sda, django_assert_max_num_queries
):
    for n in range(count):
        desk, slug = ((desk_bina_marga, "bangka"), (desk_sda, "pangkalpinang"))[n % 2]
        decided(desk, number=n + 1, status=S.PRIORITY, region_slug=slug)
    with django_assert_max_num_queries(10):
        response = as_secretariat.get(list_url(new_meeting))
    assert sum(len(group) for _, group in response.context["groups"]) == count


# Carrying over


def test_delegate_carries_an_issue_over_as_a_draft_in_the_same_field(
    as_delegate_pangkalpinang, delegate_pangkalpinang, reserve, new_meeting
):
    response = as_delegate_pangkalpinang.post(carry_url(new_meeting, reserve))
    copy = carried(new_meeting).get()
    assert response.status_code == 302
    assert response["Location"] == copy.get_absolute_url()
    assert copy.carried_over_from == reserve
    assert copy.desk == new_meeting.desks.get(field__slug="bina-marga")
    assert copy.region == reserve.region
    assert copy.status == S.DRAFT
    assert (copy.number, copy.submitted_at, copy.decision, copy.score) == (None, None, "", None)
    assert copy.entered_by == delegate_pangkalpinang
    assert not copy.is_proxy_entry
    for name in ("title", "problem", "proposed_handling", "district", "volume", "estimated_cost"):
        assert getattr(copy, name) == getattr(reserve, name)
    assert list(reserve.carried_over_to.all()) == [copy]
    # The earlier issue keeps its decision.
    reserve.refresh_from_db()
    assert reserve.status == S.RESERVE


def test_carrying_over_leaves_a_history_entry_on_both_issues(
    delegate_pangkalpinang, reserve, new_meeting
):
    copy = services.issue_carry_over(
        actor=delegate_pangkalpinang, source=reserve, meeting=new_meeting
    )
    came = copy.events.get()
    assert came.kind == IssueEvent.Kind.CARRIED_IN
    assert came.actor == delegate_pangkalpinang
    assert came.detail["carried_over_from"]["issue"] == reserve.pk
    assert "BM-03" in came.reason
    went = reserve.events.get(kind=IssueEvent.Kind.CARRIED_OUT)
    assert went.detail["carried_over_to"]["issue"] == copy.pk
    assert went.reason == new_meeting.title


def test_attachments_are_not_copied(delegate_pangkalpinang, reserve, new_meeting):
    reserve.attachments.create(
        kind="foto",
        file="lampiran/jembatan.jpg",
        original_name="jembatan.jpg",
        content_type="image/jpeg",
        size=1000,
        sha256="0" * 64,
    )
    copy = services.issue_carry_over(
        actor=delegate_pangkalpinang, source=reserve, meeting=new_meeting
    )
    assert copy.attachments.count() == 0


def test_secretariat_carries_an_issue_over_after_submission_closed(
    as_secretariat, secretariat, reserve, new_meeting
):
    close_submission(new_meeting)
    as_secretariat.post(carry_url(new_meeting, reserve))
    copy = carried(new_meeting).get()
    assert copy.entered_by == secretariat
    assert copy.is_proxy_entry


def test_delegate_cannot_carry_over_once_submission_is_closed(
    as_delegate_pangkalpinang, reserve, new_meeting
):
    close_submission(new_meeting)
    response = as_delegate_pangkalpinang.post(carry_url(new_meeting, reserve), follow=True)
    assert response.redirect_chain[-1][0] == list_url(new_meeting)
    assert [m.level for m in response.context["messages"]] == [messages.ERROR]
    assert not carried(new_meeting).exists()


def test_an_issue_is_carried_over_only_once_into_a_meeting(
    as_delegate_pangkalpinang, delegate_pangkalpinang, reserve, new_meeting
):
    as_delegate_pangkalpinang.post(carry_url(new_meeting, reserve), follow=True)
    response = as_delegate_pangkalpinang.post(carry_url(new_meeting, reserve), follow=True)
    assert [m.level for m in response.context["messages"]] == [messages.ERROR]
    assert carried(new_meeting).count() == 1
    with pytest.raises(IssueError):
        services.issue_carry_over(actor=delegate_pangkalpinang, source=reserve, meeting=new_meeting)


def test_the_database_refuses_a_second_copy_in_the_same_meeting(
    delegate_pangkalpinang, reserve, new_meeting
):
    copy = services.issue_carry_over(
        actor=delegate_pangkalpinang, source=reserve, meeting=new_meeting
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        IssueFactory(desk=copy.desk, carried_over_from=reserve)


def test_carrying_over_into_a_meeting_without_the_fields_desk_is_refused(
    as_delegate_pangkalpinang, delegate_pangkalpinang, new_meeting, desk_sda
):
    flood = decided(desk_sda, number=1, status=S.PRIORITY)
    with pytest.raises(IssueError) as refused:
        services.issue_carry_over(actor=delegate_pangkalpinang, source=flood, meeting=new_meeting)
    assert "Sumber Daya Air" in refused.value.message
    response = as_delegate_pangkalpinang.post(carry_url(new_meeting, flood), follow=True)
    assert [m.level for m in response.context["messages"]] == [messages.ERROR]
    assert not carried(new_meeting).exists()


@pytest.mark.parametrize("status", [S.NOT_PRIORITISED, S.REDIRECTED, S.VERIFIED, S.WITHDRAWN])
def test_only_a_wanted_issue_can_be_carried_over(secretariat, desk_bina_marga, new_meeting, status):
    issue = decided(
        desk_bina_marga, number=2, status=status, reason="Alasan", redirected_to="BWS Sumatera VIII"
    )
    with pytest.raises(IssueError):
        services.issue_carry_over(actor=secretariat, source=issue, meeting=new_meeting)


def test_an_issue_cannot_be_carried_into_its_own_or_an_earlier_year(
    secretariat, meeting, reserve, new_meeting
):
    copy = services.issue_carry_over(actor=secretariat, source=reserve, meeting=new_meeting)
    copy.status, copy.number, copy.submitted_at = S.PRIORITY, 1, timezone.now()
    copy.save(update_fields=["status", "number", "submitted_at"])
    for target in (meeting, new_meeting):
        with pytest.raises(IssueError):
            services.issue_carry_over(actor=secretariat, source=copy, meeting=target)


def test_service_refuses_a_delegate_of_another_region(delegate_bangka, reserve, new_meeting):
    with pytest.raises(PermissionDenied):
        services.issue_carry_over(actor=delegate_bangka, source=reserve, meeting=new_meeting)


def test_delegate_of_another_region_gets_not_found(as_delegate_bangka, reserve, new_meeting):
    assert as_delegate_bangka.post(carry_url(new_meeting, reserve)).status_code == 404
    assert not carried(new_meeting).exists()


@pytest.mark.parametrize("client_name", ["as_observer", "as_kabid_bina_marga"])
def test_observers_and_desk_heads_may_not_carry_over(request, reserve, new_meeting, client_name):
    response = request.getfixturevalue(client_name).post(carry_url(new_meeting, reserve))
    assert response.status_code == 403
    assert not carried(new_meeting).exists()


def test_anonymous_visitor_is_sent_to_log_in_to_carry_over(client, reserve, new_meeting):
    response = client.post(carry_url(new_meeting, reserve))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not carried(new_meeting).exists()


def test_carrying_over_needs_a_post(as_delegate_pangkalpinang, reserve, new_meeting):
    assert as_delegate_pangkalpinang.get(carry_url(new_meeting, reserve)).status_code == 405


def test_carrying_over_into_an_unknown_meeting_is_not_found(as_secretariat, reserve):
    missing = reverse("issues:carry_over", kwargs={"slug": "tidak-ada", "pk": reserve.pk})
    assert as_secretariat.post(missing).status_code == 404


# The banner on the new issue


def test_delegate_and_desk_see_that_the_issue_was_raised_before(
    as_delegate_pangkalpinang, as_kabid_bina_marga, delegate_pangkalpinang, reserve, new_meeting
):
    copy = services.issue_carry_over(
        actor=delegate_pangkalpinang, source=reserve, meeting=new_meeting
    )
    services.issue_submit(actor=delegate_pangkalpinang, issue=copy)
    for client in (as_delegate_pangkalpinang, as_kabid_bina_marga):
        content = client.get(copy.get_absolute_url()).content.decode()
        assert 'class="alert alert-info issue-carried-over"' in content
        assert "BM-03" in content
        assert "RAKORTEK PU 2022" in content
        assert "issue-earlier-decision-cadangan" in content
        assert "Menunggu DED jembatan selesai tahun depan." in content


def test_an_issue_not_carried_over_has_no_banner(as_delegate_pangkalpinang, reserve):
    content = as_delegate_pangkalpinang.get(reserve.get_absolute_url()).content.decode()
    assert "issue-carried-over" not in content


def test_an_issue_carried_into_one_meeting_is_not_carried_into_another(
    reserve, new_meeting, secretariat, kabid_bina_marga
):
    services.issue_carry_over(actor=secretariat, source=reserve, meeting=new_meeting)
    later = MeetingFactory(
        title="RAKORTEK PU 2024", slug="rakortek-2024", year=new_meeting.year + 1
    )
    DeskFactory(meeting=later, field=field("bina-marga"), chair=kabid_bina_marga)
    with pytest.raises(IssueError):
        services.issue_carry_over(actor=secretariat, source=reserve, meeting=later)
    assert not carried(later).exists()


def test_a_joint_issue_carried_over_keeps_every_regions_volume_and_cost(
    as_secretariat, secretariat, desk_bina_marga, new_meeting
):
    """Three regions' proposals merged at last year's desk and kept as Reserve: the
    carried copy is the lead region's draft and still adds up to all three, region by
    region, on its page too."""
    from decimal import Decimal

    from issues.board.duplicates import issue_merge
    from tests.issues.board.test_duplicates import submitted_issue

    def road(slug, volume, cost, unit="km"):
        return submitted_issue(
            desk_bina_marga,
            slug,
            status=S.VERIFIED,
            title=f"Peningkatan Ruas Koba - Toboali ({slug})",
            volume=volume,
            unit=unit,
            estimated_cost=cost,
        )

    lead = road("pangkalpinang", Decimal("2.5"), Decimal("15000000000"))
    others = [
        road("bangka-tengah", Decimal("1.125"), Decimal("6500000000")),
        road("bangka", Decimal("3"), Decimal("4000000000"), unit="unit"),
    ]
    joint = issue_merge(primary=lead, others=others, user=secretariat, reason="Satu ruas.")
    Issue.objects.filter(pk=joint.pk).update(
        status=S.RESERVE, decision=S.RESERVE, decision_reason="Menunggu DED."
    )
    joint = Issue.objects.get(pk=joint.pk)
    expected = [
        ("bangka", Decimal("3"), "unit", Decimal("4000000000")),
        ("bangka-tengah", Decimal("1.125"), "km", Decimal("6500000000")),
        ("pangkalpinang", Decimal("2.5"), "km", Decimal("15000000000")),
    ]

    def breakdown(issue):
        return [(s.region.slug, s.volume, s.unit, s.cost) for s in issue.figures.shares]

    assert breakdown(joint) == expected

    copy = services.issue_carry_over(actor=secretariat, source=joint, meeting=new_meeting)
    copy = Issue.objects.select_related("region").get(pk=copy.pk)
    # The copy's own figures are the lead region's part; the others are kept with it.
    assert (copy.volume, copy.unit, copy.estimated_cost) == (
        Decimal("2.5"),
        "km",
        Decimal("15000000000"),
    )
    assert {r.slug for r in copy.joint_regions.all()} == {"bangka", "bangka-tengah"}
    figures = copy.figures
    assert figures.is_joint
    assert breakdown(copy) == expected
    assert figures.cost == Decimal("25500000000") == joint.figures.cost
    assert figures.volume_text == "3 unit; 3,625 km"

    # The lead region updates its own part in the draft: the others' shares stay.
    copy.estimated_cost = Decimal("17000000000")
    copy.save(update_fields=["estimated_cost"])
    assert Issue.objects.get(pk=copy.pk).figures.cost == Decimal("27500000000")

    page = as_secretariat.get(copy.get_absolute_url()).content.decode()
    for share in (
        "Kabupaten Bangka: Rp4.000.000.000",
        "Kabupaten Bangka Tengah: Rp6.500.000.000",
        "Kota Pangkalpinang: Rp17.000.000.000",
    ):
        assert share in page, share
