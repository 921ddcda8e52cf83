"""Minutes below the pages: updating, finalising, reopening, versions, prefill, signers."""

from datetime import time

import pytest
from django.db import IntegrityError, transaction

from meetings import services
from meetings.minutes.prefill import attendance_summary, prefill_from_meeting, prefill_function
from meetings.models import Minutes, MinutesVersion, Participant, Signer
from tests.factories import AgendaItemFactory, MinutesFactory, ParticipantFactory, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def plenary(meeting):
    return MinutesFactory(meeting=meeting)


def test_one_plenary_and_one_minutes_per_desk(meeting, desk_bina_marga):
    MinutesFactory(meeting=meeting)
    MinutesFactory(meeting=meeting, desk=desk_bina_marga)
    with pytest.raises(IntegrityError), transaction.atomic():
        MinutesFactory(meeting=meeting)
    with pytest.raises(IntegrityError), transaction.atomic():
        MinutesFactory(meeting=meeting, desk=desk_bina_marga)


def test_final_minutes_are_always_locked_in_the_database(plenary):
    with pytest.raises(IntegrityError), transaction.atomic():
        Minutes.objects.filter(pk=plenary.pk).update(status=Minutes.Status.FINAL)


def test_update_saves_a_draft_and_counts_revisions(plenary, secretariat):
    services.minutes_update(
        minutes=plenary, user=secretariat, data={"decisions": "  Disepakati tiga butir.  "}
    )
    plenary.refresh_from_db()
    assert plenary.decisions == "Disepakati tiga butir."
    assert plenary.revision == 1
    assert plenary.updated_by == secretariat


def test_update_creates_the_minutes_the_first_time(meeting, desk_bina_marga, secretariat):
    new = services.minutes_new(meeting=meeting, desk=desk_bina_marga)
    assert new.pk is None
    assert new.chair_name == desk_bina_marga.chair.full_name
    assert new.place == "Pangkalpinang"
    saved = services.minutes_update(minutes=new, user=secretariat, data={"opening": "Dibuka."})
    assert saved.pk and saved.desk == desk_bina_marga and saved.version == 1


def test_update_is_refused_when_someone_saved_meanwhile(plenary, secretariat, kabid_bina_marga):
    services.minutes_update(minutes=plenary, user=secretariat, data={"opening": "A"}, revision=0)
    with pytest.raises(services.MinutesConflict):
        services.minutes_update(
            minutes=plenary, user=kabid_bina_marga, data={"opening": "B"}, revision=0
        )
    plenary.refresh_from_db()
    assert plenary.opening == "A"


def test_update_refuses_unknown_fields(plenary, secretariat):
    with pytest.raises(TypeError):
        services.minutes_update(minutes=plenary, user=secretariat, data={"status": "final"})


def test_finalise_locks_and_keeps_a_snapshot(plenary, secretariat):
    services.minutes_finalise(minutes=plenary, user=secretariat)
    plenary.refresh_from_db()
    assert plenary.is_final and plenary.locked_at and plenary.locked_by == secretariat
    snapshot = plenary.versions.get()
    assert snapshot.version == 1
    assert snapshot.data["opening"] == plenary.opening
    assert snapshot.finalised_by == secretariat


def test_locked_minutes_refuse_edits(plenary, secretariat):
    services.minutes_finalise(minutes=plenary, user=secretariat)
    with pytest.raises(services.MinutesLocked):
        services.minutes_update(minutes=plenary, user=secretariat, data={"opening": "Diubah"})
    with pytest.raises(services.MinutesLocked):
        services.minutes_finalise(minutes=plenary, user=secretariat)
    plenary.refresh_from_db()
    assert plenary.opening.startswith("Rapat dibuka")


def test_empty_minutes_cannot_be_finalised(meeting, secretariat):
    empty = MinutesFactory(meeting=meeting, opening="", discussion="")
    with pytest.raises(services.MinutesError):
        services.minutes_finalise(minutes=empty, user=secretariat)


@pytest.mark.parametrize("reason", ["", "   "])
def test_reopening_needs_a_reason(plenary, secretariat, reason):
    services.minutes_finalise(minutes=plenary, user=secretariat)
    with pytest.raises(services.MinutesError):
        services.minutes_reopen(minutes=plenary, user=secretariat, reason=reason)
    plenary.refresh_from_db()
    assert plenary.is_final and plenary.version == 1


def test_only_final_minutes_can_be_reopened(plenary, secretariat):
    with pytest.raises(services.MinutesError):
        services.minutes_reopen(minutes=plenary, user=secretariat, reason="Salah ketik")


def test_reopening_makes_a_new_version_and_keeps_the_old_one(plenary, secretariat):
    services.minutes_finalise(minutes=plenary, user=secretariat)
    services.minutes_reopen(
        minutes=plenary, user=secretariat, reason="Nama pimpinan rapat salah ketik."
    )
    plenary.refresh_from_db()
    assert (plenary.status, plenary.version, plenary.locked_at) == ("draf", 2, None)
    assert plenary.reopen_reason == "Nama pimpinan rapat salah ketik."

    services.minutes_update(minutes=plenary, user=secretariat, data={"opening": "Versi dua."})
    services.minutes_finalise(minutes=plenary, user=secretariat)
    first, second = MinutesVersion.objects.filter(minutes=plenary).order_by("version")
    assert first.data["opening"].startswith("Rapat dibuka")
    assert (first.reopened_by, first.reopen_reason) == (secretariat, plenary.reopen_reason)
    assert second.data["opening"] == "Versi dua."
    assert second.reason == "Nama pimpinan rapat salah ketik."
    assert second.reopened_at is None


