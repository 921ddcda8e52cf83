"""Attendance rules below the pages: signatures, keys, constraints, services."""

import base64
import io
import os
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from PIL import Image, ImageFile, PngImagePlugin

from meetings import services, signatures
from meetings.models import CHECKIN_CODE_ALPHABET, Desk, Meeting, Participant, Signer
from tests.factories import (
    MeetingFactory,
    ParticipantFactory,
    field,
    signature_data_url,
    signature_png,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _checkin_window_covers_the_test_meeting(settings):
    """The factory's meeting starts in 14 days; open self check-in a month before."""
    settings.CHECKIN_OPENS_DAYS_BEFORE = 30


# ---- Signatures ----


def test_a_signature_is_stored_as_a_fresh_png_without_the_posted_chunks():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    image = Image.open(io.BytesIO(signature_png()))
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=info)
    posted = out.getvalue()
    assert b"<script>" in posted

    stored = signatures.decode_data_url(signature_data_url(posted))
    assert stored.startswith(signatures.PNG_MAGIC)
    assert b"<script>" not in stored
    assert Image.open(io.BytesIO(stored)).size == (600, 200)


def test_the_prefix_is_accepted_in_any_case():
    value = signature_data_url().replace("data:image/png", "DATA:IMAGE/PNG")
    assert signatures.decode_data_url(value).startswith(signatures.PNG_MAGIC)


def test_a_truncated_png_is_refused_even_when_pillow_tolerates_truncation(monkeypatch):
    # WeasyPrint switches this on for the whole process when it is imported.
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    data = signature_png()
    with pytest.raises(ValidationError) as caught:
        signatures.check_png(data[: len(data) - 40])
    assert caught.value.code == "not_png"
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True


@pytest.mark.parametrize(
    ("size", "code"),
    [((1201, 300), "too_many_pixels"), ((600, 601), "too_many_pixels"), ((99, 200), "not_png")],
)
def test_dimensions_are_bounded(size, code):
    with pytest.raises(ValidationError) as caught:
        signatures.check_png(signature_png(*size))
    assert caught.value.code == code


def test_the_largest_allowed_pad_is_accepted():
    assert signatures.check_png(signature_png(1200, 600))


def test_more_than_300_kb_is_refused_before_decoding():
    noisy = Image.frombytes("RGBA", (1200, 600), os.urandom(1200 * 600 * 4))
    out = io.BytesIO()
    noisy.save(out, format="PNG")
    assert len(out.getvalue()) > signatures.MAX_BYTES
    with pytest.raises(ValidationError) as caught:
        signatures.check_png(out.getvalue())
    assert caught.value.code == "too_large"


def test_a_white_pad_without_strokes_is_blank():
    white = Image.new("RGB", (600, 200), (255, 255, 255))
    out = io.BytesIO()
    white.save(out, format="PNG")
    with pytest.raises(ValidationError) as caught:
        signatures.check_png(out.getvalue())
    assert caught.value.code == "blank"


def test_a_data_url_with_whitespace_or_url_characters_in_base64_is_refused():
    payload = base64.b64encode(signature_png()).decode()
    for bad in (payload[:100] + " " + payload[100:], payload.replace("+", "-")):
        if bad == payload:
            continue
        with pytest.raises(ValidationError):
            signatures.decode_data_url("data:image/png;base64," + bad)


def test_signature_data_uri_gives_the_pdf_renderer_the_stored_png(meeting):
    participant = ParticipantFactory(meeting=meeting)
    assert signatures.signature_data_uri(participant) == ""
    services.participant_check_in(
        participant=participant, via=Participant.Via.SECRETARIAT, signature=signature_png()
    )
    participant.refresh_from_db()
    uri = signatures.signature_data_uri(participant)
    assert uri.startswith("data:image/png;base64,")
    png = base64.b64decode(uri.split(",", 1)[1])
    assert Image.open(io.BytesIO(png)).format == "PNG"


def test_signature_data_uri_is_empty_when_the_file_is_gone(meeting):
    participant = ParticipantFactory(meeting=meeting)
    services.participant_check_in(
        participant=participant, via=Participant.Via.SECRETARIAT, signature=signature_png()
    )
    participant.refresh_from_db()
    participant.signature.storage.delete(participant.signature.name)
    assert signatures.signature_data_uri(participant) == ""


# ---- Keys and constraints ----


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Budi Santoso, S.T.", "budi  santoso ST"),
        ("Sámsul Ma’arif", "Samsul Maarif"),
        ("DPUPR Kab. Bangka", "dpupr kab bangka"),
    ],
)
def test_names_are_compared_without_case_spacing_punctuation_or_accents(a, b):
    assert services.person_key(a) == services.person_key(b)


def test_different_names_have_different_keys():
    assert services.person_key("Budi Santoso") != services.person_key("Budi Susanto")


def test_the_database_refuses_the_same_person_twice_in_a_meeting(meeting):
    ParticipantFactory(meeting=meeting, name="Budi", office="Dinas")
    with pytest.raises(IntegrityError), transaction.atomic():
        ParticipantFactory(meeting=meeting, name="BUDI", office="dinas")


