"""Naskah Kesepakatan RAKORGUB: made from the forwarded package, read back from the PDF;
its draft, its final version with number and QR, the signed scan linked from it, and
who may read it (every role)."""

import pytest
from django.urls import reverse

from issues.models import PackageSignatory
from issues.rakorgub.services import point_drop, signatory_record
from rakortek.documents.catalog import SPECS
from rakortek.documents.models import FinalDocument
from rakortek.documents.rendering import RenderOptions
from rakortek.documents.services import document_finalise
from tests.documents.conftest import flat, pdf_text, response_bytes
from tests.documents.layout import find_phrase, page_words, same_baseline

SPEC = SPECS["naskah-kesepakatan"]
SIG = PackageSignatory.Status


def draft_url(meeting):
    return reverse("documents:draft", kwargs={"slug": meeting.slug, "key": SPEC.key})


def render(meeting) -> bytes:
    return SPEC.render(meeting, None, RenderOptions.create()).content


@pytest.fixture
def recorded(package, secretariat):
    """The Governor signed in person, Bangka by its vice-regent, Pangkalpinang in person."""
    signatories = {s.region.kemendagri_code: s for s in package.signatories.all()}
    signatory_record(
        actor=secretariat,
        signatory=signatories["19"],
        status=SIG.SIGNED,
        signed_by_name="Dr. H. Erwin Syahputra, M.Si.",
    )
    signatory_record(
        actor=secretariat,
        signatory=signatories["19.01"],
        status=SIG.SIGNED,
        signed_by_name="Ir. Rudi Hartono, M.T.",
        signed_by_position="Wakil Bupati Bangka",
        stood_in=True,
    )
    signatory_record(
        actor=secretariat,
        signatory=signatories["19.71"],
        status=SIG.SIGNED,
        signed_by_name="Dr. H. Maulana Akbar, S.IP., M.Si.",
    )
    return package


def test_the_naskah_exists_once_the_points_are_forwarded(agreed_meeting):
    assert not SPEC.is_available(agreed_meeting)


def test_the_draft_prints_title_opening_points_as_ordinals_and_every_signatory(package):
    text = flat(pdf_text(render(package.meeting)))
    assert "NASKAH KESEPAKATAN RAKORGUB 2022" in text
    assert "Pada hari ini" in text and "bertempat di" in text
    assert "SEPAKAT:" in text
    assert text.index("KESATU : Pelebaran Jalan Lingkar Timur") < text.index(
        "KEDUA : Rekonstruksi ruas Sungailiat - Belinyu."
    )
    assert "KETIGA : Normalisasi Sungai Rangkui" in text
    assert "Penanggung jawab: BWS Bangka Belitung; Dinas PUPRPRKP Provinsi" in text
    assert "Demikian Naskah Kesepakatan ini dibuat" in text
    for signatory in package.signatories.all():
        assert f"{signatory.office.upper()}," in text
    assert "DRAF" in text


def test_a_dropped_point_is_not_printed_and_the_rest_are_renumbered(package, secretariat):
    first = package.points.order_by("number").first()
    point_drop(actor=secretariat, point=first, reason="Dibahas ulang tahun depan.")
    text = flat(pdf_text(render(package.meeting)))
    assert "Pelebaran Jalan Lingkar Timur" not in text
    assert "KESATU : Rekonstruksi ruas Sungailiat - Belinyu." in text
    assert "KETIGA" not in text


def test_stand_ins_sign_as_yang_mewakili_and_names_of_a_row_align(recorded):
    pages = page_words(render(recorded.meeting))
    text = flat(pdf_text(render(recorded.meeting)))
    assert "yang mewakili, Wakil Bupati Bangka" in text
    governor = find_phrase(pages, "Dr. H. Erwin Syahputra, M.Si.")
    vice_regent = find_phrase(pages, "Ir. Rudi Hartono, M.T.")
    # Two columns: the Governor and the first regency share a row and a baseline.
    assert same_baseline(governor[0], vice_regent[0])
    assert governor[0].x0 < vice_regent[0].x0