# ---- Prefill ----


@pytest.fixture
def attended(meeting, desk_bina_marga):
    AgendaItemFactory(
        meeting=meeting,
        starts_at=time(8, 30),
        ends_at=time(9, 0),
        activity="Pembukaan",
        person="Kepala Dinas PUPRPRKP",
    )
    AgendaItemFactory(
        meeting=meeting, starts_at=time(15, 30), ends_at=time(16, 0), activity="Penutupan"
    )
    people = [
        ("bangka", "luring", desk_bina_marga),
        ("bangka", "daring", desk_bina_marga),
        ("pangkalpinang", "luring", None),
        (None, "luring", None),
    ]
    for n, (slug, mode, desk) in enumerate(people):
        participant = ParticipantFactory(
            meeting=meeting,
            region=region(slug) if slug else None,
            mode=mode,
            desk=desk,
            name=f"Peserta {n}",
        )
        services.participant_check_in(participant=participant, via=Participant.Via.SECRETARIAT)
    ParticipantFactory(meeting=meeting, region=region("belitung"), name="Belum datang")
    return meeting


def test_attendance_is_counted_by_region_and_mode(attended, desk_bina_marga):
    summary = attendance_summary(attended)
    assert (summary["total"], summary["in_person"], summary["online"]) == (4, 3, 1)
    assert [(r["region__name"], r["n"]) for r in summary["by_region"]] == [
        ("Kabupaten Bangka", 2),
        ("Kota Pangkalpinang", 1),
        (None, 1),
    ]
    assert attendance_summary(attended, desk=desk_bina_marga)["total"] == 2


def test_plenary_prefill_tells_attendance_agenda_and_desks(attended, desk_bina_marga):
    text = prefill_from_meeting(services.minutes_new(meeting=attended, desk=None))
    assert "08.30 WIB oleh Kepala Dinas PUPRPRKP" in text["opening"]
    assert "4 peserta (3 luring, 1 daring)" in text["opening"]
    assert "- Kabupaten Bangka: 2 orang" in text["opening"]
    assert "Belitung" not in text["opening"]
    assert "Susunan acara:" in text["discussion"]
    assert f"Desk {desk_bina_marga.field.name}, dipimpin oleh Sutrisno Hadi" in text["discussion"]
    assert text["closing"] == "Rapat ditutup pada pukul 16.00 WIB."
    assert "decisions" not in text


def test_desk_prefill_counts_only_that_desk(attended, desk_bina_marga):
    text = prefill_from_meeting(services.minutes_new(meeting=attended, desk=desk_bina_marga))
    assert "Desk dihadiri oleh 2 peserta (1 luring, 1 daring)" in text["opening"]
    assert text["chair_name"] == "Sutrisno Hadi"


def test_prefill_fills_only_empty_sections(attended, secretariat):
    minutes = MinutesFactory(meeting=attended, opening="Teks yang diketik notulis.", closing="")
    services.minutes_update(
        minutes=minutes,
        user=secretariat,
        data={"opening": "Teks yang diketik notulis."},
        prefill=prefill_from_meeting,
    )
    minutes.refresh_from_db()
    assert minutes.opening == "Teks yang diketik notulis."
    assert minutes.discussion == "Pembahasan isu strategis per bidang."  # typed by the factory
    assert minutes.closing == "Rapat ditutup pada pukul 16.00 WIB."


def test_the_prefill_function_comes_from_settings(settings):
    if hasattr(settings, "MINUTES_PREFILL"):
        del settings.MINUTES_PREFILL
    assert prefill_function() is prefill_from_meeting
    settings.MINUTES_PREFILL = "tests.meetings.minutes.test_minutes_rules.custom_prefill"
    assert prefill_function() is custom_prefill


def custom_prefill(minutes):
    return {"decisions": "Dari lapisan dokumen."}


def test_a_prefill_from_another_layer_cannot_set_other_fields(plenary, secretariat):
    services.minutes_update(
        minutes=plenary,
        user=secretariat,
        data={},
        prefill=lambda m: {"status": "final", "decisions": "Butir 1."},
    )
    plenary.refresh_from_db()
    assert (plenary.status, plenary.decisions) == ("draf", "Butir 1.")


# ---- Signers and desks ----


def test_signers_are_saved_for_one_document(meeting, desk_bina_marga):
    keep = [Signer(name="Ir. Sutrisno", position="Kepala Bidang", order=1)]
    services.signers_update(
        meeting=meeting, document="notulen", desk=desk_bina_marga, keep=keep, remove=[]
    )
    signer = Signer.objects.get()
    assert (signer.meeting, signer.desk, signer.document) == (meeting, desk_bina_marga, "notulen")


def test_signers_of_another_document_cannot_be_changed_through_this_one(meeting):
    other = Signer.objects.create(meeting=meeting, document="daftar_hadir", name="A", position="B")
    with pytest.raises(ValueError):
        services.signers_update(
            meeting=meeting, document="notulen", desk=None, keep=[], remove=[other]
        )
    assert Signer.objects.filter(pk=other.pk).exists()


def test_a_desk_with_minutes_cannot_be_removed(meeting, desk_bina_marga):
    MinutesFactory(meeting=meeting, desk=desk_bina_marga)
    with pytest.raises(services.DeskInUse):
        services.desk_delete(desk=desk_bina_marga)


def test_removing_a_desk_keeps_its_participants_in_the_plenary(meeting, desk_bina_marga):
    participant = ParticipantFactory(meeting=meeting, desk=desk_bina_marga)
    services.desk_delete(desk=desk_bina_marga)
    participant.refresh_from_db()
    assert participant.desk is None
