"""The recap for Biro Pemerintahan and the follow-up monitoring report as XLSX workbooks.

Every text cell is written with rakortek.xlsx.text_cell (data type "s", with
Excel's quote prefix when it starts like a formula), so an issue titled
"=HYPERLINK(...)" or "+62..." stays the words it was typed as, in any
spreadsheet program. Money and volumes are real numbers with a number format,
so they can be summed.
"""

from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from rakortek.formatting import hari_tanggal, tanggal
from rakortek.xlsx import HEADER_FILL, HEADER_FONT, WRAP, text_cell, workbook_bytes

RUPIAH_FORMAT = '"Rp"#,##0'
VOLUME_FORMAT = "#,##0.##"

FIELD_FILL = PatternFill("solid", fgColor="D9E1F2")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

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


def number_cell(cell, value, number_format):
    cell.value = None if value is None else (int(value) if value == int(value) else float(value))
    cell.number_format = number_format
    return cell


def _title_rows(sheet, title, subtitle, options, width):
    """Rows 1 to 3 across `width` columns: the title, a line under it, and the
    document's number and verification address (or that it is a draft)."""
    final = options.final
    text_cell(sheet["A1"], title).font = Font(bold=True, size=13)
    text_cell(sheet["A2"], subtitle).font = Font(italic=True)
    if final:
        status = (
            f"Nomor {final.number} · Versi {final.version} · Verifikasi: {final.verification_url}"
        )
    else:
        status = "DRAF - belum final"
    text_cell(sheet["A3"], status).font = Font(
        bold=final is None, color="C00000" if not final else None
    )
    last_column = get_column_letter(width)
    for row in (1, 2, 3):
        sheet.merge_cells(f"A{row}:{last_column}{row}")


def _header(sheet, columns):
    """The column headers in row HEADER_ROW, repeated on every printed page; A4 landscape."""
    for index, (header, width) in enumerate(columns, start=1):
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


def recap_workbook(meeting, groups, options) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Rekapitulasi"
    workbook.properties.title = f"Rekapitulasi Isu Strategis - {meeting.title}"
    workbook.properties.creator = "Rakortek"

    _title_rows(
        sheet,
        f"REKAPITULASI ISU STRATEGIS {meeting.title.upper()}",
        f"{hari_tanggal(meeting.starts_at)}, {meeting.venue}",
        options,
        len(COLUMNS),
    )
    _header(sheet, COLUMNS)

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

    return workbook_bytes(workbook)


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


# ---- Laporan Monitoring Tindak Lanjut ----

DATE_FORMAT = "DD/MM/YYYY"
MONITORING_COLUMNS = [
    ("No", 6),
    ("Bidang", 18),
    ("Butir Kesepakatan", 50),
    ("Penanggung Jawab", 30),
    ("Kab/Kota", 24),
    ("Waktu", 18),
    ("Target", 12),
    ("Status", 15),
    ("Terlambat", 11),
    ("Progres (%)", 11),
    ("Tanggal Laporan Terakhir", 14),
    ("Laporan Terakhir", 60),
]
COUNT_COLUMNS = [
    ("Kelompok", 16),
    ("Bidang/Kabupaten/Kota", 30),
    ("Jumlah Butir", 12),
    ("Belum Dimulai", 13),
    ("Dalam Proses", 13),
    ("Terkendala", 13),
    ("Selesai", 13),
    ("Terlambat", 12),
    ("% Selesai", 11),
]


def _date_cell(cell, value):
    cell.value = value
    if value is not None:
        cell.number_format = DATE_FORMAT
    return cell


def monitoring_workbook(report, options) -> bytes:
    """Sheet "Butir": one row per followed point, with real dates and numbers;
    sheet "Rekap": the counts by status for each field and each region."""
    meeting = report.meeting
    workbook = Workbook()
    workbook.properties.title = f"Laporan Monitoring Tindak Lanjut - {meeting.title}"
    workbook.properties.creator = "Rakortek"
    title = f"LAPORAN MONITORING TINDAK LANJUT {meeting.title.upper()}"
    package = report.package
    subtitle = (
        f"Ditandatangani pada {package.rakorgub.title}, {tanggal(package.signed_on)} · "
        f"Keadaan per {tanggal(report.today)}"
    )

    sheet = workbook.active
    sheet.title = "Butir"
    _title_rows(sheet, title, subtitle, options, len(MONITORING_COLUMNS))
    _header(sheet, MONITORING_COLUMNS)
    row = HEADER_ROW + 1
    for section in report.sections:
        for line in section.lines:
            point = line.point
            texts = {
                2: section.name,
                3: point.text,
                4: point.responsible,
                5: line.region_names,
                6: point.due,
                8: line.status,
                9: "Terlambat" if line.overdue else "",
                12: line.full_note,
            }
            for column in range(1, len(MONITORING_COLUMNS) + 1):
                cell = sheet.cell(row=row, column=column)
                if column in texts:
                    text_cell(cell, texts[column])
                cell.alignment = WRAP
                cell.border = BORDER
                if line.overdue:
                    cell.font = Font(color="B00020")
            number_cell(sheet.cell(row=row, column=1), point.number, "0")
            _date_cell(sheet.cell(row=row, column=7), point.target_date)
            number_cell(sheet.cell(row=row, column=10), point.progress, "0")
            _date_cell(sheet.cell(row=row, column=11), line.last.reported_on if line.last else None)
            row += 1
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(MONITORING_COLUMNS))}{row - 1}"

    counts = workbook.create_sheet("Rekap")
    _title_rows(counts, title, subtitle, options, len(COUNT_COLUMNS))
    _header(counts, COUNT_COLUMNS)
    row = HEADER_ROW + 1
    groups = [("Bidang", summary) for summary in report.by_field]
    groups += [("Kabupaten/Kota", summary) for summary in report.by_region]
    groups.append(("Jumlah", report.total))
    for group, summary in groups:
        text_cell(counts.cell(row=row, column=1), group)
        text_cell(counts.cell(row=row, column=2), summary.label)
        values = [summary.total, *summary.counts, summary.overdue]
        for column, value in enumerate(values, start=3):
            number_cell(counts.cell(row=row, column=column), value, "0")
        number_cell(counts.cell(row=row, column=len(COUNT_COLUMNS)), summary.percent_done, "0")
        for column in range(1, len(COUNT_COLUMNS) + 1):
            cell = counts.cell(row=row, column=column)
            cell.border = BORDER
            if group == "Jumlah":
                cell.font = Font(bold=True)
                cell.fill = TOTAL_FILL
        row += 1

    return workbook_bytes(workbook)
