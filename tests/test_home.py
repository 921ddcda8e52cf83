import pytest
from django.core.management import call_command
from django.urls import reverse

from issues.models import Issue, IssueComment, IssueEvent, IssueSequence, RegionWindow
from meetings.models import Field, Meeting, Region
from rakortek.accounts.models import User
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_page_speaks_indonesian_by_default(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "id"
    assert "Content-Security-Policy" in response.headers


def test_browser_language_does_not_override_indonesian(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "id"
    assert "Masuk" in response.text


def test_language_switch_gives_english_on_request(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/akun/masuk/"})
    assert response.status_code == 302
    response = client.get(reverse("login"))
    assert response.headers["Content-Language"] == "en"
    assert "Log in" in response.text


def test_secretariat_home_lists_meetings_with_their_desks(as_secretariat, desk_bina_marga):
    response = as_secretariat.get(reverse("home"))
    assert response.status_code == 200
    assert desk_bina_marga.meeting.title in response.text
    assert "Bina Marga" in response.text


def test_desk_head_home_lists_only_their_desks(as_kabid_bina_marga, desk_bina_marga, desk_sda):
    response = as_kabid_bina_marga.get(reverse("home"))
    assert response.status_code == 200
    assert list(response.context["desks"]) == [desk_bina_marga]


def test_delegate_home_hides_draft_meetings(as_delegate_pangkalpinang, meeting):
    draft = MeetingFactory(title="Rapat yang belum diumumkan", status=Meeting.Status.DRAFT)
    response = as_delegate_pangkalpinang.get(reverse("home"))
    assert meeting.title in response.text
    assert draft.title not in response.text


def test_desk_head_and_observer_homes_link_to_the_minutes(
    as_kabid_bina_marga, as_observer, desk_bina_marga
):
    minutes = reverse("meetings:minutes_index", args=[desk_bina_marga.meeting.slug])
    assert minutes in as_kabid_bina_marga.get(reverse("home")).text
    assert minutes in as_observer.get(reverse("home")).text


def test_observer_home_shows_final_documents_section(as_observer, meeting):
    response = as_observer.get(reverse("home"))
    assert response.status_code == 200
    assert meeting.title in response.text


def test_not_found_page_is_in_indonesian(as_secretariat):
    response = as_secretariat.get("/tidak-ada/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.text


def test_reference_data_exists_after_migrate():
    assert Region.objects.count() == 8
    bangka_barat = Region.objects.get(kemendagri_code="19.05")
    assert (bangka_barat.name, bangka_barat.bps_code) == ("Kabupaten Bangka Barat", "1903")
    assert list(Field.objects.values_list("code", flat=True)) == [
        "BM",
        "SDA",
        "PRP",
        "PRM",
        "KP",
        "JK",
    ]


def _seeded_counts():
    return (
        User.objects.count(),
        Meeting.objects.count(),
        Issue.objects.count(),
        IssueEvent.objects.count(),
        IssueComment.objects.count(),
        list(IssueSequence.objects.order_by("desk_id").values_list("last_number", flat=True)),
        RegionWindow.objects.count(),
    )


def test_seed_demo_twice_changes_nothing(settings, media):
    settings.DEBUG = True
    call_command("seed_demo")
    counts = _seeded_counts()
    call_command("seed_demo")
    assert _seeded_counts() == counts
    assert counts[:2] == (15, 2)
    meeting = Meeting.objects.get(slug="rakortek-2022")
    assert meeting.desks.count() == 6
    assert sum(meeting.criteria.values_list("weight", flat=True)) == 100


def test_seed_demo_brings_issues_of_every_region_in_every_state(settings, media):
    settings.DEBUG = True
    call_command("seed_demo")
    issues = Issue.objects.select_related("desk__field", "region")
    regions = set(issues.values_list("region__slug", flat=True))
    assert regions == {
        "bangka",
        "belitung",
        "bangka-selatan",
        "bangka-tengah",
        "bangka-barat",
        "belitung-timur",
        "pangkalpinang",
    }
    statuses = set(issues.values_list("status", flat=True))
    assert {"draf", "diajukan", "perlu_perbaikan", "ditarik", "prioritas", "diteruskan"} <= statuses
    # The reserve issue of the demo is a source of a point signed at RAKORGUB: forwarded.
    assert "cadangan" in set(issues.values_list("decision", flat=True))
    decided = issues.filter(decision="prioritas")
    assert decided and all(i.rank and i.score is not None for i in decided)
    assert all(i.number is None for i in issues if i.status == "draf")
    codes = sorted(i.code for i in issues if i.number)
    assert "BM-01" in codes and "SDA-01" in codes and len(codes) == len(set(codes))
    returned = issues.get(status="perlu_perbaikan")
    question = returned.events.get(to_status="perlu_perbaikan")
    assert question.reason and question.actor == returned.desk.chair
    # Every issue has a history that begins with its creation by the region's delegate.
    for issue in issues:
        first = issue.events.first()
        assert first.kind == "dibuat" and first.actor.region_id == issue.region_id


def test_delegate_home_counts_their_regions_issues_by_status(
    as_delegate_pangkalpinang, meeting, desk_bina_marga, delegate_pangkalpinang
):
    from issues import services
    from tests.factories import IssueFactory, region

    IssueFactory(desk=desk_bina_marga)
    services.issue_submit(actor=delegate_pangkalpinang, issue=IssueFactory(desk=desk_bina_marga))
    IssueFactory(desk=desk_bina_marga, region=region("bangka"))
    response = as_delegate_pangkalpinang.get(reverse("home"))
    [shown] = response.context["meetings"]
    assert shown.issue_total == 2
    assert [count for _label, count in shown.status_counts] == [1, 1]
    assert shown.open_for_region
    assert reverse("issues:meeting_issues", kwargs={"slug": meeting.slug}) in response.text


def test_secretariat_home_counts_issues_by_region_and_desk_without_a_query_per_row(
    as_secretariat, desk_bina_marga, desk_sda, secretariat, django_assert_max_num_queries
):
    from issues import services
    from tests.factories import IssueFactory, region

    for slug in ("bangka", "belitung", "pangkalpinang", "bangka-barat"):
        for desk in (desk_bina_marga, desk_sda):
            services.issue_submit(
                actor=secretariat, issue=IssueFactory(desk=desk, region=region(slug))
            )
            IssueFactory(desk=desk, region=region(slug))
    with django_assert_max_num_queries(10):
        response = as_secretariat.get(reverse("home"))
    [meeting] = response.context["meetings"]
    assert len(meeting.counts_by_region) == 4
    assert {(r["submitted"], r["drafts"]) for r in meeting.counts_by_region} == {(2, 2)}
    by_desk = {r["desk__field__slug"]: r["submitted"] for r in meeting.counts_by_desk}
    assert by_desk == {"bina-marga": 4, "sumber-daya-air": 4}


def test_desk_head_home_links_to_the_desk_issue_list(
    as_kabid_bina_marga, desk_bina_marga, delegate_pangkalpinang
):
    from issues import services
    from tests.factories import IssueFactory

    services.issue_submit(actor=delegate_pangkalpinang, issue=IssueFactory(desk=desk_bina_marga))
    response = as_kabid_bina_marga.get(reverse("home"))
    [desk] = response.context["desks"]
    assert (desk.submitted_count, desk.pending_count) == (1, 1)
    url = reverse(
        "issues:desk_issues",
        kwargs={"slug": desk_bina_marga.meeting.slug, "field_slug": "bina-marga"},
    )
    assert url in response.text


def test_seed_demo_is_refused_when_debug_is_off(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo")
