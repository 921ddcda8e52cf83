"""On a realistic meeting (tests/documents/realistic.py), every total of the recap equals the
rows it covers and the proposals behind them, read back from the rendered PDF and XLSX;
joint issues carry the sum of their regions' figures in every document."""

import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from issues.models import Issue
from meetings.models import Desk
from rakortek.core.formatting import rupiah
from rakortek.documents.catalog import SPECS
from rakortek.documents.rendering import RenderOptions
from rakortek.documents.spreadsheet import COLUMNS, DATA_SHEET, HEADER_ROW, SUMMARY_SHEET
from tests.documents import realistic
from tests.documents.conftest import flat, pdf_text
from tests.factories import MinutesFactory

pytestmark = pytest.mark.django_db

AMOUNT = r"Rp(\d{1,3}(?:\.\d{3})*)"


def amount(text: str) -> Decimal:
    return Decimal(text.replace(".", ""))


@pytest.fixture
def realistic_meeting(monday_meeting, secretariat, as_secretariat):
    realistic.build(monday_meeting, secretariat, as_secretariat)
    return monday_meeting


def render(meeting, key, desk=None):
    return SPECS[key].render(meeting, desk, RenderOptions.create())


def test_the_data_set_covers_every_region_and_desk_with_merges_and_an_import(
    realistic_meeting,
):
    originals = realistic.proposals(realistic_meeting)
    assert len(originals) == 29
    assert {issue.region.slug for issue in originals} == {
        "bangka",
        "belitung",
        "bangka-selatan",
        "bangka-tengah",
        "bangka-barat",
        "belitung-timur",
        "pangkalpinang",
    }
    assert {issue.desk.field.slug for issue in originals} == set(realistic.FIELDS)
    joints = Issue.objects.filter(meeting=realistic_meeting, merged_issues__isnull=False)
    assert joints.distinct().count() == 3
    imported = [
        Issue.objects.get(meeting=realistic_meeting, title=row[1]) for row in realistic.IMPORTED
    ]
    assert [(i.volume, i.estimated_cost) for i in imported] == realistic.IMPORTED_FIGURES


def test_every_recap_total_equals_its_rows_and_the_proposals(realistic_meeting):
    text = flat(pdf_text(render(realistic_meeting, "rekapitulasi").content))
    proposed = sum(issue.estimated_cost for issue in realistic.proposals(realistic_meeting))

    overall = re.search(r"Jumlah seluruhnya \((\d+) isu\) " + AMOUNT, text)
    # 29 proposals, of which 7 were merged into 3 joint issues: 25 lines.
    assert overall.group(1) == "25"
    assert amount(overall.group(2)) == proposed

    desk_totals = Decimal(0)
    priority_totals = Decimal(0)
    for desk in Desk.objects.filter(meeting=realistic_meeting).select_related("field"):
        name = desk.field.name
        start = text.index(f"Bidang {name} ")
        total = re.search(rf"Jumlah Bidang {name} \((\d+) isu\) " + AMOUNT, text[start:])
        section = text[start : start + total.start()]
        # The rows' own amounts; a joint issue's shares ("Kabupaten X: Rp...") are a
        # breakdown of its row, and the Prioritas subtotal is not a row.
        priority = re.search(rf"Jumlah Prioritas Bidang {name} \((\d+) isu\) " + AMOUNT, section)
        rows_text = re.sub(r":\s*" + AMOUNT, "", section[: priority.start()])
        rows = [amount(a) for a in re.findall(AMOUNT, rows_text)]
        assert len(rows) == int(total.group(1))
        assert sum(rows) == amount(total.group(2)), name

        lines = [
            issue
            for issue in Issue.objects.filter(desk=desk, merged_into__isnull=True).exclude(
                status=Issue.Status.WITHDRAWN
            )
        ]
        expected_priority = sum(
            issue.figures.cost for issue in lines if issue.decision == Issue.Decision.PRIORITY
        )
        assert amount(priority.group(2)) == expected_priority, name
        # Priorities come first: the subtotal's rows are the first rows of the section.
        count = int(priority.group(1))
        assert sum(rows[:count]) == expected_priority, name
        desk_totals += amount(total.group(2))
        priority_totals += expected_priority

    assert desk_totals == proposed
    priority_overall = re.search(r"Jumlah Prioritas seluruhnya \((\d+) isu\) " + AMOUNT, text)
    assert amount(priority_overall.group(2)) == priority_totals


