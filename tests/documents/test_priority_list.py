"""The per-desk priority list (prioritas-<field>.pdf), read back from the PDF."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from rakortek.documents.catalog import SPECS
from rakortek.documents.rendering import RenderOptions
from tests.documents.conftest import decided_issue, flat, pdf_reader, pdf_text

pytestmark = pytest.mark.django_db


def render(meeting, desk):
    return SPECS["prioritas"].render(meeting, desk, RenderOptions.create())


def test_priority_list_lists_ranks_numbers_regions_costs_scores_and_decisions(
    monday_meeting, decided_desk
):
    output = render(monday_meeting, decided_desk)
    text = flat(pdf_text(output.content))
    assert output.refused_urls == []
    assert "DAFTAR PRIORITAS ISU STRATEGIS" in text.upper()
    assert "Desk Bidang Bina Marga" in text
    assert "Senin, 25 Juli 2022" in text
    # Rank, number, region, cost, score and decision of the first row, in that order.
    assert text.index("BM-01") < text.index("Kabupaten Bangka") < text.index("Rp38.000.000.000")
    assert "87,50" in text and "Prioritas" in text
    # A joint issue names every proposing region; a reserve keeps its reason.
    assert "Kota Pangkalpinang, Kabupaten Bangka Tengah" in text
    assert re.search(r"Rp1\.250\.000(?![.\d])", text)
    assert "Cadangan" in text and "Menunggu kepastian status jalan." in text
    # A redirected issue says where it goes.
    assert "Dialihkan ke BPJN Kepulauan Bangka Belitung." in text
    # The undecided issue comes last, marked as such.
    assert text.index("BM-03") < text.index("BM-04")
    assert "Belum diputuskan (Terverifikasi)." in text
    assert "Prioritas 1, Cadangan 1, Dialihkan 1, Belum diputuskan 1" in text


def test_priority_list_is_signed_by_the_desk_chair(monday_meeting, decided_desk):
    text = flat(pdf_text(render(monday_meeting, decided_desk).content))
    assert "Pangkalpinang, 25 Juli 2022" in text
    assert "Kepala Bidang Bina Marga" in text
    assert "Sutrisno Hadi" in text
    assert "NIP. 19700101 200003 1 001" in text


def test_priority_list_is_landscape_with_page_numbers_and_a_draft_mark(
    monday_meeting, decided_desk
):
    output = render(monday_meeting, decided_desk)
    reader = pdf_reader(output.content)
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)
    text = pdf_text(output.content)
    assert f"Halaman 1 dari {output.pages}" in text
    assert "DRAF" in text


def test_a_long_list_breaks_across_pages_and_repeats_its_header(monday_meeting, desk_bina_marga):
    for rank in range(1, 41):
        decided_issue(
            desk_bina_marga,
            "bangka",
            title=f"Ruas jalan nomor {rank}",
            rank=rank,
            decision="prioritas",
            score=Decimal(100 - rank),
        )
    output = render(monday_meeting, desk_bina_marga)
    assert output.pages >= 3
    pages = [page.extract_text() for page in pdf_reader(output.content).pages]
    for number, page in enumerate(pages[:-1], start=1):
        assert "Isu Strategis" in page and "Kewe" in page, f"no header on page {number}"
        assert f"Halaman {number} dari {output.pages}" in page
    assert "Ruas jalan nomor 40" in flat(" ".join(pages))


def test_f4_paper_from_the_letterhead_settings(monday_meeting, decided_desk):
    from rakortek.documents.models import OfficeProfile

    profile = OfficeProfile.load()
    profile.paper = "F4"
    profile.save(update_fields=["paper"])
    box = pdf_reader(render(monday_meeting, decided_desk).content).pages[0].mediabox
    # Landscape F4: 330 mm wide, 215 mm high.
    assert float(box.width) == pytest.approx(330 / 25.4 * 72, abs=1)
    assert float(box.height) == pytest.approx(215 / 25.4 * 72, abs=1)


def test_desk_head_downloads_the_draft_as_a_pdf_file(
    as_kabid_bina_marga, monday_meeting, decided_desk
):
    response = as_kabid_bina_marga.get(
        reverse(
            "documents:draft",
            kwargs={"slug": monday_meeting.slug, "key": "prioritas", "field_slug": "bina-marga"},
        )
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="rakortek-2022-prioritas-bina-marga-draf.pdf"'
    )
    assert "BM-01" in pdf_text(response.content)


def test_priority_list_shows_volume_funding_and_authority(monday_meeting, decided_desk):
    text = flat(pdf_text(render(monday_meeting, decided_desk).content))
    assert "1,2 km" in text
    assert "APBD Provinsi" in text
    assert "Provinsi" in text.split("Kewe")[1]


def test_a_joint_issue_shows_the_location_of_every_merged_issue(monday_meeting, desk_bina_marga):
    from issues.models import Issue

    primary = decided_issue(
        desk_bina_marga,
        "bangka-tengah",
        title="Ruas Koba - Toboali Segmen Lubuk Besar",
        rank=1,
        decision="prioritas",
        place="Segmen Lubuk Besar",
        district="Lubuk Besar",
        village="",
        joint=["bangka-selatan"],
    )
    member = decided_issue(
        desk_bina_marga,
        "bangka-selatan",
        title="Ruas Koba - Toboali Segmen Air Gegas",
        place="Segmen Air Gegas",
        district="Air Gegas",
        village="",
    )
    Issue.objects.filter(pk=member.pk).update(merged_into=primary, status=Issue.Status.MERGED)
    text = flat(pdf_text(render(monday_meeting, desk_bina_marga).content))
    assert "Kabupaten Bangka Tengah: Segmen Lubuk Besar, Kec. Lubuk Besar;" in text
    assert "Kabupaten Bangka Selatan: Segmen Air Gegas, Kec. Air Gegas" in text


def test_no_decision_word_is_split_across_lines(monday_meeting, desk_bina_marga):
    from tests.documents.layout import page_words

    for rank, decision in enumerate(
        ["prioritas", "cadangan", "tidak_diprioritaskan", "dialihkan"] * 3, start=1
    ):
        decided_issue(
            desk_bina_marga,
            "bangka",
            title=f"Ruas jalan {rank}",
            rank=rank,
            decision=decision,
            reason="Pertimbangan kewenangan dan kesiapan lahan yang belum jelas.",
            redirected_to="BPJN Kepulauan Bangka Belitung" if decision == "dialihkan" else "",
        )
    pages = page_words(render(monday_meeting, desk_bina_marga).content)
    words = [word.text.strip(".,()") for page in pages for word in page]
    for label in ("Prioritas", "Cadangan", "Diprioritaskan", "Dialihkan"):
        whole = sum(1 for word in words if word == label)
        started = sum(
            1 for word in words if word != label and label.startswith(word) and len(word) > 3
        )
        assert whole >= 3 and started == 0, f"{label}: {whole} whole, {started} broken"
