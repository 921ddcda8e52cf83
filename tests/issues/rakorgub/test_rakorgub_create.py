"""The RAKORGUB recorded from the package page in one step, its dates checked; the signing
date's rules shown on the form; dates in messages written the Indonesian way."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
from rakortek.core.formatting import MONTHS

pytestmark = pytest.mark.django_db


@pytest.fixture
def without_rakorgub(agreed_meeting):
    Meeting.objects.filter(kind=Meeting.Kind.RAKORGUB, follows=agreed_meeting).delete()
    return agreed_meeting


def page_url(meeting):
    return reverse("issues:package", kwargs={"slug": meeting.slug})


def create_url(meeting):
    return reverse("issues:package_rakorgub_create", kwargs={"slug": meeting.slug})


def indonesian(day):
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def form_data(meeting, days_after=3, **overrides):
    day = (timezone.localtime(meeting.ends_at) + timedelta(days=days_after)).date().isoformat()
    data = {
        "title": "RAKORGUB 2022",
        "starts_at_0": day,
        "starts_at_1": "09:00",
        "ends_at_0": day,
        "ends_at_1": "15:00",
        "venue": "Ruang Pasir Padi, Kantor Gubernur",
        "mode": "luring",
        "online_link": "",
    }
    data.update(overrides)
    return data


def test_the_package_page_offers_the_rakorgub_form_with_proposed_dates(
    as_secretariat, without_rakorgub
):
    response = as_secretariat.get(page_url(without_rakorgub))
    page = response.content.decode()
    assert f'action="{create_url(without_rakorgub)}"' in page
    form = response.context["rakorgub_form"]
    proposed = form.initial["starts_at"]
    assert proposed > without_rakorgub.ends_at
    ends = timezone.localtime(without_rakorgub.ends_at)
    assert f"berakhir pada {indonesian(ends)}" in page


def test_secretariat_records_the_rakorgub_in_one_step(as_secretariat, without_rakorgub):
    response = as_secretariat.post(create_url(without_rakorgub), form_data(without_rakorgub))
    assert response.status_code == 302
    assert response["Location"] == page_url(without_rakorgub)
    following = Meeting.objects.get(kind=Meeting.Kind.RAKORGUB)
    assert following.follows == without_rakorgub
    assert following.status == Meeting.Status.ACTIVE
    assert following.year == without_rakorgub.year
    page = as_secretariat.get(page_url(without_rakorgub)).content.decode()
    assert f'action="{create_url(without_rakorgub)}"' not in page


def test_a_rakorgub_before_the_rakortek_ends_is_refused_and_the_input_kept(
    as_secretariat, without_rakorgub
):
    data = form_data(without_rakorgub, days_after=-2, venue="Gedung Serba Guna")
    response = as_secretariat.post(create_url(without_rakorgub), data)
    assert response.status_code == 200
    form = response.context["rakorgub_form"]
    message = str(form.errors["starts_at"])
    assert "RAKORGUB diadakan setelah RAKORTEK yang diikutinya" in message
    assert indonesian(timezone.localtime(without_rakorgub.ends_at)) in message
    assert form.data["venue"] == "Gedung Serba Guna"
    assert 'value="Gedung Serba Guna"' in response.content.decode()
    assert not Meeting.objects.filter(kind=Meeting.Kind.RAKORGUB).exists()


def test_a_missing_venue_is_refused(as_secretariat, without_rakorgub):
    response = as_secretariat.post(
        create_url(without_rakorgub), form_data(without_rakorgub, venue="")
    )
    assert "venue" in response.context["rakorgub_form"].errors


def test_a_second_rakorgub_is_not_recorded(as_secretariat, agreed_meeting):
    response = as_secretariat.post(create_url(agreed_meeting), form_data(agreed_meeting))
    assert response.status_code == 302
    assert Meeting.objects.filter(kind=Meeting.Kind.RAKORGUB).count() == 1


@pytest.mark.parametrize("who", ["as_kabid_bina_marga", "as_delegate_pangkalpinang", "as_observer"])
def test_other_roles_may_not_record_it(request, without_rakorgub, who):
    client = request.getfixturevalue(who)
    response = client.post(create_url(without_rakorgub), form_data(without_rakorgub))
    assert response.status_code == 403
    assert not Meeting.objects.filter(kind=Meeting.Kind.RAKORGUB).exists()


def test_anonymous_visitor_is_sent_to_log_in(client, without_rakorgub):
    response = client.post(create_url(without_rakorgub), form_data(without_rakorgub))
    assert response["Location"].startswith(reverse("login"))


def test_unknown_meeting_or_a_rakorgub_slug_is_not_found(as_secretariat, agreed_meeting):
    following = Meeting.objects.get(kind=Meeting.Kind.RAKORGUB)
    for slug in ("tidak-ada", following.slug):
        url = reverse("issues:package_rakorgub_create", kwargs={"slug": slug})
        assert as_secretariat.post(url, form_data(agreed_meeting)).status_code == 404


def test_recording_is_a_post(as_secretariat, without_rakorgub):
    assert as_secretariat.get(create_url(without_rakorgub)).status_code == 405


# Signing date


def test_the_sign_form_states_the_date_rules_before_they_are_broken(as_secretariat, package):
    url = reverse("issues:package_sign", kwargs={"slug": package.meeting.slug})
    page = as_secretariat.get(url).content.decode()
    held = package.held_on
    assert f"Dari hari RAKORGUB ({indonesian(held)}) sampai hari ini" in page
    assert f'min="{held.isoformat()}"' in page
    assert f'max="{timezone.localdate().isoformat()}"' in page


def test_a_signing_date_before_the_rakorgub_is_refused_with_an_indonesian_date(
    as_secretariat, package, media
):
    url = reverse("issues:package_sign", kwargs={"slug": package.meeting.slug})
    before = package.held_on - timedelta(days=1)
    response = as_secretariat.post(url, {"signed_on": before.isoformat()})
    page = response.content.decode()
    assert f"sebelum RAKORGUB ({indonesian(package.held_on)})" in page
    assert package.held_on.strftime("%d-%m-%Y") not in page
