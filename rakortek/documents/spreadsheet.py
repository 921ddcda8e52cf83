"""The recap for Biro Pemerintahan and the follow-up monitoring report as XLSX workbooks.

Every text cell is written with rakortek.core.xlsx.text_cell (data type "s", with
Excel's quote prefix when it starts like a formula), so an issue titled
"=HYPERLINK(...)" or "+62..." stays the words it was typed as, in any
spreadsheet program. Money and volumes are real numbers with a number format,
so they can be summed.
"""

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from rakortek.core.formatting import hari_tanggal, tanggal
from rakortek.core.xlsx import HEADER_FILL, HEADER_FONT, WRAP, text_cell, workbook_bytes

RUPIAH_FORMAT = '"Rp"#,##0'
VOLUME_FORMAT = "#,##0.0##"
INTEGER_FORMAT = "#,##0"

FIELD_FILL = PatternFill("solid", fgColor="D9E1F2")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

# (header, width): one flat table Biro can filter, one row per issue and region.
COLUMNS = [
    ("Bidang", 22),
    ("Nomor", 9),
    ("Kab/Kota", 24),
    ("Judul", 42),
    ("Lokasi", 30),
    ("Volume", 10),
    ("Satuan", 9),
    ("Biaya (Rp)", 19),
    ("Sumber Dana", 18),
    ("Kewenangan", 14),
    ("Skor", 7),
    ("Peringkat", 10),
    ("Keputusan", 20),
    ("Butir", 14),
    ("Isu Gabungan", 30),
]
HEADER_ROW = 5
FIELD_COLUMN = 1
VOLUME_COLUMN = 6
COST_COLUMN = 8
DECISION_COLUMN = 13
DATA_SHEET = "Rekapitulasi"
SUMMARY_SHEET = "Ringkasan"
SUMMARY_COLUMNS = [
    ("Bidang", 30),
    ("Jumlah Baris", 13),
    ("Jumlah Biaya (Rp)", 22),
    ("Biaya Prioritas (Rp)", 22),
]


def number_cell(cell, value, number_format):
    cell.value = None if value is None else (int(value) if value == int(value) else float(value))
    cell.number_format = number_format
    return cell


def volume_cell(cell, value):
    """A volume as a number, shown without a stray decimal separator ("40", "1,125")."""
    format_ = VOLUME_FORMAT if value is None or value != int(value) else INTEGER_FORMAT
    return number_cell(cell, value, format_)


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


def recap_rows(groups):
    """The recap as flat rows: one per issue and proposing region. A joint issue gives
    one row per original issue, with that region's location, volume and cost."""
    for group in groups:
        for line in group.lines:
            issue = line.issue
            figures = line.figures
            count = len(figures.shares)
            for share in figures.shares:
                original = share.issue
                yield {
                    "field": group.desk.field.name,
                    "line": line,
                    "region": share.region.name if figures.is_joint else line.region_names,
                    "location": _location(original) if figures.is_joint else line.location,
                    "volume": share.volume,
                    "unit": share.unit,
                    "cost": share.cost,
                    "joint": (
                        f"Bagian {share.region.name} dari isu gabungan {count} usulan"
                        f" (asal {original.code or original.title})"
                        if figures.is_joint
                        else ""
                    ),
                    "issue": issue,
                }


def _location(issue):
    parts = [issue.place]
    if issue.village:
        parts.append(f"Desa/Kel. {issue.village}")
    if issue.district:
        parts.append(f"Kec. {issue.district}")
    return ", ".join(part for part in parts if part)


