"""A meeting's page: the set-up checklist and "Aktifkan" for the secretariat, a read-only
page for every other account (a shared link leads there), and drafts hidden from them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import Meeting
from meetings.setup.checklist import meeting_ready, meeting_setup
from tests.factories import AgendaItemFactory, CriterionFactory, DeskFactory, MeetingFactory, field

pytestmark = pytest.mark.django_db

OTHERS = ["as_kabid_bina_marga", "as_delegate_pangkalpinang", "as_observer"]


@pytest.fixture
def draft(kabid_bina_marga):
    """A draft RAKORTEK with everything needed: a chaired desk, weights of 100, a window."""
    now = timezone.now()
    meeting = MeetingFactory(
        title="RAKORTEK PU 2027",
        slug="rakortek-pu-2027",
        year=2027,
        status=Meeting.Status.DRAFT,
        starts_at=now + timedelta(days=30),
        ends_at=now + timedelta(days=30, hours=8),
        submission_opens_at=now + timedelta(days=1),
        submission_closes_at=now + timedelta(days=20),
    )
    DeskFactory(meeting=meeting, field=field("bina-marga"), chair=kabid_bina_marga)
    CriterionFactory(meeting=meeting, name="Kemendesakan", weight=60)
    CriterionFactory(meeting=meeting, name="Dampak", weight=40)
    return meeting


def activate_url(meeting):
    return reverse("meetings:activate", kwargs={"slug": meeting.slug})


def steps_by_key(meeting):
    return {step.key: step for step in meeting_setup(meeting)}


# The checklist


def test_a_complete_draft_shows_the_checklist_and_the_activate_button(as_secretariat, draft):
    response = as_secretariat.get(draft.get_absolute_url())
    page = response.content.decode()
    assert "Persiapan sebelum diaktifkan" in page
    assert f'action="{activate_url(draft)}"' in page
    assert "Aktifkan" in page
    assert meeting_ready(meeting_setup(draft))


@pytest.mark.parametrize(
    ("spoil", "key"),
    [
        (lambda m: m.desks.update(chair=None), "desks"),
        (lambda m: m.desks.all().delete(), "desks"),
        (lambda m: m.criteria.filter(name="Dampak").update(weight=30), "criteria"),
        (lambda m: Meeting.objects.filter(pk=m.pk).update(submission_opens_at=None), "window"),
        (
            lambda m: Meeting.objects.filter(pk=m.pk).update(
                submission_closes_at=m.ends_at + timedelta(hours=1)
            ),
            "window",
        ),
    ],
)
def test_a_missing_step_hides_the_button_and_activation_is_refused(
    as_secretariat, draft, spoil, key
):
    spoil(draft)
    draft.refresh_from_db()
    assert not steps_by_key(draft)[key].done
    page = as_secretariat.get(draft.get_absolute_url()).content.decode()
    assert f'action="{activate_url(draft)}"' not in page
    response = as_secretariat.post(activate_url(draft), follow=True)
    draft.refresh_from_db()
    assert draft.status == Meeting.Status.DRAFT
    assert "Rapat belum dapat diaktifkan" in response.content.decode()


def test_agenda_items_to_check_are_marked_but_do_not_block(as_secretariat, draft):
    AgendaItemFactory(meeting=draft, activity="Pembukaan", needs_review=True)
    step = steps_by_key(draft)["agenda"]
    assert not step.done and not step.required
    page = as_secretariat.get(draft.get_absolute_url()).content.decode()
    assert "Periksa" in page
    assert meeting_ready(meeting_setup(draft))


def test_saving_an_agenda_item_clears_its_mark(as_secretariat, draft):
    item = AgendaItemFactory(meeting=draft, activity="Pembukaan", needs_review=True)
    url = reverse("meetings:agenda_update", args=[draft.slug, item.pk])
    as_secretariat.post(
        url, {"starts_at": "08:30", "ends_at": "09:00", "activity": "Pembukaan", "person": "Gub"}
    )
    item.refresh_from_db()
    assert not item.needs_review


def test_activation_makes_the_meeting_active(as_secretariat, draft):
    response = as_secretariat.post(activate_url(draft), follow=True)
    draft.refresh_from_db()
    assert draft.status == Meeting.Status.ACTIVE
    assert "Persiapan sebelum diaktifkan" not in response.content.decode()


def test_an_active_meeting_is_not_activated_again(draft):
    draft.status = Meeting.Status.ACTIVE
    draft.save()
    with pytest.raises(services.MeetingNotReady):
        services.meeting_activate(meeting=draft)


# Access to activation


@pytest.mark.parametrize("who", OTHERS)
def test_other_roles_may_not_activate(request, draft, who):
    client = request.getfixturevalue(who)
    assert client.post(activate_url(draft)).status_code == 403
    draft.refresh_from_db()
    assert draft.status == Meeting.Status.DRAFT


def test_anonymous_visitor_is_sent_to_log_in(client, draft):
    response = client.post(activate_url(draft))
    assert response["Location"].startswith(reverse("login"))


def test_activation_of_an_unknown_meeting_or_a_rakorgub_is_not_found(as_secretariat, draft):
    missing = reverse("meetings:activate", kwargs={"slug": "tidak-ada"})
    assert as_secretariat.post(missing).status_code == 404


def test_activation_is_a_post(as_secretariat, draft):
    assert as_secretariat.get(activate_url(draft)).status_code == 405


# Reading a meeting's page


@pytest.mark.parametrize("who", OTHERS)
def test_every_account_reads_an_active_meeting_without_setup_links(request, meeting, who):
    client = request.getfixturevalue(who)
    response = client.get(meeting.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert meeting.title in page
    for name in ("meetings:update", "meetings:agenda_create", "meetings:criteria"):
        assert reverse(name, args=[meeting.slug]) not in page
    assert "Persiapan sebelum diaktifkan" not in page


@pytest.mark.parametrize("who", OTHERS)
def test_a_draft_meeting_is_not_found_for_other_accounts(request, draft, who):
    client = request.getfixturevalue(who)
    assert client.get(draft.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("who", OTHERS)
def test_the_meeting_page_cannot_be_posted_to(request, meeting, who):
    client = request.getfixturevalue(who)
    assert client.post(meeting.get_absolute_url()).status_code == 405


def test_anonymous_visitor_of_a_meeting_page_logs_in(client, meeting):
    response = client.get(meeting.get_absolute_url())
    assert response["Location"].startswith(reverse("login"))


# Self check-in opens on the meeting's days


def test_check_in_opens_at_midnight_of_the_first_day_and_closes_after_the_last(settings):
    settings.CHECKIN_OPENS_DAYS_BEFORE = 0
    settings.CHECKIN_CLOSES_DAYS_AFTER = 0
    starts = timezone.make_aware(timezone.datetime(2027, 7, 26, 8, 0))
    meeting = MeetingFactory(starts_at=starts, ends_at=starts + timedelta(days=1, hours=8))
    day_before = starts - timedelta(hours=9)  # 25 July, 23.00 WIB
    assert not meeting.checkin_window_is_open(day_before)
    assert meeting.checkin_window_is_open(starts - timedelta(hours=8))  # 00.00 on the day
    assert meeting.checkin_window_is_open(starts + timedelta(days=1, hours=15))  # 27 July 23.00
    assert not meeting.checkin_window_is_open(starts + timedelta(days=1, hours=16))
    settings.CHECKIN_OPENS_DAYS_BEFORE = 1
    assert meeting.checkin_window_is_open(day_before)


def test_self_check_in_days_before_the_meeting_is_refused(client, meeting, settings):
    settings.CHECKIN_OPENS_DAYS_BEFORE = 0
    url = reverse("meetings:checkin", kwargs={"code": meeting.checkin_code})
    assert client.get(url).status_code == 403
    settings.CHECKIN_OPENS_DAYS_BEFORE = 30
    assert client.get(url).status_code == 200
