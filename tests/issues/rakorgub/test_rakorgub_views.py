"""The RAKORGUB package pages: who reads, who writes, and what the forms keep on a refusal."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from issues.models import PackageChange, PackagePoint, PackageSignatory, RakorgubPackage
from issues.rakorgub import services as rakorgub
from meetings.models import Meeting
from tests.conftest import minimal_pdf

C = PackageChange.Kind
SIG = PackageSignatory.Status
READERS = [
    "as_kabid_bina_marga",
    "as_kabid_sda",
    "as_delegate_pangkalpinang",
    "as_delegate_bangka",
    "as_observer",
]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def page_url(meeting):
    return reverse("issues:package", kwargs={"slug": meeting.slug})


def write_urls(package):
    """Every write page of the package, with a POST that would be valid."""
    slug = package.meeting.slug
    point = package.points.get(number=1)
    signatory = package.signatories.get(order=1)
    return [
        (
            reverse("issues:package_point_amend", kwargs={"slug": slug, "pk": point.pk}),
            {"text": "Diubah.", "responsible": "X", "due": "TA 2023", "reason": "Koreksi."},
        ),
        (
            reverse("issues:package_point_drop", kwargs={"slug": slug, "pk": point.pk}),
            {"reason": "Tidak ditandatangani."},
        ),
        (
            reverse("issues:package_point_restore", kwargs={"slug": slug, "pk": point.pk}),
            {"reason": "Dipulihkan."},
        ),
        (
            reverse("issues:package_signatory", kwargs={"slug": slug, "pk": signatory.pk}),
            {"status": SIG.SIGNED, "signed_by_name": "Erzaldi Rosman"},
        ),
        (
            reverse("issues:package_scan_upload", kwargs={"slug": slug}),
            {"file": SimpleUploadedFile("ttd.pdf", minimal_pdf(), "application/pdf")},
        ),
        (
            reverse("issues:package_sign", kwargs={"slug": slug}),
            {"signed_on": timezone.localdate().isoformat()},
        ),
        (reverse("issues:package_reopen", kwargs={"slug": slug}), {"reason": "Koreksi."}),
        (reverse("issues:package_forward", kwargs={"slug": slug}), {"confirm": "on"}),
    ]


# ---- Access ----


def test_anonymous_is_sent_to_log_in_everywhere(client, package, media):
    urls = [page_url(package.meeting), reverse("issues:package_scan", kwargs={"pk": package.pk})]
    urls += [url for url, _data in write_urls(package)]
    for url in urls:
        for response in (client.get(url), client.post(url, {})):
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("reader", READERS + ["as_secretariat"])
def test_every_role_reads_a_forwarded_package(request, reader, package):
    client = english(request.getfixturevalue(reader))
    response = client.get(page_url(package.meeting))
    assert response.status_code == 200
    text = response.content.decode()
    assert "RAKORGUB 2022" in text
    assert package.document_number in text
    assert "Pelebaran Jalan Lingkar Timur Kota Pangkalpinang." in text
    assert "Normalisasi Sungai Rangkui" in text
    assert "Gubernur Kepulauan Bangka Belitung" in text
    assert 'package-status">Forwarded</span>' in text
    assert "Integrity check failed" not in text
    issue = package.points.get(number=1).source_issues.get()
    assert reverse("issues:detail", kwargs={"pk": issue.pk}) in text
    amend = reverse(
        "issues:package_point_amend",
        kwargs={"slug": package.meeting.slug, "pk": package.points.get(number=1).pk},
    )
    assert (amend in text) == (reader == "as_secretariat")


@pytest.mark.parametrize("reader", READERS)
def test_readers_get_403_on_every_write(request, reader, package, media):
    client = request.getfixturevalue(reader)
    for url, data in write_urls(package):
        assert client.get(url).status_code == 403, url
        assert client.post(url, data).status_code == 403, url
    assert package.changes.count() == 1
    package.refresh_from_db()
    assert not package.signed_scan


def test_a_draft_meetings_package_is_hidden_from_others(package, as_observer, as_secretariat):
    Meeting.objects.filter(pk=package.meeting_id).update(status=Meeting.Status.DRAFT)
    assert as_observer.get(page_url(package.meeting)).status_code == 404
    assert as_secretariat.get(page_url(package.meeting)).status_code == 200


def test_not_a_rakortek_is_404(package, as_secretariat):
    assert as_secretariat.get(page_url(package.rakorgub)).status_code == 404


# ---- Before forwarding ----


@pytest.mark.parametrize("reader", READERS)
def test_before_forwarding_only_the_secretariat_sees_the_page(request, reader, agreed_meeting):
    client = request.getfixturevalue(reader)
    assert client.get(page_url(agreed_meeting)).status_code == 404


def test_secretariat_sees_what_will_be_forwarded_and_forwards(agreed_meeting, as_secretariat):
    english(as_secretariat)
    response = as_secretariat.get(page_url(agreed_meeting))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Not forwarded yet." in text
    assert "Rekonstruksi ruas Sungailiat - Belinyu." in text
    assert reverse("issues:package_forward", kwargs={"slug": agreed_meeting.slug}) in text

    url = reverse("issues:package_forward", kwargs={"slug": agreed_meeting.slug})
    response = as_secretariat.post(url, {"note": "Mohon ditandatangani."})
    assert response.status_code == 200
    assert "Mohon ditandatangani." in response.content.decode()
    assert not RakorgubPackage.objects.exists()

    response = as_secretariat.post(url, {"note": "Mohon ditandatangani.", "confirm": "on"})
    assert response.status_code == 302
    assert response["Location"] == page_url(agreed_meeting)
    package = RakorgubPackage.objects.get(meeting=agreed_meeting)
    assert package.note == "Mohon ditandatangani."
    assert package.points.count() == 3
    # A second post finds it forwarded.
    assert as_secretariat.post(url, {"confirm": "on"}).status_code == 302
    assert RakorgubPackage.objects.count() == 1


def test_forward_blocker_is_shown(agreed_meeting, as_secretariat):
    from rakortek.documents.models import FinalDocument

    FinalDocument.objects.filter(meeting=agreed_meeting).delete()
    english(as_secretariat)
    response = as_secretariat.get(page_url(agreed_meeting))
    assert "Finalise the agreement document" in response.content.decode()
    response = as_secretariat.post(
        reverse("issues:package_forward", kwargs={"slug": agreed_meeting.slug}),
        {"confirm": "on", "note": "Catatan pengantar."},
    )
    assert response.status_code == 200
    assert "Finalise the agreement document" in response.content.decode()
    assert not RakorgubPackage.objects.exists()


def test_meeting_page_links_to_the_package(agreed_meeting, as_secretariat):
    response = as_secretariat.get(agreed_meeting.get_absolute_url())
    assert page_url(agreed_meeting) in response.content.decode()


# ---- Points ----


def test_amend_without_reason_keeps_what_was_typed(package, as_secretariat):
    english(as_secretariat)
    point = package.points.get(number=1)
    url = reverse(
        "issues:package_point_amend", kwargs={"slug": package.meeting.slug, "pk": point.pk}
    )
    response = as_secretariat.get(url)
    assert response.status_code == 200
    assert point.text in response.content.decode()
    typed = {
        "text": "Pelebaran Jalan Lingkar Timur tahap II.",
        "responsible": "Dinas PUPRPRKP Provinsi",
        "due": "Triwulan IV 2023",
        "reason": "",
    }
    response = as_secretariat.post(url, typed)
    assert response.status_code == 200
    assert "Pelebaran Jalan Lingkar Timur tahap II." in response.content.decode()
    assert "Triwulan IV 2023" in response.content.decode()
    point.refresh_from_db()
    assert point.text == "Pelebaran Jalan Lingkar Timur Kota Pangkalpinang."

    # Nothing changed: the service refuses, the form says so.
    same = {"text": point.text, "responsible": point.responsible, "due": point.due}
    response = as_secretariat.post(url, {**same, "reason": "Koreksi."})
    assert response.status_code == 200
    assert "Nothing was changed." in response.content.decode()

    response = as_secretariat.post(url, {**typed, "reason": "Keputusan RAKORGUB."})
    assert response.status_code == 302
    point.refresh_from_db()
    assert point.text == "Pelebaran Jalan Lingkar Timur tahap II."
    page = as_secretariat.get(page_url(package.meeting)).content.decode()
    assert "Keputusan RAKORGUB." in page
    assert "Pelebaran Jalan Lingkar Timur Kota Pangkalpinang." in page  # before, in the history
    assert "Point amended" in page


def test_drop_and_restore_through_the_pages(package, as_secretariat, as_observer):
    english(as_secretariat)
    english(as_observer)
    point = package.points.get(number=3)
    kwargs = {"slug": package.meeting.slug, "pk": point.pk}
    drop = reverse("issues:package_point_drop", kwargs=kwargs)
    response = as_secretariat.post(drop, {"reason": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    response = as_secretariat.post(drop, {"reason": "Tidak disetujui."})
    assert response.status_code == 302
    point.refresh_from_db()
    assert point.is_dropped
    page = as_observer.get(page_url(package.meeting)).content.decode()
    assert "<del>" in page and "Dropped at RAKORGUB" in page and "Tidak disetujui." in page
    # Dropping again: the refusal shows on the form.
    response = as_secretariat.post(drop, {"reason": "Lagi."})
    assert "already dropped" in response.content.decode()
    restore = reverse("issues:package_point_restore", kwargs=kwargs)
    assert as_secretariat.post(restore, {"reason": "Disetujui."}).status_code == 302
    point.refresh_from_db()
    assert not point.is_dropped


def test_integrity_warning_after_a_change_outside_the_services(package, as_observer):
    english(as_observer)
    PackagePoint.objects.filter(package=package, number=1).update(text="Diubah di basis data.")
    response = as_observer.get(page_url(package.meeting))
    assert "Integrity check failed" in response.content.decode()


# ---- Signing ----


def test_signatory_form_refusal_keeps_the_input(package, as_secretariat):
    english(as_secretariat)
    signatory = package.signatories.get(order=2)
    url = reverse(
        "issues:package_signatory", kwargs={"slug": package.meeting.slug, "pk": signatory.pk}
    )
    assert as_secretariat.get(url).status_code == 200
    response = as_secretariat.post(
        url,
        {
            "status": SIG.SIGNED,
            "official_name": "Maulan Aklil",
            "signed_by_name": "Hakim Wibowo",
            "stood_in": "on",
            "signed_by_position": "",
        },
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Write the position of who stood in" in text
    assert "Hakim Wibowo" in text and "Maulan Aklil" in text
    response = as_secretariat.post(
        url,
        {
            "status": SIG.SIGNED,
            "official_name": "Maulan Aklil",
            "signed_by_name": "Hakim Wibowo",
            "stood_in": "on",
            "signed_by_position": "Wakil Wali Kota",
        },
    )
    assert response.status_code == 302
    signatory.refresh_from_db()
    assert signatory.stood_in and signatory.signed_by_position == "Wakil Wali Kota"
    page = as_secretariat.get(page_url(package.meeting)).content.decode()
    assert "Hakim Wibowo" in page and "Wakil Wali Kota" in page


def test_scan_upload_refuses_a_bad_file_and_accepts_a_pdf(package, as_secretariat, media):
    english(as_secretariat)
    url = reverse("issues:package_scan_upload", kwargs={"slug": package.meeting.slug})
    response = as_secretariat.get(url)
    assert 'enctype="multipart/form-data"' in response.content.decode()
    response = as_secretariat.post(
        url, {"file": SimpleUploadedFile("ttd.pdf", b"MZ bukan pdf", "application/pdf")}
    )
    assert response.status_code == 200
    assert "This file is neither" in response.content.decode()
    response = as_secretariat.post(
        url, {"file": SimpleUploadedFile("Naskah TTD.pdf", minimal_pdf(), "application/pdf")}
    )
    assert response.status_code == 302
    package.refresh_from_db()
    assert package.signed_scan_name == "Naskah TTD.pdf"


def test_sign_through_the_page(package, secretariat, as_secretariat, media):
    english(as_secretariat)
    url = reverse("issues:package_sign", kwargs={"slug": package.meeting.slug})
    held_on = timezone.localdate(package.rakorgub.starts_at)
    response = as_secretariat.get(url)
    assert held_on.isoformat() in response.content.decode()
    response = as_secretariat.post(url, {"signed_on": held_on.isoformat()})
    assert response.status_code == 200
    assert "Upload the signed scan first." in response.content.decode()

    rakorgub.package_scan_upload(
        actor=secretariat,
        package=package,
        uploaded_file=SimpleUploadedFile("ttd.pdf", minimal_pdf(), "application/pdf"),
    )
    for signatory in package.signatories.all():
        rakorgub.signatory_record(
            actor=secretariat, signatory=signatory, status=SIG.SIGNED, signed_by_name="Pejabat"
        )
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = as_secretariat.post(url, {"signed_on": future})
    assert response.status_code == 200
    assert "cannot be in the future" in response.content.decode()
    assert future in response.content.decode()

    response = as_secretariat.post(url, {"signed_on": held_on.isoformat()})
    assert response.status_code == 302
    package.refresh_from_db()
    assert package.is_signed and package.signed_on == held_on
    page = as_secretariat.get(page_url(package.meeting)).content.decode()
    assert 'package-status">Signed</span>' in page
    assert reverse("issues:package_reopen", kwargs={"slug": package.meeting.slug}) in page
    # Signed: no more dropping or signatory buttons.
    drop = reverse(
        "issues:package_point_drop",
        kwargs={"slug": package.meeting.slug, "pk": package.points.get(number=1).pk},
    )
    assert drop not in page


def test_reopen_signing_through_the_page(signed_package, as_secretariat):
    english(as_secretariat)
    url = reverse("issues:package_reopen", kwargs={"slug": signed_package.meeting.slug})
    response = as_secretariat.post(url, {"reason": ""})
    assert response.status_code == 200
    signed_package.refresh_from_db()
    assert signed_package.is_signed
    response = as_secretariat.post(url, {"reason": "Tanggal salah."})
    assert response.status_code == 302
    signed_package.refresh_from_db()
    assert not signed_package.is_signed
    assert signed_package.changes.filter(kind=C.REOPENED, reason="Tanggal salah.").exists()


# ---- The signed scan ----


@pytest.mark.parametrize("reader", READERS + ["as_secretariat"])
def test_scan_download_for_every_reader(request, reader, signed_package):
    client = request.getfixturevalue(reader)
    response = client.get(reverse("issues:package_scan", kwargs={"pk": signed_package.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="pindaian.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == minimal_pdf()


def test_scan_download_is_404_without_scan_or_for_a_draft_meeting(
    package, signed_package, as_observer, as_secretariat
):
    url = reverse("issues:package_scan", kwargs={"pk": signed_package.pk})
    Meeting.objects.filter(pk=signed_package.meeting_id).update(status=Meeting.Status.DRAFT)
    assert as_observer.get(url).status_code == 404
    RakorgubPackage.objects.filter(pk=signed_package.pk).update(
        status=RakorgubPackage.Status.FORWARDED, signed_scan=""
    )
    assert as_secretariat.get(url).status_code == 404
    assert (
        as_secretariat.get(reverse("issues:package_scan", kwargs={"pk": 999999})).status_code == 404
    )


def test_a_point_or_signatory_of_another_package_is_not_found(package, as_secretariat, secretariat):
    """The slug names the package: another meeting's point or signatory under it is 404."""
    from issues.rakorgub.services import package_forward
    from tests.conftest import _final_agreement_document
    from tests.factories import DeskFactory, MeetingFactory, RakorgubFactory
    from tests.factories import field as field_named

    other = MeetingFactory(title="RAKORTEK PU 2023", slug="rakortek-2023", year=2023)
    RakorgubFactory(follows=other, slug="rakorgub-2023")
    desk = DeskFactory(meeting=other, field=field_named("bina-marga"))
    from issues.agreement.services import agreement_point_create

    agreement_point_create(
        actor=secretariat,
        desk=desk,
        data={"text": "Butir lain.", "responsible": "Dinas", "due": "TA 2024"},
    )
    _final_agreement_document(other, secretariat)
    other_package = package_forward(actor=secretariat, meeting=other)
    slug = package.meeting.slug
    point = other_package.points.get()
    signatory = other_package.signatories.first()
    for name, pk in (
        ("package_point_amend", point.pk),
        ("package_point_drop", point.pk),
        ("package_signatory", signatory.pk),
    ):
        url = reverse(f"issues:{name}", kwargs={"slug": slug, "pk": pk})
        assert as_secretariat.get(url).status_code == 404, name
