"""The agreement point pages: who may open each, what each does, and what a final document
refuses."""

import pytest
from django.contrib import messages
from django.urls import reverse

from issues.agreement.services import agreement_point_create, agreement_points_draft_from_priorities
from issues.models import AgreementOptions, AgreementPoint
from meetings.models import Meeting
from tests.factories import DeskFactory, field
from tests.issues.agreement.test_agreement_points import P, board_issue, finalise, orders


@pytest.fixture
def point(desk_bina_marga, secretariat):
    return agreement_point_create(
        actor=secretariat,
        desk=desk_bina_marga,
        data={"text": "Butir pertama", "responsible": "Dinas", "due": "Tahun Anggaran 2023"},
    )


@pytest.fixture
def second(desk_bina_marga, secretariat, point):
    return agreement_point_create(
        actor=secretariat,
        desk=desk_bina_marga,
        data={"text": "Butir kedua", "responsible": "Dinas", "due": "2023"},
    )


def url(name, desk, point=None):
    kwargs = {"desk_id": desk.pk}
    if point is not None:
        kwargs["pk"] = point.pk
    return reverse(f"issues:{name}", kwargs=kwargs)


def _views(desk, point):
    """(method, url, data) for every desk view."""
    edit_data = {"text": "Diubah", "responsible": "Dinas", "due": "2023"}
    return [
        ("get", url("points", desk), None),
        ("get", url("point_create", desk), None),
        ("post", url("point_create", desk), edit_data),
        ("get", url("point_edit", desk, point), None),
        ("post", url("point_edit", desk, point), edit_data),
        ("post", url("point_move", desk, point), {"direction": "down"}),
        ("get", url("point_delete", desk, point), None),
        ("post", url("point_delete", desk, point), {}),
        ("post", url("points_draft", desk), {}),
    ]


WRITE_VIEWS = 8  # every view in _views but the list


# ---- Access ----


def test_anonymous_visitors_are_sent_to_log_in(client, desk_bina_marga, point, meeting):
    views = [
        *_views(desk_bina_marga, point),
        ("get", reverse("issues:meeting_points", kwargs={"slug": meeting.slug}), None),
    ]
    for method, address, data in views:
        response = getattr(client, method)(address, data or {})
        assert response.status_code == 302, address
        assert response.url.startswith(reverse("login")), address


def test_the_chair_of_another_desk_gets_404(as_kabid_sda, desk_bina_marga, desk_sda, point):
    for method, address, data in _views(desk_bina_marga, point):
        assert getattr(as_kabid_sda, method)(address, data or {}).status_code == 404, address
    assert AgreementPoint.objects.get(pk=point.pk).text == "Butir pertama"


def test_a_point_of_another_desk_is_404_even_for_the_secretariat(as_secretariat, desk_sda, point):
    for name in ("point_edit", "point_delete"):
        assert as_secretariat.get(url(name, desk_sda, point)).status_code == 404


def test_delegates_get_404(as_delegate_pangkalpinang, desk_bina_marga, point):
    for method, address, data in _views(desk_bina_marga, point):
        response = getattr(as_delegate_pangkalpinang, method)(address, data or {})
        assert response.status_code == 404, address


def test_the_observer_reads_the_list_and_gets_403_on_every_write(
    as_observer, desk_bina_marga, point
):
    views = _views(desk_bina_marga, point)
    assert as_observer.get(views[0][1]).status_code == 200
    for method, address, data in views[1:]:
        assert getattr(as_observer, method)(address, data or {}).status_code == 403, address
    assert len(views) - 1 == WRITE_VIEWS
    assert orders(desk_bina_marga) == [(1, "Butir pertama")]


def test_a_desk_head_sees_their_desk_whatever_the_meetings_state(
    as_kabid_bina_marga, as_observer, desk_bina_marga, point
):
    Meeting.objects.filter(pk=desk_bina_marga.meeting_id).update(status=Meeting.Status.DRAFT)
    assert as_kabid_bina_marga.get(url("points", desk_bina_marga)).status_code == 200
    assert as_observer.get(url("points", desk_bina_marga)).status_code == 404


def test_the_meeting_overview_is_for_the_secretariat(
    as_kabid_bina_marga, as_observer, as_delegate_bangka, as_secretariat, meeting, point
):
    address = reverse("issues:meeting_points", kwargs={"slug": meeting.slug})
    for client in (as_kabid_bina_marga, as_observer, as_delegate_bangka):
        assert client.get(address).status_code == 403
    assert as_secretariat.get(address).status_code == 200
    assert (
        as_secretariat.get(reverse("issues:meeting_points", kwargs={"slug": "x"})).status_code
        == 404
    )