def test_a_joint_issue_shows_its_regions_shares_and_agreement_point(realistic_meeting):
    text = flat(pdf_text(render(realistic_meeting, "rekapitulasi").content))
    # Koba - Toboali: Bangka Tengah 28,5 M + Bangka Selatan 31 M + the imported 6,5 M.
    assert "Rp66.000.000.000" in text
    for share in ("Rp28.500.000.000", "Rp31.000.000.000", "Rp6.500.000.000"):
        assert share in text
    assert "21,625 km" in text  # 9,5 + 11 + 1,125
    # Bedah rumah: 250 unit + 1.125 unit typed as text, the Indonesian way.
    assert "1.375 unit" in text
    assert "Butir 1" in text or "Butir KESATU" in text


def _evaluate(formula: str, data, summary) -> Decimal:
    """The SUMIFS / COUNTIFS / SUM formulas the summary sheet holds, over the data sheet."""
    body = formula.lstrip("=")
    name, args = re.fullmatch(r"([A-Z]+)\((.*)\)", body).groups()
    if name == "SUM":
        first, last = re.fullmatch(r"([A-Z])(\d+):([A-Z])(\d+)", args).group(2, 4)
        column = re.match(r"[A-Z]", args).group(0)
        return sum(
            _evaluate(summary[f"{column}{row}"].value, data, summary)
            for row in range(int(first), int(last) + 1)
        )

    def column_values(reference):
        letter, first, last = re.fullmatch(
            r"'[^']+'!\$([A-Z]+)\$(\d+):\$[A-Z]+\$(\d+)", reference
        ).groups()
        return [data[f"{letter}{row}"].value for row in range(int(first), int(last) + 1)]

    def criterion(argument, row):
        if argument.startswith('"'):
            return argument.strip('"')
        return summary[argument.replace("$", "")].value

    parts = args.split(",")
    if name == "COUNTIFS":
        pairs, values = parts, None
    else:
        values, pairs = column_values(parts[0]), parts[1:]
    rows = None
    for reference, argument in zip(pairs[::2], pairs[1::2], strict=True):
        wanted = criterion(argument, None)
        matching = {i for i, value in enumerate(column_values(reference)) if value == wanted}
        rows = matching if rows is None else rows & matching
    if name == "COUNTIFS":
        return Decimal(len(rows))
    return sum((Decimal(values[i] or 0) for i in rows), Decimal(0))


