"""Reading a participant list from a CSV or XLSX file, and checking every row.

The file is distrusted: an XLSX is checked and read by rakortek.core.xlsx (a plain
zip of sane size and compression, without macros or XML document types; cells
read as stored, so a formula ("=...", "+...", "-...", "@...") is only text and
never evaluated).

Nothing is saved here: `check_rows` reports each row's errors and the view
saves only a file whose every row is valid (services.participants_import).
"""

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Font

from meetings.models import AttendanceMode, Desk, Participant, Region, phone_validator
from meetings.services import person_key
from rakortek.core import xlsx
from rakortek.core.forms import ChooseForm

# MAX_UPLOAD_SIZE and XLSX_CONTENT_TYPE are re-exported: the form and views read them from here.
from rakortek.core.xlsx import MAX_UPLOAD_SIZE as MAX_UPLOAD_SIZE
from rakortek.core.xlsx import XLSX_CONTENT_TYPE as XLSX_CONTENT_TYPE
from rakortek.core.xlsx import refusal

MAX_ROWS = 1000
MAX_COLUMNS = 30
MAX_ENTRIES = 200


def _key(text) -> str:
    """How headers and values are compared: letters and digits only, lower case."""
    text = unicodedata.normalize("NFKD", str(text))
    return "".join(ch for ch in text.casefold() if ch.isalnum())


@dataclass(frozen=True)
class Column:
    field: str
    header: str  # as written in the template (Indonesian: it is the file format)
    aliases: tuple = ()
    example: str = ""


COLUMNS = [
    Column("name", "Nama", ("namalengkap", "name", "namapeserta"), "Budi Santoso, S.T."),
    Column("position", "Jabatan", ("position",), "Kepala Bidang Bina Marga"),
    Column(
        "office",
        "Instansi",
        ("unitkerja", "opd", "office", "instansiunitkerja", "asalinstansi"),
        "DPUPR Kabupaten Bangka",
    ),
    Column(
        "region",
        "Kabupaten/Kota",
        ("kabkota", "wilayah", "daerah", "region", "kabupaten"),
        "Kabupaten Bangka",
    ),
    Column(
        "phone",
        "No. HP",
        ("nomorhp", "hp", "telepon", "notelepon", "phone", "telp", "notelp", "nohpwa", "wa"),
        "081234567890",
    ),
    Column("email", "Email", ("surel", "email", "surat elektronik"), ""),
    Column("desk", "Desk", ("bidang", "deskbidang"), "Bina Marga"),
    Column("mode", "Kehadiran", ("mode", "luringdaring", "carahadir"), "luring"),
]
HEADERS = {}
for _column in COLUMNS:
    for _text in (_column.header, _column.field, *_column.aliases):
        HEADERS.setdefault(_key(_text), _column)


@dataclass
class TableRow:
    number: int  # as the spreadsheet or text editor shows it (the header is row 1)
    cells: dict  # field -> text


@dataclass
class Table:
    rows: list
    ignored_headers: list = field(default_factory=list)


def _unreadable():
    return refusal(
        _("This file cannot be read. Upload an Excel workbook (.xlsx) or a CSV file."),
        "unreadable",
    )


def _not_plain_xlsx():
    return refusal(
        _(
            "Old Excel files (.xls), workbooks with macros and password-protected workbooks "
            "are not accepted. Save it as “Excel Workbook (.xlsx)” or as CSV."
        ),
        "not_plain_xlsx",
    )


def read_table(data: bytes, name: str = "") -> Table:
    """The non-empty rows of a CSV or XLSX participant list; ValidationError if unusable."""
    xlsx.check_size(data)
    if xlsx.looks_like_workbook(data, name):
        grid = _xlsx_grid(data, name)
    else:
        grid = _csv_grid(data)
    return _table(grid)


def _csv_grid(data: bytes):
    if b"\x00" in data[:4096]:
        raise _unreadable()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise _unreadable()
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        reader = csv.reader(io.StringIO(text, newline=""), dialect)
        for row in reader:
            yield [cell.strip() for cell in row[:MAX_COLUMNS]]
    except csv.Error:
        raise _unreadable() from None


def _xlsx_grid(data: bytes, name: str):
    """The rows of the first sheet, with this page's wording for a refused workbook."""
    try:
        with xlsx.read_sheet(data, name, max_columns=MAX_COLUMNS, max_entries=MAX_ENTRIES) as rows:
            yield from rows
    except ValidationError as error:
        if error.code in ("macros", "old_or_encrypted"):
            raise _not_plain_xlsx() from None
        if error.code == "not_xlsx":
            raise _unreadable() from None
        raise


def _table(grid) -> Table:
    try:
        rows = iter(grid)
        header = next(rows, None) or []
        positions, ignored = {}, []
        for index, text in enumerate(header):
            if not text:
                continue
            column = HEADERS.get(_key(text))
            if column is None or column.field in positions:
                ignored.append(text)
            else:
                positions[column.field] = index
        if "name" not in positions or "office" not in positions:
            raise refusal(
                _(
                    "Row 1 must hold the column headers, at least “Nama” and “Instansi”. "
                    "Download the template and copy your list into it."
                ),
                "no_header",
            )
        too_many = _("The file has more than %(limit)s rows. Split it into several files.")
        filled = xlsx.filled_rows(rows, positions, limit=MAX_ROWS, too_many=too_many)
        result = [TableRow(number=number, cells=cells) for number, cells in filled]
    except ValidationError:
        raise
    except Exception:
        raise _unreadable() from None
    if not result:
        raise refusal(_("The file has no participants: fill in at least one row."), "no_rows")
    return Table(rows=result, ignored_headers=ignored)