def test_the_final_has_a_number_and_qr_and_the_documents_page_links_the_signed_scan(
    signed_package, secretariat, client
):
    meeting = signed_package.meeting
    document = document_finalise(actor=secretariat, meeting=meeting, spec=SPEC)
    assert document.kind == FinalDocument.Kind.RAKORGUB_AGREEMENT
    text = flat(pdf_text(document.file.read()))
    assert f"Dokumen final nomor {document.number}" in text
    assert "DRAF" not in text
    client.force_login(secretariat)
    page = client.get(reverse("documents:meeting", kwargs={"slug": meeting.slug}))
    scan = reverse("issues:package_scan", kwargs={"pk": signed_package.pk})
    assert f'href="{scan}"' in page.content.decode()


def test_the_package_page_links_to_the_naskah(package, client, secretariat):
    client.force_login(secretariat)
    page = client.get(reverse("issues:package", kwargs={"slug": package.meeting.slug}))
    assert "#dokumen-naskah-kesepakatan" in page.content.decode()


# ---- Who may read it ----


@pytest.fixture
def final_naskah(package, secretariat, media):
    return document_finalise(actor=secretariat, meeting=package.meeting, spec=SPEC)


def test_secretariat_downloads_the_draft_and_finalises(package, client, secretariat, media):
    client.force_login(secretariat)
    response = client.get(draft_url(package.meeting))
    assert response.status_code == 200
    assert response_bytes(response).startswith(b"%PDF")
    finalise = reverse("documents:finalise", kwargs={"slug": package.meeting.slug, "key": SPEC.key})
    client.post(finalise)
    assert FinalDocument.objects.filter(kind=SPEC.kind, is_current=True).count() == 1


@pytest.mark.parametrize(
    "user", ["observer", "delegate_pangkalpinang", "delegate_bangka", "kabid_bina_marga"]
)
def test_every_other_role_reads_the_final_but_not_the_draft(
    request, user, package, final_naskah, client
):
    client.force_login(request.getfixturevalue(user))
    assert client.get(draft_url(package.meeting)).status_code == 403
    response = client.get(final_naskah.get_absolute_url())
    assert response.status_code == 200
    assert response_bytes(response).startswith(b"%PDF")
    finalise = reverse("documents:finalise", kwargs={"slug": package.meeting.slug, "key": SPEC.key})
    assert client.post(finalise).status_code == 403


def test_anonymous_is_sent_to_log_in(package, final_naskah, client):
    response = client.get(final_naskah.get_absolute_url())
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# ---- Layout: the signature page stays whole, however many points come before it ----


@pytest.mark.parametrize("extra", [0, 3, 6, 9, 12])
def test_the_closing_signatures_and_qr_box_stay_together(extra, package):
    from issues.models import PackagePoint
    from rakortek.documents.naskah import CLOSING
    from tests.documents.layout import only_from, vocabulary
    from tests.documents.test_signature_layout import FINAL, QR_BOX

    desk = package.points.first().desk
    for number in range(4, 4 + extra):
        PackagePoint.objects.create(
            package=package,
            desk=desk,
            number=number,
            text=(
                f"Butir {number}: Pemerintah Provinsi dan Pemerintah Kabupaten/Kota sepakat "
                "menangani ruas jalan yang rusak berat secara bertahap sesuai kewenangan."
            ),
            responsible="Dinas PUPRPRKP Provinsi Kepulauan Bangka Belitung",
            due="Tahun Anggaran 2023",
        )
    content = SPEC.render(package.meeting, None, RenderOptions.create(final=FINAL)).content
    pages = page_words(content)
    offices = [s.office.upper() + "," for s in package.signatories.all()]
    lonely = vocabulary(QR_BOX, "PARA PIHAK YANG BERSEPAKAT", "....................", *offices)
    for number, words in enumerate(pages, start=1):
        assert words and not only_from(words, lonely), f"page {number} of {extra} extra points"
    closing = find_phrase(pages, CLOSING)
    first = find_phrase(pages, offices[0])
    last = find_phrase(pages, offices[-1])
    qr = find_phrase(pages, "Dokumen final nomor")
    assert closing[0].page == first[0].page == last[0].page == qr[0].page