def test_the_database_refuses_a_half_recorded_check_in(meeting):
    participant = ParticipantFactory(meeting=meeting)
    with pytest.raises(IntegrityError), transaction.atomic():
        Participant.objects.filter(pk=participant.pk).update(checked_in_at=timezone.now())


def test_the_service_turns_a_duplicate_into_a_clear_error(meeting):
    services.participant_create(meeting=meeting, name="Budi Santoso", office="Dinas PU")
    with pytest.raises(services.DuplicateParticipant):
        services.participant_create(meeting=meeting, name="budi santoso", office="DINAS PU")


def test_a_name_of_punctuation_only_is_refused(meeting):
    with pytest.raises(services.AttendanceError):
        services.participant_create(meeting=meeting, name="...", office="Dinas PU")


def test_a_desk_of_another_meeting_is_refused_by_the_service(meeting):
    desk = Desk.objects.create(meeting=MeetingFactory(), field=field("perumahan"))
    with pytest.raises(ValueError):
        services.participant_create(meeting=meeting, name="Budi", office="Dinas", desk=desk)


def test_undo_needs_a_check_in_and_a_reason(meeting, secretariat):
    participant = ParticipantFactory(meeting=meeting)
    with pytest.raises(services.NotCheckedIn):
        services.participant_check_in_undo(participant=participant, actor=secretariat, reason="x")
    services.participant_check_in(participant=participant, via=Participant.Via.SECRETARIAT)
    with pytest.raises(services.AttendanceError):
        services.participant_check_in_undo(participant=participant, actor=secretariat, reason=" ")


def test_self_registration_is_refused_when_check_in_is_closed(meeting):
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.FINISHED)
    meeting.refresh_from_db()
    with pytest.raises(services.CheckInClosed):
        services.participant_self_register(
            meeting=meeting, name="Budi", office="Dinas", mode="luring", signature=signature_png()
        )
    assert not Participant.objects.exists()


def test_a_failed_check_in_leaves_no_file_behind(meeting, media, monkeypatch):
    participant = ParticipantFactory(meeting=meeting)

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services.ParticipantEvent.objects, "create", broken)
    with pytest.raises(RuntimeError):
        services.participant_check_in(
            participant=participant, via=Participant.Via.SELF, signature=signature_png()
        )
    assert not any(Path(media).rglob("*.png"))


# ---- Check-in codes ----


def test_every_meeting_gets_its_own_readable_code():
    codes = {MeetingFactory().checkin_code for _ in range(20)}
    assert len(codes) == 20
    for code in codes:
        assert re.fullmatch(f"[{CHECKIN_CODE_ALPHABET}]{{8}}", code)


def test_rotation_gives_a_new_code(meeting):
    old = meeting.checkin_code
    new = services.checkin_code_rotate(meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.checkin_code == new != old


# ---- Layers ----


def test_the_meetings_app_never_imports_issues():
    root = Path(services.__file__).parent
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if re.search(r"^\s*(from|import)\s+issues\b", path.read_text(), re.MULTILINE)
    ]
    assert offenders == []


# ---- Admin ----


@pytest.fixture
def admin_client_with_rows(admin_client, meeting, desk_bina_marga):
    participant = ParticipantFactory(meeting=meeting, desk=desk_bina_marga)
    services.participant_check_in(participant=participant, via=Participant.Via.SECRETARIAT)
    minutes = services.minutes_update(
        minutes=services.minutes_new(meeting=meeting, desk=None),
        user=_superuser(),
        data={"opening": "Dibuka."},
    )
    services.minutes_finalise(minutes=minutes, user=_superuser())
    Signer.objects.create(meeting=meeting, document="notulen", name="A", position="B")
    return admin_client, participant, minutes


def _superuser():
    from rakortek.accounts.models import User

    return User.objects.filter(is_superuser=True).first()


@pytest.mark.parametrize("model", ["participant", "minutes", "signer"])
def test_admin_lists_and_opens_attendance_and_minutes(admin_client_with_rows, model):
    client, participant, minutes = admin_client_with_rows
    assert client.get(f"/admin/meetings/{model}/").status_code == 200
    pk = {"participant": participant.pk, "minutes": minutes.pk}.get(model)
    if pk:
        assert client.get(f"/admin/meetings/{model}/{pk}/change/").status_code == 200


def test_admin_cannot_change_minutes_behind_the_version_history(admin_client_with_rows):
    client, _participant, minutes = admin_client_with_rows
    client.post(f"/admin/meetings/minutes/{minutes.pk}/change/", {"opening": "Diubah."})
    minutes.refresh_from_db()
    assert minutes.opening == "Dibuka."


def test_admin_keeps_the_duplicate_keys_in_step_with_the_name(admin_client_with_rows):
    client, participant, _minutes = admin_client_with_rows
    participant.name = "Nama Baru Sekali"
    from django.contrib import admin

    admin.site._registry[Participant].save_model(None, participant, None, True)
    participant.refresh_from_db()
    assert participant.name_key == "namabarusekali"