# ---- Checking the rows ----


class ImportRowForm(ChooseForm):
    """One row's values, as text, with the same limits as the participant form."""

    name = forms.CharField(max_length=150)
    position = forms.CharField(max_length=150, required=False)
    office = forms.CharField(max_length=200)
    region = forms.CharField(max_length=100, required=False)
    phone = forms.CharField(max_length=20, required=False, validators=[phone_validator])
    email = forms.EmailField(required=False)
    desk = forms.CharField(max_length=120, required=False)
    mode = forms.CharField(max_length=30, required=False)

    def __init__(self, *args, lookups, **kwargs):
        super().__init__(*args, **kwargs)
        self.lookups = lookups

    def clean_name(self):
        name = self.cleaned_data["name"]
        if not person_key(name):
            raise ValidationError(_("Enter the participant's name."), code="no_name")
        return name

    def clean_region(self):
        text = self.cleaned_data["region"]
        if not text:
            return None
        region = self.lookups.regions.get(_key(text))
        if region is None:
            raise ValidationError(
                _("Unknown regency or city “%(value)s”."), code="region", params={"value": text}
            )
        return region

    def clean_desk(self):
        text = self.cleaned_data["desk"]
        if not text or _key(text) in {"pleno", "plenary", "semua"}:
            return None
        desk = self.lookups.desks.get(_key(text))
        if desk is None:
            raise ValidationError(
                _("This meeting has no desk “%(value)s”."), code="desk", params={"value": text}
            )
        return desk

    def clean_mode(self):
        text = self.cleaned_data["mode"]
        if not text:
            return AttendanceMode.IN_PERSON
        mode = MODES.get(_key(text))
        if mode is None:
            raise ValidationError(
                _("Attendance must be “luring” or “daring”, not “%(value)s”."),
                code="mode",
                params={"value": text},
            )
        return mode


MODES = {
    **{
        _key(word): AttendanceMode.IN_PERSON
        for word in ("luring", "offline", "in person", "tatap muka", "hadir langsung", "l")
    },
    **{_key(word): AttendanceMode.ONLINE for word in ("daring", "online", "zoom", "virtual", "d")},
}


@dataclass
class Lookups:
    regions: dict
    desks: dict
    existing: set  # (name key, office key) already on the meeting's list


def lookups_for(meeting) -> Lookups:
    regions = {}
    for region in Region.objects.in_province():
        short = re.sub(r"^(kabupaten|kota|provinsi)\s+", "", region.name, flags=re.IGNORECASE)
        for text in (region.name, region.kemendagri_code, region.slug, region.bps_code, short):
            regions.setdefault(_key(text), region)
    desks = {}
    for desk in Desk.objects.filter(meeting=meeting).select_related("field"):
        for text in (desk.field.name, desk.field.code, desk.field.slug):
            desks.setdefault(_key(text), desk)
    existing = set(
        Participant.objects.filter(meeting=meeting).values_list("name_key", "office_key")
    )
    return Lookups(regions=regions, desks=desks, existing=existing)


@dataclass
class RowResult:
    number: int
    cells: dict
    values: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)  # (column header or "", message)

    @property
    def is_valid(self):
        return not self.errors


HEADER_OF = {column.field: column.header for column in COLUMNS}


def check_rows(table: Table, meeting) -> list[RowResult]:
    """Every row through ImportRowForm, then duplicates within the file and with the list."""
    lookups = lookups_for(meeting)
    seen = {}
    results = []
    for row in table.rows:
        form = ImportRowForm(
            {name: row.cells.get(name, "") for name in ImportRowForm.base_fields},
            lookups=lookups,
        )
        result = RowResult(number=row.number, cells=row.cells)
        if form.is_valid():
            result.values = dict(form.cleaned_data)
            key = (person_key(result.values["name"]), person_key(result.values["office"])[:200])
            if key in lookups.existing:
                result.errors.append(("", str(_("This person is already on the attendance list."))))
            elif key in seen:
                result.errors.append(
                    ("", str(_("Same person as row %(row)s.") % {"row": seen[key]}))
                )
            else:
                seen[key] = row.number
        else:
            for name, messages in form.errors.items():
                for message in messages:
                    result.errors.append((HEADER_OF.get(name, ""), message))
        results.append(result)
    return results


# ---- Between preview and confirmation (kept in the session) ----


def to_session(results: list[RowResult]) -> list[dict]:
    rows = []
    for result in results:
        values = dict(result.values)
        values["region"] = values["region"].pk if values["region"] else None
        values["desk"] = values["desk"].pk if values["desk"] else None
        rows.append(values)
    return rows


def from_session(rows: list[dict], meeting) -> list[dict]:
    """The participant values again; KeyError if a desk or region has gone meanwhile."""
    regions = {r.pk: r for r in Region.objects.all()}
    desks = {d.pk: d for d in Desk.objects.filter(meeting=meeting)}
    values = []
    for row in rows:
        row = dict(row)
        row["region"] = regions[row["region"]] if row["region"] else None
        row["desk"] = desks[row["desk"]] if row["desk"] else None
        values.append(row)
    return values


# ---- Template ----


def build_template() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Daftar Hadir"
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = Font(bold=True)
        dimension = sheet.column_dimensions[cell.column_letter]
        dimension.width = 28
        # Text format keeps a phone number's leading 0 and "+62".
        dimension.number_format = "@"
    example = workbook.create_sheet("Contoh")
    for index, column in enumerate(COLUMNS, start=1):
        example.cell(row=1, column=index, value=column.header).font = Font(bold=True)
        xlsx.text_cell(example.cell(row=2, column=index), column.example)
    return xlsx.workbook_bytes(workbook)
