"""The recap for Biro Pemerintahan as an XLSX workbook.

Every text cell is written as text (data type "s", with Excel's quote prefix
when it starts like a formula), so an issue titled "=HYPERLINK(...)" or
"+62..." stays the words it was typed as, in any spreadsheet program. Money
and volumes are real numbers with a number format, so they can be summed.
"""

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from rakortek.formatting import hari_tanggal

FORMULA_STARTS = ("=", "+", "-", "@")
RUPIAH_FORMAT = '"Rp"#,##0'
VOLUME_FORMAT = "#,##0.##"

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
FIELD_FILL = PatternFill("solid", fgColor="D9E1F2")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")

# (header, width). Volume and unit are two columns here (one in the PDF) so the
# volume stays a number a spreadsheet can add up.
COLUMNS = [
    ("No", 5),
    ("Kab/Kota", 20),
    ("Isu", 40),
    ("Lokasi", 28),
    ("Penanganan", 40),
    ("Volume", 10),
    ("Satuan", 9),
    ("Biaya (Rp)", 18),
    ("Sumber Dana", 16),
    ("Kewenangan", 14),
    ("Keputusan/Butir Kesepakatan", 22),
    ("Keterangan", 40),
]
HEADER_ROW = 5
COST_COLUMN = 8
VOLUME_COLUMN = 6


def text_cell(cell, value):
    """Write `value` as text that no spreadsheet program evaluates."""
    value = "" if value is None else str(value)
    cell.value = value
    cell.data_type = "s"
    if value.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return cell


def number_cell(cell, value, number_format):
    cell.value = None if value is None else (int(value) if value == int(value) else float(value))
    cell.number_format = number_format
    return cell


def recap_workbook(meeting, groups, options) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Rekapitulasi"
    workbook.properties.title = f"Rekapitulasi Isu Strategis - {meeting.title}"
    workbook.properties.creator = "Rakortek"

    final = options.final
    last_column = get_column_letter(len(COLUMNS))
    text_cell(sheet["A1"], f"REKAPITULASI ISU STRATEGIS {meeting.title.upper()}").font = Font(
        bold=True, size=13
    )
    text_cell(sheet["A2"], f"{hari_tanggal(meeting.starts_at)}, {meeting.venue}").font = Font(
        italic=True
    )
    if final:
        status = (
            f"Nomor {final.number} · Versi {final.version} · Verifikasi: {final.verification_url}"
        )
    else:
        status = "DRAF - belum final"
    text_cell(sheet["A3"], status).font = Font(
        bold=final is None, color="C00000" if not final else None
    )
    for row in (1, 2, 3):
        sheet.merge_cells(f"A{row}:{last_column}{row}")

    for index, (header, width) in enumerate(COLUMNS, start=1):
        cell = text_cell(sheet.cell(row=HEADER_ROW, column=index), header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.row_dimensions[HEADER_ROW].height = 30
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True

    row = HEADER_ROW + 1
    grand_total = Decimal(0)
    for group in groups:
        cell = text_cell(sheet.cell(row=row, column=1), f"BIDANG {group.desk.field.name.upper()}")
        cell.font = Font(bold=True)
        for column in range(1, len(COLUMNS) + 1):
            sheet.cell(row=row, column=column).fill = FIELD_FILL
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(COLUMNS))
        row += 1
        for line in group.lines:
            issue = line.issue
            values = [
                None,
                line.region_names,
                f"{issue.code} {issue.title}".strip(),
                line.location,
                issue.proposed_handling,
                None,
                issue.unit,
                None,
                line.funding,
                line.authority,
                line.decision,
                line.remarks,
            ]
            for column, value in enumerate(values, start=1):
                cell = sheet.cell(row=row, column=column)
                if value is not None:
                    text_cell(cell, value)
                cell.alignment = WRAP
                cell.border = BORDER
            number_cell(sheet.cell(row=row, column=1), line.number, "0")
            number_cell(sheet.cell(row=row, column=VOLUME_COLUMN), issue.volume, VOLUME_FORMAT)
            number_cell(
                sheet.cell(row=row, column=COST_COLUMN), issue.estimated_cost, RUPIAH_FORMAT
            )
            row += 1
        _total_row(sheet, row, f"Jumlah Bidang {group.desk.field.name}", group.total_cost)
        grand_total += group.total_cost
        row += 1
    _total_row(sheet, row, "JUMLAH SELURUHNYA", grand_total)

    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _total_row(sheet, row, label, amount):
    label_cell = text_cell(sheet.cell(row=row, column=2), label)
    sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=COST_COLUMN - 1)
    label_cell.font = Font(bold=True)
    cost = number_cell(sheet.cell(row=row, column=COST_COLUMN), amount, RUPIAH_FORMAT)
    cost.font = Font(bold=True)
    for column in range(1, len(COLUMNS) + 1):
        cell = sheet.cell(row=row, column=column)
        cell.fill = TOTAL_FILL
        cell.border = BORDER