# ---- What the pages do ----


def test_the_chair_adds_a_point_with_its_source_issues(
    as_kabid_bina_marga, desk_bina_marga, kabid_bina_marga
):
    issue = board_issue(desk_bina_marga, "bangka", rank=1, decision=P)
    response = as_kabid_bina_marga.post(
        url("point_create", desk_bina_marga),
        {
            "text": "Penanganan ruas",
            "responsible": "Dinas PUPRPRKP",
            "due": "Tahun Anggaran 2023",
            "source_issues": [issue.pk],
        },
    )
    point = AgreementPoint.objects.get()
    assert response.status_code == 302
    assert response.url == f"{url('points', desk_bina_marga)}#butir-{point.pk}"
    assert (point.order, point.created_by) == (1, kabid_bina_marga)
    assert list(point.source_issues.all()) == [issue]
    assert [r.slug for r in point.regions.all()] == ["bangka"]


def test_bad_input_keeps_what_was_typed(as_secretariat, desk_bina_marga):
    response = as_secretariat.post(
        url("point_create", desk_bina_marga),
        {"text": "", "responsible": "Dinas yang diketik", "due": "2023"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "text" in form.errors
    assert form["responsible"].value() == "Dinas yang diketik"
    assert not AgreementPoint.objects.exists()


def test_an_issue_of_another_desk_is_not_a_choice(as_secretariat, desk_bina_marga, desk_sda):
    foreign = board_issue(desk_sda, rank=1, decision=P)
    response = as_secretariat.post(
        url("point_create", desk_bina_marga),
        {"text": "x", "responsible": "y", "due": "z", "source_issues": [foreign.pk]},
    )
    assert response.status_code == 200
    assert "source_issues" in response.context["form"].errors


def test_editing_saves_and_returns_to_the_point(as_secretariat, desk_bina_marga, point):
    response = as_secretariat.post(
        url("point_edit", desk_bina_marga, point),
        {"text": "Diubah", "responsible": "Dinas", "due": "2024"},
    )
    assert response.status_code == 302
    point.refresh_from_db()
    assert (point.text, point.due) == ("Diubah", "2024")


def test_move_and_delete_pages(as_kabid_bina_marga, desk_bina_marga, point, second):
    as_kabid_bina_marga.post(url("point_move", desk_bina_marga, second), {"direction": "up"})
    assert orders(desk_bina_marga) == [(1, "Butir kedua"), (2, "Butir pertama")]
    bad = as_kabid_bina_marga.post(url("point_move", desk_bina_marga, second), {"direction": "x"})
    assert bad.status_code == 302
    assert orders(desk_bina_marga) == [(1, "Butir kedua"), (2, "Butir pertama")]
    confirm = as_kabid_bina_marga.get(url("point_delete", desk_bina_marga, second))
    assert confirm.status_code == 200
    assert AgreementPoint.objects.count() == 2
    as_kabid_bina_marga.post(url("point_delete", desk_bina_marga, second))
    assert orders(desk_bina_marga) == [(1, "Butir pertama")]


def test_move_is_post_only(as_secretariat, desk_bina_marga, point):
    assert as_secretariat.get(url("point_move", desk_bina_marga, point)).status_code == 405
    assert as_secretariat.get(url("points_draft", desk_bina_marga)).status_code == 405


def test_the_draft_button_drafts_from_the_priority_issues(as_kabid_bina_marga, desk_bina_marga):
    board_issue(desk_bina_marga, "bangka", rank=2, decision=P, title="Kedua")
    board_issue(desk_bina_marga, "belitung", rank=1, decision=P, title="Pertama")
    page = as_kabid_bina_marga.get(url("points", desk_bina_marga))
    assert page.context["draftable"] == 2
    response = as_kabid_bina_marga.post(url("points_draft", desk_bina_marga))
    assert response.status_code == 302
    texts = [text for _order, text in orders(desk_bina_marga)]
    assert "(pertama)" in texts[0] and "(kedua)" in texts[1]
    as_kabid_bina_marga.post(url("points_draft", desk_bina_marga))
    assert AgreementPoint.objects.count() == 2


def test_the_list_numbers_points_after_earlier_desks(
    as_secretariat, secretariat, desk_bina_marga, desk_sda, point, second
):
    agreement_point_create(
        actor=secretariat, desk=desk_sda, data={"text": "SDA", "responsible": "", "due": ""}
    )
    page = as_secretariat.get(url("points", desk_sda))
    # Bina Marga comes before SDA in the fields' order, so SDA's first point is number 3.
    assert [p.number for p in page.context["points"]] == [3]


def test_a_final_document_refuses_every_write_with_a_message(
    as_secretariat, secretariat, desk_bina_marga, point
):
    finalise(desk_bina_marga.meeting, secretariat)
    page = as_secretariat.get(url("points", desk_bina_marga))
    assert page.status_code == 200
    assert page.context["editable"] is False
    assert page.context["final_document"] is not None
    for method, address, data in _views(desk_bina_marga, point)[1:]:
        response = getattr(as_secretariat, method)(address, data or {}, follow=True)
        assert response.status_code == 200, address
        assert [m.level for m in response.context["messages"]] == [messages.ERROR], address
    assert orders(desk_bina_marga) == [(1, "Butir pertama")]


def test_a_reopened_document_lets_the_chair_edit_again(
    as_kabid_bina_marga, secretariat, desk_bina_marga, point
):
    finalise(desk_bina_marga.meeting, secretariat, reopened=True)
    as_kabid_bina_marga.post(
        url("point_edit", desk_bina_marga, point),
        {"text": "Dikoreksi", "responsible": "Dinas", "due": "2023"},
    )
    assert orders(desk_bina_marga) == [(1, "Dikoreksi")]


def test_the_overview_groups_by_field_and_sets_the_numbering(
    as_secretariat, secretariat, meeting, desk_bina_marga, desk_sda, point, second
):
    agreement_point_create(
        actor=secretariat, desk=desk_sda, data={"text": "SDA", "responsible": "", "due": ""}
    )
    address = reverse("issues:meeting_points", kwargs={"slug": meeting.slug})
    page = as_secretariat.get(address)
    groups = page.context["groups"]
    assert [(g.desk, g.count) for g in groups] == [(desk_bina_marga, 2), (desk_sda, 1)]
    assert [p.number for g in groups for p in g.points] == [1, 2, 3]
    assert page.context["total"] == 3
    response = as_secretariat.post(address, {"numbering": "urutan"})
    assert response.status_code == 302
    assert meeting.agreement_options.numbering == AgreementOptions.Numbering.ORDINALS
    page = as_secretariat.get(address)
    assert [p.ordinal for g in page.context["groups"] for p in g.points] == [
        "KESATU",
        "KEDUA",
        "KETIGA",
    ]


# ---- Queries ----


def test_the_desk_list_needs_the_same_queries_for_many_points(
    as_kabid_bina_marga, kabid_bina_marga, desk_bina_marga, django_assert_max_num_queries
):
    for rank in range(1, 16):
        issue = board_issue(desk_bina_marga, "bangka", rank=rank, decision=P)
        issue.joint_regions.set([])
    agreement_points_draft_from_priorities(desk=desk_bina_marga, user=kabid_bina_marga)
    with django_assert_max_num_queries(16):
        response = as_kabid_bina_marga.get(url("points", desk_bina_marga))
    assert len(response.context["points"]) == 15


def test_the_overview_needs_the_same_queries_for_many_desks(
    as_secretariat, secretariat, meeting, django_assert_max_num_queries
):
    for slug in ("bina-marga", "sumber-daya-air", "perumahan"):
        desk = DeskFactory(meeting=meeting, field=field(slug))
        for text in ("a", "b", "c"):
            agreement_point_create(
                actor=secretariat, desk=desk, data={"text": text, "responsible": "", "due": ""}
            )
    with django_assert_max_num_queries(14):
        response = as_secretariat.get(
            reverse("issues:meeting_points", kwargs={"slug": meeting.slug})
        )
    assert response.context["total"] == 9


def test_the_board_and_the_documents_page_link_to_the_points(
    as_secretariat, meeting, desk_bina_marga
):
    board = as_secretariat.get(reverse("issues:board", kwargs={"desk_id": desk_bina_marga.pk}))
    assert url("points", desk_bina_marga) in board.content.decode()
    documents = as_secretariat.get(reverse("documents:meeting", kwargs={"slug": meeting.slug}))
    overview = reverse("issues:meeting_points", kwargs={"slug": meeting.slug})
    assert overview in documents.content.decode()


def test_the_admin_shows_points_but_changes_them_only_through_the_pages(
    client, desk_bina_marga, point
):
    from tests.factories import UserFactory

    admin = UserFactory(username="it", is_staff=True, is_superuser=True)
    client.force_login(admin)
    listing = client.get(reverse("admin:issues_agreementpoint_changelist"))
    assert listing.status_code == 200
    assert "Butir pertama" in listing.content.decode()
    assert client.get(reverse("admin:issues_agreementpoint_add")).status_code == 403
