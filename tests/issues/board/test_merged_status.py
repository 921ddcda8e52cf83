"""A merged issue is Digabung (merged), not Ditarik (withdrawn): the merge and its undoing,
the data migration of issues merged before, what the region and the desk see, and the
counts and lists that leave merged issues out as they leave withdrawn ones out."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from issues import services
from issues.board.duplicates import issue_merge, issue_unmerge
from issues.board.selectors import HIDDEN_STATUSES
from issues.board.views_live import live_issues
from issues.forms import BoardFilterForm
from issues.models import UNDECIDED_STATUSES, Issue, IssueEvent
from issues.services import CARRYABLE_STATUSES, InvalidTransition
from rakortek.documents.content import document_issues
from tests.factories import IssueFactory, UserFactory, region
from tests.issues.board.test_duplicates import submitted_issue

pytestmark = pytest.mark.django_db
S = Issue.Status
FLOOD = "Pengendalian banjir DAS Rangkui di pusat Kota Pangkalpinang"
MIGRATION = importlib.import_module("issues.migrations.0007_issue_status_merged")


@pytest.fixture
def pair(desk_sda):
    """The same flood from Pangkalpinang (verified) and Bangka (discussed)."""
    return [
        submitted_issue(desk_sda, "pangkalpinang", title=FLOOD, status=S.VERIFIED),
        submitted_issue(desk_sda, "bangka", title=FLOOD + " hulu", status=S.DISCUSSED),
    ]


@pytest.fixture
def merged(pair, kabid_sda):
    """The pair merged into a joint issue led by Pangkalpinang: (joint, originals)."""
    primary, other = pair
    joint = issue_merge(primary=primary, others=[other], user=kabid_sda, reason="Satu DAS")
    for issue in pair:
        issue.refresh_from_db()
    return joint, pair


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


# The status itself


def test_merged_is_its_own_status_apart_from_withdrawn():
    assert S.MERGED == "digabung" and S.MERGED != S.WITHDRAWN
    with translation.override("en"):
        assert str(S.MERGED.label) == "Merged"
    with translation.override("id"):
        assert str(S.MERGED.label) == "Digabung"
    assert S.MERGED in HIDDEN_STATUSES
    assert S.MERGED not in UNDECIDED_STATUSES and S.MERGED not in CARRYABLE_STATUSES
    assert not Issue(status=S.MERGED).is_decided


# Merging and undoing it


def test_merge_sets_the_originals_to_merged_with_their_history(merged, kabid_sda):
    joint, (a, b) = merged
    assert (a.status, a.merged_into, a.rank) == (S.MERGED, joint, None)
    assert (b.status, b.merged_into) == (S.MERGED, joint)
    assert not Issue.objects.filter(status=S.WITHDRAWN).exists()
    event = b.events.get(kind=IssueEvent.Kind.MERGED)
    assert (event.from_status, event.to_status) == (S.DISCUSSED, S.MERGED)
    assert event.detail["merged_into"] == joint.code and event.actor == kabid_sda


def test_unmerge_brings_back_the_statuses_they_had_and_withdraws_the_joint_issue(merged, kabid_sda):
    joint, (a, b) = merged
    issue_unmerge(joint=joint, user=kabid_sda, reason="Ternyata berbeda")
    a.refresh_from_db()
    b.refresh_from_db()
    joint.refresh_from_db()
    assert (a.status, a.merged_into) == (S.VERIFIED, None)
    assert (b.status, b.merged_into) == (S.DISCUSSED, None)
    # The joint issue is dissolved, as before: it leaves the board as withdrawn.
    assert joint.status == S.WITHDRAWN
    back = b.events.order_by("pk").last()
    assert (back.kind, back.from_status, back.to_status) == (
        IssueEvent.Kind.MERGED,
        S.MERGED,
        S.DISCUSSED,
    )


def test_merging_again_after_an_undo_and_undoing_again_restores_the_status(merged, kabid_sda):
    joint, (a, b) = merged
    issue_unmerge(joint=joint, user=kabid_sda, reason="Berbeda")
    second = issue_merge(primary=b, others=[a], user=kabid_sda, reason="Ternyata sama")
    a.refresh_from_db()
    assert (a.status, a.merged_into) == (S.MERGED, second)
    issue_unmerge(joint=second, user=kabid_sda, reason="Berbeda lagi")
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == (S.VERIFIED, S.DISCUSSED)


def test_a_real_withdrawal_is_still_withdrawn(desk_bina_marga, delegate_pangkalpinang):
    issue = services.issue_submit(
        actor=delegate_pangkalpinang, issue=IssueFactory(desk=desk_bina_marga)
    )
    services.issue_withdraw(actor=delegate_pangkalpinang, issue=issue, reason="Sudah ditangani")
    issue.refresh_from_db()
    assert issue.status == S.WITHDRAWN and issue.merged_into is None


def test_a_merged_issue_cannot_be_withdrawn_or_moved(merged, delegate_bangka):
    _joint, (_a, b) = merged
    with pytest.raises(InvalidTransition):
        services.issue_withdraw(actor=delegate_bangka, issue=b, reason="Tarik")
    with pytest.raises(InvalidTransition):
        services.issue_move(actor=delegate_bangka, issue=b, direction="up")
    b.refresh_from_db()
    assert b.status == S.MERGED


def test_a_merged_issue_takes_no_place_in_its_regions_order(merged, desk_sda, delegate_bangka):
    _joint, (_a, b) = merged
    first = submitted_issue(desk_sda, "bangka", title="Normalisasi Sungai Baturusa")
    second = submitted_issue(desk_sda, "bangka", title="Irigasi Desa Kimak")
    Issue.objects.filter(pk=b.pk).update(priority_order=1)
    Issue.objects.filter(pk=first.pk).update(priority_order=2)
    Issue.objects.filter(pk=second.pk).update(priority_order=3)
    services.issue_move(actor=delegate_bangka, issue=second, direction="up")
    order = list(
        Issue.objects.filter(desk=desk_sda, region=b.region)
        .exclude(status=S.MERGED)
        .order_by("priority_order", "pk")
        .values_list("pk", flat=True)
    )
    assert order == [second.pk, first.pk]  # swapped with its real neighbour, not the merged one


# The data migration of issues merged before this status existed


def merged_the_old_way(desk, kabid):
    """A merge as it was stored before: originals Ditarik, history to Ditarik."""
    original = submitted_issue(desk, "bangka", title=FLOOD, status=S.VERIFIED)
    joint = submitted_issue(desk, "pangkalpinang", title=FLOOD, status=S.VERIFIED)
    Issue.objects.filter(pk=original.pk).update(status=S.WITHDRAWN, merged_into=joint)
    IssueEvent.objects.create(
        issue=original,
        actor=kabid,
        kind=IssueEvent.Kind.MERGED,
        from_status=S.VERIFIED,
        to_status=S.WITHDRAWN,
        detail={"merged_into": joint.code, "from_rank": None},
    )
    return original, joint


def test_the_migration_moves_old_merges_to_merged_and_back(desk_sda, desk_bina_marga, kabid_sda):
    original, joint = merged_the_old_way(desk_sda, kabid_sda)
    # A real withdrawal, with its history, and an earlier merge that was undone.
    withdrawn = submitted_issue(desk_bina_marga, "belitung", status=S.WITHDRAWN)
    withdrawal = IssueEvent.objects.create(
        issue=withdrawn, kind=IssueEvent.Kind.STATUS, from_status=S.SUBMITTED, to_status=S.WITHDRAWN
    )
    dissolved = submitted_issue(desk_sda, "belitung", status=S.WITHDRAWN)
    undone = IssueEvent.objects.create(
        issue=dissolved,
        kind=IssueEvent.Kind.MERGED,
        from_status=S.VERIFIED,
        to_status=S.WITHDRAWN,
        detail={"unmerged": ["SDA-09"]},
    )
    came_back = submitted_issue(desk_sda, "bangka-barat", status=S.VERIFIED)
    returned = IssueEvent.objects.create(
        issue=came_back,
        kind=IssueEvent.Kind.MERGED,
        from_status=S.WITHDRAWN,
        to_status=S.VERIFIED,
        detail={"unmerged_from": "SDA-09"},
    )

    MIGRATION.merged_issues_to_own_status(django_apps, None)

    def status(issue):
        return Issue.objects.get(pk=issue.pk).status

    def statuses(event):
        event.refresh_from_db()
        return (event.from_status, event.to_status)

    assert status(original) == S.MERGED
    assert original.events.get().to_status == S.MERGED
    assert status(withdrawn) == S.WITHDRAWN and statuses(withdrawal)[1] == S.WITHDRAWN
    assert status(dissolved) == S.WITHDRAWN and statuses(undone) == (S.VERIFIED, S.WITHDRAWN)
    assert status(joint) == S.VERIFIED
    assert statuses(returned) == (S.MERGED, S.VERIFIED)

    MIGRATION.merged_issues_back_to_withdrawn(django_apps, None)

    assert status(original) == S.WITHDRAWN
    assert original.events.get().to_status == S.WITHDRAWN
    assert statuses(returned) == (S.WITHDRAWN, S.VERIFIED)
    assert status(withdrawn) == S.WITHDRAWN and status(dissolved) == S.WITHDRAWN
    assert Issue.objects.get(pk=original.pk).merged_into_id == joint.pk


def test_an_old_merge_migrated_can_still_be_undone(desk_sda, kabid_sda):
    original, joint = merged_the_old_way(desk_sda, kabid_sda)
    MIGRATION.merged_issues_to_own_status(django_apps, None)
    issue_unmerge(joint=joint, user=kabid_sda, reason="Berbeda")
    original.refresh_from_db()
    # The status before the merge comes from the migrated history, not the fallback.
    assert (original.status, original.merged_into) == (S.VERIFIED, None)


def test_the_migration_is_in_the_graph_after_0006():
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    node = loader.graph.node_map[("issues", "0007_issue_status_merged")]
    assert ("issues", "0006_rakorgub_package_and_follow_up") in {p.key for p in node.parents}


# What people see


def test_the_merged_issues_page_shows_merged_into_with_a_link(merged, as_delegate_bangka):
    joint, (_a, b) = merged
    url = b.get_absolute_url()
    response = as_delegate_bangka.get(url)
    assert response.status_code == 200
    text = response.text
    assert "Digabung" in text and "Ditarik" not in text
    assert f'href="{joint.get_absolute_url()}">{joint.code}</a>' in text
    english(as_delegate_bangka)
    text = as_delegate_bangka.get(url).text
    assert "Merged into" in text and ">Withdrawn<" not in text
    assert "it was not withdrawn" in text


def test_the_joint_issue_page_lists_what_it_was_merged_from(merged, as_kabid_sda):
    joint, (a, b) = merged
    text = as_kabid_sda.get(joint.get_absolute_url()).text
    assert a.code in text and b.code in text and "Digabung ke" not in text


def test_the_history_says_merged_not_withdrawn(merged, as_delegate_bangka):
    _joint, (_a, b) = merged
    english(as_delegate_bangka)
    text = as_delegate_bangka.get(b.get_absolute_url()).text
    history = text[text.index('id="riwayat"') :]
    assert "Satu DAS" in history and "Merged" in history and "Withdrawn" not in text


def test_the_delegates_list_shows_the_merged_issue_apart_as_merged(
    merged, meeting, as_delegate_bangka
):
    joint, (_a, b) = merged
    response = as_delegate_bangka.get(
        reverse("issues:meeting_issues", kwargs={"slug": meeting.slug})
    )
    assert response.status_code == 200
    [group] = [g for g in response.context["groups"] if g["desk"] == b.desk]
    assert group["issues"] == [] and group["withdrawn"] == [b]
    text = response.text
    assert "issue-status-digabung" in text and ">Digabung<" in text
    assert f'href="{joint.get_absolute_url()}">{joint.code}</a>' in text
    assert "issue-status-ditarik" not in text


def test_the_delegates_home_counts_the_merged_issue_as_merged(merged, as_delegate_bangka):
    response = as_delegate_bangka.get(reverse("home"))
    [shown] = response.context["meetings"]
    assert [(str(label), n) for label, n in shown.status_counts] == [("Digabung", 1)]


def test_home_pages_do_not_count_merged_issues_as_submitted(merged, as_secretariat, as_kabid_sda):
    # Two originals and the joint issue: one problem counted once, for the lead region.
    response = as_secretariat.get(reverse("home"))
    [meeting] = response.context["meetings"]
    by_desk = {row["desk__field__slug"]: row["submitted"] for row in meeting.counts_by_desk}
    assert by_desk["sumber-daya-air"] == 1
    by_region = {row["region__name"]: row["submitted"] for row in meeting.counts_by_region}
    assert by_region[region("bangka").name] == 0
    response = as_kabid_sda.get(reverse("home"))
    [desk] = response.context["desks"]
    assert desk.submitted_count == 1


def test_board_live_board_and_documents_leave_merged_issues_out(merged, desk_sda):
    joint, originals = merged
    assert live_issues(desk_sda) == [joint]
    assert list(document_issues(desk_sda.meeting, desk_sda)) == [joint]
    form = BoardFilterForm(regions=[])
    values = [value for value, _label in form.fields["status"].choices]
    assert S.MERGED not in values and S.WITHDRAWN not in values and S.VERIFIED in values
    # An issue set to Digabung without merged_into (it should not happen) stays off too.
    Issue.objects.filter(pk=joint.pk).update(status=S.MERGED)
    assert live_issues(desk_sda) == [] and not document_issues(desk_sda.meeting).exists()


def test_the_desk_list_can_filter_merged_issues(merged, desk_sda, as_kabid_sda):
    joint, originals = merged
    url = reverse(
        "issues:desk_issues",
        kwargs={"slug": desk_sda.meeting.slug, "field_slug": desk_sda.field.slug},
    )
    response = as_kabid_sda.get(url, {"status": S.MERGED})
    assert response.status_code == 200
    assert {i.pk for i in response.context["issues"]} == {i.pk for i in originals}


# Who may open a merged issue's page


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("other_region", 404),
        ("other_desk_head", 404),
        ("as_observer", 200),
        ("as_secretariat", 200),
        ("as_kabid_sda", 200),
        ("as_delegate_bangka", 200),
    ],
)
def test_who_opens_a_merged_issues_page(merged, request, who, expected, kabid_bina_marga):
    _joint, (_a, b) = merged
    if who == "anonymous":
        client = Client()
    elif who == "other_region":
        client = Client()
        client.force_login(
            UserFactory(username="delegasi-belitung", role="delegasi", region=region("belitung"))
        )
    elif who == "other_desk_head":
        client = Client()
        client.force_login(kabid_bina_marga)
    else:
        client = request.getfixturevalue(who)
    response = client.get(b.get_absolute_url())
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(reverse("login"))
