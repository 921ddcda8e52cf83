"""Every meeting setup page: secretariat only, login first, 404 outside the meeting."""

import pytest
from django.urls import reverse

from tests.factories import AgendaItemFactory, FieldFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(meeting, desk_bina_marga):
    return {
        "meeting": meeting,
        "desk": desk_bina_marga,
        "item": AgendaItemFactory(meeting=meeting),
        "field": FieldFactory(),
    }


# (url name, how to build its arguments from the rows)
PAGES = [
    ("meetings:list", lambda r: []),
    ("meetings:create", lambda r: []),
    ("meetings:detail", lambda r: [r["meeting"].slug]),
    ("meetings:update", lambda r: [r["meeting"].slug]),
    ("meetings:agenda_create", lambda r: [r["meeting"].slug]),
    ("meetings:agenda_update", lambda r: [r["meeting"].slug, r["item"].pk]),
    ("meetings:agenda_delete", lambda r: [r["meeting"].slug, r["item"].pk]),
    ("meetings:desk_create", lambda r: [r["meeting"].slug]),
    ("meetings:desk_update", lambda r: [r["meeting"].slug, r["desk"].pk]),
    ("meetings:desk_delete", lambda r: [r["meeting"].slug, r["desk"].pk]),
    ("meetings:criteria", lambda r: [r["meeting"].slug]),
    ("meetings:field_list", lambda r: []),
    ("meetings:field_create", lambda r: []),
    ("meetings:field_update", lambda r: [r["field"].pk]),
    ("meetings:field_delete", lambda r: [r["field"].pk]),
]
PAGE_IDS = [name for name, _ in PAGES]
# Every account reads a meeting's page (tests/meetings/setup/test_setup_checklist.py).
WRITE_PAGES = [p for p in PAGES if p[0] != "meetings:detail"]
SCOPED_PAGES = [p for p in PAGES if p[0] not in {"meetings:list", "meetings:create"}]
SCOPED_PAGES = [p for p in SCOPED_PAGES if not p[0].startswith("meetings:field_")]


@pytest.mark.parametrize(("name", "args"), PAGES, ids=PAGE_IDS)
def test_secretariat_opens_every_setup_page(as_secretariat, rows, name, args):
    response = as_secretariat.get(reverse(name, args=args(rows)))
    assert response.status_code == 200


@pytest.mark.parametrize(("name", "args"), PAGES, ids=PAGE_IDS)
def test_anonymous_visitor_is_sent_to_log_in(client, rows, name, args):
    url = reverse(name, args=args(rows))
    for response in (client.get(url), client.post(url, {})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["as_kabid_bina_marga", "as_delegate_pangkalpinang", "as_observer"])
@pytest.mark.parametrize(("name", "args"), WRITE_PAGES, ids=[p[0] for p in WRITE_PAGES])
def test_other_roles_are_forbidden(request, rows, who, name, args):
    client = request.getfixturevalue(who)
    url = reverse(name, args=args(rows))
    assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code == 403


def test_a_post_from_another_role_changes_nothing(as_kabid_bina_marga, desk_bina_marga):
    url = reverse("meetings:desk_delete", args=[desk_bina_marga.meeting.slug, desk_bina_marga.pk])
    as_kabid_bina_marga.post(url)
    assert desk_bina_marga.meeting.desks.count() == 1


@pytest.mark.parametrize(("name", "args"), SCOPED_PAGES, ids=[p[0] for p in SCOPED_PAGES])
def test_unknown_meeting_slug_is_not_found(as_secretariat, rows, name, args):
    url_args = args(rows)
    url_args[0] = "tidak-ada"
    assert as_secretariat.get(reverse(name, args=url_args)).status_code == 404


@pytest.mark.parametrize(
    "name",
    [
        "meetings:agenda_update",
        "meetings:agenda_delete",
        "meetings:desk_update",
        "meetings:desk_delete",
    ],
)
def test_a_row_of_another_meeting_is_not_found(as_secretariat, rows, name):
    other = MeetingFactory()
    pk = rows["item"].pk if "agenda" in name else rows["desk"].pk
    response = as_secretariat.get(reverse(name, args=[other.slug, pk]))
    assert response.status_code == 404
    assert as_secretariat.post(reverse(name, args=[other.slug, pk]), {}).status_code == 404


@pytest.mark.parametrize("name", ["meetings:field_update", "meetings:field_delete"])
def test_unknown_field_is_not_found(as_secretariat, name):
    assert as_secretariat.get(reverse(name, args=[999999])).status_code == 404
