"""The secretariat's attendance pages: access for every page, the list, entries, check-ins."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from meetings import services
from meetings.models import Desk, Participant, ParticipantEvent
from tests.factories import (
    MeetingFactory,
    ParticipantFactory,
    field,
    region,
    signature_data_url,
    signature_png,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def budi(meeting, desk_bina_marga):
    return ParticipantFactory(
        meeting=meeting,
        desk=desk_bina_marga,
        name="Budi Santoso, S.T.",
        office="DPUPR Kabupaten Bangka",
        region=region("bangka"),
        phone="081200001111",
    )


@pytest.fixture
def signed(budi, secretariat):
    return services.participant_check_in(
        participant=budi,
        via=Participant.Via.SECRETARIAT,
        actor=secretariat,
        signature=signature_png(),
    )


# (url name, arguments from meeting and participant, method)
PAGES = [
    ("meetings:attendance", lambda m, p: [m.slug], "get"),
    ("meetings:attendance_screen", lambda m, p: [m.slug], "get"),
    ("meetings:checkin_code_rotate", lambda m, p: [m.slug], "post"),
    ("meetings:participant_create", lambda m, p: [m.slug], "get"),
    ("meetings:attendance_import", lambda m, p: [m.slug], "get"),
    ("meetings:attendance_import_template", lambda m, p: [m.slug], "get"),
    ("meetings:attendance_import_confirm", lambda m, p: [m.slug], "post"),
    ("meetings:participant_update", lambda m, p: [m.slug, p.pk], "get"),
    ("meetings:participant_check_in", lambda m, p: [m.slug, p.pk], "post"),
    ("meetings:participant_check_in_undo", lambda m, p: [m.slug, p.pk], "post"),
    ("meetings:participant_signature_replace", lambda m, p: [m.slug, p.pk], "post"),
    ("meetings:participant_signature", lambda m, p: [m.slug, p.pk], "get"),
    ("meetings:participant_delete", lambda m, p: [m.slug, p.pk], "get"),
]
IDS = [name for name, _args, _method in PAGES]
PARTICIPANT_PAGES = [
    page for page in PAGES if "participant_" in page[0] and "create" not in page[0]
]


def _call(client, method, url):
    return client.post(url, {}) if method == "post" else client.get(url)


@pytest.mark.parametrize(("name", "args", "method"), PAGES, ids=IDS)
def test_secretariat_reaches_every_attendance_page(as_secretariat, signed, name, args, method):
    response = _call(as_secretariat, method, reverse(name, args=args(signed.meeting, signed)))
    # Empty posts are either redirected (rotate, expired import) or refused as invalid.
    assert response.status_code in (200, 302)


@pytest.mark.parametrize(("name", "args", "method"), PAGES, ids=IDS)
def test_anonymous_visitor_is_sent_to_log_in(client, budi, name, args, method):
    url = reverse(name, args=args(budi.meeting, budi))
    response = _call(client, method, url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "who", ["as_kabid_bina_marga", "as_delegate_pangkalpinang", "as_delegate_bangka", "as_observer"]
)
@pytest.mark.parametrize(("name", "args", "method"), PAGES, ids=IDS)
def test_other_roles_are_forbidden(request, signed, who, name, args, method):
    client = request.getfixturevalue(who)
    url = reverse(name, args=args(signed.meeting, signed))
    assert client.get(url).status_code in (403, 405)
    assert client.post(url, {}).status_code in (403, 405)
    signed.refresh_from_db()
    assert signed.is_checked_in


@pytest.mark.parametrize(("name", "args", "method"), PAGES, ids=IDS)
def test_unknown_meeting_is_not_found(as_secretariat, budi, name, args, method):
    url_args = args(budi.meeting, budi)
    url_args[0] = "tidak-ada"
    assert _call(as_secretariat, method, reverse(name, args=url_args)).status_code == 404


@pytest.mark.parametrize(
    ("name", "args", "method"), PARTICIPANT_PAGES, ids=[p[0] for p in PARTICIPANT_PAGES]
)
def test_participant_of_another_meeting_is_not_found(as_secretariat, signed, name, args, method):
    other = MeetingFactory()
    url = reverse(name, args=args(other, signed))
    assert _call(as_secretariat, method, url).status_code == 404


# ---- The list ----


def test_list_shows_counts_link_qr_code_and_rows(as_secretariat, meeting, signed):
    ParticipantFactory(meeting=meeting, name="Siti Rahmawati")
    response = as_secretariat.get(reverse("meetings:attendance", args=[meeting.slug]))
    assert response.status_code == 200
    assert response.context["counts"] == {"total": 2, "present": 1, "in_person": 1, "online": 0}
    link = response.context["checkin_link"]
    assert link.endswith(f"/hadir/{meeting.checkin_code}/")
    assert response.context["checkin_qr"].startswith("data:image/svg+xml")
    html = response.content.decode()
    assert "Budi Santoso, S.T." in html and "Siti Rahmawati" in html
    assert reverse("meetings:participant_signature", args=[meeting.slug, signed.pk]) in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "hadir"}, {"Budi Santoso, S.T."}),
        ({"status": "belum"}, {"Siti Rahmawati", "Andi Firmansyah"}),
        ({"desk": "pleno"}, {"Andi Firmansyah"}),
        ({"q": "siti"}, {"Siti Rahmawati"}),
        ({"q": "bangka selatan"}, {"Andi Firmansyah"}),
    ],
)
def test_list_filters(as_secretariat, meeting, signed, desk_sda, query, expected):
    ParticipantFactory(meeting=meeting, desk=desk_sda, name="Siti Rahmawati")
    ParticipantFactory(
        meeting=meeting,
        name="Andi Firmansyah",
        office="DPUTRP Kabupaten Bangka Selatan",
        region=region("bangka-selatan"),
    )
    response = as_secretariat.get(reverse("meetings:attendance", args=[meeting.slug]), query)
    assert {p.name for p in response.context["page"]} == expected


def test_list_filters_by_desk_and_region(as_secretariat, meeting, signed, desk_sda):
    ParticipantFactory(meeting=meeting, desk=desk_sda, name="Siti Rahmawati")
    url = reverse("meetings:attendance", args=[meeting.slug])
    by_desk = as_secretariat.get(url, {"desk": desk_sda.pk})
    assert [p.name for p in by_desk.context["page"]] == ["Siti Rahmawati"]
    by_region = as_secretariat.get(url, {"region": region("bangka").pk})
    assert [p.name for p in by_region.context["page"]] == ["Budi Santoso, S.T."]


def test_list_needs_the_same_queries_for_many_participants(
    as_secretariat, meeting, desk_bina_marga, desk_sda, django_assert_max_num_queries
):
    for n in range(40):
        ParticipantFactory(
            meeting=meeting,
            desk=desk_bina_marga if n % 2 else desk_sda,
            region=region("bangka") if n % 3 else region("belitung"),
        )
    with django_assert_max_num_queries(10):
        response = as_secretariat.get(reverse("meetings:attendance", args=[meeting.slug]))
    assert len(response.context["page"]) == 40


def test_rotating_the_code_invalidates_the_old_link(as_secretariat, meeting):
    old = meeting.checkin_code
    response = as_secretariat.post(reverse("meetings:checkin_code_rotate", args=[meeting.slug]))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.checkin_code != old
    assert len(meeting.checkin_code) == 8
    assert as_secretariat.get(f"/hadir/{old}/").status_code == 404


def test_rotating_needs_a_post(as_secretariat, meeting):
    url = reverse("meetings:checkin_code_rotate", args=[meeting.slug])
    assert as_secretariat.get(url).status_code == 405


def test_screen_page_shows_the_qr_code_large(as_secretariat, meeting):
    response = as_secretariat.get(reverse("meetings:attendance_screen", args=[meeting.slug]))
    assert response.status_code == 200
    assert 'class="attendance-screen-qr"' in response.content.decode()


# ---- Entries ----


def _entry(**overrides):
    data = {
        "name": "Rina Marlina, S.T.",
        "position": "Kepala Seksi Jalan",
        "office": "DPUPR Kabupaten Bangka Tengah",
        "region": region("bangka-tengah").pk,
        "desk": "",
        "mode": "luring",
        "phone": "0812 3456 7890",
        "email": "",
        "user": "",
        "notes": "",
    }
    data.update(overrides)
    return data


def test_secretariat_registers_a_participant(as_secretariat, secretariat, meeting, desk_sda):
    url = reverse("meetings:participant_create", args=[meeting.slug])
    response = as_secretariat.post(url, _entry(desk=desk_sda.pk))
    assert response.status_code == 302
    participant = Participant.objects.get(meeting=meeting)
    assert participant.desk == desk_sda
    assert participant.name_key == "rinamarlinast"
    assert participant.created_by == secretariat
    assert not participant.is_checked_in


def test_registering_the_same_person_twice_gives_a_clear_message(as_secretariat, meeting):
    url = reverse("meetings:participant_create", args=[meeting.slug])
    as_secretariat.post(url, _entry())
    response = as_secretariat.post(
        url, _entry(name="rina  marlina ST", office="dpupr kabupaten bangka tengah")
    )
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert response.context["form"]["name"].value() == "rina  marlina ST"
    assert Participant.objects.filter(meeting=meeting).count() == 1


def test_the_same_person_may_attend_another_meeting(as_secretariat, meeting):
    other = MeetingFactory()
    ParticipantFactory(
        meeting=other, name="Rina Marlina, S.T.", office="DPUPR Kabupaten Bangka Tengah"
    )
    url = reverse("meetings:participant_create", args=[meeting.slug])
    assert as_secretariat.post(url, _entry()).status_code == 302


def test_a_desk_of_another_meeting_cannot_be_chosen(as_secretariat, meeting):
    other_desk = Desk.objects.create(meeting=MeetingFactory(), field=field("perumahan"))
    url = reverse("meetings:participant_create", args=[meeting.slug])
    response = as_secretariat.post(url, _entry(desk=other_desk.pk))
    assert "desk" in response.context["form"].errors
    assert not Participant.objects.exists()


def test_a_bad_phone_number_is_refused_and_the_input_kept(as_secretariat, meeting):
    url = reverse("meetings:participant_create", args=[meeting.slug])
    response = as_secretariat.post(url, _entry(phone="telepon saya"))
    assert "phone" in response.context["form"].errors
    assert response.context["form"]["name"].value() == "Rina Marlina, S.T."


def test_secretariat_corrects_an_entry(as_secretariat, meeting, budi, desk_sda):
    url = reverse("meetings:participant_update", args=[meeting.slug, budi.pk])
    response = as_secretariat.post(
        url, _entry(name="Budi Santoso", office=budi.office, desk=desk_sda.pk, mode="daring")
    )
    assert response.status_code == 302
    budi.refresh_from_db()
    assert (budi.name, budi.desk, budi.mode, budi.name_key) == (
        "Budi Santoso",
        desk_sda,
        "daring",
        "budisantoso",
    )


def test_correcting_into_a_duplicate_is_refused(as_secretariat, meeting, budi):
    ParticipantFactory(meeting=meeting, name="Siti Rahmawati", office=budi.office)
    url = reverse("meetings:participant_update", args=[meeting.slug, budi.pk])
    response = as_secretariat.post(url, _entry(name="SITI RAHMAWATI", office=budi.office))
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    budi.refresh_from_db()
    assert budi.name == "Budi Santoso, S.T."


def test_secretariat_records_someone_as_present_with_a_signature(
    as_secretariat, secretariat, meeting, budi
):
    url = reverse("meetings:participant_check_in", args=[meeting.slug, budi.pk])
    response = as_secretariat.post(url, {"mode": "daring", "signature": signature_data_url()})
    assert response.status_code == 302
    budi.refresh_from_db()
    assert budi.checked_in_via == Participant.Via.SECRETARIAT
    assert budi.mode == "daring"
    assert default_storage.exists(budi.signature.name)
    event = budi.events.get()
    assert (event.kind, event.actor) == (ParticipantEvent.Kind.CHECKED_IN, secretariat)


def test_secretariat_may_record_presence_without_a_signature(as_secretariat, meeting, budi):
    url = reverse("meetings:participant_check_in", args=[meeting.slug, budi.pk])
    assert as_secretariat.post(url, {"mode": "luring", "signature": ""}).status_code == 302
    budi.refresh_from_db()
    assert budi.is_checked_in and not budi.signature


def test_secretariat_check_in_refuses_a_bad_signature(as_secretariat, meeting, budi):
    url = reverse("meetings:participant_check_in", args=[meeting.slug, budi.pk])
    response = as_secretariat.post(
        url, {"mode": "luring", "signature": "data:image/png;base64,AAAA"}
    )
    assert response.status_code == 200
    assert "signature" in response.context["checkin_form"].errors
    budi.refresh_from_db()
    assert not budi.is_checked_in


def test_a_second_check_in_does_not_overwrite_the_first(as_secretariat, meeting, signed):
    first = (signed.checked_in_at, signed.signature.name)
    url = reverse("meetings:participant_check_in", args=[meeting.slug, signed.pk])
    as_secretariat.post(url, {"mode": "daring", "signature": signature_data_url()})
    signed.refresh_from_db()
    assert (signed.checked_in_at, signed.signature.name) == first
    assert signed.mode == "luring"


def test_undoing_a_check_in_needs_a_reason(as_secretariat, meeting, signed):
    url = reverse("meetings:participant_check_in_undo", args=[meeting.slug, signed.pk])
    response = as_secretariat.post(url, {"reason": "  "})
    assert response.status_code == 200
    assert "reason" in response.context["undo_form"].errors
    signed.refresh_from_db()
    assert signed.is_checked_in


def test_undoing_a_check_in_keeps_the_reason_and_removes_the_signature(
    as_secretariat, secretariat, meeting, signed, django_capture_on_commit_callbacks
):
    name = signed.signature.name
    url = reverse("meetings:participant_check_in_undo", args=[meeting.slug, signed.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = as_secretariat.post(url, {"reason": "Ditandatangani oleh orang lain."})
    assert response.status_code == 302
    signed.refresh_from_db()
    assert not signed.is_checked_in and not signed.checked_in_via and not signed.signature
    assert not default_storage.exists(name)
    event = signed.events.filter(kind=ParticipantEvent.Kind.UNDONE).get()
    assert (event.actor, event.reason) == (secretariat, "Ditandatangani oleh orang lain.")


def test_replacing_a_signature_stores_a_new_file_and_removes_the_old(
    as_secretariat, meeting, signed, django_capture_on_commit_callbacks
):
    old = signed.signature.name
    url = reverse("meetings:participant_signature_replace", args=[meeting.slug, signed.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = as_secretariat.post(
            url, {"signature": signature_data_url(signature_png(400, 150)), "reason": "Buram"}
        )
    assert response.status_code == 302
    signed.refresh_from_db()
    assert signed.signature.name != old
    assert default_storage.exists(signed.signature.name)
    assert not default_storage.exists(old)
    assert signed.events.filter(kind=ParticipantEvent.Kind.SIGNATURE_REPLACED).exists()


def test_replacing_needs_a_signature(as_secretariat, meeting, signed):
    url = reverse("meetings:participant_signature_replace", args=[meeting.slug, signed.pk])
    response = as_secretariat.post(url, {"signature": ""})
    assert response.status_code == 200
    assert "signature" in response.context["signature_form"].errors


def test_signature_is_served_as_png_to_the_secretariat(as_secretariat, meeting, signed):
    url = reverse("meetings:participant_signature", args=[meeting.slug, signed.pk])
    response = as_secretariat.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_no_signature_is_not_found(as_secretariat, meeting, budi):
    url = reverse("meetings:participant_signature", args=[meeting.slug, budi.pk])
    assert as_secretariat.get(url).status_code == 404


def test_signatures_are_not_reachable_under_media_url(client, signed):
    assert client.get(f"/media/{signed.signature.name}").status_code == 404


def test_deleting_a_wrong_entry_removes_it_and_its_signature(
    as_secretariat, meeting, signed, django_capture_on_commit_callbacks
):
    name = signed.signature.name
    url = reverse("meetings:participant_delete", args=[meeting.slug, signed.pk])
    assert as_secretariat.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = as_secretariat.post(url)
    assert response.status_code == 302
    assert not Participant.objects.filter(pk=signed.pk).exists()
    assert not default_storage.exists(name)


def test_the_meeting_page_links_to_attendance_minutes_and_signers(as_secretariat, meeting):
    html = as_secretariat.get(meeting.get_absolute_url()).content.decode()
    for name in ("meetings:attendance", "meetings:minutes_index", "meetings:signers"):
        assert reverse(name, args=[meeting.slug]) in html
