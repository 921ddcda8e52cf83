"""Self check-in at /hadir/<code>/: no login, one check-in per person, hostile input refused."""

import base64
import re

import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from meetings import services
from meetings.attendance import views_checkin
from meetings.attendance.views_checkin import participant_token
from meetings.models import Meeting, Participant, ParticipantEvent
from tests.factories import (
    MeetingFactory,
    ParticipantFactory,
    region,
    signature_data_url,
    signature_png,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _checkin_window_covers_the_test_meeting(settings):
    """The factory's meeting starts in 14 days; open self check-in a month before."""
    settings.CHECKIN_OPENS_DAYS_BEFORE = 30


@pytest.fixture(autouse=True)
def _empty_rate_counters():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def budi(meeting):
    return ParticipantFactory(
        meeting=meeting,
        name="Budi Santoso, S.T.",
        office="DPUPR Kabupaten Bangka",
        region=region("bangka"),
        phone="081299998888",
        email="budi@example.go.id",
    )


def start_url(meeting):
    return reverse("meetings:checkin", args=[meeting.checkin_code])


def sign_url(participant):
    """The address a search result links to (a signed token, never the id)."""
    return reverse(
        "meetings:checkin_sign",
        args=[participant.meeting.checkin_code, participant_token(participant)],
    )


def register_url(meeting):
    return reverse("meetings:checkin_register", args=[meeting.checkin_code])


# ---- Finding one's name ----


def test_the_check_in_page_needs_no_login(client, meeting):
    response = client.get(start_url(meeting))
    assert response.status_code == 200
    assert meeting.title in response.content.decode()


def test_search_finds_a_name_however_it_is_typed(client, budi):
    response = client.get(start_url(budi.meeting), {"q": "budi sant"})
    assert [p.pk for p, _url in response.context["results"]] == [budi.pk]
    assert sign_url(budi).rsplit(":", 2)[0] in response.content.decode()


def test_search_shows_name_and_office_but_never_phone_or_email(client, budi):
    html = client.get(start_url(budi.meeting), {"q": "budi"}).content.decode()
    assert "Budi Santoso, S.T." in html and "DPUPR Kabupaten Bangka" in html
    assert "081299998888" not in html
    assert "budi@example.go.id" not in html


def test_search_needs_three_letters(client, budi):
    response = client.get(start_url(budi.meeting), {"q": "bu"})
    assert response.context["results"] == []


def test_search_gives_at_most_eight_names(client, meeting):
    for n in range(12):
        ParticipantFactory(meeting=meeting, name=f"Peserta Dinas {n}")
    response = client.get(start_url(meeting), {"q": "peserta"})
    assert len(response.context["results"]) == 8


def test_search_does_not_reach_another_meetings_list(client, budi):
    other = MeetingFactory()
    response = client.get(start_url(other), {"q": "budi"})
    assert response.context["results"] == []


def test_typeahead_request_gets_only_the_results_fragment(client, budi):
    response = client.get(start_url(budi.meeting), {"q": "budi"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "Budi Santoso" in html
    assert "<html" not in html


# ---- Closed or stale links ----


def test_an_old_code_gets_a_clear_page_after_rotation(client, budi):
    old_start, old_sign = start_url(budi.meeting), sign_url(budi)
    old_register = register_url(budi.meeting)
    services.checkin_code_rotate(meeting=budi.meeting)
    for url in (old_start, old_sign, old_register):
        response = client.get(url)
        assert response.status_code == 404
        assert "checkin-closed" in response.content.decode()
    response = client.post(old_sign, {"mode": "luring", "signature": signature_data_url()})
    assert response.status_code == 404
    budi.refresh_from_db()
    assert not budi.is_checked_in


def test_an_unknown_code_gets_a_clear_page(client):
    response = client.get("/hadir/tidakada/")
    assert response.status_code == 404
    assert "checkin-closed" in response.content.decode()


@pytest.mark.parametrize("status", [Meeting.Status.DRAFT, Meeting.Status.FINISHED])
def test_check_in_is_closed_unless_the_meeting_is_active(client, budi, status):
    Meeting.objects.filter(pk=budi.meeting.pk).update(status=status)
    for url in (start_url(budi.meeting), sign_url(budi), register_url(budi.meeting)):
        response = client.get(url)
        assert response.status_code == 403
        assert "checkin-closed" in response.content.decode()
    response = client.post(sign_url(budi), {"mode": "luring", "signature": signature_data_url()})
    assert response.status_code == 403
    budi.refresh_from_db()
    assert not budi.is_checked_in


def test_a_participant_of_another_meeting_is_not_found(client, budi):
    other = MeetingFactory()
    url = reverse("meetings:checkin_sign", args=[other.checkin_code, participant_token(budi)])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == start_url(other)


@pytest.mark.parametrize("token", ["1", "abc", "1:2:3"])
def test_participants_cannot_be_reached_by_trying_ids(client, budi, token):
    url = reverse("meetings:checkin_sign", args=[budi.meeting.checkin_code, token])
    response = client.get(url, follow=True)
    assert budi.name not in response.content.decode()
    assert "Cari nama Anda lagi" in response.content.decode()


def test_a_search_result_links_to_a_signed_address_not_the_id(client, budi):
    response = client.get(start_url(budi.meeting), {"q": budi.name[:4]})
    page = response.content.decode()
    signed_part = sign_url(budi).rsplit(":", 2)[0]  # without the timestamp and signature
    assert f'href="{signed_part}:' in page
    assert f"/hadir/{budi.meeting.checkin_code}/{budi.pk}/" not in page


def test_an_expired_participant_link_sends_back_to_the_search(client, budi, monkeypatch):
    url = sign_url(budi)
    monkeypatch.setattr(views_checkin, "TOKEN_MAX_AGE", -1)
    response = client.get(url)
    assert response["Location"] == start_url(budi.meeting)


def test_the_check_in_service_refuses_a_self_check_in_when_closed(budi):
    Meeting.objects.filter(pk=budi.meeting.pk).update(status=Meeting.Status.FINISHED)
    with pytest.raises(services.CheckInClosed):
        services.participant_check_in(
            participant=budi, via=Participant.Via.SELF, signature=signature_png()
        )


# ---- Signing ----


def test_participant_signs_and_is_checked_in(client, budi):
    response = client.post(sign_url(budi), {"mode": "daring", "signature": signature_data_url()})
    assert response.status_code == 302
    assert response["Location"] == sign_url(budi)
    budi.refresh_from_db()
    assert budi.is_checked_in
    assert budi.checked_in_via == Participant.Via.SELF
    assert budi.mode == "daring"
    assert budi.signature.name.startswith(f"tanda-tangan/{budi.meeting_id}/")
    assert default_storage.open(budi.signature.name).read().startswith(b"\x89PNG")
    event = budi.events.get()
    assert (event.kind, event.actor) == (ParticipantEvent.Kind.CHECKED_IN, None)
    page = client.get(sign_url(budi))
    assert "checkin-done" in page.content.decode()
    assert page.context["form"] is None


def test_signature_files_get_random_names(client, meeting):
    a = ParticipantFactory(meeting=meeting)
    b = ParticipantFactory(meeting=meeting)
    for participant in (a, b):
        client.post(sign_url(participant), {"mode": "luring", "signature": signature_data_url()})
        participant.refresh_from_db()
    assert a.signature.name != b.signature.name
    for participant in (a, b):
        assert re.fullmatch(r"[0-9a-f]{32}\.png", participant.signature.name.rsplit("/", 1)[1])


def test_a_second_check_in_shows_already_present_and_overwrites_nothing(client, budi):
    client.post(sign_url(budi), {"mode": "luring", "signature": signature_data_url()})
    budi.refresh_from_db()
    first = (budi.checked_in_at, budi.signature.name, budi.mode)
    other_phone = Client()
    response = other_phone.post(
        sign_url(budi), {"mode": "daring", "signature": signature_data_url(signature_png(500, 200))}
    )
    assert response.status_code == 200
    assert "checkin-done" in response.content.decode()
    budi.refresh_from_db()
    assert (budi.checked_in_at, budi.signature.name, budi.mode) == first
    assert budi.events.count() == 1


def test_the_service_refuses_a_second_check_in(budi):
    services.participant_check_in(
        participant=budi, via=Participant.Via.SELF, signature=signature_png()
    )
    with pytest.raises(services.AlreadyCheckedIn):
        services.participant_check_in(
            participant=budi, via=Participant.Via.SELF, signature=signature_png()
        )


def _png_header_only():
    return signature_png()[:60]


HOSTILE = {
    "missing": "",
    "svg data url": "data:image/svg+xml;base64,"
    + base64.b64encode(
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    ).decode(),
    "svg labelled png": "data:image/png;base64,"
    + base64.b64encode(b'<svg xmlns="http://www.w3.org/2000/svg"></svg>').decode(),
    "garbage base64": "data:image/png;base64,@@@not-base64@@@",
    "base64 of garbage": "data:image/png;base64,"
    + base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"x" * 500).decode(),
    "truncated png": "data:image/png;base64," + base64.b64encode(_png_header_only()).decode(),
    "not a data url": "https://example.com/signature.png",
    "javascript url": "javascript:alert(1)",
    "jpeg": None,  # filled in below
    "blank pad": signature_data_url(signature_png(ink=False)),
    "too wide": signature_data_url(signature_png(1600, 300)),
    "too small": signature_data_url(signature_png(50, 20)),
    "huge": "data:image/png;base64," + "A" * (500 * 1024),
}


def _jpeg_data_url():
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (600, 200), (0, 0, 0)).save(out, format="JPEG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


HOSTILE["jpeg"] = _jpeg_data_url()


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_signature_data_is_refused_and_nothing_is_stored(client, budi, media, value):
    response = client.post(sign_url(budi), {"mode": "luring", "signature": value})
    assert response.status_code == 200
    assert "signature" in response.context["form"].errors
    budi.refresh_from_db()
    assert not budi.is_checked_in
    assert not (media / "tanda-tangan").exists() or not any((media / "tanda-tangan").rglob("*"))


def test_a_refused_signature_is_not_echoed_back_into_the_page(client, budi):
    response = client.post(sign_url(budi), {"mode": "luring", "signature": HOSTILE["svg data url"]})
    assert "<script>" not in response.content.decode()
    assert HOSTILE["svg data url"] not in response.content.decode()


def test_check_in_posts_need_the_csrf_token(budi):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(sign_url(budi), {"mode": "luring", "signature": signature_data_url()})
    assert response.status_code == 403
    budi.refresh_from_db()
    assert not budi.is_checked_in


# ---- Adding oneself ----


def _newcomer(**overrides):
    data = {
        "name": "Fajar Nugroho, S.T.",
        "position": "Kepala Seksi Irigasi",
        "office": "DPUPR Kabupaten Bangka Barat",
        "region": region("bangka-barat").pk,
        "phone": "081377776666",
        "mode": "luring",
        "signature": signature_data_url(),
    }
    data.update(overrides)
    return data


def test_someone_not_listed_adds_themselves_and_is_checked_in(client, meeting):
    response = client.post(register_url(meeting), _newcomer())
    participant = Participant.objects.get(meeting=meeting)
    assert response.status_code == 302
    assert response["Location"] == sign_url(participant)
    assert participant.is_checked_in and participant.signature
    assert participant.checked_in_via == Participant.Via.SELF
    assert participant.desk is None
    assert participant.region == region("bangka-barat")
    assert participant.created_by is None


def test_adding_oneself_twice_is_refused_with_a_pointer_to_the_search(client, budi):
    response = client.post(
        register_url(budi.meeting), _newcomer(name="budi santoso ST", office=budi.office)
    )
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert Participant.objects.filter(meeting=budi.meeting).count() == 1
    budi.refresh_from_db()
    assert not budi.is_checked_in


@pytest.mark.parametrize(
    ("field", "value"),
    [("name", ""), ("office", ""), ("position", ""), ("phone", "bukan nomor"), ("signature", "")],
)
def test_adding_oneself_checks_every_field_and_keeps_the_input(client, meeting, field, value):
    response = client.post(register_url(meeting), _newcomer(**{field: value}))
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert form["office"].value() == ("" if field == "office" else "DPUPR Kabupaten Bangka Barat")
    assert not Participant.objects.exists()


def test_a_valid_signature_survives_an_error_elsewhere(client, meeting):
    data = _newcomer(position="")
    response = client.post(register_url(meeting), data)
    assert data["signature"] in response.content.decode()


# ---- Rate limits ----


def test_too_many_check_in_posts_from_one_address_are_refused(client, settings, meeting):
    settings.CHECKIN_RATE_LIMITS = {"search": (100, 60), "write": (3, 600)}
    people = [ParticipantFactory(meeting=meeting) for _ in range(4)]
    codes = [
        client.post(sign_url(p), {"mode": "luring", "signature": "x"}).status_code for p in people
    ]
    assert codes == [200, 200, 200, 429]


def test_too_many_searches_from_one_address_are_refused(client, settings, budi):
    settings.CHECKIN_RATE_LIMITS = {"search": (2, 60), "write": (100, 600)}
    codes = [client.get(start_url(budi.meeting), {"q": "budi"}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    other_address = client.get(start_url(budi.meeting), {"q": "budi"}, REMOTE_ADDR="10.0.0.9")
    assert other_address.status_code == 200


def test_opening_participants_pages_counts_like_a_search(client, settings, budi):
    settings.CHECKIN_RATE_LIMITS = {"search": (2, 60), "write": (100, 600)}
    codes = [client.get(sign_url(budi)).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
