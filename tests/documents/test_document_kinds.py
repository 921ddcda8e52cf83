"""The kinds of document are defined once, and each document row counts what it holds."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from meetings.models import Participant, Signer
from meetings.services import participant_check_in
from rakortek.documents.catalog import SPECS, Unit
from rakortek.documents.models import DraftJob, FinalDocument, RenderJob
from tests.documents.conftest import decided_issue
from tests.factories import ParticipantFactory

K = FinalDocument.Kind

# ---- One definition of the kinds ----


def test_every_document_that_can_have_signers_is_a_final_document_kind_alike():
    """meetings.Signer.Document is the one place to add such a document: the documents
    layer takes each of its members with the same name, value and label."""
    for signed in Signer.Document:
        kind = K[signed.name]
        assert kind.value == signed.value
        assert kind.label == signed.label
        assert K(signed.value) is kind


def test_the_kinds_without_meeting_signers_are_the_spreadsheets_the_naskah_and_other():
    """The naskah kesepakatan is signed by the package's signatories (issues), not by
    signers set for the meeting."""
    unsigned = {kind.value for kind in K} - {signed.value for signed in Signer.Document}
    assert unsigned == {
        "rekapitulasi_xlsx",
        "tindak_lanjut_xlsx",
        "naskah_rakorgub",
        "lainnya",
    }


def test_stored_values_are_unchanged():
    assert {kind.name: kind.value for kind in K} == {
        "MINUTES": "notulen",
        "DESK_MINUTES": "notulen_desk",
        "AGREEMENT": "butir_kesepakatan",
        "ATTENDANCE": "daftar_hadir",
        "PRIORITY_LIST": "prioritas",
        "RECAP": "rekapitulasi",
        "RECAP_XLSX": "rekapitulasi_xlsx",
        "MONITORING": "tindak_lanjut",
        "MONITORING_XLSX": "tindak_lanjut_xlsx",
        "RAKORGUB_AGREEMENT": "naskah_rakorgub",
        "OTHER": "lainnya",
    }
    assert all(len(kind.value) <= 20 for kind in K)  # the columns' max_length


def test_every_signed_kind_has_its_pdf_and_every_pdf_but_the_naskah_has_meeting_signers():
    """A PDF document added to the catalog must either be signed (a Signer.Document
    member, so the secretariat can set its signers) or be named here as unsigned."""
    pdf_kinds = {spec.kind for spec in SPECS.values() if spec.extension == "pdf"}
    signed = {kind.value for kind in Signer.Document}
    assert signed <= pdf_kinds
    assert pdf_kinds - signed == {K.RAKORGUB_AGREEMENT}
    # Every catalog document is a stored kind, each kind at most one document.
    kinds = [spec.kind for spec in SPECS.values()]
    assert len(kinds) == len(set(kinds)) and set(kinds) <= set(K)


def test_model_fields_offer_the_same_choices():
    document = dict(Signer._meta.get_field("document").choices)
    kind = dict(FinalDocument._meta.get_field("kind").choices)
    assert document == {value: label for value, label in kind.items() if value in document}
    assert list(document) == [signed.value for signed in Signer.Document]
    assert kind == dict(K.choices)
    assert dict(RenderJob._meta.get_field("kind").choices) == kind
    assert dict(DraftJob._meta.get_field("kind").choices) == kind


def test_desk_documents_are_the_priority_list_and_the_desk_minutes():
    assert {spec.key for spec in SPECS.values() if spec.per_desk} == {"prioritas", "notulen-desk"}


# ---- What each document row counts ----


def test_units_count_in_words_singular_and_plural():
    with translation.override("en"):
        assert Unit.ISSUES.label(1) == "1 issue"
        assert Unit.ISSUES.label(12) == "12 issues"
        assert Unit.POINTS.label(1) == "1 point"
        assert Unit.POINTS.label(28) == "28 points"
        assert Unit.PARTICIPANTS.label(2) == "2 participants"


def test_each_document_declares_what_it_counts():
    units = {key: spec.unit for key, spec in SPECS.items()}
    assert units == {
        "notulen": Unit.PRIORITY_ISSUES,
        "notulen-desk": Unit.ISSUES,
        "butir-kesepakatan": Unit.POINTS,
        "daftar-hadir": Unit.PARTICIPANTS,
        "prioritas": Unit.ISSUES,
        "rekapitulasi": Unit.ISSUES,
        "rekapitulasi-xlsx": Unit.ISSUES,
        "tindak-lanjut": Unit.POINTS,
        "tindak-lanjut-xlsx": Unit.POINTS,
        "naskah-kesepakatan": Unit.POINTS,
    }


@pytest.mark.django_db
def test_document_rows_count_issues_points_or_participants(
    as_secretariat, signed_package, secretariat
):
    """Five issues, three signed points, two people checked in: each row says its own."""
    meeting = signed_package.meeting
    bina_marga = meeting.desks.get(field__slug="bina-marga")
    decided_issue(bina_marga, "belitung", title="Jembatan Sungai Cerucuk")
    decided_issue(bina_marga, "bangka-barat", title="Drainase Jalan Mentok")
    for name in ("Budi Santoso", "Maya Sari"):
        participant_check_in(
            participant=ParticipantFactory(meeting=meeting, name=name),
            via=Participant.Via.SECRETARIAT,
            actor=secretariat,
        )
    as_secretariat.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = as_secretariat.get(reverse("documents:meeting", kwargs={"slug": meeting.slug}))
    rows = {
        (row.spec.key, row.desk.field.slug if row.desk else None): row
        for row in response.context["rows"]
    }
    labels = {key: row.count_label for key, row in rows.items()}
    assert labels["rekapitulasi", None] == "5 issues"
    assert labels["prioritas", "bina-marga"] == "4 issues"
    assert labels["prioritas", "sumber-daya-air"] == "1 issue"
    assert labels["butir-kesepakatan", None] == "3 points"
    assert labels["tindak-lanjut", None] == "3 points"
    assert labels["tindak-lanjut-xlsx", None] == "3 points"
    assert labels["daftar-hadir", None] == "2 participants"
    page = " ".join(response.text.split())
    assert "tindak-lanjut.pdf · 3 points" in page
    assert "tindak-lanjut.xlsx · 3 points" in page
    assert "daftar-hadir.pdf · 2 participants" in page
    assert "rekapitulasi.pdf · 5 issues" in page
    # The monitoring rows no longer count issues.
    assert "tindak-lanjut.pdf · 5 issues" not in page