def test_the_xlsx_rows_and_summary_formulas_add_up_to_the_pdf(realistic_meeting):
    pdf = flat(pdf_text(render(realistic_meeting, "rekapitulasi").content))
    workbook = load_workbook(io.BytesIO(render(realistic_meeting, "rekapitulasi-xlsx").content))
    data, summary = workbook[DATA_SHEET], workbook[SUMMARY_SHEET]
    assert data.auto_filter.ref == f"A{HEADER_ROW}:{chr(64 + len(COLUMNS))}{data.max_row}"
    assert data.freeze_panes == f"A{HEADER_ROW + 1}"

    rows = list(data.iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    # One row per proposal: the 3 joint issues give one row per region.
    assert len(rows) == 29
    proposed = sum(issue.estimated_cost for issue in realistic.proposals(realistic_meeting))
    assert sum(Decimal(row[7] or 0) for row in rows) == proposed
    joint_rows = [row for row in rows if row[14]]
    assert len(joint_rows) == 7
    koba = [row for row in rows if row[3] == "Ruas Koba - Toboali Segmen Lubuk Besar"]
    assert sorted(row[2] for row in koba) == [
        "Kabupaten Bangka Selatan",
        "Kabupaten Bangka Tengah",
        "Kabupaten Bangka Tengah",
    ]
    assert len({row[1] for row in koba}) == 1  # one number for the joint issue
    assert sorted(row[5] for row in koba) == [1.125, 9.5, 11]

    for row in range(HEADER_ROW + 1, summary.max_row + 1):
        label = summary[f"A{row}"].value
        cost = _evaluate(summary[f"C{row}"].value, data, summary)
        priority = _evaluate(summary[f"D{row}"].value, data, summary)
        if label == "JUMLAH SELURUHNYA":
            assert rupiah(cost) in pdf and cost == proposed
            assert "Jumlah Prioritas seluruhnya" in pdf
            assert re.search(r"Jumlah Prioritas seluruhnya \(\d+ isu\) " + rupiah(priority), pdf)
        else:
            assert re.search(rf"Jumlah Bidang {label} \(\d+ isu\) {rupiah(cost)}", pdf), label
            assert re.search(
                rf"Jumlah Prioritas Bidang {label} \(\d+ isu\) {rupiah(priority)}", pdf
            ), label
        assert summary[f"C{row}"].number_format == '"Rp"#,##0'


def test_priority_lists_and_minutes_print_a_joint_issues_sum(realistic_meeting):
    bina_marga = Desk.objects.get(meeting=realistic_meeting, field__slug="bina-marga")
    text = flat(pdf_text(render(realistic_meeting, "prioritas", bina_marga).content))
    assert "Rp66.000.000.000" in text
    assert "Bangka Selatan: Rp31.000.000.000" in text

    MinutesFactory(meeting=realistic_meeting, chair_name="Ir. Kepala Dinas, M.T.")
    minutes = flat(pdf_text(render(realistic_meeting, "notulen").content))
    # The Prioritas lists of the minutes: Rangkui is Pangkalpinang 42,5 M + Bangka 19 M.
    assert "Rp61.500.000.000" in minutes
    assert "Rp66.000.000.000" in minutes


def test_recap_words_stay_whole_and_inside_their_columns(realistic_meeting, tmp_path):
    """Every word of the table lies between two column rules, and every word is a word of
    the data or of the template: none is broken inside a cell ("Diprioritaska / n")."""
    import pdfplumber

    output = render(realistic_meeting, "rekapitulasi")
    source = [open("templates/documents/pdf/rekapitulasi.html", encoding="utf-8").read()]
    for issue in Issue.objects.filter(meeting=realistic_meeting).select_related("region"):
        source += [issue.title, issue.place, issue.district, issue.proposed_handling]
        source += [issue.decision_reason, issue.redirected_to, issue.region.name]
    source += ["Tidak Diprioritaskan Dialihkan Cadangan Prioritas Belum jelas Pusat Isu gabungan"]
    source += ["APBD Provinsi Kabupaten/Kota Dialihkan ke Desa/Kel. Kec. Rp"]
    source += [issue.unit for issue in Issue.objects.filter(meeting=realistic_meeting)]
    for desk in Desk.objects.filter(meeting=realistic_meeting).select_related("field"):
        source += [desk.field.name, desk.field.code]
    known = {w.lower() for w in re.findall(r"[A-Za-z]+", " ".join(source))}

    path = tmp_path / "recap.pdf"
    path.write_bytes(output.content)
    checked = 0
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            rules = [e for e in page.edges if e["orientation"] == "v" and e["height"] > 5]
            if not rules:
                continue
            # Not the DRAF watermark: large, turned letters behind the table.
            words = [
                w
                for w in page.extract_words(extra_attrs=["size"])
                if w["size"] < 20 and w["upright"]
            ]
            # The table starts at its header row, repeated on every page of the table (the
            # first page holds the map and charts).
            headers = [w["top"] for w in words if w["text"] == "Kab/Kota"]
            if not headers:
                continue
            top = min(headers) - 1
            bottom = max(e["bottom"] for e in rules)
            for word in words:
                if not (top < word["top"] and word["bottom"] < bottom):
                    continue
                crossing = [
                    e["x0"]
                    for e in rules
                    if word["x0"] + 0.5 < e["x0"] < word["x1"] - 0.5
                    and e["top"] <= word["top"] <= e["bottom"]
                ]
                assert not crossing, (word["text"], page.page_number)
                for letters in re.findall(r"[A-Za-z]+", word["text"]):
                    assert letters.lower() in known, (letters, page.page_number)
                checked += 1
    assert checked > 500
