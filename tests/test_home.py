import pytest
from django.core.management import call_command
from django.urls import reverse

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


def test_seed_demo_twice_changes_nothing(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    counts = (User.objects.count(), Meeting.objects.count())
    call_command("seed_demo")
    assert (User.objects.count(), Meeting.objects.count()) == counts
    assert counts == (15, 2)
    meeting = Meeting.objects.get(slug="rakortek-2022")
    assert meeting.desks.count() == 6
    assert sum(meeting.criteria.values_list("weight", flat=True)) == 100


def test_seed_demo_is_refused_when_debug_is_off(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo")
