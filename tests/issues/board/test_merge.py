"""Merging duplicates into a joint issue and undoing it: regions, ranks, history, the
locked desk, and who may do it, through the services and the pages."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from issues.board.duplicates import MergeError, issue_merge, issue_unmerge
from issues.models import DeskState, Issue, IssueEvent, Score
from issues.selectors import get_issue_for_user
from issues.services import BoardLocked, StaleBoard
from tests.factories import CriterionFactory, UserFactory, region
from tests.issues.board.test_duplicates import submitted_issue

pytestmark = pytest.mark.django_db
S = Issue.Status
FLOOD = "Pengendalian banjir DAS Rangkui di pusat Kota Pangkalpinang"


@pytest.fixture
def trio(desk_sda):
    """The same flood from Pangkalpinang, Bangka Tengah and Bangka, in the SDA desk."""
    return [
        submitted_issue(
            desk_sda,
            "pangkalpinang",
            title=FLOOD,
            status=S.VERIFIED,
            district="Rangkui",
            village="Masjid Jamik",
            place="Sungai Rangkui hilir",
        ),
        submitted_issue(
            desk_sda,
            "bangka-tengah",
            title=FLOOD + " hulu",
            status=S.DISCUSSED,
            district="Pangkalan Baru",
            village="Air Mesu",
            place="Hulu Sungai Rangkui",
        ),
        submitted_issue(
            desk_sda,
            "bangka",
            title="Normalisasi alur sungai",
            status=S.VERIFIED,
            problem="Alur Sungai Baturusa dangkal sehingga perahu nelayan kandas saat surut.",
            current_condition="",
            proposed_handling="Pengerukan alur sepanjang 2 km.",
            district="Merawang",
            village="Baturusa",
            place="Sungai Baturusa",
        ),
    ]


def rank(desk, *issues):
    """Give `issues` the ranks 1..n in this order."""
    for position, issue in enumerate(issues, start=1):
        Issue.objects.filter(pk=issue.pk).update(rank=position)
        issue.rank = position


def ranking(desk):
    return list(
        Issue.objects.filter(desk=desk, rank__isnull=False)
        .order_by("rank")
        .values_list("pk", "rank")
    )


def assert_gap_free(desk):
    ranks = [r for _, r in ranking(desk)]
    assert ranks == list(range(1, len(ranks) + 1))


def version(desk):
    return DeskState.objects.get(desk=desk).version


# The service


def test_merge_makes_one_joint_issue_that_keeps_every_region(trio, desk_sda, kabid_sda):
    primary, *others = trio
    criterion = CriterionFactory(meeting=desk_sda.meeting, weight=100)
    Score.objects.create(issue=primary, criterion=criterion, value=4, scored_at=timezone.now())

    joint = issue_merge(primary=primary, others=others, user=kabid_sda, reason="Satu DAS")

    joint.refresh_from_db()
    assert joint.desk == desk_sda and joint.number == 4
    assert joint.title == FLOOD and joint.status == S.VERIFIED
    assert joint.region.slug == "pangkalpinang"
    assert {r.slug for r in joint.joint_regions.all()} == {"bangka-tengah", "bangka"}
    assert list(joint.scores.values_list("criterion", "value")) == [(criterion.pk, 4)]
    for issue in trio:
        issue.refresh_from_db()
        assert issue.merged_into == joint
        assert issue.status == S.MERGED and issue.rank is None
    assert set(joint.merged_issues.all()) == set(trio)


def test_merge_and_unmerge_leave_history_on_every_issue(trio, desk_sda, kabid_sda):
    primary, *others = trio
    joint = issue_merge(primary=primary, others=others, user=kabid_sda, reason="Satu DAS")
    for issue in [joint, *trio]:
        event = issue.events.get(kind=IssueEvent.Kind.MERGED)
        assert event.actor == kabid_sda and "Satu DAS" in event.reason
    assert trio[0].events.get().from_status == S.VERIFIED

    issue_unmerge(joint=joint, user=kabid_sda, reason="Ternyata berbeda")
    assert joint.events.filter(kind=IssueEvent.Kind.MERGED).count() == 2
    for issue in trio:
        last = issue.events.order_by("pk").last()
        assert last.kind == IssueEvent.Kind.MERGED and "Ternyata berbeda" in last.reason


def test_joint_issue_takes_the_best_rank_and_ranks_stay_gap_free(trio, desk_sda, kabid_sda):
    a, b, c = trio
    other = submitted_issue(
        desk_sda, "belitung", title="Irigasi Daerah Irigasi Rias", status=S.VERIFIED
    )
    rank(desk_sda, other, b, c, a)  # b is 2nd, a is 4th

    joint = issue_merge(primary=a, others=[b], user=kabid_sda, reason="Sama")

    assert ranking(desk_sda) == [(other.pk, 1), (joint.pk, 2), (c.pk, 3)]
    assert_gap_free(desk_sda)


def test_joint_issue_goes_to_the_end_when_no_original_was_ranked(trio, desk_sda, kabid_sda):
    a, b, c = trio
    rank(desk_sda, c)
    joint = issue_merge(primary=a, others=[b], user=kabid_sda, reason="Sama")
    assert ranking(desk_sda) == [(c.pk, 1), (joint.pk, 2)]


def test_joint_issue_stays_unranked_when_the_desk_has_no_ranking(trio, desk_sda, kabid_sda):
    a, b, _c = trio
    joint = issue_merge(primary=a, others=[b], user=kabid_sda, reason="Sama")
    assert joint.rank is None and ranking(desk_sda) == []


def test_unmerge_brings_back_the_originals_with_their_status_in_the_joint_place(
    trio, desk_sda, kabid_sda
):
    a, b, c = trio
    other = submitted_issue(
        desk_sda, "belitung", title="Irigasi Daerah Irigasi Rias", status=S.VERIFIED
    )
    rank(desk_sda, b, other, a, c)
    joint = issue_merge(primary=a, others=[b], user=kabid_sda, reason="Sama")
    assert ranking(desk_sda) == [(joint.pk, 1), (other.pk, 2), (c.pk, 3)]

    originals = issue_unmerge(joint=joint, user=kabid_sda, reason="Berbeda")

    assert [i.pk for i in originals] == [b.pk, a.pk]  # in their former rank order
    assert ranking(desk_sda) == [(b.pk, 1), (a.pk, 2), (other.pk, 3), (c.pk, 4)]
    a.refresh_from_db()
    b.refresh_from_db()
    joint.refresh_from_db()
    assert (a.status, a.merged_into) == (S.VERIFIED, None)
    assert (b.status, b.merged_into) == (S.DISCUSSED, None)
    assert (joint.status, joint.rank) == (S.WITHDRAWN, None)
    assert joint.number is not None  # its number is never given again


def test_a_joint_issue_can_be_merged_again_and_undone_step_by_step(trio, desk_sda, kabid_sda):
    a, b, c = trio
    first = issue_merge(primary=a, others=[b], user=kabid_sda, reason="Sama")
    second = issue_merge(primary=first, others=[c], user=kabid_sda, reason="Sama juga")
    assert {r.slug for r in second.joint_regions.all()} == {"bangka-tengah", "bangka"}

    issue_unmerge(joint=second, user=kabid_sda, reason="Pisahkan Bangka")
    first.refresh_from_db()
    assert first.status == S.VERIFIED and first.merged_into is None
    assert set(first.merged_issues.all()) == {a, b}


def test_every_merge_and_unmerge_bumps_the_board_version(trio, desk_sda, kabid_sda):
    a, b, _c = trio
    joint = issue_merge(primary=a, others=[b], user=kabid_sda, reason="Sama")
    after_merge = version(desk_sda)
    issue_unmerge(joint=joint, user=kabid_sda, reason="Berbeda")
    assert version(desk_sda) == after_merge + 1


def test_locked_desk_refuses_merge_and_unmerge(trio, desk_sda, kabid_sda):
    a, b, c = trio
    joint = issue_merge(primary=a, others=[b], user=kabid_sda, reason="Sama")
    DeskState.objects.filter(desk=desk_sda).update(locked_at=timezone.now())
    with pytest.raises(BoardLocked):
        issue_merge(primary=joint, others=[c], user=kabid_sda, reason="Sama")
    with pytest.raises(BoardLocked):
        issue_unmerge(joint=joint, user=kabid_sda, reason="Berbeda")
    assert Issue.objects.filter(desk=desk_sda).count() == 4
    joint.refresh_from_db()
    assert joint.merged_issues.count() == 2


def test_a_stale_board_version_is_refused(trio, desk_sda, kabid_sda):
    a, b, _c = trio
    DeskState.objects.create(desk=desk_sda, version=5)
    with pytest.raises(StaleBoard):
        issue_merge(primary=a, others=[b], user=kabid_sda, reason="Sama", expected_version=4)
    joint = issue_merge(primary=a, others=[b], user=kabid_sda, reason="Sama", expected_version=5)
    assert joint.merged_issues.count() == 2


def test_a_submitted_primary_merged_with_a_verified_issue_makes_a_verified_joint_issue(
    trio, desk_sda, kabid_sda
):
    a, b, c = trio
    rank(desk_sda, c, a)
    fresh = submitted_issue(desk_sda, "belitung", title=FLOOD)
    joint = issue_merge(primary=fresh, others=[a], user=kabid_sda, reason="Sama")
    assert joint.status == S.VERIFIED and joint.rank == 2


def test_a_joint_issue_still_waiting_for_verification_is_not_ranked(trio, desk_sda, kabid_sda):
    a, _b, _c = trio
    rank(desk_sda, a)
    first = submitted_issue(desk_sda, "belitung", title=FLOOD)
    second = submitted_issue(desk_sda, "bangka-barat", title=FLOOD)
    joint = issue_merge(primary=first, others=[second], user=kabid_sda, reason="Sama")
    assert joint.status == S.SUBMITTED and joint.rank is None
    assert ranking(desk_sda) == [(a.pk, 1)]


def test_ranks_that_shift_because_of_a_merge_are_in_the_history(trio, desk_sda, kabid_sda):
    a, b, c = trio
    rank(desk_sda, a, b, c)
    joint = issue_merge(primary=a, others=[b], user=kabid_sda, reason="Sama")
    moved = c.events.get(kind=IssueEvent.Kind.RANKED)
    assert (moved.detail["from_rank"], moved.detail["to_rank"]) == (3, 2)
    assert joint.events.get(kind=IssueEvent.Kind.RANKED).detail["to_rank"] == 1


@pytest.mark.parametrize("status", [S.DRAFT, S.NEEDS_REVISION, S.WITHDRAWN, S.AGREED])
def test_issues_not_in_discussion_cannot_be_merged(trio, desk_sda, kabid_sda, status):
    a, b, _c = trio
    Issue.objects.filter(pk=b.pk).update(status=status)
    with pytest.raises(MergeError):
        issue_merge(primary=a, others=[b], user=kabid_sda, reason="Sama")


def test_merge_needs_a_reason_two_issues_and_one_desk(trio, desk_sda, desk_bina_marga, kabid_sda):
    a, b, _c = trio
    with pytest.raises(MergeError):
        issue_merge(primary=a, others=[b], user=kabid_sda, reason="  ")
    with pytest.raises(MergeError):
        issue_merge(primary=a, others=[a], user=kabid_sda, reason="Sama")
    road = submitted_issue(desk_bina_marga, "bangka", title=FLOOD)
    with pytest.raises(MergeError):
        issue_merge(primary=a, others=[road], user=kabid_sda, reason="Sama")
    assert not Issue.objects.filter(merged_into__isnull=False).exists()


def test_only_the_chair_and_the_secretariat_merge(trio, kabid_bina_marga, observer, secretariat):
    a, b, _c = trio
    for outsider in (kabid_bina_marga, observer):
        with pytest.raises(PermissionDenied):
            issue_merge(primary=a, others=[b], user=outsider, reason="Sama")
    joint = issue_merge(primary=a, others=[b], user=secretariat, reason="Sama")
    with pytest.raises(PermissionDenied):
        issue_unmerge(joint=joint, user=observer, reason="Berbeda")


def test_an_issue_that_is_no_joint_issue_cannot_be_unmerged(trio, kabid_sda):
    with pytest.raises(MergeError):
        issue_unmerge(joint=trio[0], user=kabid_sda, reason="Berbeda")


# Who reads a joint issue


def test_delegates_of_every_joint_region_read_the_joint_issue(
    trio, kabid_sda, delegate_pangkalpinang, delegate_bangka
):
    a, b, c = trio
    joint = issue_merge(primary=a, others=[b, c], user=kabid_sda, reason="Sama")
    assert get_issue_for_user(delegate_pangkalpinang, joint.pk) == joint
    assert get_issue_for_user(delegate_bangka, joint.pk) == joint
    # Their own original, yes; another region's original, no.
    assert get_issue_for_user(delegate_bangka, c.pk) == c
    with pytest.raises(Http404):
        get_issue_for_user(delegate_bangka, a.pk)
    belitung = UserFactory(username="delegasi-belitung", role="delegasi", region=region("belitung"))
    with pytest.raises(Http404):
        get_issue_for_user(belitung, joint.pk)


def test_only_the_lead_region_writes_to_a_joint_issue(trio, kabid_sda, delegate_bangka):
    a, b, c = trio
    joint = issue_merge(primary=a, others=[b, c], user=kabid_sda, reason="Sama")
    with pytest.raises(PermissionDenied):
        get_issue_for_user(delegate_bangka, joint.pk, write=True)


# The pages


def merge_url(desk):
    return reverse("issues:merge", kwargs={"desk_id": desk.pk})


def test_duplicates_page_lists_the_likely_duplicates_for_the_chair(
    trio, desk_sda, as_kabid_sda, django_assert_max_num_queries
):
    url = reverse("issues:duplicates", kwargs={"desk_id": desk_sda.pk})
    with django_assert_max_num_queries(8):
        response = as_kabid_sda.get(url)
    assert response.status_code == 200
    [suggestion] = response.context["suggestions"]
    assert (suggestion.first, suggestion.second) == (trio[0], trio[1])
    assert f"issue={trio[0].pk}&amp;issue={trio[1].pk}" in response.content.decode()


def test_duplicates_page_is_read_only_for_the_observer(trio, desk_sda, as_observer):
    url = reverse("issues:duplicates", kwargs={"desk_id": desk_sda.pk})
    response = as_observer.get(url)
    assert response.status_code == 200 and not response.context["can_merge"]
    assert merge_url(desk_sda) not in response.content.decode()


@pytest.mark.parametrize("name", ["issues:duplicates", "issues:merge"])
def test_desk_pages_are_not_found_for_another_chair_and_delegates(
    trio, desk_sda, as_kabid_bina_marga, as_delegate_pangkalpinang, name
):
    url = reverse(name, kwargs={"desk_id": desk_sda.pk})
    assert as_kabid_bina_marga.get(url).status_code == 404
    assert as_delegate_pangkalpinang.get(url).status_code == 404


@pytest.mark.parametrize("name", ["issues:duplicates", "issues:merge"])
def test_desk_pages_send_the_anonymous_visitor_to_log_in(client, desk_sda, name):
    response = client.get(reverse(name, kwargs={"desk_id": desk_sda.pk}))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_observer_may_not_merge(trio, desk_sda, as_observer):
    assert as_observer.get(merge_url(desk_sda)).status_code == 403
    response = as_observer.post(merge_url(desk_sda), {"issues": [trio[0].pk, trio[1].pk]})
    assert response.status_code == 403
    assert not Issue.objects.filter(merged_into__isnull=False).exists()


def test_chair_merges_through_the_form(trio, desk_sda, as_kabid_sda):
    a, b, c = trio
    page = as_kabid_sda.get(merge_url(desk_sda), {"issue": [a.pk, b.pk], "add": f"{c.number}"})
    assert page.status_code == 200
    assert {i.pk for i in page.context["candidates"]} == {a.pk, b.pk, c.pk}
    form = page.context["form"]
    response = as_kabid_sda.post(
        merge_url(desk_sda),
        {
            "issues": [a.pk, b.pk, c.pk],
            "primary": b.pk,
            "reason": "Satu DAS Rangkui",
            "version": form["version"].value(),
        },
    )
    joint = Issue.objects.get(merged_issues=a)
    assert response.status_code == 302 and response["Location"] == joint.get_absolute_url()
    assert joint.title == b.title and joint.region.slug == "bangka-tengah"


def test_merge_form_without_a_reason_says_so_and_keeps_the_choice(trio, desk_sda, as_kabid_sda):
    a, b, _c = trio
    response = as_kabid_sda.post(
        merge_url(desk_sda), {"issues": [a.pk, b.pk], "primary": b.pk, "reason": ""}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "reason" in form.errors
    assert [str(v) for v in form["issues"].value()] == [str(a.pk), str(b.pk)]
    assert not Issue.objects.filter(merged_into__isnull=False).exists()


def test_merge_form_refuses_a_primary_outside_the_choice_and_a_single_issue(
    trio, desk_sda, as_kabid_sda
):
    a, b, c = trio
    response = as_kabid_sda.post(
        merge_url(desk_sda), {"issues": [a.pk, b.pk], "primary": c.pk, "reason": "Sama"}
    )
    assert "primary" in response.context["form"].errors
    response = as_kabid_sda.post(
        merge_url(desk_sda), {"issues": [a.pk], "primary": a.pk, "reason": "Sama"}
    )
    assert "issues" in response.context["form"].errors
    assert not Issue.objects.filter(merged_into__isnull=False).exists()


def test_merge_form_on_a_locked_desk_explains_and_keeps_the_input(trio, desk_sda, as_kabid_sda):
    a, b, _c = trio
    DeskState.objects.create(desk=desk_sda, locked_at=timezone.now())
    response = as_kabid_sda.post(
        merge_url(desk_sda),
        {"issues": [a.pk, b.pk], "primary": a.pk, "reason": "Sama", "version": version(desk_sda)},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.non_field_errors() and form["reason"].value() == "Sama"


def test_merge_form_with_a_stale_version_offers_the_current_one(trio, desk_sda, as_kabid_sda):
    a, b, _c = trio
    DeskState.objects.create(desk=desk_sda, version=7)
    data = {"issues": [a.pk, b.pk], "primary": a.pk, "reason": "Sama", "version": 6}
    response = as_kabid_sda.post(merge_url(desk_sda), data)
    form = response.context["form"]
    assert form.non_field_errors() and str(form["version"].value()) == "7"
    response = as_kabid_sda.post(merge_url(desk_sda), {**data, "version": 7})
    assert response.status_code == 302


def test_issue_pages_link_the_joint_issue_and_its_originals(
    trio, kabid_sda, as_delegate_bangka, as_kabid_sda
):
    a, b, c = trio
    joint = issue_merge(primary=a, others=[b, c], user=kabid_sda, reason="Sama")
    original = as_delegate_bangka.get(c.get_absolute_url()).content.decode()
    assert joint.get_absolute_url() in original
    page = as_delegate_bangka.get(joint.get_absolute_url()).content.decode()
    assert "Kabupaten Bangka Tengah" in page and "Kota Pangkalpinang" in page
    assert c.get_absolute_url() in page  # their own original
    assert a.get_absolute_url() not in page  # another region's original: named, not linked
    assert reverse("issues:unmerge", kwargs={"pk": joint.pk}) not in page
    chair_page = as_kabid_sda.get(joint.get_absolute_url()).content.decode()
    assert reverse("issues:unmerge", kwargs={"pk": joint.pk}) in chair_page


def test_the_merge_and_unmerge_forms_require_the_board_version(
    trio, desk_sda, kabid_sda, as_kabid_sda
):
    a, b, c = trio
    data = {"issues": [a.pk, b.pk], "primary": a.pk, "reason": "Sama"}
    response = as_kabid_sda.post(merge_url(desk_sda), data)
    assert response.status_code == 200 and "version" in response.context["form"].errors
    assert not Issue.objects.filter(merged_into__isnull=False).exists()
    joint = issue_merge(primary=a, others=[b], user=kabid_sda, reason="Sama")
    url = reverse("issues:unmerge", kwargs={"pk": joint.pk})
    response = as_kabid_sda.post(url, {"reason": "Berbeda"})
    assert response.status_code == 200 and "version" in response.context["form"].errors
    a.refresh_from_db()
    assert a.merged_into == joint


def test_chair_undoes_a_merge_through_the_form(trio, desk_sda, kabid_sda, as_kabid_sda):
    a, b, _c = trio
    joint = issue_merge(primary=a, others=[b], user=kabid_sda, reason="Sama")
    url = reverse("issues:unmerge", kwargs={"pk": joint.pk})
    assert as_kabid_sda.get(url).status_code == 200
    empty = as_kabid_sda.post(url, {"reason": ""})
    assert "reason" in empty.context["form"].errors
    response = as_kabid_sda.post(url, {"reason": "Berbeda", "version": version(desk_sda)})
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.merged_into is None and a.status == S.VERIFIED


def test_unmerge_page_access(
    trio,
    kabid_sda,
    client,
    as_observer,
    as_kabid_bina_marga,
    as_delegate_pangkalpinang,
    as_secretariat,
):
    a, b, _c = trio
    joint = issue_merge(primary=a, others=[b], user=kabid_sda, reason="Sama")
    url = reverse("issues:unmerge", kwargs={"pk": joint.pk})
    assert as_secretariat.get(url).status_code == 200
    assert as_observer.get(url).status_code == 403
    assert as_kabid_bina_marga.get(url).status_code == 404
    assert as_delegate_pangkalpinang.get(url).status_code == 404
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    # A plain issue has no merge to undo.
    assert as_secretariat.get(reverse("issues:unmerge", kwargs={"pk": a.pk})).status_code == 404


def test_the_desk_board_links_to_the_duplicates_and_the_live_board(desk_sda, as_kabid_sda):
    html = as_kabid_sda.get(reverse("issues:board", kwargs={"desk_id": desk_sda.pk})).content
    assert reverse("issues:duplicates", kwargs={"desk_id": desk_sda.pk}).encode() in html
    assert reverse("issues:live_board", kwargs={"desk_id": desk_sda.pk}).encode() in html


def test_the_admin_shows_merges_but_leaves_them_to_the_merge_pages(trio, kabid_sda):
    a, b, _c = trio
    joint = issue_merge(primary=a, others=[b], user=kabid_sda, reason="Sama")
    admin = Client()
    admin.force_login(
        UserFactory(username="admin-ti", role="sekretariat", is_staff=True, is_superuser=True)
    )
    page = admin.get(reverse("admin:issues_issue_change", args=[a.pk]))
    assert page.status_code == 200
    assert 'name="merged_into"' not in page.text and joint.title in page.text
    joint_page = admin.get(reverse("admin:issues_issue_change", args=[joint.pk]))
    assert 'name="joint_regions"' not in joint_page.text
    assert "Kabupaten Bangka Tengah" in joint_page.text


@pytest.mark.parametrize(
    "query",
    [
        {"issue": "²"},
        {"issue": "1" * 30},
        {"add": "9" * 5000},
        {"add": "1" * 30},
    ],
)
def test_a_hostile_issue_id_or_number_is_ignored_not_a_server_error(
    trio, desk_sda, as_kabid_sda, query
):
    response = as_kabid_sda.get(merge_url(desk_sda), query)
    assert response.status_code == 200
    assert list(response.context["form"].fields["issues"].queryset) == []