def recap_workbook(meeting, groups, options) -> bytes:
    """Sheet "Rekapitulasi": the flat table (autofilter, frozen header, rupiah as
    numbers); sheet "Ringkasan": per field the rows, the cost and the Prioritas cost
    as SUMIFS/COUNTIFS formulas over that table, and the totals as SUM formulas."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = DATA_SHEET
    workbook.properties.title = f"Rekapitulasi Isu Strategis - {meeting.title}"
    workbook.properties.creator = "Rakortek"
    title = f"REKAPITULASI ISU STRATEGIS {meeting.title.upper()}"
    subtitle = f"{hari_tanggal(meeting.starts_at)}, {meeting.venue}"

    _title_rows(sheet, title, subtitle, options, len(COLUMNS))
    _header(sheet, COLUMNS)
    row = HEADER_ROW + 1
    for item in recap_rows(groups):
        line, issue = item["line"], item["issue"]
        texts = {
            1: item["field"],
            2: issue.code,
            3: item["region"],
            4: issue.title,
            5: item["location"],
            7: item["unit"],
            9: line.funding,
            10: line.authority,
            13: line.decision or line.status,
            14: line.point_labels,
            15: item["joint"],
        }
        for column in range(1, len(COLUMNS) + 1):
            cell = sheet.cell(row=row, column=column)
            if column in texts:
                text_cell(cell, texts[column])
            cell.alignment = WRAP
            cell.border = BORDER
        volume_cell(sheet.cell(row=row, column=VOLUME_COLUMN), item["volume"])
        number_cell(sheet.cell(row=row, column=COST_COLUMN), item["cost"], RUPIAH_FORMAT)
        number_cell(sheet.cell(row=row, column=11), issue.score, "0.00")
        number_cell(sheet.cell(row=row, column=12), issue.rank, "0")
        row += 1
    last = max(row - 1, HEADER_ROW + 1)
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(COLUMNS))}{last}"

    _summary_sheet(workbook, groups, title, subtitle, options, last)
    return workbook_bytes(workbook)


def _summary_sheet(workbook, groups, title, subtitle, options, last):
    summary = workbook.create_sheet(SUMMARY_SHEET)
    _title_rows(summary, title, subtitle, options, len(SUMMARY_COLUMNS))
    _header(summary, SUMMARY_COLUMNS)

    def column_range(column):
        letter = get_column_letter(column)
        return f"'{DATA_SHEET}'!${letter}${HEADER_ROW + 1}:${letter}${last}"

    fields, costs, decisions = (
        column_range(FIELD_COLUMN),
        column_range(COST_COLUMN),
        column_range(DECISION_COLUMN),
    )
    row = HEADER_ROW + 1
    first = row
    for group in groups:
        name = group.desk.field.name
        text_cell(summary.cell(row=row, column=1), name)
        criterion = f"$A{row}"
        summary.cell(row=row, column=2, value=f"=COUNTIFS({fields},{criterion})")
        summary.cell(row=row, column=3, value=f"=SUMIFS({costs},{fields},{criterion})")
        summary.cell(
            row=row,
            column=4,
            value=f'=SUMIFS({costs},{fields},{criterion},{decisions},"Prioritas")',
        )
        row += 1
    text_cell(summary.cell(row=row, column=1), "JUMLAH SELURUHNYA").font = Font(bold=True)
    for column in (2, 3, 4):
        letter = get_column_letter(column)
        cell = summary.cell(row=row, column=column)
        cell.value = f"=SUM({letter}{first}:{letter}{row - 1})" if row > first else 0
        cell.font = Font(bold=True)
    for r in range(first, row + 1):
        summary.cell(row=r, column=2).number_format = INTEGER_FORMAT
        for column in (3, 4):
            summary.cell(row=r, column=column).number_format = RUPIAH_FORMAT
        for column in range(1, len(SUMMARY_COLUMNS) + 1):
            cell = summary.cell(row=r, column=column)
            cell.border = BORDER
            if r == row:
                cell.fill = TOTAL_FILL


# ---- Laporan Monitoring Tindak Lanjut ----

DATE_FORMAT = "DD/MM/YYYY"
MONITORING_COLUMNS = [
    ("No", 16),
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
                1: line.ordinal,
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
