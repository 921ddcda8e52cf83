"""The secretariat's corrections and signing record of a forwarded RAKORGUB package."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from PIL import Image

from issues.followup import services as followup
from issues.models import (
    FollowUpUpdate,
    PackageChange,
    PackagePoint,
    PackageSignatory,
    RakorgubPackage,
)
from issues.rakorgub import services as rakorgub
from issues.rakorgub.services import PackageError
from tests.conftest import minimal_pdf

C = PackageChange.Kind
SIG = PackageSignatory.Status


@pytest.fixture(autouse=True)
def _english():
    """The messages are matched in English, whatever the catalogue holds."""
    with translation.override("en"):
        yield


def pdf(name="pindaian.pdf", data=None):
    return SimpleUploadedFile(name, data or minimal_pdf(), content_type="application/pdf")


def point_of(package, number):
    return package.points.get(number=number)


def record_all(package, actor, *, governor_status=SIG.SIGNED):
    """The Governor signed in person; every regent and mayor signed too."""
    for signatory in package.signatories.order_by("order"):
        status = governor_status if signatory.order == 1 else SIG.SIGNED
        rakorgub.signatory_record(
            actor=actor,
            signatory=signatory,
            status=status,
            signed_by_name=f"Pejabat {signatory.order}",
        )


def held_on(package):
    return timezone.localdate(package.rakorgub.starts_at)


# ---- Amending points ----


def test_amend_records_before_and_after_and_keeps_integrity(package, secretariat):
    point = point_of(package, 2)
    rakorgub.point_amend(
        actor=secretariat,
        point=point,
        data={"text": "Rekonstruksi ruas Sungailiat - Belinyu tahap I.", "due": "Triwulan II 2023"},
        reason="Disepakati bertahap di RAKORGUB.",
    )
    point.refresh_from_db()
    assert point.text == "Rekonstruksi ruas Sungailiat - Belinyu tahap I."
    assert point.due == "Triwulan II 2023"
    assert point.target_date == date(2023, 6, 30)
    change = package.changes.get(kind=C.AMENDED)
    assert change.point == point and change.actor == secretariat
    assert change.reason == "Disepakati bertahap di RAKORGUB."
    assert change.detail["before"] == {
        "text": "Rekonstruksi ruas Sungailiat - Belinyu.",
        "due": "Tahun Anggaran 2023",
        "target_date": "2023-12-31",
    }
    assert change.detail["after"]["text"] == "Rekonstruksi ruas Sungailiat - Belinyu tahap I."
    assert change.detail["after"]["target_date"] == "2023-06-30"
    package.refresh_from_db()
    assert rakorgub.package_integrity(package)
    # ...and a raw update after it still shows.
    PackagePoint.objects.filter(pk=point.pk).update(responsible="Siapa saja")
    assert not rakorgub.package_integrity(package)


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_amend_needs_a_reason(package, secretariat, reason):
    point = point_of(package, 1)
    with pytest.raises(PackageError, match="reason"):
        rakorgub.point_amend(actor=secretariat, point=point, data={"text": "Lain."}, reason=reason)
    point.refresh_from_db()
    assert point.text == "Pelebaran Jalan Lingkar Timur Kota Pangkalpinang."
    assert not package.changes.filter(kind=C.AMENDED).exists()


def test_amend_with_nothing_changed_is_refused(package, secretariat):
    point = point_of(package, 1)
    with pytest.raises(PackageError, match="Nothing"):
        rakorgub.point_amend(
            actor=secretariat,
            point=point,
            data={"text": point.text + "  ", "responsible": point.responsible},
            reason="Koreksi.",
        )


def test_amend_refuses_an_empty_or_too_long_value(package, secretariat):
    point = point_of(package, 1)
    with pytest.raises(ValidationError) as error:
        rakorgub.point_amend(
            actor=secretariat, point=point, data={"responsible": " "}, reason="Koreksi."
        )
    assert "responsible" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        rakorgub.point_amend(
            actor=secretariat, point=point, data={"due": "x" * 101}, reason="Koreksi."
        )
    assert "due" in error.value.message_dict
    point.refresh_from_db()
    assert point.due == "Tahun Anggaran 2023"


def test_amend_after_signing_is_allowed_with_a_reason(signed_package, secretariat):
    point = point_of(signed_package, 1)
    rakorgub.point_amend(
        actor=secretariat,
        point=point,
        data={"responsible": "DPUPRPKP Kota Pangkalpinang"},
        reason="Salah tulis pada naskah yang ditandatangani.",
    )
    signed_package.refresh_from_db()
    assert rakorgub.package_integrity(signed_package)


# ---- Dropping and restoring ----


def test_drop_and_restore_are_recorded_and_sealed(package, secretariat):
    point = point_of(package, 3)
    rakorgub.point_drop(actor=secretariat, point=point, reason="Tidak disetujui Gubernur.")
    point.refresh_from_db()
    assert point.is_dropped
    package.refresh_from_db()
    assert rakorgub.package_integrity(package)
    with pytest.raises(PackageError, match="already"):
        rakorgub.point_drop(actor=secretariat, point=point, reason="Lagi.")
    rakorgub.point_restore(actor=secretariat, point=point, reason="Ternyata disetujui.")
    point.refresh_from_db()
    assert not point.is_dropped
    package.refresh_from_db()
    assert rakorgub.package_integrity(package)
    assert list(package.changes.values_list("kind", "reason")[:2]) == [
        (C.RESTORED, "Ternyata disetujui."),
        (C.DROPPED, "Tidak disetujui Gubernur."),
    ]
    with pytest.raises(PackageError, match="not dropped"):
        rakorgub.point_restore(actor=secretariat, point=point, reason="Lagi.")


def test_drop_and_restore_need_a_reason(package, secretariat):
    point = point_of(package, 3)
    with pytest.raises(PackageError, match="reason"):
        rakorgub.point_drop(actor=secretariat, point=point, reason=" ")
    PackagePoint.objects.filter(pk=point.pk).update(dropped_at=timezone.now())
    point.refresh_from_db()
    with pytest.raises(PackageError, match="reason"):
        rakorgub.point_restore(actor=secretariat, point=point, reason="")


def test_no_drop_or_restore_once_signed(signed_package, secretariat):
    point = point_of(signed_package, 1)
    with pytest.raises(PackageError, match="signed"):
        rakorgub.point_drop(actor=secretariat, point=point, reason="Terlambat.")
    PackagePoint.objects.filter(pk=point.pk).update(dropped_at=timezone.now())
    point.refresh_from_db()
    with pytest.raises(PackageError, match="signed"):
        rakorgub.point_restore(actor=secretariat, point=point, reason="Terlambat.")


# ---- Signatories ----


def test_a_signatory_signed_in_person_or_by_a_stand_in(package, secretariat):
    governor, pangkalpinang = package.signatories.order_by("order")[:2]
    rakorgub.signatory_record(
        actor=secretariat,
        signatory=governor,
        status=SIG.SIGNED,
        signed_by_name="Erzaldi Rosman",
        official_name="Erzaldi Rosman",
    )
    governor.refresh_from_db()
    assert (governor.status, governor.signed_by_name, governor.official_name) == (
        SIG.SIGNED,
        "Erzaldi Rosman",
        "Erzaldi Rosman",
    )
    assert governor.recorded_by == secretariat and governor.recorded_at
    rakorgub.signatory_record(
        actor=secretariat,
        signatory=pangkalpinang,
        status=SIG.SIGNED,
        signed_by_name="Hakim",
        signed_by_position="Wakil Wali Kota",
        stood_in=True,
    )
    change = package.changes.filter(kind=C.SIGNATORY).first()
    assert change.detail["office"] == pangkalpinang.office
    assert change.detail["after"]["stood_in"] is True
    assert change.detail["after"]["signed_by_position"] == "Wakil Wali Kota"
    assert change.detail["before"]["status"] == SIG.PENDING


def test_signatory_rules(package, secretariat):
    governor = package.signatories.get(order=1)
    with pytest.raises(ValidationError) as error:
        rakorgub.signatory_record(actor=secretariat, signatory=governor, status=SIG.SIGNED)
    assert "signed_by_name" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        rakorgub.signatory_record(
            actor=secretariat,
            signatory=governor,
            status=SIG.SIGNED,
            signed_by_name="Abdul Fatah",
            stood_in=True,
        )
    assert "signed_by_position" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        rakorgub.signatory_record(actor=secretariat, signatory=governor, status="entah")
    assert "status" in error.value.message_dict
    # Did not sign: who signed is cleared.
    rakorgub.signatory_record(
        actor=secretariat, signatory=governor, status=SIG.ABSENT, signed_by_name="Abaikan"
    )
    governor.refresh_from_db()
    assert (governor.status, governor.signed_by_name) == (SIG.ABSENT, "")
    with pytest.raises(PackageError, match="Nothing"):
        rakorgub.signatory_record(actor=secretariat, signatory=governor, status=SIG.ABSENT)
    assert package.changes.filter(kind=C.SIGNATORY).count() == 1


def test_no_signatory_change_once_signed(signed_package, secretariat):
    signatory = signed_package.signatories.get(order=2)
    with pytest.raises(PackageError, match="signed"):
        rakorgub.signatory_record(
            actor=secretariat, signatory=signatory, status=SIG.SIGNED, signed_by_name="X"
        )


# ---- The signed scan ----


def test_scan_is_checked_stored_under_a_random_name_and_replaced(
    package, secretariat, media, django_capture_on_commit_callbacks
):
    rakorgub.package_scan_upload(
        actor=secretariat, package=package, uploaded_file=pdf("Naskah TTD.pdf")
    )
    package.refresh_from_db()
    first = package.signed_scan.name
    assert first.startswith("rakorgub/") and first.endswith(".pdf")
    assert "Naskah" not in first
    assert package.signed_scan_name == "Naskah TTD.pdf"
    assert len(package.signed_scan_sha256) == 64
    assert default_storage.exists(first)
    with package.signed_scan.open("rb") as handle:
        assert handle.read() == minimal_pdf()

    photo = BytesIO()
    Image.new("RGB", (80, 60), "white").save(photo, format="PNG")
    with django_capture_on_commit_callbacks(execute=True):
        rakorgub.package_scan_upload(
            actor=secretariat,
            package=package,
            uploaded_file=SimpleUploadedFile("halaman.png", photo.getvalue(), "image/png"),
        )
        # The old file stays until the change is committed.
        assert default_storage.exists(first)
    package.refresh_from_db()
    assert package.signed_scan.name.endswith(".png")
    assert package.signed_scan_name == "halaman.png"
    assert default_storage.exists(package.signed_scan.name)
    assert not default_storage.exists(first)
    scans = list(package.changes.filter(kind=C.SCAN).values_list("detail", flat=True))
    assert scans[0]["replaced"] == "Naskah TTD.pdf" and scans[1]["replaced"] == ""


def test_a_scan_that_is_not_pdf_or_image_is_refused(package, secretariat, media):
    with pytest.raises(ValidationError):
        rakorgub.package_scan_upload(
            actor=secretariat,
            package=package,
            uploaded_file=SimpleUploadedFile("ttd.pdf", b"<html>bukan pdf</html>"),
        )
    package.refresh_from_db()
    assert not package.signed_scan
    assert not package.changes.filter(kind=C.SCAN).exists()


def test_a_scan_may_be_larger_than_an_attachment_up_to_25_mb(package, secretariat, media):
    data = b"%PDF-1.4\n" + b"0" * (12 * 1024 * 1024) + b"\n%%EOF\n"
    rakorgub.package_scan_upload(actor=secretariat, package=package, uploaded_file=pdf(data=data))
    package.refresh_from_db()
    assert package.signed_scan.size == len(data)
    too_big = b"%PDF-1.4\n" + b"0" * (25 * 1024 * 1024) + b"\n%%EOF\n"
    with pytest.raises(ValidationError, match="25 MB"):
        rakorgub.package_scan_upload(
            actor=secretariat, package=package, uploaded_file=pdf(data=too_big)
        )


def test_no_new_scan_once_signed(signed_package, secretariat, media):
    with pytest.raises(PackageError, match="signed"):
        rakorgub.package_scan_upload(actor=secretariat, package=signed_package, uploaded_file=pdf())


# ---- Signing ----


def test_sign_needs_scan_governor_every_signatory_and_a_sound_date(package, secretariat, media):
    today = held_on(package) + timedelta(days=1)

    def sign(on=today):
        return rakorgub.package_sign(actor=secretariat, package=package, signed_on=on)

    with pytest.raises(PackageError, match="scan"):
        sign()
    rakorgub.package_scan_upload(actor=secretariat, package=package, uploaded_file=pdf())
    with pytest.raises(PackageError, match="Governor"):
        sign()
    governor = package.signatories.get(order=1)
    rakorgub.signatory_record(
        actor=secretariat,
        signatory=governor,
        status=SIG.SIGNED,
        signed_by_name="Abdul Fatah",
        signed_by_position="Wakil Gubernur",
        stood_in=True,
    )
    with pytest.raises(PackageError, match="every signatory") as error:
        sign()
    assert "Wali Kota Pangkalpinang" in error.value.message
    for signatory in package.signatories.filter(order__gt=1):
        rakorgub.signatory_record(
            actor=secretariat,
            signatory=signatory,
            status=SIG.ABSENT if signatory.order == 8 else SIG.SIGNED,
            signed_by_name="Kepala Daerah",
        )
    with pytest.raises(ValidationError) as error:
        sign(timezone.localdate() + timedelta(days=1))
    assert "future" in error.value.message_dict["signed_on"][0]
    with pytest.raises(ValidationError) as error:
        sign(held_on(package) - timedelta(days=1))
    assert "before the RAKORGUB" in error.value.message_dict["signed_on"][0]
    package.refresh_from_db()
    assert package.status == RakorgubPackage.Status.FORWARDED

    sign()
    package.refresh_from_db()
    assert package.status == RakorgubPackage.Status.SIGNED
    assert package.signed_on == today
    assert package.signed_recorded_by == secretariat and package.signed_recorded_at
    change = package.changes.get(kind=C.SIGNED)
    assert change.detail["signed"] == 7
    # Follow-up opens.
    assert followup.may_update(secretariat, point_of(package, 1))
    with pytest.raises(PackageError, match="already"):
        sign()


def test_sign_refused_when_the_governor_did_not_sign(package, secretariat, media):
    rakorgub.package_scan_upload(actor=secretariat, package=package, uploaded_file=pdf())
    record_all(package, secretariat, governor_status=SIG.ABSENT)
    with pytest.raises(PackageError, match="Governor"):
        rakorgub.package_sign(actor=secretariat, package=package, signed_on=held_on(package))


# ---- Reopening the signing record ----


def test_reopen_signing_needs_a_reason_and_no_follow_up(signed_package, secretariat, media):
    with pytest.raises(PackageError, match="reason"):
        rakorgub.package_signing_reopen(actor=secretariat, package=signed_package, reason="")
    rakorgub.package_signing_reopen(
        actor=secretariat, package=signed_package, reason="Nama Bupati salah ketik."
    )
    signed_package.refresh_from_db()
    assert signed_package.status == RakorgubPackage.Status.FORWARDED
    assert signed_package.signed_recorded_by is None
    assert signed_package.changes.first().kind == C.REOPENED
    with pytest.raises(PackageError, match="not signed"):
        rakorgub.package_signing_reopen(actor=secretariat, package=signed_package, reason="X")
    # Now corrections are possible again.
    rakorgub.point_drop(
        actor=secretariat, point=point_of(signed_package, 3), reason="Tidak ditandatangani."
    )


def test_reopen_signing_refused_once_follow_up_is_reported(signed_package, secretariat):
    followup.followup_record(
        actor=secretariat,
        point=point_of(signed_package, 1),
        status=PackagePoint.Status.IN_PROGRESS,
        progress=10,
        reported_on=timezone.localdate(),
        note="Survei lapangan.",
    )
    assert FollowUpUpdate.objects.exists()
    with pytest.raises(PackageError, match="Follow-up"):
        rakorgub.package_signing_reopen(
            actor=secretariat, package=signed_package, reason="Koreksi."
        )
    signed_package.refresh_from_db()
    assert signed_package.is_signed


# ---- Roles ----


@pytest.mark.parametrize("role", ["kabid_bina_marga", "delegate_pangkalpinang", "observer"])
def test_only_the_secretariat_writes(request, role, signed_package, media):
    user = request.getfixturevalue(role)
    point = point_of(signed_package, 1)
    signatory = signed_package.signatories.get(order=1)
    calls = [
        lambda: rakorgub.point_amend(actor=user, point=point, data={"text": "X"}, reason="X"),
        lambda: rakorgub.point_drop(actor=user, point=point, reason="X"),
        lambda: rakorgub.point_restore(actor=user, point=point, reason="X"),
        lambda: rakorgub.signatory_record(
            actor=user, signatory=signatory, status=SIG.SIGNED, signed_by_name="X"
        ),
        lambda: rakorgub.package_scan_upload(
            actor=user, package=signed_package, uploaded_file=pdf()
        ),
        lambda: rakorgub.package_sign(
            actor=user, package=signed_package, signed_on=timezone.localdate()
        ),
        lambda: rakorgub.package_signing_reopen(actor=user, package=signed_package, reason="X"),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert signed_package.changes.count() == 1
